//! Resource steps in the model: `kubectl <action>` on a manifest, the conditions that end the step,
//! and the outputs read from the object.

use serde::Serialize;

/// Marks where an input goes in a manifest (`TYPE:NAME` between the two), for the compiler to replace.
pub(crate) const RAW_OPEN: &str = "__kfp_raw_input__";

pub(crate) const RAW_CLOSE: &str = "__kfp_end__";

/// A resource step that waits on a condition fails after this long unless a timeout is set: 24
/// hours (Argo itself polls a condition forever).
pub const DEFAULT_WAIT_SECONDS: u64 = 24 * 3600;

/// The actions Argo's resource template runs (`kubectl <action>`).
pub(crate) const ACTIONS: [&str; 6] = ["create", "apply", "patch", "replace", "delete", "get"];

/// What a resource step does: `kubectl <action>` on a manifest, then waits until a success or failure
/// condition holds, and reads its output parameters from the object by JSONPath.
///
/// The manifest is any `serde::Serialize` value (`serde_json::json!`, a struct, a typed Kubernetes
/// object); the component's `Param<T>` inputs may appear anywhere in it and become Argo placeholders
/// (strings quoted, numbers and booleans bare, so `backoffLimit: {{inputs.parameters.n}}` stays a
/// number).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ResourceSpec {
    pub(crate) action: String,
    pub(crate) manifest: Result<serde_json::Value, String>,
    pub(crate) success: Option<String>,
    pub(crate) failure: Option<String>,
    pub(crate) outputs: Vec<(String, String)>,
    pub(crate) jq_outputs: Vec<(String, String)>,
    pub(crate) timeout: Option<u64>,
    pub(crate) flags: Vec<String>,
    pub(crate) merge_strategy: Option<String>,
    pub(crate) owner_reference: bool,
}

impl ResourceSpec {
    /// `kubectl <action>` on `manifest`; `action` is one of `create apply patch replace delete get`
    /// (another is reported when the component is registered).
    pub fn new(action: &str, manifest: impl Serialize) -> Self {
        ResourceSpec {
            action: action.to_owned(),
            manifest: serde_json::to_value(manifest).map_err(|e| e.to_string()),
            success: None,
            failure: None,
            outputs: Vec::new(),
            jq_outputs: Vec::new(),
            timeout: None,
            flags: Vec::new(),
            merge_strategy: None,
            owner_reference: false,
        }
    }

    /// Creates the object (`metadata.generateName` is allowed).
    pub fn create(manifest: impl Serialize) -> Self {
        Self::new("create", manifest)
    }

    /// Creates or updates the object.
    pub fn apply(manifest: impl Serialize) -> Self {
        Self::new("apply", manifest)
    }

    /// Patches an existing object (see [`ResourceSpec::merge_strategy`]).
    pub fn patch(manifest: impl Serialize) -> Self {
        Self::new("patch", manifest)
    }

    /// Replaces an existing object.
    pub fn replace(manifest: impl Serialize) -> Self {
        Self::new("replace", manifest)
    }

    /// Deletes the object the manifest names (`apiVersion`, `kind`, `metadata.name`).
    pub fn delete(manifest: impl Serialize) -> Self {
        Self::new("delete", manifest)
    }

    /// Reads the object the manifest names, for its outputs.
    pub fn get(manifest: impl Serialize) -> Self {
        Self::new("get", manifest)
    }

    /// The step succeeds when this holds on the object (Argo's syntax: `status.succeeded > 0`,
    /// `status.phase == Running`; several joined with `,` must all hold).
    #[must_use]
    pub fn success_condition(mut self, condition: &str) -> Self {
        self.success = Some(condition.to_owned());
        self
    }

    /// The step fails when this holds on the object.
    #[must_use]
    pub fn failure_condition(mut self, condition: &str) -> Self {
        self.failure = Some(condition.to_owned());
        self
    }

    pub(crate) fn output_named(mut self, name: &str, json_path: &str) -> Self {
        self.outputs.push((name.to_owned(), json_path.to_owned()));
        self
    }

    /// Fails the step if its wait has not ended after `seconds` (a step that waits gets
    /// [`DEFAULT_WAIT_SECONDS`] otherwise; a task's `.timeout(..)` wins over both).
    #[must_use]
    pub fn timeout(mut self, seconds: u64) -> Self {
        self.timeout = Some(seconds);
        self
    }

    /// Extra `kubectl` flags (`--ignore-not-found`, ...).
    #[must_use]
    pub fn flags<S: Into<String>>(mut self, flags: impl IntoIterator<Item = S>) -> Self {
        self.flags.extend(flags.into_iter().map(Into::into));
        self
    }

    /// How a `patch` merges: `strategic` (Kubernetes' default), `merge` or `json`.
    #[must_use]
    pub fn merge_strategy(mut self, strategy: &str) -> Self {
        self.merge_strategy = Some(strategy.to_owned());
        self
    }

    /// Makes the workflow the object's owner, so Kubernetes deletes the object with the workflow.
    #[must_use]
    pub fn owned_by_workflow(mut self) -> Self {
        self.owner_reference = true;
        self
    }

    /// The action.
    pub fn action(&self) -> &str {
        &self.action
    }

    /// The manifest, with inputs as placeholders (see [`ResourceSpec::raw_placeholders`]).
    pub fn manifest(&self) -> Option<&serde_json::Value> {
        self.manifest.as_ref().ok()
    }

    /// The success condition.
    pub fn success(&self) -> Option<&str> {
        self.success.as_deref()
    }

    /// The failure condition.
    pub fn failure(&self) -> Option<&str> {
        self.failure.as_deref()
    }

    /// Each output parameter's name and JSONPath.
    pub fn json_path_outputs(&self) -> &[(String, String)] {
        &self.outputs
    }

    /// Each output parameter read with a jq filter (gojq, run by Argo on the object as JSON).
    pub fn jq_outputs(&self) -> &[(String, String)] {
        &self.jq_outputs
    }

    /// How long the step may run: its timeout, or [`DEFAULT_WAIT_SECONDS`] if it waits
    /// on a condition (Argo polls a condition forever), or none.
    pub fn wait_timeout(&self) -> Option<u64> {
        let waits = self.success.is_some() || self.failure.is_some();
        self.timeout.or(waits.then_some(DEFAULT_WAIT_SECONDS))
    }

    /// The extra kubectl flags.
    pub fn kubectl_flags(&self) -> &[String] {
        &self.flags
    }

    /// The patch merge strategy.
    pub fn patch_strategy(&self) -> Option<&str> {
        self.merge_strategy.as_deref()
    }

    /// Whether the workflow owns the object.
    pub fn owner_reference(&self) -> bool {
        self.owner_reference
    }

    /// Replaces every marker of an input in `text` (a rendered manifest), and the quotes a serializer
    /// put around it, by `render(name, kfp_type)`: the compiler writes an expression tag that turns the
    /// value into a JSON literal of its type, so no value can add to the manifest's structure.
    pub fn raw_placeholders(text: &str, render: impl Fn(&str, &str) -> String) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find(RAW_OPEN) {
            let after = &rest[start + RAW_OPEN.len()..];
            let Some(end) = after.find(RAW_CLOSE) else { break };
            let name = &after[..end];
            let mut before = &rest[..start];
            let mut tail = &after[end + RAW_CLOSE.len()..];
            for q in ['\'', '"'] {
                if before.ends_with(q) && tail.starts_with(q) {
                    before = &before[..before.len() - 1];
                    tail = &tail[1..];
                }
            }
            out.push_str(before);
            let (kfp_type, name) = name.split_once(':').unwrap_or(("String", name));
            out.push_str(&render(name, kfp_type));
            rest = tail;
        }
        out.push_str(rest);
        out
    }

    /// What is wrong with this resource step of component `spec`.
    pub(crate) fn problems(&self, spec: &crate::model::ComponentSpec) -> Vec<String> {
        let mut p = Vec::new();
        if !ACTIONS.contains(&self.action.as_str()) {
            p.push(format!(
                "`{}` is not a resource action; expected one of {}",
                self.action,
                ACTIONS.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
            ));
        }
        match &self.manifest {
            Err(e) => p.push(format!("the manifest cannot be serialized: {e}")),
            Ok(m) => {
                let field = |path: &[&str]| {
                    let mut v = m;
                    for k in path {
                        v = v.get(k)?;
                    }
                    v.as_str().filter(|s| !s.trim().is_empty())
                };
                if !m.is_object() {
                    p.push("the manifest is not an object".to_owned());
                } else {
                    for key in ["apiVersion", "kind"] {
                        if field(&[key]).is_none() {
                            p.push(format!("the manifest has no `{key}`"));
                        }
                    }
                    let named = field(&["metadata", "name"]).is_some();
                    let generated = field(&["metadata", "generateName"]).is_some();
                    if !(named || generated && self.action == "create") {
                        p.push(if generated {
                            format!("`{}` needs `metadata.name`; `generateName` only works with `create`", self.action)
                        } else {
                            "the manifest has no `metadata.name` (or `metadata.generateName` for `create`)".to_owned()
                        });
                    }
                }
            }
        }
        if let Some(s) = &self.merge_strategy {
            if self.action != "patch" {
                p.push("a merge strategy only applies to `patch`".to_owned());
            } else if !["strategic", "merge", "json"].contains(&s.as_str()) {
                p.push(format!("`{s}` is not a merge strategy; expected `strategic`, `merge` or `json`"));
            }
        }
        for (which, text) in [("success", &self.success), ("failure", &self.failure)] {
            let Some(text) = text else { continue };
            // Argo puts the step's inputs in before it parses: check the text with each as a value.
            if let Err(e) = super::wait_condition::Condition::parse(&without_placeholders(text)) {
                p.push(format!("{which} condition `{text}`: {e}"));
            }
        }
        if self.failure.is_some() && self.success.is_none() {
            p.push(
                "a failure condition alone ends the step at its first check (Argo then counts it a success): \
                 add a success condition"
                    .to_owned(),
            );
        }
        if self.timeout == Some(0) {
            p.push("a timeout of 0 seconds would fail the step at once".to_owned());
        }
        for (name, filter) in &self.jq_outputs {
            if filter.trim().is_empty() {
                p.push(format!("output `{name}`: the jq filter is empty"));
            }
        }
        for (name, path) in &self.outputs {
            if !(path.starts_with('{') && path.ends_with('}')) {
                p.push(format!("output `{name}`: `{path}` is not a JSONPath (like `{{.metadata.name}}`)"));
            }
        }
        for o in &spec.outputs {
            let name = &o.name;
            if o.kind.is_artifact() {
                p.push(format!("output `{name}` is an artifact; a resource step has only output parameters"));
            } else if !self.outputs.iter().chain(&self.jq_outputs).any(|(n, _)| n == name) {
                p.push(format!("output `{name}` is not read from the object: add `.output({name}, \"{{.path}}\")`"));
            }
        }
        let mut seen = std::collections::HashSet::new();
        for (name, _) in self.outputs.iter().chain(&self.jq_outputs) {
            if !seen.insert(name) {
                p.push(format!("output `{name}` is read twice"));
            }
        }
        for i in spec.inputs.iter().filter(|i| i.kind.is_artifact()) {
            p.push(format!("input `{}` is an artifact; a resource step takes only parameters", i.name));
        }
        p
    }
}

/// `text` with each Argo placeholder (`{{inputs.parameters.n}}`) replaced by a value.
fn without_placeholders(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(end) = rest[start..].find("}}") else { break };
        out.push_str(&rest[..start]);
        out.push('0');
        rest = &rest[start + end + 2..];
    }
    out.push_str(rest);
    out
}
