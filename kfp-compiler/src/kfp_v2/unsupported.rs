//! What the KFP v2 pipeline IR cannot express, found by reading the model: one entry per construct
//! with the user's line, so `compile --target kfp-v2` can refuse them together (or, with `--lossy`,
//! warn and leave them out). What kfp 2.17.3 and kfp-kubernetes 2.17.3 cannot write is the reference
//! (`shared/reference/kfp-v2/README.md`, "v1 features with no v2 equivalent").

use std::collections::{BTreeMap, BTreeSet};

use kfp_dsl::SourceLocation;
use kfp_dsl::model::{
    ArgValue, Callee, EnvSource, FmtPart, GlobalValue, GraphId, Implementation, IoKind, LoopScope, LoopSource,
    Pipeline, PipelineSettings, ResourceSpec, ScopeId, ScopeKind, SecurityContext, SequenceCount, SettingValue, TaskId,
    TaskSettings, ValueSrc, VolumeSource,
};

use super::pvc;
use super::settings::accelerator;

/// One construct the IR has no form for.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Unsupported {
    /// Where the user wrote it (the task's call), or `None` for a pipeline-wide setting.
    pub location: Option<SourceLocation>,
    /// The task it belongs to, if any.
    pub task: Option<TaskId>,
    /// What it is, in the user's terms (`` sidecar `agent` of `train` ``).
    pub what: String,
    /// Why the IR cannot say it, and what to do instead.
    pub why: &'static str,
    /// How `--lossy` leaves it out: the whole task (a step the IR has no kind of step for), or only
    /// the construct (the task runs without the setting or output).
    pub leave_out: LeaveOut,
}

/// What `--lossy` leaves out for an [`Unsupported`] construct.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum LeaveOut {
    /// The setting or output only; the task stays.
    Construct,
    /// The whole task (and the values it would pass on).
    Task,
    /// The visualization only: the file is still written, as a plain `system.Artifact` the KFP v2 UI
    /// does not show (a Kubeflow v1 UI file).
    Visualization,
    /// Nothing can be left out: the pipeline cannot compile (recursion).
    Never,
}

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(l) = &self.location {
            write!(f, "{l}: ")?;
        }
        write!(f, "{} cannot be expressed in the KFP v2 IR: {}", self.what, self.why)
    }
}

/// The warning `--lossy` prints: one line per construct left out, under a heading that counts them
/// (empty when there are none). Constructs that cannot be left out ([`LeaveOut::Never`]) are errors
/// even with `--lossy`, and not listed here.
pub fn describe_lossy(left_out: &[Unsupported]) -> String {
    let lines: Vec<String> = left_out
        .iter()
        .filter(|u| u.leave_out != LeaveOut::Never)
        .map(|u| {
            let what = match u.leave_out {
                LeaveOut::Task => "left out with its task",
                LeaveOut::Visualization => "kept as a plain system.Artifact, which the KFP v2 UI does not show",
                LeaveOut::Construct | LeaveOut::Never => "left out",
            };
            format!("  {u} ({what})")
        })
        .collect();
    match lines.len() {
        0 => String::new(),
        n => format!(
            "warning: --lossy: the KFP v2 IR leaves out {n} construct{} that the Argo target runs:\n{}\n",
            if n == 1 { "" } else { "s" },
            lines.join("\n")
        ),
    }
}

/// Every construct of `p` that the KFP v2 IR cannot express, in task order, then pipeline settings.
pub fn unsupported(p: &Pipeline) -> Vec<Unsupported> {
    let mut out = Vec::new();
    let recursive = recursive_calls(p);
    let claims = pvc::created_claims(p);
    for id in p.task_ids() {
        let task = p.task(id);
        let at = Some(task.location());
        let mut push = |what: String, why: &'static str, leave_out: LeaveOut| {
            out.push(Unsupported { location: at, task: Some(id), what, why, leave_out });
        };
        let name = p.interface(task.callee()).name;
        match task.callee() {
            Callee::Component(c) => {
                let spec = p.component(c);
                if let Implementation::Resource(r) = &spec.implementation {
                    resource_step(r, name, &mut push);
                }
                if let Implementation::Import(i) = &spec.implementation {
                    super::importer::unsupported(i, &mut push);
                }
                if let Implementation::Container(_) = &spec.implementation {
                    for i in spec.inputs.iter().filter(|i| i.kind.is_artifact_list()) {
                        push(
                            format!("list input `{}` of container component `{name}`", i.name),
                            "the KFP v2 launcher gives a container only the first artifact of a list (its \
                             placeholders have no form for a list; kfp lets only Python components read one): \
                             make the consumer a Rust function component (`#[component]`), which reads the \
                             whole list, or compile for Argo",
                            LeaveOut::Task,
                        );
                    }
                }
                for o in &spec.outputs {
                    if let IoKind::Artifact { type_name, .. } = &o.kind {
                        let v1_ui = matches!(o.name.as_str(), "mlpipeline-metrics" | "mlpipeline-ui-metadata")
                            || type_name == "UI_metadata";
                        if v1_ui {
                            push(
                                format!("output `{}` of `{name}` (a Kubeflow v1 UI file)", o.name),
                                "KFP v2's UI reads metrics and visualizations from Metrics, ClassificationMetrics, \
                                 HTML and Markdown artifacts: declare `Output<Metrics>` / `Output<Html>` / \
                                 `Output<Markdown>` instead",
                                LeaveOut::Visualization,
                            );
                        }
                    }
                }
            }
            Callee::Graph(_) => {
                if recursive.contains(&id) {
                    push(
                        format!("recursive call of graph component `{name}`"),
                        "the IR has no recursion (a pipeline cannot call itself): unroll it to a fixed depth, \
                         or compile for Argo",
                        LeaveOut::Never,
                    );
                }
            }
        }
        let reads = |g| task.args().iter().any(|a| matches!(a, ArgValue::Param(v) if reads_global(p, v, g)));
        if reads(GlobalValue::Namespace) {
            push(
                format!("the namespace (`{}`) passed to `{name}`", GlobalValue::Namespace.call()),
                "KFP v2 has no placeholder for the run's namespace: pass it as a pipeline parameter, or compile \
                 for Argo",
                LeaveOut::Never,
            );
        }
        if reads(GlobalValue::RetryCount) {
            push(
                format!("the attempt number (`{}`) passed to `{name}`", GlobalValue::RetryCount.call()),
                "KFP v2 has no placeholder for a task's attempt number (kfp 2.17 has none): read it from a retry \
                 of your own in the component, or compile for Argo",
                LeaveOut::Never,
            );
        }
        if let Some(s) = task.settings() {
            task_settings(s, name, &claims, &mut push);
            super::unsupported_pod::task_pod_surface(s, name, &mut push);
        }
        super::flow::unsupported(p, id, name, &mut push);
    }
    for scope in p.scopes() {
        if let ScopeKind::Loop(LoopScope {
            source: LoopSource::Sequence { count: SequenceCount::Value(_), .. }, ..
        }) = &scope.kind
        {
            out.push(Unsupported {
                location: Some(scope.location),
                task: None,
                what: "a range loop whose end is known only at run time (`..n`)".to_owned(),
                why: "the IR iterates over a list, and has no step that makes one from a number: loop over a \
                      literal range, or over a `Param<Vec<i64>>` a task returns, or compile for Argo",
                leave_out: LeaveOut::Never,
            });
        }
    }
    for (component, library, at) in p.template_libraries() {
        let called = p.task_ids().any(|t| p.task(t).callee() == Callee::Component(component));
        if called {
            out.push(Unsupported {
                location: Some(at),
                task: None,
                what: format!("the template of `{}` from library `{}`", p.component(component).name, library.name),
                why: "the IR carries every component's definition and KFP has no template library: drop \
                      `from_library`, or compile for Argo (`--lossy` uses the code's definition)",
                leave_out: LeaveOut::Construct,
            });
        }
    }
    pipeline_settings(p.settings(), &mut out);
    super::sync::unsupported_locks(p, &mut out);
    out
}

/// Whether `v` is, or is built from, the run value `g`.
fn reads_global(p: &Pipeline, v: &ValueSrc, g: GlobalValue) -> bool {
    match v {
        ValueSrc::Global(x) => *x == g,
        ValueSrc::Formatted { index, .. } => {
            p.formatted(*index).iter().any(|part| matches!(part, FmtPart::Value(v) if reads_global(p, v, g)))
        }
        _ => false,
    }
}

/// A resource step: a claim step CreatePVC / DeletePVC can say, or one entry.
fn resource_step(r: &ResourceSpec, name: &str, push: &mut impl FnMut(String, &'static str, LeaveOut)) {
    match pvc::recognise(r) {
        Some(Ok(_)) => {}
        Some(Err(problems)) => {
            for problem in problems {
                push(
                    format!("{problem} (volume step `{name}`)"),
                    "kfp-kubernetes' CreatePVC / DeletePVC take a claim's name (or a per-run suffix), size, access \
                     modes, storage class, annotations, volume and a fixed data source only",
                    LeaveOut::Task,
                );
            }
        }
        None => {
            let manifest = r.manifest();
            let field = |k: &str| manifest.and_then(|m| m.get(k)).and_then(|v| v.as_str()).unwrap_or_default();
            let (kind, api) = (field("kind"), field("apiVersion"));
            let (what, why) = match (kind, api.split('/').next().unwrap_or_default()) {
                ("VolumeSnapshot", _) => (
                    "volume snapshot",
                    "kfp-kubernetes has no snapshot step (CreatePVC can only restore from an existing one): take it \
                     in a container step running kubectl, or compile for Argo",
                ),
                ("Experiment", "kubeflow.org") => (
                    "Katib experiment",
                    "the IR has no Kubernetes-object steps, so no Katib experiments: start it from a container \
                     step (the Katib SDK), or compile for Argo",
                ),
                ("InferenceService", "serving.kserve.io") => (
                    "KServe inference service",
                    "the IR has no Kubernetes-object steps, so no KServe deployments: deploy it from a container \
                     step (the KServe SDK or kubectl), or compile for Argo",
                ),
                (_, "kubeflow.org") => (
                    "training job",
                    "the IR has no Kubernetes-object steps, so no training-operator jobs: submit it from a \
                     container step (the Kubeflow Training SDK), or compile for Argo",
                ),
                _ => (
                    "resource step",
                    "the IR has no Kubernetes-object steps (kfp-kubernetes creates and deletes only PVCs): run \
                     kubectl in a container step, or compile for Argo",
                ),
            };
            push(format!("{what} `{name}` (`kubectl {}` of a {kind})", r.action()), why, LeaveOut::Task);
        }
    }
}

/// The graph-component calls that are recursive: inside the body of a graph component that the
/// called one reaches (itself, or through other graph components).
fn recursive_calls(p: &Pipeline) -> BTreeSet<TaskId> {
    let enclosing = |mut s: ScopeId| loop {
        let scope = p.scope(s);
        match (&scope.kind, scope.parent) {
            (ScopeKind::Graph(g), _) => return Some(*g),
            (_, Some(parent)) => s = parent,
            (_, None) => return None,
        }
    };
    let mut calls: BTreeMap<GraphId, BTreeSet<GraphId>> = BTreeMap::new();
    let mut graph_tasks = Vec::new();
    for id in p.task_ids() {
        let task = p.task(id);
        if let (Callee::Graph(callee), Some(caller)) = (task.callee(), enclosing(task.scope())) {
            calls.entry(caller).or_default().insert(callee);
            graph_tasks.push((id, caller, callee));
        }
    }
    let reaches = |from: GraphId, to: GraphId| {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from];
        while let Some(g) = stack.pop() {
            if g == to {
                return true;
            }
            if seen.insert(g) {
                stack.extend(calls.get(&g).into_iter().flatten().copied());
            }
        }
        false
    };
    graph_tasks.into_iter().filter(|&(_, caller, callee)| reaches(callee, caller)).map(|(id, _, _)| id).collect()
}

/// The task settings kfp 2.17 and kfp-kubernetes 2.17 have no field for.
fn task_settings(
    s: &TaskSettings,
    task: &str,
    claims: &BTreeMap<String, TaskId>,
    push: &mut impl FnMut(String, &'static str, LeaveOut),
) {
    let mut push = |what: String, why: &'static str| push(what, why, LeaveOut::Construct);
    for c in &s.sidecars {
        push(format!("sidecar `{}` of `{task}`", c.name), "the IR has no sidecars: compile for Argo");
    }
    for c in &s.init_containers {
        push(
            format!("init container `{}` of `{task}`", c.name),
            "kfp-kubernetes 2.17 has no init containers: compile for Argo",
        );
    }
    resources(s, task, &mut push);
    for (name, source) in &s.env {
        if let EnvSource::Value(SettingValue::PipelineParam(p)) = source {
            push(
                format!("environment variable `{name}` of `{task}` from parameter `{p}`"),
                "kfp 2.17 sets environment variables to constants only: pass the value as an input of the component",
            );
        }
    }
    for (secret, name) in &s.env_from {
        let what = if *secret { "secret" } else { "config map" };
        push(
            format!("every key of {what} `{name}` as environment variables of `{task}`"),
            "kfp-kubernetes maps named keys only: use `env_from_secret(var, secret, key)` / \
             `env_from_config_map(var, map, key)` per key",
        );
    }
    for m in s.mounts.iter().filter(|m| m.read_only) {
        let api_data = |v: &VolumeSource| matches!(v, VolumeSource::Secret(_) | VolumeSource::ConfigMap(_));
        if !s.volumes.iter().any(|(n, v)| *n == m.volume && api_data(v)) {
            push(
                format!("read-only mount of `{}` at `{}` in `{task}`", m.volume, m.path),
                "kfp-kubernetes 2.17 mounts PVCs and emptyDirs read-write only",
            );
        }
    }
    for (volume, source) in &s.volumes {
        if let VolumeSource::Pvc(claim) = source
            && claim.contains("{{")
            && !claims.contains_key(claim)
        {
            push(
                format!("volume `{volume}` of `{task}` on claim `{claim}`"),
                "the claim's name holds an Argo placeholder the KFP v2 backend does not fill: name an existing \
                     claim, or mount a volume the pipeline makes",
            );
        }
    }
    if let Some(c) = &s.security_context {
        security_context(c, task, &mut push);
    }
    if let Some(policy) = s.retry.as_ref().and_then(|r| r.policy.as_deref()).filter(|p| *p != "OnFailure") {
        push(
            format!("retry policy `{policy}` of `{task}`"),
            "the IR retries failed tasks (count and backoff) with no policy: drop the policy",
        );
    }
    if let Some(r) = &s.retry {
        if r.when.is_some() {
            push(
                format!("retry condition (`retry_if`) of `{task}`"),
                "the IR's retryPolicy has a count and a backoff only, so every failure is retried: drop the \
                 condition, or compile for Argo",
            );
        }
        if r.other_node {
            push(
                format!("retry on another node of `{task}`"),
                "the IR's retryPolicy has a count and a backoff only: compile for Argo",
            );
        }
    }
    if let Some(staleness) = &s.max_cache_staleness {
        push(
            format!("max cache staleness `{staleness}` of `{task}`"),
            "the IR has caching on or off (and a cache key), no staleness: use `.caching(false)`",
        );
    }
}

/// The security context: kfp-kubernetes 2.17.3's `securityContext` has the user, group and non-root
/// fields only; one entry per other field set.
fn security_context(c: &SecurityContext, task: &str, push: &mut impl FnMut(String, &'static str)) {
    const WHY: &str = "kfp-kubernetes 2.17.3's `securityContext` has runAsUser, runAsGroup and runAsNonRoot only \
                       (the KFP backend itself forbids privilege escalation): compile for Argo";
    for (field, set) in [
        ("privileged", c.privileged.is_some()),
        ("read_only_root_filesystem", c.read_only_root_filesystem.is_some()),
        ("allow_privilege_escalation", c.allow_privilege_escalation.is_some()),
    ] {
        if set {
            push(format!("security context `{field}` of `{task}`"), WHY);
        }
    }
}

/// Requests and limits with no IR field: anything but cpu, memory and one accelerator limit.
fn resources(s: &TaskSettings, task: &str, push: &mut impl FnMut(String, &'static str)) {
    let gpu = accelerator(s);
    for name in s.limits.keys() {
        if !matches!(name.as_str(), "cpu" | "memory") && gpu.map(|(g, _)| g) != Some(name.as_str()) {
            push(
                format!("limit of `{name}` of `{task}`"),
                "the IR's container resources are cpu, memory and one accelerator: compile for Argo",
            );
        }
    }
    for (name, value) in &s.requests {
        let same_as_gpu_limit = gpu.is_some_and(|(g, limit)| g == name && limit == value);
        if !matches!(name.as_str(), "cpu" | "memory") && !same_as_gpu_limit {
            push(
                format!("request of `{name}` of `{task}`"),
                "the IR's container requests are cpu and memory (an accelerator's request is its limit): compile \
                 for Argo",
            );
        }
    }
}

/// Pipeline settings with no IR form (kfp 2.x sets them per run, in the server, or not at all).
fn pipeline_settings(s: &PipelineSettings, out: &mut Vec<Unsupported>) {
    let mut push = |setter: &str, present: bool, why: &'static str| {
        if present {
            out.push(Unsupported {
                location: None,
                task: None,
                what: format!("pipeline setting `{setter}`"),
                why,
                leave_out: LeaveOut::Construct,
            });
        }
    };
    const ARGO: &str = "an Argo workflow setting with no place in the IR: compile for Argo";
    const INT32: &str = "`pipelineConfig` holds seconds as an int32 (at most 2147483647, about 68 years)";
    let too_big = |v: Option<u64>| v.is_some_and(|v| i32::try_from(v).is_err());
    push("ttl_after_finished", too_big(s.ttl_seconds_after_finished), INT32);
    push("workflow_timeout", too_big(s.timeout_seconds), INT32);
    push("max_parallelism", s.parallelism.is_some(), ARGO);
    push("pod_gc", s.pod_gc.is_some(), ARGO);
    push(
        "service_account",
        s.service_account.is_some(),
        "KFP v2 takes the service account per run (`service_account` of the run), not in the IR",
    );
    push("pod_disruption_budget", s.pod_disruption_budget_min_available.is_some(), ARGO);
    push("dns_config", s.dns.is_some(), ARGO);
    push(
        "artifact_repository",
        s.artifact_repository.is_some(),
        "KFP v2 stores artifacts where the server's launcher is configured (`kfp-launcher` config map), not in the IR",
    );
}

#[cfg(test)]
#[path = "unsupported_tests.rs"]
mod tests;
