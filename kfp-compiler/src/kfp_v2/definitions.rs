//! A component's interface: parameter types, and the definitions of its input and output
//! parameters and artifacts.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A parameter's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum ParameterType {
    /// A string (`STRING`; not named `String` in Rust, which would make rustc spell every
    /// `String` in kfp-rs users' error messages as `std::string::String`).
    #[serde(rename = "STRING")]
    Text,
    /// An integer (written as a float in defaults and constants: `3.0`).
    NumberInteger,
    /// A float.
    NumberDouble,
    /// A bool.
    Boolean,
    /// A JSON list.
    List,
    /// A JSON object.
    Struct,
    /// The final status of the task an exit task follows (an exit handler's status input).
    TaskFinalStatus,
    /// The task's own settings passed to the component (kfp 2.15+ `dsl.TaskConfig`); only read,
    /// in component files kfp writes.
    TaskConfig,
}

/// An input parameter of a component.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ParameterDefinition {
    /// The value when the caller gives none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_value: Option<Value>,
    /// A description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The caller may leave it out.
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_optional: bool,
    /// The type.
    pub parameter_type: ParameterType,
}

impl ParameterDefinition {
    /// A required parameter.
    #[must_use]
    pub fn new(parameter_type: ParameterType) -> Self {
        Self { default_value: None, description: None, is_optional: false, parameter_type }
    }

    /// With a default, which also makes it optional (as the SDK writes it). Integer defaults are
    /// written as floats by the SDK: pass `json!(3.0)`.
    #[must_use]
    pub fn default_value(mut self, value: Value) -> Self {
        self.default_value = Some(value);
        self.is_optional = true;
        self
    }

    /// Optional without a default (an exit task's `TASK_FINAL_STATUS` input).
    #[must_use]
    pub fn optional(mut self) -> Self {
        self.is_optional = true;
        self
    }

    /// With a description.
    #[must_use]
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }
}

/// An output parameter of a component.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OutputParameterDefinition {
    /// A description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The type.
    pub parameter_type: ParameterType,
}

impl OutputParameterDefinition {
    /// An output of this type.
    #[must_use]
    pub fn new(parameter_type: ParameterType) -> Self {
        Self { description: None, parameter_type }
    }
}

/// An artifact's type: a schema title such as `system.Dataset` and its version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ArtifactTypeSchema {
    /// `system.Dataset`, `system.Model`, ..., or a user kind's own title.
    pub schema_title: String,
    /// `0.0.1` for the `system.*` kinds.
    pub schema_version: String,
}

impl ArtifactTypeSchema {
    /// A kfp system kind: `system("Dataset")` is `system.Dataset`, version `0.0.1`.
    #[must_use]
    pub fn system(kind: &str) -> Self {
        Self::new(format!("system.{kind}"), "0.0.1")
    }

    /// Any title and version.
    #[must_use]
    pub fn new(schema_title: impl Into<String>, schema_version: impl Into<String>) -> Self {
        Self { schema_title: schema_title.into(), schema_version: schema_version.into() }
    }
}

/// An input artifact of a component.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ArtifactDefinition {
    /// The type.
    pub artifact_type: ArtifactTypeSchema,
    /// A description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A list of artifacts (a fan-in of a loop's outputs).
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_artifact_list: bool,
    /// The caller may leave it out.
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_optional: bool,
}

impl ArtifactDefinition {
    /// One required artifact.
    #[must_use]
    pub fn new(artifact_type: ArtifactTypeSchema) -> Self {
        Self { artifact_type, description: None, is_artifact_list: false, is_optional: false }
    }

    /// A list of artifacts.
    #[must_use]
    pub fn list(mut self) -> Self {
        self.is_artifact_list = true;
        self
    }

    /// Optional.
    #[must_use]
    pub fn optional(mut self) -> Self {
        self.is_optional = true;
        self
    }
}

/// An output artifact of a component.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OutputArtifactDefinition {
    /// The type.
    pub artifact_type: ArtifactTypeSchema,
    /// A description.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// A list of artifacts (a loop DAG's collected output).
    #[serde(default, skip_serializing_if = "is_false")]
    pub is_artifact_list: bool,
}

impl OutputArtifactDefinition {
    /// One artifact.
    #[must_use]
    pub fn new(artifact_type: ArtifactTypeSchema) -> Self {
        Self { artifact_type, description: None, is_artifact_list: false }
    }

    /// A list of artifacts.
    #[must_use]
    pub fn list(mut self) -> Self {
        self.is_artifact_list = true;
        self
    }
}

pub(super) fn is_false(b: &bool) -> bool {
    !*b
}
