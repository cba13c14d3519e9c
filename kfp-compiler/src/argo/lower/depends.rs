//! A DAG task's dependencies as Argo writes them. A DAG template may not mix `dependencies` and
//! `depends` (Argo's `validate.go`), so a DAG where some task runs after another finished or failed
//! (`after_finished` / `after_failed`) spells every edge with `depends`: a plain edge `a` keeps its
//! `dependencies` meaning (`a.Succeeded || a.Skipped || a.Daemoned`, Argo's reading of a bare name), a
//! trigger names the outcomes it waits for. Names are task names (DNS-1123), never values.

use kfp_dsl::Trigger;

use crate::argo::{DagTask, Name};

/// Sets `task`'s dependencies on `after`: `dependencies`, or with `use_depends` a `depends` expression
/// where the tasks in `triggers` are waited for with their trigger's outcomes.
pub(super) fn set(task: &mut DagTask, after: Vec<Name>, triggers: &[(Name, Trigger)], use_depends: bool) {
    if !use_depends {
        task.dependencies = after;
        return;
    }
    let terms: Vec<String> = after
        .iter()
        .map(|a| match triggers.iter().find(|(n, _)| n == a) {
            Some((_, trigger)) => outcomes(a, *trigger),
            None => a.to_string(),
        })
        .collect();
    if !terms.is_empty() {
        task.depends = Some(terms.join(" && "));
    }
}

/// The outcomes of task `a` a trigger waits for, as one parenthesized `depends` term.
fn outcomes(a: &str, trigger: Trigger) -> String {
    let results: &[&str] = match trigger {
        // Every way a task that ran can end: what kfp's Argo compiler writes for
        // `ALL_UPSTREAM_TASKS_COMPLETED` (`depends_exit_handler`), and `Daemoned` as a bare name has it.
        Trigger::Finished => &["Succeeded", "Skipped", "Daemoned", "Failed", "Errored"],
        Trigger::Failed => &["Failed", "Errored"],
    };
    let parts: Vec<String> = results.iter().map(|r| format!("{a}.{r}")).collect();
    format!("({})", parts.join(" || "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<Name> {
        v.iter().map(|n| Name::from(*n)).collect()
    }

    #[test]
    fn plain_edges_keep_dependencies_outside_a_depends_dag() {
        let mut t = DagTask::new(Name::from("b"), Name::from("t"));
        set(&mut t, names(&["a"]), &[], false);
        assert_eq!(t.dependencies, names(&["a"]));
        assert_eq!(t.depends, None);
    }

    #[test]
    fn a_depends_dag_spells_plain_edges_by_name_and_triggers_by_outcome() {
        let mut t = DagTask::new(Name::from("c"), Name::from("t"));
        let triggers = [(Name::from("train"), Trigger::Finished), (Name::from("x-y"), Trigger::Failed)];
        set(&mut t, names(&["prep", "train", "x-y"]), &triggers, true);
        assert!(t.dependencies.is_empty());
        assert_eq!(
            t.depends.as_deref(),
            Some(
                "prep && (train.Succeeded || train.Skipped || train.Daemoned || train.Failed || train.Errored) \
                 && (x-y.Failed || x-y.Errored)"
            )
        );
    }

    #[test]
    fn a_root_task_of_a_depends_dag_has_neither() {
        let mut t = DagTask::new(Name::from("a"), Name::from("t"));
        set(&mut t, Vec::new(), &[], true);
        assert!(t.dependencies.is_empty() && t.depends.is_none());
    }
}
