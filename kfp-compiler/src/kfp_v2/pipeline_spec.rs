//! The IR's top level and its components: `PipelineSpec`, `PipelineInfo`, `ComponentSpec` and its
//! input and output definition maps.
//!
//! Field order is output order, which is the kfp SDK's (keys sorted), so emitted files read like
//! kfp's. Maps are `BTreeMap`s; empty lists, maps and absent values are not written.

use std::collections::BTreeMap;

use super::dag::DagSpec;
use super::definitions::{
    ArtifactDefinition, OutputArtifactDefinition, OutputParameterDefinition, ParameterDefinition,
};
use super::executor::DeploymentSpec;
use serde::{Deserialize, Serialize};

/// The only `schemaVersion` the KFP 2.x backend accepts.
pub const SCHEMA_VERSION: &str = "2.1.0";

/// The `sdkVersion` kfp-rs writes: `kfp-rs-<version>`.
#[must_use]
pub fn sdk_version() -> String {
    format!("kfp-rs-{}", env!("CARGO_PKG_VERSION"))
}

/// A whole pipeline: the `PipelineSpec` protobuf message, the IR's first YAML document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PipelineSpec {
    /// Every component the pipeline's DAGs call, by name (`comp-<name>`, `comp-<name>-2`, ...).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub components: BTreeMap<String, ComponentSpec>,
    /// Where artifacts go when the run does not say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_pipeline_root: Option<String>,
    /// How each executor runs.
    pub deployment_spec: DeploymentSpec,
    /// Name, display name, description.
    pub pipeline_info: PipelineInfo,
    /// The pipeline itself: a DAG component with the pipeline's parameters as its inputs.
    pub root: ComponentSpec,
    /// [`SCHEMA_VERSION`].
    pub schema_version: String,
    /// The writer: [`sdk_version()`] for kfp-rs.
    pub sdk_version: String,
}

impl PipelineSpec {
    /// A spec with no components or executors yet, [`SCHEMA_VERSION`] and [`sdk_version()`].
    #[must_use]
    pub fn new(pipeline_info: PipelineInfo, root: ComponentSpec) -> Self {
        Self {
            components: BTreeMap::new(),
            default_pipeline_root: None,
            deployment_spec: DeploymentSpec::default(),
            pipeline_info,
            root,
            schema_version: SCHEMA_VERSION.to_owned(),
            sdk_version: sdk_version(),
        }
    }

    /// Adds (or replaces) a component.
    #[must_use]
    pub fn component(mut self, name: impl Into<String>, spec: ComponentSpec) -> Self {
        self.components.insert(name.into(), spec);
        self
    }

    /// Adds (or replaces) an executor.
    #[must_use]
    pub fn executor(mut self, label: impl Into<String>, executor: super::Executor) -> Self {
        self.deployment_spec.executors.insert(label.into(), executor);
        self
    }
}

/// `pipelineInfo`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PipelineInfo {
    /// What the run is shown as, when it differs from `name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// A description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The name: lowercase letters, digits and `-` (the SDK sanitizes `Linear three step` to
    /// `linear-three-step`).
    pub name: String,
}

impl PipelineInfo {
    /// Only a name.
    #[must_use]
    pub fn new(name: impl Into<String>) -> Self {
        Self { display_name: None, description: None, name: name.into() }
    }

    /// Sets the description.
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// Sets the display name.
    #[must_use]
    pub fn display_name(mut self, display_name: impl Into<String>) -> Self {
        self.display_name = Some(display_name.into());
        self
    }
}

/// A component: its interface and either a DAG of tasks or the label of an executor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ComponentSpec {
    /// What runs.
    #[serde(flatten)]
    pub implementation: Implementation,
    /// Inputs.
    #[serde(default, skip_serializing_if = "InputDefinitions::is_empty")]
    pub input_definitions: InputDefinitions,
    /// Outputs.
    #[serde(default, skip_serializing_if = "OutputDefinitions::is_empty")]
    pub output_definitions: OutputDefinitions,
}

impl ComponentSpec {
    /// A component run by the executor `label` (`exec-<name>`).
    #[must_use]
    pub fn executor(label: impl Into<String>) -> Self {
        Self::with(Implementation::ExecutorLabel(label.into()))
    }

    /// A component made of a DAG (the root, a loop or condition body, a graph component).
    #[must_use]
    pub fn dag(dag: DagSpec) -> Self {
        Self::with(Implementation::Dag(dag))
    }

    fn with(implementation: Implementation) -> Self {
        Self {
            implementation,
            input_definitions: InputDefinitions::default(),
            output_definitions: OutputDefinitions::default(),
        }
    }

    /// Declares an input parameter.
    #[must_use]
    pub fn input_parameter(mut self, name: impl Into<String>, spec: ParameterDefinition) -> Self {
        self.input_definitions.parameters.insert(name.into(), spec);
        self
    }

    /// Declares an input artifact.
    #[must_use]
    pub fn input_artifact(mut self, name: impl Into<String>, spec: ArtifactDefinition) -> Self {
        self.input_definitions.artifacts.insert(name.into(), spec);
        self
    }

    /// Declares an output parameter.
    #[must_use]
    pub fn output_parameter(mut self, name: impl Into<String>, spec: OutputParameterDefinition) -> Self {
        self.output_definitions.parameters.insert(name.into(), spec);
        self
    }

    /// Declares an output artifact.
    #[must_use]
    pub fn output_artifact(mut self, name: impl Into<String>, spec: OutputArtifactDefinition) -> Self {
        self.output_definitions.artifacts.insert(name.into(), spec);
        self
    }
}

/// What a component runs: the protobuf's `implementation` oneof.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum Implementation {
    /// A DAG of tasks.
    Dag(DagSpec),
    /// A key of `deploymentSpec.executors`.
    ExecutorLabel(String),
}

/// `inputDefinitions`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct InputDefinitions {
    /// Input artifacts.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub artifacts: BTreeMap<String, ArtifactDefinition>,
    /// Input parameters.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, ParameterDefinition>,
}

impl InputDefinitions {
    /// No inputs.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.artifacts.is_empty() && self.parameters.is_empty()
    }
}

/// `outputDefinitions`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct OutputDefinitions {
    /// Output artifacts.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub artifacts: BTreeMap<String, OutputArtifactDefinition>,
    /// Output parameters.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, OutputParameterDefinition>,
}

impl OutputDefinitions {
    /// No outputs.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.artifacts.is_empty() && self.parameters.is_empty()
    }
}
