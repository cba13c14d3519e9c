//! The local runner: executes a compiled workflow on this machine, with Argo's semantics (DAG
//! dependencies, `when`, `withItems`/`withParam` with aggregated outputs, exit hooks and `onExit`,
//! recursion through templates), no cluster needed.
//!
//! Rust function components run as this same binary's `component` subcommand, the command the cluster
//! runs; other containers run with docker or podman, or directly on the host with `--host`. Every
//! step's files live under the run directory, which stays after the run.

mod expr;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use kfp_compiler::CompileOptions;
use kfp_compiler::argo::{DagTask, Template, Workflow};
use kfp_dsl::PipelineDef;

/// How to run.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RunOptions {
    /// Where the steps' files go.
    pub workdir: PathBuf,
    /// At most this many steps run at once.
    pub parallelism: usize,
    /// Run container components' commands directly on this machine instead of in docker or podman.
    pub host: bool,
    /// Pipeline parameter values (`NAME`, `VALUE`), checked against their types.
    pub arguments: Vec<(String, String)>,
}

impl RunOptions {
    /// Defaults: `kfp-runs/<pipeline>-<time>`, one step per core, containers in docker or podman.
    pub fn new(workdir: PathBuf) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        RunOptions { workdir, parallelism: cores, host: false, arguments: Vec::new() }
    }
}

/// How a step ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Status {
    /// It ran and succeeded.
    Succeeded,
    /// It ran and failed.
    Failed,
    /// Its condition did not hold.
    Skipped,
    /// Something it depends on failed, so it did not run.
    Omitted,
}

impl Status {
    fn word(self) -> &'static str {
        match self {
            Status::Succeeded => "Succeeded",
            Status::Failed => "Failed",
            Status::Skipped => "Skipped",
            Status::Omitted => "Omitted",
        }
    }
}

/// One step of a run.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct StepReport {
    /// Where it sits: `for-loop-1(2)/train`.
    pub path: String,
    /// How it ended.
    pub status: Status,
    /// How long it ran.
    pub duration: Duration,
    /// Its output parameters.
    pub outputs: BTreeMap<String, String>,
    /// Why it failed.
    pub error: Option<String>,
}

/// A finished run.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RunReport {
    /// Whether the workflow succeeded.
    pub succeeded: bool,
    /// Where the steps' files are.
    pub workdir: PathBuf,
    /// Every step, in the order they ended.
    pub steps: Vec<StepReport>,
}

impl RunReport {
    /// The summary table: step, status, duration, outputs.
    pub fn table(&self) -> String {
        let width = self.steps.iter().map(|s| s.path.len()).max().unwrap_or(4).max(4);
        let mut out = format!("{:<width$}  {:<9}  {:>8}  outputs\n", "step", "status", "time");
        for s in &self.steps {
            let outputs: Vec<String> = s
                .outputs
                .iter()
                .map(|(k, v)| {
                    let v = if v.chars().count() > 40 {
                        format!("{}...", v.chars().take(37).collect::<String>())
                    } else {
                        v.clone()
                    };
                    format!("{k}={v}")
                })
                .collect();
            let detail = match &s.error {
                Some(e) => e.lines().next().unwrap_or_default().to_owned(),
                None => outputs.join(" "),
            };
            out.push_str(&format!(
                "{:<width$}  {:<9}  {:>7.2}s  {detail}\n",
                s.path,
                s.status.word(),
                s.duration.as_secs_f64()
            ));
        }
        out
    }
}

/// Compiles `pipeline` and runs it on this machine.
///
/// # Errors
/// The pipeline does not compile, a parameter has no value, or the run directory cannot be made. A
/// failing step is not an error: it is in the report.
pub fn run(pipeline: &PipelineDef, opts: &RunOptions) -> Result<RunReport, String> {
    let built = pipeline.build().map_err(|e| e.to_string())?;
    let mut copts = CompileOptions::default();
    for (k, v) in &opts.arguments {
        copts = copts.argument(k.clone(), v.clone());
    }
    let wf = kfp_compiler::compile(&built, &copts).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&opts.workdir).map_err(|e| format!("cannot create `{}`: {e}", opts.workdir.display()))?;
    let engine = Engine::new(&wf, opts, built.binary().unwrap_or(built.name()))?;
    let params: HashMap<String, String> = wf
        .spec
        .arguments
        .parameters
        .iter()
        .map(|p| match &p.value {
            Some(v) => Ok((p.name.to_string(), v.clone())),
            None => Err(format!("parameter `{}` has no default: give it with `--param {}=VALUE`", p.name, p.name)),
        })
        .collect::<Result<_, _>>()?;
    let main = engine.template(&wf.spec.entrypoint, &params, &HashMap::new(), "", &HashMap::new());
    let mut succeeded = main.status == Status::Succeeded;
    if let Some(exit) = &wf.spec.on_exit {
        let status: HashMap<String, String> =
            [("workflow.status".to_owned(), if succeeded { "Succeeded" } else { "Failed" }.to_owned())].into();
        let r = engine.template(exit, &HashMap::new(), &HashMap::new(), "onExit", &status);
        succeeded &= r.status == Status::Succeeded;
    }
    let steps = engine.steps.into_inner().unwrap_or_else(|e| e.into_inner());
    Ok(RunReport { succeeded, workdir: opts.workdir.clone(), steps })
}

/// Parameter values by name.
type Params = HashMap<String, String>;
/// Artifact paths by name.
type Artifacts = HashMap<String, PathBuf>;

/// What a template produced.
#[derive(Clone, Debug)]
struct Outcome {
    status: Status,
    params: HashMap<String, String>,
    artifacts: HashMap<String, PathBuf>,
}

impl Outcome {
    fn of(status: Status) -> Self {
        Outcome { status, params: HashMap::new(), artifacts: HashMap::new() }
    }
}

struct Engine<'w> {
    templates: HashMap<&'w str, &'w Template>,
    opts: &'w RunOptions,
    binary: String,
    exe: PathBuf,
    runtime: Option<String>,
    workflow: HashMap<String, String>,
    slots: (Mutex<usize>, Condvar),
    steps: Mutex<Vec<StepReport>>,
    start: Instant,
}

impl<'w> Engine<'w> {
    fn new(wf: &'w Workflow, opts: &'w RunOptions, binary: &str) -> Result<Self, String> {
        let mut workflow: HashMap<String, String> = HashMap::new();
        for p in &wf.spec.arguments.parameters {
            workflow.insert(format!("workflow.parameters.{}", p.name), p.value.clone().unwrap_or_default());
        }
        let name = opts.workdir.file_name().map_or("local-run".into(), |n| n.to_string_lossy().into_owned());
        workflow.insert("workflow.name".to_owned(), name.clone());
        workflow.insert("workflow.uid".to_owned(), name);
        workflow.insert("workflow.namespace".to_owned(), "local".to_owned());
        Ok(Engine {
            templates: wf.spec.templates.iter().map(|t| (t.name.as_str(), t)).collect(),
            opts,
            binary: binary.to_owned(),
            exe: std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?,
            runtime: ["docker", "podman"].into_iter().find(|r| on_path(r)).map(str::to_owned),
            workflow,
            slots: (Mutex::new(opts.parallelism.max(1)), Condvar::new()),
            steps: Mutex::new(Vec::new()),
            start: Instant::now(),
        })
    }

    fn say(&self, line: &str) {
        eprintln!("[{:>7.2}s] {line}", self.start.elapsed().as_secs_f64());
    }

    fn record(&self, step: StepReport) {
        let mark = match step.status {
            Status::Succeeded => "✔",
            Status::Failed => "✘",
            Status::Skipped => "-",
            Status::Omitted => "·",
        };
        let mut line = format!("{mark} {} {}", step.path, step.status.word().to_lowercase());
        if step.status == Status::Succeeded || step.status == Status::Failed {
            line.push_str(&format!(" ({:.2}s)", step.duration.as_secs_f64()));
        }
        if let Some(e) = &step.error {
            line.push_str(&format!(": {}", e.lines().next().unwrap_or_default()));
        }
        self.say(&line);
        self.steps.lock().unwrap_or_else(|e| e.into_inner()).push(step);
    }

    fn template(
        &self,
        name: &str,
        params: &HashMap<String, String>,
        artifacts: &HashMap<String, PathBuf>,
        path: &str,
        extra: &HashMap<String, String>,
    ) -> Outcome {
        let Some(t) = self.templates.get(name) else {
            self.record(failed(path, format!("no template `{name}`")));
            return Outcome::of(Status::Failed);
        };
        if t.container.is_some() {
            return self.container(t, params, artifacts, path);
        }
        if let Some(r) = &t.resource {
            let why = format!(
                "a resource step (`kubectl {}`) needs a Kubernetes cluster; the local runner has none",
                r.action
            );
            self.record(failed(path, why));
            return Outcome::of(Status::Failed);
        }
        let Some(dag) = &t.dag else { return Outcome::of(Status::Failed) };
        self.dag(t, &dag.tasks, params, artifacts, path, extra)
    }

    #[allow(clippy::too_many_arguments)]
    fn dag(
        &self,
        t: &Template,
        tasks: &[DagTask],
        params: &HashMap<String, String>,
        artifacts: &HashMap<String, PathBuf>,
        path: &str,
        extra: &HashMap<String, String>,
    ) -> Outcome {
        let mut scope: HashMap<String, String> = self.workflow.clone();
        scope.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
        for (k, v) in params {
            scope.insert(format!("inputs.parameters.{k}"), v.clone());
        }
        for (k, v) in artifacts {
            scope.insert(format!("inputs.artifacts.{k}"), v.display().to_string());
        }
        let index: HashMap<&str, usize> = tasks.iter().enumerate().map(|(i, t)| (&*t.name, i)).collect();
        let mut done: Vec<Option<Outcome>> = vec![None; tasks.len()];
        let mut started = vec![false; tasks.len()];
        let scope = Mutex::new(scope);
        std::thread::scope(|sc| {
            let (tx, rx) = mpsc::channel::<(usize, Outcome)>();
            let mut running = 0;
            loop {
                for (i, task) in tasks.iter().enumerate() {
                    if started[i] {
                        continue;
                    }
                    let deps: Vec<usize> = task.dependencies.iter().filter_map(|d| index.get(&**d).copied()).collect();
                    if deps.iter().any(|&d| done[d].is_none()) {
                        continue;
                    }
                    started[i] = true;
                    let child = join(path, &task.name);
                    if deps
                        .iter()
                        .any(|&d| matches!(done[d].as_ref().map(|o| o.status), Some(Status::Failed | Status::Omitted)))
                    {
                        self.record(StepReport {
                            path: child,
                            status: Status::Omitted,
                            duration: Duration::ZERO,
                            outputs: BTreeMap::new(),
                            error: None,
                        });
                        done[i] = Some(Outcome::of(Status::Omitted));
                        continue;
                    }
                    let snapshot = scope.lock().unwrap_or_else(|e| e.into_inner()).clone();
                    let tx = tx.clone();
                    running += 1;
                    sc.spawn(move || {
                        let outcome = self.task(task, &snapshot, &child);
                        let _ = tx.send((i, outcome));
                    });
                }
                if running == 0 {
                    break;
                }
                let Ok((i, outcome)) = rx.recv() else { break };
                running -= 1;
                let task = &tasks[i];
                {
                    let mut s = scope.lock().unwrap_or_else(|e| e.into_inner());
                    s.insert(format!("tasks.{}.status", task.name), outcome.status.word().to_owned());
                    for (k, v) in &outcome.params {
                        s.insert(format!("tasks.{}.outputs.parameters.{k}", task.name), v.clone());
                    }
                    for (k, v) in &outcome.artifacts {
                        s.insert(format!("tasks.{}.outputs.artifacts.{k}", task.name), v.display().to_string());
                    }
                }
                if let Some(hook) = task.hooks.get("exit") {
                    let snapshot = scope.lock().unwrap_or_else(|e| e.into_inner()).clone();
                    let hook_path = join(path, &format!("{}.exit", task.name));
                    match self.arguments(&hook.arguments, &snapshot) {
                        Ok((p, a)) => {
                            self.template(&hook.template, &p, &a, &hook_path, &HashMap::new());
                        }
                        Err(e) => self.record(failed(&hook_path, e)),
                    }
                }
                done[i] = Some(outcome);
            }
        });
        let scope = scope.into_inner().unwrap_or_else(|e| e.into_inner());
        let failed_any = done.iter().flatten().any(|o| matches!(o.status, Status::Failed | Status::Omitted));
        let mut out = Outcome::of(if failed_any { Status::Failed } else { Status::Succeeded });
        for p in &t.outputs.parameters {
            let Some(from) = p.value_from.as_ref() else { continue };
            let value = from
                .parameter
                .as_deref()
                .and_then(|e| expr::substitute(e, &mut |x| scope.get(x).cloned()).ok())
                .or_else(|| from.default.clone());
            if let Some(v) = value {
                out.params.insert(p.name.to_string(), v);
            }
        }
        out
    }

    /// Runs one DAG task: its condition, its loop, its template.
    fn task(&self, task: &DagTask, scope: &HashMap<String, String>, path: &str) -> Outcome {
        let lookup = |x: &str| scope.get(x).cloned();
        if let Some(when) = &task.when {
            let holds = expr::eval_when(when, &mut |x| lookup(x));
            match holds {
                Ok(true) => {}
                Ok(false) => {
                    self.record(StepReport {
                        path: path.to_owned(),
                        status: Status::Skipped,
                        duration: Duration::ZERO,
                        outputs: BTreeMap::new(),
                        error: None,
                    });
                    return Outcome::of(Status::Skipped);
                }
                Err(e) => {
                    self.record(failed(path, format!("condition: {e}")));
                    return Outcome::of(Status::Failed);
                }
            }
        }
        let items: Option<Vec<serde_json::Value>> = if let Some(items) = &task.with_items {
            Some(items.clone())
        } else if let Some(p) = &task.with_param {
            let text = match expr::substitute(p, &mut |x| lookup(x)) {
                Ok(t) => t,
                Err(e) => {
                    self.record(failed(path, format!("loop items: {e}")));
                    return Outcome::of(Status::Failed);
                }
            };
            match serde_json::from_str::<Vec<serde_json::Value>>(&text) {
                Ok(v) => Some(v),
                Err(e) => {
                    self.record(failed(path, format!("loop items are not a JSON list: {e}: {text}")));
                    return Outcome::of(Status::Failed);
                }
            }
        } else {
            None
        };
        let Some(items) = items else {
            return match self.arguments(&task.arguments, scope) {
                Ok((p, a)) => self.template(&task.template, &p, &a, path, &HashMap::new()),
                Err(e) => {
                    self.record(failed(path, e));
                    Outcome::of(Status::Failed)
                }
            };
        };
        // One run per item, in parallel; outputs aggregate into JSON lists of strings, as in Argo.
        let results: Vec<Outcome> = std::thread::scope(|sc| {
            let handles: Vec<_> = items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let mut s = scope.clone();
                    bind_item(&mut s, item);
                    let child = format!("{path}({i})");
                    sc.spawn(move || match self.arguments(&task.arguments, &s) {
                        Ok((p, a)) => self.template(&task.template, &p, &a, &child, &HashMap::new()),
                        Err(e) => {
                            self.record(failed(&child, e));
                            Outcome::of(Status::Failed)
                        }
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Outcome::of(Status::Failed))).collect()
        });
        let failed_any = results.iter().any(|r| matches!(r.status, Status::Failed | Status::Omitted));
        let mut out = Outcome::of(if failed_any { Status::Failed } else { Status::Succeeded });
        let mut names: Vec<&String> = results.iter().flat_map(|r| r.params.keys()).collect();
        names.sort();
        names.dedup();
        for name in names {
            let list: Vec<&str> = results.iter().filter_map(|r| r.params.get(name).map(String::as_str)).collect();
            out.params.insert(name.clone(), serde_json::to_string(&list).unwrap_or_default());
        }
        out
    }

    /// A task's arguments, substituted.
    fn arguments(
        &self,
        args: &kfp_compiler::argo::Arguments,
        scope: &HashMap<String, String>,
    ) -> Result<(Params, Artifacts), String> {
        let mut params = HashMap::new();
        for p in &args.parameters {
            let v = expr::substitute(p.value.as_deref().unwrap_or_default(), &mut |x| scope.get(x).cloned())
                .map_err(|e| format!("argument `{}`: {e}", p.name))?;
            params.insert(p.name.to_string(), v);
        }
        let mut artifacts = HashMap::new();
        for a in &args.artifacts {
            let from = a.from.as_deref().unwrap_or_default();
            let v = expr::substitute(from, &mut |x| scope.get(x).cloned())
                .map_err(|e| format!("artifact `{}`: {e}", a.name))?;
            artifacts.insert(a.name.to_string(), PathBuf::from(v));
        }
        Ok((params, artifacts))
    }

    /// Runs a container template: a Rust function component as this binary's `component`
    /// subcommand, anything else in docker/podman or (with `--host`) on this machine.
    fn container(
        &self,
        t: &Template,
        params: &HashMap<String, String>,
        artifacts: &HashMap<String, PathBuf>,
        path: &str,
    ) -> Outcome {
        let Some(c) = &t.container else { return Outcome::of(Status::Failed) };
        // Directory names without the `(i)` of loop iterations, which shell commands would choke on.
        let rel: String = path
            .chars()
            .map(|c| match c {
                '(' => '-',
                ')' => ' ',
                c => c,
            })
            .filter(|c| *c != ' ')
            .collect();
        let dir = self.opts.workdir.join(if rel.is_empty() { "step".to_owned() } else { rel });
        let started = Instant::now();
        let result = self.run_container(t, c, params, artifacts, &dir, path);
        let duration = started.elapsed();
        match result {
            Ok(outcome) => {
                let outputs = outcome.params.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                self.record(StepReport {
                    path: path.to_owned(),
                    status: Status::Succeeded,
                    duration,
                    outputs,
                    error: None,
                });
                outcome
            }
            Err(e) => {
                self.record(StepReport {
                    path: path.to_owned(),
                    status: Status::Failed,
                    duration,
                    outputs: BTreeMap::new(),
                    error: Some(e),
                });
                Outcome::of(Status::Failed)
            }
        }
    }

    fn run_container(
        &self,
        t: &Template,
        c: &kfp_compiler::argo::Container,
        params: &HashMap<String, String>,
        artifacts: &HashMap<String, PathBuf>,
        dir: &Path,
        path: &str,
    ) -> Result<Outcome, String> {
        let mkdir = |d: &Path| std::fs::create_dir_all(d).map_err(|e| format!("cannot create `{}`: {e}", d.display()));
        mkdir(dir)?;
        let subst = |s: &str| {
            expr::substitute(s, &mut |x| {
                x.strip_prefix("inputs.parameters.")
                    .and_then(|n| params.get(n).cloned())
                    .or_else(|| self.workflow.get(x).cloned())
            })
        };
        let function =
            c.command.first() == Some(&self.binary) && c.command.get(1).map(String::as_str) == Some("component");
        let containerised = !function && !self.opts.host;
        // Paths inside the container -> paths here (not needed when docker mounts the directories).
        let mut paths: Vec<(String, PathBuf)> = Vec::new();
        for a in &t.inputs.artifacts {
            let (Some(declared), Some(real)) = (a.path.as_ref(), artifacts.get(&*a.name)) else {
                return Err(format!("input artifact `{}` has no value", a.name));
            };
            if containerised {
                let target = dir.join("inputs").join(&*a.name).join("data");
                mkdir(target.parent().unwrap_or(dir))?;
                copy_all(real, &target)?;
            } else {
                paths.push((declared.clone(), real.clone()));
            }
        }
        let mut outputs: Vec<(String, String, PathBuf, bool)> = Vec::new();
        for p in &t.outputs.parameters {
            if let Some(declared) = p.value_from.as_ref().and_then(|v| v.path.clone()) {
                let local = dir.join("outputs").join(&*p.name).join("data");
                outputs.push((p.name.to_string(), declared, local, false));
            }
        }
        for a in &t.outputs.artifacts {
            if let Some(declared) = &a.path {
                let local = dir.join("outputs").join(&*a.name).join("data");
                outputs.push((a.name.to_string(), declared.clone(), local, true));
            }
        }
        for (_, declared, local, _) in &outputs {
            mkdir(local.parent().unwrap_or(dir))?;
            if !containerised {
                paths.push((declared.clone(), local.clone()));
            }
        }
        let rewrite =
            |s: String| paths.iter().fold(s, |acc, (from, to)| acc.replace(from.as_str(), &to.display().to_string()));
        let mut argv: Vec<String> = Vec::with_capacity(c.command.len() + c.args.len());
        for s in c.command.iter().chain(&c.args) {
            argv.push(rewrite(subst(s)?));
        }
        let mut env: Vec<(String, String)> = Vec::new();
        for e in &c.env {
            // Values from secrets, config maps and pod fields exist only on a cluster.
            let Some(v) = &e.value else { continue };
            env.push((e.name.clone(), rewrite(subst(v)?)));
        }
        let mut cmd = if function {
            let mut cmd = Command::new(&self.exe);
            cmd.args(&argv[1..]);
            cmd
        } else if self.opts.host {
            let Some((program, rest)) = argv.split_first() else {
                return Err("the container has no command".to_owned());
            };
            let mut cmd = Command::new(program);
            cmd.args(rest);
            cmd
        } else {
            let Some(runtime) = &self.runtime else {
                return Err(format!(
                    "`{path}` runs image `{}`: install docker or podman, or pass `--host` to run its command on this machine",
                    c.image
                ));
            };
            let Some((program, rest)) = argv.split_first() else {
                return Err("the container has no command".to_owned());
            };
            let mut cmd = Command::new(runtime);
            cmd.args(["run", "--rm", "-v"]).arg(format!("{}:/tmp/inputs", dir.join("inputs").display()));
            cmd.arg("-v").arg(format!("{}:/tmp/outputs", dir.join("outputs").display()));
            for (k, v) in &env {
                cmd.arg("-e").arg(format!("{k}={v}"));
            }
            cmd.args(["--entrypoint", program]).arg(&c.image).args(rest);
            cmd
        };
        cmd.envs(env.iter().map(|(k, v)| (k, v)));
        let log = dir.join("log.txt");
        let file = std::fs::File::create(&log).map_err(|e| format!("cannot write `{}`: {e}", log.display()))?;
        let err = file.try_clone().map_err(|e| e.to_string())?;
        let permit = self.acquire();
        let status = cmd.stdin(Stdio::null()).stdout(file).stderr(err).status();
        drop(permit);
        let status = status.map_err(|e| format!("cannot start `{}`: {e}", argv.first().map_or("", String::as_str)))?;
        if !status.success() {
            let text = std::fs::read_to_string(&log).unwrap_or_default();
            let last = text.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim().to_owned();
            return Err(format!("exited with {status}: {last} (log: {})", log.display()));
        }
        let mut outcome = Outcome::of(Status::Succeeded);
        for (name, _, local, artifact) in outputs {
            if artifact {
                outcome.artifacts.insert(name, local);
            } else {
                let text = std::fs::read_to_string(&local)
                    .map_err(|e| format!("output `{name}` was not written ({}): {e}", local.display()))?;
                outcome.params.insert(name, text.trim_end().to_owned());
            }
        }
        Ok(outcome)
    }

    fn acquire(&self) -> Permit<'_> {
        let (lock, cv) = &self.slots;
        let mut free = lock.lock().unwrap_or_else(|e| e.into_inner());
        while *free == 0 {
            free = cv.wait(free).unwrap_or_else(|e| e.into_inner());
        }
        *free -= 1;
        Permit(&self.slots)
    }
}

/// A slot among `parallelism` running steps; freed when dropped.
struct Permit<'a>(&'a (Mutex<usize>, Condvar));

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let (lock, cv) = self.0;
        *lock.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        cv.notify_one();
    }
}

fn failed(path: &str, error: String) -> StepReport {
    StepReport {
        path: path.to_owned(),
        status: Status::Failed,
        duration: Duration::ZERO,
        outputs: BTreeMap::new(),
        error: Some(error),
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() { name.to_owned() } else { format!("{path}/{name}") }
}

/// Makes `{{item}}` and `{{item.field}}` resolve to a loop item (strings as they are, the rest as JSON).
fn bind_item(scope: &mut HashMap<String, String>, item: &serde_json::Value) {
    let text = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    scope.insert("item".to_owned(), text(item));
    if let serde_json::Value::Object(m) = item {
        for (k, v) in m {
            scope.insert(format!("item.{k}"), text(v));
        }
    }
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(program).is_file()))
}

/// Copies a file or a directory tree.
fn copy_all(from: &Path, to: &Path) -> Result<(), String> {
    let err = |e: std::io::Error| format!("cannot copy `{}` to `{}`: {e}", from.display(), to.display());
    if from.is_dir() {
        std::fs::create_dir_all(to).map_err(err)?;
        for entry in std::fs::read_dir(from).map_err(err)? {
            let entry = entry.map_err(err)?;
            copy_all(&entry.path(), &to.join(entry.file_name()))?;
        }
        Ok(())
    } else {
        std::fs::copy(from, to).map(|_| ()).map_err(err)
    }
}
