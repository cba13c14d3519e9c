//! What a run looks like while it runs, the same for every server: its state and its steps. The
//! KFP v2 API reports task details; the KFP v1 API and Argo report an Argo Workflow's nodes, which
//! [`argo_steps`] reads.

use std::fmt;
use std::time::Duration;

/// How to wait for a run to finish.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Wait {
    /// How often to ask the server (polling), or how soon to reconnect a broken watch stream.
    pub poll: Duration,
    /// When to give up ([`ClientError::WaitTimeout`](super::ClientError::WaitTimeout)); `None`: never.
    pub timeout: Option<Duration>,
}

impl Default for Wait {
    /// Every 2 s, for ever.
    fn default() -> Self {
        Wait { poll: Duration::from_secs(2), timeout: None }
    }
}

impl Wait {
    /// Every `poll`, for ever.
    pub fn every(poll: Duration) -> Self {
        Wait { poll, timeout: None }
    }

    /// Gives up after `timeout`.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }
}

/// The state of a run or of one step, normalized across servers.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum State {
    /// Accepted, not started.
    Pending,
    /// Running.
    Running,
    /// Finished well.
    Succeeded,
    /// Finished with a failure.
    Failed,
    /// Argo's `Error` (a failure of the controller or the pod, not of the step's code).
    Error,
    /// Skipped (a condition was false, or cached with KFP v2).
    Skipped,
    /// Being cancelled.
    Canceling,
    /// Cancelled (stopped or terminated).
    Canceled,
    /// Paused.
    Paused,
    /// A state this client does not know, as the server spelled it.
    Unknown(String),
}

impl State {
    /// Whether the run or step will not change any more.
    pub fn is_done(&self) -> bool {
        matches!(self, State::Succeeded | State::Failed | State::Error | State::Skipped | State::Canceled)
    }

    /// Whether it finished well (succeeded or skipped).
    pub fn is_success(&self) -> bool {
        matches!(self, State::Succeeded | State::Skipped)
    }

    /// A KFP `v2beta1` `RuntimeState` or a `v1beta1` run status (`Succeeded`, `Running`, ...).
    pub fn from_kfp(s: &str) -> State {
        match s.to_ascii_uppercase().as_str() {
            "" | "RUNTIME_STATE_UNSPECIFIED" | "PENDING" => State::Pending,
            "RUNNING" => State::Running,
            "SUCCEEDED" | "COMPLETED" => State::Succeeded,
            "FAILED" => State::Failed,
            "ERROR" => State::Error,
            "SKIPPED" | "OMITTED" | "CACHED" => State::Skipped,
            "CANCELING" | "TERMINATING" => State::Canceling,
            "CANCELED" | "CANCELLED" | "TERMINATED" => State::Canceled,
            "PAUSED" => State::Paused,
            _ => State::Unknown(s.to_owned()),
        }
    }

    /// An Argo node or workflow phase (`Pending`, `Running`, `Succeeded`, `Failed`, `Error`,
    /// `Skipped`, `Omitted`).
    pub fn from_argo(s: &str) -> State {
        State::from_kfp(s)
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            State::Pending => "pending",
            State::Running => "running",
            State::Succeeded => "succeeded",
            State::Failed => "failed",
            State::Error => "error",
            State::Skipped => "skipped",
            State::Canceling => "canceling",
            State::Canceled => "canceled",
            State::Paused => "paused",
            State::Unknown(s) => s,
        };
        f.write_str(s)
    }
}

/// One step of a run.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Step {
    /// Its name as the server shows it (a task's display name).
    pub name: String,
    /// Its state.
    pub state: State,
    /// When it started (RFC 3339), if it has.
    pub started_at: Option<String>,
    /// When it finished (RFC 3339), if it has.
    pub finished_at: Option<String>,
    /// Why it failed, if the server says.
    pub message: Option<String>,
}

impl Step {
    /// A step named `name` in `state`, with no times or message.
    pub fn new(name: impl Into<String>, state: State) -> Self {
        Step { name: name.into(), state, started_at: None, finished_at: None, message: None }
    }
}

/// A run (KFP) or workflow (Argo) as the server reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RunStatus {
    /// The server's id (KFP) or the workflow's name (Argo).
    pub id: String,
    /// The run's display name.
    pub name: String,
    /// The run's state.
    pub state: State,
    /// Its steps, in the order the server lists them.
    pub steps: Vec<Step>,
    /// Why it failed, if the server says.
    pub message: Option<String>,
}

impl RunStatus {
    /// A run with no steps yet.
    pub fn new(id: impl Into<String>, name: impl Into<String>, state: State) -> Self {
        RunStatus { id: id.into(), name: name.into(), state, steps: Vec::new(), message: None }
    }

    /// The status of an Argo Workflow object (JSON): its name, phase, message and pod steps.
    pub fn from_argo_workflow(workflow: &serde_json::Value) -> Self {
        let name = workflow["metadata"]["name"].as_str().unwrap_or_default();
        let phase = workflow["status"]["phase"].as_str().unwrap_or_default();
        RunStatus {
            id: name.to_owned(),
            name: name.to_owned(),
            state: State::from_argo(phase),
            steps: argo_steps(workflow),
            message: text(&workflow["status"]["message"]),
        }
    }
}

fn text(v: &serde_json::Value) -> Option<String> {
    v.as_str().filter(|s| !s.is_empty()).map(str::to_owned)
}

/// The steps of an Argo Workflow object: its `Pod` and `Suspend` nodes, by start time, named by
/// their display name.
pub fn argo_steps(workflow: &serde_json::Value) -> Vec<Step> {
    let Some(nodes) = workflow["status"]["nodes"].as_object() else { return Vec::new() };
    let mut steps: Vec<Step> = nodes
        .values()
        .filter(|n| matches!(n["type"].as_str(), Some("Pod" | "Suspend" | "Resource")))
        .map(|n| Step {
            name: n["displayName"].as_str().or(n["name"].as_str()).unwrap_or_default().to_owned(),
            state: State::from_argo(n["phase"].as_str().unwrap_or_default()),
            started_at: text(&n["startedAt"]),
            finished_at: text(&n["finishedAt"]),
            message: text(&n["message"]),
        })
        .collect();
    steps.sort_by(|a, b| (&a.started_at, &a.name).cmp(&(&b.started_at, &b.name)));
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argo_nodes_become_steps_by_start_time() {
        let wf = serde_json::json!({
            "metadata": {"name": "hello-x1"},
            "status": {"phase": "Failed", "message": "child failed", "nodes": {
                "a": {"type": "DAG", "displayName": "hello-x1", "phase": "Failed"},
                "b": {"type": "Pod", "displayName": "train", "phase": "Failed", "startedAt": "2026-01-01T00:00:02Z", "message": "OOMKilled"},
                "c": {"type": "Pod", "displayName": "fetch", "phase": "Succeeded", "startedAt": "2026-01-01T00:00:01Z", "finishedAt": "2026-01-01T00:00:02Z"}
            }}
        });
        let run = RunStatus::from_argo_workflow(&wf);
        assert_eq!(run.state, State::Failed);
        assert_eq!(run.message.as_deref(), Some("child failed"));
        let names: Vec<_> = run.steps.iter().map(|s| (s.name.as_str(), s.state.clone())).collect();
        assert_eq!(names, [("fetch", State::Succeeded), ("train", State::Failed)]);
        assert_eq!(run.steps[1].message.as_deref(), Some("OOMKilled"));
    }

    #[test]
    fn states_normalize_across_servers() {
        assert_eq!(State::from_kfp("SUCCEEDED"), State::Succeeded);
        assert_eq!(State::from_kfp("RUNTIME_STATE_UNSPECIFIED"), State::Pending);
        assert_eq!(State::from_argo("Omitted"), State::Skipped);
        assert_eq!(State::from_kfp("WEIRD"), State::Unknown("WEIRD".into()));
        assert!(State::Canceled.is_done() && !State::Canceling.is_done());
    }
}
