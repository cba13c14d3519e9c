//! kfp v1's component.yaml, as written: the raw shape, before any check, read and written with the
//! YAML library.

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
        Error::DuplicateMappingKey { key: None, .. } => "a key appears twice in the same mapping: keep one".to_owned(),
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
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Writes a component.yaml.
pub(crate) fn write(out: &Out) -> Result<String, String> {
    serde_saphyr::to_string_with_options(out, crate::yaml::options()).map_err(|e| e.to_string())
}
