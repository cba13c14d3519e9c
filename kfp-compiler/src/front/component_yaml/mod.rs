//! kfp v1 `component.yaml` files: read (with every mistake reported by line) into a
//! [`ComponentSpec`]; [`write`](mod@write) writes them back from any component.

use std::collections::BTreeMap;

use kfp_dsl::{Arg, ComponentSpec, ContainerSpec};
use serde_json::Value;

mod io;
mod metadata;
mod placeholders;
mod raw;
#[cfg(test)]
mod tests;
mod write;

pub(in crate::front) use io::Io;
use io::io_list;
use placeholders::Ctx;

pub use write::component_to_yaml;
pub(crate) use write::placeholder;

/// A mistake in a component.yaml.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", line.map(|(l, c)| format!("line {l}, column {c}: ")).unwrap_or_default())]
#[non_exhaustive]
pub struct ComponentFileError {
    /// Where (1-based line and column), when known.
    pub line: Option<(u64, u64)>,
    /// What is wrong.
    pub message: String,
}

fn err<T>(at: Option<(u64, u64)>, message: impl Into<String>) -> Result<T, ComponentFileError> {
    Err(ComponentFileError { line: at, message: message.into() })
}

/// The kfp types that are parameters; every other type is an artifact.
pub fn is_parameter_type(t: &str) -> bool {
    matches!(t, "String" | "Integer" | "Float" | "Bool" | "Boolean" | "JsonArray" | "JsonObject")
}

/// Reads a component file: a kfp v1 component.yaml, or a kfp 2.x IR file holding one container
/// component (what `kfp.compiler.Compiler().compile(component, path)` writes), told apart by the IR's
/// top-level `pipelineInfo`, `deploymentSpec` or `root`.
///
/// # Errors
/// The first mistake, with its line: not YAML, not a mapping, a missing name, a duplicate input,
/// an unknown placeholder, a placeholder naming an unknown input, `outputPath` on an input, a default
/// that is not a string, an `if` without `cond`, an implementation that is not a container, ...; for
/// an IR file, what it holds beyond one container component (see `front/ir_component`).
pub fn parse_component(text: &str) -> Result<ComponentSpec, ComponentFileError> {
    if super::ir_component::looks_like_ir(text) {
        return super::ir_component::parse(text);
    }
    let doc = raw::parse(text).map_err(|(line, message)| ComponentFileError { line, message })?;
    let whole = Some((1, 1));
    let name = match &doc.name {
        Some(n) => match &n.value {
            Value::String(s) if !s.trim().is_empty() => s.clone(),
            _ => return err(Some(raw::line_col(n)), "`name` must be a non-empty string"),
        },
        None => return err(whole, "the component has no `name`"),
    };
    let description = match &doc.description {
        None => None,
        Some(d) => match &d.value {
            Value::String(s) => Some(s.clone()),
            _ => return err(Some(raw::line_col(d)), "`description` must be a string"),
        },
    };
    let mut spec = ComponentSpec::new(&name, description.as_deref());
    if let Some(m) = &doc.metadata {
        let m = metadata::parse(m)?;
        spec.labels = m.labels;
        spec.annotations = m.annotations;
    }
    let inputs = io_list(text, doc.inputs.as_ref(), "inputs", true)?;
    let outputs = io_list(text, doc.outputs.as_ref(), "outputs", false)?;
    let Some(imp) = &doc.implementation else { return err(whole, "the component has no `implementation`") };
    let imp_at = Some(raw::line_col(imp));
    let Value::Object(imp_map) = &imp.value else { return err(imp_at, "`implementation` must be a mapping") };
    let container = match (imp_map.get("container"), imp_map.keys().next()) {
        (Some(c), _) if imp_map.len() == 1 => c,
        (_, Some(kind)) => {
            return err(
                imp_at,
                format!("implementation `{kind}` is not supported; a component.yaml here is a `container`"),
            );
        }
        (_, None) => return err(imp_at, "`implementation` is empty; expected `container`"),
    };
    let c = parse_container(container, imp_at, &inputs, &outputs)?;

    // How each input is used decides whether it is a parameter or an artifact.
    let mut used_as: BTreeMap<String, &str> = BTreeMap::new();
    for a in c.command().iter().chain(c.arguments()).chain(c.environment().iter().map(|(_, v)| v)) {
        a.visit(&mut |a| match a {
            Arg::InputValue(n) => {
                used_as.entry(n.clone()).or_insert("value");
            }
            Arg::InputPath(n) => {
                used_as.insert(n.clone(), "path");
            }
            // Visited part by part.
            Arg::Lit(_) | Arg::OutputPath(_) | Arg::Concat(_) | Arg::If { .. } | Arg::IsPresent(_) | Arg::Foreign => {}
        });
    }
    for i in &inputs {
        let artifact = match used_as.get(&i.name) {
            Some(&"path") => true,
            Some(_) => false,
            None => !is_parameter_type(&i.type_name),
        };
        spec.inputs.push(i.clone().into_input(artifact));
    }
    for o in &outputs {
        spec.outputs.push(o.clone().into_output());
    }
    spec = spec.container(c, None);
    let problems = spec.check();
    if let Some(p) = problems.into_iter().next() {
        return err(imp_at, p);
    }
    Ok(spec)
}

fn parse_container(
    v: &Value,
    at: Option<(u64, u64)>,
    inputs: &[Io],
    outputs: &[Io],
) -> Result<ContainerSpec, ComponentFileError> {
    let Value::Object(m) = v else { return err(at, "`container` must be a mapping") };
    for k in m.keys() {
        if !matches!(k.as_str(), "image" | "command" | "args" | "env" | "fileOutputs") {
            return err(at, format!("unknown field `{k}` in `container`"));
        }
    }
    let image = match m.get("image") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        _ => return err(at, "`container` needs an `image` (a non-empty string)"),
    };
    let ctx = Ctx { inputs, outputs, at };
    let list = |key: &str| -> Result<Vec<Arg>, ComponentFileError> {
        match m.get(key) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items.iter().map(|i| ctx.placeholder(i)).collect(),
            Some(_) => err(at, format!("`{key}` must be a list")),
        }
    };
    let mut c = ContainerSpec::new(list("command")?).image(image).args(list("args")?);
    match m.get("env") {
        None => {}
        Some(Value::Object(env)) => {
            for (k, v) in env {
                c = c.env(k.clone(), ctx.placeholder(v)?);
            }
        }
        Some(_) => return err(at, "`env` must be a mapping of names to values"),
    }
    Ok(c)
}
