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

mod dag;
mod definitions;
mod emit;
mod executor;
mod inputs;
mod pipeline_spec;
pub mod placeholder;
mod platform;
mod platform_pod;
mod policies;
mod proto_json;

pub use dag::{
    ArtifactSelector, ComponentRef, DagOutputArtifact, DagOutputParameter, DagOutputs, DagSpec, ParameterSelector,
    PipelineTaskSpec, TaskInfo,
};
pub use definitions::{
    ArtifactDefinition, ArtifactTypeSchema, OutputArtifactDefinition, OutputParameterDefinition, ParameterDefinition,
    ParameterType,
};
pub use emit::{ReadError, from_yaml, to_json, to_yaml};
pub use executor::{AcceleratorConfig, ContainerSpec, DeploymentSpec, EnvVar, Executor, ImporterSpec, ResourceSpec};
pub use inputs::{
    ParameterSource, TaskFinalStatus, TaskInputArtifact, TaskInputParameter, TaskInputs, TaskOutputArtifactSpec,
    TaskOutputParameterSpec, ValueOrRuntimeParameter,
};
pub use pipeline_spec::{
    ComponentSpec, Implementation, InputDefinitions, OutputDefinitions, PipelineInfo, PipelineSpec, SCHEMA_VERSION,
    sdk_version,
};
pub use platform::{
    ConfigMapAsEnv, ConfigMapAsVolume, ConfigMapKeyToEnv, KubernetesDeploymentSpec, KubernetesExecutorConfig,
    KubernetesPlatform, PlatformSpec, Platforms, PvcMount, PvcReference, SecretAsEnv, SecretAsVolume, SecretKeyToEnv,
};
pub use platform_pod::{
    EmptyDirMount, FieldPathAsEnv, GenericEphemeralVolume, ImagePullPolicy, ImagePullSecret, NodeAffinityTerm,
    NodeSelector, PodMetadata, SelectorRequirement, Toleration,
};
pub use policies::{
    CachingOptions, IteratorItems, IteratorPolicy, ParameterIterator, RetryPolicy, TriggerPolicy, TriggerStrategy,
};
