//! Writes the [`Graph`] as a Mermaid flowchart: tasks as boxes (`[[...]]` for graph calls), scopes as
//! nested `subgraph`s, arrows labelled with the values passed.

use std::fmt::Write;

use super::{EdgeKind, Graph};

/// The flowchart text.
pub(crate) fn write(g: &Graph) -> String {
    let mut out = String::from("flowchart TB\n");
    write_members(g, None, 1, &mut out);
    for e in &g.edges {
        let arrow = match e.kind {
            EdgeKind::Data => "-->",
            EdgeKind::After | EdgeKind::Trigger | EdgeKind::Exit => "-.->",
            EdgeKind::Calls => "==>",
        };
        if e.label.is_empty() {
            let _ = writeln!(out, "  n{} {arrow} n{}", e.from, e.to);
        } else {
            let _ = writeln!(out, "  n{} {arrow}|\"{}\"| n{}", e.from, escape(&e.label), e.to);
        }
    }
    out
}

/// The tasks directly in `cluster`, then its child clusters, each as a `subgraph`.
fn write_members(g: &Graph, cluster: Option<usize>, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    for (i, n) in g.nodes.iter().enumerate().filter(|(_, n)| n.cluster == cluster) {
        let text = format!("{}<br/>{}", escape(&n.name), escape(&n.detail));
        let (open, close) = if n.calls_graph { ("[[", "]]") } else { ("[", "]") };
        let _ = writeln!(out, "{pad}n{i}{open}\"{text}\"{close}");
    }
    for (c, cl) in g.clusters.iter().enumerate().filter(|(_, c)| c.parent == cluster) {
        let _ = writeln!(out, "{pad}subgraph c{c}[\"{}\"]", escape(&cl.label));
        write_members(g, Some(c), depth + 1, out);
        let _ = writeln!(out, "{pad}end");
    }
}

/// Text safe inside a quoted Mermaid label: quotes, markup, `#`, `|`, `;` and backticks as Mermaid's
/// `#code;` entities; line breaks and other control characters as spaces.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '"' | '#' | '<' | '>' | '&' | '|' | ';' | '`' | '\\' | '{' | '}' | '[' | ']' => {
                let _ = write!(out, "#{};", ch as u32);
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
