//! Names and their lengths: the object's `metadata.name`/`generateName`, templates, tasks and steps
//! (`[a-zA-Z0-9][-a-zA-Z0-9]*`, at most 128 characters), parameters and artifacts (`[-a-zA-Z0-9_]+`).

use serde_json::Value;

use super::Out;

/// Argo keeps a workflow's name in a label: at most 63 characters.
const MAX_OBJECT: usize = 63;
/// A CronWorkflow's name gets an 11-character suffix for each workflow it starts.
const MAX_CRON: usize = 52;
/// Templates, tasks and steps.
const MAX_FIELD: usize = 128;

/// Checks `metadata.name` and `metadata.generateName` of an object of `kind`.
pub(super) fn metadata(kind: &str, doc: &Value, out: &mut Out) {
    let limit = if kind == "CronWorkflow" { MAX_CRON } else { MAX_OBJECT };
    if let Some(name) = doc.pointer("/metadata/name").and_then(Value::as_str) {
        if name.len() > limit {
            out.push(
                "metadata.name",
                "argo/name-length",
                format!("{kind} name `{name}` is {} characters long; the limit is {limit}", name.len()),
            );
        }
        if !dns_subdomain(name, false) {
            out.push("metadata.name", "argo/name", format!("`{name}` is not a DNS-1123 name: {DNS}"));
        }
    }
    if let Some(prefix) = doc.pointer("/metadata/generateName").and_then(Value::as_str)
        && !dns_subdomain(prefix, true)
    {
        out.push("metadata.generateName", "argo/name", format!("`{prefix}` is not a DNS-1123 name prefix: {DNS}"));
    }
    let has_name = doc.pointer("/metadata/name").is_some() || doc.pointer("/metadata/generateName").is_some();
    if !has_name && doc.get("metadata").is_some_and(Value::is_object) {
        out.push("metadata", "argo/missing-field", "the object needs `name` or `generateName`");
    }
}

const DNS: &str = "lowercase letters, digits, `-` and `.`, starting and ending with a letter or digit";

fn dns_subdomain(s: &str, prefix: bool) -> bool {
    let ok = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    !s.is_empty()
        && s.len() <= 253
        && s.chars().all(|c| ok(c) || c == '-' || c == '.')
        && s.starts_with(ok)
        && (prefix || s.ends_with(ok))
}

/// The problem with a template, task or step name, if any.
pub(crate) fn field_name(name: &str) -> Option<String> {
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric());
    if !first_ok || !chars.all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Some(format!("`{name}` is not a valid name: letters, digits and `-`, starting with a letter or digit"));
    }
    (name.len() > MAX_FIELD).then(|| format!("`{name}` is {} characters long; the limit is {MAX_FIELD}", name.len()))
}

/// The problem with a parameter or artifact name, if any.
pub(crate) fn param_name(name: &str) -> Option<String> {
    let ok = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    (!ok).then(|| format!("`{name}` is not a valid parameter or artifact name: letters, digits, `-` and `_`"))
}

/// Checks the names of a list of named items at `path` (`parameters: true` for parameters and
/// artifacts): each present, valid and unique.
pub(crate) fn check_list(path: &str, items: &[Value], parameters: bool, out: &mut Out) {
    let mut seen = std::collections::BTreeSet::new();
    for (i, item) in items.iter().enumerate() {
        let at = format!("{path}[{i}].name");
        let Some(name) = item.get("name").and_then(Value::as_str) else {
            if item.is_object() {
                out.push(at, "argo/missing-field", "`name` is required");
            }
            continue;
        };
        let bad = if parameters { param_name(name) } else { field_name(name) };
        if let Some(why) = bad {
            let rule = if why.contains("characters long") { "argo/name-length" } else { "argo/name" };
            out.push(&at, rule, why);
        }
        if !seen.insert(name) {
            out.push(at, "argo/duplicate-name", format!("`{name}` is not unique in `{path}`"));
        }
    }
}
