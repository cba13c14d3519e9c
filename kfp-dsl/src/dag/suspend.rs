//! Approvals and pauses: `p.approval("deploy-ok")` waits for a person, `p.pause(d)` for a duration;
//! each is a task other tasks can run `.after(..)`.

use std::time::Duration;

use super::{Dag, Task};
use crate::error::{BuildError, SourceLocation};
use crate::model::{ComponentSpec, Implementation, SuspendSpec};

impl Dag {
    /// A step that waits until a person approves: the tasks `.after(..)` it run once the run is
    /// resumed (`argo resume WORKFLOW`, or Resume in the Argo UI; an Argo `suspend` template).
    /// `name` is the task's name (letters, digits, `-`, `_`), shown in the UI and given to the local
    /// runner's `--approve NAME`. It waits without limit; bound the wait with the pipeline's timeout.
    /// The KFP v2 IR has no form for it.
    ///
    /// ```text
    /// let ok = p.approval("deploy-ok").after(&eval);
    /// deploy(p, model).after(&ok);
    /// ```
    #[track_caller]
    pub fn approval(&self, name: &str) -> Task<'_, ()> {
        let location = SourceLocation::caller();
        if let Err(reason) = super::check_param_name(name) {
            self.push_error(BuildError::InvalidName { location, what: "approval", name: name.to_owned(), reason });
        }
        self.suspend_task(name, SuspendSpec::Approval, location)
    }

    /// A step that waits for `duration` and then lets the tasks `.after(..)` it run (an Argo
    /// `suspend` template with a `duration`). Argo counts whole seconds: a duration with a fraction of
    /// a second, or of zero, is an error. The KFP v2 IR has no form for it.
    #[track_caller]
    pub fn pause(&self, duration: Duration) -> Task<'_, ()> {
        let location = SourceLocation::caller();
        if duration.is_zero() || duration.subsec_nanos() != 0 {
            self.push_error(BuildError::InvalidSetting {
                location,
                reason: format!(
                    "`pause({duration:?})`: Argo pauses for whole seconds, at least one: use `Duration::from_secs(..)`"
                ),
            });
        }
        self.suspend_task("pause", SuspendSpec::Pause { seconds: duration.as_secs() }, location)
    }

    fn suspend_task(&self, name: &str, spec: SuspendSpec, location: SourceLocation) -> Task<'_, ()> {
        let mut component = ComponentSpec::new(name, None);
        component.implementation = Implementation::Suspend(spec);
        let c = self.dynamic_component(&component, location);
        let id = self.add_component_call(c, location, Vec::new());
        self.task_handle(id, ())
    }
}
