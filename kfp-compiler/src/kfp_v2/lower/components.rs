//! Component variants as IR components and container executors: `comp-<template>` with its input and
//! output definitions, `exec-<template>` with the image, command and arguments, placeholders spelled
//! as the KFP v2 launcher reads them.

use kfp_dsl::model::{Arg, ComponentSpec as Spec, ContainerSpec as Container, IoKind};

use crate::kfp_v2::placeholder::{input_artifact_path, input_parameter, output_artifact_path, output_parameter_file};
use crate::kfp_v2::{
    ArtifactDefinition, ArtifactTypeSchema, ComponentSpec, ContainerSpec, OutputArtifactDefinition,
    OutputParameterDefinition, ParameterDefinition, ParameterType,
};

/// The IR parameter type of a kfp type name.
pub(crate) fn parameter_type(kfp_type: &str) -> ParameterType {
    match kfp_type {
        "Integer" => ParameterType::NumberInteger,
        "Float" => ParameterType::NumberDouble,
        "Boolean" | "Bool" => ParameterType::Boolean,
        "JsonArray" | "List" => ParameterType::List,
        "JsonObject" | "JSON" | "Dict" => ParameterType::Struct,
        _ => ParameterType::Text,
    }
}

/// The IR artifact type of a kfp artifact type name: `system.*` for kfp's kinds, a `system.*` or
/// `google.*` title as written, `system.Artifact` for any other name.
pub(crate) fn artifact_type(kfp_type: &str) -> ArtifactTypeSchema {
    match kfp_type {
        "Dataset" | "Model" | "Metrics" | "ClassificationMetrics" | "HTML" | "Markdown" | "Artifact" => {
            ArtifactTypeSchema::system(kfp_type)
        }
        "Html" => ArtifactTypeSchema::system("HTML"),
        // A Kubeflow v1 UI file (refused, or with `--lossy` kept as a plain file the v2 UI does not show).
        "UI_metadata" => ArtifactTypeSchema::system("Artifact"),
        // kfp's own namespaces keep their title; any other name (a component.yaml's `CSV`, a derived
        // kind's `Checkpoint`) is a plain `system.Artifact`, as kfp 2.17 compiles an unknown type name
        // (its schema titles must be `system.*` or `google.*`).
        other if other.starts_with("system.") || other.starts_with("google.") => {
            ArtifactTypeSchema::new(other, "0.0.1")
        }
        _ => ArtifactTypeSchema::system("Artifact"),
    }
}

/// The type of output `name`: as [`artifact_type`], except the Kubeflow v1 metrics file, which KFP v2
/// would take for a `system.Metrics` artifact (whose numbers live in metadata, not in the file) and
/// show empty: only `--lossy` gets here, and keeps it as a plain `system.Artifact`.
pub(crate) fn output_artifact_type(name: &str, kfp_type: &str) -> ArtifactTypeSchema {
    match name {
        "mlpipeline-metrics" | "mlpipeline-ui-metadata" => ArtifactTypeSchema::system("Artifact"),
        _ => artifact_type(kfp_type),
    }
}

/// A parameter value (a kfp parameter string) as the JSON value the IR stores for type `t`.
pub(crate) fn typed_constant(text: &str, t: ParameterType) -> serde_json::Value {
    use serde_json::Value;
    match t {
        // kfp writes integers as floats (`3.0`), as protobuf's Value stores every number.
        ParameterType::NumberInteger | ParameterType::NumberDouble => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or_else(|| Value::String(text.to_owned()), Value::Number),
        ParameterType::Boolean => match text.trim() {
            "true" | "True" => Value::Bool(true),
            "false" | "False" => Value::Bool(false),
            _ => Value::String(text.to_owned()),
        },
        ParameterType::List | ParameterType::Struct => {
            serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_owned()))
        }
        _ => Value::String(text.to_owned()),
    }
}

/// The IR component of one variant of `spec` (inputs the call leaves out are not declared).
pub(crate) fn component(spec: &Spec, absent: &[usize], executor_label: &str) -> ComponentSpec {
    let mut c = ComponentSpec::executor(executor_label);
    for (i, input) in spec.inputs.iter().enumerate() {
        if absent.contains(&i) {
            continue;
        }
        c = match &input.kind {
            IoKind::Parameter { type_name } => {
                let mut d = ParameterDefinition::new(parameter_type(type_name));
                if let Some(default) = &input.default {
                    d = d.default_value(typed_constant(default, parameter_type(type_name)));
                }
                if input.optional || input.default.is_some() {
                    d = d.optional();
                }
                if let Some(desc) = &input.description {
                    d = d.description(desc.clone());
                }
                c.input_parameter(input.name.clone(), d)
            }
            IoKind::Artifact { type_name, list } => {
                let mut d = ArtifactDefinition::new(artifact_type(type_name));
                if *list {
                    d = d.list();
                }
                if input.optional {
                    d = d.optional();
                }
                c.input_artifact(input.name.clone(), d)
            }
        };
    }
    for output in &spec.outputs {
        c = match &output.kind {
            IoKind::Parameter { type_name } => {
                c.output_parameter(output.name.clone(), OutputParameterDefinition::new(parameter_type(type_name)))
            }
            IoKind::Artifact { type_name, .. } => c.output_artifact(
                output.name.clone(),
                OutputArtifactDefinition::new(output_artifact_type(&output.name, type_name)),
            ),
        };
    }
    c
}

/// The container executor: every placeholder spelled for the KFP v2 launcher.
pub(crate) fn executor(spec: &Spec, container: &Container, default_image: &str) -> ContainerSpec {
    let render = |a: &Arg| render(spec, a);
    let image = container.image_ref().unwrap_or(default_image);
    let mut c = ContainerSpec::new(image)
        .command(container.command().iter().map(render).collect::<Vec<_>>())
        .args(container.arguments().iter().map(render).collect::<Vec<_>>());
    for (name, value) in container.environment() {
        c = c.env(name.clone(), render(value));
    }
    c
}

/// One argument with its placeholders: input values and artifact paths, output files and paths.
fn render(spec: &Spec, arg: &Arg) -> String {
    let mut out = String::new();
    arg.visit(&mut |a| match a {
        Arg::Lit(s) => out.push_str(s),
        Arg::InputValue(n) => out.push_str(&input_parameter(n)),
        // A list input has no path placeholder: a function component reads the whole executor input
        // (`{{$}}`), whose `inputs.artifacts.<n>.artifacts[].uri` are the list (container components
        // with a list input are refused, see `unsupported`).
        Arg::InputPath(n) if spec.input(n).is_some_and(|i| i.kind.is_artifact_list()) => out.push_str("{{$}}"),
        Arg::InputPath(n) => out.push_str(&input_artifact_path(n)),
        Arg::OutputPath(n) => match spec.output(n).map(|o| o.kind.is_artifact()) {
            Some(true) => out.push_str(&output_artifact_path(n)),
            _ => out.push_str(&output_parameter_file(n)),
        },
        Arg::Concat(_) | Arg::If { .. } | Arg::IsPresent(_) | Arg::Foreign => {}
    });
    out
}
