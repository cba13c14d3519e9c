//! `--lossy`: compile to the KFP v2 IR what the IR can express and leave the rest out, with one
//! warning per construct left out ([`super::unsupported::describe_lossy`]).
//!
//! A construct of kind [`LeaveOut::Construct`] (a sidecar, a retry policy, an Argo-only pipeline
//! setting, ...) needs nothing here: the IR backend has no field to write it to, so lowering passes
//! over it. A [`LeaveOut::Task`] construct (a step the IR has no kind of step for: a resource step, a
//! snapshot, a Katib or training job) takes its whole task out of the plan: tasks that waited for it
//! wait for what it waited for instead, so the order of the rest is kept. A value it would have
//! produced cannot be left out quietly: a task that reads one is an error even with `--lossy`,
//! naming both tasks. A [`LeaveOut::Never`] construct (recursion) stays an error.

use std::collections::{BTreeMap, BTreeSet};

use kfp_dsl::TaskId;
use kfp_dsl::model::Pipeline;

use super::unsupported::{LeaveOut, Unsupported};
use crate::passes::naming::{Name, Names};
use crate::plan::{Condition, Items, Operand, Plan, ValueRef};

/// The tasks `--lossy` takes out with the constructs found, or the constructs that cannot be left out.
pub(crate) fn tasks_to_leave_out(problems: &[Unsupported]) -> Result<BTreeSet<TaskId>, Vec<String>> {
    let never: Vec<String> = problems
        .iter()
        .filter(|u| u.leave_out == LeaveOut::Never)
        .map(|u| format!("{u} (even with --lossy)"))
        .collect();
    if !never.is_empty() {
        return Err(never);
    }
    Ok(problems.iter().filter(|u| u.leave_out == LeaveOut::Task).filter_map(|u| u.task).collect())
}

/// Takes `tasks` out of `plan`. Tasks that waited for one wait for its own dependencies instead.
///
/// # Errors
/// One line per value a remaining task (or DAG output, loop or condition) reads from a task left out.
pub(crate) fn leave_out(
    p: &Pipeline,
    names: &Names,
    plan: &mut Plan,
    tasks: &BTreeSet<TaskId>,
) -> Result<(), Vec<String>> {
    if tasks.is_empty() {
        return Ok(());
    }
    let mut errors = Vec::new();
    // By DAG (scope index): the names of the tasks left out.
    let mut gone: BTreeMap<usize, BTreeSet<Name>> = BTreeMap::new();
    for &id in tasks {
        gone.entry(p.task(id).scope().index()).or_default().insert(names.tasks[id.index()].clone());
    }
    for (&dag_index, gone) in &gone {
        let Some(dag) = plan.dags.get_mut(dag_index) else { continue };
        // What each task left out waited for, with the left-out ones among them replaced in turn.
        let waits: BTreeMap<Name, Vec<Name>> =
            dag.tasks.iter().filter(|t| gone.contains(&t.name)).map(|t| (t.name.clone(), t.after.clone())).collect();
        let resolve = |start: &Name| {
            let mut out = BTreeSet::new();
            let mut stack = vec![start.clone()];
            let mut seen = BTreeSet::new();
            while let Some(n) = stack.pop() {
                if !seen.insert(n.clone()) {
                    continue;
                }
                match waits.get(&n) {
                    Some(before) => stack.extend(before.iter().cloned()),
                    None => {
                        out.insert(n);
                    }
                }
            }
            out
        };
        dag.tasks.retain(|t| !gone.contains(&t.name));
        if dag.tasks.is_empty() {
            let what = gone.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ");
            errors.push(format!(
                "DAG `{}` has no task left once --lossy leaves out {what}: the IR has no empty DAGs, so compile for Argo",
                dag.name
            ));
        }
        for t in &mut dag.tasks {
            if t.after.iter().any(|a| gone.contains(a)) {
                let after: BTreeSet<Name> = t.after.iter().flat_map(&resolve).collect();
                t.after = after.into_iter().collect();
            }
            let mut reads = Vec::new();
            for (_, v) in t.parameters.iter().chain(&t.artifacts) {
                value_tasks(v, &mut reads);
            }
            if let Some(c) = &t.when {
                condition_tasks(c, &mut reads);
            }
            if let Some(Items::Value(v)) = t.for_each.as_ref().map(|f| &f.items) {
                value_tasks(v, &mut reads);
            }
            if let Some(hook) = &t.exit_hook {
                for (_, v) in hook.parameters.iter().chain(&hook.artifacts) {
                    value_tasks(v, &mut reads);
                }
            }
            reads.sort_unstable();
            reads.dedup();
            for producer in reads.iter().filter(|r| gone.contains(**r)) {
                errors.push(format!(
                    "{}: task `{}` reads an output of `{producer}`, which --lossy leaves out: the IR cannot run it, so \
                     compile for Argo, or pass the value another way",
                    t.location, t.name
                ));
            }
        }
        let mut reads = Vec::new();
        for o in &dag.outputs {
            value_tasks(&o.value, &mut reads);
        }
        reads.sort_unstable();
        reads.dedup();
        for producer in reads.iter().filter(|r| gone.contains(**r)) {
            errors.push(format!(
                "DAG `{}` returns an output of `{producer}`, which --lossy leaves out: compile for Argo",
                dag.name
            ));
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

/// The tasks of the same DAG whose outputs `v` reads.
fn value_tasks<'a>(v: &'a ValueRef, out: &mut Vec<&'a Name>) {
    match v {
        ValueRef::TaskOutput { task, .. }
        | ValueRef::TaskArtifact { task, .. }
        | ValueRef::LoopOutput { group: task, .. }
        | ValueRef::LoopArtifacts { group: task, .. }
        | ValueRef::ConditionOutput { group: task, .. }
        | ValueRef::TaskStatus(task) => out.push(task),
        ValueRef::Concat(parts) => parts.iter().for_each(|p| value_tasks(p, out)),
        ValueRef::Literal(_)
        | ValueRef::Input(_)
        | ValueRef::InputArtifact(_)
        | ValueRef::PipelineParam(_)
        | ValueRef::RunStatus
        | ValueRef::Item(_)
        | ValueRef::Global(_) => {}
    }
}

fn condition_tasks<'a>(c: &'a Condition, out: &mut Vec<&'a Name>) {
    match c {
        Condition::Compare { lhs, rhs, .. } => {
            for side in [lhs, rhs] {
                if let Operand::Value(v) = side {
                    value_tasks(v, out);
                }
            }
        }
        Condition::And(a, b) | Condition::Or(a, b) => {
            condition_tasks(a, out);
            condition_tasks(b, out);
        }
        Condition::Not(a) => condition_tasks(a, out),
    }
}

#[cfg(test)]
#[path = "lossy_tests.rs"]
mod tests;
