//! Workflows: create, lint, get, list, stop, terminate, retry, delete, and submit from a template.

use serde_json::json;

use super::templates::TemplateKind;
use super::{Argo, kind_of, object};
use crate::client::http::enc;
use crate::client::{ClientError, RunStatus};

/// Left out of list answers: the specs and stored templates, the bulk of a workflow object that a
/// status does not need (the server's `fields` option, `-` excludes).
const LIST_FIELDS: &str = "-items.spec,items.status.storedTemplates,items.status.storedWorkflowTemplateSpec";

impl Argo {
    /// `POST /api/v1/workflows/{namespace}` with `{"namespace": .., "workflow": workflow}`.
    ///
    /// Returns the created Workflow; its `metadata.name` is the run's name (the server makes it
    /// from `generateName`).
    ///
    /// # Errors
    /// A [`ClientError`]: the server's message says what is wrong with the workflow (HTTP 400).
    pub fn create_workflow(&self, workflow: &serde_json::Value) -> Result<serde_json::Value, ClientError> {
        let path = self.ns_path("workflows");
        let answer = self.http.post(&path, &json!({"namespace": self.namespace, "workflow": workflow}))?;
        object(&self.http, "POST", &path, "Workflow", answer)
    }

    /// `POST /api/v1/workflows/{namespace}/lint` with `{"namespace": .., "workflow": workflow}`:
    /// the server's validation, nothing created. Returns the workflow as the server would run it.
    ///
    /// The workflow's `metadata.namespace` is set to this client's namespace when it has none: the
    /// server looks up the templates a `templateRef` names there.
    ///
    /// # Errors
    /// A [`ClientError`] whose message is the server's word on what is wrong.
    pub fn lint_workflow(&self, workflow: &serde_json::Value) -> Result<serde_json::Value, ClientError> {
        let path = format!("{}/lint", self.ns_path("workflows"));
        let mut workflow = workflow.clone();
        if workflow["metadata"]["namespace"].as_str().is_none_or(str::is_empty) && workflow["metadata"].is_object() {
            workflow["metadata"]["namespace"] = json!(self.namespace);
        }
        let answer = self.http.post(&path, &json!({"namespace": self.namespace, "workflow": workflow}))?;
        object(&self.http, "POST", &path, "Workflow", answer)
    }

    /// `GET /api/v1/workflows/{namespace}/{name}`: the Workflow object.
    ///
    /// # Errors
    /// A [`ClientError`] (HTTP 404 when there is no such workflow).
    pub fn get_workflow(&self, name: &str) -> Result<serde_json::Value, ClientError> {
        let path = self.named_path("workflows", name);
        let answer = self.http.get(&path)?;
        object(&self.http, "GET", &path, "Workflow", answer)
    }

    /// The workflow's status: [`get_workflow`](Self::get_workflow) read by
    /// [`RunStatus::from_argo_workflow`]. When the answer has no `metadata.name`, the status is
    /// named `name`.
    ///
    /// # Errors
    /// As [`get_workflow`](Self::get_workflow).
    pub fn workflow_status(&self, name: &str) -> Result<RunStatus, ClientError> {
        Ok(status_of(&self.get_workflow(name)?, name))
    }

    /// `GET /api/v1/workflows/{namespace}?listOptions.labelSelector=..`: the workflows' statuses,
    /// newest (by `metadata.creationTimestamp`) first.
    ///
    /// The specs are left out of the answer (`fields`), the nodes are not: each status has its
    /// steps. The server lists live workflows and, when it has an archive, archived ones.
    ///
    /// # Errors
    /// A [`ClientError`]; [`ClientError::Decode`] when `items` is not a list.
    pub fn list_workflows(&self, label_selector: Option<&str>) -> Result<Vec<RunStatus>, ClientError> {
        let mut path = format!("{}?fields={}", self.ns_path("workflows"), enc(LIST_FIELDS));
        if let Some(selector) = label_selector.filter(|s| !s.is_empty()) {
            path.push_str(&format!("&listOptions.labelSelector={}", enc(selector)));
        }
        let answer = self.http.get(&path)?;
        let mut items: Vec<&serde_json::Value> = match &answer["items"] {
            // Go's nil slice: an empty list.
            serde_json::Value::Null => Vec::new(),
            serde_json::Value::Array(items) => items.iter().collect(),
            other => {
                return Err(ClientError::Decode {
                    method: "GET",
                    url: self.http.url(&path),
                    reason: format!("items: expected a list of Workflows, got {}", kind_of(other)),
                });
            }
        };
        let created =
            |w: &serde_json::Value| w["metadata"]["creationTimestamp"].as_str().unwrap_or_default().to_owned();
        let named = |w: &serde_json::Value| w["metadata"]["name"].as_str().unwrap_or_default().to_owned();
        items.sort_by(|a, b| created(b).cmp(&created(a)).then_with(|| named(a).cmp(&named(b))));
        Ok(items.into_iter().map(|w| status_of(w, "")).collect())
    }

    /// `PUT /api/v1/workflows/{namespace}/{name}/stop`: stops the workflow, running its exit
    /// handlers. Returns the Workflow.
    ///
    /// # Errors
    /// A [`ClientError`] (HTTP 404 when there is no such workflow).
    pub fn stop_workflow(&self, name: &str) -> Result<serde_json::Value, ClientError> {
        self.workflow_action(name, "stop")
    }

    /// `PUT /api/v1/workflows/{namespace}/{name}/terminate`: stops the workflow at once, without
    /// its exit handlers. Returns the Workflow.
    ///
    /// # Errors
    /// A [`ClientError`] (HTTP 404 when there is no such workflow).
    pub fn terminate_workflow(&self, name: &str) -> Result<serde_json::Value, ClientError> {
        self.workflow_action(name, "terminate")
    }

    /// `PUT /api/v1/workflows/{namespace}/{name}/retry`: runs the failed steps of a finished
    /// workflow again. Returns the Workflow.
    ///
    /// # Errors
    /// A [`ClientError`] (HTTP 404 when there is no such workflow; the server's message when it is
    /// not finished).
    pub fn retry_workflow(&self, name: &str) -> Result<serde_json::Value, ClientError> {
        self.workflow_action(name, "retry")
    }

    /// `DELETE /api/v1/workflows/{namespace}/{name}`.
    ///
    /// # Errors
    /// A [`ClientError`] (HTTP 404 when there is no such workflow).
    pub fn delete_workflow(&self, name: &str) -> Result<(), ClientError> {
        self.http.delete(&self.named_path("workflows", name)).map(drop)
    }

    /// `POST /api/v1/workflows/{namespace}/submit`: a workflow from a WorkflowTemplate,
    /// ClusterWorkflowTemplate or CronWorkflow named `name`, with `parameters` as
    /// `submitOptions.parameters` (`["name=value", ..]`). Returns the created Workflow.
    ///
    /// `kind` is any spelling the server takes (`WorkflowTemplate`, `workflowtemplate`, `wftmpl`,
    /// ...) or the compiler's (`workflow-template`, `cluster-workflow-template`, `cron-workflow`);
    /// it is sent as the kind's name.
    ///
    /// # Errors
    /// [`ClientError::Setup`] for another kind; a [`ClientError`] from the server (HTTP 404 when
    /// there is no such template).
    pub fn submit_from(
        &self,
        kind: &str,
        name: &str,
        parameters: &[(String, String)],
    ) -> Result<serde_json::Value, ClientError> {
        let kind = TemplateKind::parse(kind).ok_or_else(|| {
            ClientError::Setup(format!(
                "cannot submit from a {kind:?}: a WorkflowTemplate, ClusterWorkflowTemplate or CronWorkflow can be submitted"
            ))
        })?;
        let parameters: Vec<String> = parameters.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let body = json!({
            "namespace": self.namespace,
            "resourceKind": kind.name(),
            "resourceName": name,
            "submitOptions": {"parameters": parameters},
        });
        let path = format!("{}/submit", self.ns_path("workflows"));
        let answer = self.http.post(&path, &body)?;
        object(&self.http, "POST", &path, "Workflow", answer)
    }

    /// `PUT /api/v1/workflows/{namespace}/{name}/{action}` with `{"name": .., "namespace": ..}`.
    fn workflow_action(&self, name: &str, action: &str) -> Result<serde_json::Value, ClientError> {
        let path = format!("{}/{action}", self.named_path("workflows", name));
        let answer = self.http.put(&path, &json!({"name": name, "namespace": self.namespace}))?;
        object(&self.http, "PUT", &path, "Workflow", answer)
    }
}

/// The status of `workflow`, named `name` when the object has no name.
pub(super) fn status_of(workflow: &serde_json::Value, name: &str) -> RunStatus {
    let mut status = RunStatus::from_argo_workflow(workflow);
    if status.id.is_empty() {
        status.id = name.to_owned();
        status.name = name.to_owned();
    }
    status
}
