//! Waits that end: the success and failure conditions of a resource step for the objects whose
//! lifecycle kfp-rs knows (a batch `Job`, a Katib `Experiment`, a training-operator job, a KServe
//! `InferenceService`, a `VolumeSnapshot`), each with a timeout.
//!
//! Argo reads a condition as a Kubernetes label selector over paths into the object (see
//! [`crate::model::wait_condition`]): no query can find "the condition of type `Failed`" in
//! `status.conditions`, only an index. The operators keep one entry per condition type, so a wait
//! reads [`CONDITION_SLOTS`] entries, more than any of these kinds defines types. The failure
//! condition fails the step if any entry read is a terminal failure. The success condition also
//! requires that no entry is one and that the list has no entry past those read
//! (`!status.conditions.8`): if an operator ever wrote more conditions, the step would time out
//! instead of reporting a success it did not check.

use crate::model::ResourceSpec;
pub use crate::model::resource::DEFAULT_WAIT_SECONDS;

/// How many entries of `status.conditions` a wait reads (the kinds here define at most six types).
pub const CONDITION_SLOTS: usize = 8;

/// When a resource step is done: a success condition, a failure condition and a timeout. Give it to
/// [`ResourceSpec::wait`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wait {
    success: String,
    failure: Option<String>,
    timeout_seconds: u64,
}

/// `status.conditions.N.type in (..)` for every entry read: any one fails the step.
fn any_condition(types: &[&str]) -> String {
    let test = if let [one] = types { format!("== {one}") } else { format!("in ({})", types.join(",")) };
    (0..CONDITION_SLOTS).map(|i| format!("status.conditions.{i}.type {test}")).collect::<Vec<_>>().join(",")
}

/// `path` holds a value: it exists and is not `null` or empty (Katib writes `completionTime: null`
/// until the end, and a JSON `null` counts as present for Argo).
fn set(path: &str) -> String {
    format!("{path},{path}!=")
}

/// No entry read is of these types, and there is no entry past those read.
fn no_condition(types: &[&str]) -> String {
    let test = if let [one] = types { format!("!= {one}") } else { format!("notin ({})", types.join(",")) };
    let mut parts: Vec<String> = (0..CONDITION_SLOTS).map(|i| format!("status.conditions.{i}.type {test}")).collect();
    parts.push(format!("!status.conditions.{CONDITION_SLOTS}"));
    parts.join(",")
}

impl Wait {
    /// A wait of your own: the step succeeds when `success` holds and fails when `failure` does
    /// (Argo's syntax, checked when the component is registered), after `timeout_seconds` at most.
    pub fn new(success: &str, failure: Option<&str>, timeout_seconds: u64) -> Self {
        Wait { success: success.to_owned(), failure: failure.map(str::to_owned), timeout_seconds }
    }

    /// A `batch/v1` `Job` (Kubernetes 1.21 and later): succeeds when the Job completes
    /// (`status.completionTime`, which Kubernetes sets only with `Complete`), fails when the Job
    /// has failed (a `Failed` condition, whatever the reason: backoff limit, deadline, pod failure
    /// policy; from 1.31 it follows `FailureTarget` once the Job's pods have stopped). A pod that
    /// fails while the Job still retries does not end the step. Waits 24 hours at most.
    pub fn batch_job() -> Self {
        Wait {
            success: set("status.completionTime"),
            failure: Some(any_condition(&["Failed"])),
            timeout_seconds: DEFAULT_WAIT_SECONDS,
        }
    }

    /// A Katib `Experiment` (`kubeflow.org/v1beta1`, Katib 0.11 and later): succeeds when the
    /// experiment has finished (`completionTime`) without a `Failed` condition (whatever ended it:
    /// the trial budget, the objective goal, an exhausted search space), fails on a `Failed`
    /// condition. Waits 24 hours at most.
    pub fn katib_experiment() -> Self {
        Self::terminal_conditions()
    }

    /// A Kubeflow training-operator job (`PyTorchJob`, `TFJob`, `kubeflow.org/v1`, training
    /// operator 1.5 and later): succeeds when the job has finished (`completionTime`) without a
    /// `Failed` condition, fails on a `Failed` condition (backoff limit, deadline, a non-retryable
    /// exit code). A restarting replica does not end the step. Waits 24 hours at most.
    pub fn training_job() -> Self {
        Self::terminal_conditions()
    }

    fn terminal_conditions() -> Self {
        Wait {
            success: format!("{},{}", set("status.completionTime"), no_condition(&["Failed"])),
            failure: Some(any_condition(&["Failed"])),
            timeout_seconds: DEFAULT_WAIT_SECONDS,
        }
    }

    /// A KServe `InferenceService` (`serving.kserve.io/v1beta1`, KServe 0.9 and later: the first
    /// with `status.modelStatus`): succeeds when the model the service should serve is the one
    /// loaded (`transitionStatus` `UpToDate`, target and active model `Loaded`) and the service has
    /// a URL; fails when KServe cannot load it (`BlockedByFailedLoad`, `InvalidSpec`, target
    /// `FailedToLoad`), even while an older model still serves. Waits an hour at most.
    ///
    /// The status says nothing of which generation of the service it describes (its
    /// `observedGeneration`, 0.10 and later, is the Knative Service's or the Deployment's), so a
    /// check made before KServe has seen a re-applied spec reads the previous model's outcome; see
    /// the README's Kubeflow section.
    pub fn inference_service() -> Self {
        let model = "status.modelStatus";
        Wait {
            success: format!(
                "{model}.transitionStatus == UpToDate,{model}.states.activeModelState == Loaded,\
                 {model}.states.targetModelState == Loaded,{}",
                set("status.url")
            ),
            failure: Some(format!(
                "{model}.transitionStatus in (BlockedByFailedLoad,InvalidSpec),{model}.states.targetModelState == FailedToLoad"
            )),
            timeout_seconds: 3600,
        }
    }

    /// A `VolumeSnapshot` (`snapshot.storage.k8s.io/v1`): succeeds when it is ready to use. A
    /// snapshot error is not final (the snapshot controller retries), so it does not fail the step;
    /// the timeout (30 minutes) does.
    pub fn volume_snapshot() -> Self {
        Wait { success: "status.readyToUse == true".to_owned(), failure: None, timeout_seconds: 1800 }
    }

    /// The same wait with another timeout.
    #[must_use]
    pub fn timeout(mut self, seconds: u64) -> Self {
        self.timeout_seconds = seconds;
        self
    }

    /// The success condition.
    pub fn success(&self) -> &str {
        &self.success
    }

    /// The failure condition.
    pub fn failure(&self) -> Option<&str> {
        self.failure.as_deref()
    }

    /// The timeout.
    pub fn timeout_seconds(&self) -> u64 {
        self.timeout_seconds
    }
}

impl ResourceSpec {
    /// Waits as `wait` says: its success and failure conditions, and its timeout unless
    /// [`ResourceSpec::timeout`] set one.
    #[must_use]
    pub fn wait(mut self, wait: Wait) -> Self {
        self.success = Some(wait.success);
        self.failure = wait.failure;
        self.timeout = self.timeout.or(Some(wait.timeout_seconds));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::wait_condition::Condition;

    #[test]
    fn every_wait_parses_as_argo_parses_it() {
        for w in [
            Wait::batch_job(),
            Wait::katib_experiment(),
            Wait::training_job(),
            Wait::inference_service(),
            Wait::volume_snapshot(),
        ] {
            Condition::parse(w.success()).unwrap();
            if let Some(f) = w.failure() {
                Condition::parse(f).unwrap();
            }
        }
    }
}
