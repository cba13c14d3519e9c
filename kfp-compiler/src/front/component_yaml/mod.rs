//! kfp v1 `component.yaml` files: read (with every mistake reported by line) into a
//! [`ComponentSpec`]; [`write`](mod@write) writes them back from any component.

use std::collections::BTreeMap;

use kfp_dsl::{Arg, ComponentSpec, ContainerSpec, InputSpec, IoKind, OutputSpec};
use serde_json::Value;

mod raw;
mod write;

use raw::At;

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
        let at = Some(raw::line_col(m));
        let Value::Object(map) = &m.value else { return err(at, "`metadata` must be a mapping") };
        for (k, v) in map {
            let target = match k.as_str() {
                "annotations" => &mut spec.annotations,
                "labels" => &mut spec.labels,
                other => {
                    return err(at, format!("unknown `metadata` field `{other}`; expected `annotations` or `labels`"));
                }
            };
            let Value::Object(entries) = v else { return err(at, format!("`metadata.{k}` must be a mapping")) };
            for (ek, ev) in entries {
                let Value::String(s) = ev else { return err(at, format!("`metadata.{k}.{ek}` must be a string")) };
                target.insert(ek.clone(), s.clone());
            }
        }
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

/// An input or output as written (in a component.yaml, or in an IR file's definitions).
#[derive(Clone, Debug)]
pub(in crate::front) struct Io {
    pub(in crate::front) name: String,
    pub(in crate::front) type_name: String,
    pub(in crate::front) description: Option<String>,
    pub(in crate::front) default: Option<String>,
    pub(in crate::front) optional: bool,
}

impl Io {
    pub(in crate::front) fn into_input(self, artifact: bool) -> InputSpec {
        let kind = if artifact {
            IoKind::Artifact { type_name: self.type_name, list: false }
        } else {
            IoKind::Parameter { type_name: self.type_name }
        };
        let mut i = kfp_dsl::ComponentSpec::new("", None)
            .input_param::<String>(&self.name, self.description.as_deref())
            .inputs
            .remove(0);
        i.kind = kind;
        i.optional = self.optional || self.default.is_some();
        i.default = self.default;
        i
    }

    pub(in crate::front) fn into_output(self) -> OutputSpec {
        let artifact = !is_parameter_type(&self.type_name);
        let mut o = kfp_dsl::ComponentSpec::new("", None)
            .output_param::<String>(&self.name, self.description.as_deref())
            .outputs
            .remove(0);
        o.kind = if artifact {
            IoKind::Artifact { type_name: self.type_name, list: false }
        } else {
            IoKind::Parameter { type_name: self.type_name }
        };
        o
    }
}

/// The plain scalar written after `key:` in the mapping `item`, quoted as written (`yes` becomes
/// `'yes'`, never `'true'`, so the advice keeps the meaning); `None` when it cannot be found for sure.
fn quoted_as_written(text: &str, item: &At<Value>, key: &str, value: &Value) -> Option<String> {
    let start = usize::try_from(item.referenced.span().byte_offset()?).ok()?;
    let rest = text.get(start..)?;
    let mut from = 0;
    while let Some(i) = rest.get(from..)?.find(key).map(|i| i + from) {
        from = i + key.len();
        let starts_key = i == 0 || rest[..i].ends_with([' ', '\t', '{', ',', '\n']);
        let Some(after) = rest[from..].trim_start_matches([' ', '\t']).strip_prefix(':') else { continue };
        if !starts_key {
            continue;
        }
        let v = after.trim_start_matches([' ', '\t']);
        let v = v[..v.find([',', '}', '\n', '#']).unwrap_or(v.len())].trim();
        // Only when the text read back is the value: never advise something else.
        if v.is_empty() || serde_saphyr::from_str::<Value>(v).ok().as_ref() != Some(value) {
            return None;
        }
        return Some(format!("'{}'", v.replace('\'', "''")));
    }
    None
}

fn io_list(
    text: &str,
    list: Option<&At<Vec<At<Value>>>>,
    what: &str,
    inputs: bool,
) -> Result<Vec<Io>, ComponentFileError> {
    let mut out: Vec<Io> = Vec::new();
    let Some(list) = list else { return Ok(out) };
    for item in &list.value {
        let at = Some(raw::line_col(item));
        let Value::Object(m) = &item.value else { return err(at, format!("each of `{what}` must be a mapping")) };
        for k in m.keys() {
            if !matches!(k.as_str(), "name" | "type" | "description" | "default" | "optional" | "annotations") {
                return err(at, format!("unknown field `{k}` in `{what}`"));
            }
        }
        let name = match m.get("name") {
            Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
            Some(v @ (Value::Bool(_) | Value::Number(_) | Value::Null)) => {
                let quoted = quoted_as_written(text, item, "name", v).unwrap_or_else(|| format!("'{v}'"));
                return err(
                    at,
                    format!("a name in `{what}` reads as `{v}`, not a string: quote it (`name: {quoted}`)"),
                );
            }
            _ => return err(at, format!("each of `{what}` needs a `name` (a string)")),
        };
        if let Err(e) = kfp_dsl::check_io_name(&name) {
            return err(at, format!("in `{what}`: {e}"));
        }
        if out.iter().any(|o| o.name == name) {
            return err(at, format!("`{name}` is declared twice in `{what}`"));
        }
        let type_name = match m.get("type") {
            None => "Artifact".to_owned(),
            Some(Value::String(s)) => s.clone(),
            // kfp v1 also allows `{TypeName: {properties}}`.
            Some(Value::Object(t)) if t.len() == 1 => t.keys().next().cloned().unwrap_or_default(),
            Some(other) => return err(at, format!("`{name}`: `type` must be a type name, found `{other}`")),
        };
        let description = match m.get("description") {
            None => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return err(at, format!("`{name}`: `description` must be a string")),
        };
        let default = match m.get("default") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if inputs => Some(s.clone()),
            Some(Value::String(_)) => return err(at, format!("output `{name}` cannot have a default")),
            Some(other) => {
                let quoted = quoted_as_written(text, item, "default", other)
                    .unwrap_or_else(|| format!("'{}'", other.to_string().trim_matches('"')));
                return err(
                    at,
                    format!(
                        "`{name}`: `default` must be a string (component.yaml stores values as strings): write `default: {quoted}`"
                    ),
                );
            }
        };
        let optional = match m.get("optional") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => return err(at, format!("`{name}`: `optional` must be `true` or `false`, found `{other}`")),
        };
        out.push(Io { name, type_name, description, default, optional });
    }
    Ok(out)
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

struct Ctx<'a> {
    inputs: &'a [Io],
    outputs: &'a [Io],
    at: Option<(u64, u64)>,
}

impl Ctx<'_> {
    fn input(&self, v: &Value, what: &str) -> Result<String, ComponentFileError> {
        let Value::String(n) = v else { return err(self.at, format!("`{what}` takes an input's name")) };
        if self.inputs.iter().any(|i| &i.name == n) {
            return Ok(n.clone());
        }
        if self.outputs.iter().any(|o| &o.name == n) {
            return err(self.at, format!("`{what}: {n}` names an output; use `outputPath` for outputs"));
        }
        err(self.at, format!("`{what}: {n}` names no input (inputs: {})", names(self.inputs)))
    }

    fn placeholder(&self, v: &Value) -> Result<Arg, ComponentFileError> {
        match v {
            Value::String(s) => Ok(Arg::Lit(s.clone())),
            Value::Number(n) => Ok(Arg::Lit(n.to_string())),
            Value::Bool(b) => Ok(Arg::Lit(b.to_string())),
            Value::Object(m) if m.len() == 1 => {
                let (k, v) = m.iter().next().map(|(k, v)| (k.as_str(), v)).unwrap_or(("", v));
                match k {
                    "inputValue" => Ok(Arg::InputValue(self.input(v, k)?)),
                    "inputPath" => Ok(Arg::InputPath(self.input(v, k)?)),
                    "isPresent" => Ok(Arg::IsPresent(self.input(v, k)?)),
                    "outputPath" => {
                        let Value::String(n) = v else { return err(self.at, "`outputPath` takes an output's name") };
                        if self.outputs.iter().any(|o| &o.name == n) {
                            Ok(Arg::OutputPath(n.clone()))
                        } else if self.inputs.iter().any(|i| &i.name == n) {
                            err(
                                self.at,
                                format!("`outputPath: {n}` names an input; use `inputPath` or `inputValue` for inputs"),
                            )
                        } else {
                            err(
                                self.at,
                                format!("`outputPath: {n}` names no output (outputs: {})", names(self.outputs)),
                            )
                        }
                    }
                    "concat" => {
                        let Value::Array(parts) = v else { return err(self.at, "`concat` takes a list") };
                        Ok(Arg::Concat(parts.iter().map(|p| self.placeholder(p)).collect::<Result<_, _>>()?))
                    }
                    "if" => {
                        let Value::Object(f) = v else { return err(self.at, "`if` takes `cond`, `then` and `else`") };
                        for key in f.keys() {
                            if !matches!(key.as_str(), "cond" | "then" | "else") {
                                return err(
                                    self.at,
                                    format!("unknown field `{key}` in `if`; expected `cond`, `then`, `else`"),
                                );
                            }
                        }
                        let Some(cond) = f.get("cond") else { return err(self.at, "`if` without `cond`") };
                        let branch = |key: &str| -> Result<Vec<Arg>, ComponentFileError> {
                            match f.get(key) {
                                None => Ok(Vec::new()),
                                Some(Value::Array(items)) => items.iter().map(|i| self.placeholder(i)).collect(),
                                Some(single) => Ok(vec![self.placeholder(single)?]),
                            }
                        };
                        Ok(Arg::If {
                            cond: Box::new(self.placeholder(cond)?),
                            then: branch("then")?,
                            otherwise: branch("else")?,
                        })
                    }
                    other => err(
                        self.at,
                        format!(
                            "unknown placeholder `{other}`; expected inputValue, inputPath, outputPath, concat, if or isPresent"
                        ),
                    ),
                }
            }
            other => err(self.at, format!("`{other}` is not a command-line argument or placeholder")),
        }
    }
}

fn names(list: &[Io]) -> String {
    if list.is_empty() {
        "none".to_owned()
    } else {
        list.iter().map(|i| format!("`{}`", i.name)).collect::<Vec<_>>().join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_specs_parse() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/components/");
        for f in ["make_data.yaml", "train.yaml"] {
            let text = std::fs::read_to_string(format!("{root}{f}")).unwrap();
            let spec = parse_component(&text).unwrap_or_else(|e| panic!("{f}: {e}"));
            assert!(!spec.inputs.is_empty());
            let again = parse_component(&component_to_yaml(&spec, "x", None).unwrap()).unwrap();
            assert_eq!(again.inputs, spec.inputs, "{f}: export then import keeps the inputs");
            assert_eq!(again.outputs, spec.outputs);
            assert_eq!(again.container_spec(), spec.container_spec());
        }
    }

    /// Every kind of broken spec gives one clear error with its line, never a panic.
    #[test]
    fn broken_specs_are_clear_errors() {
        let ok_impl = "implementation:\n  container:\n    image: alpine\n    command: [echo]\n";
        let cases: Vec<(String, &str)> = vec![
            ("name: [unclosed\n".into(), "line 1, column 7: "),
            ("- just\n- a list\n".into(), "line 1, column 1: "),
            (format!("description: no name\n{ok_impl}"), "the component has no `name`"),
            (format!("name: ''\n{ok_impl}"), "`name` must be a non-empty string"),
            (
                format!("name: x\ninputs:\n- {{name: a}}\n- {{name: a}}\n{ok_impl}"),
                "line 4, column 3: `a` is declared twice in `inputs`",
            ),
            (
                "name: x\ninputs: [{name: a}]\nimplementation:\n  container:\n    image: alpine\n    args: [{inputFile: a}]\n".into(),
                "unknown placeholder `inputFile`",
            ),
            (
                "name: x\ninputs: [{name: a}]\nimplementation:\n  container:\n    image: alpine\n    args: [{inputValue: b}]\n".into(),
                "`inputValue: b` names no input (inputs: `a`)",
            ),
            (
                "name: x\ninputs: [{name: a}]\nimplementation:\n  container:\n    image: alpine\n    args: [{outputPath: a}]\n".into(),
                "`outputPath: a` names an input",
            ),
            (
                format!("name: x\ninputs:\n- {{name: num, type: Integer, default: 3}}\n{ok_impl}"),
                "line 3, column 3: `num`: `default` must be a string",
            ),
            (format!("name: x\ninputs:\n- {{name: n}}\n{ok_impl}"), "reads as `false`, not a string: quote it"),
            (
                "name: x\ninputs: [{name: a}]\nimplementation:\n  container:\n    image: alpine\n    args: [{if: {then: [x]}}]\n".into(),
                "`if` without `cond`",
            ),
            ("name: x\nimplementation:\n  graph: {tasks: {}}\n".into(), "implementation `graph` is not supported"),
            ("name: x\nimplementation:\n  container: {command: [echo]}\n".into(), "`container` needs an `image`"),
            (format!("name: x\nfoo: 1\n{ok_impl}"), "unknown field `foo`"),
            ("name: x\n".into(), "the component has no `implementation`"),
            (
                format!("name: x\ninputs:\n- {{name: a, optional: maybe}}\n{ok_impl}"),
                "`a`: `optional` must be `true` or `false`",
            ),
            ("".into(), "the component has no `name`"),
            (
                format!("name: x\ninputs:\n- {{name: flag, type: Boolean, default: yes}}\n{ok_impl}"),
                "line 3, column 3: `flag`: `default` must be a string (component.yaml stores values as strings): write `default: 'yes'`",
            ),
            (
                format!("name: x\ninputs:\n- name: flag\n  type: Boolean\n  default: Off # the switch\n{ok_impl}"),
                "write `default: 'Off'`",
            ),
            (format!("name: x\ninputs:\n- {{name: 1.50}}\n{ok_impl}"), "quote it (`name: '1.50'`)"),
            (format!("name: x\ndescription: a\nname: y\n{ok_impl}"), "line 3, column 1: key `name` appears twice in the same mapping: keep one"),
            (
                format!("name: x\ninputs:\n- {{name: a, type: String, name: b}}\n{ok_impl}"),
                "key `name` appears twice in the same mapping: keep one",
            ),
            (
                format!("name: x\ndescription: [{}]\n{ok_impl}", "1,".repeat(250_001)),
                "the file is too big: more than 250,000 YAML nodes; is this the right file?",
            ),
            (
                format!("name: x\ndescription: {}{}\n{ok_impl}", "[".repeat(100), "]".repeat(100)),
                "the file nests lists and mappings more than 64 deep",
            ),
        ];
        for (text, expected) in &cases {
            let e = parse_component(text).expect_err(text).to_string();
            assert!(e.contains(expected), "for\n{text}\nexpected `{expected}`, got `{e}`");
            assert_eq!(e.lines().count(), 1, "one line: {e}");
        }
    }
}
