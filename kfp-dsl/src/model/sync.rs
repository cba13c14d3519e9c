//! Concurrency limits across runs: a mutex or a semaphore that a task, or the whole pipeline, holds
//! while it runs (Argo's `synchronization`). Names are literals checked when set, never values of a
//! run, so no value can choose which lock a step takes.

use crate::error::SourceLocation;

/// A lock held while a task (or the whole pipeline) runs.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Lock {
    /// At most one holder at a time, across every run of the namespace: Argo's mutex `name`.
    Mutex(String),
    /// At most as many holders as `key` of config map `config_map` says.
    Semaphore {
        /// The config map holding the limit.
        config_map: String,
        /// Its key whose value is the limit.
        key: String,
    },
}

impl Lock {
    /// The lock as the user wrote it, for messages: `` mutex `train` `` or `` semaphore `gpus/a100` ``.
    pub fn describe(&self) -> String {
        match self {
            Lock::Mutex(name) => format!("mutex `{name}`"),
            Lock::Semaphore { config_map, key } => format!("semaphore `{config_map}/{key}`"),
        }
    }

    /// Checks the names: a mutex name and a config map name are Kubernetes object names, a key is a
    /// config map key.
    ///
    /// # Errors
    /// What is wrong with which name.
    pub fn check(&self) -> Result<(), String> {
        match self {
            Lock::Mutex(name) => crate::checks::check_object_name("mutex", name),
            Lock::Semaphore { config_map, key } => {
                crate::checks::check_object_name("config map", config_map)?;
                check_config_map_key(key)
            }
        }
    }
}

/// A lock of the whole pipeline, with the line that set it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PipelineLock {
    /// The lock.
    pub lock: Lock,
    /// The `Dag::mutex` / `Dag::semaphore` call.
    pub location: SourceLocation,
}

/// A config map key: letters, digits, `-`, `_` and `.`, at most 253 characters, not `.` or `..`.
fn check_config_map_key(key: &str) -> Result<(), String> {
    let ok = !key.is_empty()
        && key.len() <= 253
        && key != "."
        && key != ".."
        && key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{}` is not a valid config map key (letters, digits, `-`, `_` and `.`, at most 253 characters)",
            key.escape_debug()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_checked() {
        assert!(Lock::Mutex("train-gpu".into()).check().is_ok());
        assert!(Lock::Semaphore { config_map: "limits".into(), key: "gpu_jobs.a100".into() }.check().is_ok());
        for bad in [
            Lock::Mutex("Train".into()),
            Lock::Mutex(String::new()),
            Lock::Mutex("{{inputs.parameters.x}}".into()),
            Lock::Semaphore { config_map: "lim its".into(), key: "k".into() },
            Lock::Semaphore { config_map: "limits".into(), key: "a/b".into() },
            Lock::Semaphore { config_map: "limits".into(), key: "..".into() },
        ] {
            assert!(bad.check().is_err(), "{bad:?}");
        }
    }
}
