//! The Argo backend: the Argo Workflow serde structs, the lowering of a planned pipeline to them, the
//! `{{...}}` expressions, the kfp v1 annotations and the YAML/JSON emitter. Kubeflow Pipelines v1
//! and plain Argo Workflows (v3.4 to v4.1) run what it writes.

mod cron;
mod emit;
pub(crate) mod expr;
mod kfp_meta;
mod kinds;
mod location;
pub(crate) mod lower;
pub mod patch;
pub mod split;
mod sync_types;
pub mod template;
mod version;
mod workflow;

pub(crate) use emit::{literal_block, manifest_text};
pub use emit::{object_to_json, object_to_yaml, to_json, to_yaml, write_yaml};
pub use kinds::{ConcurrencyPolicy, CronWorkflow, CronWorkflowSpec, Kind, Object, Schedule, into_kind};
pub use location::{ExternalLocation, GcsArtifact, GitArtifact, HttpArtifact, RawArtifact};
pub use sync_types::{ConfigMapKey, Memoize, MemoizeCache, Mutex, SemaphoreRef, Synchronization};
pub use version::ArgoVersion;
pub use workflow::{
    ArchiveStrategy, Arguments, ArtifactRef, Container, DagTask, DagTemplate, EnvVar, Inputs, LifecycleHook, Name,
    NoArchive, ObjectMeta, Outputs, Parameter, ResourceTemplate, S3Key, Sequence, SuspendTemplate, Template,
    TemplateRef, ValueFrom, Workflow, WorkflowSpec,
};
