//! A DAG template being run: its tasks start when their dependencies (or `depends` expressions) allow,
//! with Argo's failFast, exit hooks and its rule for the DAG's phase.

use std::collections::HashMap;
use std::path::PathBuf;

use kfp_compiler::argo::{DagTask, DagTemplate, Template};

use super::depends::Depends;
use super::engine::{Engine, Node, failed, join};
use super::{Artifacts, Outcome, Params, Status, StepReport, expr};

/// Starts running DAG template `t` (whose body is `dag`) at `path`.
pub(super) fn start<'w>(
    e: &mut Engine<'w>,
    t: &'w Template,
    dag: &'w DagTemplate,
    params: &Params,
    artifacts: &Artifacts,
    path: &str,
    extra: &HashMap<String, String>,
) -> Node<'w> {
    let mut scope: HashMap<String, String> = e.workflow.clone();
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
                e.record(failed(path, format!("task `{}`: {why}", task.name)));
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
    pub(super) fn poll(&mut self, e: &mut Engine<'w>, may_start: bool) -> Option<Outcome> {
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

/// The status of a DAG or loop from its parts'.
pub(super) fn overall(parts: &[Status]) -> Status {
    if parts.contains(&Status::Interrupted) {
        Status::Interrupted
    } else if parts.iter().any(|s| s.is_failure()) {
        Status::Failed
    } else {
        Status::Succeeded
    }
}
