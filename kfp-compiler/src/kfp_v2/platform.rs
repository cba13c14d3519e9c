//! The kfp-kubernetes `PlatformSpec`, the IR's optional second YAML document: per-executor
//! Kubernetes settings (`platforms.kubernetes.deploymentSpec.executors.<label>`).
//!
//! Field names and order follow kfp-kubernetes 2.17.3's `KubernetesExecutorConfig` protobuf (keys
//! sorted, as kfp writes them). int64 fields are strings, as protobuf's JSON mapping writes them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::inputs::{TaskInputParameter, TaskOutputParameterSpec};
use super::platform_pod::{
    EmptyDirMount, FieldPathAsEnv, GenericEphemeralVolume, ImagePullPolicy, ImagePullSecret, NodeAffinityTerm,
    NodeSelector, PodMetadata, SecurityContext, Toleration,
};
use super::proto_json::int64_string;

/// The second document.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PlatformSpec {
    /// The platforms (only `kubernetes`).
    pub platforms: Platforms,
}

impl PlatformSpec {
    /// Sets the Kubernetes settings of the executor `label` (replacing any).
    #[must_use]
    pub fn executor(mut self, label: impl Into<String>, config: KubernetesExecutorConfig) -> Self {
        self.platforms.kubernetes.deployment_spec.executors.insert(label.into(), config);
        self
    }

    /// No executor has settings: the document is not written.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        let k = &self.platforms.kubernetes;
        k.deployment_spec.executors.is_empty() && k.pipeline_config.is_none()
    }

    /// Sets the run-wide settings (`pipelineConfig`).
    #[must_use]
    pub fn pipeline_config(mut self, config: PipelineConfig) -> Self {
        self.platforms.kubernetes.pipeline_config = Some(config);
        self
    }
}

/// `platforms`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Platforms {
    /// `kubernetes`.
    pub kubernetes: KubernetesPlatform,
}

/// `platforms.kubernetes`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct KubernetesPlatform {
    /// `deploymentSpec`.
    #[serde(default, skip_serializing_if = "KubernetesDeploymentSpec::is_empty")]
    pub deployment_spec: KubernetesDeploymentSpec,
    /// `pipelineConfig`: settings of the whole run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipeline_config: Option<PipelineConfig>,
}

/// `platforms.kubernetes.pipelineConfig` (`ml_pipelines.PipelineConfig`): how long the run may take
/// and how long its Kubernetes resources stay after it. int32 fields, written as JSON numbers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PipelineConfig {
    /// The run's timeout in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_deadline_seconds: Option<i32>,
    /// Seconds the run's resources stay after it ends, however it ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_ttl_on_completion: Option<i32>,
}

impl KubernetesDeploymentSpec {
    /// No executor has settings.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.executors.is_empty()
    }
}

/// `platforms.kubernetes.deploymentSpec`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct KubernetesDeploymentSpec {
    /// Settings by executor label (a key of the `PipelineSpec`'s `deploymentSpec.executors`).
    pub executors: BTreeMap<String, KubernetesExecutorConfig>,
}

/// One executor's Kubernetes settings (`kfp_kubernetes.KubernetesExecutorConfig`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct KubernetesExecutorConfig {
    /// The pod's timeout in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none", with = "int64_string")]
    pub active_deadline_seconds: Option<i64>,
    /// Config map keys as environment variables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub config_map_as_env: Vec<ConfigMapAsEnv>,
    /// Config maps mounted as volumes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub config_map_as_volume: Vec<ConfigMapAsVolume>,
    /// emptyDir volumes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub empty_dir_mounts: Vec<EmptyDirMount>,
    /// Downward-API fields as environment variables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub field_path_as_env: Vec<FieldPathAsEnv>,
    /// Generic ephemeral volumes (a PVC living as long as the pod).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub generic_ephemeral_volume: Vec<GenericEphemeralVolume>,
    /// `Always`, `IfNotPresent` or `Never`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<ImagePullPolicy>,
    /// Secrets for pulling the image.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub image_pull_secret: Vec<ImagePullSecret>,
    /// Node affinity terms.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub node_affinity: Vec<NodeAffinityTerm>,
    /// Node labels the pod must run on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_selector: Option<NodeSelector>,
    /// Pod labels and annotations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod_metadata: Option<PodMetadata>,
    /// PVCs mounted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pvc_mount: Vec<PvcMount>,
    /// Secret keys as environment variables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secret_as_env: Vec<SecretAsEnv>,
    /// Secrets mounted as volumes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secret_as_volume: Vec<SecretAsVolume>,
    /// The container's user, group and non-root setting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security_context: Option<SecurityContext>,
    /// Tolerations.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tolerations: Vec<Toleration>,
}

/// A Kubernetes object's name: the deprecated literal beside the parameter form kfp-kubernetes
/// 2.17 writes (`secretName: x` and `secretNameParameter: {runtimeValue: {constant: x}}`).
fn constant_name(name: &str) -> TaskInputParameter {
    TaskInputParameter::constant(name)
}

/// `secretAsEnv`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SecretAsEnv {
    /// Which key becomes which variable.
    pub key_to_env: Vec<SecretKeyToEnv>,
    /// The pod starts even if the secret is missing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
    /// Deprecated: the literal name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_name: Option<String>,
    /// The name, possibly from a parameter.
    pub secret_name_parameter: TaskInputParameter,
}

impl SecretAsEnv {
    /// Keys of secret `name`, written as kfp-kubernetes 2.17 writes a constant name.
    #[must_use]
    pub fn new(name: &str, key_to_env: Vec<SecretKeyToEnv>) -> Self {
        Self { secret_name: Some(name.to_owned()), ..Self::from_parameter(constant_name(name), key_to_env) }
    }

    /// Keys of the secret named by a parameter (a pipeline input: `componentInputParameter`).
    #[must_use]
    pub fn from_parameter(name: TaskInputParameter, key_to_env: Vec<SecretKeyToEnv>) -> Self {
        Self { key_to_env, optional: Some(false), secret_name: None, secret_name_parameter: name }
    }
}

/// One secret key as one variable.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SecretKeyToEnv {
    /// The variable.
    pub env_var: String,
    /// The key.
    pub secret_key: String,
}

impl SecretKeyToEnv {
    /// Key `secret_key` as `env_var`.
    #[must_use]
    pub fn new(secret_key: impl Into<String>, env_var: impl Into<String>) -> Self {
        Self { env_var: env_var.into(), secret_key: secret_key.into() }
    }
}

/// `secretAsVolume`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SecretAsVolume {
    /// Where.
    pub mount_path: String,
    /// The pod starts even if the secret is missing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
    /// Deprecated: the literal name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret_name: Option<String>,
    /// The name, possibly from a parameter.
    pub secret_name_parameter: TaskInputParameter,
}

impl SecretAsVolume {
    /// Secret `name` at `mount_path`, written as kfp-kubernetes 2.17 writes a constant name.
    #[must_use]
    pub fn new(name: &str, mount_path: impl Into<String>) -> Self {
        Self {
            mount_path: mount_path.into(),
            optional: Some(false),
            secret_name: Some(name.to_owned()),
            secret_name_parameter: constant_name(name),
        }
    }
}

/// `configMapAsEnv`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ConfigMapAsEnv {
    /// Deprecated: the literal name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_map_name: Option<String>,
    /// The name, possibly from a parameter.
    pub config_map_name_parameter: TaskInputParameter,
    /// Which key becomes which variable.
    pub key_to_env: Vec<ConfigMapKeyToEnv>,
    /// The pod starts even if the config map is missing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
}

impl ConfigMapAsEnv {
    /// Keys of config map `name`.
    #[must_use]
    pub fn new(name: &str, key_to_env: Vec<ConfigMapKeyToEnv>) -> Self {
        Self {
            config_map_name: Some(name.to_owned()),
            config_map_name_parameter: constant_name(name),
            key_to_env,
            optional: Some(false),
        }
    }
}

/// One config map key as one variable.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ConfigMapKeyToEnv {
    /// The key.
    pub config_map_key: String,
    /// The variable.
    pub env_var: String,
}

impl ConfigMapKeyToEnv {
    /// Key `config_map_key` as `env_var`.
    #[must_use]
    pub fn new(config_map_key: impl Into<String>, env_var: impl Into<String>) -> Self {
        Self { config_map_key: config_map_key.into(), env_var: env_var.into() }
    }
}

/// `configMapAsVolume`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ConfigMapAsVolume {
    /// Deprecated: the literal name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_map_name: Option<String>,
    /// The name, possibly from a parameter.
    pub config_map_name_parameter: TaskInputParameter,
    /// Where.
    pub mount_path: String,
    /// The pod starts even if the config map is missing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
}

impl ConfigMapAsVolume {
    /// Config map `name` at `mount_path`.
    #[must_use]
    pub fn new(name: &str, mount_path: impl Into<String>) -> Self {
        Self {
            config_map_name: Some(name.to_owned()),
            config_map_name_parameter: constant_name(name),
            mount_path: mount_path.into(),
            optional: Some(false),
        }
    }
}

/// `pvcMount`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PvcMount {
    /// Deprecated: the PVC, as the `pvc_reference` oneof (kfp-kubernetes 2.17 still writes it).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub pvc_reference: Option<PvcReference>,
    /// Where.
    pub mount_path: String,
    /// The PVC's name: a constant, a pipeline input, or a task output (`CreatePVC`'s `name`; that
    /// task must be in `dependentTasks` of every task running the executor).
    pub pvc_name_parameter: TaskInputParameter,
    /// A path inside the volume.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_path: Option<String>,
}

impl PvcMount {
    /// Mounts the PVC named by input `input` of the enclosing component (a pipeline parameter,
    /// passed into a loop or condition as `pipelinechannel--<name>`).
    #[must_use]
    pub fn from_component_input(input: &str, mount_path: impl Into<String>) -> Self {
        Self {
            pvc_reference: Some(PvcReference::ComponentInputParameter(input.to_owned())),
            mount_path: mount_path.into(),
            pvc_name_parameter: TaskInputParameter::component_input(input),
            sub_path: None,
        }
    }

    /// Mounts the existing PVC `name`.
    #[must_use]
    pub fn named(name: &str, mount_path: impl Into<String>) -> Self {
        Self {
            pvc_reference: Some(PvcReference::Constant(name.to_owned())),
            mount_path: mount_path.into(),
            pvc_name_parameter: TaskInputParameter::constant(name),
            sub_path: None,
        }
    }

    /// Mounts the PVC named by output `key` of task `task` at `mount_path`, with the deprecated
    /// reference beside it.
    #[must_use]
    pub fn from_task_output(task: &str, key: &str, mount_path: impl Into<String>) -> Self {
        Self {
            pvc_reference: Some(PvcReference::TaskOutputParameter(TaskOutputParameterSpec::new(task, key))),
            mount_path: mount_path.into(),
            pvc_name_parameter: TaskInputParameter::task_output(task, key),
            sub_path: None,
        }
    }
}

/// The deprecated `pvc_reference` oneof of a [`PvcMount`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum PvcReference {
    /// An input of the enclosing component.
    ComponentInputParameter(String),
    /// A literal name.
    Constant(String),
    /// A task's output.
    TaskOutputParameter(TaskOutputParameterSpec),
}
