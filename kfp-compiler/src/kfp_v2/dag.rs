//! DAGs: their tasks (`PipelineTaskSpec`), the tasks' policies (caching, trigger, iterator, retry)
//! and the DAG's outputs.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::inputs::{TaskInputArtifact, TaskInputParameter, TaskInputs};
use super::pipeline_spec::is_false;

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

/// `cachingOptions`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CachingOptions {
    /// A key replacing the computed one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache_key: Option<String>,
    /// Reuse earlier results.
    #[serde(default, skip_serializing_if = "is_false")]
    pub enable_cache: bool,
}

impl CachingOptions {
    /// `{enableCache: true}`.
    #[must_use]
    pub fn enabled() -> Self {
        Self { cache_key: None, enable_cache: true }
    }

    /// `{}`: caching off.
    #[must_use]
    pub fn disabled() -> Self {
        Self::default()
    }
}

/// `triggerPolicy`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TriggerPolicy {
    /// A CEL expression over `inputs.parameter_values['...']`: the task runs when it is true.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// When upstream tasks allow the task to run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strategy: Option<TriggerStrategy>,
}

impl TriggerPolicy {
    /// Runs when `cel` is true.
    #[must_use]
    pub fn condition(cel: impl Into<String>) -> Self {
        Self { condition: Some(cel.into()), strategy: None }
    }

    /// Runs once its dependencies finish, however they finish (an exit task).
    #[must_use]
    pub fn all_upstream_completed() -> Self {
        Self { condition: None, strategy: Some(TriggerStrategy::AllUpstreamTasksCompleted) }
    }
}

/// `triggerPolicy.strategy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[non_exhaustive]
pub enum TriggerStrategy {
    /// The default: every dependency succeeded.
    AllUpstreamTasksSucceeded,
    /// Every dependency finished.
    AllUpstreamTasksCompleted,
}

/// `parameterIterator`: a loop.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ParameterIterator {
    /// The loop component's input that receives one item.
    pub item_input: String,
    /// The items.
    pub items: IteratorItems,
}

impl ParameterIterator {
    /// Over `items`, each passed as the loop component's input `item_input`.
    #[must_use]
    pub fn new(items: IteratorItems, item_input: impl Into<String>) -> Self {
        Self { item_input: item_input.into(), items }
    }
}

/// `parameterIterator.items`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum IteratorItems {
    /// A JSON list, as text (the SDK writes it with Python's separators and sorted keys:
    /// `[{"lr": 0.1, "model": "linear"}]`).
    Raw(String),
    /// An input of the task holding the list (a pipeline parameter or a task output).
    InputParameter(String),
}

impl IteratorItems {
    /// A static list, written as the SDK writes it: JSON with Python's separators and sorted keys.
    #[must_use]
    pub fn raw_json(items: &[serde_json::Value]) -> Self {
        Self::Raw(super::placeholder::python_json(&serde_json::Value::Array(items.to_vec())))
    }
}

/// `iteratorPolicy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct IteratorPolicy {
    /// At most this many iterations at once.
    pub parallelism_limit: u32,
}

/// `retryPolicy`. Durations are protobuf `Duration` strings (`30s`, `1.5s`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct RetryPolicy {
    /// The first wait.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backoff_duration: Option<String>,
    /// Each wait is this many times the previous one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backoff_factor: Option<f64>,
    /// The longest wait.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backoff_max_duration: Option<String>,
    /// Retries after the first attempt.
    pub max_retry_count: u32,
}

impl RetryPolicy {
    /// `count` retries, no backoff.
    #[must_use]
    pub fn new(count: u32) -> Self {
        Self { max_retry_count: count, ..Self::default() }
    }

    /// Waits `duration` seconds before the first retry, multiplying by `factor` each time, up to
    /// `max` seconds.
    #[must_use]
    pub fn backoff(mut self, duration_s: u64, factor: f64, max_s: u64) -> Self {
        self.backoff_duration = Some(format!("{duration_s}s"));
        self.backoff_factor = Some(factor);
        self.backoff_max_duration = Some(format!("{max_s}s"));
        self
    }
}
