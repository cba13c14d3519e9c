//! Suspend steps: a step that waits for a person to approve (`Dag::approval`), or for a duration
//! (`Dag::pause`), before the tasks after it run. No container runs: Argo's `suspend` template.

/// What a suspend step waits for.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SuspendSpec {
    /// A person resumes the run (`argo resume`, the Argo UI's Resume); it waits until then.
    Approval,
    /// A fixed time, in whole seconds; the run goes on by itself.
    Pause {
        /// How long.
        seconds: u64,
    },
}

impl SuspendSpec {
    /// Argo's `suspend.duration` (`"30s"`), for a pause.
    pub fn duration(&self) -> Option<String> {
        match self {
            SuspendSpec::Approval => None,
            SuspendSpec::Pause { seconds } => Some(format!("{seconds}s")),
        }
    }
}
