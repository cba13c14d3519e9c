//! Serialization: the only module that knows the YAML library.

use std::io;

use serde_saphyr::SerializerOptions;

use crate::argo::Workflow;
use crate::error::CompileError;

/// The workflow as YAML. Every string that a YAML 1.1 reader (Argo, kubectl) would take for a bool,
/// number, null or date is quoted; multi-line strings are double-quoted with escapes; long lines are
/// never folded.
///
/// # Errors
/// [`CompileError::Emit`] if the serializer fails.
pub fn to_yaml(w: &Workflow) -> Result<String, CompileError> {
    let options = yaml_options();
    // Sized up front from the task count: growing a multi-megabyte string by doubling copies it
    // several times.
    let tasks: usize = w.spec.templates.iter().filter_map(|t| t.dag.as_ref()).map(|d| d.tasks.len()).sum();
    let mut out = String::with_capacity(4096 + 256 * tasks);
    serde_saphyr::to_fmt_writer_with_options(&mut out, w, options).map_err(|e| CompileError::Emit(e.to_string()))?;
    Ok(out)
}

/// The workflow as pretty-printed JSON.
///
/// # Errors
/// [`CompileError::Emit`] if the serializer fails.
pub fn to_json(w: &Workflow) -> Result<String, CompileError> {
    let mut s = serde_json::to_string_pretty(w).map_err(|e| CompileError::Emit(e.to_string()))?;
    s.push('\n');
    Ok(s)
}

/// Streams the workflow as YAML (the same bytes as [`to_yaml`]) into `out`, without holding the whole
/// document in memory. Wrap files in a `BufWriter`.
///
/// # Errors
/// [`CompileError::Emit`] if the serializer or the writer fails.
pub fn write_yaml<W: io::Write>(w: &Workflow, out: W) -> Result<(), CompileError> {
    serde_saphyr::to_io_writer_with_options(&mut { out }, w, yaml_options())
        .map_err(|e| CompileError::Emit(e.to_string()))
}

/// A Kubernetes manifest as YAML text, for a resource template.
pub(crate) fn manifest_text(v: &serde_json::Value) -> Result<String, CompileError> {
    serde_saphyr::to_string_with_options(v, yaml_options()).map_err(|e| CompileError::Emit(e.to_string()))
}

/// Writes a multi-line string as a YAML literal block (`|`), as kubectl users read manifests; JSON
/// gets a plain string.
pub(crate) fn literal_block<S: serde::Serializer>(text: &str, s: S) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&serde_saphyr::LitStr(text), s)
}

fn yaml_options() -> SerializerOptions {
    let mut options = SerializerOptions::default();
    options.prefer_block_scalars = false;
    options
}

/// kfp v1's component.yaml, as written: the raw shape, before any check.
pub(crate) mod raw {
    use std::collections::BTreeMap;

    use serde::{Deserialize, Serialize};
    use serde_json::Value;

    /// A value with the line and column where it was written.
    pub(crate) type At<T> = serde_saphyr::Spanned<T>;

    /// The whole file.
    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    pub(crate) struct Component {
        pub(crate) name: Option<At<Value>>,
        pub(crate) description: Option<At<Value>>,
        pub(crate) metadata: Option<At<Value>>,
        pub(crate) inputs: Option<At<Vec<At<Value>>>>,
        pub(crate) outputs: Option<At<Vec<At<Value>>>>,
        pub(crate) implementation: Option<At<Value>>,
    }

    /// What export writes.
    #[derive(Serialize, Debug)]
    pub(crate) struct Out {
        pub(crate) name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) description: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        pub(crate) metadata: Option<BTreeMap<String, BTreeMap<String, String>>>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        pub(crate) inputs: Vec<BTreeMap<String, Value>>,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        pub(crate) outputs: Vec<BTreeMap<String, Value>>,
        pub(crate) implementation: Value,
    }

    /// A location's line and column.
    pub(crate) fn line_col<T>(a: &At<T>) -> (u64, u64) {
        (a.referenced.line(), a.referenced.column())
    }

    /// Reads a component.yaml into the raw shape.
    pub(crate) fn parse(text: &str) -> Result<Component, (Option<(u64, u64)>, String)> {
        serde_saphyr::from_str::<Component>(text).map_err(|e| {
            let at = e.location().map(|l| (l.line(), l.column()));
            if let Some(msg) = in_users_terms(&e) {
                return (at, msg);
            }
            let msg = e.to_string();
            let first = msg.lines().next().unwrap_or_default().trim_start_matches("error: ").to_owned();
            // Drop the "line L column C: " the parser puts in front: the caller says where.
            let first = match first.split_once(": ") {
                Some((head, rest)) if head.starts_with("line ") => rest.to_owned(),
                _ => first,
            };
            (at, first)
        })
    }

    /// The parser's errors that would otherwise speak of its own options and counters, said in terms
    /// of the file; `None` for the others, whose text is already about the file.
    fn in_users_terms(e: &serde_saphyr::Error) -> Option<String> {
        use serde_saphyr::Error;
        use serde_saphyr::budget::BudgetBreach;
        let mut e = e;
        while let Error::WithSnippet { error, .. } | Error::AliasError { error, .. } = e {
            e = error;
        }
        let limits = serde_saphyr::Budget::default();
        let too_big = "is this the right file? A component.yaml is a few dozen lines";
        Some(match e {
            Error::DuplicateMappingKey { key: Some(k), .. } => {
                format!("key `{k}` appears twice in the same mapping: keep one")
            }
            Error::DuplicateMappingKey { key: None, .. } => {
                "a key appears twice in the same mapping: keep one".to_owned()
            }
            Error::Budget { breach, .. } => match breach {
                BudgetBreach::Nodes { .. } => {
                    format!("the file is too big: more than {} YAML nodes; {too_big}", thousands(limits.max_nodes))
                }
                BudgetBreach::Events { .. } => {
                    format!("the file is too big: more than {} YAML events; {too_big}", thousands(limits.max_events))
                }
                BudgetBreach::ScalarBytes { .. } => format!(
                    "the file is too big: more than {} bytes of text in its values; {too_big}",
                    thousands(limits.max_total_scalar_bytes)
                ),
                BudgetBreach::Depth { .. } => format!(
                    "the file nests lists and mappings more than {} deep; a component.yaml nests a few levels",
                    limits.max_depth
                ),
                BudgetBreach::Documents { .. } => format!(
                    "the file holds more than {} YAML documents (`---`); a component.yaml is one",
                    thousands(limits.max_documents)
                ),
                BudgetBreach::Aliases { .. } | BudgetBreach::Anchors { .. } | BudgetBreach::AliasAnchorRatio { .. } => {
                    "the file uses too many anchors and aliases (`&name`, `*name`): write the values out".to_owned()
                }
                _ => format!("the file is too big or too deeply nested to be a component.yaml; {too_big}"),
            },
            _ => return None,
        })
    }

    /// `250000` as `250,000`.
    fn thousands(n: usize) -> String {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        out
    }

    /// Writes a component.yaml.
    pub(crate) fn write(out: &Out) -> Result<String, String> {
        serde_saphyr::to_string_with_options(out, super::yaml_options()).map_err(|e| e.to_string())
    }
}
