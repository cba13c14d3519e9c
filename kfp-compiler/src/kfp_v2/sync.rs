//! Concurrency limits across runs in the KFP v2 IR: there are none (no field of the PipelineSpec
//! or of kfp-kubernetes' PlatformSpec holds a lock), so each lock of a task or of the pipeline is
//! one [`Unsupported`] entry naming its line. `--lossy` leaves them out: a lock changes when a step
//! runs, not what it computes.

use kfp_dsl::model::Pipeline;

use super::unsupported::{LeaveOut, Unsupported};

const WHY: &str = "the IR has no concurrency limit across runs (Argo's `synchronization`): compile for Argo, or \
                   --lossy to run without the limit (steps then may run at the same time)";

/// One entry per lock of a task or of the pipeline.
pub(crate) fn unsupported_locks(p: &Pipeline, out: &mut Vec<Unsupported>) {
    for id in p.task_ids() {
        let task = p.task(id);
        let Some(s) = task.settings() else { continue };
        let name = &p.interface(task.callee()).name;
        for lock in &s.locks {
            out.push(Unsupported {
                location: Some(task.location()),
                task: Some(id),
                what: format!("{} of `{name}`", lock.describe()),
                why: WHY,
                leave_out: LeaveOut::Construct,
            });
        }
    }
    for l in &p.settings().locks {
        out.push(Unsupported {
            location: Some(l.location),
            task: None,
            what: format!("{} of the pipeline", l.lock.describe()),
            why: WHY,
            leave_out: LeaveOut::Construct,
        });
    }
}
