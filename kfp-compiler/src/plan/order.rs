//! A DAG's tasks in topological order, ties broken by name, each with the sorted names of the tasks
//! it waits for.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use kfp_dsl::ScopeId;

use super::TaskPlan;
use super::build::{Node, Planner};
use crate::passes::naming::{FastMap, Name};

impl Planner<'_, '_> {
    /// Orders `tasks` (one per node of `nodes`, which lists what each depends on); a cycle (only
    /// `.after(..)` across scopes can make one here) is an error naming the tasks in it.
    pub(super) fn order(
        &mut self,
        s: ScopeId,
        dag: &Name,
        tasks: Vec<TaskPlan>,
        nodes: Vec<(Node, Vec<Node>)>,
        index: &FastMap<Node, usize>,
    ) -> Vec<TaskPlan> {
        let n = tasks.len();
        let mut indegree = vec![0u32; n];
        let mut downstream: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut slots: Vec<Option<TaskPlan>> = tasks.into_iter().map(Some).collect();
        for (i, (_, deps)) in nodes.iter().enumerate() {
            let mut on: Vec<usize> = deps.iter().filter_map(|d| index.get(d).copied()).filter(|&j| j != i).collect();
            on.sort_unstable();
            on.dedup();
            for &j in &on {
                indegree[i] += 1;
                downstream[j].push(i);
            }
            let mut after: Vec<Name> = on.iter().filter_map(|&j| slots[j].as_ref().map(|t| t.name.clone())).collect();
            after.sort_unstable();
            if let Some(t) = slots[i].as_mut() {
                t.after = after;
            }
        }
        let names: Vec<Name> = slots.iter().map(|t| t.as_ref().map(|t| t.name.clone()).unwrap_or_default()).collect();
        let mut ready: BinaryHeap<Reverse<(&Name, usize)>> =
            (0..n).filter(|&i| indegree[i] == 0).map(|i| Reverse((&names[i], i))).collect();
        let mut out = Vec::with_capacity(n);
        while let Some(Reverse((_, i))) = ready.pop() {
            if let Some(t) = slots[i].take() {
                out.push(t);
            }
            for &d in &downstream[i] {
                indegree[d] -= 1;
                if indegree[d] == 0 {
                    ready.push(Reverse((&names[d], d)));
                }
            }
        }
        if out.len() < n {
            let stuck: Vec<String> = slots.iter().flatten().map(|t| format!("`{}`", t.name)).collect();
            let location = self.p.scope(s).location;
            self.error(
                location,
                format!(
                    "dependency cycle in `{dag}` between {} (`.after(..)` across a loop, condition or exit handler?)",
                    stuck.join(", ")
                ),
            );
            out.extend(slots.into_iter().flatten());
        }
        out
    }
}
