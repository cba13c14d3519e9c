//! Pass 1: reject graphs the later passes cannot lower.

use kfp_dsl::{Dep, DepKind, Pipeline, TaskId};

use crate::error::CompileError;

/// A pipeline that has passed validation.
pub(crate) struct Validated<'p> {
    pub(crate) pipeline: &'p Pipeline,
}

/// Checks that the pipeline has tasks and no dependency cycle.
pub(crate) fn validate(pipeline: &Pipeline) -> Result<Validated<'_>, CompileError> {
    if pipeline.task_count() == 0 {
        return Err(CompileError::Empty { name: pipeline.name().to_owned() });
    }
    if is_acyclic(pipeline) {
        return Ok(Validated { pipeline });
    }
    let cycles = pipeline.cycles().iter().map(|edges| explain_cycle(pipeline, edges)).collect();
    Err(CompileError::Cycle { cycles })
}

/// One line: where the cycle was made (the `.after(..)` calls in it), and the tasks in it.
fn explain_cycle(p: &Pipeline, edges: &[(TaskId, TaskId, Dep)]) -> String {
    let tasks: Vec<String> = edges
        .iter()
        .map(|(from, _, _)| {
            let t = p.task(*from);
            format!("`{}` ({})", p.interface(t.callee()).name, t.location())
        })
        .collect();
    let mut made_by: Vec<String> =
        edges.iter().filter(|(_, _, d)| d.kind != DepKind::Data).map(|(_, _, d)| d.location.to_string()).collect();
    made_by.dedup();
    let tasks = dedup_join(tasks);
    match made_by.split_first() {
        Some((first, [])) => format!("{first}: `.after(..)` makes a dependency cycle between tasks {tasks}"),
        Some((first, rest)) => format!(
            "{first}: `.after(..)` (with the ones at {}) makes a dependency cycle between tasks {tasks}",
            rest.join(", ")
        ),
        None => format!("dependency cycle between tasks {tasks}"),
    }
}

/// Kahn's algorithm without ordering: cheap, and enough to know whether a cycle exists. Only a
/// cyclic graph pays for the strongly-connected-components search that explains the cycle.
fn is_acyclic(p: &Pipeline) -> bool {
    let mut indegree = vec![0u32; p.task_count()];
    for id in p.task_ids() {
        for d in p.downstream(id) {
            indegree[d.index()] += 1;
        }
    }
    let mut ready: Vec<_> = p.task_ids().filter(|id| indegree[id.index()] == 0).collect();
    let mut seen = 0;
    while let Some(id) = ready.pop() {
        seen += 1;
        for d in p.downstream(id) {
            let n = &mut indegree[d.index()];
            *n -= 1;
            if *n == 0 {
                ready.push(d);
            }
        }
    }
    seen == p.task_count()
}

fn dedup_join(mut v: Vec<String>) -> String {
    let mut seen = std::collections::HashSet::new();
    v.retain(|s| seen.insert(s.clone()));
    v.join(", ")
}
