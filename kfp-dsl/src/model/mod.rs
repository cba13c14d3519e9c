//! The pipeline model: what a built pipeline is, as plain data, and what every backend reads.
//!
//! Nothing here knows the typed authoring API above it (`Param<T>`, `Artifact<K>`, wiring, the `Dag`
//! builder, the component macros): the builder fills this model, the compiler reads only it. A
//! newcomer finds here, one concept a file, everything the Argo and KFP v2 backends see:
//!
//! - [`ids`]: typed ids of dags, tasks, scopes, graph components and components;
//! - [`value`]: where a value comes from (`ValueSrc`, `ArtifactSrc`, `GlobalValue`), a task's
//!   arguments (`ArgValue`) and strings built from values (`FmtPart`);
//! - [`pipeline`]: the pipeline (parameters, components, the task graph, graph components);
//! - [`scope`]: loops, conditions (`Cond`), exit handlers and graph bodies;
//! - [`component`], [`container`], [`resource`], [`invocation`]: component specs and what a
//!   component runs (a container, a Kubernetes object, a Rust function);
//! - [`settings`]: task and pipeline settings; [`volume_source`] and [`projected`]: the pod's volumes;
//!   [`probe`]: the main container's ports, probes and lifecycle hooks; [`retry_if`]: when a failed attempt is retried;
//!   [`sync`]: mutexes and semaphores held across runs;
//! - [`import`]: artifacts from outside the pipeline (an importer's URI, a value passed as a file);
//! - [`patch`]: JSON merge patches on what a backend emits, the escape hatch for what is not modelled;
//! - [`trigger`]: tasks that run after another finished or failed; [`suspend`]: approvals and pauses;
//! - [`wait_condition`]: Argo's resource conditions, parsed and evaluated as Argo does.

pub mod component;
pub mod container;
pub mod ids;
pub mod import;
pub mod invocation;
pub mod patch;
pub mod pipeline;
pub mod probe;
pub mod projected;
pub mod resource;
pub mod retry_if;
pub mod scope;
pub mod settings;
pub mod suspend;
pub mod sync;
pub mod template_ref;
pub mod trigger;
pub mod value;
pub mod volume_source;
pub mod wait_condition;

pub use component::*;
pub use container::*;
pub use ids::*;
pub use import::*;
pub use invocation::*;
pub use patch::*;
pub use pipeline::*;
pub use probe::*;
pub use projected::*;
pub use resource::*;
pub use retry_if::*;
pub use scope::*;
pub use settings::*;
pub use suspend::*;
pub use sync::*;
pub use template_ref::*;
pub use trigger::*;
pub use value::*;
pub use volume_source::*;
