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
mod container;
mod dag;
mod error;
mod handles;
mod pipeline;
mod spec;
mod types;
mod wire;

#[doc(hidden)]
pub mod __private;

pub use artifact::{
    AnyArtifact, ArtifactKind, ClassificationMetrics, ConcreteKind, Dataset, Html, Markdown, Metrics, Model,
};
pub use container::{Arg, ContainerSpec};
pub use dag::{Component, Dag, Task};
pub use error::{BuildError, BuildErrors, SourceLocation};
pub use handles::{Artifact, ArtifactSrc, Input, Output, OutputParam, Param, ValueSrc};
pub use pipeline::{
    ComponentId, DagId, Dep, DepKind, Pipeline, PipelineDef, PipelineParamSpec, TaskId, TaskNode,
};
pub use spec::{ComponentSpec, Implementation, InputSpec, IoKind, OutputSpec};
pub use types::ParamType;
pub use wire::{ArgValue, IntoArg, Literal};
