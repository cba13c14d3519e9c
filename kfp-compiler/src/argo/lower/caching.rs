//! Caching on Argo, beyond the per-task label and staleness `pod.rs` writes: caching off for every
//! step (`--no-cache`, `Dag::disable_caching`), and Argo's own memoization for a task with a
//! `.cache_key(..)` (`memoize`: the key, the staleness as `maxAge`, the pipeline's
//! `memoize_cache` config map, in the shape the target version reads).

use kfp_dsl::{Pipeline, TaskSettings};

use crate::CompileOptions;
use crate::argo::kfp_meta;
use crate::argo::{ArgoVersion, ConfigMapKey, Memoize, MemoizeCache, Template};
use crate::error::CompileError;

/// What every template's caching depends on.
pub(crate) struct Caching<'a> {
    /// Caching off for every step.
    off: bool,
    /// The memoization config map.
    memoize_cache: Option<&'a str>,
    version: ArgoVersion,
}

impl<'a> Caching<'a> {
    /// The options' and the pipeline's caching settings.
    ///
    /// # Errors
    /// A task with a cache key when caching is on and the pipeline names no memoization config map:
    /// Argo memoizes by key only into a config map.
    pub(crate) fn new(p: &'a Pipeline, opts: &CompileOptions) -> Result<Self, CompileError> {
        let s = p.settings();
        let caching = Caching {
            off: opts.no_cache || s.caching_disabled,
            memoize_cache: s.memoize_cache.as_deref(),
            version: opts.argo_version,
        };
        if caching.off || caching.memoize_cache.is_some() {
            return Ok(caching);
        }
        let mut problems = Vec::new();
        for id in p.task_ids() {
            let task = p.task(id);
            if let Some(key) = task.settings().and_then(|s| s.cache_key.as_ref()) {
                problems.push(format!(
                    "{}: cache key `{key}` of `{}`: Argo memoizes a step's outputs by key in a config map; name \
                     one with `p.memoize_cache(\"config-map\")`, or compile with `--target kfp-v2` (whose \
                     cachingOptions carry the key)",
                    task.location(),
                    p.interface(task.callee()).name
                ));
            }
        }
        if problems.is_empty() {
            Ok(caching)
        } else {
            Err(CompileError::Unsupported { target: caching.version.target(), problems })
        }
    }

    /// Applies the caching settings to a step's template `t` (its label from `pod.rs` already set).
    pub(crate) fn apply(&self, t: &mut Template, s: Option<&TaskSettings>) {
        if self.off {
            t.metadata.labels.insert(kfp_meta::ENABLE_CACHING.to_owned(), "false".to_owned());
            return;
        }
        let on = t.metadata.labels.get(kfp_meta::ENABLE_CACHING).is_some_and(|v| v == "true");
        let (Some(s), Some(config_map)) = (s, self.memoize_cache) else { return };
        let Some(key) = s.cache_key.as_ref().filter(|_| on) else { return };
        let key_of_map = self.version.memoize_cache_has_key().then(|| key.clone());
        t.memoize = Some(Memoize {
            key: key.clone(),
            max_age: s.max_cache_staleness.as_deref().map(go_duration).unwrap_or_default(),
            cache: MemoizeCache { config_map: ConfigMapKey { name: config_map.to_owned(), key: key_of_map } },
        });
    }
}

/// An ISO 8601 duration (checked when set: `P7D`, `PT12H`, `P1DT30M`) as a Go duration (`168h`,
/// `12h`, `24h30m`). Go has no days: a day is 24h, a week 7 days, a month 30 days, a year 365 days.
pub(crate) fn go_duration(iso: &str) -> String {
    let Some(rest) = iso.strip_prefix('P') else { return String::new() };
    let (date, time) = rest.split_once('T').unwrap_or((rest, ""));
    let mut seconds: u64 = 0;
    let mut add = |part: &str, units: &[(char, u64)]| {
        let mut n = String::new();
        for c in part.chars() {
            if c.is_ascii_digit() {
                n.push(c);
            } else if let Some((_, unit)) = units.iter().find(|(u, _)| *u == c) {
                seconds = seconds.saturating_add(n.parse::<u64>().unwrap_or(0).saturating_mul(*unit));
                n.clear();
            }
        }
    };
    const DAY: u64 = 24 * 3600;
    add(date, &[('Y', 365 * DAY), ('M', 30 * DAY), ('W', 7 * DAY), ('D', DAY)]);
    add(time, &[('H', 3600), ('M', 60), ('S', 1)]);
    let (h, m, s) = (seconds / 3600, seconds % 3600 / 60, seconds % 60);
    let mut out = String::new();
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if s > 0 || out.is_empty() {
        out.push_str(&format!("{s}s"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::go_duration;

    #[test]
    fn iso_durations_become_go_durations() {
        for (iso, go) in [
            ("P7D", "168h"),
            ("PT12H", "12h"),
            ("P1DT30M", "24h30m"),
            ("PT90S", "1m30s"),
            ("P0D", "0s"),
            ("P1W", "168h"),
            ("P1Y", "8760h"),
        ] {
            assert_eq!(go_duration(iso), go, "{iso}");
            kfp_dsl::check_duration(go).unwrap();
        }
    }
}
