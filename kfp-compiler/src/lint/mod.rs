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
pub(crate) mod read;

use std::fmt;
use std::path::Path;

use serde_json::Value;

use crate::argo::ArgoVersion;

/// Every problem in `text`: YAML (one or several documents, as `compile --split` writes them, or a
/// KFP v2 spec followed by its platform spec) or JSON. Argo documents are checked by [`argo`] and
/// [`kubeflow`], a KFP v2 `PipelineSpec` (and a `platforms:` document right after it) by [`ir`].
///
/// # Errors
/// A [`LintError`] when the text is not YAML or JSON (a duplicate key included: which key, where),
/// or holds a document of a kind lint does not know.
pub fn lint_str(text: &str) -> Result<Vec<Problem>, LintError> {
    lint_str_for(text, ArgoVersion::default())
}

/// [`lint_str`] for Argo workflows written for Argo `version` (`compile --argo-version`): the
/// fields are checked against that version's schema.
///
/// # Errors
/// As [`lint_str`].
pub fn lint_str_for(text: &str, version: ArgoVersion) -> Result<Vec<Problem>, LintError> {
    let docs = read::yaml_documents(text).map_err(LintError)?;
    let docs: Vec<(usize, &Value)> = docs.iter().enumerate().filter(|(_, d)| !d.is_null()).collect();
    if docs.is_empty() {
        return Err(LintError("the file holds no document".to_owned()));
    }
    let mut problems = Vec::new();
    let mut rest = docs.as_slice();
    while let [(n, doc), tail @ ..] = rest {
        rest = tail;
        let found = if argo::kind_of(doc).is_some() {
            let mut found = argo::lint_for(doc, version);
            found.extend(kubeflow::lint(doc));
            found
        } else if is_pipeline_spec(doc) {
            let platform = match tail {
                [(_, p), after @ ..] if p.get("platforms").is_some() => {
                    rest = after;
                    Some(*p)
                }
                _ => None,
            };
            ir::lint(doc, platform)
        } else {
            return Err(LintError(format!(
                "document {} is neither an Argo object (`apiVersion: argoproj.io/...` with a `kind`) nor a KFP v2 \
                 pipeline spec (`pipelineInfo`, `root`, `components`)",
                n + 1
            )));
        };
        problems.extend(found.into_iter().map(|mut p| {
            p.document = *n;
            p
        }));
    }
    Ok(problems)
}

/// [`lint_str`] on the file at `path`.
///
/// # Errors
/// A [`LintError`] when the file cannot be read (saying why), or as [`lint_str`].
pub fn lint_file(path: &Path) -> Result<Vec<Problem>, LintError> {
    lint_file_for(path, ArgoVersion::default())
}

/// [`lint_str_for`] on the file at `path`.
///
/// # Errors
/// As [`lint_file`].
pub fn lint_file_for(path: &Path, version: ArgoVersion) -> Result<Vec<Problem>, LintError> {
    let text = std::fs::read_to_string(path).map_err(|e| LintError(format!("cannot read: {e}")))?;
    lint_str_for(&text, version)
}

/// Whether `doc` is a KFP v2 `PipelineSpec`.
fn is_pipeline_spec(doc: &Value) -> bool {
    ["pipelineInfo", "root", "components"].iter().any(|k| doc.get(k).is_some())
}

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

/// Edit distance (insertions, deletions, substitutions), for the "did you mean" of both dialects.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}
