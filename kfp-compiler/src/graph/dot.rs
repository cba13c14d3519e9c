//! Writes the [`Graph`] as Graphviz DOT: tasks as rounded boxes, scopes as nested `cluster_`
//! subgraphs, arrows labelled with the values passed (`dot -Tsvg` draws it).

use std::fmt::Write;

use super::{EdgeKind, Graph};

/// The DOT text.
pub(crate) fn write(g: &Graph) -> String {
    let mut out = String::new();
    let title = escape(&g.title);
    let _ = writeln!(out, "digraph \"{title}\" {{");
    let _ = writeln!(out, "  graph [rankdir=TB, label=\"{title}\", labelloc=t, fontname=\"Helvetica\"];");
    out.push_str("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#eef3fb\", fontname=\"Helvetica\"];\n");
    out.push_str("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    write_members(g, None, 1, &mut out);
    for e in &g.edges {
        let mut attrs = Vec::new();
        if !e.label.is_empty() {
            attrs.push(format!("label=\"{}\"", escape(&e.label)));
        }
        match e.kind {
            EdgeKind::Data => {}
            EdgeKind::After | EdgeKind::Exit => attrs.push("style=dashed".to_owned()),
            EdgeKind::Trigger => attrs.push("style=dashed, color=\"#b35900\"".to_owned()),
            EdgeKind::Calls => attrs.push("style=bold, color=\"#555555\"".to_owned()),
        }
        let attrs = if attrs.is_empty() { String::new() } else { format!(" [{}]", attrs.join(", ")) };
        let _ = writeln!(out, "  n{} -> n{}{attrs};", e.from, e.to);
    }
    out.push_str("}\n");
    out
}

/// The tasks directly in `cluster`, then its child clusters, each as a `subgraph cluster_N`.
fn write_members(g: &Graph, cluster: Option<usize>, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    for (i, n) in g.nodes.iter().enumerate().filter(|(_, n)| n.cluster == cluster) {
        let shape = if n.calls_graph { ", peripheries=2" } else { "" };
        let _ = writeln!(out, "{pad}n{i} [label=\"{}\\n{}\"{shape}];", escape(&n.name), escape(&n.detail));
    }
    for (c, cl) in g.clusters.iter().enumerate().filter(|(_, c)| c.parent == cluster) {
        let _ = writeln!(out, "{pad}subgraph cluster_{c} {{");
        let _ = writeln!(out, "{pad}  label=\"{}\";", escape(&cl.label));
        let _ = writeln!(out, "{pad}  style=\"rounded,dashed\"; color=\"#7a8aa6\";");
        write_members(g, Some(c), depth + 1, out);
        let _ = writeln!(out, "{pad}}}");
    }
}

/// Text safe inside a quoted DOT string: backslashes (so no `\N`-style escape is read) and quotes
/// escaped; line breaks and other control characters as spaces.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
