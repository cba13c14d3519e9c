//! IR placeholders: the `{{$...}}` strings the KFP launcher fills in, and the IfPresent / Concat
//! JSON placeholders. Every placeholder the backend writes is built here.

use std::io;

use serde_json::Value;

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
            Self::Concat(_) | Self::IfPresent { .. } => {
                let mut out = String::new();
                self.write_json(&mut out);
                out
            }
        }
    }

    /// The element as JSON the way kfp writes it (Python's `json.dumps`: `", "` and `": "`
    /// separators, non-ASCII escaped, keys in kfp's order `InputName`, `Then`, `Else`): text as a
    /// string, structures as objects.
    fn write_json(&self, out: &mut String) {
        let list = |items: &[Self], out: &mut String| {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                item.write_json(out);
            }
            out.push(']');
        };
        match self {
            Self::Text(s) => python_json_string(s, out),
            Self::Concat(items) => {
                out.push_str("{\"Concat\": ");
                list(items, out);
                out.push('}');
            }
            Self::IfPresent { input, then, otherwise } => {
                out.push_str("{\"IfPresent\": {\"InputName\": ");
                python_json_string(input, out);
                out.push_str(", \"Then\": ");
                list(then, out);
                if !otherwise.is_empty() {
                    out.push_str(", \"Else\": ");
                    list(otherwise, out);
                }
                out.push_str("}}");
            }
        }
    }
}

/// A JSON string as Python's `json.dumps` writes it (`ensure_ascii`: everything outside printable
/// ASCII as `\uXXXX`, surrogate pairs above the BMP).
fn python_json_string(s: &str, out: &mut String) {
    use std::fmt::Write;
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            ' '..='~' => out.push(c),
            _ => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    // Writing to a String cannot fail.
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
        }
    }
    out.push('"');
}

/// JSON as Python's `json.dumps(..., sort_keys=True)` writes it: `", "` and `": "` separators,
/// non-ASCII escaped, keys sorted.
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

    /// Non-ASCII as `\uXXXX`, as Python's `ensure_ascii` does.
    fn write_string_fragment<W: ?Sized + io::Write>(&mut self, w: &mut W, fragment: &str) -> io::Result<()> {
        for c in fragment.chars() {
            if c.is_ascii() {
                w.write_all(&[c as u8])?;
            } else {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    write!(w, "\\u{unit:04x}")?;
                }
            }
        }
        Ok(())
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
            otherwise: vec![CommandLineArg::text("--no-opt")],
        };
        assert_eq!(
            arg.to_command_line(),
            r#"{"IfPresent": {"InputName": "opt", "Then": ["--opt", {"Concat": ["v=", "{{$.inputs.parameters['opt']}}"]}], "Else": ["--no-opt"]}}"#
        );
    }

    #[test]
    fn raw_json_is_python_json() {
        let v = serde_json::json!([{"b": 1, "a": "é"}, 0.5]);
        assert_eq!(python_json(&v), r#"[{"a": "\u00e9", "b": 1}, 0.5]"#);
    }

    #[test]
    fn json_strings_escape_as_python_does() {
        let mut out = String::new();
        python_json_string("a\"b\\c\nd\u{1}é😀", &mut out);
        assert_eq!(out, r#""a\"b\\c\nd\u0001\u00e9\ud83d\ude00""#);
    }
}
