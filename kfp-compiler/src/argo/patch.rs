//! Merge patches on the workflow (`argo_patch`), on a task's template (`argo_template_patch`) and on
//! a task's DAG entry (`argo_task_patch`): where each applies, applying them last on the JSON of the
//! emitted document, and checking what Argo's validation checks of the structure kfp-rs wrote (kinds,
//! names, the references between templates and tasks), so a patch that breaks it is an error naming
//! the call rather than a workflow Argo refuses. A workflow without patches is emitted as before, with
//! no extra work.

use std::collections::BTreeSet;

use kfp_dsl::model::{Patch, PatchTarget};
use serde_json::Value;

use crate::argo::{Template, Workflow};
use crate::error::CompileError;
use crate::passes::naming::Names;

/// A patch and where in the workflow it applies.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ArgoPatch {
    /// The patch.
    pub patch: Patch,
    /// The template it patches (`argo_template_patch`), or whose DAG holds the task.
    pub template: Option<String>,
    /// The task it patches (`argo_task_patch`).
    pub task: Option<String>,
}

/// The Argo patches of the pipeline, each at its place: the tasks' in template order, then the
/// workflow's in call order.
///
/// # Errors
/// A patch on a task that has no template (an importer, a value passed as a file).
pub(crate) fn collect(
    p: &kfp_dsl::Pipeline,
    names: &Names,
    templates: &[Template],
) -> Result<Vec<ArgoPatch>, CompileError> {
    let mut out = Vec::new();
    for (i, var) in names.variants.iter().enumerate() {
        let Some(settings) = &var.settings else { continue };
        let template = names.templates[i].to_string();
        for patch in settings.patches.iter().filter(|x| x.target.is_argo()) {
            let exists = templates.iter().any(|t| t.name == template);
            if !exists {
                return Err(error(patch, "applies to a step Argo has no template for (an importer or a value passed as a file, which are arguments of their consumers): patch the consumer".to_owned()));
            }
            match patch.target {
                PatchTarget::ArgoTemplate => {
                    out.push(ArgoPatch { patch: patch.clone(), template: Some(template.clone()), task: None });
                }
                _ => {
                    for dag in templates.iter().filter(|t| t.dag.is_some()) {
                        let tasks = dag.dag.iter().flat_map(|d| &d.tasks);
                        for t in tasks.filter(|t| *t.template == *template) {
                            out.push(ArgoPatch {
                                patch: patch.clone(),
                                template: Some(dag.name.clone()),
                                task: Some(t.name.to_string()),
                            });
                        }
                    }
                }
            }
        }
    }
    for patch in p.settings().patches.iter().filter(|x| x.target.is_argo()) {
        out.push(ArgoPatch { patch: patch.clone(), template: None, task: None });
    }
    Ok(out)
}

fn error(patch: &Patch, reason: String) -> CompileError {
    CompileError::Patch { location: patch.at, call: patch.target.call(), reason }
}

/// The workflow with its patches applied, as JSON; `None` when it has none (emit the structs).
///
/// # Errors
/// A patch that leaves a workflow Argo refuses, naming the patch's call.
pub fn patched(w: &Workflow) -> Result<Option<Value>, CompileError> {
    if w.patches.is_empty() {
        return Ok(None);
    }
    let mut doc = serde_json::to_value(w).map_err(|e| CompileError::Emit(e.to_string()))?;
    for p in &w.patches {
        let target = locate(&mut doc, p).ok_or_else(|| {
            error(&p.patch, "found no place to apply: an earlier patch removed or renamed what it patches".to_owned())
        })?;
        p.patch.apply(target);
        check(&doc).map_err(|reason| error(&p.patch, format!("leaves a workflow Argo refuses: {reason}")))?;
    }
    Ok(Some(doc))
}

fn locate<'a>(doc: &'a mut Value, p: &ArgoPatch) -> Option<&'a mut Value> {
    let Some(template) = &p.template else { return Some(doc) };
    let templates = doc.pointer_mut("/spec/templates")?.as_array_mut()?;
    let t = templates.iter_mut().find(|t| t["name"] == *template)?;
    let Some(task) = &p.task else { return Some(t) };
    t.pointer_mut("/dag/tasks")?.as_array_mut()?.iter_mut().find(|x| x["name"] == *task)
}

/// The template kinds Argo knows; a template has exactly one.
const KINDS: [&str; 10] =
    ["container", "containerSet", "steps", "dag", "script", "resource", "data", "suspend", "http", "plugin"];

/// Argo's rule for template and task names.
fn field_name(what: &str, v: &Value) -> Result<String, String> {
    let Some(name) = v.as_str() else { return Err(format!("{what} has no `name` (a string)")) };
    let ok = !name.is_empty()
        && name.len() <= 128
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if ok {
        Ok(name.to_owned())
    } else {
        Err(format!(
            "{what} name `{}` is invalid: Argo takes letters, digits and `-`, starting with a letter or digit, at most 128",
            name.escape_debug()
        ))
    }
}

/// What Argo's validation checks of the document's structure.
fn check(doc: &Value) -> Result<(), String> {
    if doc["apiVersion"] != "argoproj.io/v1alpha1" || doc["kind"] != "Workflow" {
        return Err("`apiVersion` must stay `argoproj.io/v1alpha1` and `kind` `Workflow`".to_owned());
    }
    let meta = &doc["metadata"];
    if !meta["name"].is_string() && !meta["generateName"].is_string() {
        return Err("`metadata` needs a `name` or a `generateName`".to_owned());
    }
    let Some(templates) = doc.pointer("/spec/templates").and_then(Value::as_array) else {
        return Err("`spec.templates` must stay a list".to_owned());
    };
    let mut names = BTreeSet::new();
    for t in templates {
        let name = field_name("a template", &t["name"])?;
        if !names.insert(name.clone()) {
            return Err(format!("two templates are named `{name}`"));
        }
        let kinds: Vec<&str> = KINDS.iter().copied().filter(|k| t.get(*k).is_some_and(|v| !v.is_null())).collect();
        match kinds.len() {
            1 => {}
            0 => return Err(format!("template `{name}` runs nothing (no {})", KINDS.join(", "))),
            _ => return Err(format!("template `{name}` has several kinds: {}", kinds.join(", "))),
        }
    }
    let entry = doc.pointer("/spec/entrypoint").and_then(Value::as_str).unwrap_or_default();
    if !names.contains(entry) {
        return Err(format!("`spec.entrypoint` `{entry}` names no template"));
    }
    if let Some(exit) = doc.pointer("/spec/onExit").and_then(Value::as_str)
        && !names.contains(exit)
    {
        return Err(format!("`spec.onExit` `{exit}` names no template"));
    }
    hooks("the workflow", doc.pointer("/spec/hooks"), &names)?;
    for t in templates.iter().filter(|t| t.get("dag").is_some()) {
        let Some(tasks) = t.pointer("/dag/tasks").and_then(Value::as_array) else {
            return Err(format!("template `{}`: `dag.tasks` must be a list", t["name"].as_str().unwrap_or_default()));
        };
        let dag = t["name"].as_str().unwrap_or_default();
        let mut task_names = BTreeSet::new();
        for x in tasks {
            let name = field_name(&format!("a task of `{dag}`"), &x["name"])?;
            if !task_names.insert(name.clone()) {
                return Err(format!("two tasks of `{dag}` are named `{name}`"));
            }
            match x.get("template").and_then(Value::as_str) {
                Some(callee) if names.contains(callee) => {}
                Some(callee) => {
                    return Err(format!("task `{name}` of `{dag}` runs template `{callee}`, which does not exist"));
                }
                None if x.get("templateRef").is_some() || x.get("inline").is_some() => {}
                None => return Err(format!("task `{name}` of `{dag}` names no `template`")),
            }
            hooks(&format!("task `{name}` of `{dag}`"), x.get("hooks"), &names)?;
        }
        for x in tasks {
            let deps = x.get("dependencies").and_then(Value::as_array).into_iter().flatten();
            for d in deps {
                let d = d.as_str().unwrap_or_default();
                if !task_names.contains(d) {
                    let name = x["name"].as_str().unwrap_or_default();
                    return Err(format!("task `{name}` of `{dag}` depends on `{d}`, which is no task of that DAG"));
                }
            }
        }
    }
    Ok(())
}

/// Lifecycle hooks (`hooks: {exit: {template: ..}}`) name templates that exist.
fn hooks(owner: &str, hooks: Option<&Value>, templates: &BTreeSet<String>) -> Result<(), String> {
    let Some(hooks) = hooks else { return Ok(()) };
    let Some(hooks) = hooks.as_object() else { return Err(format!("the `hooks` of {owner} must be a mapping")) };
    for (event, hook) in hooks {
        match hook.get("template").and_then(Value::as_str) {
            Some(t) if templates.contains(t) => {}
            Some(t) => return Err(format!("hook `{event}` of {owner} runs template `{t}`, which does not exist")),
            None if hook.get("templateRef").is_some() => {}
            None => return Err(format!("hook `{event}` of {owner} names no `template`")),
        }
    }
    Ok(())
}
