//! DAGs: their tasks (`PipelineTaskSpec`) and the DAG's outputs.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::inputs::{TaskInputArtifact, TaskInputParameter, TaskInputs};
use super::policies::{CachingOptions, IteratorPolicy, ParameterIterator, RetryPolicy, TriggerPolicy};

/// A component's DAG: its tasks by name, and what it outputs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct DagSpec {
    /// The DAG's outputs, each selected from a task in it.
    #[serde(default, skip_serializing_if = "DagOutputs::is_empty")]
    pub outputs: DagOutputs,
    /// The tasks, by name (names unique within the DAG).
    pub tasks: BTreeMap<String, PipelineTaskSpec>,
}

impl DagSpec {
    /// Adds (or replaces) a task.
    #[must_use]
    pub fn task(mut self, name: impl Into<String>, task: PipelineTaskSpec) -> Self {
        self.tasks.insert(name.into(), task);
        self
    }

    /// Adds an output parameter.
    #[must_use]
    pub fn output_parameter(mut self, name: impl Into<String>, output: DagOutputParameter) -> Self {
        self.outputs.parameters.insert(name.into(), output);
        self
    }

    /// Adds an output artifact.
    #[must_use]
    pub fn output_artifact(mut self, name: impl Into<String>, output: DagOutputArtifact) -> Self {
        self.outputs.artifacts.insert(name.into(), output);
        self
    }
}

/// `dag.outputs`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct DagOutputs {
    /// Output artifacts.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub artifacts: BTreeMap<String, DagOutputArtifact>,
    /// Output parameters.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub parameters: BTreeMap<String, DagOutputParameter>,
}

impl DagOutputs {
    /// No outputs.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.artifacts.is_empty() && self.parameters.is_empty()
    }
}

/// Where a DAG output parameter comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum DagOutputParameter {
    /// One task's output (inside a loop DAG: the list of every iteration's value).
    ValueFromParameter(ParameterSelector),
    /// The first of several that ran: `dsl.OneOf` over the branches of an if/elif/else.
    ValueFromOneof {
        /// The candidates, in branch order.
        #[serde(rename = "parameterSelectors")]
        parameter_selectors: Vec<ParameterSelector>,
    },
}

impl DagOutputParameter {
    /// `valueFromOneof`: the output of whichever branch ran (`dsl.OneOf`).
    #[must_use]
    pub fn one_of(parameter_selectors: Vec<ParameterSelector>) -> Self {
        Self::ValueFromOneof { parameter_selectors }
    }

    /// `valueFromParameter`.
    #[must_use]
    pub fn from_task(producer_subtask: impl Into<String>, output_parameter_key: impl Into<String>) -> Self {
        Self::ValueFromParameter(ParameterSelector::new(producer_subtask, output_parameter_key))
    }
}

/// A task's output parameter, as a DAG output.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ParameterSelector {
    /// The output's name.
    pub output_parameter_key: String,
    /// The task in the DAG.
    pub producer_subtask: String,
}

impl ParameterSelector {
    /// Output `output_parameter_key` of task `producer_subtask`.
    #[must_use]
    pub fn new(producer_subtask: impl Into<String>, output_parameter_key: impl Into<String>) -> Self {
        Self { output_parameter_key: output_parameter_key.into(), producer_subtask: producer_subtask.into() }
    }
}

/// A DAG output artifact: `artifactSelectors`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct DagOutputArtifact {
    /// The tasks' outputs it is made of.
    pub artifact_selectors: Vec<ArtifactSelector>,
}

impl DagOutputArtifact {
    /// One task's output artifact.
    #[must_use]
    pub fn from_task(producer_subtask: impl Into<String>, output_artifact_key: impl Into<String>) -> Self {
        Self { artifact_selectors: vec![ArtifactSelector::new(producer_subtask, output_artifact_key)] }
    }
}

/// A task's output artifact, as a DAG output.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ArtifactSelector {
    /// The output's name.
    pub output_artifact_key: String,
    /// The task in the DAG.
    pub producer_subtask: String,
}

impl ArtifactSelector {
    /// Output `output_artifact_key` of task `producer_subtask`.
    #[must_use]
    pub fn new(producer_subtask: impl Into<String>, output_artifact_key: impl Into<String>) -> Self {
        Self { output_artifact_key: output_artifact_key.into(), producer_subtask: producer_subtask.into() }
    }
}

/// A task in a DAG: a call of a component.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct PipelineTaskSpec {
    /// Caching: `{enableCache: true}` or `{}` (off); the SDK writes it on every container and
    /// importer task, never on DAG tasks.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caching_options: Option<CachingOptions>,
    /// The component called.
    pub component_ref: ComponentRef,
    /// Sibling tasks that must finish first (every producer of an input, and `.after()`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dependent_tasks: Vec<String>,
    /// The arguments.
    #[serde(default, skip_serializing_if = "TaskInputs::is_empty")]
    pub inputs: TaskInputs,
    /// At most this many loop iterations at once.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iterator_policy: Option<IteratorPolicy>,
    /// Runs the component once per item (a loop).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter_iterator: Option<ParameterIterator>,
    /// Retries.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_policy: Option<RetryPolicy>,
    /// The display name.
    pub task_info: TaskInfo,
    /// A condition, or the exit-task strategy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trigger_policy: Option<TriggerPolicy>,
}

impl PipelineTaskSpec {
    /// A call of `component` shown as `display_name`, with nothing else set.
    #[must_use]
    pub fn new(component: impl Into<String>, display_name: impl Into<String>) -> Self {
        Self {
            caching_options: None,
            component_ref: ComponentRef { name: component.into() },
            dependent_tasks: Vec::new(),
            inputs: TaskInputs::default(),
            iterator_policy: None,
            parameter_iterator: None,
            retry_policy: None,
            task_info: TaskInfo { name: display_name.into() },
            trigger_policy: None,
        }
    }

    /// Sets the caching options.
    #[must_use]
    pub fn caching(mut self, options: CachingOptions) -> Self {
        self.caching_options = Some(options);
        self
    }

    /// Adds a dependency on a sibling task.
    #[must_use]
    pub fn after(mut self, task: impl Into<String>) -> Self {
        self.dependent_tasks.push(task.into());
        self
    }

    /// Adds a parameter argument.
    #[must_use]
    pub fn parameter(mut self, name: impl Into<String>, value: TaskInputParameter) -> Self {
        self.inputs.parameters.insert(name.into(), value);
        self
    }

    /// Adds an artifact argument.
    #[must_use]
    pub fn artifact(mut self, name: impl Into<String>, value: TaskInputArtifact) -> Self {
        self.inputs.artifacts.insert(name.into(), value);
        self
    }

    /// Makes the task a loop over `iterator`.
    #[must_use]
    pub fn iterate(mut self, iterator: ParameterIterator) -> Self {
        self.parameter_iterator = Some(iterator);
        self
    }

    /// Runs at most `limit` iterations of the loop at once.
    #[must_use]
    pub fn parallelism_limit(mut self, limit: u32) -> Self {
        self.iterator_policy = Some(IteratorPolicy { parallelism_limit: limit });
        self
    }

    /// Sets the retry policy.
    #[must_use]
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = Some(policy);
        self
    }

    /// Sets the trigger policy.
    #[must_use]
    pub fn trigger(mut self, policy: TriggerPolicy) -> Self {
        self.trigger_policy = Some(policy);
        self
    }
}

/// `componentRef`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ComponentRef {
    /// A key of `components`.
    pub name: String,
}

/// `taskInfo`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TaskInfo {
    /// The display name (the task's key when none is set).
    pub name: String,
}
