//! A component whose template lives in a WorkflowTemplate library on the cluster: tasks calling it
//! reference the library's template (`templateRef`) instead of carrying a copy, so teams share
//! versioned components. The component's code still types its inputs and outputs.

use crate::checks::check_object_name;

/// Where a component's template is kept: a `WorkflowTemplate` (in the workflow's namespace) or a
/// `ClusterWorkflowTemplate`, and the template's name in it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct TemplateLibrary {
    /// The WorkflowTemplate's or ClusterWorkflowTemplate's name.
    pub name: String,
    /// A ClusterWorkflowTemplate.
    pub cluster_scope: bool,
    /// The template's name in it (default: the component's template name, as `compile --kind
    /// workflow-template` of a pipeline calling it writes it).
    pub template: Option<String>,
}

impl TemplateLibrary {
    /// The WorkflowTemplate `name` in the workflow's namespace.
    pub fn workflow_template(name: impl Into<String>) -> Self {
        TemplateLibrary { name: name.into(), cluster_scope: false, template: None }
    }

    /// The ClusterWorkflowTemplate `name`.
    pub fn cluster_workflow_template(name: impl Into<String>) -> Self {
        TemplateLibrary { name: name.into(), cluster_scope: true, template: None }
    }

    /// Names the template in the library (when it is not the component's own template name).
    #[must_use]
    pub fn template(mut self, name: impl Into<String>) -> Self {
        self.template = Some(name.into());
        self
    }

    /// Checks the names as Kubernetes and Argo take them.
    ///
    /// # Errors
    /// What is wrong with which name.
    pub fn check(&self) -> Result<(), String> {
        let kind = if self.cluster_scope { "ClusterWorkflowTemplate" } else { "WorkflowTemplate" };
        check_object_name(kind, &self.name)?;
        if let Some(t) = &self.template {
            let ok = t.len() <= 128
                && t.starts_with(|c: char| c.is_ascii_alphanumeric())
                && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            if !ok {
                return Err(format!(
                    "`{}` is not a template name (letters, digits and `-`, starting with a letter or digit)",
                    t.escape_debug()
                ));
            }
        }
        Ok(())
    }
}
