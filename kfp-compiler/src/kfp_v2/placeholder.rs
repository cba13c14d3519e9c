//! IR placeholders: the `{{$...}}` strings the KFP launcher fills in, and the IfPresent / Concat
//! JSON placeholders. Every placeholder the backend writes is built here.

use std::io;

use serde_json::{Value, json};

/// The whole executor input as JSON: `{{$}}` (kfp's Python components read it).
pub const EXECUTOR_INPUT: &str = "{{$}}";
/// The run's id: `{{$.pipeline_job_uuid}}`; substituted only as the whole value of a task input.
pub const PIPELINE_JOB_UUID: &str = "{{$.pipeline_job_uuid}}";
/// The run's name: `{{$.pipeline_job_name}}`.
pub const PIPELINE_JOB_NAME: &str = "{{$.pipeline_job_name}}";
/// The task's name: `{{$.pipeline_task_name}}`.
pub const PIPELINE_TASK_NAME: &str = "{{$.pipeline_task_name}}";
/// The task's id: `{{$.pipeline_task_uuid}}`.
pub const PIPELINE_TASK_UUID: &str = "{{$.pipeline_task_uuid}}";

/// The value of input parameter `name`: `{{$.inputs.parameters['name']}}`.
#[must_use]
pub fn input_parameter(name: &str) -> String {
    format!("{{{{$.inputs.parameters['{name}']}}}}")
}

/// The local path of input artifact `name`: `{{$.inputs.artifacts['name'].path}}`.
#[must_use]
pub fn input_artifact_path(name: &str) -> String {
    format!("{{{{$.inputs.artifacts['{name}'].path}}}}")
}

/// The URI of input artifact `name`: `{{$.inputs.artifacts['name'].uri}}`.
#[must_use]
pub fn input_artifact_uri(name: &str) -> String {
    format!("{{{{$.inputs.artifacts['{name}'].uri}}}}")
}

/// The file the container writes output parameter `name` to:
/// `{{$.outputs.parameters['name'].output_file}}`.
#[must_use]
pub fn output_parameter_file(name: &str) -> String {
    format!("{{{{$.outputs.parameters['{name}'].output_file}}}}")
}

/// The local path the container writes output artifact `name` to:
/// `{{$.outputs.artifacts['name'].path}}`.
#[must_use]
pub fn output_artifact_path(name: &str) -> String {
    format!("{{{{$.outputs.artifacts['{name}'].path}}}}")
}

/// The URI of output artifact `name`: `{{$.outputs.artifacts['name'].uri}}`.
#[must_use]
pub fn output_artifact_uri(name: &str) -> String {
    format!("{{{{$.outputs.artifacts['{name}'].uri}}}}")
}

/// One command-line element: text with `{{$...}}` placeholders, or a structured placeholder the
/// launcher evaluates (written as JSON text, as kfp writes it: Python's `json.dumps` spacing).
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CommandLineArg {
    /// Text, possibly holding placeholders.
    Text(String),
    /// The parts joined into one string.
    Concat(Vec<CommandLineArg>),
    /// `then` if input `input` was given, else `otherwise` (both may be empty).
    IfPresent {
        /// The optional input's name.
        input: String,
        /// Elements when it was given.
        then: Vec<CommandLineArg>,
        /// Elements when it was not.
        otherwise: Vec<CommandLineArg>,
    },
}

impl CommandLineArg {
    /// Text.
    #[must_use]
    pub fn text(s: impl Into<String>) -> Self {
        Self::Text(s.into())
    }

    /// The string that goes in `command` or `args`.
    #[must_use]
    pub fn to_command_line(&self) -> String {
        match self {
            Self::Text(s) => s.clone(),
            Self::Concat(_) | Self::IfPresent { .. } => python_json(&self.to_json()),
        }
    }

    /// The element as a JSON value: text as a string, structures as objects.
    fn to_json(&self) -> Value {
        let list = |items: &[Self]| Value::Array(items.iter().map(Self::to_json).collect());
        match self {
            Self::Text(s) => Value::String(s.clone()),
            Self::Concat(items) => json!({ "Concat": list(items) }),
            Self::IfPresent { input, then, otherwise } => {
                let mut body = serde_json::Map::new();
                body.insert("InputName".to_owned(), Value::String(input.clone()));
                body.insert("Then".to_owned(), list(then));
                if !otherwise.is_empty() {
                    body.insert("Else".to_owned(), list(otherwise));
                }
                json!({ "IfPresent": body })
            }
        }
    }
}

/// JSON with Python's `json.dumps` separators (`", "`, `": "`), keys sorted (kfp writes `InputName`, `Then`, `Else`; readers parse the JSON).
pub(super) fn python_json(v: &Value) -> String {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, PythonFormatter);
    // Writing a `Value` into a `Vec` cannot fail.
    let _ = serde::Serialize::serialize(v, &mut ser);
    String::from_utf8(out).unwrap_or_default()
}

/// The compact formatter with a space after `,` and `:`.
struct PythonFormatter;

impl serde_json::ser::Formatter for PythonFormatter {
    fn begin_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if first { Ok(()) } else { w.write_all(b", ") }
    }

    fn begin_object_key<W: ?Sized + io::Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        if first { Ok(()) } else { w.write_all(b", ") }
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_placeholders_match_kfp() {
        assert_eq!(input_parameter("x"), "{{$.inputs.parameters['x']}}");
        assert_eq!(input_artifact_path("d"), "{{$.inputs.artifacts['d'].path}}");
        assert_eq!(output_parameter_file("n"), "{{$.outputs.parameters['n'].output_file}}");
        assert_eq!(output_artifact_path("m"), "{{$.outputs.artifacts['m'].path}}");
    }

    #[test]
    fn structured_placeholders_are_python_json() {
        let arg = CommandLineArg::IfPresent {
            input: "opt".into(),
            then: vec![
                CommandLineArg::text("--opt"),
                CommandLineArg::Concat(vec![CommandLineArg::text("v="), CommandLineArg::Text(input_parameter("opt"))]),
            ],
            otherwise: vec![],
        };
        assert_eq!(
            arg.to_command_line(),
            r#"{"IfPresent": {"InputName": "opt", "Then": ["--opt", {"Concat": ["v=", "{{$.inputs.parameters['opt']}}"]}]}}"#
        );
    }
}
