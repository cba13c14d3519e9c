//! Argo's schema for the fields: unknown fields (strict, as `argo lint --strict`), wrong types,
//! missing required fields and values outside an enum.
//!
//! The schemas are `schema-v4.1.json` and `schema-v3.4.json` next to this file: the definitions of
//! Argo's published `workflow.schema.json` (v4.1; and v3.4's) reachable from the four kinds, with only `type`, `properties`,
//! `required`, `enum`, `const`, `items`, `additionalProperties` and `$ref` kept (descriptions
//! stripped). The fields Go also reads from numbers (`Quantity`, `IntOrString`) or from numbers and
//! booleans (parameter values) are widened there, as Go's decoding accepts them. Regenerate it with
//! `cargo test -p kfp-compiler regenerate_schema -- --ignored` (reads `$KFP_SHARED_DIR/argo`).

use std::sync::OnceLock;

use serde_json::{Map, Value};

use super::Out;
use crate::argo::ArgoVersion;

/// The trimmed schemas, one definition a line.
const SCHEMA_V4_1: &str = include_str!("schema-v4.1.json");
const SCHEMA_V3_4: &str = include_str!("schema-v3.4.json");
/// The prefix of Argo's own definitions.
const ARGO: &str = "io.argoproj.workflow.v1alpha1.";

/// Which of the embedded schemas.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Schema {
    V4_1,
    V3_4,
}

fn definitions(which: Schema) -> &'static Map<String, Value> {
    static V4_1: OnceLock<Map<String, Value>> = OnceLock::new();
    static V3_4: OnceLock<Map<String, Value>> = OnceLock::new();
    let (cell, text) = match which {
        Schema::V4_1 => (&V4_1, SCHEMA_V4_1),
        Schema::V3_4 => (&V3_4, SCHEMA_V3_4),
    };
    cell.get_or_init(|| match serde_json::from_str(text) {
        Ok(Value::Object(map)) => map,
        // The files are generated and checked by a test; an empty schema checks nothing.
        _ => Map::new(),
    })
}

/// Checks `doc`, an Argo object of `kind`, against the schema of `version`. v3.6 and v3.7 read the
/// fields of both v3.4 and v4.x (the singular and list forms of `synchronization`, a `key` in
/// `memoize.cache.configMap`): a field passes there if either schema takes it.
pub(super) fn check(kind: &str, doc: &Value, version: ArgoVersion, out: &mut Out) {
    let run = |which| {
        let mut found = Out::default();
        let defs = definitions(which);
        if let Some(def) = defs.get(&format!("{ARGO}{kind}")) {
            node(defs, def, doc, "", &mut found);
        }
        found.into_problems()
    };
    let problems = match version {
        ArgoVersion::V3_4 | ArgoVersion::V3_5 => run(Schema::V3_4),
        ArgoVersion::V3_6 | ArgoVersion::V3_7 => {
            let old = run(Schema::V3_4);
            run(Schema::V4_1).into_iter().filter(|p| old.iter().any(|o| o.path == p.path && o.rule == p.rule)).collect()
        }
        _ => run(Schema::V4_1),
    };
    for p in problems {
        out.push(p.path, p.rule, p.message);
    }
}

/// The name of a JSON value's type, as the schema spells it.
fn type_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn type_ok(want: &str, v: &Value) -> bool {
    let got = type_of(v);
    want == got || (want == "number" && got == "integer")
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") }
}

fn node(defs: &Map<String, Value>, schema: &Value, v: &Value, path: &str, out: &mut Out) {
    let Some(schema) = schema.as_object() else { return };
    // Go decodes `null` into any field as its zero value.
    if v.is_null() {
        return;
    }
    if let Some(Value::String(r)) = schema.get("$ref") {
        if let Some(def) = defs.get(r) {
            node(defs, def, v, path, out);
        }
        return;
    }
    let types: Vec<&str> = match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    if !types.is_empty() && !types.iter().any(|t| type_ok(t, v)) {
        out.push(path, "argo/wrong-type", format!("expected {}, got {}", types.join(" or "), type_of(v)));
        return;
    }
    if let Some(c) = schema.get("const")
        && c != v
    {
        out.push(path, "argo/bad-value", format!("must be {c}, is {v}"));
    }
    if let Some(Value::Array(allowed)) = schema.get("enum")
        && !allowed.contains(v)
    {
        let list: Vec<String> = allowed.iter().map(Value::to_string).collect();
        out.push(path, "argo/bad-value", format!("{v} is not one of {}", list.join(", ")));
    }
    match v {
        Value::Array(items) => {
            if let Some(item) = schema.get("items") {
                for (i, x) in items.iter().enumerate() {
                    node(defs, item, x, &format!("{path}[{i}]"), out);
                }
            }
        }
        Value::Object(map) => object(defs, schema, map, path, out),
        _ => {}
    }
}

fn object(defs: &Map<String, Value>, schema: &Map<String, Value>, map: &Map<String, Value>, path: &str, out: &mut Out) {
    if let Some(Value::Array(required)) = schema.get("required") {
        for r in required.iter().filter_map(Value::as_str) {
            if !map.contains_key(r) {
                out.push(path, "argo/missing-field", format!("required field `{r}` is missing"));
            }
        }
    }
    let props = schema.get("properties").and_then(Value::as_object);
    let extra = schema.get("additionalProperties");
    for (k, x) in map {
        let here = join(path, k);
        match (props.and_then(|p| p.get(k)), extra) {
            (Some(s), _) => node(defs, s, x, &here, out),
            (None, Some(Value::Bool(false))) => {}
            (None, Some(s)) if s.is_object() => node(defs, s, x, &here, out),
            (None, _) if props.is_some() => {
                out.push(&here, "argo/unknown-field", format!("unknown field `{k}`{}", suggest(k, props)));
            }
            (None, _) => {}
        }
    }
}

/// ` (did you mean `x`?)` for a known field one or two edits away.
fn suggest(key: &str, props: Option<&Map<String, Value>>) -> String {
    let best = props
        .into_iter()
        .flat_map(|p| p.keys())
        .map(|k| (crate::lint::edit_distance(key, k), k))
        .filter(|(d, _)| *d <= 2)
        .min();
    best.map(|(_, k)| format!(" (did you mean `{k}`?)")).unwrap_or_default()
}

/// Makes `schema.json` from Argo's published schema.
#[cfg(test)]
pub(super) mod generate {
    use std::collections::BTreeSet;

    use serde_json::{Map, Value};

    const KEEP: &[&str] = &["type", "properties", "required", "enum", "const", "items", "additionalProperties", "$ref"];
    const KINDS: &[&str] = &["Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow"];

    fn trim(v: &Value) -> Value {
        match v {
            Value::Object(m) => {
                let mut out = Map::new();
                for (k, x) in m.iter().filter(|(k, _)| KEEP.contains(&k.as_str())) {
                    let x = match (k.as_str(), x) {
                        ("properties", Value::Object(p)) => {
                            Value::Object(p.iter().map(|(n, s)| (n.clone(), trim(s))).collect())
                        }
                        ("$ref", Value::String(r)) => Value::String(r.trim_start_matches("#/definitions/").to_owned()),
                        _ => trim(x),
                    };
                    out.insert(k.clone(), x);
                }
                Value::Object(out)
            }
            Value::Array(xs) => Value::Array(xs.iter().map(trim).collect()),
            x => x.clone(),
        }
    }

    fn refs(v: &Value, found: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    match (k.as_str(), x) {
                        ("$ref", Value::String(r)) => found.push(r.clone()),
                        _ => refs(x, found),
                    }
                }
            }
            Value::Array(xs) => xs.iter().for_each(|x| refs(x, found)),
            _ => {}
        }
    }

    /// The trimmed schema text for Argo's `workflow.schema.json` text.
    pub(crate) fn schema_text(published: &str) -> Result<String, String> {
        let root: Value = serde_json::from_str(published).map_err(|e| e.to_string())?;
        let defs = root.get("definitions").and_then(Value::as_object).ok_or("no `definitions`")?;
        let mut keep = BTreeSet::new();
        let mut todo: Vec<String> = KINDS.iter().map(|k| format!("{}{k}", super::ARGO)).collect();
        let mut out = Map::new();
        while let Some(name) = todo.pop() {
            if !keep.insert(name.clone()) {
                continue;
            }
            let def = trim(defs.get(&name).ok_or_else(|| format!("no definition `{name}`"))?);
            refs(&def, &mut todo);
            out.insert(name, def);
        }
        // What Go also decodes into these string fields.
        let numeric = serde_json::json!(["string", "integer", "number"]);
        let scalar = serde_json::json!(["string", "number", "boolean"]);
        for name in ["io.k8s.apimachinery.pkg.util.intstr.IntOrString", "io.k8s.apimachinery.pkg.api.resource.Quantity"]
        {
            if let Some(Value::Object(d)) = out.get_mut(name) {
                d.insert("type".into(), numeric.clone());
            }
        }
        let param = format!("{}Parameter", super::ARGO);
        for path in [
            format!("/{param}/properties/value"),
            format!("/{param}/properties/default"),
            format!("/{param}/properties/description"),
            format!("/{param}/properties/enum/items"),
            format!("/{}ValueFrom/properties/default", super::ARGO),
        ] {
            let mut doc = Value::Object(out);
            if let Some(Value::Object(p)) = doc.pointer_mut(&path) {
                p.insert("type".into(), scalar.clone());
            }
            let Value::Object(back) = doc else { unreachable!() };
            out = back;
        }
        let lines: Vec<String> = out.iter().map(|(k, v)| format!("{}:{}", Value::String(k.clone()), v)).collect();
        Ok(format!("{{\n{}\n}}\n", lines.join(",\n")))
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    /// Each embedded file with the published schema it is made from.
    const FILES: &[(&str, &str, &str)] = &[
        ("workflow.schema.json", "schema-v4.1.json", SCHEMA_V4_1),
        ("workflow-v3.4.schema.json", "schema-v3.4.json", SCHEMA_V3_4),
    ];

    /// The published schema `name` from the project's shared directory (`$KFP_SHARED_DIR`, or
    /// `../shared` beside the workspace); fails the test saying where it looked.
    fn published(name: &str) -> String {
        let dir = std::env::var_os("KFP_SHARED_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"));
        let path = dir.join("argo").join(name);
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "this test needs the published schema {} ({e}): set KFP_SHARED_DIR to the shared directory",
                path.display()
            )
        })
    }

    #[test]
    fn embedded_schemas_parse() {
        assert!(
            definitions(Schema::V4_1).len() > 100 && definitions(Schema::V3_4).len() > 100,
            "a schema did not parse"
        );
    }

    #[test]
    #[ignore = "needs ../shared/argo/*.schema.json (beside the checkout, or KFP_SHARED_DIR); run by .ci/run"]
    fn embedded_schemas_are_what_the_generator_makes() {
        for (source, file, embedded) in FILES {
            let made = generate::schema_text(&published(source)).unwrap();
            assert!(
                made == *embedded,
                "{file} is stale: run `cargo test -p kfp-compiler regenerate_schema -- --ignored`"
            );
        }
    }

    /// Writes the embedded files again (only those that changed, so that `.ci/run`'s run of every
    /// ignored test leaves the checkout as it was when they are up to date).
    #[test]
    #[ignore = "writes src/lint/argo/schema-*.json from $KFP_SHARED_DIR/argo/*.schema.json"]
    fn regenerate_schema() {
        for (source, file, embedded) in FILES {
            let made = generate::schema_text(&published(source)).unwrap();
            if made != *embedded {
                std::fs::write(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/lint/argo").join(file), made)
                    .unwrap();
            }
        }
    }

    #[test]
    fn edit_distance() {
        assert_eq!(crate::lint::edit_distance("dependecies", "dependencies"), 1);
        assert_eq!(crate::lint::edit_distance("abc", "abc"), 0);
        assert_eq!(
            suggest("dependecies", Some(&serde_json::from_str(r#"{"dependencies":1}"#).unwrap())),
            " (did you mean `dependencies`?)"
        );
    }
}
