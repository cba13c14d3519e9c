//! Concurrency limits across runs on Argo: a task's locks as its template's `synchronization`, the
//! pipeline's as `spec.synchronization`, in the shape the target version reads (one `mutex` or
//! `semaphore` up to v3.5, lists from v3.6). Several locks on one step (or on the run) before v3.6
//! is one error naming each line.

use kfp_dsl::{Lock, Pipeline};

use crate::argo::{ArgoVersion, ConfigMapKey, Mutex, SemaphoreRef, Synchronization};
use crate::error::CompileError;

/// Checks that `version` can hold every task's and the pipeline's locks.
///
/// # Errors
/// One line per task (and for the pipeline) holding more than one lock on a version before v3.6,
/// and per lock whose name a `for_every_task` transformer set wrong.
pub(crate) fn check(p: &Pipeline, version: ArgoVersion) -> Result<(), CompileError> {
    let mut problems = Vec::new();
    let one_lock = |what: String, locks: Vec<String>| {
        format!(
            "{what} holds {}: {} holds one lock per step and per workflow (`mutex` or `semaphore`); take one, or \
             compile with `--argo-version 3.6` or later (lists `mutexes` / `semaphores`)",
            locks.join(" and "),
            version.target()
        )
    };
    for id in p.task_ids() {
        let task = p.task(id);
        let Some(s) = task.settings() else { continue };
        let name = &p.interface(task.callee()).name;
        for lock in &s.locks {
            if let Err(reason) = lock.check() {
                problems.push(format!("{}: {} of `{name}`: {reason}", task.location(), lock.describe()));
            }
        }
        if s.locks.len() > 1 && !version.lock_lists() {
            let what = format!("{}: task `{name}`", task.location());
            problems.push(one_lock(what, s.locks.iter().map(Lock::describe).collect()));
        }
    }
    let locks = &p.settings().locks;
    if locks.len() > 1 && !version.lock_lists() {
        let at: Vec<String> = locks.iter().map(|l| l.location.to_string()).collect();
        let what = format!("{}: the pipeline", at.join(", "));
        problems.push(one_lock(what, locks.iter().map(|l| l.lock.describe()).collect()));
    }
    if problems.is_empty() { Ok(()) } else { Err(CompileError::Unsupported { target: version.target(), problems }) }
}

/// `locks` as Argo's `synchronization` for `version` (checked by [`check`]), or `None` for no lock.
pub(crate) fn synchronization<'a>(
    locks: impl IntoIterator<Item = &'a Lock>,
    version: ArgoVersion,
) -> Option<Synchronization> {
    let mut sync = Synchronization::default();
    for lock in locks {
        match lock {
            Lock::Mutex(name) => sync.mutexes.push(Mutex { name: name.clone() }),
            Lock::Semaphore { config_map, key } => sync.semaphores.push(SemaphoreRef {
                config_map_key_ref: ConfigMapKey { name: config_map.clone(), key: Some(key.clone()) },
            }),
            _ => {}
        }
    }
    if sync.mutexes.is_empty() && sync.semaphores.is_empty() {
        return None;
    }
    if !version.lock_lists() {
        // One lock (checked): the singular field.
        sync.mutex = sync.mutexes.pop();
        sync.semaphore = sync.semaphores.pop();
    }
    Some(sync)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_chooses_the_shape() {
        let locks = [Lock::Mutex("train".into())];
        let old = synchronization(&locks, ArgoVersion::V3_4).unwrap();
        assert_eq!(serde_json::to_value(&old).unwrap(), serde_json::json!({"mutex": {"name": "train"}}));
        let sem = [Lock::Semaphore { config_map: "limits".into(), key: "gpu".into() }];
        let old = synchronization(&sem, ArgoVersion::V3_5).unwrap();
        assert_eq!(
            serde_json::to_value(&old).unwrap(),
            serde_json::json!({"semaphore": {"configMapKeyRef": {"name": "limits", "key": "gpu"}}})
        );
        let both: Vec<Lock> = locks.iter().chain(&sem).cloned().collect();
        let new = synchronization(&both, ArgoVersion::V3_6).unwrap();
        assert_eq!(
            serde_json::to_value(&new).unwrap(),
            serde_json::json!({
                "mutexes": [{"name": "train"}],
                "semaphores": [{"configMapKeyRef": {"name": "limits", "key": "gpu"}}]
            })
        );
        assert!(synchronization(&[], ArgoVersion::V4_1).is_none());
    }
}
