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
mod checks;
mod cond;
mod container;
mod dag;
mod dynamic;
mod error;
mod function;
mod graph;
mod handles;
pub mod kubeflow;
mod loops;
pub mod metrics;
pub mod paths;
mod pipeline;
mod pipeline_settings;
mod resource;
mod scope;
mod settings;
mod spec;
mod types;
mod volume;
mod wire;

#[doc(hidden)]
pub mod __private;

pub use artifact::{
    AnyArtifact, ArtifactKind, ClassificationMetrics, ConcreteKind, Dataset, Html, KfpMetrics, KfpUiMetadata, Markdown,
    Metrics, Model,
};
pub use cond::{CmpOp, Cond, IntoCond, IntoOperand, Operand, Orderable};
pub use container::{Arg, CallFacts, ContainerSpec, resolve_args};
pub use dag::{Branches, Component, Dag, Task, Upstream, UpstreamRef};
pub use dynamic::{DynArg, DynOutputs};
pub use error::{BuildError, BuildErrors, SourceLocation};
pub use function::{ComponentReturn, Executor, Invocation, Single};
pub use graph::{GraphComponent, GraphInterface, GraphOutput, GraphReturn};
pub use handles::{Artifact, ArtifactSrc, GlobalValue, Input, Output, OutputParam, Param, ValueSrc};
pub use loops::{FanIn, IntoLoopItems, LoopDone, LoopItem, NoFields};
pub use pipeline::{
    Callee, ComponentId, DagId, Defaulted, Dep, DepKind, FmtPart, GraphId, GraphSpec, Interface, Pipeline, PipelineDef,
    PipelineParamSpec, ScopeId, TaskId, TaskNode,
};
pub use pipeline_settings::{DnsConfig, PipelineSettings};
pub use resource::ResourceSpec;
pub use scope::{LoopOutputSpec, LoopScope, LoopSource, Scope, ScopeKind};
pub use settings::{
    EnvSource, ExtraContainer, IntoSetting, Mount, NodeAffinity, Retry, SecurityContext, SettingValue, TaskSettings,
    Toleration, VolumeSource, check_duration, check_env_name, check_iso_duration, check_label_key, check_label_value,
    check_object_name, check_quantity,
};
pub use spec::{
    ComponentBody, ComponentSpec, FunctionSpec, Implementation, InputSpec, IoKind, OutputSpec, check_io_name,
};
pub use types::ParamType;
pub use volume::{Snapshot, Volume, VolumeClaim};
pub use wire::{Absent, ArgValue, IntoArg, Literal, Optional, absent};
