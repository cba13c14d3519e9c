//! Fields that belong to some template types only, as `validate.go` places them: `timeout` and
//! `activeDeadlineSeconds` on leaf templates, `parallelism` on DAG and steps templates, one loop
//! per task or step, and where an output parameter's value comes from for each template type.

use serde_json::Value;

use super::{Out, list};

const LOOPS: &[&str] = &["withItems", "withParam", "withSequence"];

/// The type of template `t` (the first it has, as Argo picks it).
fn kind(t: &Value) -> Option<&'static str> {
    ["container", "containerSet", "script", "resource", "dag", "steps", "suspend", "data", "http", "plugin"]
        .into_iter()
        .find(|k| t.get(k).is_some())
}

/// Checks template `t` at `path`.
pub(super) fn template(path: &str, t: &Value, out: &mut Out) {
    let kind = kind(t);
    let parent = matches!(kind, Some("dag" | "steps"));
    if let Some(timeout) = t.get("timeout") {
        if parent || kind == Some("suspend") {
            out.push(
                format!("{path}.timeout"),
                "argo/leaf-only",
                "`timeout` is only valid on leaf templates (not DAG, steps or suspend)",
            );
        } else if timeout.as_str().is_some_and(|s| s.trim().parse::<i64>().is_ok()) {
            out.push(
                format!("{path}.timeout"),
                "argo/leaf-only",
                format!("{timeout} is a bare number: give a duration such as `30s` or `5m`"),
            );
        }
    }
    if t.get("activeDeadlineSeconds").is_some() && parent {
        out.push(
            format!("{path}.activeDeadlineSeconds"),
            "argo/leaf-only",
            "`activeDeadlineSeconds` is only valid on leaf templates",
        );
    }
    if t.get("parallelism").is_some() && kind.is_some() && !parent {
        out.push(
            format!("{path}.parallelism"),
            "argo/parallelism",
            "`parallelism` is only valid on DAG and steps templates",
        );
    }
    let tasks = t.get("dag").map_or(&[][..], |d| list(d, "tasks"));
    let holders = tasks.iter().enumerate().map(|(i, k)| (format!("{path}.dag.tasks[{i}]"), k));
    let steps = list(t, "steps").iter().enumerate().flat_map(|(g, group)| {
        group.as_array().into_iter().flatten().enumerate().map(move |(i, s)| (format!("{path}.steps[{g}][{i}]"), s))
    });
    for (at, h) in holders.chain(steps) {
        let loops: Vec<&str> = LOOPS.iter().copied().filter(|k| h.get(k).is_some()).collect();
        if loops.len() > 1 {
            out.push(
                at,
                "argo/loop",
                format!("only one of withItems, withParam, withSequence: has {}", loops.join(", ")),
            );
        }
    }
    let outputs = t.get("outputs").map_or(&[][..], |o| list(o, "parameters"));
    for (i, p) in outputs.iter().enumerate() {
        if let Some(why) = output_parameter(kind, p) {
            out.push(format!("{path}.outputs.parameters[{i}]"), "argo/output-parameter", why);
        }
    }
}

/// What is wrong with output parameter `p` of a template of type `kind`, if anything.
fn output_parameter(kind: Option<&str>, p: &Value) -> Option<String> {
    let from = p.get("valueFrom");
    // Present and not empty (a value of the wrong type is the schema's problem, not this one).
    let has = |k: &str| from.and_then(|f| f.get(k)).is_some_and(|v| !v.is_null() && v.as_str() != Some(""));
    match (p.get("value"), from) {
        (Some(_), Some(_)) => Some("has both `value` and `valueFrom`: keep one".into()),
        (Some(_), None) => None,
        (None, None) => Some("needs `value` or `valueFrom`".into()),
        (None, Some(_)) => match kind? {
            "container" | "containerSet" | "script" if !has("path") => {
                Some(format!("`valueFrom.path` is required in a {} template", kind?))
            }
            "resource" if !has("jqFilter") && !has("jsonPath") => {
                Some("`valueFrom.jqFilter` or `valueFrom.jsonPath` is required in a resource template".into())
            }
            "dag" | "steps" if has("parameter") == has("expression") => {
                Some(format!("`valueFrom` needs one of `parameter` or `expression` in a {} template", kind?))
            }
            _ => None,
        },
    }
}
