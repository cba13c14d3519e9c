//! The Argo Workflow IR: serde structs for the part of Argo's `Workflow` the compiler emits.
//!
//! Field order is output order. Maps are `BTreeMap`s so output is deterministic. Empty lists and
//! absent values are not written. They read back too (`Deserialize`): the local runner runs a split
//! pipeline's parts, which the bundle holds as JSON documents.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// A name shared by many places in a workflow (a task's name is also in its dependants'
/// `dependencies`): cloning it does not allocate.
pub type Name = Arc<str>;

/// An Argo `Workflow` object.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Workflow {
    /// `argoproj.io/v1alpha1`.
    pub api_version: String,
    /// `Workflow`.
    pub kind: String,
    /// Name, annotations, labels.
    pub metadata: ObjectMeta,
    /// The spec.
    pub spec: WorkflowSpec,
    /// The merge patches the emitters apply last (not part of the document).
    #[serde(skip)]
    pub patches: Vec<super::patch::ArgoPatch>,
}

/// Kubernetes object metadata.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ObjectMeta {
    /// A fixed name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// A name prefix; Kubernetes appends 5 random characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generate_name: Option<String>,
    /// Annotations.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// Labels.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
}

/// A workflow's spec.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct WorkflowSpec {
    /// The template that runs first.
    pub entrypoint: String,
    /// The workflow's parameters (the pipeline parameters).
    #[serde(default, skip_serializing_if = "Arguments::is_empty")]
    pub arguments: Arguments,
    /// The service account pods run as.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<String>,
    /// The template that runs when the workflow ends, however it ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_exit: Option<String>,
    /// Secrets for pulling private images (`LocalObjectReference`s).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub image_pull_secrets: Vec<serde_json::Value>,
    /// When to delete the finished workflow.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl_strategy: Option<serde_json::Value>,
    /// At most this many pods at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parallelism: Option<u32>,
    /// When to delete pods.
    #[serde(default, rename = "podGC", skip_serializing_if = "Option::is_none")]
    pub pod_gc: Option<serde_json::Value>,
    /// Fail the workflow after this many seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_deadline_seconds: Option<u64>,
    /// Node labels every pod must run on.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub node_selector: BTreeMap<String, String>,
    /// A pod disruption budget for the workflow's pods.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_disruption_budget: Option<serde_json::Value>,
    /// DNS settings of every pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns_config: Option<serde_json::Value>,
    /// Where artifacts go.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub artifact_repository_ref: Option<serde_json::Value>,
    /// Labels and annotations of every pod.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_metadata: Option<serde_json::Value>,
    /// Locks the whole run holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub synchronization: Option<super::Synchronization>,
    /// Every template.
    pub templates: Vec<Template>,
}

/// A template: a container or a DAG.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Template {
    /// Unique among the workflow's templates.
    pub name: String,
    /// For DAG templates: at most this many of its tasks (or loop iterations) run at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parallelism: Option<u32>,
    /// Declared inputs.
    #[serde(default, skip_serializing_if = "Inputs::is_empty")]
    pub inputs: Inputs,
    /// Declared outputs.
    #[serde(default, skip_serializing_if = "Outputs::is_empty")]
    pub outputs: Outputs,
    /// Pod metadata (annotations and labels the Kubeflow UI and backend read).
    #[serde(default, skip_serializing_if = "ObjectMeta::is_empty")]
    pub metadata: ObjectMeta,
    /// For container templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub container: Option<Container>,
    /// For DAG templates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dag: Option<DagTemplate>,
    /// For suspend templates (approvals and pauses): the step waits to be resumed, or for `duration`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suspend: Option<SuspendTemplate>,
    /// For resource templates: a Kubernetes object Argo creates, changes, deletes or reads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<ResourceTemplate>,
    /// Node labels the pod must run on.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub node_selector: BTreeMap<String, String>,
    /// Taints the pod tolerates (Kubernetes `Toleration`s).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tolerations: Vec<serde_json::Value>,
    /// A Kubernetes `Affinity`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub affinity: Option<serde_json::Value>,
    /// Argo's `RetryStrategy`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_strategy: Option<serde_json::Value>,
    /// The step fails after this many seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_deadline_seconds: Option<String>,
    /// Containers run before the main one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub init_containers: Vec<serde_json::Value>,
    /// Containers run beside the main one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sidecars: Vec<serde_json::Value>,
    /// Kubernetes `Volume`s of the pod.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volumes: Vec<serde_json::Value>,
    /// A JSON patch of the pod spec, applied when the step starts (settings from parameters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_spec_patch: Option<String>,
    /// Locks the step holds while it runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub synchronization: Option<super::Synchronization>,
    /// Argo's memoization of the step's outputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memoize: Option<super::Memoize>,
}

impl ObjectMeta {
    pub(crate) fn is_empty(&self) -> bool {
        self.name.is_none() && self.generate_name.is_none() && self.annotations.is_empty() && self.labels.is_empty()
    }
}

/// Argo's `SuspendTemplate`: no `duration` waits until the workflow is resumed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct SuspendTemplate {
    /// Resumes by itself after this long (`"30s"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<String>,
}

/// Argo's `ResourceTemplate`: `kubectl <action>` on a manifest.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ResourceTemplate {
    /// `create`, `apply`, `patch`, `replace`, `delete` or `get`.
    pub action: String,
    /// The object, as YAML text with `{{inputs.parameters.X}}` placeholders.
    #[serde(serialize_with = "crate::argo::literal_block")]
    pub manifest: String,
    /// When the step has succeeded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub success_condition: Option<String>,
    /// When the step has failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure_condition: Option<String>,
    /// `strategic`, `merge` or `json` (for `patch`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merge_strategy: Option<String>,
    /// Extra kubectl flags.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
    /// Whether the workflow owns the object.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub set_owner_reference: bool,
}

/// A container.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Container {
    /// The image.
    pub image: String,
    /// The entrypoint.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
    /// Its arguments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// Environment variables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<EnvVar>,
    /// Secrets and config maps whose keys become environment variables.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env_from: Vec<serde_json::Value>,
    /// Kubernetes `ResourceRequirements`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<serde_json::Value>,
    /// Where volumes appear.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub volume_mounts: Vec<serde_json::Value>,
    /// `Always`, `IfNotPresent` or `Never`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<String>,
    /// A Kubernetes `SecurityContext`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_context: Option<serde_json::Value>,
    /// Ports it listens on (`ContainerPort`s).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<serde_json::Value>,
    /// A Kubernetes `Probe`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub liveness_probe: Option<serde_json::Value>,
    /// A Kubernetes `Probe`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub readiness_probe: Option<serde_json::Value>,
    /// A Kubernetes `Probe`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub startup_probe: Option<serde_json::Value>,
    /// A Kubernetes `Lifecycle` (`postStart`, `preStop`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<serde_json::Value>,
}

/// An environment variable.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct EnvVar {
    /// The name.
    pub name: String,
    /// The value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Where the value comes from (a secret key, a config map key, a field of the pod).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_from: Option<serde_json::Value>,
}

/// A template's inputs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Inputs {
    /// Parameters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<Parameter>,
    /// Artifacts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub artifacts: Vec<ArtifactRef>,
}

impl Inputs {
    fn is_empty(&self) -> bool {
        self.parameters.is_empty() && self.artifacts.is_empty()
    }
}

/// A template's outputs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Outputs {
    /// Parameters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<Parameter>,
    /// Artifacts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub artifacts: Vec<ArtifactRef>,
}

impl Outputs {
    fn is_empty(&self) -> bool {
        self.parameters.is_empty() && self.artifacts.is_empty()
    }
}

/// Arguments: of the workflow, or of a DAG task.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct Arguments {
    /// Parameters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameters: Vec<Parameter>,
    /// Artifacts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub artifacts: Vec<ArtifactRef>,
}

impl Arguments {
    /// Whether there is nothing to write.
    pub fn is_empty(&self) -> bool {
        self.parameters.is_empty() && self.artifacts.is_empty()
    }
}

/// A parameter declaration or value.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Parameter {
    /// The name.
    pub name: Name,
    /// The value (always a string).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Where an output's value is read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_from: Option<ValueFrom>,
    /// A description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// An output's name in the workflow's `status.outputs` (Argo copies it there when the step
    /// ends; a split pipeline's child hands its values back this way).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub global_name: Option<String>,
}

impl Default for Parameter {
    fn default() -> Self {
        Parameter { name: Name::from(""), value: None, value_from: None, description: None, global_name: None }
    }
}

impl Parameter {
    /// A declaration with only a name.
    pub fn named(name: impl Into<Name>) -> Self {
        Parameter { name: name.into(), ..Self::default() }
    }

    /// A name and a value.
    pub fn with_value(name: impl Into<Name>, value: impl Into<String>) -> Self {
        Parameter { name: name.into(), value: Some(value.into()), ..Self::default() }
    }
}

/// Where an output parameter's value comes from.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ValueFrom {
    /// A file in the container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Another parameter (for DAG templates: an output of one of its tasks).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// The value when the source has none (a skipped task).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// For resource templates: a JSONPath into the object.
    #[serde(default, rename = "jsonPath", skip_serializing_if = "Option::is_none")]
    pub json_path: Option<String>,
    /// For resource templates: a jq filter over the object (an `error(..)` in it fails the step).
    #[serde(default, rename = "jqFilter", skip_serializing_if = "Option::is_none")]
    pub jq_filter: Option<String>,
}

/// An artifact declaration or argument.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ArtifactRef {
    /// The name.
    pub name: Name,
    /// Where it lives in the container.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Which output it comes from (`{{tasks.X.outputs.artifacts.Y}}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// `archive: {none: {}}`: stored as it is (a key-only artifact, read back as a directory).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archive: Option<ArchiveStrategy>,
    /// `s3: {key: ...}`: a key in the default artifact repository (a key-only artifact), or with an
    /// endpoint and a bucket, an object outside it (an importer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub s3: Option<S3Key>,
    /// An argument's location outside the artifact repository (`raw`, `http`, `gcs`, `git`).
    #[serde(flatten)]
    pub external: super::location::ExternalLocation,
}

/// `archive: {none: {}}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ArchiveStrategy {
    /// No archive.
    pub none: NoArchive,
}

/// `{}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct NoArchive {}

/// `s3: {key: ...}`: a key in the workflow's default artifact repository; with an `endpoint` and a
/// `bucket`, a full location Argo does not relocate into the repository (an importer's object, read
/// with the SDK's default credentials).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct S3Key {
    /// The endpoint (only for a full location).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// The bucket (only for a full location).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket: Option<String>,
    /// The key.
    pub key: String,
    /// Credentials from the SDK's defaults (environment, IAM role), for a full location.
    #[serde(default, rename = "useSDKCreds", skip_serializing_if = "std::ops::Not::not")]
    pub use_sdk_creds: bool,
}

impl S3Key {
    /// A key in the default artifact repository.
    pub fn key(key: impl Into<String>) -> Self {
        S3Key { endpoint: None, bucket: None, key: key.into(), use_sdk_creds: false }
    }

    /// An object in Amazon S3 (`s3.amazonaws.com`), read with the SDK's default credentials.
    pub fn aws(bucket: impl Into<String>, key: impl Into<String>) -> Self {
        S3Key {
            endpoint: Some("s3.amazonaws.com".to_owned()),
            bucket: Some(bucket.into()),
            key: key.into(),
            use_sdk_creds: true,
        }
    }

    /// Whether this is a full location outside the artifact repository.
    pub fn is_external(&self) -> bool {
        self.bucket.is_some()
    }
}

impl ArtifactRef {
    /// An artifact declared at `path` in the container.
    pub fn at_path(name: impl Into<Name>, path: impl Into<String>) -> Self {
        ArtifactRef {
            name: name.into(),
            path: Some(path.into()),
            from: None,
            archive: None,
            s3: None,
            external: Default::default(),
        }
    }

    /// An argument taken from another task's output (`{{tasks.X.outputs.artifacts.Y}}`).
    pub fn from_output(name: impl Into<Name>, from: impl Into<String>) -> Self {
        ArtifactRef {
            name: name.into(),
            path: None,
            from: Some(from.into()),
            archive: None,
            s3: None,
            external: Default::default(),
        }
    }

    /// A declaration or argument without a path or source.
    pub fn named(name: impl Into<Name>) -> Self {
        ArtifactRef { name: name.into(), path: None, from: None, archive: None, s3: None, external: Default::default() }
    }

    /// An argument read from `key` in the default artifact repository (a key-only artifact; a key
    /// that several outputs were written under reads as a directory of them).
    pub fn from_key(name: impl Into<Name>, key: impl Into<String>) -> Self {
        ArtifactRef { s3: Some(S3Key::key(key)), ..ArtifactRef::named(name) }
    }

    /// Writes this output to `key` in the default artifact repository, not archived.
    #[must_use]
    pub fn to_key(mut self, key: impl Into<String>) -> Self {
        self.archive = Some(ArchiveStrategy::default());
        self.s3 = Some(S3Key::key(key));
        self
    }
}

/// A DAG template's body.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct DagTemplate {
    /// The tasks.
    pub tasks: Vec<DagTask>,
}

/// A template in a `WorkflowTemplate` or `ClusterWorkflowTemplate` (`templateRef`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TemplateRef {
    /// The WorkflowTemplate's name.
    pub name: String,
    /// The template's name in it.
    pub template: String,
    /// A ClusterWorkflowTemplate.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cluster_scope: bool,
}

/// A task in a DAG.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DagTask {
    /// Unique in its DAG.
    pub name: Name,
    /// The template it runs (empty when `template_ref` names one in a library).
    #[serde(default, skip_serializing_if = "str::is_empty")]
    pub template: Name,
    /// The template it runs, from a WorkflowTemplate library.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template_ref: Option<TemplateRef>,
    /// The tasks that must finish first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependencies: Vec<Name>,
    /// Instead of `dependencies`, in a DAG where some task runs after another finished or failed:
    /// which outcomes of which tasks it waits for (`a && (b.Failed || b.Errored)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub depends: Option<String>,
    /// Its arguments.
    #[serde(default, skip_serializing_if = "Arguments::is_empty")]
    pub arguments: Arguments,
    /// Runs the task only when this expression holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub when: Option<String>,
    /// Runs the task once per item of this list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_items: Option<Vec<serde_json::Value>>,
    /// Runs the task once per item of the JSON list this expression gives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_param: Option<String>,
    /// Runs the task once per integer of this sequence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_sequence: Option<Sequence>,
    /// Lifecycle hooks: `exit` runs after the task, however it ends.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub hooks: BTreeMap<String, LifecycleHook>,
}

impl DagTask {
    /// A task named `name` running `template`.
    pub fn new(name: Name, template: Name) -> Self {
        DagTask {
            name,
            template,
            template_ref: None,
            dependencies: Vec::new(),
            depends: None,
            arguments: Arguments::default(),
            when: None,
            with_items: None,
            with_param: None,
            with_sequence: None,
            hooks: BTreeMap::new(),
        }
    }
}

/// `withSequence`: `count` integers from `start` (Argo writes both as strings, which may hold a
/// placeholder).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Sequence {
    /// The first integer.
    pub start: String,
    /// How many.
    pub count: String,
}

/// A template run at a point of a task's life (here: when it exits).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LifecycleHook {
    /// The template to run.
    pub template: Name,
    /// Its arguments.
    #[serde(default, skip_serializing_if = "Arguments::is_empty")]
    pub arguments: Arguments,
}
