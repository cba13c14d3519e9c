//! The command-line elements of an IR container, read into the model's [`Arg`]s: text with
//! `{{$...}}` placeholders, and the `{"Concat": [...]}` / `{"IfPresent": {...}}` JSON placeholders
//! kfp writes as strings.
//!
//! | IR                                           | model                     |
//! |----------------------------------------------|---------------------------|
//! | `{{$.inputs.parameters['x']}}`               | `InputValue(x)`           |
//! | `{{$.inputs.artifacts['x'].path}}`           | `InputPath(x)`            |
//! | `{{$.outputs.parameters['x'].output_file}}`  | `OutputPath(x)`           |
//! | `{{$.outputs.artifacts['x'].path}}`          | `OutputPath(x)`           |
//! | `{"Concat": [..]}`                           | `Concat([..])`            |
//! | `{"IfPresent": {"InputName": x, ..}}`        | `If { IsPresent(x), .. }` |
//!
//! Every other placeholder (`{{$}}`, `.uri`, `.metadata`, the run's and task's names and ids) has
//! no counterpart in the model and is refused.

use kfp_dsl::Arg;
use serde_json::Value;

/// The names a placeholder may refer to, by kind.
pub(super) struct Names<'a> {
    pub(super) input_parameters: Vec<&'a str>,
    pub(super) input_artifacts: Vec<&'a str>,
    pub(super) output_parameters: Vec<&'a str>,
    pub(super) output_artifacts: Vec<&'a str>,
}

/// How to fix a component that uses a placeholder the model has no form for.
const REWRITE: &str = "pass the value or the file's path instead (`x` or `x.path` in the \
                       `@dsl.container_component`) and compile the component again";

impl Names<'_> {
    /// One element of `command`, `args` or an env value; `field` says where it is, for errors.
    pub(super) fn element(&self, text: &str, field: &str) -> Result<Arg, String> {
        let trimmed = text.trim();
        if trimmed.starts_with("{\"Concat\"") || trimmed.starts_with("{\"IfPresent\"") {
            let v: Value = serde_json::from_str(trimmed).map_err(|e| {
                format!("`{field}`: the structured placeholder is not valid JSON ({e}): compile the component again")
            })?;
            return self.structured(&v, field);
        }
        self.text(text, field)
    }

    /// A JSON item inside a structured placeholder: a string (text) or a nested structure.
    fn item(&self, v: &Value, field: &str) -> Result<Arg, String> {
        match v {
            Value::String(s) => self.text(s, field),
            Value::Object(_) => self.structured(v, field),
            other => Err(format!("`{field}`: `{other}` in a placeholder is neither text nor a placeholder")),
        }
    }

    fn items(&self, v: Option<&Value>, field: &str, key: &str) -> Result<Vec<Arg>, String> {
        match v {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items.iter().map(|i| self.item(i, field)).collect(),
            // kfp accepts a single element for `Then` and `Else`.
            Some(single @ (Value::String(_) | Value::Object(_))) => Ok(vec![self.item(single, field)?]),
            Some(other) => Err(format!("`{field}`: `{key}` must be a list of elements, found `{other}`")),
        }
    }

    fn structured(&self, v: &Value, field: &str) -> Result<Arg, String> {
        let Some((kind, body)) = v.as_object().filter(|m| m.len() == 1).and_then(|m| m.iter().next()) else {
            return Err(format!(
                "`{field}`: `{v}` is not a placeholder; expected `{{\"Concat\": [..]}}` or `{{\"IfPresent\": {{..}}}}`"
            ));
        };
        match kind.as_str() {
            "Concat" => {
                let Value::Array(parts) = body else {
                    return Err(format!("`{field}`: `Concat` takes a list of elements, found `{body}`"));
                };
                Ok(Arg::Concat(parts.iter().map(|p| self.item(p, field)).collect::<Result<_, _>>()?))
            }
            "IfPresent" => {
                let Value::Object(m) = body else {
                    return Err(format!("`{field}`: `IfPresent` takes `InputName`, `Then` and `Else`, found `{body}`"));
                };
                if let Some(k) = m.keys().find(|k| !matches!(k.as_str(), "InputName" | "Then" | "Else")) {
                    return Err(format!(
                        "`{field}`: unknown field `{k}` in `IfPresent`; expected `InputName`, `Then`, `Else`"
                    ));
                }
                let Some(Value::String(input)) = m.get("InputName") else {
                    return Err(format!("`{field}`: `IfPresent` needs `InputName`, the name of an input"));
                };
                if !self.input_parameters.contains(&input.as_str()) && !self.input_artifacts.contains(&input.as_str()) {
                    return Err(format!(
                        "`{field}`: `IfPresent` names `{input}`, which is not an input (inputs: {})",
                        list(self.input_parameters.iter().chain(&self.input_artifacts))
                    ));
                }
                Ok(Arg::If {
                    cond: Box::new(Arg::IsPresent(input.clone())),
                    then: self.items(m.get("Then"), field, "Then")?,
                    otherwise: self.items(m.get("Else"), field, "Else")?,
                })
            }
            other => {
                Err(format!("`{field}`: unknown structured placeholder `{other}`; expected `Concat` or `IfPresent`"))
            }
        }
    }

    /// Text, with its `{{$...}}` placeholders as parts.
    fn text(&self, text: &str, field: &str) -> Result<Arg, String> {
        let mut parts = Vec::new();
        let mut rest = text;
        while let Some(start) = rest.find("{{$") {
            let Some(len) = rest[start..].find("}}") else { break };
            parts.push(Arg::Lit(rest[..start].to_owned()));
            let placeholder = &rest[start..start + len + 2];
            parts.push(self.placeholder(placeholder, field)?);
            rest = &rest[start + len + 2..];
        }
        parts.push(Arg::Lit(rest.to_owned()));
        Ok(Arg::concat(parts))
    }

    fn placeholder(&self, p: &str, field: &str) -> Result<Arg, String> {
        let inner = &p[3..p.len() - 2];
        if inner.is_empty() {
            return Err(format!(
                "`{field}`: `{{{{$}}}}` is the executor input of a lightweight Python component \
                 (`@dsl.component`): kfp's own executor reads it to call the function, and only the KFP v2 \
                 launcher writes it; kfp-rs components also run on Argo, where nothing writes it, so kfp-rs \
                 cannot load this component: write it as a `@dsl.container_component` (or in Rust, as a \
                 `#[component]`) and compile that"
            ));
        }
        let parsed = [
            (".inputs.parameters[", "]", Kind::InputParameter),
            (".inputs.artifacts[", "].path", Kind::InputArtifact),
            (".outputs.parameters[", "].output_file", Kind::OutputParameter),
            (".outputs.artifacts[", "].path", Kind::OutputArtifact),
        ]
        .into_iter()
        .find_map(|(head, tail, kind)| Some((quoted_name(inner.strip_prefix(head)?.strip_suffix(tail)?)?, kind)));
        let Some((name, kind)) = parsed else {
            return Err(format!(
                "`{field}`: the placeholder `{p}` has no counterpart in kfp-rs's component model, which passes \
                 input values and the paths of input and output files: {REWRITE}"
            ));
        };
        let (names, what) = match kind {
            Kind::InputParameter => (&self.input_parameters, "input parameter"),
            Kind::InputArtifact => (&self.input_artifacts, "input artifact"),
            Kind::OutputParameter => (&self.output_parameters, "output parameter"),
            Kind::OutputArtifact => (&self.output_artifacts, "output artifact"),
        };
        if !names.contains(&name) {
            return Err(format!(
                "`{field}`: the placeholder `{p}` names `{name}`, which is not an {what} of the component ({what}s: {})",
                list(names.iter())
            ));
        }
        Ok(match kind {
            Kind::InputParameter => Arg::InputValue(name.to_owned()),
            Kind::InputArtifact => Arg::InputPath(name.to_owned()),
            Kind::OutputParameter | Kind::OutputArtifact => Arg::OutputPath(name.to_owned()),
        })
    }
}

#[derive(Clone, Copy)]
enum Kind {
    InputParameter,
    InputArtifact,
    OutputParameter,
    OutputArtifact,
}

/// `'x'` or `"x"` as `x`.
fn quoted_name(s: &str) -> Option<&str> {
    s.strip_prefix('\'')
        .and_then(|s| s.strip_suffix('\''))
        .or_else(|| s.strip_prefix('"').and_then(|s| s.strip_suffix('"')))
        .filter(|n| !n.is_empty())
}

fn list<'a>(names: impl Iterator<Item = &'a &'a str>) -> String {
    let names: Vec<String> = names.map(|n| format!("`{n}`")).collect();
    if names.is_empty() { "none".to_owned() } else { names.join(", ") }
}
