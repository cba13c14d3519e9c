//! One DAG task: its name, component, dependencies, inputs and their sources and types, condition
//! and iterator.
//!
//! Rules: `ir/task-name`, `ir/unknown-component`, `ir/unknown-dependency`, `ir/duplicate-dependency`,
//! `ir/task-info`, `ir/no-input-source`,
//! `ir/unknown-component-input`, `ir/bad-producer-task`, `ir/unknown-output`,
//! `ir/implicit-dependency`, `ir/runtime-value`, `ir/constant-type`, `ir/final-status`,
//! `ir/type-mismatch`, `ir/artifact-type-mismatch`, `ir/unknown-input`, `ir/missing-input`; its
//! condition, iterator and retry policy are in [`super::control`].

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::spec::{Spec, cshow, fits_type};
use super::util::{Report, hint, idx, key, list, map, placeholders, short, strings_in, text};

pub(super) const TASK_NAME: &str = "ir/task-name";
pub(super) const UNKNOWN_COMPONENT: &str = "ir/unknown-component";
pub(super) const UNKNOWN_DEPENDENCY: &str = "ir/unknown-dependency";
pub(super) const DUPLICATE_DEPENDENCY: &str = "ir/duplicate-dependency";
pub(super) const TASK_INFO: &str = "ir/task-info";
pub(super) const NO_SOURCE: &str = "ir/no-input-source";
pub(super) const UNKNOWN_COMPONENT_INPUT: &str = "ir/unknown-component-input";
pub(super) const BAD_PRODUCER: &str = "ir/bad-producer-task";
pub(super) const UNKNOWN_OUTPUT: &str = "ir/unknown-output";
pub(super) const IMPLICIT_DEPENDENCY: &str = "ir/implicit-dependency";
pub(super) const RUNTIME_VALUE: &str = "ir/runtime-value";
pub(super) const CONSTANT_TYPE: &str = "ir/constant-type";
pub(super) const FINAL_STATUS: &str = "ir/final-status";
pub(super) const TYPE_MISMATCH: &str = "ir/type-mismatch";
pub(super) const ARTIFACT_TYPE_MISMATCH: &str = "ir/artifact-type-mismatch";
pub(super) const UNKNOWN_INPUT: &str = "ir/unknown-input";
pub(super) const MISSING_INPUT: &str = "ir/missing-input";

/// The task's context.
struct At<'s, 'a> {
    s: &'s Spec<'a>,
    tname: &'a str,
    siblings: &'a Map<String, Value>,
}

/// Checks task `tname` of the DAG of component `cname`; returns the tasks it waits for.
pub(super) fn check(
    r: &mut Report,
    s: &Spec<'_>,
    cname: Option<&str>,
    comp: &Value,
    tp: &str,
    tname: &str,
    task: &Value,
) -> BTreeSet<String> {
    let siblings = map(&comp["dag"]["tasks"]);
    let at = At { s, tname, siblings };
    if !super::util::is_name(tname, true) || tname.len() > 121 {
        r.add(
            tp,
            TASK_NAME,
            "task names become Argo DAG task names joined by `depends`: use letters, digits and \
            '-', starting with a letter, at most 121 characters",
        );
    }
    let rname = text(&task["componentRef"]["name"]);
    let callee = s.components.get(rname);
    if callee.is_none() {
        let msg = if rname.is_empty() {
            "component ref name is empty".to_owned()
        } else {
            format!("component '{rname}' is not in components{}", hint(rname, s.components.keys()))
        };
        r.add(&key(&key(tp, "componentRef"), "name"), UNKNOWN_COMPONENT, msg);
    }
    let mut deps = BTreeSet::new();
    for (i, d) in list(&task["dependentTasks"]).iter().enumerate() {
        let d = text(d);
        let dp = idx(&key(tp, "dependentTasks"), i);
        if d == tname {
            r.add(&dp, UNKNOWN_DEPENDENCY, "a task cannot depend on itself");
        } else if !siblings.contains_key(d) {
            r.add(&dp, UNKNOWN_DEPENDENCY, format!("no task '{d}' in this DAG{}", hint(d, siblings.keys())));
        } else {
            deps.insert(d.to_owned());
        }
        let listed = list(&task["dependentTasks"]);
        if !listed[..i].contains(&listed[i]) && listed[i + 1..].contains(&listed[i]) {
            r.add(&dp, DUPLICATE_DEPENDENCY, format!("'{d}' is listed more than once"));
        }
    }
    if text(&task["taskInfo"]["name"]).is_empty() {
        r.add(
            &key(&key(tp, "taskInfo"), "name"),
            TASK_INFO,
            "taskInfo.name is empty (the UI shows it as the task name)",
        );
    }
    let enclosing = &comp["inputDefinitions"];
    let callee_in = callee.map(|c| &c["inputDefinitions"]);
    let item_input = task["parameterIterator"]["itemInput"].as_str().or(task["artifactIterator"]["itemInput"].as_str());
    let mut producers = BTreeSet::new();
    let inputs = key(tp, "inputs");
    for (pname, spec) in map(&task["inputs"]["parameters"]) {
        let pp = key(&key(&inputs, "parameters"), pname);
        let declared = callee_in.and_then(|c| c["parameters"].get(pname));
        let declared_type = declared.map(|d| text(&d["parameterType"]));
        let mut src_type = None;
        if let Some(src) = spec.get("componentInputParameter") {
            let src = text(src);
            match enclosing["parameters"].get(src) {
                Some(p) => src_type = Some(text(&p["parameterType"])),
                None => r.add(
                    &key(&pp, "componentInputParameter"),
                    UNKNOWN_COMPONENT_INPUT,
                    format!(
                        "'{src}' is not an input parameter of the enclosing component {}{}",
                        cshow(cname),
                        hint(src, map(&enclosing["parameters"]).keys())
                    ),
                ),
            }
        } else if let Some(o) = spec.get("taskOutputParameter") {
            let w = key(&pp, "taskOutputParameter");
            let prod = text(&o["producerTask"]);
            if let Some(out) =
                at.producer(r, &w, prod, text(&o["outputParameterKey"]), "parameters", "outputParameterKey", &deps)
            {
                src_type = Some(text(&out["parameterType"]));
                producers.insert(prod.to_owned());
            }
        } else if let Some(rv) = spec.get("runtimeValue") {
            let w = key(&pp, "runtimeValue");
            match rv.get("constant") {
                None => r.add(&w, RUNTIME_VALUE, "the KFP driver only implements runtimeValue.constant"),
                Some(value) => {
                    constant(r, &key(&w, "constant"), value, task);
                    let dynamic = value.as_str().is_some_and(|v| v.contains("{{$"));
                    if let Some(ty) = declared_type.filter(|_| !dynamic && !value.is_null())
                        && fits_type(ty, value) == Some(false)
                    {
                        let msg = format!("constant {} does not fit input type {ty}", short(value));
                        r.add(&key(&w, "constant"), CONSTANT_TYPE, msg);
                    }
                }
            }
        } else if let Some(fs) = spec.get("taskFinalStatus") {
            let prod = text(&fs["producerTask"]);
            let w = key(&key(&pp, "taskFinalStatus"), "producerTask");
            if !siblings.contains_key(prod) {
                r.add(&w, FINAL_STATUS, format!("no task '{prod}' in this DAG{}", hint(prod, siblings.keys())));
            } else {
                let mut all: BTreeSet<String> =
                    list(&task["dependentTasks"]).iter().map(|d| text(d).to_owned()).collect();
                all.extend(producers.iter().cloned());
                all.extend(implicit_producers(task));
                match all.iter().next() {
                    _ if !all.contains(prod) => r.add(&w, FINAL_STATUS, format!(
                        "'{prod}' must be in dependentTasks: the driver reads the final status of the task's first dependency"
                    )),
                    Some(first) if first != prod => r.add(&w, FINAL_STATUS, format!(
                        "the driver reads the final status of the first dependency after sorting ('{first}'), not '{prod}'"
                    )),
                    _ => {}
                }
            }
            if let Some(ty) = declared_type.filter(|t| *t != "TASK_FINAL_STATUS") {
                r.add(
                    &pp,
                    FINAL_STATUS,
                    format!("taskFinalStatus feeds an input of type {ty}, expected TASK_FINAL_STATUS"),
                );
            }
        } else {
            r.add(
                &pp,
                NO_SOURCE,
                "input has no source (componentInputParameter, taskOutputParameter, runtimeValue \
                or taskFinalStatus)",
            );
        }
        let passes_on = spec.get("taskFinalStatus").is_some() || spec.get("componentInputParameter").is_some();
        if declared_type == Some("TASK_FINAL_STATUS") && !passes_on {
            r.add(
                &pp,
                FINAL_STATUS,
                "an input of type TASK_FINAL_STATUS must come from taskFinalStatus (or be passed \
                on from an enclosing input)",
            );
        }
        if let (Some(ty), Some(src)) = (declared_type, src_type) {
            let loose = matches!(ty, "STRING" | "TASK_CONFIG" | "TASK_FINAL_STATUS");
            if !loose && spec.get("parameterExpressionSelector").is_none() && !same_kind(ty, src) {
                r.add(&pp, TYPE_MISMATCH, format!(
                    "input type {ty} but its source is {src}: the driver refuses the value at run time (type mismatch)"
                ));
            }
        }
    }
    for (aname, spec) in map(&task["inputs"]["artifacts"]) {
        let ap = key(&key(&inputs, "artifacts"), aname);
        if callee_in.is_some_and(|c| c["artifacts"].get(aname).is_none()) && Some(aname.as_str()) != item_input {
            r.add(&ap, UNKNOWN_INPUT, format!("the component '{rname}' declares no input artifact '{aname}'"));
        }
        let declared = callee_in.and_then(|c| c["artifacts"].get(aname));
        if let Some(src) = spec.get("componentInputArtifact") {
            let src = text(src);
            match enclosing["artifacts"].get(src) {
                Some(source) => artifact_type(r, &ap, declared, source),
                None => r.add(
                    &key(&ap, "componentInputArtifact"),
                    UNKNOWN_COMPONENT_INPUT,
                    format!(
                        "'{src}' is not an input artifact of the enclosing component {}{}",
                        cshow(cname),
                        hint(src, map(&enclosing["artifacts"]).keys())
                    ),
                ),
            }
        } else if let Some(o) = spec.get("taskOutputArtifact") {
            let prod = text(&o["producerTask"]);
            let w = key(&ap, "taskOutputArtifact");
            if let Some(out) =
                at.producer(r, &w, prod, text(&o["outputArtifactKey"]), "artifacts", "outputArtifactKey", &deps)
            {
                producers.insert(prod.to_owned());
                artifact_type(r, &ap, declared, out);
            }
        } else {
            r.add(&ap, NO_SOURCE, "input artifact has no source (componentInputArtifact or taskOutputArtifact)");
        }
    }
    if let Some(callee_in) = callee_in {
        for (pname, p) in map(&callee_in["parameters"]) {
            let optional = p["isOptional"].as_bool() == Some(true) || p.get("defaultValue").is_some();
            let given = task["inputs"]["parameters"].get(pname).is_some() || Some(pname.as_str()) == item_input;
            if !optional && !given && text(&p["parameterType"]) != "TASK_CONFIG" {
                r.add(
                    &key(&inputs, "parameters"),
                    MISSING_INPUT,
                    format!(
                        "required input parameter '{pname}' of '{rname}' is not supplied (neither value nor default)"
                    ),
                );
            }
        }
        for (aname, a) in map(&callee_in["artifacts"]) {
            let given = task["inputs"]["artifacts"].get(aname).is_some() || Some(aname.as_str()) == item_input;
            if a["isOptional"].as_bool() != Some(true) && !given {
                r.add(
                    &key(&inputs, "artifacts"),
                    MISSING_INPUT,
                    format!("required input artifact '{aname}' of '{rname}' is not supplied"),
                );
            }
        }
    }
    super::control::check(r, s, tp, task, callee, rname);
    deps.extend(producers);
    deps
}

impl<'a> At<'_, 'a> {
    /// A task output reference: the producer's output definition, if it resolves.
    #[expect(clippy::too_many_arguments, reason = "one reference's parts")]
    fn producer(
        &self,
        r: &mut Report,
        w: &str,
        prod: &str,
        out: &str,
        space: &str,
        key_field: &str,
        deps: &BTreeSet<String>,
    ) -> Option<&'a Value> {
        let pw = key(w, "producerTask");
        if prod.is_empty() {
            r.add(&pw, BAD_PRODUCER, "producerTask is empty");
            return None;
        }
        if prod == self.tname {
            r.add(&pw, BAD_PRODUCER, "a task cannot consume its own output");
            return None;
        }
        let Some(task) = self.siblings.get(prod) else {
            r.add(&pw, BAD_PRODUCER, format!(
                "no task '{prod}' in this DAG{} (a task can only read outputs of tasks in its own DAG; route others \
                 in through a component input)",
                hint(prod, self.siblings.keys())
            ));
            return None;
        };
        if !deps.contains(prod) {
            r.add(
                &pw,
                IMPLICIT_DEPENDENCY,
                format!(
                    "producer '{prod}' is not in dependentTasks (the KFP backend adds it; the SDK always writes it)"
                ),
            );
        }
        let pc = self.s.components.get(text(&task["componentRef"]["name"]))?;
        let pool = map(&pc["outputDefinitions"][space]);
        let found = pool.get(out);
        if found.is_none() {
            r.add(
                &key(w, key_field),
                UNKNOWN_OUTPUT,
                format!(
                    "the component of task '{prod}' declares no output {} '{out}'{}",
                    &space[..space.len() - 1],
                    hint(out, pool.keys())
                ),
            );
        }
        found
    }
}

/// An input artifact fed by `source` (a producer's output or an enclosing input): the schema titles
/// match (a `system.Artifact` input takes any), and both are lists or neither is.
fn artifact_type(r: &mut Report, ap: &str, declared: Option<&Value>, source: &Value) {
    let Some(declared) = declared else { return };
    let title = |v: &Value| v["artifactType"]["schemaTitle"].as_str().map(str::to_owned);
    if let (Some(want), Some(got)) = (title(declared), title(source))
        && want != got
        && want != "system.Artifact"
    {
        r.add(ap, ARTIFACT_TYPE_MISMATCH, format!("input artifact of type {want} but its source is {got}"));
    }
    let list = |v: &Value| v["isArtifactList"].as_bool() == Some(true);
    if list(declared) != list(source) {
        r.add(
            ap,
            ARTIFACT_TYPE_MISMATCH,
            format!("isArtifactList is {} here but {} on its source", list(declared), list(source)),
        );
    }
}

/// Same JSON kind at run time.
fn same_kind(a: &str, b: &str) -> bool {
    fn group(t: &str) -> &str {
        match t {
            "NUMBER_DOUBLE" | "NUMBER_INTEGER" => "number",
            "STRUCT" | "TASK_FINAL_STATUS" => "struct",
            other => other,
        }
    }
    group(a) == group(b)
}

fn implicit_producers(task: &Value) -> Vec<String> {
    let p =
        map(&task["inputs"]["parameters"]).values().filter_map(|p| p["taskOutputParameter"]["producerTask"].as_str());
    let a = map(&task["inputs"]["artifacts"]).values().filter_map(|a| a["taskOutputArtifact"]["producerTask"].as_str());
    p.chain(a).map(str::to_owned).collect()
}

/// `{{$.inputs.parameters['x']}}` inside a constant names an input of the task.
fn constant(r: &mut Report, at: &str, value: &Value, task: &Value) {
    for s in strings_in(value) {
        for body in placeholders(s) {
            let name = body.strip_prefix(".inputs.parameters['").and_then(|b| b.strip_suffix("']"));
            if let Some(name) = name.filter(|n| !n.contains('\''))
                && task["inputs"]["parameters"].get(name).is_none()
            {
                let msg = format!("{{{{$.inputs.parameters['{name}']}}}} names no input of this task");
                r.add(at, super::executors::UNKNOWN_PLACEHOLDER, msg);
            }
        }
    }
}
