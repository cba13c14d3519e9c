//! The Kubeflow Pipelines annotations and labels: the pipeline spec and component specs as the kfp v1
//! backend and UI read them.

use kfp_dsl::{ComponentSpec, Pipeline};
use serde_json::{Map, Value, json};

/// Annotation on the workflow: name, description and typed inputs of the pipeline.
pub(crate) const PIPELINE_SPEC: &str = "pipelines.kubeflow.org/pipeline_spec";
/// Annotation on each template: the component's spec.
pub(crate) const COMPONENT_SPEC: &str = "pipelines.kubeflow.org/component_spec";
/// Annotation on a template: the task's display name in the UI.
pub(crate) const DISPLAY_NAME: &str = "pipelines.kubeflow.org/task_display_name";
/// Annotation on a template: how old a cached result may be.
pub(crate) const MAX_CACHE_STALENESS: &str = "pipelines.kubeflow.org/max_cache_staleness";
/// Label on each template: whether the kfp cache may reuse results.
pub(crate) const ENABLE_CACHING: &str = "pipelines.kubeflow.org/enable_caching";

/// `{"description", "inputs": [{"default", "description", "name", "optional", "type"}], "name"}`;
/// keys sorted, as kfp v1 writes it.
pub(crate) fn pipeline_spec(p: &Pipeline) -> String {
    let inputs: Vec<Value> = p
        .params()
        .iter()
        .map(|s| {
            let mut m = Map::new();
            if let Some(d) = &s.default {
                m.insert("default".into(), Value::String(d.clone()));
            }
            if let Some(d) = &s.description {
                m.insert("description".into(), Value::String(d.clone()));
            }
            m.insert("name".into(), Value::String(s.name.clone()));
            if s.default.is_some() {
                m.insert("optional".into(), Value::Bool(true));
            }
            m.insert("type".into(), Value::String(s.type_name.to_owned()));
            Value::Object(m)
        })
        .collect();
    let mut m = Map::new();
    if let Some(d) = p.description() {
        m.insert("description".into(), Value::String(d.to_owned()));
    }
    m.insert("inputs".into(), Value::Array(inputs));
    m.insert("name".into(), Value::String(p.name().to_owned()));
    Value::Object(m).to_string()
}

/// The component as kfp v1's component.yaml model, in JSON, keys sorted: what kfp 1.8 writes
/// (`json.dumps(spec.to_dict(), sort_keys=True)`), with each input's `default` and `optional` and the
/// spec's `metadata`.
pub(crate) fn component_spec(c: &ComponentSpec) -> String {
    let io = |name: &str, type_name: &str, description: Option<&String>| {
        let mut m = Map::new();
        if let Some(d) = description {
            m.insert("description".into(), Value::String(d.clone()));
        }
        m.insert("name".into(), Value::String(name.to_owned()));
        m.insert("type".into(), Value::String(type_name.to_owned()));
        Value::Object(m)
    };
    let mut m = Map::new();
    if let Some(d) = &c.description {
        m.insert("description".into(), Value::String(d.clone()));
    }
    if let Some(cs) = c.container_spec() {
        let mut container = Map::new();
        let args: Vec<Value> = cs.arguments().iter().map(placeholder).collect();
        if !args.is_empty() {
            container.insert("args".into(), Value::Array(args));
        }
        let command: Vec<Value> = cs.command().iter().map(placeholder).collect();
        if !command.is_empty() {
            container.insert("command".into(), Value::Array(command));
        }
        if !cs.environment().is_empty() {
            let env = cs.environment().iter().map(|(k, v)| (k.clone(), placeholder(v))).collect();
            container.insert("env".into(), Value::Object(env));
        }
        container.insert("image".into(), Value::String(cs.image_ref().unwrap_or_default().to_owned()));
        m.insert("implementation".into(), json!({ "container": container }));
    }
    // As kfp v1 writes a loaded spec: an input's `default`, and `optional` when it has none.
    let inputs: Vec<Value> = c
        .inputs
        .iter()
        .map(|i| {
            let mut v = io(&i.name, i.kind.type_name(), i.description.as_ref());
            if let Value::Object(m) = &mut v {
                if let Some(d) = &i.default {
                    m.insert("default".into(), Value::String(d.clone()));
                }
                if i.optional && i.default.is_none() {
                    m.insert("optional".into(), Value::Bool(true));
                }
            }
            v
        })
        .collect();
    if !inputs.is_empty() {
        m.insert("inputs".into(), Value::Array(inputs));
    }
    let mut metadata = Map::new();
    if !c.annotations.is_empty() {
        metadata.insert("annotations".into(), json!(c.annotations));
    }
    if !c.labels.is_empty() {
        metadata.insert("labels".into(), json!(c.labels));
    }
    if !metadata.is_empty() {
        m.insert("metadata".into(), Value::Object(metadata));
    }
    m.insert("name".into(), Value::String(c.name.clone()));
    let outputs: Vec<Value> =
        c.outputs.iter().map(|o| io(&o.name, o.kind.type_name(), o.description.as_ref())).collect();
    if !outputs.is_empty() {
        m.insert("outputs".into(), Value::Array(outputs));
    }
    Value::Object(m).to_string()
}

use crate::front::component_yaml::placeholder;
