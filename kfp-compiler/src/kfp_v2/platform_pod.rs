//! The pod-level parts of a kfp-kubernetes executor config: scheduling (node selector, affinity,
//! tolerations), pod metadata, image pulling, downward-API env, emptyDir and ephemeral volumes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::inputs::TaskInputParameter;
use super::proto_json::{int32_float, int64_string};

/// `nodeSelector`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct NodeSelector {
    /// Node labels.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// The whole selector as a JSON object from a parameter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_selector_json: Option<TaskInputParameter>,
}

impl NodeSelector {
    /// These labels.
    #[must_use]
    pub fn labels<K: Into<String>, V: Into<String>>(labels: impl IntoIterator<Item = (K, V)>) -> Self {
        Self { labels: labels.into_iter().map(|(k, v)| (k.into(), v.into())).collect(), node_selector_json: None }
    }
}

/// `podMetadata` (also a generic ephemeral volume's claim metadata).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PodMetadata {
    /// Annotations.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// Labels.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

impl PodMetadata {
    /// Adds a label.
    #[must_use]
    pub fn label(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.labels.insert(key.into(), value.into());
        self
    }

    /// Adds an annotation.
    #[must_use]
    pub fn annotation(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.annotations.insert(key.into(), value.into());
        self
    }
}

/// `imagePullPolicy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum ImagePullPolicy {
    /// Pull on every start.
    Always,
    /// Pull when the node lacks it.
    IfNotPresent,
    /// Never pull.
    Never,
}

/// `imagePullSecret`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ImagePullSecret {
    /// Deprecated: the literal name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_name: Option<String>,
    /// The name, possibly from a parameter.
    pub secret_name_parameter: TaskInputParameter,
}

impl ImagePullSecret {
    /// Secret `name`, written with both forms as kfp-kubernetes 2.17 writes a constant.
    #[must_use]
    pub fn new(name: &str) -> Self {
        Self { secret_name: Some(name.to_owned()), secret_name_parameter: TaskInputParameter::constant(name) }
    }
}

/// One `nodeAffinity` term: required when `weight` is absent, preferred with that weight otherwise.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct NodeAffinityTerm {
    /// Node label requirements.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub match_expressions: Vec<SelectorRequirement>,
    /// Node field requirements.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub match_fields: Vec<SelectorRequirement>,
    /// The whole affinity as JSON from a parameter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_affinity_json: Option<TaskInputParameter>,
    /// 1 to 100 for a preferred term (written as a float, as kfp-kubernetes writes it).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "int32_float")]
    pub weight: Option<i32>,
}

impl NodeAffinityTerm {
    /// A required term with these label requirements.
    #[must_use]
    pub fn required(match_expressions: Vec<SelectorRequirement>) -> Self {
        Self { match_expressions, ..Self::default() }
    }

    /// A preferred term of `weight` (1 to 100) with these label requirements.
    #[must_use]
    pub fn preferred(weight: i32, match_expressions: Vec<SelectorRequirement>) -> Self {
        Self { match_expressions, weight: Some(weight), ..Self::default() }
    }
}

/// A label or field requirement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SelectorRequirement {
    /// The label or field.
    pub key: String,
    /// `In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt`, `Lt`.
    pub operator: String,
    /// The values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

impl SelectorRequirement {
    /// `key operator values`.
    #[must_use]
    pub fn new<S: Into<String>>(
        key: impl Into<String>,
        operator: impl Into<String>,
        values: impl IntoIterator<Item = S>,
    ) -> Self {
        Self { key: key.into(), operator: operator.into(), values: values.into_iter().map(Into::into).collect() }
    }
}

/// A toleration.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Toleration {
    /// `NoSchedule`, `PreferNoSchedule`, `NoExecute`, or empty for all.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub effect: Option<String>,
    /// The taint's key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// `Exists` or `Equal`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    /// The whole toleration as JSON from a parameter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub toleration_json: Option<TaskInputParameter>,
    /// How long a `NoExecute` taint is tolerated.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "int64_string")]
    pub toleration_seconds: Option<i64>,
    /// The taint's value (with `Equal`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl Toleration {
    /// Tolerates taint `key` with `effect`, whatever its value (`operator: Exists`).
    #[must_use]
    pub fn exists(key: impl Into<String>, effect: impl Into<String>) -> Self {
        Self {
            effect: Some(effect.into()),
            key: Some(key.into()),
            operator: Some("Exists".to_owned()),
            ..Self::default()
        }
    }

    /// Tolerates taint `key=value` with `effect` (`operator: Equal`).
    #[must_use]
    pub fn equal(key: impl Into<String>, value: impl Into<String>, effect: impl Into<String>) -> Self {
        Self {
            effect: Some(effect.into()),
            key: Some(key.into()),
            operator: Some("Equal".to_owned()),
            value: Some(value.into()),
            ..Self::default()
        }
    }
}

/// `fieldPathAsEnv`: a downward-API field as a variable.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct FieldPathAsEnv {
    /// `metadata.name`, `status.podIP`, ...
    pub field_path: String,
    /// The variable.
    pub name: String,
}

impl FieldPathAsEnv {
    /// `field_path` as `name`.
    #[must_use]
    pub fn new(name: impl Into<String>, field_path: impl Into<String>) -> Self {
        Self { field_path: field_path.into(), name: name.into() }
    }
}

/// `emptyDirMounts`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct EmptyDirMount {
    /// `Memory` for a tmpfs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub medium: Option<String>,
    /// Where.
    pub mount_path: String,
    /// A quantity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size_limit: Option<String>,
    /// The volume's name in the pod.
    pub volume_name: String,
}

impl EmptyDirMount {
    /// An emptyDir `volume_name` at `mount_path`.
    #[must_use]
    pub fn new(volume_name: impl Into<String>, mount_path: impl Into<String>) -> Self {
        Self { medium: None, mount_path: mount_path.into(), size_limit: None, volume_name: volume_name.into() }
    }
}

impl GenericEphemeralVolume {
    /// A `size` volume `volume_name` at `mount_path` (no access modes, class or metadata yet).
    #[must_use]
    pub fn new(volume_name: impl Into<String>, mount_path: impl Into<String>, size: impl Into<String>) -> Self {
        Self { mount_path: mount_path.into(), size: size.into(), volume_name: volume_name.into(), ..Self::default() }
    }
}

/// `genericEphemeralVolume`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct GenericEphemeralVolume {
    /// `ReadWriteOnce`, ...
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub access_modes: Vec<String>,
    /// Use the cluster's default storage class (`storageClassName` is ignored).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub default_storage_class: bool,
    /// The claim's labels and annotations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<PodMetadata>,
    /// Where.
    pub mount_path: String,
    /// The size (a quantity).
    pub size: String,
    /// The storage class.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storage_class_name: Option<String>,
    /// The volume's name in the pod.
    pub volume_name: String,
}

/// The container's identity (`securityContext`): kfp-kubernetes 2.17.3 has the user, the group and
/// non-root only.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SecurityContext {
    /// Run as this group id.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "int64_string")]
    pub run_as_group: Option<i64>,
    /// Refuse to run as root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_as_non_root: Option<bool>,
    /// Run as this user id.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "int64_string")]
    pub run_as_user: Option<i64>,
}
