//! What the KFP client takes and returns, the same for `v1beta1` and `v2beta1`.

/// A pipeline on the server.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Pipeline {
    /// The server's id.
    pub id: String,
    /// Its name (`v2beta1`: `name`, or `display_name` when the server has no `name`).
    pub name: String,
    /// Its description, if it has one.
    pub description: Option<String>,
}

/// A version of a pipeline on the server.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PipelineVersion {
    /// The server's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The pipeline it belongs to.
    pub pipeline_id: String,
}

/// An experiment (a group of runs).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Experiment {
    /// The server's id.
    pub id: String,
    /// Its name (`v2beta1`: `display_name`).
    pub name: String,
}

/// What a run runs.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum PipelineSource {
    /// A version of an uploaded pipeline.
    Version {
        /// The pipeline's id.
        pipeline_id: String,
        /// The version's id.
        version_id: String,
    },
    /// The compiled pipeline itself, as JSON: the IR (`v2beta1`) or an Argo Workflow (`v1beta1`).
    /// An IR with a platform spec (a second YAML document) goes as
    /// `{"pipeline_spec": ..., "platform_spec": ...}`, as kfp's Python client sends it.
    Spec(serde_json::Value),
}

/// A run to create.
///
/// ```
/// use kfp::client::{NewRun, PipelineSource};
/// let run = NewRun::new("nightly", PipelineSource::Spec(serde_json::json!({})))
///     .experiment("e1")
///     .parameter("epochs", 3)
///     .parameter("message", "hi");
/// assert_eq!(run.parameters.len(), 2);
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct NewRun {
    /// The run's display name.
    pub name: String,
    /// The experiment to create it in (the server's default experiment when `None`).
    pub experiment_id: Option<String>,
    /// What it runs.
    pub source: PipelineSource,
    /// Parameter values. `v1beta1` takes strings: a non-string value goes as its JSON text.
    pub parameters: Vec<(String, serde_json::Value)>,
    /// The Kubernetes service account its pods run as (the server's default when `None`).
    pub service_account: Option<String>,
}

impl NewRun {
    /// A run named `name` of `source`, with no parameters, in the default experiment.
    pub fn new(name: impl Into<String>, source: PipelineSource) -> Self {
        NewRun { name: name.into(), experiment_id: None, source, parameters: Vec::new(), service_account: None }
    }

    /// Creates it in the experiment with id `id`.
    #[must_use]
    pub fn experiment(mut self, id: impl Into<String>) -> Self {
        self.experiment_id = Some(id.into());
        self
    }

    /// Sets the parameter `name` to `value`.
    #[must_use]
    pub fn parameter(mut self, name: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
        self.parameters.push((name.into(), value.into()));
        self
    }

    /// Runs its pods as the service account `name`.
    #[must_use]
    pub fn service_account(mut self, name: impl Into<String>) -> Self {
        self.service_account = Some(name.into());
        self
    }
}

/// When a recurring run starts a run.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Trigger {
    /// A cron expression as the server reads it (KFP: six fields, seconds first, e.g. `0 0 * * * *`).
    Cron {
        /// The expression.
        expression: String,
    },
    /// Every `seconds` seconds.
    Interval {
        /// The interval.
        seconds: u64,
    },
}

/// A recurring run (`v2beta1`) or job (`v1beta1`) to create.
///
/// ```
/// use kfp::client::{NewRecurringRun, PipelineSource, Trigger};
/// let source = PipelineSource::Version { pipeline_id: "p".into(), version_id: "v".into() };
/// let r = NewRecurringRun::new("hourly", source, Trigger::Interval { seconds: 3600 })
///     .max_concurrency(2)
///     .catchup(true);
/// assert!(r.enabled && r.catchup && r.max_concurrency == 2);
/// ```
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct NewRecurringRun {
    /// Its display name.
    pub name: String,
    /// The experiment its runs go to.
    pub experiment_id: Option<String>,
    /// What it runs.
    pub source: PipelineSource,
    /// Parameter values, as in [`NewRun::parameters`].
    pub parameters: Vec<(String, serde_json::Value)>,
    /// When it starts a run.
    pub trigger: Trigger,
    /// When the schedule starts (RFC 3339), if not now.
    pub start: Option<String>,
    /// When the schedule ends (RFC 3339), if ever.
    pub end: Option<String>,
    /// How many of its runs may run at once.
    pub max_concurrency: u32,
    /// Whether runs missed while it was disabled or behind are started afterwards.
    pub catchup: bool,
    /// Whether it starts enabled.
    pub enabled: bool,
}

impl NewRecurringRun {
    /// A recurring run named `name` of `source` on `trigger`: enabled, one run at a time, no
    /// catch-up.
    pub fn new(name: impl Into<String>, source: PipelineSource, trigger: Trigger) -> Self {
        NewRecurringRun {
            name: name.into(),
            experiment_id: None,
            source,
            parameters: Vec::new(),
            trigger,
            start: None,
            end: None,
            max_concurrency: 1,
            catchup: false,
            enabled: true,
        }
    }

    /// Puts its runs in the experiment with id `id`.
    #[must_use]
    pub fn experiment(mut self, id: impl Into<String>) -> Self {
        self.experiment_id = Some(id.into());
        self
    }

    /// Sets the parameter `name` to `value`.
    #[must_use]
    pub fn parameter(mut self, name: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
        self.parameters.push((name.into(), value.into()));
        self
    }

    /// Starts the schedule at `time` (RFC 3339).
    #[must_use]
    pub fn start(mut self, time: impl Into<String>) -> Self {
        self.start = Some(time.into());
        self
    }

    /// Ends the schedule at `time` (RFC 3339).
    #[must_use]
    pub fn end(mut self, time: impl Into<String>) -> Self {
        self.end = Some(time.into());
        self
    }

    /// Lets `n` of its runs run at once.
    #[must_use]
    pub fn max_concurrency(mut self, n: u32) -> Self {
        self.max_concurrency = n;
        self
    }

    /// Whether missed runs are started afterwards.
    #[must_use]
    pub fn catchup(mut self, yes: bool) -> Self {
        self.catchup = yes;
        self
    }

    /// Whether it starts enabled.
    #[must_use]
    pub fn enabled(mut self, yes: bool) -> Self {
        self.enabled = yes;
        self
    }
}

/// A recurring run (`v2beta1`) or job (`v1beta1`) on the server.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RecurringRun {
    /// The server's id.
    pub id: String,
    /// Its display name.
    pub name: String,
    /// Whether it starts runs.
    pub enabled: bool,
    /// When it starts them, if the server says.
    pub trigger: Option<Trigger>,
}

/// The text of a JSON string field, `None` when missing, not a string, or empty.
pub(super) fn opt(v: &serde_json::Value, name: &str) -> Option<String> {
    v[name].as_str().filter(|s| !s.is_empty()).map(str::to_owned)
}

/// The text of a JSON string field, empty when missing.
pub(super) fn text(v: &serde_json::Value, name: &str) -> String {
    opt(v, name).unwrap_or_default()
}

/// The text of a required JSON string field, or why it is missing.
pub(super) fn required(v: &serde_json::Value, name: &str, what: &str) -> Result<String, String> {
    opt(v, name).ok_or_else(|| format!("the {what} has no `{name}`"))
}

/// A trigger as both APIs spell it: `cron_schedule.cron` or `periodic_schedule.interval_second`
/// (an int64: a string, or a number from a lenient server).
pub(super) fn parse_trigger(t: &serde_json::Value) -> Option<Trigger> {
    if let Some(expression) = opt(&t["cron_schedule"], "cron") {
        return Some(Trigger::Cron { expression });
    }
    let s = &t["periodic_schedule"]["interval_second"];
    let seconds = s.as_u64().or_else(|| s.as_str().and_then(|s| s.parse().ok()))?;
    Some(Trigger::Interval { seconds })
}

/// The `trigger` object both APIs take, with the schedule's start and end.
pub(super) fn trigger_body(r: &NewRecurringRun) -> serde_json::Value {
    let mut schedule = serde_json::Map::new();
    let key = match &r.trigger {
        Trigger::Cron { expression } => {
            schedule.insert("cron".into(), expression.clone().into());
            "cron_schedule"
        }
        Trigger::Interval { seconds } => {
            schedule.insert("interval_second".into(), seconds.to_string().into());
            "periodic_schedule"
        }
    };
    if let Some(start) = &r.start {
        schedule.insert("start_time".into(), start.clone().into());
    }
    if let Some(end) = &r.end {
        schedule.insert("end_time".into(), end.clone().into());
    }
    let mut trigger = serde_json::Map::new();
    trigger.insert(key.into(), schedule.into());
    trigger.into()
}
