//! `lint`: checks a compiled document the way the servers that run it would, without a cluster.
//!
//! Two dialects, one report. An Argo document (`Workflow`, `WorkflowTemplate`,
//! `ClusterWorkflowTemplate`, `CronWorkflow`) is checked against Argo's schema for its fields and the
//! rules of Argo's `validate.go` (in [`argo`]) and of the Kubeflow Pipelines v1 backend (in
//! [`kubeflow`]); a KFP v2 `PipelineSpec` (with its `PlatformSpec`, the second document kfp writes) is
//! checked as the KFP 2.x API server checks it (in [`ir`]). Every problem is one [`Problem`]: where (the
//! document and the path in it), which rule, and what is wrong.
//!
//! ```text
//! text --yaml--> documents --kind--> argo::lint / ir::lint --> Vec<Problem>
//! ```

pub mod argo;
pub mod ir;
pub mod kubeflow;

use std::fmt;

/// One problem in a document.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Problem {
    /// Which document of the file (0 for the first; a split bundle or a spec with its platform spec
    /// has several).
    pub document: usize,
    /// Where in the document, as a path of keys and indexes: `spec.templates[2].dag.tasks[0].depends`.
    pub path: String,
    /// The rule broken: a short stable id such as `argo/dag-cycle` or `ir/unknown-component`.
    pub rule: &'static str,
    /// What is wrong, and how to fix it where that is not obvious.
    pub message: String,
}

impl Problem {
    /// A problem at `path` in the first document.
    pub fn new(path: impl Into<String>, rule: &'static str, message: impl Into<String>) -> Self {
        Self { document: 0, path: path.into(), rule, message: message.into() }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.document > 0 {
            write!(f, "document {}: ", self.document + 1)?;
        }
        write!(f, "{}: {} [{}]", self.path, self.message, self.rule)
    }
}

/// A file lint could not read at all (not YAML or JSON, or not a document kind it knows).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct LintError(pub String);
