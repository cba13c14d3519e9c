//! The Argo Workflows version a workflow is written for (`compile --argo-version`). Most of what the
//! compiler writes reads the same on every version from v3.4 to v4.1; what differs is chosen here:
//!
//! - `synchronization`: v3.4 and v3.5 read one `mutex` or one `semaphore`; v3.6 and v3.7 read those
//!   and the lists `mutexes` / `semaphores`; v4.0 and later read only the lists.
//! - `memoize.cache.configMap`: a `ConfigMapKeySelector` up to v3.7 (whose `key` the schema
//!   requires and the controller ignores), a `LocalObjectReference` (a name only) from v4.0.

use std::fmt;
use std::str::FromStr;

/// An Argo Workflows minor version.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum ArgoVersion {
    /// v3.4 (Kubeflow Pipelines 2.2 to 2.4).
    V3_4,
    /// v3.5 (Kubeflow Pipelines 2.5).
    V3_5,
    /// v3.6 (Kubeflow Pipelines 2.14).
    V3_6,
    /// v3.7 (Kubeflow Pipelines 2.15 and 2.16).
    V3_7,
    /// v4.0 (Kubeflow Pipelines 2.17).
    V4_0,
    /// v4.1, the newest, and the default.
    #[default]
    V4_1,
}

impl ArgoVersion {
    /// Every version, oldest first.
    pub const ALL: [ArgoVersion; 6] = [Self::V3_4, Self::V3_5, Self::V3_6, Self::V3_7, Self::V4_0, Self::V4_1];

    /// `3.4`, ..., `4.1`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::V3_4 => "3.4",
            Self::V3_5 => "3.5",
            Self::V3_6 => "3.6",
            Self::V3_7 => "3.7",
            Self::V4_0 => "4.0",
            Self::V4_1 => "4.1",
        }
    }

    /// `Argo v3.4`: the target an error names.
    pub(crate) fn target(self) -> &'static str {
        match self {
            Self::V3_4 => "Argo v3.4",
            Self::V3_5 => "Argo v3.5",
            Self::V3_6 => "Argo v3.6",
            Self::V3_7 => "Argo v3.7",
            Self::V4_0 => "Argo v4.0",
            Self::V4_1 => "Argo v4.1",
        }
    }

    /// Whether `synchronization` takes lists (`mutexes`, `semaphores`): v3.6 and later. Before, it
    /// holds one lock.
    pub(crate) fn lock_lists(self) -> bool {
        self >= Self::V3_6
    }

    /// Whether the memoization cache's config map is a `ConfigMapKeySelector` (with a `key`): up to
    /// v3.7.
    pub(crate) fn memoize_cache_has_key(self) -> bool {
        self < Self::V4_0
    }
}

impl fmt::Display for ArgoVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ArgoVersion {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.strip_prefix('v').unwrap_or(s);
        // `3.4.17` reads as `3.4`.
        let minor = s.splitn(3, '.').take(2).collect::<Vec<_>>().join(".");
        Self::ALL.into_iter().find(|v| v.as_str() == minor).ok_or_else(|| {
            format!(
                "`{s}` is not an Argo version this compiler writes for; expected one of {}",
                Self::ALL.map(|v| v.as_str()).join(", ")
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_parse_and_order() {
        assert_eq!("3.4".parse(), Ok(ArgoVersion::V3_4));
        assert_eq!("v3.6.10".parse(), Ok(ArgoVersion::V3_6));
        assert_eq!("4.1".parse(), Ok(ArgoVersion::V4_1));
        assert!("3.3".parse::<ArgoVersion>().unwrap_err().contains("3.4, 3.5, 3.6, 3.7, 4.0, 4.1"));
        assert!("4".parse::<ArgoVersion>().is_err());
        assert!(!ArgoVersion::V3_5.lock_lists() && ArgoVersion::V3_6.lock_lists());
        assert!(ArgoVersion::V3_7.memoize_cache_has_key() && !ArgoVersion::V4_0.memoize_cache_has_key());
        assert_eq!(ArgoVersion::default(), ArgoVersion::V4_1);
    }
}
