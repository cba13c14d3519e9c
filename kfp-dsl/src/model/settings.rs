//! Task and pipeline settings in the model: what a task's pod and container carry (resources,
//! scheduling, environment, volumes, extra containers, retries, caching, metadata) and what applies to
//! the whole workflow. The setters that fill them are on `Task` and `Dag`.

use std::collections::BTreeMap;

use crate::error::SourceLocation;
use crate::model::VolumeSource;

/// A setting's value: a literal, or a pipeline parameter (resolved by Argo when the step starts).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum SettingValue {
    /// A literal.
    Literal(String),
    /// The pipeline parameter of this name.
    PipelineParam(String),
    /// Any other value (a task output, a loop item, ...), of the task's own dag: the task reads it as
    /// an input named by [`setting_input`] (resources only).
    Value(crate::model::ValueSrc),
}

/// The name of the input through which a task reads resource `key` of `group` (`requests` or
/// `limits`; the image is `("image", "image")`) when the value is a [`SettingValue::Value`]:
/// `kfp-setting-limits-nvidia-com-gpu`, `kfp-setting-image`.
pub fn setting_input(group: &str, key: &str) -> String {
    let key: String = key.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    if group == key { format!("kfp-setting-{key}") } else { format!("kfp-setting-{group}-{key}") }
}

/// Where an environment variable's value comes from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum EnvSource {
    /// A literal or a pipeline parameter.
    Value(SettingValue),
    /// A key of a secret.
    SecretKey {
        /// The secret.
        name: String,
        /// The key.
        key: String,
    },
    /// A key of a config map.
    ConfigMapKey {
        /// The config map.
        name: String,
        /// The key.
        key: String,
    },
    /// A field of the pod (`metadata.name`, `status.podIP`, ...).
    FieldPath(String),
}

/// A volume mount of the main container.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Mount {
    /// The volume.
    pub volume: String,
    /// Where it appears.
    pub path: String,
    /// Read-only.
    pub read_only: bool,
}

/// An extra container: a sidecar (runs beside the step) or an init container (runs before it).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ExtraContainer {
    /// Its name.
    pub name: String,
    /// Its image.
    pub image: String,
    /// Its command.
    pub command: Vec<String>,
    /// Its arguments.
    pub args: Vec<String>,
    /// Whether it sees the main container's volume mounts.
    pub mirror_volume_mounts: bool,
}

impl ExtraContainer {
    /// A container `name` running `image`.
    pub fn new(name: impl Into<String>, image: impl Into<String>) -> Self {
        ExtraContainer {
            name: name.into(),
            image: image.into(),
            command: Vec::new(),
            args: Vec::new(),
            mirror_volume_mounts: false,
        }
    }

    /// Its command.
    #[must_use]
    pub fn command<S: Into<String>>(mut self, command: impl IntoIterator<Item = S>) -> Self {
        self.command = command.into_iter().map(Into::into).collect();
        self
    }

    /// Its arguments.
    #[must_use]
    pub fn args<S: Into<String>>(mut self, args: impl IntoIterator<Item = S>) -> Self {
        self.args = args.into_iter().map(Into::into).collect();
        self
    }

    /// Gives it the main container's volume mounts.
    #[must_use]
    pub fn mirror_volume_mounts(mut self) -> Self {
        self.mirror_volume_mounts = true;
        self
    }
}

/// How a failed step is retried.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Retry {
    /// At most this many retries.
    pub limit: u32,
    /// `Always`, `OnFailure`, `OnError` or `OnTransientError`.
    pub policy: Option<String>,
    /// The first wait (`"30s"`).
    pub backoff: Option<String>,
    /// Each wait is this many times the last.
    pub factor: Option<u32>,
    /// The longest wait (`"5m"`).
    pub max_backoff: Option<String>,
    /// Retry only the failed attempts this holds for.
    pub when: Option<crate::model::RetryIf>,
    /// Run each retry on a node other than the failed attempts'.
    pub other_node: bool,
}

/// A node affinity term: `key` `operator` `values`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct NodeAffinity {
    /// Required (`true`) or preferred with weight 1.
    pub required: bool,
    /// The node label.
    pub key: String,
    /// `In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt`, `Lt`.
    pub operator: String,
    /// The values.
    pub values: Vec<String>,
}

/// A toleration of a node taint.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Toleration {
    /// The taint key.
    pub key: String,
    /// `Exists` or `Equal`.
    pub operator: String,
    /// The taint value (with `Equal`).
    pub value: Option<String>,
    /// `NoSchedule`, `PreferNoSchedule`, `NoExecute`, or empty for all.
    pub effect: String,
}

/// The main container's security context.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct SecurityContext {
    /// Run as this user id.
    pub run_as_user: Option<i64>,
    /// Run as this group id.
    pub run_as_group: Option<i64>,
    /// Refuse to run as root.
    pub run_as_non_root: Option<bool>,
    /// Privileged.
    pub privileged: Option<bool>,
    /// A read-only root filesystem.
    pub read_only_root_filesystem: Option<bool>,
    /// Whether a process may gain more privileges than its parent.
    pub allow_privilege_escalation: Option<bool>,
}

/// Everything a task may carry beyond its arguments.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct TaskSettings {
    pub(crate) explicit_name: Option<(String, SourceLocation)>,
    /// The name shown in the Kubeflow UI.
    pub display_name: Option<String>,
    /// Resource requests (`cpu`, `memory`, `ephemeral-storage`).
    pub requests: BTreeMap<String, SettingValue>,
    /// Resource limits (also `nvidia.com/gpu`, `amd.com/gpu`).
    pub limits: BTreeMap<String, SettingValue>,
    /// Node labels the pod must run on.
    pub node_selector: BTreeMap<String, String>,
    /// Taints the pod tolerates.
    pub tolerations: Vec<Toleration>,
    /// Node affinity terms.
    pub affinity: Vec<NodeAffinity>,
    /// Environment variables of the main container.
    pub env: Vec<(String, EnvSource)>,
    /// Secrets and config maps whose keys all become environment variables: `(is_secret, name)`.
    pub env_from: Vec<(bool, String)>,
    /// Volumes: `(name, source)`.
    pub volumes: Vec<(String, VolumeSource)>,
    /// Mounts of the main container.
    pub mounts: Vec<Mount>,
    /// Ports of the main container.
    pub ports: Vec<crate::model::Port>,
    /// Probes of the main container.
    pub probes: BTreeMap<crate::model::ProbeKind, crate::model::Probe>,
    /// Lifecycle hooks of the main container.
    pub hooks: BTreeMap<crate::model::HookKind, crate::model::Action>,
    /// Sidecars.
    pub sidecars: Vec<ExtraContainer>,
    /// Init containers.
    pub init_containers: Vec<ExtraContainer>,
    /// `Always`, `IfNotPresent` or `Never`.
    pub image_pull_policy: Option<String>,
    /// The main container's image, instead of the component's: a literal, or a value the task reads
    /// as its input [`setting_input`]`("image", "image")`.
    pub image: Option<SettingValue>,
    /// The main container's security context.
    pub security_context: Option<SecurityContext>,
    /// Retries.
    pub retry: Option<Retry>,
    /// The step fails after this many seconds.
    pub timeout_seconds: Option<u64>,
    /// Whether Kubeflow's cache may reuse the step's results (default: yes).
    pub caching: Option<bool>,
    /// How old a cached result may be (ISO 8601 duration, `P7D`).
    pub max_cache_staleness: Option<String>,
    /// The user's cache key (IR `cachingOptions.cacheKey`, Argo `memoize.key`).
    pub cache_key: Option<String>,
    /// Mutexes and semaphores the step holds while it runs.
    pub locks: Vec<crate::model::Lock>,
    /// Pod labels.
    pub labels: BTreeMap<String, String>,
    /// Pod annotations.
    pub annotations: BTreeMap<String, String>,
    /// JSON merge patches on what the task compiles to, in call order.
    pub patches: Vec<crate::model::Patch>,
}

impl TaskSettings {
    /// Drops the settings of containers (resources, env, volumes, ports, probes, hooks, extra
    /// containers, pull policy, security context): what a resource step, which runs no container of the user's, keeps is
    /// scheduling, retries, timeout, caching and metadata.
    pub fn without_container_settings(&self) -> TaskSettings {
        TaskSettings {
            requests: BTreeMap::new(),
            limits: BTreeMap::new(),
            env: Vec::new(),
            env_from: Vec::new(),
            volumes: Vec::new(),
            mounts: Vec::new(),
            ports: Vec::new(),
            probes: BTreeMap::new(),
            hooks: BTreeMap::new(),
            sidecars: Vec::new(),
            init_containers: Vec::new(),
            image_pull_policy: None,
            image: None,
            security_context: None,
            ..self.clone()
        }
    }

    /// Forgets the task's own name (which does not shape its template).
    pub fn clear_name(&mut self) {
        self.explicit_name = None;
    }
}

/// How many settings of the main container (or the pod's containers) `s` holds.
pub(crate) fn container_settings(s: &TaskSettings) -> usize {
    s.requests.len()
        + s.limits.len()
        + s.env.len()
        + s.env_from.len()
        + s.volumes.len()
        + s.mounts.len()
        + s.ports.len()
        + s.probes.len()
        + s.hooks.len()
        + s.sidecars.len()
        + s.init_containers.len()
        + usize::from(s.image_pull_policy.is_some())
        + usize::from(s.image.is_some())
        + usize::from(s.security_context.is_some())
}

/// DNS settings of every pod.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct DnsConfig {
    /// Name servers.
    pub nameservers: Vec<String>,
    /// Search domains.
    pub searches: Vec<String>,
    /// Resolver options: `(name, value)`.
    pub options: Vec<(String, Option<String>)>,
}

/// Settings of the whole workflow.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PipelineSettings {
    /// Secrets for pulling private images.
    pub image_pull_secrets: Vec<String>,
    /// Delete the workflow this many seconds after it finishes.
    pub ttl_seconds_after_finished: Option<u64>,
    /// At most this many pods at once.
    pub parallelism: Option<u32>,
    /// When to delete pods: `OnPodCompletion`, `OnPodSuccess`, `OnWorkflowCompletion`,
    /// `OnWorkflowSuccess`.
    pub pod_gc: Option<String>,
    /// Fail the workflow after this many seconds.
    pub timeout_seconds: Option<u64>,
    /// The service account pods run as (instead of `pipeline-runner`).
    pub service_account: Option<String>,
    /// Node labels every pod must run on.
    pub node_selector: BTreeMap<String, String>,
    /// The image pull policy of containers that set none.
    pub image_pull_policy: Option<String>,
    /// Keep at least this many of the workflow's pods running during voluntary disruptions.
    pub pod_disruption_budget_min_available: Option<String>,
    /// DNS settings of every pod.
    pub dns: Option<DnsConfig>,
    /// Where artifacts go: `(config map, key)`.
    pub artifact_repository: Option<(String, String)>,
    /// Labels of every pod.
    pub pod_labels: BTreeMap<String, String>,
    /// Annotations of every pod.
    pub pod_annotations: BTreeMap<String, String>,
    /// Mutexes and semaphores the whole run holds.
    pub locks: Vec<crate::model::PipelineLock>,
    /// No task reuses a cached result (`Dag::disable_caching`).
    pub caching_disabled: bool,
    /// Argo's memoization cache: the config map `.cache_key(..)` tasks store their outputs in.
    pub memoize_cache: Option<String>,
    /// JSON merge patches on the whole document, in call order.
    pub patches: Vec<crate::model::Patch>,
    /// The size guard's limit for one Kubernetes object, in bytes (`Dag::max_object_size`); `None`:
    /// the compiler's default (1 MiB), or `compile --max-size`.
    pub max_object_bytes: Option<usize>,
}
