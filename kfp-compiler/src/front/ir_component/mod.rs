//! kfp 2.x component files: the IR (a `PipelineSpec`) that `kfp.compiler.Compiler().compile(component,
//! path)` writes for one container component, read into the same [`ComponentSpec`] a kfp v1
//! component.yaml gives, so `load_component!` and `load_component_file` take either.
//!
//! ```text
//! pipelineInfo.name              -> name (`make-table`; the macro's function is `make_table`)
//! components.comp-X              -> inputs and outputs, by name in alphabetical order (kfp writes
//!   inputDefinitions                 sorted keys: the Python signature's order is not in the file)
//!   outputDefinitions
//! deploymentSpec.executors.exec-X.container
//!                                -> image, command, args, env (placeholders: `placeholders.rs`)
//! ```
//!
//! Refused, each with what, where (the field) and how to fix: a pipeline (several components or
//! tasks), a DAG component, an importer, a kfp-kubernetes `PlatformSpec`, container `resources`,
//! artifact lists, `TASK_FINAL_STATUS` / `TASK_CONFIG` inputs, and placeholders the model has no
//! form for, `{{$}}` above all: a lightweight Python component (`@dsl.component`) runs kfp's own
//! executor, which reads that executor input from the KFP v2 launcher; kfp-rs runs containers
//! itself (on Argo with no launcher), so it cannot run one. Its model (shared by every backend) has no
//! argument for it; supporting it for the kfp-v2 target only would take a new `Arg` in kfp-dsl's
//! public model that every other backend refuses.

use kfp_dsl::{ComponentSpec, ContainerSpec, IoKind};
use serde_json::Value;

use super::component_yaml::{ComponentFileError, Io};
use crate::kfp_v2::{self, Executor, Implementation, ParameterType};

mod placeholders;
#[cfg(test)]
mod round_trip_tests;
#[cfg(test)]
mod tests;

/// Whether `text` is an IR file rather than a kfp v1 component.yaml: a top-level `pipelineInfo`,
/// `deploymentSpec` or `root` (keys no component.yaml has); as JSON (`compile(c, 'x.json')`), a
/// `"pipelineInfo"` or `"deploymentSpec"` key (`"root"` could be a value in a component.yaml).
pub(super) fn looks_like_ir(text: &str) -> bool {
    const KEYS: [&str; 3] = ["pipelineInfo", "deploymentSpec", "root"];
    if text.trim_start().starts_with('{') {
        return ["\"pipelineInfo\":", "\"deploymentSpec\":"].iter().any(|k| text.contains(k));
    }
    text.lines().any(|l| KEYS.iter().any(|k| l.strip_prefix(k).is_some_and(|rest| rest.trim_start().starts_with(':'))))
}

fn err<T>(message: impl Into<String>) -> Result<T, ComponentFileError> {
    Err(ComponentFileError { line: None, message: message.into() })
}

/// How to make a component file kfp-rs reads.
const COMPILE_ONE: &str = "compile each `@dsl.container_component` by itself: \
                           `kfp.compiler.Compiler().compile(my_component, 'component.yaml')`";

/// Why a kfp-kubernetes `PlatformSpec` is refused, and what to do.
const PLATFORM: &str = "the file has a second YAML document, a kfp-kubernetes `PlatformSpec` (secrets, \
                        volumes, node selectors ...), which kfp-rs does not read from component files: delete \
                        it (from the `---` on) and set those on the task in Rust";

/// Reads an IR file of one container component.
///
/// # Errors
/// Not the IR (with the line), or anything beyond one container component the model can express
/// (see the module).
pub(super) fn parse(text: &str) -> Result<ComponentSpec, ComponentFileError> {
    let (ir, platform) = kfp_v2::from_yaml(text).map_err(|e| {
        // The parser's own "error: line L column C: ": the line is said once, by the caller.
        let message = e.message.trim_start_matches("error: ");
        let message = match message.split_once(": ") {
            Some((head, rest)) if head.starts_with("line ") => rest,
            _ => message,
        };
        ComponentFileError { line: e.at, message: format!("{message} (reading a kfp 2.x IR component file)") }
    })?;
    if platform.is_some() {
        return err(PLATFORM);
    }
    let mut components = ir.components.iter();
    let (key, comp) = match (components.next(), ir.components.len()) {
        (Some(one), 1) => one,
        (None, _) => return err(format!("`components` is empty: the file holds no component; {COMPILE_ONE}")),
        (Some(_), n) => {
            let names: Vec<String> = ir.components.keys().map(|k| format!("`{k}`")).collect();
            return err(format!(
                "`components` holds {n} components ({}): this is a pipeline, and a component file holds one \
                 component; {COMPILE_ONE}",
                names.join(", ")
            ));
        }
    };
    match &ir.root.implementation {
        Implementation::Dag(dag) if dag.tasks.len() == 1 => {}
        Implementation::Dag(dag) => {
            return err(format!(
                "`root.dag` has {} tasks: this is a pipeline, and a component file's root runs its one \
                 component once; {COMPILE_ONE}",
                dag.tasks.len()
            ));
        }
        Implementation::ExecutorLabel(_) => {}
    }
    let label = match &comp.implementation {
        Implementation::ExecutorLabel(label) => label,
        Implementation::Dag(_) => {
            return err(format!(
                "`components.{key}` is a DAG (a pipeline used as a component), not a container: kfp-rs loads \
                 container components; {COMPILE_ONE}, or write the graph in Rust"
            ));
        }
    };
    let exec_field = format!("deploymentSpec.executors.{label}");
    let container = match ir.deployment_spec.executors.get(label) {
        Some(Executor::Container(c)) => c,
        Some(Executor::Importer(_)) => {
            return err(format!(
                "`{exec_field}` is an importer (`dsl.importer`), not a container: kfp-rs loads container \
                 components and has no importer: pass the artifact from the task that writes it instead"
            ));
        }
        None => {
            return err(format!(
                "`components.{key}.executorLabel` is `{label}`, which `deploymentSpec.executors` does not hold; \
                 {COMPILE_ONE}"
            ));
        }
    };
    if container.resources.is_some() {
        return err(format!(
            "`{exec_field}.container.resources`: kfp-rs sets CPU, memory and accelerators on each task, not in \
             the component: delete `resources` and set them on the task in Rust (`.cpu_limit(\"2\")`, \
             `.memory_limit(\"4Gi\")`)"
        ));
    }

    let description = ir.pipeline_info.description.clone().or_else(|| header_description(text));
    let mut spec = ComponentSpec::new(&ir.pipeline_info.name, description.as_deref());
    let defs = &comp.input_definitions;
    let outs = &comp.output_definitions;
    let at = |what: &str, name: &str| format!("components.{key}.{what}.{name}");

    // Inputs and outputs by name: the order kfp writes them in.
    let mut inputs: Vec<(Io, bool)> = Vec::new();
    for (name, d) in &defs.parameters {
        let field = at("inputDefinitions.parameters", name);
        let type_name = parameter_type_name(d.parameter_type, &field)?;
        let default = match &d.default_value {
            None | Some(Value::Null) => None,
            Some(v) => Some(default_text(v, d.parameter_type, &field)?),
        };
        let io =
            Io { name: name.clone(), type_name, description: d.description.clone(), default, optional: d.is_optional };
        inputs.push((io, false));
    }
    for (name, d) in &defs.artifacts {
        let field = at("inputDefinitions.artifacts", name);
        if d.is_artifact_list {
            return err(list_error(&field));
        }
        let type_name = artifact_type_name(&d.artifact_type.schema_title);
        let io = Io {
            name: name.clone(),
            type_name,
            description: d.description.clone(),
            default: None,
            optional: d.is_optional,
        };
        inputs.push((io, true));
    }
    inputs.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    let mut outputs: Vec<(Io, bool)> = Vec::new();
    for (name, d) in &outs.parameters {
        let type_name = parameter_type_name(d.parameter_type, &at("outputDefinitions.parameters", name))?;
        outputs.push((
            Io { name: name.clone(), type_name, description: d.description.clone(), default: None, optional: false },
            false,
        ));
    }
    for (name, d) in &outs.artifacts {
        if d.is_artifact_list {
            return err(list_error(&at("outputDefinitions.artifacts", name)));
        }
        let type_name = artifact_type_name(&d.artifact_type.schema_title);
        outputs.push((
            Io { name: name.clone(), type_name, description: d.description.clone(), default: None, optional: false },
            true,
        ));
    }
    outputs.sort_by(|a, b| a.0.name.cmp(&b.0.name));

    let names = placeholders::Names {
        input_parameters: defs.parameters.keys().map(String::as_str).collect(),
        input_artifacts: defs.artifacts.keys().map(String::as_str).collect(),
        output_parameters: outs.parameters.keys().map(String::as_str).collect(),
        output_artifacts: outs.artifacts.keys().map(String::as_str).collect(),
    };
    let field = format!("{exec_field}.container");
    let elements = |list: &[String], what: &str| {
        list.iter()
            .enumerate()
            .map(|(i, s)| names.element(s, &format!("{field}.{what}[{i}]")))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|message| ComponentFileError { line: None, message })
    };
    let mut c = ContainerSpec::new(elements(&container.command, "command")?)
        .image(container.image.clone())
        .args(elements(&container.args, "args")?);
    for (i, e) in container.env.iter().enumerate() {
        let value = names
            .element(&e.value, &format!("{field}.env[{i}].value"))
            .map_err(|message| ComponentFileError { line: None, message })?;
        c = c.env(e.name.clone(), value);
    }

    for (io, artifact) in inputs {
        spec.inputs.push(io.into_input(artifact));
    }
    for (io, artifact) in outputs {
        let kind = if artifact {
            IoKind::Artifact { type_name: io.type_name.clone(), list: false }
        } else {
            IoKind::Parameter { type_name: io.type_name.clone() }
        };
        let mut o = io.into_output();
        o.kind = kind;
        spec.outputs.push(o);
    }
    spec = spec.container(c, None);
    if let Some(problem) = spec.check().into_iter().next() {
        return err(format!("`{field}`: {problem}"));
    }
    Ok(spec)
}

/// The first line of the `# Description:` comment kfp writes at the top of the file (the
/// component's docstring, which the IR itself does not hold).
fn header_description(text: &str) -> Option<String> {
    text.lines()
        .take_while(|l| l.starts_with('#'))
        .find_map(|l| l.strip_prefix("# Description:"))
        .map(|d| d.trim().to_owned())
        .filter(|d| !d.is_empty())
}

/// The kfp type name the typed API and component.yaml use for an IR parameter type.
fn parameter_type_name(t: ParameterType, field: &str) -> Result<String, ComponentFileError> {
    Ok(match t {
        ParameterType::Text => "String",
        ParameterType::NumberInteger => "Integer",
        ParameterType::NumberDouble => "Float",
        ParameterType::Boolean => "Boolean",
        ParameterType::List => "JsonArray",
        ParameterType::Struct => "JsonObject",
        other => {
            let which = if other == ParameterType::TaskFinalStatus { "TASK_FINAL_STATUS" } else { "TASK_CONFIG" };
            return err(format!(
                "`{field}.parameterType` is {which}, which the KFP v2 backend fills in for an exit handler's or a \
                 task's settings; kfp-rs cannot pass it: remove that input from the component and compile it again"
            ));
        }
    }
    .to_owned())
}

/// The kfp type name of an artifact schema title: `system.Dataset` is `Dataset`, as in a
/// component.yaml; other titles stay whole (the IR backend writes them back as they were).
fn artifact_type_name(title: &str) -> String {
    match title.strip_prefix("system.") {
        Some(k @ ("Dataset" | "Model" | "Metrics" | "ClassificationMetrics" | "HTML" | "Markdown" | "Artifact")) => {
            k.to_owned()
        }
        _ => title.to_owned(),
    }
}

fn list_error(field: &str) -> String {
    format!(
        "`{field}` is a list of artifacts (`isArtifactList`), which a container component cannot read (the KFP \
         launcher fills no placeholder for a list; in kfp-rs only a Rust `#[component]` takes `Input<Vec<K>>`): \
         declare one artifact and compile the component again"
    )
}

/// A default as the parameter string the model stores (`10.0` for an integer is `10`).
fn default_text(v: &Value, t: ParameterType, field: &str) -> Result<String, ComponentFileError> {
    let text = match (t, v) {
        (ParameterType::Text, Value::String(s)) => Some(s.clone()),
        (ParameterType::NumberInteger, Value::Number(n)) => n.as_i64().map(|i| i.to_string()).or_else(|| {
            // kfp writes integers as floats (`10.0`).
            n.as_f64().filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15).map(|f| format!("{f:.0}"))
        }),
        (ParameterType::NumberDouble, Value::Number(n)) => Some(n.to_string()),
        (ParameterType::Boolean, Value::Bool(b)) => Some(b.to_string()),
        (ParameterType::List, Value::Array(_)) | (ParameterType::Struct, Value::Object(_)) => Some(v.to_string()),
        _ => None,
    };
    text.ok_or_else(|| ComponentFileError {
        line: None,
        message: format!(
            "`{field}.defaultValue` is `{v}`, not a value of its type {}: fix the default in the component's \
             source and compile it again",
            serde_json::to_value(t).ok().and_then(|t| t.as_str().map(str::to_owned)).unwrap_or_default()
        ),
    })
}
