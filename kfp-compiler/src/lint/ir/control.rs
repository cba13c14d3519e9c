//! A task's control: its `triggerPolicy.condition`, its iterator and `iteratorPolicy`, its
//! `retryPolicy`.
//!
//! Rules: `ir/bad-condition`, `ir/importer-condition`, `ir/artifact-iterator`, `ir/bad-iterator`,
//! `ir/retry-policy`.

use serde_json::Value;

use super::spec::Spec;
use super::util::{Report, hint, key, map, text};

pub(super) const BAD_CONDITION: &str = "ir/bad-condition";
pub(super) const IMPORTER_CONDITION: &str = "ir/importer-condition";
pub(super) const ARTIFACT_ITERATOR: &str = "ir/artifact-iterator";
pub(super) const BAD_ITERATOR: &str = "ir/bad-iterator";
pub(super) const RETRY_POLICY: &str = "ir/retry-policy";

/// The control of task `task` (at `tp`), which runs component `callee` (named `rname`).
pub(super) fn check(r: &mut Report, s: &Spec<'_>, tp: &str, task: &Value, callee: Option<&Value>, rname: &str) {
    condition(r, s, tp, task, callee);
    iterator(r, tp, task, callee.map(|c| &c["inputDefinitions"]), rname);
    let retry = &task["retryPolicy"];
    for f in ["maxRetryCount", "backoffFactor"] {
        if retry[f].as_f64().is_some_and(|v| v < 0.0) {
            r.add(&key(&key(tp, "retryPolicy"), f), RETRY_POLICY, format!("{f} cannot be negative"));
        }
    }
}

fn condition(r: &mut Report, s: &Spec<'_>, tp: &str, task: &Value, callee: Option<&Value>) {
    let Some(cond) = task["triggerPolicy"]["condition"].as_str().filter(|c| !c.is_empty()) else { return };
    let cp = key(&key(tp, "triggerPolicy"), "condition");
    let mut rest = cond;
    while let Some(i) = rest.find("inputs.") {
        rest = &rest[i + 7..];
        let Some((space, after)) = rest.split_once('[') else { break };
        if !matches!(space, "parameter_values" | "parameters" | "artifacts") {
            continue;
        }
        let after = after.trim_start();
        let Some(q) = after.chars().next().filter(|c| *c == '\'' || *c == '"') else { continue };
        let Some((name, _)) = after[1..].split_once(q) else { continue };
        let pool = map(&task["inputs"][if space == "artifacts" { "artifacts" } else { "parameters" }]);
        if !pool.contains_key(name) {
            r.add(
                &cp,
                BAD_CONDITION,
                format!(
                    "condition reads inputs.{space}['{name}'], which is not an input of this task{}",
                    hint(name, pool.keys())
                ),
            );
        }
    }
    if let Some(problem) = balance(cond) {
        r.add(&cp, BAD_CONDITION, format!("condition is not a well-formed expression: {problem}"));
    }
    let label = callee.and_then(|c| c["executorLabel"].as_str());
    if label.is_some_and(|l| s.executors.get(l).is_some_and(|e| e.get("importer").is_some())) {
        r.add(&cp, IMPORTER_CONDITION, "triggerPolicy.condition on an importer task is not supported by the backend");
    }
}

/// Brackets and quotes of a CEL expression.
fn balance(expr: &str) -> Option<String> {
    let mut stack = Vec::new();
    let mut quote = None;
    let mut chars = expr.char_indices();
    while let Some((i, ch)) = chars.next() {
        match (quote, ch) {
            (Some(_), '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(ch),
            (None, '(' | '[') => stack.push(ch),
            (None, ')' | ']') => {
                let open = if ch == ')' { '(' } else { '[' };
                if stack.pop() != Some(open) {
                    return Some(format!("unbalanced '{ch}' at offset {i}"));
                }
            }
            _ => {}
        }
    }
    if quote.is_some() {
        return Some("unterminated string".to_owned());
    }
    stack.last().map(|c| format!("unclosed '{c}'"))
}

fn iterator(r: &mut Report, tp: &str, task: &Value, callee_in: Option<&Value>, rname: &str) {
    if let Some(it) = task.get("artifactIterator") {
        let ip = key(tp, "artifactIterator");
        r.add(&ip, ARTIFACT_ITERATOR, "the KFP backend compiler refuses it ('artifact iterator not implemented yet')");
        let items = text(&it["items"]["inputArtifact"]);
        if task["inputs"]["artifacts"].get(items).is_none() {
            r.add(
                &key(&key(&ip, "items"), "inputArtifact"),
                BAD_ITERATOR,
                format!("'{items}' is not an input artifact of this task"),
            );
        }
    }
    let Some(it) = task.get("parameterIterator") else {
        if task.get("iteratorPolicy").is_some() && task.get("artifactIterator").is_none() {
            r.add(
                &key(tp, "iteratorPolicy"),
                BAD_ITERATOR,
                "iteratorPolicy has no effect on a task without an iterator",
            );
        }
        return;
    };
    let ip = key(tp, "parameterIterator");
    let items = &it["items"];
    if let Some(raw) = items.get("raw") {
        let at = key(&key(&ip, "items"), "raw");
        match serde_json::from_str::<Value>(text(raw)) {
            Ok(Value::Array(_)) => {}
            Ok(_) => r.add(&at, BAD_ITERATOR, "raw must be a JSON list"),
            Err(e) => r.add(&at, BAD_ITERATOR, format!("raw is not valid JSON: {e}")),
        }
    } else if let Some(p) = items.get("inputParameter") {
        let p = text(p);
        let pool = map(&task["inputs"]["parameters"]);
        if !pool.contains_key(p) {
            r.add(
                &key(&key(&ip, "items"), "inputParameter"),
                BAD_ITERATOR,
                format!("'{p}' is not an input parameter of this task{}", hint(p, pool.keys())),
            );
        }
    } else {
        r.add(&key(&ip, "items"), BAD_ITERATOR, "items needs `raw` (a JSON list) or `inputParameter`");
    }
    let item = text(&it["itemInput"]);
    if item.is_empty() {
        r.add(&key(&ip, "itemInput"), BAD_ITERATOR, "itemInput is empty");
    } else if let Some(c) = callee_in.filter(|c| c["parameters"].get(item).is_none()) {
        r.add(
            &key(&ip, "itemInput"),
            BAD_ITERATOR,
            format!("'{item}' is not an input parameter of '{rname}'{}", hint(item, map(&c["parameters"]).keys())),
        );
    }
}
