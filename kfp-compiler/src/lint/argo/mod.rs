//! Argo's rules: the schema for the fields, and `validate.go`'s rules (names, references, scopes).
//!
//! One pass over a document: the schema check ([`schema`]), then the rules Argo's server applies
//! that a schema cannot express: names and lengths ([`names`]), the template table, calls and
//! required inputs ([`templates`]), DAG and steps structure ([`dag`]), `{{...}}` references in scope
//! ([`scopes`]), the values of single fields such as `when` or `retryStrategy` ([`fields`]), and the
//! fields that belong to some template types only ([`placement`]).

mod dag;
mod fields;
mod names;
mod placement;
mod schema;
mod scopes;
mod templates;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::Problem;
use crate::argo::ArgoVersion;

/// The kinds of Argo object lint checks.
pub const KINDS: &[&str] = &["Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow"];

/// Whether `doc` is an Argo object (`apiVersion: argoproj.io/...`), and of which kind.
pub fn kind_of(doc: &Value) -> Option<&str> {
    let api = doc.get("apiVersion")?.as_str()?;
    if !api.starts_with("argoproj.io/") {
        return None;
    }
    doc.get("kind")?.as_str()
}

/// Every problem in `doc`, an Argo object of one of [`KINDS`] (anything else is one problem), for
/// the newest Argo version.
pub fn lint(doc: &Value) -> Vec<Problem> {
    lint_for(doc, ArgoVersion::default())
}

/// [`lint`] for Argo `version`: its schema (v3.4's for v3.4 and v3.5, v4.1's from v4.0, either for
/// v3.6 and v3.7).
pub fn lint_for(doc: &Value, version: ArgoVersion) -> Vec<Problem> {
    let mut out = Out::default();
    let kind = kind_of(doc).unwrap_or_default();
    if !KINDS.contains(&kind) {
        out.push("kind", "argo/kind", format!("`{kind}` is not a kind lint checks: one of {}", KINDS.join(", ")));
        return out.problems;
    }
    schema::check(kind, doc, version, &mut out);
    names::metadata(kind, doc, &mut out);
    let (spec, at) = match kind {
        "CronWorkflow" => (doc.pointer("/spec/workflowSpec"), "spec.workflowSpec"),
        _ => (doc.get("spec"), "spec"),
    };
    if let Some(Value::Object(spec)) = spec {
        Doc::new(kind, spec, at, &mut out).check();
    }
    if kind == "CronWorkflow" {
        fields::cron(doc, &mut out);
    }
    out.problems
}

/// The problems found so far.
#[derive(Default)]
pub(crate) struct Out {
    problems: Vec<Problem>,
}

impl Out {
    /// Records one problem.
    pub(crate) fn push(&mut self, path: impl Into<String>, rule: &'static str, message: impl Into<String>) {
        self.problems.push(Problem::new(path, rule, message));
    }

    /// The problems recorded.
    pub(crate) fn into_problems(self) -> Vec<Problem> {
        self.problems
    }
}

/// One document's workflow spec, with what every rule needs to know about it.
pub(crate) struct Doc<'a, 'o> {
    /// Where the spec is: `spec`, or `spec.workflowSpec` in a CronWorkflow.
    pub(crate) at: &'static str,
    pub(crate) spec: &'a Map<String, Value>,
    /// A Workflow or CronWorkflow not running a WorkflowTemplate: its parameters are all known here.
    pub(crate) submitted: bool,
    /// The workflow's parameters (`spec.arguments.parameters`).
    pub(crate) globals: BTreeSet<&'a str>,
    /// The templates by name, with their path.
    pub(crate) templates: BTreeMap<&'a str, (String, &'a Value)>,
    pub(crate) out: &'o mut Out,
}

impl<'a, 'o> Doc<'a, 'o> {
    fn new(kind: &str, spec: &'a Map<String, Value>, at: &'static str, out: &'o mut Out) -> Self {
        let submitted = matches!(kind, "Workflow" | "CronWorkflow") && !spec.contains_key("workflowTemplateRef");
        let globals = names_of(spec.get("arguments").and_then(|a| a.get("parameters"))).collect();
        Self { at, spec, submitted, globals, templates: BTreeMap::new(), out }
    }

    fn check(mut self) {
        self.collect_templates();
        self.spec_level();
        fields::spec(self.at, self.spec, self.out);
        let templates = self.spec.get("templates").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
        for (i, t) in templates.iter().enumerate() {
            self.template(&format!("{}.templates[{i}]", self.at), t, false);
        }
    }
}

/// The `name`s of a list of objects.
pub(crate) fn names_of(list: Option<&Value>) -> impl Iterator<Item = &str> {
    list.and_then(Value::as_array).into_iter().flatten().filter_map(|x| x.get("name")?.as_str())
}

/// A field of an object as a list (empty when absent or not a list).
pub(crate) fn list<'v>(v: &'v Value, key: &str) -> &'v [Value] {
    v.get(key).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}
