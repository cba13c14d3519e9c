//! The component.yaml writer: any component (a Rust function component as the container that runs it)
//! as kfp v1's component.yaml.

use std::collections::BTreeMap;

use kfp_dsl::{Arg, ComponentSpec, Implementation, IoKind};
use serde_json::{Map, Value, json};

use super::raw;

/// Writes `spec` as a kfp v1 component.yaml. A Rust function component is written as the container
/// that runs it (`binary component NAME ...`, in `default_image` when it names none).
///
/// # Errors
/// A resource step, an importer, an approval or pause, or a list input (none has a component.yaml form), or the
/// serializer failed (not
/// expected).
pub fn component_to_yaml(spec: &ComponentSpec, binary: &str, default_image: Option<&str>) -> Result<String, String> {
    if let Some(i) = spec.inputs.iter().find(|i| i.kind.is_artifact_list()) {
        return Err(format!(
            "input `{}` of `{}` is a list of artifacts: kfp's component.yaml has no way to write one (it would \
             read back as one artifact)",
            i.name, spec.name
        ));
    }
    let container = match &spec.implementation {
        Implementation::Container(c) => Some(c.clone()),
        Implementation::Resource(_) => {
            return Err(format!("`{}` is a resource step: kfp's component.yaml has no way to write one", spec.name));
        }
        Implementation::Suspend(_) => {
            return Err(format!(
                "`{}` is an approval or a pause: kfp's component.yaml has no way to write one",
                spec.name
            ));
        }
        Implementation::Function(_) => spec.function_container(binary, default_image),
        Implementation::Import(_) => {
            return Err(format!("`{}` is an importer: kfp's component.yaml has no way to write one", spec.name));
        }
    }
    .unwrap_or_default();
    let io = |name: &str, kind: &IoKind, description: &Option<String>| {
        let mut m = BTreeMap::new();
        m.insert("name".to_owned(), Value::String(name.to_owned()));
        m.insert("type".to_owned(), Value::String(kind.type_name().to_owned()));
        if let Some(d) = description {
            m.insert("description".to_owned(), Value::String(d.clone()));
        }
        m
    };
    let inputs = spec
        .inputs
        .iter()
        .map(|i| {
            let mut m = io(&i.name, &i.kind, &i.description);
            if let Some(d) = &i.default {
                m.insert("default".to_owned(), Value::String(d.clone()));
            }
            if i.optional && i.default.is_none() {
                m.insert("optional".to_owned(), Value::Bool(true));
            }
            m
        })
        .collect();
    let outputs = spec.outputs.iter().map(|o| io(&o.name, &o.kind, &o.description)).collect();
    let mut c = Map::new();
    c.insert("image".into(), Value::String(container.image_ref().unwrap_or_default().to_owned()));
    if !container.command().is_empty() {
        c.insert("command".into(), Value::Array(container.command().iter().map(placeholder).collect()));
    }
    if !container.arguments().is_empty() {
        c.insert("args".into(), Value::Array(container.arguments().iter().map(placeholder).collect()));
    }
    if !container.environment().is_empty() {
        let env = container.environment().iter().map(|(k, v)| (k.clone(), placeholder(v))).collect();
        c.insert("env".into(), Value::Object(env));
    }
    let mut metadata = BTreeMap::new();
    if !spec.annotations.is_empty() {
        metadata.insert("annotations".to_owned(), spec.annotations.clone());
    }
    if !spec.labels.is_empty() {
        metadata.insert("labels".to_owned(), spec.labels.clone());
    }
    let out = raw::Out {
        name: spec.name.clone(),
        description: spec.description.clone(),
        metadata: (!metadata.is_empty()).then_some(metadata),
        inputs,
        outputs,
        implementation: json!({ "container": c }),
    };
    raw::write(&out)
}

/// kfp's placeholder syntax: `"text"`, `{"inputValue": x}`, `{"inputPath": x}`, `{"outputPath": x}`,
/// `{"concat": [...]}`, `{"if": {...}}`, `{"isPresent": x}`.
pub(crate) fn placeholder(a: &Arg) -> Value {
    match a {
        Arg::Lit(s) => Value::String(s.clone()),
        Arg::InputValue(n) => json!({ "inputValue": n }),
        Arg::InputPath(n) => json!({ "inputPath": n }),
        Arg::OutputPath(n) => json!({ "outputPath": n }),
        Arg::Concat(parts) => json!({ "concat": parts.iter().map(placeholder).collect::<Vec<_>>() }),
        Arg::IsPresent(n) => json!({ "isPresent": n }),
        Arg::If { cond, then, otherwise } => {
            let mut m = Map::new();
            m.insert("cond".into(), placeholder(cond));
            m.insert("then".into(), Value::Array(then.iter().map(placeholder).collect()));
            // As kfp writes an `if` read without `else`: no `else` at all.
            if !otherwise.is_empty() {
                m.insert("else".into(), Value::Array(otherwise.iter().map(placeholder).collect()));
            }
            json!({ "if": m })
        }
        // Never in a component's container: a placeholder kfp-rs cannot write.
        Arg::Foreign => Value::Null,
    }
}
