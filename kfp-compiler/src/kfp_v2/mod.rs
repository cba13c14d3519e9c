//! The KFP v2 backend's output: the pipeline IR (a `PipelineSpec` written as YAML, as kfp 2.x's
//! compiler writes it) and the optional kfp-kubernetes `PlatformSpec` document after it.
//!
//! ```text
//! PipelineSpec { pipelineInfo, root: ComponentSpec, components, deploymentSpec.executors }
//!   ComponentSpec = inputDefinitions + outputDefinitions + (dag { tasks, outputs } | executorLabel)
//!   PipelineTaskSpec = taskInfo, componentRef, inputs, dependentTasks, cachingOptions,
//!                      triggerPolicy, parameterIterator + iteratorPolicy, retryPolicy
//!   Executor = container { image, command, args, env, resources } | importer
//! PlatformSpec { platforms.kubernetes.deploymentSpec.executors.<label>: KubernetesExecutorConfig }
//! ```
//!
//! The structs are typed serde mirrors of the protobuf messages the KFP 2.x API server parses
//! strictly (unknown fields are refused); [`to_yaml`] and [`to_json`] write them, [`from_yaml`]
//! reads them back (kfp 2.x component files are IR too).
//!
//! ```
//! use kfp_compiler::kfp_v2::placeholder::{input_parameter, output_parameter_file};
//! use kfp_compiler::kfp_v2::{
//!     CachingOptions, ComponentSpec, ContainerSpec, DagSpec, OutputParameterDefinition, ParameterDefinition,
//!     ParameterType, PipelineInfo, PipelineSpec, PipelineTaskSpec, TaskInputParameter, to_yaml,
//! };
//!
//! // One task calling `comp-say` with the pipeline parameter `msg`.
//! let root = ComponentSpec::dag(DagSpec::default().task(
//!     "say",
//!     PipelineTaskSpec::new("comp-say", "say")
//!         .caching(CachingOptions::enabled())
//!         .parameter("msg", TaskInputParameter::component_input("msg")),
//! ))
//! .input_parameter("msg", ParameterDefinition::new(ParameterType::Text).default_value("hi".into()));
//! let spec = PipelineSpec::new(PipelineInfo::new("hello"), root)
//!     .component(
//!         "comp-say",
//!         ComponentSpec::executor("exec-say")
//!             .input_parameter("msg", ParameterDefinition::new(ParameterType::Text))
//!             .output_parameter("said", OutputParameterDefinition::new(ParameterType::Text)),
//!     )
//!     .executor(
//!         "exec-say",
//!         ContainerSpec::new("alpine:3.20")
//!             .command(["sh", "-c", r#"echo "$0" | tee "$1""#])
//!             .args([input_parameter("msg"), output_parameter_file("said")])
//!             .into(),
//!     );
//! let yaml = to_yaml(&spec, None)?;
//! assert!(yaml.contains("executorLabel: exec-say"));
//! assert!(yaml.contains(r#"- "{{$.outputs.parameters['said'].output_file}}""#));
//! # Ok::<(), kfp_compiler::CompileError>(())
//! ```

mod caching;
mod compiled;
mod dag;
mod definitions;
mod emit;
mod emit_tasks;
mod executor;
mod flow;
mod importer;
mod inputs;
mod lossy;
pub(crate) mod lower;
mod patch;
mod pipeline_spec;
pub mod placeholder;
mod platform;
mod platform_pod;
mod policies;
mod proto_json;
mod pvc;
mod settings;
mod sync;
pub mod unsupported;
mod unsupported_pod;

pub(crate) use caching::disable as disable_caching;
pub use compiled::Compiled;
pub use dag::{
    ArtifactSelector, ComponentRef, DagOutputArtifact, DagOutputParameter, DagOutputs, DagSpec, ParameterSelector,
    PipelineTaskSpec, TaskInfo,
};
pub use definitions::{
    ArtifactDefinition, ArtifactTypeSchema, OutputArtifactDefinition, OutputParameterDefinition, ParameterDefinition,
    ParameterType,
};
pub use emit::{ReadError, from_yaml, to_json, to_yaml, write_yaml};
pub use executor::{AcceleratorConfig, ContainerSpec, DeploymentSpec, EnvVar, Executor, ImporterSpec, ResourceSpec};
pub use inputs::{
    ParameterSource, TaskFinalStatus, TaskInputArtifact, TaskInputParameter, TaskInputs, TaskOutputArtifactSpec,
    TaskOutputParameterSpec, ValueOrRuntimeParameter,
};
pub(crate) use patch::apply as apply_patches;
pub use pipeline_spec::{
    ComponentSpec, Implementation, InputDefinitions, OutputDefinitions, PipelineInfo, PipelineSpec, SCHEMA_VERSION,
    sdk_version,
};
pub use platform::{
    ConfigMapAsEnv, ConfigMapAsVolume, ConfigMapKeyToEnv, KubernetesDeploymentSpec, KubernetesExecutorConfig,
    KubernetesPlatform, PipelineConfig, PlatformSpec, Platforms, PvcMount, PvcReference, SecretAsEnv, SecretAsVolume,
    SecretKeyToEnv,
};
pub use platform_pod::{
    EmptyDirMount, FieldPathAsEnv, GenericEphemeralVolume, ImagePullPolicy, ImagePullSecret, NodeAffinityTerm,
    NodeSelector, PodMetadata, SecurityContext, SelectorRequirement, Toleration,
};
pub use policies::{
    CachingOptions, IteratorItems, IteratorPolicy, ParameterIterator, RetryPolicy, TriggerPolicy, TriggerStrategy,
};
