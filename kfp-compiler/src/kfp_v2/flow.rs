//! What the IR cannot say about when a task runs: `after_failed`, an `after_finished` KFP's backend
//! would not run as written, approvals and pauses. None can be left out with `--lossy`: each changes
//! which tasks run, or when.
//!
//! KFP runs a task with `triggerPolicy.strategy: ALL_UPSTREAM_TASKS_COMPLETED` (kfp's
//! `ignore_upstream_failure()`) as an Argo exit hook of each task it depends on (KFP 2.4 and later;
//! 2.2 and 2.3 give it `depends: a.Succeeded || a.Skipped || a.Failed || a.Errored || b...`, joined by
//! `||`): `backend/src/v2/compiler/argocompiler/dag.go`. So it runs as written only when it waits for
//! one task, and no task waits for it (an exit hook is no task of the DAG).

use kfp_dsl::model::{DepKind, Implementation, Pipeline, SuspendSpec, TaskId, Trigger};

use super::unsupported::LeaveOut;

/// Pushes every such construct of task `id` (named `name`).
pub(super) fn unsupported(p: &Pipeline, id: TaskId, name: &str, push: &mut impl FnMut(String, &'static str, LeaveOut)) {
    let task = p.task(id);
    if let kfp_dsl::Callee::Component(c) = task.callee()
        && let Implementation::Suspend(s) = &p.component(c).implementation
    {
        match s {
            SuspendSpec::Pause { seconds } => push(
                format!("pause of {seconds}s (`p.pause(..)`)"),
                "the IR has no step that waits: make it a container step that sleeps, or compile for Argo",
                LeaveOut::Never,
            ),
            _ => push(
                format!("approval `{name}` (`p.approval(..)`)"),
                "KFP v2 has no step that waits for a person (a suspend): compile for Argo, where `argo resume` or \
                 the UI's Resume approves it",
                LeaveOut::Never,
            ),
        }
    }
    let mut upstream: Vec<(TaskId, DepKind)> = p.upstream(id).map(|(u, d)| (u, d.kind)).collect();
    upstream.sort_by_key(|(u, _)| *u);
    upstream.dedup_by_key(|(u, _)| *u);
    let triggers: Vec<Trigger> =
        upstream.iter().filter_map(|(_, k)| if let DepKind::Trigger(t) = k { Some(*t) } else { None }).collect();
    if triggers.contains(&Trigger::Failed) {
        push(
            format!("`after_failed` on `{name}`"),
            "KFP v2 has no trigger for \"only when the upstream task failed\" (`ignore_upstream_failure` runs the \
             task whatever the outcome): use `after_finished` and check the outcome in the task, or compile for Argo",
            LeaveOut::Never,
        );
    } else if triggers.contains(&Trigger::Finished) {
        if upstream.len() > 1 {
            push(
                format!("`after_finished` on `{name}`, which also waits for other tasks"),
                "KFP runs an `ignore_upstream_failure` task as an exit hook of each task it waits for, so it would \
                 run once per task: let it wait for one task only, or compile for Argo",
                LeaveOut::Never,
            );
        }
        if p.downstream(id).next().is_some() {
            push(
                format!("a task after `{name}`, which runs `after_finished`"),
                "KFP runs an `ignore_upstream_failure` task as an exit hook, which no task can wait for: make it \
                 the last step of its branch, or compile for Argo",
                LeaveOut::Never,
            );
        }
    }
}
