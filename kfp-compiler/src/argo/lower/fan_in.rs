//! Typed fan-in of artifacts on Argo. Argo cannot aggregate a loop's output artifacts, so they are
//! key-only artifacts (Argo's `examples/map-reduce.yaml`): the producer in the loop writes its output,
//! not archived, to `{{workflow.uid}}/kfp-fan-in/<loop template>/<loop output>/{{pod.name}}` in the
//! default artifact repository, and the consumer after the loop reads the key without the pod's name,
//! which Argo loads as a directory holding one entry per iteration. Keys hold only names the compiler
//! chose and what the controller substitutes (never a parameter value). One key per loop and output
//! means one loop instance per run: a loop that can run more than once (inside another loop, or in a
//! graph component's body) is refused.

use std::collections::HashMap;

use kfp_dsl::{Pipeline, ScopeId, ScopeKind, TaskId, ValueSrc};

use crate::error::CompileError;
use crate::passes::naming::Names;

/// The key prefix of loop output `port` of the loop whose DAG template is `loop_template`.
pub(crate) fn key(loop_template: &str, port: &str) -> String {
    format!("{{{{workflow.uid}}}}/kfp-fan-in/{loop_template}/{port}")
}

/// One task output a loop collects as a list of artifacts.
#[derive(Clone, Debug)]
pub(crate) struct Collected {
    /// The output's index in the task's component.
    pub(crate) port: u32,
    /// The loop.
    pub(crate) scope: ScopeId,
}

/// The task outputs loops collect as artifact lists, by producing task.
pub(crate) fn collected(p: &Pipeline) -> HashMap<TaskId, Vec<Collected>> {
    let mut out: HashMap<TaskId, Vec<Collected>> = HashMap::new();
    for (i, s) in p.scopes().iter().enumerate() {
        let scope = kfp_dsl::__private::scope_id(i as u32);
        let ScopeKind::Loop(l) = &s.kind else { continue };
        for o in l.outputs.iter().filter(|o| o.artifact) {
            if let ValueSrc::TaskOutput { task, port, .. } = o.value {
                out.entry(task).or_default().push(Collected { port, scope });
            }
        }
    }
    out
}

/// Refuses loops collecting artifacts that can run more than once in a run.
///
/// # Errors
/// [`CompileError::Scope`], one line per such loop, naming its line.
pub(crate) fn check(p: &Pipeline, collected: &HashMap<TaskId, Vec<Collected>>) -> Result<(), CompileError> {
    let mut loops: Vec<ScopeId> = collected.values().flatten().map(|c| c.scope).collect();
    loops.sort_by_key(|s| s.index());
    loops.dedup();
    let mut errors = Vec::new();
    for l in loops {
        let mut parent = p.scope(l).parent;
        let mut why = None;
        let mut top = l;
        while let Some(s) = parent {
            if matches!(p.scope(s).kind, ScopeKind::Loop(_)) {
                why = Some("it is inside another loop");
                break;
            }
            top = s;
            parent = p.scope(s).parent;
        }
        if why.is_none() && matches!(p.scope(top).kind, ScopeKind::Graph(_)) {
            why = Some("it is in a graph component's body, which can be called more than once");
        }
        if let Some(why) = why {
            errors.push(format!(
                "{}: this loop collects artifacts, which Argo reads back from one key per loop, but {why}, so \
                 its runs would mix under one key: collect the artifacts in a loop that runs once per run, or \
                 compile with `--target kfp-v2`",
                p.scope(l).location
            ));
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(CompileError::Scope { errors }) }
}

/// The keys variant `variant`'s outputs are written to, by output name: its task's collected outputs.
pub(crate) fn output_keys(
    p: &Pipeline,
    names: &Names,
    collected: &HashMap<TaskId, Vec<Collected>>,
    variant: usize,
) -> Vec<(String, String)> {
    let Some(task) = names.variants[variant].task else { return Vec::new() };
    let spec = p.component(names.variants[variant].component);
    let mut keys = Vec::new();
    for c in collected.get(&task).into_iter().flatten() {
        let output = &spec.outputs[c.port as usize].name;
        // The loop output's name, as the plan names it: `<task>-<output>`.
        let port = format!("{}-{output}", names.tasks[task.index()]);
        let loop_template = &names.scopes[c.scope.index()].template;
        keys.push((output.clone(), format!("{}/{{{{pod.name}}}}", key(loop_template, &port))));
    }
    keys
}
