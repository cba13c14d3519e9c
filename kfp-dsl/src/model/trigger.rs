//! Triggers: a task that runs after another whatever its outcome (`after_finished`), or only when it
//! failed (`after_failed`): cleanups, notifications, fallbacks.

/// When a task runs after an upstream task, besides the usual "after it succeeded".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Trigger {
    /// After the upstream task ended however it ended: it succeeded, failed, errored, or was skipped by
    /// a condition (Argo `a.Succeeded || a.Skipped || a.Daemoned || a.Failed || a.Errored`; KFP v2
    /// `ignore_upstream_failure`, `triggerPolicy.strategy: ALL_UPSTREAM_TASKS_COMPLETED`). An upstream
    /// task that never ran because its own upstream failed (Argo's `Omitted`) does not trigger it.
    Finished,
    /// Only when the upstream task failed or errored (Argo `a.Failed || a.Errored`); otherwise the task
    /// is omitted. The KFP v2 IR has no form for it.
    Failed,
}

impl Trigger {
    /// The user's call that makes it (`after_finished` / `after_failed`).
    pub fn call(self) -> &'static str {
        match self {
            Trigger::Finished => "after_finished",
            Trigger::Failed => "after_failed",
        }
    }
}
