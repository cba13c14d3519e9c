//! What the IR rules share: the report, paths, JSON access, name hints, cycles, quantities.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::lint::Problem;

/// The problems of one document.
pub(super) struct Report {
    document: usize,
    problems: Vec<Problem>,
}

impl Report {
    pub(super) fn new(document: usize) -> Self {
        Self { document, problems: Vec::new() }
    }

    /// Adds a problem at `path`.
    pub(super) fn add(&mut self, path: &str, rule: &'static str, message: impl Into<String>) {
        let mut p = Problem::new(path, rule, message);
        p.document = self.document;
        self.problems.push(p);
    }

    pub(super) fn into_problems(self) -> Vec<Problem> {
        self.problems
    }
}

/// `base.key`, or `base["key"]` when the key is not a plain name.
pub(super) fn key(base: &str, k: &str) -> String {
    // As ir-validate prints paths: a name starting with a letter or `_` is written plain.
    let plain = k.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    match (base.is_empty(), plain) {
        (true, true) => k.to_owned(),
        (false, true) => format!("{base}.{k}"),
        (_, false) => format!("{base}[{}]", Value::String(k.to_owned())),
    }
}

/// `base[i]`.
pub(super) fn idx(base: &str, i: usize) -> String {
    format!("{base}[{i}]")
}

/// The object `v` is, or an empty one.
pub(super) fn map(v: &Value) -> &Map<String, Value> {
    static EMPTY: OnceLock<Map<String, Value>> = OnceLock::new();
    v.as_object().unwrap_or_else(|| EMPTY.get_or_init(Map::new))
}

/// The list `v` is, or an empty one.
pub(super) fn list(v: &Value) -> &[Value] {
    v.as_array().map_or(&[], Vec::as_slice)
}

/// The string `v` is, or `""`.
pub(super) fn text(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

/// ` (did you mean 'x'?)` when one of `options` is close to `name`.
pub(super) fn hint<'a>(name: &str, options: impl IntoIterator<Item = &'a String>) -> String {
    let best = options
        .into_iter()
        .map(|o| (crate::lint::edit_distance(name, o), o))
        .filter(|(d, o)| *d * 3 <= o.chars().count().max(name.chars().count()))
        .min_by_key(|(d, _)| *d);
    best.map(|(_, o)| format!(" (did you mean '{o}'?)")).unwrap_or_default()
}

/// One node list per back edge (first node repeated at the end), nodes visited in name order.
pub(super) fn find_cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    let mut state: BTreeMap<&str, u8> = BTreeMap::new();
    let mut cycles = Vec::new();
    for start in graph.keys() {
        if state.contains_key(start.as_str()) {
            continue;
        }
        state.insert(start, 1);
        let mut stack: Vec<(&str, Vec<&str>)> = vec![(start, children(graph, start))];
        while let Some((node, rest)) = stack.last_mut() {
            let node = *node;
            match rest.pop() {
                Some(m) if state.get(m) == Some(&1) => {
                    let from = stack.iter().position(|(n, _)| *n == m).unwrap_or(0);
                    let mut cycle: Vec<String> = stack[from..].iter().map(|(n, _)| (*n).to_owned()).collect();
                    cycle.push(m.to_owned());
                    cycles.push(cycle);
                }
                Some(m) if !state.contains_key(m) => {
                    state.insert(m, 1);
                    stack.push((m, children(graph, m)));
                }
                Some(_) => {}
                None => {
                    state.insert(node, 2);
                    stack.pop();
                }
            }
        }
    }
    cycles
}

fn children<'a>(graph: &'a BTreeMap<String, BTreeSet<String>>, node: &str) -> Vec<&'a str> {
    // Reversed, so that popping visits them in name order.
    graph
        .get(node)
        .map_or_else(Vec::new, |c| c.iter().rev().map(String::as_str).filter(|m| graph.contains_key(*m)).collect())
}

/// A Kubernetes quantity: `500m`, `2`, `4Gi`, `1e3`.
pub(super) fn is_quantity(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let digits = s.find(|c: char| !c.is_ascii_digit() && c != '.').unwrap_or(s.len());
    let (number, suffix) = s.split_at(digits);
    let number_ok = match number.split_once('.') {
        Some((a, b)) => !(b.contains('.') || a.is_empty() && b.is_empty()),
        None => !number.is_empty(),
    };
    let suffix_ok = matches!(
        suffix,
        "" | "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" | "n" | "u" | "m" | "k" | "M" | "G" | "T" | "P" | "E"
    ) || suffix
        .strip_prefix(['e', 'E'])
        .map(|e| e.strip_prefix(['+', '-']).unwrap_or(e))
        .is_some_and(|e| !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit()));
    number_ok && suffix_ok
}

/// A protobuf `Duration` string: `30s`, `1.5s`, `-2s`.
pub(super) fn is_duration(s: &str) -> bool {
    let Some(n) = s.strip_suffix('s') else { return false };
    let n = n.strip_prefix('-').unwrap_or(n);
    let (whole, frac) = n.split_once('.').unwrap_or((n, "x"));
    let frac_ok = frac == "x" || (!frac.is_empty() && frac.len() <= 9 && frac.bytes().all(|b| b.is_ascii_digit()));
    !whole.is_empty() && whole.bytes().all(|b| b.is_ascii_digit()) && frac_ok
}

/// Every `{{$...}}` in `s`: the text between `{{$` and `}}` (without braces inside).
pub(super) fn placeholders(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(start) = rest.find("{{$") {
        let body = &rest[start + 3..];
        match body.find(['{', '}']) {
            Some(end) if body[end..].starts_with("}}") => {
                out.push(&body[..end]);
                rest = &body[end + 2..];
            }
            Some(end) => rest = &body[end..],
            None => break,
        }
    }
    out
}

/// `.inputs.parameters['x'].rest` split into (`inputs`, `parameters`, `x`, `.rest`).
pub(super) fn io_placeholder(body: &str) -> Option<(&str, &str, &str, &str)> {
    let rest = body.strip_prefix('.')?;
    let (io, rest) = rest.split_once('.')?;
    let (space, rest) = rest.split_once("['")?;
    let (name, rest) = rest.split_once("']")?;
    let ok = matches!(io, "inputs" | "outputs") && matches!(space, "parameters" | "artifacts") && !name.contains('\'');
    ok.then_some((io, space, name, rest))
}

/// The strings in a JSON value, deep.
pub(super) fn strings_in(v: &Value) -> Vec<&str> {
    match v {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().flat_map(strings_in).collect(),
        Value::Object(o) => o.values().flat_map(strings_in).collect(),
        _ => Vec::new(),
    }
}

/// A short rendering of a value for a message.
pub(super) fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 40 { format!("{}...", s.chars().take(37).collect::<String>()) } else { s }
}

/// Letters, digits and `-`, starting with `first` (a letter or digit, or only a letter).
pub(super) fn is_name(s: &str, first_letter_only: bool) -> bool {
    let mut chars = s.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || (!first_letter_only && c.is_ascii_digit()));
    first_ok && chars.all(|c| c.is_ascii_alphanumeric() || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantities_and_durations() {
        for q in ["500m", "2", "4Gi", "1e3", "0.5", ".5", "+1k"] {
            assert!(is_quantity(q), "{q}");
        }
        for q in ["16 GB", "", "Gi", "1.2.3", "4gi", "1e"] {
            assert!(!is_quantity(q), "{q}");
        }
        assert!(is_duration("30s") && is_duration("1.5s") && is_duration("-2s"));
        assert!(!is_duration("30") && !is_duration("1m") && !is_duration("s"));
    }

    #[test]
    fn placeholders_and_hints() {
        assert_eq!(
            placeholders("a {{$.inputs.parameters['x']}} {{$}} {{$.outputs.artifacts['y'].path}}"),
            [".inputs.parameters['x']", "", ".outputs.artifacts['y'].path"]
        );
        assert_eq!(io_placeholder(".outputs.artifacts['y'].path"), Some(("outputs", "artifacts", "y", ".path")));
        assert_eq!(
            hint("componentRefs", &["componentRef".to_owned(), "inputs".to_owned()]),
            " (did you mean 'componentRef'?)"
        );
        assert_eq!(hint("zzz", &["componentRef".to_owned()]), "");
        assert_eq!(key("root.dag.tasks", "a b"), r#"root.dag.tasks["a b"]"#);
    }

    #[test]
    fn cycles_are_found_once_per_back_edge() {
        let g: BTreeMap<String, BTreeSet<String>> =
            [("a", vec!["b"]), ("b", vec!["c"]), ("c", vec!["a"]), ("d", vec![])]
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.into_iter().map(str::to_owned).collect()))
                .collect();
        assert_eq!(find_cycles(&g), [["a", "b", "c", "a"]]);
    }
}
