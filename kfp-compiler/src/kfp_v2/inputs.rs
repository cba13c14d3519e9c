//! A task's arguments: where each input parameter and artifact comes from.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A task's `inputs`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TaskInputs {
    /// Artifact arguments.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub artifacts: BTreeMap<String, TaskInputArtifact>,
    /// Parameter arguments, including the extra `pipelinechannel--...` inputs that only feed
    /// placeholders (f-string arguments, parameter-driven resources).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, TaskInputParameter>,
}

impl TaskInputs {
    /// No arguments.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.artifacts.is_empty() && self.parameters.is_empty()
    }
}

/// A parameter argument (the protobuf's `InputParameterSpec`; kfp-kubernetes uses it too, for
/// names that may come from parameters).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TaskInputParameter {
    /// The source.
    #[serde(flatten)]
    pub source: ParameterSource,
    /// A CEL expression applied to the value: `parseJson(string_value)["lr"]` picks a field of a
    /// loop item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter_expression_selector: Option<String>,
}

impl TaskInputParameter {
    /// An input of the enclosing component (a pipeline parameter in the root DAG).
    #[must_use]
    pub fn component_input(name: impl Into<String>) -> Self {
        ParameterSource::ComponentInputParameter(name.into()).into()
    }

    /// Output `key` of sibling task `task` (which must also be in `dependentTasks`).
    #[must_use]
    pub fn task_output(task: impl Into<String>, key: impl Into<String>) -> Self {
        ParameterSource::TaskOutputParameter(TaskOutputParameterSpec::new(task, key)).into()
    }

    /// A constant; may hold `{{$.inputs.parameters['...']}}` placeholders naming other inputs of the
    /// task, and `{{$.pipeline_job_uuid}}`-like run placeholders.
    #[must_use]
    pub fn constant(value: impl Into<Value>) -> Self {
        ParameterSource::RuntimeValue(ValueOrRuntimeParameter::Constant(value.into())).into()
    }

    /// The final status of `task` (an exit handler's group), for a `TASK_FINAL_STATUS` input.
    #[must_use]
    pub fn final_status(task: impl Into<String>) -> Self {
        ParameterSource::TaskFinalStatus(TaskFinalStatus { producer_task: task.into() }).into()
    }

    /// Applies a CEL selector to the value.
    #[must_use]
    pub fn select(mut self, expression: impl Into<String>) -> Self {
        self.parameter_expression_selector = Some(expression.into());
        self
    }
}

impl From<ParameterSource> for TaskInputParameter {
    fn from(source: ParameterSource) -> Self {
        Self { source, parameter_expression_selector: None }
    }
}

/// Where a parameter argument comes from: the protobuf's `kind` oneof.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum ParameterSource {
    /// An input of the enclosing component.
    ComponentInputParameter(String),
    /// A constant.
    RuntimeValue(ValueOrRuntimeParameter),
    /// The final status of a task.
    TaskFinalStatus(TaskFinalStatus),
    /// A sibling task's output.
    TaskOutputParameter(TaskOutputParameterSpec),
}

/// `taskOutputParameter`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TaskOutputParameterSpec {
    /// The output's name.
    pub output_parameter_key: String,
    /// The sibling task.
    pub producer_task: String,
}

impl TaskOutputParameterSpec {
    /// Output `key` of `task`.
    #[must_use]
    pub fn new(task: impl Into<String>, key: impl Into<String>) -> Self {
        Self { output_parameter_key: key.into(), producer_task: task.into() }
    }
}

/// `taskFinalStatus`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TaskFinalStatus {
    /// The task (an exit handler's group) whose status is passed; the exit task's first dependency.
    pub producer_task: String,
}

/// A constant or the name of a runtime parameter (`ValueOrRuntimeParameter`): a task's constant
/// argument, an importer's URI.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum ValueOrRuntimeParameter {
    /// A JSON value (integers written as floats by the SDK).
    Constant(Value),
    /// An input of the task (an importer's `uri` input).
    RuntimeParameter(String),
}

/// An artifact argument.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum TaskInputArtifact {
    /// An input artifact of the enclosing component.
    ComponentInputArtifact(String),
    /// A sibling task's output artifact.
    TaskOutputArtifact(TaskOutputArtifactSpec),
}

impl TaskInputArtifact {
    /// Input artifact `name` of the enclosing component (`pipelinechannel--<task>-<output>` inside
    /// a loop or condition).
    #[must_use]
    pub fn component_input(name: impl Into<String>) -> Self {
        Self::ComponentInputArtifact(name.into())
    }

    /// Output artifact `key` of sibling task `task`.
    #[must_use]
    pub fn task_output(task: impl Into<String>, key: impl Into<String>) -> Self {
        Self::TaskOutputArtifact(TaskOutputArtifactSpec { output_artifact_key: key.into(), producer_task: task.into() })
    }
}

/// `taskOutputArtifact`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TaskOutputArtifactSpec {
    /// The output's name.
    pub output_artifact_key: String,
    /// The sibling task.
    pub producer_task: String,
}
