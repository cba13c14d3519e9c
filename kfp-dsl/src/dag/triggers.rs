//! Tasks that run after another task finished whatever its outcome, or only when it failed:
//! `cleanup.after_finished(&train)`, `notify.after_failed(&train)`.

use super::{Dag, Task};
use crate::error::{BuildError, SourceLocation};
use crate::model::{DagId, Dep, DepKind, TaskId, Trigger};

/// A task a trigger can name: only a task handle (what calling a component or a graph component
/// returns), not a value, a loop or a condition's branches.
#[diagnostic::on_unimplemented(
    message = "`after_finished` and `after_failed` take a task, not `{Self}`",
    label = "not a task handle",
    note = "pass the task itself (`&train`, what calling the component returned), not one of its outputs"
)]
pub trait TriggerUpstream: sealed::Sealed {
    /// The task.
    #[doc(hidden)]
    fn __task(&self) -> (DagId, TaskId);
}

mod sealed {
    pub trait Sealed {}
    impl<O> Sealed for crate::dag::Task<'_, O> {}
}

impl<O> TriggerUpstream for Task<'_, O> {
    fn __task(&self) -> (DagId, TaskId) {
        (self.dag.id, self.id)
    }
}

impl<O: Copy> Task<'_, O> {
    /// Runs this task after `upstream` has ended, however it ended: succeeded, failed (after its
    /// retries), errored, or skipped by a condition. For cleanups. kfp's `ignore_upstream_failure()`;
    /// Argo `depends: "a.Succeeded || a.Skipped || a.Daemoned || a.Failed || a.Errored"`.
    ///
    /// The task may not read an output of `upstream` (it may have none): that is a compile error.
    /// Both tasks must be in the same scope (the same loop body, condition branch or pipeline body).
    /// The run's status still follows Argo's rule (see the README, "Run after a failure").
    #[track_caller]
    pub fn after_finished(self, upstream: &(impl TriggerUpstream + ?Sized)) -> Self {
        self.dag.trigger(self.id, upstream.__task(), Trigger::Finished, SourceLocation::caller());
        self
    }

    /// Runs this task only when `upstream` failed or errored (after its retries); when it succeeded or
    /// was skipped, this task is omitted, and so are the tasks after it. For notifications and
    /// fallbacks. Argo `depends: "a.Failed || a.Errored"`; the KFP v2 IR has no form for it.
    ///
    /// As with [`after_finished`](Self::after_finished), the task may not read an output of
    /// `upstream`, and both must be in the same scope.
    #[track_caller]
    pub fn after_failed(self, upstream: &(impl TriggerUpstream + ?Sized)) -> Self {
        self.dag.trigger(self.id, upstream.__task(), Trigger::Failed, SourceLocation::caller());
        self
    }
}

impl Dag {
    fn trigger(&self, task: TaskId, (dag, upstream): (DagId, TaskId), trigger: Trigger, location: SourceLocation) {
        let mut b = self.inner.borrow_mut();
        if dag != self.id {
            b.errors.push(BuildError::ForeignTask { location });
            return;
        }
        let call = trigger.call();
        let reason = if upstream == task {
            Some(format!("`{call}` names the task itself: name the task it should run after"))
        } else if b.graph[task.node()].scope != b.graph[upstream.node()].scope {
            Some(format!(
                "`{call}` joins tasks of different scopes (a loop body, a condition branch, an exit handler): \
                 call both tasks in the same scope, or put the handler inside the scope of the task it watches"
            ))
        } else {
            let existing: Vec<DepKind> =
                b.graph.edges_connecting(upstream.node(), task.node()).map(|e| e.weight().kind).collect();
            if existing.contains(&DepKind::Data) {
                Some(format!(
                    "the task reads an output of the task it runs `{call}`, which may have failed and written \
                     none: pass the value through a task that always succeeds, or do not read it"
                ))
            } else if existing.iter().any(|k| matches!(k, DepKind::Trigger(_))) {
                Some("the task already has an `after_finished` or `after_failed` on this task: keep one".to_owned())
            } else if existing.contains(&DepKind::After) {
                Some("the task already runs `.after(..)` this task (after it succeeded): remove one".to_owned())
            } else {
                None
            }
        };
        if let Some(reason) = reason {
            b.errors.push(BuildError::InvalidSetting { location, reason });
            return;
        }
        b.graph.add_edge(upstream.node(), task.node(), Dep { kind: DepKind::Trigger(trigger), location });
    }
}
