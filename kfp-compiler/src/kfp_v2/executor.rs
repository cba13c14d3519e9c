//! `deploymentSpec`: how each component runs, as a container or as an importer of an existing
//! artifact.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::definitions::{ArtifactTypeSchema, is_false};
use super::inputs::ValueOrRuntimeParameter;
use super::proto_json::int64_string;

/// `deploymentSpec`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct DeploymentSpec {
    /// Executors by label (`exec-<name>`), each named by one component's `executorLabel`.
    pub executors: BTreeMap<String, Executor>,
}

/// One executor.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[expect(clippy::large_enum_variant, reason = "one per component, in a map: boxing would only add an indirection")]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum Executor {
    /// A container.
    Container(ContainerSpec),
    /// Registers an existing artifact (`dsl.importer`).
    Importer(ImporterSpec),
}

/// `container`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ContainerSpec {
    /// Arguments, with placeholders (see [`placeholder`](super::placeholder)).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    /// The command, with placeholders.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
    /// Literal environment variables (secrets and config maps go in the `PlatformSpec`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<EnvVar>,
    /// The image.
    pub image: String,
    /// Requests, limits and accelerators.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceSpec>,
}

impl ContainerSpec {
    /// Runs `image` with its own entrypoint.
    #[must_use]
    pub fn new(image: impl Into<String>) -> Self {
        Self { args: Vec::new(), command: Vec::new(), env: Vec::new(), image: image.into(), resources: None }
    }

    /// Sets the command.
    #[must_use]
    pub fn command<S: Into<String>>(mut self, command: impl IntoIterator<Item = S>) -> Self {
        self.command = command.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the arguments.
    #[must_use]
    pub fn args<S: Into<String>>(mut self, args: impl IntoIterator<Item = S>) -> Self {
        self.args = args.into_iter().map(Into::into).collect();
        self
    }

    /// Adds an environment variable.
    #[must_use]
    pub fn env(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.env.push(EnvVar { name: name.into(), value: value.into() });
        self
    }

    /// Sets the resources.
    #[must_use]
    pub fn resources(mut self, resources: ResourceSpec) -> Self {
        self.resources = Some(resources);
        self
    }
}

impl From<ContainerSpec> for Executor {
    fn from(c: ContainerSpec) -> Self {
        Self::Container(c)
    }
}

/// An environment variable.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct EnvVar {
    /// The name.
    pub name: String,
    /// The value.
    pub value: String,
}

/// `resources`. The `resource*` strings are Kubernetes quantities or a single
/// `{{$.inputs.parameters['...']}}` naming an input of every task that runs the executor. kfp 2.17
/// also writes the deprecated numeric fields (`cpuLimit: 4.0`, `memoryLimit` in GB) beside them when
/// the quantity is a constant; older backends read only those.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ResourceSpec {
    /// A GPU or other accelerator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accelerator: Option<AcceleratorConfig>,
    /// Deprecated: the CPU limit in cores.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_limit: Option<f64>,
    /// Deprecated: the CPU request in cores.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_request: Option<f64>,
    /// Deprecated: the memory limit in GB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory_limit: Option<f64>,
    /// Deprecated: the memory request in GB.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory_request: Option<f64>,
    /// The CPU limit (`'4'`, `500m`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_cpu_limit: Option<String>,
    /// The CPU request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_cpu_request: Option<String>,
    /// The memory limit (`16G`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_memory_limit: Option<String>,
    /// The memory request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_memory_request: Option<String>,
}

/// `resources.accelerator`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AcceleratorConfig {
    /// Deprecated: the count (an int64, so a string in JSON).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "int64_string")]
    pub count: Option<i64>,
    /// The count: a number or a placeholder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_count: Option<String>,
    /// The resource name (`nvidia.com/gpu`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// Deprecated: the resource name.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

impl AcceleratorConfig {
    /// `count` of `resource_type`, with the deprecated fields beside the new ones as kfp 2.17 writes
    /// them.
    #[must_use]
    pub fn new(resource_type: impl Into<String>, count: i64) -> Self {
        let resource_type = resource_type.into();
        Self {
            count: Some(count),
            resource_count: Some(count.to_string()),
            kind: Some(resource_type.clone()),
            resource_type: Some(resource_type),
        }
    }
}

/// `importer`: registers an artifact that already exists at a URI.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ImporterSpec {
    /// The URI: a constant, or `runtimeParameter: uri` naming the task's `uri` input.
    pub artifact_uri: ValueOrRuntimeParameter,
    /// Metadata attached to the artifact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metadata: Option<serde_json::Map<String, Value>>,
    /// Register a new artifact even if one with this URI exists.
    #[serde(default, skip_serializing_if = "is_false")]
    pub reimport: bool,
    /// The artifact's type.
    pub type_schema: ArtifactTypeSchema,
}

impl ImporterSpec {
    /// Imports the URI given as the task's input `input` (the SDK calls it `uri`).
    #[must_use]
    pub fn from_input(input: impl Into<String>, type_schema: ArtifactTypeSchema) -> Self {
        Self {
            artifact_uri: ValueOrRuntimeParameter::RuntimeParameter(input.into()),
            metadata: None,
            reimport: false,
            type_schema,
        }
    }
}

impl ImporterSpec {
    /// Imports the constant `uri` (the SDK also passes it to the task as its `uri` input).
    #[must_use]
    pub fn from_uri(uri: impl Into<String>, type_schema: ArtifactTypeSchema) -> Self {
        Self {
            artifact_uri: ValueOrRuntimeParameter::Constant(Value::String(uri.into())),
            ..Self::from_input("uri", type_schema)
        }
    }
}

impl From<ImporterSpec> for Executor {
    fn from(i: ImporterSpec) -> Self {
        Self::Importer(i)
    }
}
