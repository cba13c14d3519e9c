//! Each DAG: its tasks (in [`super::tasks`]), exit tasks, dependency cycles and the DAG's outputs.
//!
//! Rules: `ir/no-tasks`, `ir/exit-task`, `ir/dependency-cycle`, `ir/dag-output`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::spec::{Spec, cpath, cshow};
use super::util::{Report, find_cycles, hint, idx, key, list, map, text};

pub(super) const NO_TASKS: &str = "ir/no-tasks";
pub(super) const EXIT_TASK: &str = "ir/exit-task";
pub(super) const CYCLE: &str = "ir/dependency-cycle";
pub(super) const DAG_OUTPUT: &str = "ir/dag-output";

const ALL_DONE: &str = "ALL_UPSTREAM_TASKS_COMPLETED";

/// Is `task` an exit task (runs whatever its dependencies did)?
pub(super) fn is_exit(task: &Value) -> bool {
    task["triggerPolicy"]["strategy"].as_str() == Some(ALL_DONE)
}

/// Every DAG of the spec.
pub(super) fn check(r: &mut Report, s: &Spec<'_>) {
    for (cname, comp) in s.all() {
        if comp.get("dag").is_some() {
            dag(r, s, cname, comp);
        }
    }
}

fn dag(r: &mut Report, s: &Spec<'_>, cname: Option<&str>, comp: &Value) {
    let base = key(&cpath(cname), "dag");
    let tasks = map(&comp["dag"]["tasks"]);
    if !tasks.values().any(|t| !is_exit(t)) {
        r.add(&key(&base, "tasks"), NO_TASKS, "a DAG must contain one or more tasks that are not exit tasks");
    }
    let mut exit_of: BTreeMap<&str, &str> = BTreeMap::new();
    let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (tname, task) in tasks {
        let tp = key(&key(&base, "tasks"), tname);
        deps.insert(tname.clone(), super::tasks::check(r, s, cname, comp, &tp, tname, task));
        if !is_exit(task) {
            continue;
        }
        if list(&task["dependentTasks"]).is_empty() {
            r.add(
                &key(&tp, "triggerPolicy"),
                EXIT_TASK,
                "exit task (ALL_UPSTREAM_TASKS_COMPLETED) has no \
                dependentTasks: the backend runs it as an exit hook of its dependencies, so it would never run",
            );
        }
        for (i, d) in list(&task["dependentTasks"]).iter().enumerate() {
            let d = text(d);
            if let Some(other) = exit_of.get(d) {
                r.add(
                    &idx(&key(&tp, "dependentTasks"), i),
                    EXIT_TASK,
                    format!(
                        "'{d}' already has exit task '{other}': the backend keeps one exit hook per task, so one of \
                     them would never run"
                    ),
                );
            } else {
                exit_of.insert(d, tname);
            }
        }
    }
    for cycle in find_cycles(&deps) {
        r.add(
            &key(&key(&base, "tasks"), &cycle[0]),
            CYCLE,
            format!("dependency cycle (A -> B: A waits for B): {}", cycle.join(" -> ")),
        );
    }
    outputs(r, s, cname, comp, &base, tasks);
}

fn outputs(r: &mut Report, s: &Spec<'_>, cname: Option<&str>, comp: &Value, base: &str, tasks: &Map<String, Value>) {
    let outs = &comp["dag"]["outputs"];
    let decl = &comp["outputDefinitions"];
    let selector = |r: &mut Report, at: &str, sel: &Value, space: &str, key_field: &str| {
        let prod = text(&sel["producerSubtask"]);
        let Some(task) = tasks.get(prod) else {
            r.add(
                &key(at, "producerSubtask"),
                DAG_OUTPUT,
                format!("no task '{prod}' in this DAG{}", hint(prod, tasks.keys())),
            );
            return;
        };
        let out = text(&sel[key_field]);
        if let Some(pc) = s.components.get(text(&task["componentRef"]["name"])) {
            let pool = map(&pc["outputDefinitions"][space]);
            if !pool.contains_key(out) {
                r.add(
                    &key(at, key_field),
                    DAG_OUTPUT,
                    format!(
                        "the component of task '{prod}' declares no output {} '{out}'{}",
                        &space[..space.len() - 1],
                        hint(out, pool.keys())
                    ),
                );
            }
        }
    };
    for (pname, spec) in map(&outs["parameters"]) {
        let at = key(&key(&key(base, "outputs"), "parameters"), pname);
        if !map(&decl["parameters"]).contains_key(pname) {
            r.add(
                &at,
                DAG_OUTPUT,
                format!("DAG output parameter is not declared in outputDefinitions of {}", cshow(cname)),
            );
        }
        if let Some(sel) = spec.get("valueFromParameter") {
            selector(r, &key(&at, "valueFromParameter"), sel, "parameters", "outputParameterKey");
        } else if let Some(one) = spec.get("valueFromOneof") {
            let sels = list(&one["parameterSelectors"]);
            if sels.is_empty() {
                r.add(&key(&at, "valueFromOneof"), DAG_OUTPUT, "valueFromOneof has no parameterSelectors");
            }
            for (i, sel) in sels.iter().enumerate() {
                let sp = idx(&key(&key(&at, "valueFromOneof"), "parameterSelectors"), i);
                selector(r, &sp, sel, "parameters", "outputParameterKey");
            }
        } else {
            r.add(&at, DAG_OUTPUT, "DAG output parameter needs valueFromParameter or valueFromOneof");
        }
    }
    for (aname, spec) in map(&outs["artifacts"]) {
        let at = key(&key(&key(base, "outputs"), "artifacts"), aname);
        if !map(&decl["artifacts"]).contains_key(aname) {
            r.add(
                &at,
                DAG_OUTPUT,
                format!("DAG output artifact is not declared in outputDefinitions of {}", cshow(cname)),
            );
        }
        let sels = list(&spec["artifactSelectors"]);
        if sels.is_empty() {
            r.add(&at, DAG_OUTPUT, "DAG output artifact has no artifactSelectors");
        }
        for (i, sel) in sels.iter().enumerate() {
            selector(r, &idx(&key(&at, "artifactSelectors"), i), sel, "artifacts", "outputArtifactKey");
        }
    }
    for space in ["parameters", "artifacts"] {
        for name in map(&decl[space]).keys().filter(|n| !map(&outs[space]).contains_key(*n)) {
            r.add(
                &key(&key(&key(&cpath(cname), "outputDefinitions"), space), name),
                DAG_OUTPUT,
                format!("declared DAG output {} has no selector in dag.outputs.{space}", &space[..space.len() - 1]),
            );
        }
    }
}
