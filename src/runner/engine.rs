//! The engine: one scheduler thread that walks the workflow's templates as state machines (a DAG, a
//! loop, a step) and polls them until the root is done. Only container steps use a resource: a child
//! process, at most `parallelism` at once. No thread is spawned per task or per loop item, so a
//! 10,000-item loop needs no more threads than a single step, and nesting cannot deadlock.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use kfp_compiler::argo::{Template, Workflow};

use super::container::{Step, on_path};
use super::progress::{Emitter, Event};
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
    /// A split pipeline's parts, by WorkflowTemplate name: a resource step creating a Workflow from
    /// one of them runs it here (see [`super::child`]).
    pub(super) parts: HashMap<&'w str, &'w Workflow>,
    /// Where the run's events go (shared with child workflows' engines).
    pub(super) out: std::rc::Rc<Emitter<'w>>,
}

/// A template being run: polled until it has an outcome.
pub(super) enum Node<'w> {
    Done(Outcome),
    Step(Box<Step<'w>>),
    Dag(Box<super::dag::DagRun<'w>>),
    Loop(Box<super::loops::LoopRun<'w>>),
    /// A pause (a suspend with a duration).
    Pause(Box<super::suspend::Pause>),
    /// A child workflow of a split pipeline.
    Child(Box<super::child::ChildRun<'w>>),
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
            Node::Child(c) => c.poll(e, may_start),
        }
    }
}

impl<'w> Engine<'w> {
    pub(super) fn new(
        wf: &'w Workflow,
        opts: &'w RunOptions,
        binary: &str,
        out: std::rc::Rc<Emitter<'w>>,
    ) -> Result<Self, String> {
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
            parts: HashMap::new(),
            out,
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
            self.out.tick();
            if self.events == before {
                std::thread::sleep(Duration::from_millis(2));
            }
        }
    }

    /// Says something that is not a step's end.
    pub(super) fn say(&self, line: &str) {
        self.out.emit(&Event::Note(line));
    }

    /// A step ended: shown now, reported at the end.
    pub(super) fn record(&mut self, step: StepReport) {
        self.out.emit(&Event::StepFinished(&step));
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
            let artifacts = match self.keyed_inputs(t, artifacts) {
                Ok(a) => a,
                Err(why) => {
                    self.record(failed(path, why));
                    return Node::Done(Outcome::of(Status::Failed));
                }
            };
            return Node::Step(Box::new(Step::new(self, t, params.clone(), artifacts, path)));
        }
        if let Some(r) = &t.resource {
            if let Some(node) = super::child::start(self, t, r, params, path) {
                return node;
            }
            let why = format!(
                "a resource step (`kubectl {}`) needs a Kubernetes cluster; the local runner has none",
                r.action
            );
            self.record(failed(path, why));
            return Node::Done(Outcome::of(Status::Failed));
        }
        let Some(dag) = &t.dag else { return Node::Done(Outcome::of(Status::Failed)) };
        super::dag::start(self, t, dag, params, artifacts, path, extra)
    }

    /// `artifacts` and the template's key-only input artifacts (`s3: {key: ...}`, how a split
    /// pipeline's part reads an artifact another part made) that no argument gives: the key's path
    /// in the run's artifact repository.
    fn keyed_inputs(&self, t: &Template, artifacts: &Artifacts) -> Result<Artifacts, String> {
        let mut all = artifacts.clone();
        for a in &t.inputs.artifacts {
            let Some(s3) = a.s3.as_ref().filter(|s3| !s3.is_external()) else { continue };
            if all.contains_key(&*a.name) {
                continue;
            }
            let path = super::repository::key_path(&self.opts.workdir, &s3.key, &mut |x| self.workflow.get(x).cloned())
                .map_err(|e| format!("input artifact `{}`: {e}", a.name))?;
            if !path.exists() {
                let root = super::repository::root(&self.opts.workdir);
                let key = path.strip_prefix(&root).unwrap_or(&path);
                return Err(format!(
                    "input artifact `{}`: nothing was stored under key `{}` in the run's artifact repository (`{}`): \
                     the step that makes it has not run, or did not output it",
                    a.name,
                    key.display(),
                    root.display()
                ));
            }
            all.insert(a.name.to_string(), path);
        }
        Ok(all)
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
                if !dir.exists() {
                    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
                }
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

pub(super) fn failed(path: &str, error: String) -> StepReport {
    StepReport::new(path, Status::Failed, Some(error))
}

pub(super) fn join(path: &str, name: &str) -> String {
    if path.is_empty() { name.to_owned() } else { format!("{path}/{name}") }
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
            exit_code: None,
            log: None,
        }
    }
}
