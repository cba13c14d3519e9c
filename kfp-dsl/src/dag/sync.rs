//! Concurrency limits across runs: `.mutex(..)` and `.semaphore(..)` on a task (held while its step
//! runs) and on the pipeline (held for the whole run). Names are literals, checked when set.

use crate::dag::{Dag, Task};
use crate::error::SourceLocation;
use crate::model::{Lock, PipelineLock};

fn add(locks: &mut Vec<Lock>, lock: Lock) -> Result<(), String> {
    lock.check()?;
    if locks.contains(&lock) {
        return Err(format!("{} is taken twice", lock.describe()));
    }
    locks.push(lock);
    Ok(())
}

impl<O: Copy> Task<'_, O> {
    /// Runs the step only while it holds mutex `name`: at most one step (of any run in the
    /// namespace) holding the same mutex runs at a time (Argo `synchronization`). `name` is a
    /// Kubernetes object name (lowercase letters, digits, `-`, `.`).
    #[track_caller]
    pub fn mutex(self, name: &str) -> Self {
        let lock = Lock::Mutex(name.to_owned());
        self.set(SourceLocation::caller(), |s| add(&mut s.locks, lock))
    }

    /// Runs the step only while it holds semaphore `key` of config map `config_map`: at most as many
    /// steps (of any run in the namespace) as that key's value run at a time.
    #[track_caller]
    pub fn semaphore(self, config_map: &str, key: &str) -> Self {
        let lock = Lock::Semaphore { config_map: config_map.to_owned(), key: key.to_owned() };
        self.set(SourceLocation::caller(), |s| add(&mut s.locks, lock))
    }
}

impl Dag {
    fn pipeline_lock(&self, lock: Lock, location: SourceLocation) {
        self.pipeline_setting(location, |s| {
            lock.check()?;
            if s.locks.iter().any(|l| l.lock == lock) {
                return Err(format!("{} is taken twice", lock.describe()));
            }
            s.locks.push(PipelineLock { lock, location });
            Ok(())
        });
    }

    /// Runs the whole pipeline only while it holds mutex `name`: one run at a time (of any pipeline
    /// taking the same mutex in the namespace); the others wait (Argo `spec.synchronization`).
    #[track_caller]
    pub fn mutex(&self, name: &str) {
        self.pipeline_lock(Lock::Mutex(name.to_owned()), SourceLocation::caller());
    }

    /// Runs the whole pipeline only while it holds semaphore `key` of config map `config_map`: at most
    /// as many runs at a time as that key's value.
    #[track_caller]
    pub fn semaphore(&self, config_map: &str, key: &str) {
        let lock = Lock::Semaphore { config_map: config_map.to_owned(), key: key.to_owned() };
        self.pipeline_lock(lock, SourceLocation::caller());
    }
}
