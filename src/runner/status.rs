//! What a resource step reads from the object it created once that ended (a split pipeline's child
//! workflow): whether it succeeded (`successCondition` / `failureCondition`, selector requirements
//! over the object's fields, as Argo reads them) and its outputs (`valueFrom.jsonPath`). The runner
//! reads the shapes a split bundle uses; any other is one clear error.

use kfp_compiler::argo::{Parameter, ResourceTemplate};
use serde_json::Value;

use super::Params;

/// Fails unless the ended object meets the step's conditions: a `failureCondition` that holds
/// fails it; a `successCondition` that does not hold fails it too (the object has ended, so it never
/// will). With neither, creating it was the step.
///
/// # Errors
/// Why the step failed, or a condition the runner cannot read.
pub(super) fn judge(object: &Value, r: &ResourceTemplate, name: &str) -> Result<(), String> {
    let phase = object["status"]["phase"].as_str().unwrap_or("");
    if let Some(c) = &r.failure_condition
        && holds(object, c).map_err(|why| format!("failureCondition `{c}`: {why}"))?
    {
        return Err(format!("the child workflow `{name}` ended {phase} (failureCondition `{c}` holds)"));
    }
    if let Some(c) = &r.success_condition
        && !holds(object, c).map_err(|why| format!("successCondition `{c}`: {why}"))?
    {
        return Err(format!("the child workflow `{name}` ended {phase}, and successCondition `{c}` does not hold"));
    }
    Ok(())
}

/// Whether every requirement of `condition` (comma-separated: `key == v`, `key = v`, `key != v`,
/// `key in (a, b)`, `key notin (a, b)`) holds of `object`; `key` is a dotted field path.
fn holds(object: &Value, condition: &str) -> Result<bool, String> {
    for req in requirements(condition) {
        let req = req.trim();
        let (key, op, rest) = if let Some((k, v)) = req.split_once("==") {
            (k, "=", v)
        } else if let Some((k, v)) = req.split_once("!=") {
            (k, "!=", v)
        } else if let Some((k, v)) = req.split_once('=') {
            (k, "=", v)
        } else if let Some((k, v)) = req.split_once(" notin ") {
            (k, "notin", v)
        } else if let Some((k, v)) = req.split_once(" in ") {
            (k, "in", v)
        } else {
            return Err(format!(
                "`{req}` is not a requirement the local runner reads (`key == value`, `key != value`, `key in (a, b)`, \
                 `key notin (a, b)`)"
            ));
        };
        let actual = field(object, key.trim());
        let ok = match op {
            "=" => actual.as_deref() == Some(rest.trim()),
            "!=" => actual.as_deref() != Some(rest.trim()),
            _ => {
                let list = rest.trim();
                let Some(inner) = list.strip_prefix('(').and_then(|l| l.strip_suffix(')')) else {
                    return Err(format!("`{list}` is not a list `(a, b)`"));
                };
                let member = actual.as_deref().is_some_and(|a| inner.split(',').any(|v| v.trim() == a));
                member == (op == "in")
            }
        };
        if !ok {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The requirements of a selector: split at commas outside parentheses.
fn requirements(condition: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut from) = (Vec::new(), 0usize, 0);
    for (i, c) in condition.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            ',' if depth == 0 => {
                parts.push(&condition[from..i]);
                from = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&condition[from..]);
    parts
}

/// The field at dotted path `key`, as text (strings as they are, the rest as JSON).
fn field(object: &Value, key: &str) -> Option<String> {
    let v = key.split('.').try_fold(object, |v, k| v.get(k))?;
    Some(match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

/// The step's output parameters, read from the ended object by their `jsonPath`s.
///
/// # Errors
/// An output with no `jsonPath`, one the runner does not read, or one naming an output the child
/// does not have (and no `default`).
pub(super) fn outputs(object: &Value, declared: &[Parameter], name: &str) -> Result<Params, String> {
    let mut params = Params::new();
    for p in declared {
        let from = p.value_from.as_ref();
        let Some(path) = from.and_then(|f| f.json_path.as_deref()) else {
            return Err(format!(
                "output `{}`: the local runner reads a child workflow's outputs by `valueFrom.jsonPath` only",
                p.name
            ));
        };
        let value = match json_path(object, path).map_err(|why| format!("output `{}`: {why}", p.name))? {
            Some(v) => v,
            None => match from.and_then(|f| f.default.clone()) {
                Some(d) => d,
                None => {
                    return Err(format!(
                        "output `{}`: the child workflow `{name}` has no output that `{path}` names",
                        p.name
                    ));
                }
            },
        };
        params.insert(p.name.to_string(), value);
    }
    Ok(params)
}

/// Evaluates one of the two jsonPath shapes a split bundle uses:
/// `{.status.outputs.parameters[?(@.name=="N")].value}` and
/// `{.status.outputs.artifacts[?(@.name=="N")].s3.key}`. `None` if no output is named `N`.
///
/// # Errors
/// Any other shape.
pub(super) fn json_path(object: &Value, path: &str) -> Result<Option<String>, String> {
    let unsupported = || {
        format!(
            "jsonPath `{path}` is not one the local runner reads: it reads \
             `{{.status.outputs.parameters[?(@.name==\"N\")].value}}` and \
             `{{.status.outputs.artifacts[?(@.name==\"N\")].s3.key}}`"
        )
    };
    let inner = path.trim().strip_prefix('{').and_then(|p| p.strip_suffix('}')).ok_or_else(unsupported)?;
    let rest = inner.strip_prefix(".status.outputs.").ok_or_else(unsupported)?;
    let (list, rest, field) = if let Some(r) = rest.strip_prefix("parameters[?(@.name==") {
        ("parameters", r, ".value")
    } else if let Some(r) = rest.strip_prefix("artifacts[?(@.name==") {
        ("artifacts", r, ".s3.key")
    } else {
        return Err(unsupported());
    };
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'').ok_or_else(unsupported)?;
    let rest = &rest[1..];
    let end = rest.find(quote).ok_or_else(unsupported)?;
    let (wanted, tail) = (&rest[..end], &rest[end + 1..]);
    if tail.strip_prefix(")]") != Some(field) {
        return Err(unsupported());
    }
    let items = object["status"]["outputs"][list].as_array();
    let Some(item) = items.into_iter().flatten().find(|i| i["name"] == wanted) else { return Ok(None) };
    let value = if list == "parameters" { &item["value"] } else { &item["s3"]["key"] };
    Ok(value.as_str().map(str::to_owned))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn object(phase: &str) -> Value {
        json!({"status": {"phase": phase, "outputs": {
            "parameters": [{"name": "out-a-x", "value": "say \"hi\"\n{{x}}"}],
            "artifacts": [{"name": "out-a-m", "s3": {"key": "run-part-1/out-a-m"}}],
        }}})
    }

    #[test]
    fn the_contract_s_conditions_judge_the_phase() {
        let mut r = ResourceTemplate::default();
        r.success_condition = Some("status.phase == Succeeded".into());
        r.failure_condition = Some("status.phase in (Failed, Error)".into());
        assert_eq!(judge(&object("Succeeded"), &r, "c"), Ok(()));
        let failed = judge(&object("Failed"), &r, "c").unwrap_err();
        assert!(failed.contains("ended Failed (failureCondition `status.phase in (Failed, Error)` holds)"), "{failed}");
        assert!(judge(&object("Error"), &r, "c").is_err());
        assert!(judge(&object("Running"), &r, "c").unwrap_err().contains("does not hold"));
        r.failure_condition = Some("status.phase notin (Succeeded), metadata.name != x".into());
        assert!(judge(&object("Failed"), &r, "c").is_err());
        r.failure_condition = Some("status.phase ~ x".into());
        assert!(judge(&object("Failed"), &r, "c").unwrap_err().contains("not a requirement the local runner reads"));
    }

    #[test]
    fn json_paths_read_parameters_and_artifact_keys() {
        let o = object("Succeeded");
        let p = r#"{.status.outputs.parameters[?(@.name=="out-a-x")].value}"#;
        assert_eq!(json_path(&o, p), Ok(Some("say \"hi\"\n{{x}}".into())));
        let a = "{.status.outputs.artifacts[?(@.name=='out-a-m')].s3.key}";
        assert_eq!(json_path(&o, a), Ok(Some("run-part-1/out-a-m".into())));
        let missing = r#"{.status.outputs.parameters[?(@.name=="nope")].value}"#;
        assert_eq!(json_path(&o, missing), Ok(None));
        for bad in [
            "{.status.phase}",
            r#"{.status.outputs.parameters[?(@.name=="x")].s3.key}"#,
            r#"{.status.outputs.parameters[0].value}"#,
            ".status.outputs.parameters",
        ] {
            assert!(json_path(&o, bad).unwrap_err().contains("is not one the local runner reads"), "{bad}");
        }
    }
}
