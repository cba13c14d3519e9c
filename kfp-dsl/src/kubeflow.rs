//! Kubeflow services as steps: a Katib hyperparameter search, a Kubeflow training-operator job
//! (`PyTorchJob`, `TFJob`), a KServe `InferenceService`. Each is a resource step that creates the
//! object, waits on the service's own success and failure signals, and returns typed outputs.
//!
//! Values from the pipeline (a pipeline parameter, another step's output) go in through
//! [`JobArg`]s, which become the step's inputs; everything else is written into the object.

use serde_json::{Value, json};

use crate::dag::{Dag, Task};
use crate::dynamic::{DynArg, DynOutputs};
use crate::error::{BuildError, SourceLocation};
use crate::handles::Param;
use crate::model::ResourceSpec;
use crate::volume::{check_name, spec};

/// One argument of a container started by a Kubeflow service: literal text, or a pipeline value
/// (which becomes an input of the step).
#[derive(Clone, Debug)]
pub enum JobArg {
    /// Literal text.
    Text(String),
    /// A pipeline parameter, a task output, or a typed literal.
    Value(DynArg),
}

impl From<&str> for JobArg {
    fn from(s: &str) -> Self {
        JobArg::Text(s.to_owned())
    }
}

impl From<String> for JobArg {
    fn from(s: String) -> Self {
        JobArg::Text(s)
    }
}

impl<T: crate::ParamType> From<Param<T>> for JobArg {
    fn from(p: Param<T>) -> Self {
        JobArg::Value(p.into())
    }
}

/// Collects the inputs a step's arguments need and renders the arguments.
#[derive(Default)]
struct Inputs {
    names: Vec<String>,
    args: Vec<DynArg>,
}

impl Inputs {
    fn render(&mut self, args: &[JobArg]) -> Vec<String> {
        args.iter()
            .map(|a| match a {
                JobArg::Text(t) => t.clone(),
                JobArg::Value(v) => self.add(v.clone()),
            })
            .collect()
    }

    fn add(&mut self, v: DynArg) -> String {
        let name = format!("arg{}", self.names.len());
        let text = format!("{{{{inputs.parameters.{name}}}}}");
        self.names.push(name);
        self.args.push(v);
        text
    }

    fn call<'a>(
        self,
        p: &'a Dag,
        name: &str,
        description: &str,
        outputs: &[&str],
        body: ResourceSpec,
        location: SourceLocation,
    ) -> Task<'a, DynOutputs> {
        let mut spec = spec(name, description, &[], outputs, body);
        for (n, a) in self.names.iter().zip(&self.args) {
            // Declared with the value's own type, so a number or a boolean feeds it as itself.
            let type_name = a.kfp_type().unwrap_or("String").to_owned();
            spec = spec.with_input(n, crate::model::IoKind::Parameter { type_name }, None);
        }
        p.call_component_at(&spec, self.names.iter().map(String::as_str).zip(self.args), location)
    }
}

fn object_name(name: &str) -> String {
    format!("{{{{workflow.name}}}}-{name}")
}

/// A Katib `Experiment` (`kubeflow.org/v1beta1`): a hyperparameter search. Each trial runs
/// `image` with `command`, in which `${trialParameters.NAME}` stands for a searched parameter, and
/// reports `metric` (Katib's default collector reads `metric=value` lines from stdout).
#[derive(Clone, Debug)]
pub struct KatibExperiment {
    name: String,
    objective: &'static str,
    metric: String,
    algorithm: String,
    parameters: Vec<Value>,
    max_trials: u32,
    parallel_trials: u32,
    max_failed_trials: u32,
    image: String,
    command: Vec<JobArg>,
    goal: Option<f64>,
    timeout: u64,
    problems: Vec<String>,
}

impl KatibExperiment {
    /// A search that maximizes `metric`.
    pub fn maximize(name: &str, metric: &str) -> Self {
        Self::new(name, "maximize", metric)
    }

    /// A search that minimizes `metric`.
    pub fn minimize(name: &str, metric: &str) -> Self {
        Self::new(name, "minimize", metric)
    }

    fn new(name: &str, objective: &'static str, metric: &str) -> Self {
        KatibExperiment {
            name: name.to_owned(),
            objective,
            metric: metric.to_owned(),
            algorithm: "random".to_owned(),
            parameters: Vec::new(),
            max_trials: 12,
            parallel_trials: 3,
            max_failed_trials: 3,
            image: String::new(),
            command: Vec::new(),
            goal: None,
            timeout: crate::waits::DEFAULT_WAIT_SECONDS,
            problems: Vec::new(),
        }
    }

    /// Stops the search as soon as a trial reaches `goal` (at least it when maximizing, at most it
    /// when minimizing); the experiment then succeeds with that trial as the best.
    #[must_use]
    pub fn goal(mut self, goal: f64) -> Self {
        if !goal.is_finite() {
            self.problems.push(format!("the objective goal {goal} is not a number"));
        }
        self.goal = Some(goal);
        self
    }

    /// Fails the step if the search has not ended after `seconds` (24 hours unless set).
    #[must_use]
    pub fn timeout(mut self, seconds: u64) -> Self {
        self.timeout = seconds;
        self
    }

    /// The search algorithm (`random`, `grid`, `bayesianoptimization`, `tpe`, `hyperband`, `cmaes`).
    #[must_use]
    pub fn algorithm(mut self, algorithm: &str) -> Self {
        const KNOWN: [&str; 6] = ["random", "grid", "bayesianoptimization", "tpe", "hyperband", "cmaes"];
        if !KNOWN.contains(&algorithm) {
            self.problems.push(format!("`{algorithm}` is not a Katib algorithm; expected one of {}", KNOWN.join(", ")));
        }
        self.algorithm = algorithm.to_owned();
        self
    }

    fn parameter(mut self, name: &str, kind: &str, space: Value) -> Self {
        if self.parameters.iter().any(|p| p["name"] == name) {
            self.problems.push(format!("parameter `{name}` is searched twice"));
        }
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            self.problems.push(format!("`{name}` is not a parameter name (letters, digits, `_`, `-`)"));
        }
        self.parameters.push(json!({ "name": name, "parameterType": kind, "feasibleSpace": space }));
        self
    }

    /// Searches a real number in `[min, max]`.
    #[must_use]
    pub fn double(mut self, name: &str, min: f64, max: f64) -> Self {
        if min.partial_cmp(&max) != Some(std::cmp::Ordering::Less) {
            self.problems.push(format!("parameter `{name}`: min {min} is not below max {max}"));
        }
        self.parameter(name, "double", json!({ "min": min.to_string(), "max": max.to_string() }))
    }

    /// Searches an integer in `[min, max]`.
    #[must_use]
    pub fn int(mut self, name: &str, min: i64, max: i64) -> Self {
        if min >= max {
            self.problems.push(format!("parameter `{name}`: min {min} is not below max {max}"));
        }
        self.parameter(name, "int", json!({ "min": min.to_string(), "max": max.to_string() }))
    }

    /// Searches one of `values`.
    #[must_use]
    pub fn categorical(mut self, name: &str, values: &[&str]) -> Self {
        if values.is_empty() {
            self.problems.push(format!("parameter `{name}` has no values"));
        }
        self.parameter(name, "categorical", json!({ "list": values }))
    }

    /// How many trials run in all, how many at once, and how many may fail before the search fails.
    #[must_use]
    pub fn trials(mut self, max: u32, parallel: u32, max_failed: u32) -> Self {
        if max == 0 || parallel == 0 || parallel > max {
            self.problems.push(format!("trials: {parallel} at once out of {max} is not a search"));
        }
        (self.max_trials, self.parallel_trials, self.max_failed_trials) = (max, parallel, max_failed);
        self
    }

    /// What each trial runs.
    #[must_use]
    pub fn trial<A: Into<JobArg>>(mut self, image: &str, command: impl IntoIterator<Item = A>) -> Self {
        self.image = image.to_owned();
        self.command = command.into_iter().map(Into::into).collect();
        self
    }
}

/// A Katib search made by [`Dag::katib_experiment`].
#[derive(Clone, Debug)]
pub struct KatibSearch<'a> {
    /// The step: it succeeds when the experiment succeeds (its trial budget spent, its goal
    /// reached, or its search space exhausted) and fails when Katib marks it failed (too many
    /// failed trials) or after its timeout.
    pub task: Task<'a, DynOutputs>,
    name: String,
    names: Vec<String>,
}

impl KatibSearch<'_> {
    /// The best value found for searched parameter `name` (a build error naming this line if
    /// `name` was not searched).
    #[track_caller]
    pub fn best(&self, name: &str) -> Param<String> {
        let location = SourceLocation::caller();
        if !self.names.iter().any(|n| n == name) {
            self.task.dag_ref().push_error(BuildError::InvalidCall {
                location,
                component: self.name.clone(),
                problems: vec![format!("`{name}` is not a searched parameter (searched: {})", self.names.join(", "))],
            });
            return self.task.output_at::<String>("best-trial", location);
        }
        self.task.output_at::<String>(&format!("best-{name}"), location)
    }

    /// The name of the best trial.
    #[track_caller]
    pub fn best_trial(&self) -> Param<String> {
        self.task.output_at::<String>("best-trial", SourceLocation::caller())
    }
}

/// A Kubeflow training-operator job (`kubeflow.org/v1`).
#[derive(Clone, Debug)]
pub struct TrainingJob {
    name: String,
    kind: &'static str,
    image: String,
    command: Vec<JobArg>,
    workers: u32,
    gpus: u32,
    backoff_limit: u32,
    timeout: u64,
}

impl TrainingJob {
    /// A `PyTorchJob`: one master and `workers` workers running `image` with `command`.
    pub fn pytorch(name: &str, image: &str, command: impl IntoIterator<Item = JobArg>) -> Self {
        Self::new(name, "PyTorchJob", image, command)
    }

    /// A `TFJob`: one chief and `workers` workers running `image` with `command`.
    pub fn tensorflow(name: &str, image: &str, command: impl IntoIterator<Item = JobArg>) -> Self {
        Self::new(name, "TFJob", image, command)
    }

    fn new(name: &str, kind: &'static str, image: &str, command: impl IntoIterator<Item = JobArg>) -> Self {
        TrainingJob {
            name: name.to_owned(),
            kind,
            image: image.to_owned(),
            command: command.into_iter().collect(),
            workers: 0,
            gpus: 0,
            backoff_limit: 3,
            timeout: crate::waits::DEFAULT_WAIT_SECONDS,
        }
    }

    /// How many times the operator restarts failed replicas before it fails the job (3 unless
    /// set; without a limit a replica that keeps crashing would restart forever).
    #[must_use]
    pub fn backoff_limit(mut self, n: u32) -> Self {
        self.backoff_limit = n;
        self
    }

    /// How long the job may run (24 hours unless set): the operator fails it then
    /// (`runPolicy.activeDeadlineSeconds`), and the step with it.
    #[must_use]
    pub fn timeout(mut self, seconds: u64) -> Self {
        self.timeout = seconds;
        self
    }

    /// Worker replicas beside the master (or chief).
    #[must_use]
    pub fn workers(mut self, n: u32) -> Self {
        self.workers = n;
        self
    }

    /// GPUs per replica (`nvidia.com/gpu`).
    #[must_use]
    pub fn gpus(mut self, n: u32) -> Self {
        self.gpus = n;
        self
    }
}

/// A KServe `InferenceService` (`serving.kserve.io/v1beta1`): serves the model at `storage_uri` (a
/// literal or a pipeline value such as a training step's output) with the runtime for `format`.
#[derive(Clone, Debug)]
pub struct InferenceService {
    name: String,
    format: String,
    storage_uri: JobArg,
    min_replicas: Option<u32>,
    create_only: bool,
    timeout: u64,
}

impl InferenceService {
    /// A service called `name` for a model of `format` (`sklearn`, `pytorch`, `tensorflow`,
    /// `onnx`, `xgboost`, ...).
    pub fn new(name: &str, format: &str, storage_uri: impl Into<JobArg>) -> Self {
        InferenceService {
            name: name.to_owned(),
            format: format.to_owned(),
            storage_uri: storage_uri.into(),
            min_replicas: None,
            create_only: false,
            timeout: 3600,
        }
    }

    /// Keeps at least this many replicas (0 lets KServe scale to zero).
    #[must_use]
    pub fn min_replicas(mut self, n: u32) -> Self {
        self.min_replicas = Some(n);
        self
    }

    /// Creates the service (`kubectl create`) instead of creating or updating it, so the step fails
    /// if one of that name exists. The step then never reads the status an earlier model left: the
    /// exact choice when each run deploys its own service.
    #[must_use]
    pub fn create_only(mut self) -> Self {
        self.create_only = true;
        self
    }

    /// Fails the step if the model is not loaded after `seconds` (an hour unless set).
    #[must_use]
    pub fn timeout(mut self, seconds: u64) -> Self {
        self.timeout = seconds;
        self
    }
}

/// A deployed model made by [`Dag::inference_service`].
#[derive(Clone, Copy, Debug)]
pub struct Deployment<'a> {
    /// The step (it succeeds once the model is loaded).
    pub task: Task<'a, DynOutputs>,
    /// Where the model answers (`status.url`).
    pub url: Param<String>,
}

impl Dag {
    /// Runs a Katib hyperparameter search and waits for it; [`KatibSearch::best`] gives each
    /// parameter's best value. The step ends when the experiment does (see [`crate::Wait::katib_experiment`]).
    #[track_caller]
    pub fn katib_experiment(&self, e: KatibExperiment) -> KatibSearch<'_> {
        let location = SourceLocation::caller();
        let mut problems = e.problems.clone();
        problems.extend(check_name(&e.name));
        if e.parameters.is_empty() {
            problems.push("the search has no parameters".to_owned());
        }
        if e.image.trim().is_empty() {
            problems.push("the trial has no image: call `.trial(image, command)`".to_owned());
        }
        let mut inputs = Inputs::default();
        let command = inputs.render(&e.command);
        let names: Vec<String> =
            e.parameters.iter().map(|p| p["name"].as_str().unwrap_or_default().to_owned()).collect();
        for n in &names {
            if !command.iter().any(|c| c.contains(&format!("${{trialParameters.{n}}}"))) {
                problems.push(format!("the trial command never uses `${{trialParameters.{n}}}`"));
            }
        }
        let mut objective = json!({ "type": e.objective, "objectiveMetricName": e.metric });
        if let Some(goal) = e.goal {
            objective["goal"] = json!(goal);
        }
        let manifest = json!({
            "apiVersion": "kubeflow.org/v1beta1",
            "kind": "Experiment",
            "metadata": { "name": object_name(&e.name) },
            "spec": {
                "objective": objective,
                "algorithm": { "algorithmName": e.algorithm },
                "maxTrialCount": e.max_trials,
                "parallelTrialCount": e.parallel_trials,
                "maxFailedTrialCount": e.max_failed_trials,
                // Katib's default, said here: an experiment that never restarts never leaves a
                // stale completionTime next to a running search (see `Wait::katib_experiment`).
                "resumePolicy": "Never",
                "parameters": e.parameters,
                "trialTemplate": {
                    "primaryContainerName": "training",
                    "trialParameters": names.iter().map(|n| json!({ "name": n, "reference": n })).collect::<Vec<_>>(),
                    "trialSpec": {
                        "apiVersion": "batch/v1",
                        "kind": "Job",
                        "spec": { "template": {
                            "metadata": { "annotations": { "sidecar.istio.io/inject": "false" } },
                            "spec": {
                                "restartPolicy": "Never",
                                "containers": [{ "name": "training", "image": e.image, "command": command }],
                            },
                        }},
                    },
                },
            },
        });
        let mut body = ResourceSpec::create(manifest)
            .wait(crate::Wait::katib_experiment().timeout(e.timeout))
            .output_named("best-trial", "{.status.currentOptimalTrial.bestTrialName}");
        let mut outputs = vec!["best-trial".to_owned()];
        for n in &names {
            let path = format!("{{.status.currentOptimalTrial.parameterAssignments[?(@.name==\"{n}\")].value}}");
            body = body.output_named(&format!("best-{n}"), &path);
            outputs.push(format!("best-{n}"));
        }
        if !problems.is_empty() {
            self.push_error(BuildError::InvalidCall { location, component: e.name.clone(), problems });
        }
        let outputs: Vec<&str> = outputs.iter().map(String::as_str).collect();
        let task = inputs.call(self, &e.name, "Runs a Katib hyperparameter search.", &outputs, body, location);
        KatibSearch { task, name: e.name, names }
    }

    /// Runs a training-operator job and waits for it: the step ends when the job does (see
    /// [`crate::Wait::training_job`]); a replica the operator restarts does not end it.
    #[track_caller]
    pub fn training_job(&self, job: TrainingJob) -> Task<'_, DynOutputs> {
        let location = SourceLocation::caller();
        let mut problems: Vec<String> = check_name(&job.name).into_iter().collect();
        if job.image.trim().is_empty() {
            problems.push("the job has an empty image".to_owned());
        }
        let mut inputs = Inputs::default();
        let command = inputs.render(&job.command);
        let (container, lead) = if job.kind == "PyTorchJob" { ("pytorch", "Master") } else { ("tensorflow", "Chief") };
        let mut c = json!({ "name": container, "image": job.image, "command": command });
        if job.gpus > 0 {
            c["resources"] = json!({ "limits": { "nvidia.com/gpu": job.gpus.to_string() } });
        }
        let replica = |n: u32| {
            json!({
                "replicas": n,
                "restartPolicy": "OnFailure",
                "template": {
                    "metadata": { "annotations": { "sidecar.istio.io/inject": "false" } },
                    "spec": { "containers": [c.clone()] },
                },
            })
        };
        let mut replicas = serde_json::Map::new();
        replicas.insert(lead.to_owned(), replica(1));
        if job.workers > 0 {
            replicas.insert("Worker".to_owned(), replica(job.workers));
        }
        let specs = if job.kind == "PyTorchJob" { "pytorchReplicaSpecs" } else { "tfReplicaSpecs" };
        let manifest = json!({
            "apiVersion": "kubeflow.org/v1",
            "kind": job.kind,
            "metadata": { "name": object_name(&job.name) },
            "spec": {
                "runPolicy": { "backoffLimit": job.backoff_limit, "activeDeadlineSeconds": job.timeout },
                specs: replicas,
            },
        });
        if job.timeout == 0 {
            problems.push("a timeout of 0 seconds would fail the job at once".to_owned());
        }
        // The step waits a minute longer than the job may run, so the operator's own verdict (with
        // its reason) ends it.
        let wait = crate::Wait::training_job().timeout(job.timeout.saturating_add(60));
        let body = ResourceSpec::create(manifest).wait(wait).output_named("name", "{.metadata.name}");
        if !problems.is_empty() {
            self.push_error(BuildError::InvalidCall { location, component: job.name.clone(), problems });
        }
        let description = format!("Runs a {} and waits for it.", job.kind);
        inputs.call(self, &job.name, &description, &["name"], body, location)
    }

    /// Deploys (or updates) a KServe `InferenceService` and waits until the model is loaded; fails if
    /// KServe cannot load it (see [`crate::Wait::inference_service`]).
    #[track_caller]
    pub fn inference_service(&self, s: InferenceService) -> Deployment<'_> {
        let location = SourceLocation::caller();
        let problems: Vec<String> = check_name(&s.name).into_iter().collect();
        let mut inputs = Inputs::default();
        let uri = inputs.render(std::slice::from_ref(&s.storage_uri)).remove(0);
        let mut predictor = json!({ "model": { "modelFormat": { "name": s.format }, "storageUri": uri } });
        if let Some(n) = s.min_replicas {
            predictor["minReplicas"] = json!(n);
        }
        let manifest = json!({
            "apiVersion": "serving.kserve.io/v1beta1",
            "kind": "InferenceService",
            "metadata": { "name": s.name },
            "spec": { "predictor": predictor },
        });
        let action = if s.create_only { "create" } else { "apply" };
        let body = ResourceSpec::new(action, manifest)
            .wait(crate::Wait::inference_service().timeout(s.timeout))
            .output_named("url", "{.status.url}");
        if !problems.is_empty() {
            self.push_error(BuildError::InvalidCall { location, component: s.name.clone(), problems });
        }
        let task = inputs.call(self, &s.name, "Deploys a model with KServe.", &["url"], body, location);
        Deployment { task, url: task.output_at::<String>("url", location) }
    }
}
