//! Caching beyond on/off and staleness (in `task_settings.rs`): a task's own cache key, caching off
//! for every task of the pipeline, and the config map Argo memoizes into.

use crate::checks::check_object_name;
use crate::dag::{Dag, Task};
use crate::error::SourceLocation;

/// A cache key as Argo's memoization reads it (`^[a-zA-Z0-9][-a-zA-Z0-9]*$`, which its config-map
/// cache enforces when the step runs), at most 253 characters (a config map key).
fn check_cache_key(key: &str) -> Result<(), String> {
    let ok = key.len() <= 253
        && key.starts_with(|c: char| c.is_ascii_alphanumeric())
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{}` is not a valid cache key (letters, digits and `-`, starting with a letter or digit, at most 253 \
             characters)",
            key.escape_debug()
        ))
    }
}

impl<O: Copy> Task<'_, O> {
    /// Reuses a cached result by this key: in the KFP v2 IR, `cachingOptions.cacheKey` (Vertex AI
    /// reads it; Kubeflow Pipelines 2.x keeps its own fingerprint of the inputs); on Argo, memoization
    /// by key in the pipeline's [`memoize_cache`](Dag::memoize_cache) config map, for
    /// [`max_cache_staleness`](Self::max_cache_staleness) if set. The key alone decides a hit, so
    /// change it (a version, a date) when what the step computes changes.
    #[track_caller]
    pub fn cache_key(self, key: &str) -> Self {
        let key = key.to_owned();
        self.set(SourceLocation::caller(), |s| {
            check_cache_key(&key)?;
            s.cache_key = Some(key);
            Ok(())
        })
    }
}

impl Dag {
    /// No task reuses a cached result, whatever its own setting: kfp's `enable_caching=False`
    /// (`compile --no-cache` does the same for one compilation).
    #[track_caller]
    pub fn disable_caching(&self) {
        self.pipeline_setting(SourceLocation::caller(), |s| {
            s.caching_disabled = true;
            Ok(())
        });
    }

    /// Argo memoizes the outputs of tasks with a [`cache_key`](Task::cache_key) in this config map
    /// (which Argo creates; its service account needs to write config maps). The IR ignores it: the
    /// KFP v2 backend keeps its own cache.
    #[track_caller]
    pub fn memoize_cache(&self, config_map: &str) {
        let name = config_map.to_owned();
        self.pipeline_setting(SourceLocation::caller(), |s| {
            check_object_name("config map", &name)?;
            s.memoize_cache = Some(name);
            Ok(())
        });
    }
}

#[cfg(test)]
mod tests {
    use super::check_cache_key;

    #[test]
    fn cache_keys_are_checked() {
        assert!(check_cache_key("features-v2").is_ok());
        for bad in ["", "-a", "a_b", "a.b", "{{inputs.parameters.x}}", &"a".repeat(254)] {
            assert!(check_cache_key(bad).is_err(), "{bad}");
        }
    }
}
