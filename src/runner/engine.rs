//! The engine: walks the workflow's templates, DAGs, conditions and loops, and runs steps with at
//! most `parallelism` at once.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::{Condvar, Mutex};
use std::time::{Duration, Instant};

use kfp_compiler::argo::{DagTask, Template, Workflow};

use super::container::on_path;
use super::{Artifacts, Outcome, Params, RunOptions, Status, StepReport, expr};

pub(super) struct Engine<'w> {
    pub(super) templates: HashMap<&'w str, &'w Template>,
    pub(super) opts: &'w RunOptions,
    pub(super) binary: String,
    pub(super) exe: PathBuf,
    pub(super) runtime: Option<String>,
    pub(super) workflow: HashMap<String, String>,
    pub(super) slots: (Mutex<usize>, Condvar),
    pub(super) steps: Mutex<Vec<StepReport>>,
    pub(super) start: Instant,
}

impl<'w> Engine<'w> {
    pub(super) fn new(wf: &'w Workflow, opts: &'w RunOptions, binary: &str) -> Result<Self, String> {
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

    pub(super) fn say(&self, line: &str) {
        eprintln!("[{:>7.2}s] {line}", self.start.elapsed().as_secs_f64());
    }

    pub(super) fn record(&self, step: StepReport) {
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

    pub(super) fn template(
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
            let holds = expr::substitute(when, &mut |x| lookup(x)).and_then(|w| expr::eval_when(&w));
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
    pub(super) fn arguments(
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

    pub(super) fn acquire(&self) -> Permit<'_> {
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
pub(super) struct Permit<'a>(&'a (Mutex<usize>, Condvar));

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        let (lock, cv) = self.0;
        *lock.lock().unwrap_or_else(|e| e.into_inner()) += 1;
        cv.notify_one();
    }
}

pub(super) fn failed(path: &str, error: String) -> StepReport {
    StepReport {
        path: path.to_owned(),
        status: Status::Failed,
        duration: Duration::ZERO,
        outputs: BTreeMap::new(),
        error: Some(error),
    }
}

pub(super) fn join(path: &str, name: &str) -> String {
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
