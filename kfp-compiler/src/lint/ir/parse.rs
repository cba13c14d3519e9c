//! The strict protojson parse of a `PipelineSpec`, node by node through the project's `kfp_v2`
//! structs, with tables for the messages they flatten: unknown fields, JSON types, enum names,
//! oneofs, Duration strings.
//!
//! Rules: `ir/not-a-pipeline-spec`, `ir/unknown-field`, `ir/wrong-type`, `ir/bad-enum`,
//! `ir/bad-value`, `ir/missing-field`, `ir/oneof-conflict`, `ir/bad-duration`.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::util::{Report, hint, idx, key, map};
use crate::kfp_v2::{
    ArtifactDefinition, DagOutputs, Executor, OutputArtifactDefinition, OutputParameterDefinition, ParameterDefinition,
    PipelineInfo, PipelineTaskSpec,
};

pub(super) const NOT_A_PIPELINE_SPEC: &str = "ir/not-a-pipeline-spec";
pub(super) const UNKNOWN_FIELD: &str = "ir/unknown-field";
pub(super) const WRONG_TYPE: &str = "ir/wrong-type";
pub(super) const BAD_ENUM: &str = "ir/bad-enum";
pub(super) const BAD_VALUE: &str = "ir/bad-value";
pub(super) const MISSING_FIELD: &str = "ir/missing-field";
pub(super) const ONEOF_CONFLICT: &str = "ir/oneof-conflict";
pub(super) const BAD_DURATION: &str = "ir/bad-duration";

const TOP: &[&str] =
    &["components", "defaultPipelineRoot", "deploymentSpec", "pipelineInfo", "root", "schemaVersion", "sdkVersion"];
/// The keys that make a document a `PipelineSpec`.
pub(super) const PIPELINE_KEYS: &[&str] = &["components", "deploymentSpec", "pipelineInfo", "root"];
const COMPONENT: &[&str] = &["dag", "executorLabel", "inputDefinitions", "outputDefinitions"];
const DEFINITIONS: &[&str] = &["artifacts", "parameters"];
const DAG: &[&str] = &["outputs", "tasks"];
const DEPLOYMENT: &[&str] = &["executors", "@type"];
const PARAMETER_KIND: &[&str] = &["componentInputParameter", "runtimeValue", "taskFinalStatus", "taskOutputParameter"];
const TASK_PARAMETER: &[&str] = &[
    "componentInputParameter",
    "parameterExpressionSelector",
    "runtimeValue",
    "taskFinalStatus",
    "taskOutputParameter",
];
const ARTIFACT_KIND: &[&str] = &["componentInputArtifact", "taskOutputArtifact"];
const EXECUTOR_KIND: &[&str] = &["container", "customJob", "importer", "resolver"];
const ITERATOR_KIND: &[&str] = &["artifactIterator", "parameterIterator"];

/// Parses `doc`; false when it is not a `PipelineSpec` at all (no further check makes sense).
pub(super) fn check(r: &mut Report, doc: &Value) -> bool {
    let Some(top) = doc.as_object() else {
        r.add("", NOT_A_PIPELINE_SPEC, "a PipelineSpec document must be a mapping");
        return false;
    };
    if top.contains_key("apiVersion") && top.contains_key("kind") {
        let kind = super::util::text(&doc["kind"]);
        r.add("", NOT_A_PIPELINE_SPEC, format!("not a KFP v2 PipelineSpec: a Kubernetes object of kind '{kind}'"));
        return false;
    }
    if top.contains_key("platforms") && !PIPELINE_KEYS.iter().any(|k| top.contains_key(*k)) {
        r.add(
            "",
            NOT_A_PIPELINE_SPEC,
            "the first document must be the PipelineSpec (the SDK writes the PlatformSpec second)",
        );
        return false;
    }
    fields(r, "", doc, TOP);
    for f in ["defaultPipelineRoot", "schemaVersion", "sdkVersion"] {
        if let Some(v) = top.get(f) {
            typed::<String>(r, f, v);
        }
    }
    if let Some(v) = top.get("pipelineInfo") {
        typed::<PipelineInfo>(r, "pipelineInfo", v);
    }
    if let Some(root) = top.get("root") {
        component(r, "root", root);
    }
    for (name, c) in map(&doc["components"]) {
        component(r, &key("components", name), c);
    }
    if let Some(d) = top.get("deploymentSpec") {
        fields(r, "deploymentSpec", d, DEPLOYMENT);
        for (label, e) in map(&d["executors"]) {
            let path = key("deploymentSpec.executors", label);
            oneof(r, &path, e, EXECUTOR_KIND, "spec");
            if e.get("resolver").is_none() && e.get("customJob").is_none() {
                typed::<Executor>(r, &path, e);
            }
        }
    }
    true
}

fn component(r: &mut Report, path: &str, c: &Value) {
    fields(r, path, c, COMPONENT);
    oneof(r, path, c, &["dag", "executorLabel"], "implementation");
    if let Some(l) = c.get("executorLabel") {
        typed::<String>(r, &key(path, "executorLabel"), l);
    }
    for (io, defs) in [("inputDefinitions", &c["inputDefinitions"]), ("outputDefinitions", &c["outputDefinitions"])] {
        let base = key(path, io);
        fields(r, &base, defs, DEFINITIONS);
        for (name, p) in map(&defs["parameters"]) {
            let at = key(&key(&base, "parameters"), name);
            if io == "inputDefinitions" {
                typed::<ParameterDefinition>(r, &at, p)
            } else {
                typed::<OutputParameterDefinition>(r, &at, p)
            };
        }
        for (name, a) in map(&defs["artifacts"]) {
            let at = key(&key(&base, "artifacts"), name);
            if io == "inputDefinitions" {
                typed::<ArtifactDefinition>(r, &at, a)
            } else {
                typed::<OutputArtifactDefinition>(r, &at, a)
            };
        }
    }
    let Some(dag) = c.get("dag") else { return };
    let base = key(path, "dag");
    fields(r, &base, dag, DAG);
    if let Some(outputs) = dag.get("outputs") {
        typed::<DagOutputs>(r, &key(&base, "outputs"), outputs);
    }
    for (name, t) in map(&dag["tasks"]) {
        task(r, &key(&key(&base, "tasks"), name), t);
    }
}

fn task(r: &mut Report, path: &str, t: &Value) {
    oneof(r, path, t, ITERATOR_KIND, "iterator");
    let inputs = key(path, "inputs");
    for (name, p) in map(&t["inputs"]["parameters"]) {
        let at = key(&key(&inputs, "parameters"), name);
        fields(r, &at, p, TASK_PARAMETER);
        oneof(r, &at, p, PARAMETER_KIND, "kind");
    }
    for (name, a) in map(&t["inputs"]["artifacts"]) {
        oneof(r, &key(&key(&inputs, "artifacts"), name), a, ARTIFACT_KIND, "kind");
    }
    // What the tables above judged is taken out, so that serde does not report it twice; the
    // artifact iterator, which the structs do not model, is the DAG rules' business.
    let mut t = t.clone();
    if let Some(o) = t.as_object_mut() {
        o.remove("artifactIterator");
        if let Some(params) = o.get_mut("inputs").and_then(|i| i.get_mut("parameters")).and_then(Value::as_object_mut) {
            for p in params.values_mut().filter_map(Value::as_object_mut) {
                p.retain(|k, _| TASK_PARAMETER.contains(&k.as_str()));
                keep_first_of(p, PARAMETER_KIND);
            }
        }
        if let Some(arts) = o.get_mut("inputs").and_then(|i| i.get_mut("artifacts")).and_then(Value::as_object_mut) {
            for a in arts.values_mut().filter_map(Value::as_object_mut) {
                keep_first_of(a, ARTIFACT_KIND);
            }
        }
    }
    if typed::<PipelineTaskSpec>(r, path, &t) {
        for f in ["backoffDuration", "backoffMaxDuration"] {
            if let Some(d) = t["retryPolicy"][f].as_str().filter(|d| !super::util::is_duration(d)) {
                r.add(
                    &key(&key(path, "retryPolicy"), f),
                    BAD_DURATION,
                    format!("expected a Duration string such as `30s`, got '{d}'"),
                );
            }
        }
    }
}

/// Drops every member of a oneof but the first (the conflict is reported already).
fn keep_first_of(o: &mut serde_json::Map<String, Value>, members: &[&str]) {
    let mut seen = false;
    o.retain(|k, _| {
        if !members.contains(&k.as_str()) {
            return true;
        }
        let keep = !seen;
        seen = true;
        keep
    });
}

/// Unknown keys of the object `v` (a message the structs flatten).
pub(super) fn fields(r: &mut Report, path: &str, v: &Value, known: &[&str]) {
    let Some(o) = v.as_object() else {
        if !v.is_null() {
            r.add(path, WRONG_TYPE, format!("expected an object, got {}", super::util::short(v)));
        }
        return;
    };
    let names: Vec<String> = known.iter().map(|k| (*k).to_owned()).collect();
    for k in o.keys().filter(|k| !known.contains(&k.as_str())) {
        r.add(&key(path, k), UNKNOWN_FIELD, format!("unknown field '{k}'{}", hint(k, &names)));
    }
}

/// Two members of one oneof set.
pub(super) fn oneof(r: &mut Report, path: &str, v: &Value, members: &[&str], name: &str) {
    let set: Vec<&str> = members.iter().copied().filter(|m| v.get(m).is_some()).collect();
    if let [first, second, ..] = set[..] {
        r.add(
            &key(path, second),
            ONEOF_CONFLICT,
            format!("'{first}' and '{second}' are both set but belong to oneof '{name}': set one of them"),
        );
    }
}

/// Parses `v` as `T`, reporting serde's complaint at the node it is about; true if it parsed.
pub(super) fn typed<T: DeserializeOwned>(r: &mut Report, path: &str, v: &Value) -> bool {
    match serde_json::from_value::<T>(v.clone()) {
        Ok(_) => true,
        Err(e) => {
            serde_problem(r, path, v, &e.to_string());
            false
        }
    }
}

/// Turns one serde message into a problem, finding the node it is about inside `v` when it can.
fn serde_problem(r: &mut Report, path: &str, v: &Value, message: &str) {
    let quoted = |m: &str| m.split('`').nth(1).map(str::to_owned);
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let name = rest.split('`').next().unwrap_or_default();
        let expected: Vec<String> = rest.split('`').skip(2).step_by(2).map(str::to_owned).collect();
        let at = find(v, path, &|k, _| k == Some(name)).unwrap_or_else(|| key(path, name));
        r.add(&at, UNKNOWN_FIELD, format!("unknown field '{name}'{}", hint(name, &expected)));
    } else if let Some(rest) = message.strip_prefix("unknown variant `") {
        let name = rest.split('`').next().unwrap_or_default();
        let expected: Vec<&str> = rest.split('`').skip(2).step_by(2).collect();
        let at = find(v, path, &|_, x| x.as_str() == Some(name)).unwrap_or_else(|| path.to_owned());
        let one_of =
            if expected.is_empty() { String::new() } else { format!(": must be one of {}", expected.join(", ")) };
        r.add(&at, BAD_ENUM, format!("invalid value '{name}'{one_of}"));
    } else if let Some(field) = message.strip_prefix("missing field `") {
        let field = field.split('`').next().unwrap_or_default();
        r.add(path, MISSING_FIELD, format!("missing field '{field}'"));
    } else {
        let rule = if message.starts_with("invalid type") { WRONG_TYPE } else { BAD_VALUE };
        // `invalid type: integer `5`, expected a string`: find the scalar it names.
        let shown =
            quoted(message).or_else(|| message.split('"').nth(1).map(|s| Value::String(s.to_owned()).to_string()));
        let at = shown
            .and_then(|s| {
                find(v, path, &|_, x| {
                    !x.is_object()
                        && !x.is_array()
                        && (*x == serde_json::from_str::<Value>(&s).unwrap_or(Value::Null)
                            || x.as_str() == Some(s.as_str()))
                })
            })
            .unwrap_or_else(|| path.to_owned());
        r.add(&at, rule, message.to_owned());
    }
}

/// The path of the first node under `v` (depth first, keys in order) that `pick` accepts, given
/// its key (if it is an object member) and value.
fn find(v: &Value, path: &str, pick: &dyn Fn(Option<&str>, &Value) -> bool) -> Option<String> {
    match v {
        Value::Object(o) => o.iter().find_map(|(k, x)| {
            let at = key(path, k);
            if pick(Some(k), x) { Some(at) } else { find(x, &at, pick) }
        }),
        Value::Array(a) => a.iter().enumerate().find_map(|(i, x)| {
            let at = idx(path, i);
            if pick(None, x) { Some(at) } else { find(x, &at, pick) }
        }),
        _ => None,
    }
}
