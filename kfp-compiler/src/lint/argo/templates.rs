//! The template table: unique names, one type per template, calls of templates that exist with
//! their required inputs supplied, the entrypoint and exit handler, lifecycle hooks.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{Doc, fields, list, names, names_of, placement, scopes};

/// The template types; a template has exactly one.
const TYPES: &[&str] =
    &["container", "containerSet", "script", "resource", "dag", "steps", "suspend", "data", "http", "plugin"];

/// What a template's tasks or steps are, for the `{{tasks.*}}`/`{{steps.*}}` references in it.
pub(crate) struct Local<'a> {
    /// Each task or step by name, with the local template it runs (if known).
    pub(crate) callee: BTreeMap<&'a str, Option<&'a Value>>,
    /// Each task or step: its path, the node, and the names it may read (itself and what it
    /// depends on, or the steps of earlier groups).
    pub(crate) scoped: Vec<(String, &'a Value, BTreeSet<&'a str>)>,
}

impl<'a> Doc<'a, '_> {
    pub(super) fn collect_templates(&mut self) {
        let at = format!("{}.templates", self.at);
        let templates = self.spec.get("templates").and_then(Value::as_array).map_or(&[][..], Vec::as_slice);
        for (i, t) in templates.iter().enumerate() {
            let Some(name) = t.get("name").and_then(Value::as_str) else { continue };
            let path = format!("{at}[{i}]");
            if self.templates.contains_key(name) {
                self.out.push(
                    format!("{path}.name"),
                    "argo/duplicate-name",
                    format!("duplicate template name `{name}`"),
                );
            } else {
                self.templates.insert(name, (path, t));
            }
        }
    }

    /// The entrypoint, exit handler, workflow hooks and the references outside templates.
    pub(super) fn spec_level(&mut self) {
        let spec = self.spec;
        let args = spec.get("arguments");
        names::check_list(&format!("{}.arguments.parameters", self.at), list_of(args, "parameters"), true, self.out);
        names::check_list(&format!("{}.arguments.artifacts", self.at), list_of(args, "artifacts"), true, self.out);
        if !spec.contains_key("workflowTemplateRef") {
            let supplied = if self.submitted { Some(args.unwrap_or(&Value::Null)) } else { None };
            match spec.get("entrypoint").and_then(Value::as_str) {
                Some(e) if !e.is_empty() => {
                    self.callee(&format!("{}.entrypoint", self.at), e, supplied);
                }
                _ if self.submitted => {
                    self.out.push(format!("{}.entrypoint", self.at), "argo/missing-field", "`entrypoint` is required");
                }
                _ => {}
            }
            if let Some(e) = spec.get("onExit").and_then(Value::as_str).filter(|e| !e.is_empty()) {
                self.callee(&format!("{}.onExit", self.at), e, supplied);
            }
        } else if spec.contains_key("templates") {
            self.out.push(
                format!("{}.templates", self.at),
                "argo/templates-with-ref",
                "a workflow that runs a `workflowTemplateRef` cannot have templates of its own",
            );
        }
        if let Some(hooks) = spec.get("hooks") {
            self.hooks(&format!("{}.hooks", self.at), hooks);
        }
        let rest: serde_json::Map<String, Value> = spec
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "templates" | "templateDefaults"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let empty = Local { callee: BTreeMap::new(), scoped: Vec::new() };
        scopes::refs(self, self.at, &Value::Object(rest), None, &empty, None, &[]);
    }

    /// A call of local template `name` at `path`; `args` `None` when the arguments come from
    /// elsewhere (a WorkflowTemplate's entrypoint). Returns the template, if it exists.
    pub(crate) fn callee(&mut self, path: &str, name: &str, args: Option<&Value>) -> Option<&'a Value> {
        let Some((_, t)) = self.templates.get(name).cloned() else {
            if !name.contains("{{") {
                self.out.push(path, "argo/unknown-template", format!("template `{name}` not found"));
            }
            return None;
        };
        if let Some(args) = args {
            let supplied: BTreeSet<&str> = names_of(args.get("parameters")).collect();
            for p in t.get("inputs").map_or(&[][..], |i| list(i, "parameters")) {
                let has_value = ["value", "default", "valueFrom"].iter().any(|k| p.get(k).is_some());
                let Some(pname) = p.get("name").and_then(Value::as_str) else { continue };
                if !has_value && !supplied.contains(pname) {
                    self.out.push(
                        path,
                        "argo/missing-input",
                        format!("input parameter `{pname}` of template `{name}` is not supplied: add it to `arguments.parameters`"),
                    );
                }
            }
        }
        Some(t)
    }

    /// The lifecycle hooks at `path`: each but `exit` needs an `expression`.
    fn hooks(&mut self, path: &str, hooks: &'a Value) {
        for (name, hook) in hooks.as_object().into_iter().flatten() {
            let at = format!("{path}.{name}");
            if name != "exit" && hook.get("expression").and_then(Value::as_str).is_none_or(str::is_empty) {
                self.out.push(
                    &at,
                    "argo/hook-expression",
                    format!("hook `{name}` needs an `expression` (only `exit` may omit it)"),
                );
            }
            self.holder(&at, hook, true);
        }
    }

    /// A step, DAG task or lifecycle hook at `path`; returns the local template it runs, if known.
    pub(crate) fn holder(&mut self, path: &str, h: &'a Value, hook: bool) -> Option<&'a Value> {
        if let Some(hooks) = h.get("hooks") {
            self.hooks(&format!("{path}.hooks"), hooks);
        }
        if let Some(e) = h.get("onExit").and_then(Value::as_str).filter(|e| !e.is_empty()) {
            self.callee(&format!("{path}.onExit"), e, None);
        }
        if let Some(inline) = h.get("inline") {
            self.template(&format!("{path}.inline"), inline, true);
            return Some(inline);
        }
        if let Some(name) = h.get("template").and_then(Value::as_str) {
            let args = h.get("arguments").unwrap_or(&Value::Null);
            return self.callee(&format!("{path}.template"), name, Some(args));
        }
        if h.get("templateRef").is_none() && !hook {
            self.out.push(path, "argo/no-template", "needs one of `template`, `templateRef` or `inline`");
        }
        None
    }

    /// One template at `path` (`inline`: a task's or step's own template, which has no name).
    pub(crate) fn template(&mut self, path: &str, t: &'a Value, inline: bool) {
        if !t.is_object() {
            return;
        }
        if !inline {
            match t.get("name").and_then(Value::as_str) {
                Some(name) => {
                    if let Some(why) = names::field_name(name) {
                        let rule = if why.contains("characters long") { "argo/name-length" } else { "argo/name" };
                        self.out.push(format!("{path}.name"), rule, why);
                    }
                }
                None => self.out.push(format!("{path}.name"), "argo/missing-field", "a template needs a `name`"),
            }
        }
        let kinds: Vec<&str> = TYPES.iter().copied().filter(|k| t.get(k).is_some()).collect();
        if kinds.len() != 1 {
            let has = if kinds.is_empty() { "none".to_owned() } else { kinds.join(", ") };
            self.out.push(
                path,
                "argo/template-type",
                format!("needs exactly one template type ({}), has {has}", TYPES.join(", ")),
            );
        }
        for io in ["inputs", "outputs"] {
            for sub in ["parameters", "artifacts"] {
                let items = t.get(io).map_or(&[][..], |x| list(x, sub));
                names::check_list(&format!("{path}.{io}.{sub}"), items, true, self.out);
            }
        }
        let mut local = Local { callee: BTreeMap::new(), scoped: Vec::new() };
        if let Some(dag) = t.get("dag").filter(|d| d.is_object()) {
            self.dag(&format!("{path}.dag"), dag, &mut local);
        } else if let Some(Value::Array(groups)) = t.get("steps") {
            self.steps(&format!("{path}.steps"), groups, &mut local);
        }
        let scoped = std::mem::take(&mut local.scoped);
        for (at, node, allowed) in &scoped {
            scopes::refs(self, at, node, Some(t), &local, Some(allowed), &[]);
        }
        let skip = [format!("{path}.steps"), format!("{path}.dag.tasks")];
        scopes::refs(self, path, t, Some(t), &local, None, &skip);
        fields::template(path, t, self.out);
        placement::template(path, t, self.out);
    }
}

fn list_of<'v>(v: Option<&'v Value>, key: &str) -> &'v [Value] {
    v.map_or(&[], |v| list(v, key))
}
