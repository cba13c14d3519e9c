//! The engine: one scheduler thread that walks the workflow's templates as state machines (a DAG, a
//! loop, a step) and polls them until the root is done. Only container steps use a resource: a child
//! process, at most `parallelism` at once. No thread is spawned per task or per loop item, so a
//! 10,000-item loop needs no more threads than a single step, and nesting cannot deadlock.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use kfp_compiler::argo::{DagTask, Template, Workflow};

use super::container::{Step, on_path};
use super::depends::Depends;
use super::{Artifacts, Outcome, Params, RunOptions, Status, StepReport, expr, signals};

/// Why the run stops starting steps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Stop {
    /// SIGINT or SIGTERM reached this process: forward it, start nothing more.
    Signal(i32),
    /// The workflow's `activeDeadlineSeconds` passed: stop the steps, start nothing more.
    Deadline(u64),
}

pub(super) struct Engine<'w> {
    pub(super) templates: HashMap<&'w str, &'w Template>,
    pub(super) opts: &'w RunOptions,
    pub(super) binary: String,
    pub(super) exe: PathBuf,
    pub(super) runtime: Option<String>,
    pub(super) workflow: HashMap<String, String>,
    pub(super) steps: Vec<StepReport>,
    pub(super) start: Instant,
    /// Child processes running now (at most `slots`).
    pub(super) running: usize,
    /// At most this many steps at once: `--parallelism`, or the workflow's `parallelism` if lower.
    pub(super) slots: usize,
    pub(super) stop: Option<Stop>,
    /// The workflow's `activeDeadlineSeconds`, while it applies.
    pub(super) deadline: Option<u64>,
    /// Counts steps started and ended: the scheduler sleeps only when a pass changed nothing.
    pub(super) events: u64,
    /// The mutexes running steps hold.
    pub(super) held: super::locks::Held,
    /// Templates whose pod settings the runner does not apply, already named once.
    pub(super) noted: std::collections::HashSet<&'w str>,
}

/// A template being run: polled until it has an outcome.
pub(super) enum Node<'w> {
    Done(Outcome),
    Step(Box<Step<'w>>),
    Dag(Box<DagRun<'w>>),
    Loop(Box<LoopRun<'w>>),
    /// A pause (a suspend with a duration).
    Pause(Box<super::suspend::Pause>),
}

impl<'w> Node<'w> {
    /// Advances this node; `may_start` is false once its DAG fails fast: what has not started yet
    /// does not start.
    pub(super) fn poll(&mut self, e: &mut Engine<'w>, may_start: bool) -> Option<Outcome> {
        match self {
            Node::Done(o) => Some(o.clone()),
            Node::Step(s) => s.poll(e, may_start),
            Node::Dag(d) => d.poll(e, may_start),
            Node::Loop(l) => l.poll(e, may_start),
            Node::Pause(w) => w.poll(e),
        }
    }
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
        // A run started by hand: its schedule time is its creation time, as KFP gives it.
        let created = super::clock::rfc3339(std::time::SystemTime::now());
        workflow.insert("workflow.creationTimestamp".to_owned(), created.clone());
        workflow.insert("workflow.scheduledTime".to_owned(), created);
        Ok(Engine {
            templates: wf.spec.templates.iter().map(|t| (t.name.as_str(), t)).collect(),
            opts,
            binary: binary.to_owned(),
            exe: std::env::current_exe().map_err(|e| format!("cannot find this program: {e}"))?,
            runtime: ["docker", "podman"].into_iter().find(|r| on_path(r)).map(str::to_owned),
            workflow,
            steps: Vec::new(),
            start: Instant::now(),
            running: 0,
            slots: opts.parallelism.max(1).min(wf.spec.parallelism.map_or(usize::MAX, |n| n.max(1) as usize)),
            stop: None,
            deadline: wf.spec.active_deadline_seconds,
            events: 0,
            held: super::locks::Held::default(),
            noted: Default::default(),
        })
    }

    /// Polls `node` until it is done, watching for signals and the workflow's deadline.
    pub(super) fn drive(&mut self, mut node: Node<'w>) -> Outcome {
        loop {
            if let Some(sig) = signals::take()
                && !matches!(self.stop, Some(Stop::Signal(_)))
            {
                self.say(&format!("{}: stopping the running steps", signals::name(sig)));
                self.stop = Some(Stop::Signal(sig));
            }
            if let Some(secs) = self.deadline
                && self.stop.is_none()
                && self.start.elapsed() >= Duration::from_secs(secs)
            {
                self.say(&format!("the workflow's activeDeadlineSeconds ({secs}s) passed: stopping"));
                self.stop = Some(Stop::Deadline(secs));
            }
            let before = self.events;
            if let Some(outcome) = node.poll(self, true) {
                return outcome;
            }
            if self.events == before {
                std::thread::sleep(Duration::from_millis(2));
            }
        }
    }

    pub(super) fn say(&self, line: &str) {
        eprintln!("[{:>7.2}s] {line}", self.start.elapsed().as_secs_f64());
    }

    pub(super) fn record(&mut self, step: StepReport) {
        let mark = match step.status {
            Status::Succeeded => "✔",
            Status::Failed => "✘",
            Status::Skipped => "-",
            Status::Omitted => "·",
            Status::Interrupted => "!",
        };
        let mut line = format!("{mark} {} {}", step.path, step.status.word().to_lowercase());
        if step.status == Status::Succeeded || step.status == Status::Failed {
            line.push_str(&format!(" ({:.2}s)", step.duration.as_secs_f64()));
        }
        if let Some(e) = &step.error {
            line.push_str(&format!(": {}", e.lines().next().unwrap_or_default()));
        }
        self.say(&line);
        self.steps.push(step);
        self.events += 1;
    }

    /// Records that a step at `path` did not start, and why: the run was interrupted, the
    /// workflow's deadline passed, or its DAG failed fast. `None` while it may still start.
    pub(super) fn not_started(&mut self, path: &str, may_start: bool) -> Option<Outcome> {
        let (status, why) = match self.stop {
            Some(Stop::Signal(sig)) => (Status::Interrupted, format!("not started: {}", signals::name(sig))),
            Some(Stop::Deadline(secs)) => {
                (Status::Omitted, format!("not started: the workflow's activeDeadlineSeconds ({secs}s) passed"))
            }
            None if !may_start => (Status::Omitted, "not started: a task of its DAG failed (failFast)".to_owned()),
            None => return None,
        };
        self.record(StepReport::new(path, status, Some(why)));
        Some(Outcome::of(status))
    }

    /// Starts running template `name`.
    pub(super) fn template(
        &mut self,
        name: &str,
        params: &Params,
        artifacts: &Artifacts,
        path: &str,
        extra: &HashMap<String, String>,
    ) -> Node<'w> {
        let Some(&t) = self.templates.get(name) else {
            self.record(failed(path, format!("no template `{name}`")));
            return Node::Done(Outcome::of(Status::Failed));
        };
        if let Some(s) = &t.suspend {
            return super::suspend::start(self, s, path);
        }
        if t.container.is_some() {
            return Node::Step(Box::new(Step::new(self, t, params.clone(), artifacts.clone(), path)));
        }
        if let Some(r) = &t.resource {
            let why = format!(
                "a resource step (`kubectl {}`) needs a Kubernetes cluster; the local runner has none",
                r.action
            );
            self.record(failed(path, why));
            return Node::Done(Outcome::of(Status::Failed));
        }
        let Some(dag) = &t.dag else { return Node::Done(Outcome::of(Status::Failed)) };
        let mut scope: HashMap<String, String> = self.workflow.clone();
        scope.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
        for (k, v) in params {
            scope.insert(format!("inputs.parameters.{k}"), v.clone());
        }
        for (k, v) in artifacts {
            scope.insert(format!("inputs.artifacts.{k}"), v.display().to_string());
        }
        let index: HashMap<&str, usize> = dag.tasks.iter().enumerate().map(|(i, t)| (&*t.name, i)).collect();
        let mut depends = Vec::with_capacity(dag.tasks.len());
        for task in &dag.tasks {
            match task.depends.as_deref().map(Depends::parse).transpose() {
                Ok(d) => depends.push(d),
                Err(why) => {
                    self.record(failed(path, format!("task `{}`: {why}", task.name)));
                    return Node::Done(Outcome::of(Status::Failed));
                }
            }
        }
        let deps: Vec<Vec<usize>> = dag
            .tasks
            .iter()
            .zip(&depends)
            .map(|(task, d)| {
                let mut names: Vec<String> = task.dependencies.iter().map(|n| n.to_string()).collect();
                if let Some(d) = d {
                    d.names(&mut names);
                }
                let mut on: Vec<usize> = names.iter().filter_map(|d| index.get(d.as_str()).copied()).collect();
                on.sort_unstable();
                on.dedup();
                on
            })
            .collect();
        // A task some failure handler (`after_finished` / `after_failed`) waits for: its failure does
        // not stop the DAG from starting tasks, as the handler must still run.
        let mut handled = vec![false; dag.tasks.len()];
        for (d, on) in depends.iter().zip(&deps) {
            if d.as_ref().is_some_and(Depends::handles_failure) {
                for &j in on {
                    handled[j] = true;
                }
            }
        }
        Node::Dag(Box::new(DagRun {
            t,
            tasks: &dag.tasks,
            deps,
            depends,
            handled,
            path: path.to_owned(),
            scope,
            state: dag.tasks.iter().map(|_| TaskState::Waiting).collect(),
            failed: false,
            started: false,
        }))
    }

    /// Starts one DAG task: its condition, its loop, its template.
    /// `limit` is the DAG template's `parallelism`: at most that many loop items run at once.
    fn task(&mut self, task: &'w DagTask, scope: &HashMap<String, String>, path: &str, limit: Option<u32>) -> Node<'w> {
        let lookup = |x: &str| scope.get(x).cloned();
        if let Some(when) = &task.when {
            let holds = expr::eval_when(when, &mut |x| lookup(x));
            match holds {
                Ok(true) => {}
                Ok(false) => {
                    self.record(StepReport::new(path, Status::Skipped, None));
                    return Node::Done(Outcome::of(Status::Skipped));
                }
                Err(e) => {
                    self.record(failed(path, format!("condition: {e}")));
                    return Node::Done(Outcome::of(Status::Failed));
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
                    return Node::Done(Outcome::of(Status::Failed));
                }
            };
            match serde_json::from_str::<Vec<serde_json::Value>>(&text) {
                Ok(v) => Some(v),
                Err(e) => {
                    self.record(failed(path, format!("loop items are not a JSON list: {e}: {text}")));
                    return Node::Done(Outcome::of(Status::Failed));
                }
            }
        } else if let Some(seq) = &task.with_sequence {
            match sequence(seq, &lookup) {
                Ok(items) => Some(items),
                Err(e) => {
                    self.record(failed(path, format!("loop range: {e}")));
                    return Node::Done(Outcome::of(Status::Failed));
                }
            }
        } else {
            None
        };
        let Some(items) = items else {
            return match self.arguments(&task.arguments, &|x| scope.get(x).cloned()) {
                Ok((p, a)) => self.template(&task.template, &p, &a, path, &HashMap::new()),
                Err(e) => {
                    self.record(failed(path, e));
                    Node::Done(Outcome::of(Status::Failed))
                }
            };
        };
        // One node per item; they start as slots free up. Outputs aggregate into JSON lists of
        // strings, as in Argo.
        let mut nodes = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            // The item's names over the DAG's scope (not a copy of it: it can hold a large list).
            let mut bound = HashMap::new();
            bind_item(&mut bound, item);
            let lookup = |x: &str| bound.get(x).or_else(|| scope.get(x)).cloned();
            let child = format!("{path}({i})");
            nodes.push(Some(match self.arguments(&task.arguments, &lookup) {
                Ok((p, a)) => self.template(&task.template, &p, &a, &child, &HashMap::new()),
                Err(e) => {
                    self.record(failed(&child, e));
                    Node::Done(Outcome::of(Status::Failed))
                }
            }));
        }
        Node::Loop(Box::new(LoopRun {
            results: vec![None; nodes.len()],
            entered: vec![false; nodes.len()],
            nodes,
            first_open: 0,
            active: 0,
            limit: limit.map_or(usize::MAX, |n| n.max(1) as usize),
        }))
    }

    /// A task's arguments, substituted.
    pub(super) fn arguments(
        &self,
        args: &kfp_compiler::argo::Arguments,
        scope: &dyn Fn(&str) -> Option<String>,
    ) -> Result<(Params, Artifacts), String> {
        let mut params = HashMap::new();
        for p in &args.parameters {
            let v = expr::substitute_task_argument(p.value.as_deref().unwrap_or_default(), &mut |x| scope(x))
                .map_err(|e| format!("argument `{}`: {e}", p.name))?;
            params.insert(p.name.to_string(), v);
        }
        let mut artifacts = HashMap::new();
        for a in &args.artifacts {
            if let Some(file) = super::import::external(&self.opts.workdir, a, scope) {
                artifacts.insert(a.name.to_string(), file?);
                continue;
            }
            // A key-only artifact: what was written under the key, as a directory (empty when nothing
            // was, as for a loop over no items).
            if let Some(s3) = &a.s3 {
                let dir = super::repository::key_path(&self.opts.workdir, &s3.key, &mut |x| scope(x))
                    .map_err(|e| format!("artifact `{}`: {e}", a.name))?;
                std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
                artifacts.insert(a.name.to_string(), dir);
                continue;
            }
            let from = a.from.as_deref().unwrap_or_default();
            let v = expr::substitute(from, &mut |x| scope(x)).map_err(|e| format!("artifact `{}`: {e}", a.name))?;
            artifacts.insert(a.name.to_string(), PathBuf::from(v));
        }
        Ok((params, artifacts))
    }
}

/// Where a DAG task is.
enum TaskState<'w> {
    Waiting,
    Running(Node<'w>),
    /// Done; its exit hook runs.
    Hook(Outcome, Node<'w>),
    Done(Outcome),
}

pub(super) struct DagRun<'w> {
    t: &'w Template,
    tasks: &'w [DagTask],
    deps: Vec<Vec<usize>>,
    /// Per task: its `depends` expression, if the DAG writes its edges that way.
    depends: Vec<Option<Depends>>,
    /// Per task: a failure handler waits for it.
    handled: Vec<bool>,
    path: String,
    scope: HashMap<String, String>,
    state: Vec<TaskState<'w>>,
    /// A task failed: with failFast (Argo's default), no new task starts.
    failed: bool,
    /// A task has started: the DAG runs to its end even if its parent fails fast.
    started: bool,
}

impl<'w> DagRun<'w> {
    fn poll(&mut self, e: &mut Engine<'w>, may_start: bool) -> Option<Outcome> {
        loop {
            let fail_fast = self.failed && !e.opts.keep_going;
            let may_start_here = !fail_fast && (may_start || self.started);
            let mut progressed = false;
            for i in 0..self.tasks.len() {
                progressed |= match self.state[i] {
                    TaskState::Done(_) => false,
                    TaskState::Waiting => self.start_task(e, i, may_start_here),
                    TaskState::Running(_) | TaskState::Hook(..) => self.poll_task(e, i, may_start_here),
                };
            }
            if !progressed {
                break;
            }
        }
        let mut statuses = Vec::with_capacity(self.state.len());
        for s in &self.state {
            let TaskState::Done(o) = s else { return None };
            statuses.push(o.status);
        }
        let status =
            if self.depends.iter().any(Option::is_some) { self.phase_by_leaves(&statuses) } else { overall(&statuses) };
        let mut out = Outcome::of(status);
        for p in &self.t.outputs.parameters {
            let Some(from) = p.value_from.as_ref() else { continue };
            let value = from
                .parameter
                .as_deref()
                .and_then(|x| expr::substitute(x, &mut |k| self.scope.get(k).cloned()).ok())
                .or_else(|| from.default.clone());
            if let Some(v) = value {
                out.params.insert(p.name.to_string(), v);
            }
        }
        // An artifact a graph or the pipeline returns: the file of the task that made it.
        for a in &self.t.outputs.artifacts {
            let Some(from) = a.from.as_deref() else { continue };
            if let Ok(path) = expr::substitute(from, &mut |k| self.scope.get(k).cloned()) {
                out.artifacts.insert(a.name.to_string(), PathBuf::from(path));
            }
        }
        Some(out)
    }

    /// Starts task `i` if its dependencies are done; whether anything changed.
    fn start_task(&mut self, e: &mut Engine<'w>, i: usize, may_start: bool) -> bool {
        let mut dep_status = Vec::with_capacity(self.deps[i].len());
        for &d in &self.deps[i] {
            let TaskState::Done(o) = &self.state[d] else { return false };
            dep_status.push(o.status);
        }
        let task = &self.tasks[i];
        let child = join(&self.path, &task.name);
        let holds = match &self.depends[i] {
            Some(d) => {
                let by_name = |n: &str| {
                    self.deps[i]
                        .iter()
                        .zip(&dep_status)
                        .find(|(j, _)| *self.tasks[**j].name == *n)
                        .map_or(Status::Omitted, |(_, s)| *s)
                };
                d.eval(&by_name)
            }
            None => !dep_status.iter().any(|s| s.is_failure()),
        };
        if e.stop.is_none() && !holds {
            e.record(StepReport::new(&child, Status::Omitted, None));
            self.state[i] = TaskState::Done(Outcome::of(Status::Omitted));
            return true;
        }
        if let Some(o) = e.not_started(&child, may_start) {
            self.state[i] = TaskState::Done(o);
            return true;
        }
        self.started = true;
        self.state[i] = TaskState::Running(e.task(task, &self.scope, &child, self.t.parallelism));
        // Poll it at once: a skipped or instant task frees its dependants now.
        self.poll_task(e, i, may_start);
        true
    }

    /// Polls running task `i` or its exit hook; whether it changed state.
    fn poll_task(&mut self, e: &mut Engine<'w>, i: usize, may_start: bool) -> bool {
        match &mut self.state[i] {
            TaskState::Running(node) => match node.poll(e, may_start) {
                Some(o) => {
                    self.finish(e, i, o);
                    true
                }
                None => false,
            },
            TaskState::Hook(o, node) => {
                if node.poll(e, true).is_none() {
                    return false;
                }
                let o = std::mem::replace(o, Outcome::of(Status::Omitted));
                self.state[i] = TaskState::Done(o);
                true
            }
            TaskState::Waiting | TaskState::Done(_) => false,
        }
    }

    /// Task `i` ended: its outputs join the scope, its exit hook starts.
    fn finish(&mut self, e: &mut Engine<'w>, i: usize, outcome: Outcome) {
        let task = &self.tasks[i];
        self.failed |= outcome.status.is_failure() && !self.handled[i];
        self.scope.insert(format!("tasks.{}.status", task.name), outcome.status.word().to_owned());
        for (k, v) in &outcome.params {
            self.scope.insert(format!("tasks.{}.outputs.parameters.{k}", task.name), v.clone());
        }
        for (k, v) in &outcome.artifacts {
            self.scope.insert(format!("tasks.{}.outputs.artifacts.{k}", task.name), v.display().to_string());
        }
        if let Some(hook) = task.hooks.get("exit") {
            let hook_path = join(&self.path, &format!("{}.exit", task.name));
            let node = match e.arguments(&hook.arguments, &|x| self.scope.get(x).cloned()) {
                Ok((p, a)) => e.template(&hook.template, &p, &a, &hook_path, &HashMap::new()),
                Err(err) => {
                    e.record(failed(&hook_path, err));
                    Node::Done(Outcome::of(Status::Failed))
                }
            };
            self.state[i] = TaskState::Hook(outcome, node);
        } else {
            self.state[i] = TaskState::Done(outcome);
        }
    }
}

pub(super) struct LoopRun<'w> {
    nodes: Vec<Option<Node<'w>>>,
    results: Vec<Option<Outcome>>,
    /// Whether an item has been polled: it may have started.
    entered: Vec<bool>,
    /// Items before this one are all done.
    first_open: usize,
    /// Items entered and not done.
    active: usize,
    /// At most this many items active at once (the enclosing DAG template's `parallelism`).
    limit: usize,
}

impl<'w> LoopRun<'w> {
    fn poll(&mut self, e: &mut Engine<'w>, may_start: bool) -> Option<Outcome> {
        for i in self.first_open..self.nodes.len() {
            let Some(node) = &mut self.nodes[i] else { continue };
            if !self.entered[i] {
                // Items start in order; none after this one may start either. (Items that will
                // not start at all still go through, to be recorded.)
                let starting = may_start && e.stop.is_none();
                if starting && self.active >= self.limit {
                    break;
                }
                if let Node::Step(step) = node
                    && step.waits_for_slot(e, may_start)
                {
                    break;
                }
                self.entered[i] = true;
                self.active += 1;
            }
            if let Some(o) = node.poll(e, may_start) {
                self.results[i] = Some(o);
                self.nodes[i] = None;
                self.active -= 1;
            }
        }
        while self.first_open < self.results.len() && self.results[self.first_open].is_some() {
            self.first_open += 1;
        }
        if self.first_open < self.results.len() {
            return None;
        }
        let results: Vec<Outcome> =
            self.results.iter_mut().map(|r| r.take().unwrap_or(Outcome::of(Status::Failed))).collect();
        let statuses: Vec<Status> = results.iter().map(|r| r.status).collect();
        let mut out = Outcome::of(overall(&statuses));
        let mut names: Vec<&String> = results.iter().flat_map(|r| r.params.keys()).collect();
        names.sort();
        names.dedup();
        for name in names {
            let list: Vec<&str> = results.iter().filter_map(|r| r.params.get(name).map(String::as_str)).collect();
            out.params.insert(name.clone(), serde_json::to_string(&list).unwrap_or_default());
        }
        Some(out)
    }
}

impl DagRun<'_> {
    /// The status of a DAG that writes its edges with `depends`, by Argo's rule (`assessDAGPhase`):
    /// the DAG fails when one of its leaves (tasks no other task waits for) failed, or did not run
    /// (skipped, omitted) on a branch where something failed. A failure whose handler is the leaf of
    /// its branch and succeeded is handled: the DAG succeeds.
    fn phase_by_leaves(&self, statuses: &[Status]) -> Status {
        if statuses.contains(&Status::Interrupted) {
            return Status::Interrupted;
        }
        let n = statuses.len();
        let mut is_leaf = vec![true; n];
        for on in &self.deps {
            for &j in on {
                is_leaf[j] = false;
            }
        }
        // Tasks are in topological order (the compiler writes them so), so upstream phases are known.
        let mut branch: Vec<Status> = Vec::with_capacity(n);
        for (i, s) in statuses.iter().enumerate() {
            let upstream_failed = self.deps[i].iter().any(|&j| branch.get(j) == Some(&Status::Failed));
            branch.push(match s {
                Status::Succeeded | Status::Failed => *s,
                // Skipped or omitted: the phase of its branch; omitted with its DAG failing fast (an
                // unhandled failure elsewhere): failed.
                _ if upstream_failed || (*s == Status::Omitted && self.failed) => Status::Failed,
                _ => Status::Succeeded,
            });
        }
        if (0..n).any(|i| is_leaf[i] && branch[i] == Status::Failed) { Status::Failed } else { Status::Succeeded }
    }
}

/// The items of a `withSequence`, as Argo makes them: `count` integers from `start`, as strings.
fn sequence(
    seq: &kfp_compiler::argo::Sequence,
    lookup: &dyn Fn(&str) -> Option<String>,
) -> Result<Vec<serde_json::Value>, String> {
    /// More iterations than any run on one machine could hold.
    const MOST: i64 = 10_000_000;
    let int = |field: &str, text: &str| -> Result<i64, String> {
        let text = expr::substitute(text, &mut |x| lookup(x)).map_err(|e| e.to_string())?;
        text.trim().parse::<i64>().map_err(|_| format!("{field} `{text}` is not an integer"))
    };
    let (start, count) = (int("start", &seq.start)?, int("count", &seq.count)?);
    if !(0..=MOST).contains(&count) {
        return Err(format!("count {count} is not between 0 and {MOST}"));
    }
    let end = start.checked_add(count).ok_or_else(|| format!("{start} + {count} overflows"))?;
    Ok((start..end).map(|i| serde_json::Value::String(i.to_string())).collect())
}

/// The status of a DAG or loop from its parts'.
fn overall(parts: &[Status]) -> Status {
    if parts.contains(&Status::Interrupted) {
        Status::Interrupted
    } else if parts.iter().any(|s| s.is_failure()) {
        Status::Failed
    } else {
        Status::Succeeded
    }
}

pub(super) fn failed(path: &str, error: String) -> StepReport {
    StepReport::new(path, Status::Failed, Some(error))
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

impl StepReport {
    pub(super) fn new(path: &str, status: Status, error: Option<String>) -> Self {
        StepReport {
            path: path.to_owned(),
            status,
            duration: Duration::ZERO,
            outputs: BTreeMap::new(),
            error,
            attempts: 0,
        }
    }
}
