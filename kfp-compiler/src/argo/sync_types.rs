//! Argo's `synchronization` and `memoize` structs: locks held across runs, and a template's
//! memoized outputs. Which fields a version reads is chosen in `lower/sync.rs` and
//! `lower/caching.rs` (see [`ArgoVersion`](super::ArgoVersion)).

use serde::{Deserialize, Serialize};

/// Argo's `Synchronization`: one `mutex` or `semaphore` (v3.4, v3.5), or lists (v3.6 and later).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Synchronization {
    /// The one mutex (v3.4 to v3.7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mutex: Option<Mutex>,
    /// The one semaphore (v3.4 to v3.7).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub semaphore: Option<SemaphoreRef>,
    /// Mutexes (v3.6 and later).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub mutexes: Vec<Mutex>,
    /// Semaphores (v3.6 and later).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub semaphores: Vec<SemaphoreRef>,
}

/// A mutex by name (in the workflow's namespace).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Mutex {
    /// Its name.
    pub name: String,
}

/// A semaphore whose limit is a key of a config map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SemaphoreRef {
    /// The config map and key.
    pub config_map_key_ref: ConfigMapKey,
}

/// A config map (and a key of it, where the type has one).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ConfigMapKey {
    /// The config map.
    pub name: String,
    /// The key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

/// Argo's `Memoize`: the template's outputs are stored under `key` in a config map, and a later
/// step with the same key (within `max_age`) reuses them instead of running.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Memoize {
    /// The cache key.
    pub key: String,
    /// How old a stored entry may be (a Go duration; empty: any age).
    pub max_age: String,
    /// Where entries are stored.
    pub cache: MemoizeCache,
}

/// Argo's `Cache`: a config map.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct MemoizeCache {
    /// The config map.
    pub config_map: ConfigMapKey,
}
