//! A task's policies: caching, trigger (conditions, exit tasks), loops (iterator and its
//! parallelism) and retries.

use serde::{Deserialize, Serialize};

use super::definitions::is_false;

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
