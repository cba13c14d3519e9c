//! kfp-dsl: the typed layer and graph model of kfp-rs.
//!
//! - the typed layer: [`Param<T>`], [`Artifact<K>`], the component-signature slots [`Input<K>`],
//!   [`Output<K>`], [`OutputParam<T>`], and the sealed [`IntoArg`] trait that lets rustc check every
//!   wire;
//! - [`ContainerSpec`] and [`ComponentSpec`] (kfp v1's component.yaml model);
//! - the builder [`Dag`] and its [`Task`] handles, which record a type-erased graph;
//! - [`Pipeline`]: the finished graph the compiler consumes.
//!
//! Users depend on the `kfp` crate, which re-exports this one.

mod artifact;
pub mod artifact_list;
mod checks;
mod cond;
mod container;
mod dag;
mod dynamic;
mod error;
mod function;
mod graph;
mod handles;
mod importer;
pub mod kubeflow;
mod loops;
pub mod metrics;
pub mod model;
pub mod paths;
mod pipeline;
mod resource;
mod spec;
mod types;
mod volume;
pub mod waits;
mod wire;

#[doc(hidden)]
pub mod __private;

pub use artifact::{
    AnyArtifact, ArtifactKind, ClassificationMetrics, ConcreteKind, Dataset, Html, KfpMetrics, KfpUiMetadata, Markdown,
    Metrics, Model,
};
pub use cond::{IntoCond, IntoOperand, Orderable};

pub use dag::{Branches, Component, Dag, Task, TriggerUpstream, Upstream, UpstreamRef};
pub use dynamic::{DynArg, DynOutputs};
pub use error::{BuildError, BuildErrors, SourceLocation};
pub use function::{ComponentReturn, Single};
pub use graph::{GraphComponent, GraphOutput, GraphReturn, GraphValue};
pub use handles::{Artifact, Input, Output, OutputParam, Param};
pub use importer::OneArtifact;
#[doc(hidden)]
pub use importer::importer_inputs;
pub use loops::{FanIn, IntoLoopItems, LoopDone, LoopItem, NoFields};
pub use pipeline::PipelineDef;

pub use dag::task_settings::{
    IntoSetting, check_dns_label, check_duration, check_env_name, check_iso_duration, check_label_key,
    check_label_value, check_object_name, check_quantity,
};
pub use model::{
    Action, Arg, ArgValue, ArtifactSrc, CallFacts, Callee, CmpOp, ComponentId, ComponentSpec, Cond, ContainerSpec, Csi,
    DagId, Defaulted, Dep, DepKind, DnsConfig, DownwardApiFile, DownwardField, EnvSource, EphemeralClaim, Executor,
    ExtraContainer, FmtPart, FunctionSpec, GlobalValue, GraphId, GraphInterface, GraphSpec, HookKind, HostPath,
    HostPathType, Implementation, InputSpec, Interface, Invocation, IoKind, Lock, LoopOutputSpec, LoopScope,
    LoopSource, Mount, Nfs, NodeAffinity, Operand, OutputSpec, Pipeline, PipelineLock, PipelineParamSpec,
    PipelineSettings, Port, Probe, ProbeKind, Projected, Projection, Protocol, ResourceSpec, Retry, RetryIf, Scope,
    ScopeId, ScopeKind, SecurityContext, SequenceCount, SettingValue, SuspendSpec, TaskId, TaskNode, TaskSettings,
    TemplateLibrary, Toleration, Trigger, ValueSrc, VolumeSource, check_io_name, resolve_args, setting_input,
};
pub use spec::ComponentBody;
pub use types::ParamType;
pub use volume::{Snapshot, Volume, VolumeClaim};
pub use waits::Wait;
pub use wire::{Absent, IntoArg, Literal, Optional, absent};
