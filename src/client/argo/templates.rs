//! WorkflowTemplates, ClusterWorkflowTemplates and CronWorkflows: create, get, update, delete, and
//! `apply` (create, or update what exists).

use serde_json::json;

use super::{Argo, metadata_name, object};
use crate::client::ClientError;
use crate::client::http::enc;

/// The kinds of Argo object that hold a workflow to run later: what [`Argo::apply`] takes and
/// [`Argo::submit_from`] submits from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TemplateKind {
    /// A `WorkflowTemplate`, in a namespace.
    WorkflowTemplate,
    /// A `ClusterWorkflowTemplate`, cluster-wide.
    ClusterWorkflowTemplate,
    /// A `CronWorkflow`, in a namespace.
    CronWorkflow,
}

impl TemplateKind {
    /// The kind spelled as the server takes it (the kind, its singular, plural or short name, any
    /// case) or as `compile --kind` does (`workflow-template`, `cluster-workflow-template`,
    /// `cron-workflow`).
    pub fn parse(s: &str) -> Option<TemplateKind> {
        match s.to_ascii_lowercase().replace('-', "").as_str() {
            "workflowtemplate" | "workflowtemplates" | "wftmpl" => Some(TemplateKind::WorkflowTemplate),
            "clusterworkflowtemplate" | "clusterworkflowtemplates" | "cwftmpl" => {
                Some(TemplateKind::ClusterWorkflowTemplate)
            }
            "cronworkflow" | "cronworkflows" | "cronwf" => Some(TemplateKind::CronWorkflow),
            _ => None,
        }
    }

    /// The kind's name (`WorkflowTemplate`, `ClusterWorkflowTemplate`, `CronWorkflow`).
    pub fn name(self) -> &'static str {
        match self {
            TemplateKind::WorkflowTemplate => "WorkflowTemplate",
            TemplateKind::ClusterWorkflowTemplate => "ClusterWorkflowTemplate",
            TemplateKind::CronWorkflow => "CronWorkflow",
        }
    }

    /// The field of the create and update requests that holds the object.
    fn wrapper(self) -> &'static str {
        match self {
            TemplateKind::WorkflowTemplate | TemplateKind::ClusterWorkflowTemplate => "template",
            TemplateKind::CronWorkflow => "cronWorkflow",
        }
    }
}

impl Argo {
    /// `POST /api/v1/workflow-templates/{namespace}` with `{"namespace": .., "template": template}`.
    /// Returns the created WorkflowTemplate.
    ///
    /// # Errors
    /// A [`ClientError`] (HTTP 409 when one of that name exists: see [`apply`](Self::apply)).
    pub fn create_workflow_template(&self, template: &serde_json::Value) -> Result<serde_json::Value, ClientError> {
        self.create(TemplateKind::WorkflowTemplate, template)
    }

    /// `PUT /api/v1/workflow-templates/{namespace}/{name}` with `{"name": .., "namespace": ..,
    /// "template": template}`, the name from `metadata.name`. Returns the updated WorkflowTemplate.
    ///
    /// Kubernetes updates only the version it is given: when `template` has no
    /// `metadata.resourceVersion`, the current one is read from the server first.
    ///
    /// # Errors
    /// [`ClientError::Setup`] without `metadata.name`; a [`ClientError`] from the server (HTTP 404
    /// when there is no such template).
    pub fn update_workflow_template(&self, template: &serde_json::Value) -> Result<serde_json::Value, ClientError> {
        self.update(TemplateKind::WorkflowTemplate, template)
    }

    /// `GET /api/v1/workflow-templates/{namespace}/{name}`.
    ///
    /// # Errors
    /// A [`ClientError`] (HTTP 404 when there is no such template).
    pub fn get_workflow_template(&self, name: &str) -> Result<serde_json::Value, ClientError> {
        self.get(TemplateKind::WorkflowTemplate, name)
    }

    /// `DELETE /api/v1/workflow-templates/{namespace}/{name}`.
    ///
    /// # Errors
    /// A [`ClientError`] (HTTP 404 when there is no such template).
    pub fn delete_workflow_template(&self, name: &str) -> Result<(), ClientError> {
        self.delete(TemplateKind::WorkflowTemplate, name)
    }

    /// `POST /api/v1/cluster-workflow-templates` with `{"template": template}`. Returns the created
    /// ClusterWorkflowTemplate.
    ///
    /// # Errors
    /// A [`ClientError`] (HTTP 409 when one of that name exists: see [`apply`](Self::apply)).
    pub fn create_cluster_workflow_template(
        &self,
        template: &serde_json::Value,
    ) -> Result<serde_json::Value, ClientError> {
        self.create(TemplateKind::ClusterWorkflowTemplate, template)
    }

    /// `PUT /api/v1/cluster-workflow-templates/{name}` with `{"name": .., "template": template}`,
    /// the name from `metadata.name`; the `resourceVersion` as in
    /// [`update_workflow_template`](Self::update_workflow_template).
    ///
    /// # Errors
    /// As [`update_workflow_template`](Self::update_workflow_template).
    pub fn update_cluster_workflow_template(
        &self,
        template: &serde_json::Value,
    ) -> Result<serde_json::Value, ClientError> {
        self.update(TemplateKind::ClusterWorkflowTemplate, template)
    }

    /// `GET /api/v1/cluster-workflow-templates/{name}`.
    ///
    /// # Errors
    /// A [`ClientError`] (HTTP 404 when there is no such template).
    pub fn get_cluster_workflow_template(&self, name: &str) -> Result<serde_json::Value, ClientError> {
        self.get(TemplateKind::ClusterWorkflowTemplate, name)
    }

    /// `DELETE /api/v1/cluster-workflow-templates/{name}`.
    ///
    /// # Errors
    /// A [`ClientError`] (HTTP 404 when there is no such template).
    pub fn delete_cluster_workflow_template(&self, name: &str) -> Result<(), ClientError> {
        self.delete(TemplateKind::ClusterWorkflowTemplate, name)
    }

    /// `POST /api/v1/cron-workflows/{namespace}` with `{"namespace": .., "cronWorkflow": cron}`.
    /// Returns the created CronWorkflow.
    ///
    /// # Errors
    /// A [`ClientError`] (HTTP 409 when one of that name exists: see [`apply`](Self::apply)).
    pub fn create_cron_workflow(&self, cron: &serde_json::Value) -> Result<serde_json::Value, ClientError> {
        self.create(TemplateKind::CronWorkflow, cron)
    }

    /// `PUT /api/v1/cron-workflows/{namespace}/{name}` with `{"name": .., "namespace": ..,
    /// "cronWorkflow": cron}`, the name from `metadata.name`; the `resourceVersion` as in
    /// [`update_workflow_template`](Self::update_workflow_template).
    ///
    /// # Errors
    /// As [`update_workflow_template`](Self::update_workflow_template).
    pub fn update_cron_workflow(&self, cron: &serde_json::Value) -> Result<serde_json::Value, ClientError> {
        self.update(TemplateKind::CronWorkflow, cron)
    }

    /// `GET /api/v1/cron-workflows/{namespace}/{name}`.
    ///
    /// # Errors
    /// A [`ClientError`] (HTTP 404 when there is no such cron workflow).
    pub fn get_cron_workflow(&self, name: &str) -> Result<serde_json::Value, ClientError> {
        self.get(TemplateKind::CronWorkflow, name)
    }

    /// `DELETE /api/v1/cron-workflows/{namespace}/{name}`.
    ///
    /// # Errors
    /// A [`ClientError`] (HTTP 404 when there is no such cron workflow).
    pub fn delete_cron_workflow(&self, name: &str) -> Result<(), ClientError> {
        self.delete(TemplateKind::CronWorkflow, name)
    }

    /// Creates `object`, or updates it when one of that name exists: a WorkflowTemplate,
    /// ClusterWorkflowTemplate or CronWorkflow, by its `kind` (for re-runs of `upload` and
    /// `schedule`). Returns the created or updated object.
    ///
    /// The create answers 409 (AlreadyExists) when the name is taken; then the object is updated,
    /// with the existing `resourceVersion` (which Kubernetes needs for an update) unless `object`
    /// has one.
    ///
    /// # Errors
    /// [`ClientError::Setup`] for another kind (a Workflow is run with
    /// [`create_workflow`](Self::create_workflow)); a [`ClientError`] from the server.
    pub fn apply(&self, object: &serde_json::Value) -> Result<serde_json::Value, ClientError> {
        let kind_name = object["kind"].as_str().unwrap_or_default();
        let kind = TemplateKind::parse(kind_name).filter(|k| k.name() == kind_name).ok_or_else(|| {
            ClientError::Setup(format!(
                "apply takes a WorkflowTemplate, ClusterWorkflowTemplate or CronWorkflow, not kind {kind_name:?}"
            ))
        })?;
        match self.create(kind, object) {
            Err(e) if e.status() == Some(409) => self.update(kind, object),
            other => other,
        }
    }

    /// The collection's path (`/api/v1/workflow-templates/{namespace}`).
    fn collection(&self, kind: TemplateKind) -> String {
        match kind {
            TemplateKind::WorkflowTemplate => self.ns_path("workflow-templates"),
            TemplateKind::ClusterWorkflowTemplate => "/api/v1/cluster-workflow-templates".to_owned(),
            TemplateKind::CronWorkflow => self.ns_path("cron-workflows"),
        }
    }

    fn item(&self, kind: TemplateKind, name: &str) -> String {
        format!("{}/{}", self.collection(kind), enc(name))
    }

    /// The request body: the object under the kind's wrapper, with the namespace for the
    /// namespaced kinds and, for an update, the name.
    fn body(&self, kind: TemplateKind, name: Option<&str>, value: &serde_json::Value) -> serde_json::Value {
        let mut body = json!({ kind.wrapper(): value });
        if kind != TemplateKind::ClusterWorkflowTemplate {
            body["namespace"] = json!(self.namespace);
        }
        if let Some(name) = name {
            body["name"] = json!(name);
        }
        body
    }

    fn create(&self, kind: TemplateKind, value: &serde_json::Value) -> Result<serde_json::Value, ClientError> {
        let path = self.collection(kind);
        let answer = self.http.post(&path, &self.body(kind, None, value))?;
        object(&self.http, "POST", &path, kind.name(), answer)
    }

    fn update(&self, kind: TemplateKind, value: &serde_json::Value) -> Result<serde_json::Value, ClientError> {
        let name = metadata_name(value, &format!("update {}", kind.name()))?;
        let mut value = value.clone();
        if value["metadata"]["resourceVersion"].as_str().is_none_or(str::is_empty) {
            let current = self.get(kind, name)?;
            if let Some(version) = current["metadata"]["resourceVersion"].as_str() {
                value["metadata"]["resourceVersion"] = json!(version);
            }
        }
        let path = self.item(kind, name);
        let answer = self.http.put(&path, &self.body(kind, Some(name), &value))?;
        object(&self.http, "PUT", &path, kind.name(), answer)
    }

    fn get(&self, kind: TemplateKind, name: &str) -> Result<serde_json::Value, ClientError> {
        let path = self.item(kind, name);
        let answer = self.http.get(&path)?;
        object(&self.http, "GET", &path, kind.name(), answer)
    }

    fn delete(&self, kind: TemplateKind, name: &str) -> Result<(), ClientError> {
        self.http.delete(&self.item(kind, name)).map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::TemplateKind;

    #[test]
    fn kinds_parse_as_the_server_and_the_compiler_spell_them() {
        for s in ["WorkflowTemplate", "workflowtemplates", "wftmpl", "workflow-template"] {
            assert_eq!(TemplateKind::parse(s), Some(TemplateKind::WorkflowTemplate), "{s}");
        }
        for s in ["ClusterWorkflowTemplate", "cwftmpl", "cluster-workflow-template"] {
            assert_eq!(TemplateKind::parse(s), Some(TemplateKind::ClusterWorkflowTemplate), "{s}");
        }
        for s in ["CronWorkflow", "cronwf", "cron-workflow"] {
            assert_eq!(TemplateKind::parse(s), Some(TemplateKind::CronWorkflow), "{s}");
        }
        assert_eq!(TemplateKind::parse("Workflow"), None);
        assert_eq!(TemplateKind::CronWorkflow.name(), "CronWorkflow");
    }
}
