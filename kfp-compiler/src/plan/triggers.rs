//! Triggers: which of a task's upstream tasks it waits for to finish or to fail
//! (`after_finished` / `after_failed`) rather than to succeed. The DSL keeps both ends in one scope;
//! the edges were ordered with the `.after(..)` ones.

use kfp_dsl::{DepKind, ScopeId};

use super::TaskPlan;
use super::build::Planner;
use crate::passes::naming::FastMap;

impl Planner<'_, '_> {
    /// Sets `triggers` on the tasks of scope `s`'s DAG.
    pub(super) fn set_triggers(&mut self, s: ScopeId, tasks: &mut [TaskPlan]) {
        let mut by_name: Option<FastMap<_, usize>> = None;
        for i in 0..self.tasks[s.index()].len() {
            let t = self.tasks[s.index()][i];
            let triggers: Vec<_> = self
                .p
                .upstream(t)
                .filter_map(|(u, dep)| match dep.kind {
                    DepKind::Trigger(trigger) => Some((u, trigger, dep.location)),
                    DepKind::Data | DepKind::After => None,
                })
                .collect();
            if triggers.is_empty() {
                continue;
            }
            let index =
                by_name.get_or_insert_with(|| tasks.iter().enumerate().map(|(i, t)| (t.name.clone(), i)).collect());
            let Some(&at) = index.get(self.task_name(t)) else { continue };
            for (u, trigger, location) in triggers {
                if self.p.task(u).scope() != s {
                    self.error(location, format!("`{}` joins tasks of different scopes", trigger.call()));
                    continue;
                }
                tasks[at].triggers.push((self.task_name(u).clone(), trigger));
            }
            tasks[at].triggers.sort_by(|a, b| a.0.cmp(&b.0));
        }
    }
}
