//! `{{...}}` references in scope: `{{inputs.*}}` names a declared input, `{{workflow.parameters.*}}`
//! a workflow parameter, `{{tasks.T.*}}` a task this one (transitively) depends on, `{{steps.S.*}}` a
//! step of an earlier group, with outputs the called template declares; `{{item}}` only in a task or
//! step that loops (`withItems`, `withParam`, `withSequence`). `{{=expression}}` tags are not checked.

use std::collections::BTreeSet;

use serde_json::Value;

use super::templates::Local;
use super::{Doc, list, names_of};

/// The `{{...}}` tags in `s`, trimmed; expression tags (`{{=...}}`) left out.
pub(crate) fn tags(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find("{{") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("}}") else { break };
        let inner = &after[..close];
        if inner.contains(['{', '}']) {
            rest = &rest[open + 1..];
            continue;
        }
        let tag = inner.trim();
        if !tag.is_empty() && !tag.starts_with('=') {
            out.push(tag);
        }
        rest = &after[close + 2..];
    }
    out
}

/// Every string under `node` with its path; `inline` templates (checked in their own scope) and the
/// paths in `skip` are left out.
fn strings<'v>(node: &'v Value, path: &str, skip: &[String], f: &mut dyn FnMut(&str, &'v str)) {
    if skip.iter().any(|s| s == path) {
        return;
    }
    match node {
        Value::String(s) => f(path, s),
        Value::Array(xs) => xs.iter().enumerate().for_each(|(i, x)| strings(x, &format!("{path}[{i}]"), skip, f)),
        Value::Object(m) => {
            for (k, x) in m.iter().filter(|(k, _)| k.as_str() != "inline") {
                strings(x, &format!("{path}.{k}"), skip, f);
            }
        }
        _ => {}
    }
}

/// Checks the tags under `node` at `path`. `t` is the template they are in (`None` outside
/// templates: only `workflow.*` is checked there); `allowed`, for a task or step, the names it may
/// read.
pub(crate) fn refs(
    doc: &mut Doc<'_, '_>,
    path: &str,
    node: &Value,
    t: Option<&Value>,
    local: &Local<'_>,
    allowed: Option<&BTreeSet<&str>>,
    skip: &[String],
) {
    let inputs = t.and_then(|t| t.get("inputs"));
    let declared = |sub: &str| -> BTreeSet<&str> { names_of(inputs.and_then(|i| i.get(sub))).collect() };
    let (params, artifacts) = (declared("parameters"), declared("artifacts"));
    let unit = if t.is_some_and(|t| t.get("dag").is_some()) { "task" } else { "step" };
    let looped = ["withItems", "withParam", "withSequence"].iter().any(|k| node.get(k).is_some());
    let mut found: Vec<(String, String)> = Vec::new();
    strings(node, path, skip, &mut |at, s| {
        found.extend(tags(s).into_iter().map(|tag| (at.to_owned(), tag.to_owned())))
    });
    for (at, tag) in found {
        let parts: Vec<&str> = tag.split('.').collect();
        let shown = format!("{{{{{tag}}}}}");
        if t.is_none() && parts[0] != "workflow" {
            continue;
        }
        match parts.as_slice() {
            ["inputs", sub @ ("parameters" | "artifacts"), name, ..] => {
                let known = if *sub == "parameters" { &params } else { &artifacts };
                if !known.contains(name) {
                    let what = &sub[..sub.len() - 1];
                    doc.out.push(
                        at,
                        "argo/unknown-input",
                        format!("`{shown}` refers to an undeclared input {what} `{name}`"),
                    );
                }
            }
            ["workflow", "parameters", name, ..] if doc.submitted && *name != "json" && !doc.globals.contains(name) => {
                let why = format!("add `{name}` to `spec.arguments.parameters`");
                doc.out.push(
                    at,
                    "argo/unknown-parameter",
                    format!("`{shown}` refers to an undeclared workflow parameter: {why}"),
                );
            }
            ["item", ..] if !(allowed.is_some() && looped) => {
                doc.out.push(
                    at,
                    "argo/item-outside-loop",
                    format!("`{shown}` is only set in a task or step with `withItems`, `withParam` or `withSequence`"),
                );
            }
            [group @ ("tasks" | "steps"), name, rest @ ..] if tag != "tasks.name" && tag != "steps.name" => {
                let own = if unit == "task" { "tasks" } else { "steps" };
                let what = &group[..group.len() - 1];
                if *group != own || !local.callee.contains_key(name) {
                    let rule = if *group == "tasks" { "argo/unknown-task" } else { "argo/unknown-step" };
                    doc.out.push(at, rule, format!("`{shown}` refers to an unknown {what} `{name}`"));
                } else if allowed.is_some_and(|a| !a.contains(name)) {
                    let why = if unit == "task" {
                        "which it does not depend on: add it to `depends`/`dependencies`"
                    } else {
                        "which is not in an earlier group"
                    };
                    doc.out.push(at, "argo/out-of-scope", format!("`{shown}` refers to {unit} `{name}`, {why}"));
                } else if let ["outputs", sub @ ("parameters" | "artifacts"), out, ..] = rest
                    && let Some(Some(callee)) = local.callee.get(name)
                {
                    let outputs = callee.get("outputs").map_or(&[][..], |o| list(o, sub));
                    if !outputs.iter().any(|o| o.get("name").and_then(Value::as_str) == Some(*out)) {
                        doc.out.push(
                            at,
                            "argo/unknown-output",
                            format!("`{shown}`: {unit} `{name}` has no output {} `{out}`", &sub[..sub.len() - 1]),
                        );
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::tags;

    #[test]
    fn finds_tags_but_not_expressions() {
        assert_eq!(
            tags("a {{ inputs.parameters.x }} b {{=sprig.trim(x)}} {{item}}"),
            vec!["inputs.parameters.x", "item"]
        );
        assert_eq!(tags("{{ {{x}}"), vec!["x"]);
    }
}
