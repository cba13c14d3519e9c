//! The `inputs` and `outputs` of a component.yaml: names, types, defaults and `optional`, each
//! mistake reported with its line.

use kfp_dsl::{InputSpec, IoKind, OutputSpec};
use serde_json::Value;

use super::raw::{self, At};
use super::{ComponentFileError, err, is_parameter_type};

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

pub(super) fn io_list(
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
