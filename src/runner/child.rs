//! A split pipeline's child workflows, run in-process: a resource step of the parent that creates a
//! Workflow from one of the bundle's WorkflowTemplates (`spec.workflowTemplateRef.name`) runs that
//! part's spec here, as Argo would run the child it creates and the step would wait for it. The
//! child's steps share the run's scheduler, slots, mutexes and artifact repository; their paths (and
//! directories) are under the resource step's (`part-1/...`). When the child ends, the step gets
//! the child's `status` (its phase and its entrypoint's outputs; artifacts as keys of the run's
//! artifact repository), judged by the template's `successCondition` / `failureCondition` and read
//! by its outputs' `jsonPath`s (see [`super::status`]).

use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Instant;

use kfp_compiler::argo::{ResourceTemplate, Template, Workflow};
use serde_json::{Value, json};

use super::engine::{Engine, Node, Stop, failed};
use super::progress::Event;
use super::{Outcome, Params, Status, StepReport, expr, repository, status};

/// A child workflow being run.
pub(super) struct ChildRun<'w> {
    /// The child's own engine: its templates and workflow variables.
    engine: Box<Engine<'w>>,
    part: &'w Workflow,
    /// The parent's resource template: its conditions and outputs.
    t: &'w Template,
    resource: &'w ResourceTemplate,
    path: String,
    /// The child workflow's name (the manifest's `name`, or its `generateName` without the `-`).
    name: String,
    stage: Stage<'w>,
    started: Option<Instant>,
}

enum Stage<'w> {
    Main(Node<'w>),
    /// The child's own exit handler, after its main outcome.
    Exit(Outcome, Node<'w>),
}

/// What a resource step's evaluated manifest asks for, when it is a child workflow of the bundle.
struct Request {
    name: String,
    template: String,
    arguments: Vec<(String, String)>,
}

/// Starts resource template `t` as a child workflow if it creates one from a part of the bundle;
/// `None` if it is another resource (the caller refuses it: it needs a cluster).
pub(super) fn start<'w>(
    e: &mut Engine<'w>,
    t: &'w Template,
    resource: &'w ResourceTemplate,
    params: &Params,
    path: &str,
) -> Option<Node<'w>> {
    if e.parts.is_empty() || resource.action != "create" {
        return None;
    }
    let fail = |e: &mut Engine<'w>, why: String| {
        e.record(failed(path, why));
        Some(Node::Done(Outcome::of(Status::Failed)))
    };
    let request = match request(e, resource, params) {
        Ok(Some(r)) => r,
        Ok(None) => return None,
        Err(why) => return fail(e, format!("resource `{}`: {why}", t.name)),
    };
    let Some(&part) = e.parts.get(request.template.as_str()) else {
        let mut known: Vec<&str> = e.parts.keys().copied().collect();
        known.sort_unstable();
        return fail(
            e,
            format!(
                "resource `{}` creates a Workflow from WorkflowTemplate `{}`, which is not in the bundle (its \
                 parts are {}): compile the parent and its parts together (`compile --split`) and run that bundle",
                t.name,
                request.template,
                known.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
            ),
        );
    };
    let mut child = match Engine::new(part, e.opts, &e.binary, std::rc::Rc::clone(&e.out)) {
        Ok(c) => c,
        Err(why) => return fail(e, why),
    };
    child.parts = e.parts.clone();
    child.start = e.start;
    child.slots = child.slots.min(e.slots);
    let mut values: Vec<(String, Option<String>)> =
        part.spec.arguments.parameters.iter().map(|p| (p.name.to_string(), p.value.clone())).collect();
    for (k, v) in request.arguments {
        match values.iter_mut().find(|(n, _)| *n == k) {
            Some(slot) => slot.1 = Some(v),
            None => values.push((k, Some(v))),
        }
    }
    let mut wf_params = HashMap::new();
    for (k, v) in values {
        let Some(v) = v else {
            return fail(
                e,
                format!(
                    "child workflow of `{}`: parameter `{k}` of WorkflowTemplate `{}` has no value: the manifest \
                     passes none and the template has no default",
                    t.name, request.template
                ),
            );
        };
        child.workflow.insert(format!("workflow.parameters.{k}"), v.clone());
        wf_params.insert(k, v);
    }
    for var in ["workflow.name", "workflow.uid"] {
        child.workflow.insert(var.to_owned(), request.name.clone());
    }
    let node = child.template(&part.spec.entrypoint, &wf_params, &HashMap::new(), path, &HashMap::new());
    Some(Node::Child(Box::new(ChildRun {
        engine: Box::new(child),
        part,
        t,
        resource,
        path: path.to_owned(),
        name: request.name,
        stage: Stage::Main(node),
        started: None,
    })))
}

/// The manifest of `resource` with its tags filled in, read as a child workflow of the bundle:
/// `None` if it is not a Workflow made from a WorkflowTemplate.
fn request(e: &Engine<'_>, resource: &ResourceTemplate, params: &Params) -> Result<Option<Request>, String> {
    let text = expr::substitute(&resource.manifest, &mut |x| {
        x.strip_prefix("inputs.parameters.").and_then(|n| params.get(n).cloned()).or_else(|| e.workflow.get(x).cloned())
    })
    .map_err(|why| format!("manifest: {why}"))?;
    let manifest: Value = match serde_json::from_str(&text) {
        Ok(v) => v,
        Err(_) if !text.contains("workflowTemplateRef") => return Ok(None),
        Err(why) => {
            return Err(format!(
                "its manifest is not JSON ({why}): the local runner runs child workflows whose manifest is JSON, \
                 as `compile --split` writes them"
            ));
        }
    };
    if manifest["kind"] != "Workflow" {
        return Ok(None);
    }
    let Some(template) = manifest["spec"]["workflowTemplateRef"]["name"].as_str() else {
        return Ok(None);
    };
    let meta = &manifest["metadata"];
    let name = match (meta["name"].as_str(), meta["generateName"].as_str()) {
        (Some(n), _) => n.to_owned(),
        (None, Some(g)) => g.trim_end_matches('-').to_owned(),
        (None, None) => return Err("the child workflow has neither `metadata.name` nor `generateName`".to_owned()),
    };
    if name.is_empty() || name.contains(['/', '\\']) || name == "." || name == ".." {
        return Err(format!("the child workflow's name `{name}` is not a Kubernetes name"));
    }
    let mut arguments = Vec::new();
    if let Some(list) = manifest["spec"]["arguments"]["parameters"].as_array() {
        for p in list {
            let Some(n) = p["name"].as_str() else {
                return Err("an argument of the child workflow has no `name`".to_owned());
            };
            let value = match &p["value"] {
                Value::String(s) => s.clone(),
                v @ (Value::Number(_) | Value::Bool(_)) => v.to_string(),
                other => {
                    return Err(format!(
                        "argument `{n}` of the child workflow is `{other}`, not a string: Argo's parameter values are \
                         strings"
                    ));
                }
            };
            arguments.push((n.to_owned(), value));
        }
    }
    Ok(Some(Request { name, template: template.to_owned(), arguments }))
}

impl<'w> ChildRun<'w> {
    pub(super) fn poll(&mut self, e: &mut Engine<'w>, may_start: bool) -> Option<Outcome> {
        let started = match self.started {
            Some(t) => t,
            None => {
                if let Some(o) = e.not_started(&self.path, may_start) {
                    return Some(o);
                }
                e.out.emit(&Event::StepStarted { step: &self.path, attempt: 1 });
                e.say(&format!("{} runs child workflow `{}`", self.path, self.name));
                *self.started.insert(Instant::now())
            }
        };
        // The child shares the parent's slots, mutexes and stop; it has its own deadline.
        let c = &mut self.engine;
        std::mem::swap(&mut e.held, &mut c.held);
        c.running = e.running;
        if e.stop.is_some() {
            c.stop = e.stop;
        } else if let Some(secs) = c.deadline
            && c.stop.is_none()
            && started.elapsed().as_secs() >= secs
        {
            c.say(&format!("{}: the child workflow's activeDeadlineSeconds ({secs}s) passed: stopping", self.path));
            c.stop = Some(Stop::Deadline(secs));
        }
        let before = c.events;
        // A child, once created, runs to its end whatever its parent's DAG does (failFast).
        let done = match &mut self.stage {
            Stage::Main(node) | Stage::Exit(_, node) => node.poll(c, true),
        };
        e.running = c.running;
        std::mem::swap(&mut e.held, &mut c.held);
        e.events += c.events - before;
        e.steps.append(&mut c.steps);
        let done = done?;
        let stage = std::mem::replace(&mut self.stage, Stage::Main(Node::Done(Outcome::of(Status::Omitted))));
        let (main, exit) = match stage {
            Stage::Main(_) => match (&self.part.spec.on_exit, self.engine.stop) {
                (Some(handler), None | Some(Stop::Deadline(_))) => {
                    let c = &mut self.engine;
                    c.stop = None;
                    c.deadline = None;
                    let word = if done.status == Status::Succeeded { "Succeeded" } else { "Failed" };
                    let vars: HashMap<String, String> = [("workflow.status".to_owned(), word.to_owned())].into();
                    let path = format!("{}/onExit", self.path);
                    let node = c.template(handler, &HashMap::new(), &HashMap::new(), &path, &vars);
                    self.stage = Stage::Exit(done, node);
                    e.events += 1;
                    return None;
                }
                _ => (done, None),
            },
            Stage::Exit(main, _) => (main, Some(done.status)),
        };
        Some(self.finish(e, main, exit, started))
    }

    /// The child ended: its status, judged by the step's conditions and read by its outputs.
    fn finish(&mut self, e: &mut Engine<'w>, main: Outcome, exit: Option<Status>, started: Instant) -> Outcome {
        let interrupted = main.status == Status::Interrupted || exit == Some(Status::Interrupted);
        let ok = main.status == Status::Succeeded && exit.is_none_or(|s| s == Status::Succeeded);
        let phase = if ok { "Succeeded" } else { "Failed" };
        let result = self.status(e, &main, phase).and_then(|object| {
            let dir = e.opts.workdir.join(super::container::step_dir(&self.path));
            write_json(&dir.join("status.json"), &object)?;
            status::judge(&object, self.resource, &self.name)?;
            status::outputs(&object, &self.t.outputs.parameters, &self.name)
        });
        let (status, error, params) = match result {
            _ if interrupted => {
                (Status::Interrupted, Some("stopped: the run was interrupted".to_owned()), Params::new())
            }
            Ok(params) => (Status::Succeeded, None, params),
            Err(why) => (Status::Failed, Some(why), Params::new()),
        };
        let mut report = StepReport::new(&self.path, status, error);
        report.duration = started.elapsed();
        report.attempts = 1;
        report.outputs = params.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
        e.record(report);
        Outcome { status, params, artifacts: HashMap::new() }
    }

    /// The child Workflow object as the cluster would show it once it ended: its name and its
    /// `status` (phase, and its entrypoint's outputs). Its output artifacts are stored in the run's
    /// artifact repository under `<child name>/<artifact>`, the key its status gives.
    fn status(&self, e: &Engine<'w>, main: &Outcome, phase: &str) -> Result<Value, String> {
        let mut names: Vec<&String> = main.params.keys().collect();
        names.sort();
        let parameters: Vec<Value> = names.iter().map(|n| json!({"name": n, "value": main.params[*n]})).collect();
        let mut names: Vec<&String> = main.artifacts.keys().collect();
        names.sort();
        let mut artifacts = Vec::new();
        for n in names {
            let key = format!("{}/{n}", self.name);
            let stored = repository::key_path(&e.opts.workdir, &key, &mut |_| None)
                .map_err(|why| format!("output artifact `{n}`: {why}"))?;
            store(&main.artifacts[n], &stored).map_err(|why| format!("output artifact `{n}`: {why}"))?;
            artifacts.push(json!({"name": n, "s3": {"key": key}}));
        }
        Ok(json!({
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Workflow",
            "metadata": {"name": self.name},
            "status": {"phase": phase, "outputs": {"parameters": parameters, "artifacts": artifacts}},
        }))
    }
}

/// Copies an artifact (file or directory) to its place in the artifact repository.
fn store(from: &std::path::Path, to: &std::path::Path) -> Result<(), String> {
    if !from.exists() {
        return Err(format!("`{}` was not written", from.display()));
    }
    let _ = std::fs::remove_dir_all(to).or_else(|_| std::fs::remove_file(to));
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
    }
    super::container::copy_all(from, to)
}

fn write_json(file: &PathBuf, value: &Value) -> Result<(), String> {
    if let Some(parent) = file.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
    }
    let text = serde_json::to_string_pretty(value).unwrap_or_default();
    std::fs::write(file, text).map_err(|e| format!("cannot write `{}`: {e}", file.display()))
}
