//! Runs (create, get, list, wait) and recurring runs (`v2beta1` `/recurringruns`, `v1beta1`
//! `/jobs`).

use std::time::Instant;

use super::{Kfp, NewRecurringRun, NewRun, RecurringRun, v1, v2};
use crate::client::http::enc;
use crate::client::{ClientError, RunStatus, Wait};

impl Kfp {
    /// Creates a run (`POST .../runs`) of an uploaded version or of the compiled pipeline itself.
    ///
    /// `v2beta1`: `pipeline_version_reference` or the IR in `pipeline_spec`, values in
    /// `runtime_config.parameters`. `v1beta1`: `pipeline_spec.pipeline_id` plus a
    /// `PIPELINE_VERSION` reference, or the workflow's JSON text in `pipeline_spec.workflow_manifest`;
    /// values as strings in `pipeline_spec.parameters`; the experiment as an `EXPERIMENT` reference.
    ///
    /// # Errors
    /// A [`ClientError`] when the server refuses it.
    pub fn create_run(&self, run: &NewRun) -> Result<RunStatus, ClientError> {
        let path = self.path("/runs", &[]);
        let body = if self.v2() {
            v2::run_body(run)
        } else {
            v1::run_body(run).map_err(|e| ClientError::Setup(format!("POST {}: {e}", self.http.url(&path))))?
        };
        let v = self.http.post(&path, &body)?;
        self.decode("POST", &path, || if self.v2() { v2::run(&v) } else { v1::run(&v) })
    }

    /// A run's state and steps (`GET .../runs/{id}`): `v2beta1` its `state` and
    /// `run_details.task_details`; `v1beta1` `run.status` and the nodes of the Argo Workflow in
    /// `pipeline_runtime.workflow_manifest`.
    ///
    /// # Errors
    /// A [`ClientError`] (404 when there is no such run).
    pub fn get_run(&self, id: &str) -> Result<RunStatus, ClientError> {
        let path = self.path(&format!("/runs/{}", enc(id)), &[]);
        let v = self.http.get(&path)?;
        self.decode("GET", &path, || if self.v2() { v2::run(&v) } else { v1::run(&v) })
    }

    /// The newest `page_size` runs (of one experiment, if given), newest first
    /// (`sort_by=created_at desc`). Lists carry no steps.
    ///
    /// # Errors
    /// A [`ClientError`] when the server refuses it.
    pub fn list_runs(&self, experiment_id: Option<&str>, page_size: u32) -> Result<Vec<RunStatus>, ClientError> {
        let size = page_size.max(1).to_string();
        let experiment = experiment_id.unwrap_or_default();
        let mut query = vec![("page_size", size.as_str()), ("sort_by", "created_at desc")];
        if self.v2() {
            query.extend([("experiment_id", experiment), ("namespace", self.ns())]);
        } else if !experiment.is_empty() {
            query.extend([("resource_reference_key.type", "EXPERIMENT"), ("resource_reference_key.id", experiment)]);
        }
        let path = self.path("/runs", &query);
        let page = self.http.get(&path)?;
        let items = self.decode("GET", &path, || super::list_items(&page, &["runs"]))?;
        items.iter().map(|v| self.decode("GET", &path, || if self.v2() { v2::run(v) } else { v1::run(v) })).collect()
    }

    /// Polls [`Kfp::get_run`] every `wait.poll` until the run is done, and returns its last status
    /// (a failed run is `Ok`, with its state and message). Calls `on_change` with the first status
    /// and whenever the state or any step changed.
    ///
    /// # Errors
    /// [`ClientError::WaitTimeout`] after `wait.timeout`; a [`ClientError`] when a poll fails (after
    /// the endpoint's retries).
    pub fn wait_run(
        &self,
        id: &str,
        wait: &Wait,
        on_change: &mut dyn FnMut(&RunStatus),
    ) -> Result<RunStatus, ClientError> {
        let start = Instant::now();
        let mut last: Option<RunStatus> = None;
        loop {
            let status = self.get_run(id)?;
            if last.as_ref().is_none_or(|l| l.state != status.state || l.steps != status.steps) {
                on_change(&status);
            }
            if status.state.is_done() {
                return Ok(status);
            }
            let mut pause = wait.poll;
            if let Some(timeout) = wait.timeout {
                let left = timeout.saturating_sub(start.elapsed());
                if left.is_zero() {
                    return Err(ClientError::WaitTimeout {
                        what: format!("run {id}"),
                        waited: timeout,
                        state: status.state.to_string(),
                    });
                }
                pause = pause.min(left);
            }
            last = Some(status);
            std::thread::sleep(pause);
        }
    }

    fn recurring_path(&self) -> &'static str {
        if self.v2() { "/recurringruns" } else { "/jobs" }
    }

    /// Creates a recurring run: `v2beta1` `POST /recurringruns` (`trigger`, `max_concurrency` as a
    /// string, `no_catchup`, `mode` `ENABLE`/`DISABLE`); `v1beta1` `POST /jobs` (`trigger`,
    /// `max_concurrency`, `no_catchup`, `enabled`).
    ///
    /// # Errors
    /// A [`ClientError`] when the server refuses it.
    pub fn create_recurring_run(&self, r: &NewRecurringRun) -> Result<RecurringRun, ClientError> {
        let path = self.path(self.recurring_path(), &[]);
        let body = if self.v2() {
            v2::recurring_body(r)
        } else {
            v1::job_body(r).map_err(|e| ClientError::Setup(format!("POST {}: {e}", self.http.url(&path))))?
        };
        let v = self.http.post(&path, &body)?;
        self.decode("POST", &path, || if self.v2() { v2::recurring(&v) } else { v1::job(&v) })
    }

    /// `GET /recurringruns/{id}` (`v2beta1`) or `GET /jobs/{id}` (`v1beta1`).
    ///
    /// # Errors
    /// A [`ClientError`] (404 when there is no such recurring run).
    pub fn get_recurring_run(&self, id: &str) -> Result<RecurringRun, ClientError> {
        let path = self.path(&format!("{}/{}", self.recurring_path(), enc(id)), &[]);
        let v = self.http.get(&path)?;
        self.decode("GET", &path, || if self.v2() { v2::recurring(&v) } else { v1::job(&v) })
    }

    /// Every recurring run (of one experiment, if given), following `next_page_token`.
    ///
    /// # Errors
    /// A [`ClientError`] when a page cannot be had.
    pub fn list_recurring_runs(&self, experiment_id: Option<&str>) -> Result<Vec<RecurringRun>, ClientError> {
        let experiment = experiment_id.unwrap_or_default();
        let query = if self.v2() {
            vec![("experiment_id", experiment), ("namespace", self.ns())]
        } else if !experiment.is_empty() {
            vec![("resource_reference_key.type", "EXPERIMENT"), ("resource_reference_key.id", experiment)]
        } else {
            Vec::new()
        };
        // The v2beta1 list says `recurringRuns` (its proto sets that json_name).
        let keys: &[&str] = if self.v2() { &["recurringRuns", "recurring_runs"] } else { &["jobs"] };
        let items = self.list_all(self.recurring_path(), &query, keys)?;
        let path = self.path(self.recurring_path(), &query);
        items
            .iter()
            .map(|v| self.decode("GET", &path, || if self.v2() { v2::recurring(v) } else { v1::job(v) }))
            .collect()
    }

    /// Enables a recurring run: `POST /recurringruns/{id}:enable` or `POST /jobs/{id}/enable`.
    ///
    /// # Errors
    /// A [`ClientError`] when the server refuses it.
    pub fn enable_recurring_run(&self, id: &str) -> Result<(), ClientError> {
        self.recurring_action(id, "enable")
    }

    /// Disables a recurring run: `POST /recurringruns/{id}:disable` or `POST /jobs/{id}/disable`.
    ///
    /// # Errors
    /// A [`ClientError`] when the server refuses it.
    pub fn disable_recurring_run(&self, id: &str) -> Result<(), ClientError> {
        self.recurring_action(id, "disable")
    }

    fn recurring_action(&self, id: &str, action: &str) -> Result<(), ClientError> {
        let sep = if self.v2() { ':' } else { '/' };
        let path = self.path(&format!("{}/{}{sep}{action}", self.recurring_path(), enc(id)), &[]);
        self.http.call("POST", &path, crate::client::http::Body::None).map(drop)
    }

    /// Deletes a recurring run: `DELETE /recurringruns/{id}` or `DELETE /jobs/{id}`.
    ///
    /// # Errors
    /// A [`ClientError`] when the server refuses it.
    pub fn delete_recurring_run(&self, id: &str) -> Result<(), ClientError> {
        let path = self.path(&format!("{}/{}", self.recurring_path(), enc(id)), &[]);
        self.http.delete(&path).map(drop)
    }
}
