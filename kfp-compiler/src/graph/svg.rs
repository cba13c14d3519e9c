//! Writes the laid-out [`Graph`] as a standalone SVG document: nested boxes for scopes, rounded boxes
//! for tasks (a double border for graph calls), curved arrows labelled with the values passed.

use std::fmt::Write;

use super::layout::{HEADER_H, Placed, Rect, TITLE_H};
use super::{EdgeKind, Graph};

const STYLE: &str = "\
.title{font-weight:bold;font-size:14px;fill:#1d2433}\
.scope{stroke:#7a8aa6;stroke-dasharray:5 3;stroke-width:1}\
.scope-label{fill:#3b4a66;font-size:11px}\
.task rect{fill:#eef3fb;stroke:#3b5b92;stroke-width:1.2}\
.task .name{fill:#10203a;font-weight:bold}\
.task .detail{fill:#4d5b73;font-size:11px}\
.edge{fill:none;stroke:#4a5a78;stroke-width:1.3}\
.edge.after{stroke-dasharray:6 4}\
.edge.trigger{stroke:#b35900;stroke-dasharray:6 4}\
.edge.exit{stroke:#7b3fa0;stroke-dasharray:3 3}\
.edge.calls{stroke:#555;stroke-width:2.2}\
.edge-label{font-size:10px;fill:#2b3547;paint-order:stroke;stroke:#fff;stroke-width:3px}";

const FILLS: [&str; 3] = ["#f6f8fc", "#ecf0f8", "#e1e8f3"];

/// The SVG document.
pub(crate) fn write(g: &Graph, at: &Placed) -> String {
    let (w, h) = at.size;
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w:.0}\" height=\"{h:.0}\" viewBox=\"0 0 {w:.0} {h:.0}\" \
         font-family=\"monospace\" font-size=\"12\">"
    );
    let _ = writeln!(out, "<title>{}</title>", escape(&g.title));
    let _ = writeln!(out, "<style>{STYLE}</style>");
    out.push_str(
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" \
         markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#4a5a78\"/></marker></defs>\n",
    );
    let _ = writeln!(out, "<rect width=\"{w:.0}\" height=\"{h:.0}\" fill=\"#ffffff\"/>");
    let _ =
        writeln!(out, "<text class=\"title\" x=\"20\" y=\"{:.1}\">{}</text>", TITLE_H / 2.0 + 8.0, escape(&g.title));
    for (c, r) in at.clusters.iter().enumerate() {
        let depth = g.ancestors(Some(c)).len() - 1;
        let _ = writeln!(
            out,
            "<g class=\"scope-box\"><rect class=\"scope\" x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"8\" \
             fill=\"{}\"/><text class=\"scope-label\" x=\"{:.1}\" y=\"{:.1}\">{}</text></g>",
            r.x,
            r.y,
            r.w,
            r.h,
            FILLS[depth % FILLS.len()],
            r.x + 10.0,
            r.y + HEADER_H - 6.0,
            escape(&g.clusters[c].label)
        );
    }
    for e in &g.edges {
        let (path, mid) = curve(at.nodes[e.from], at.nodes[e.to]);
        let class = match e.kind {
            EdgeKind::Data => "edge",
            EdgeKind::After => "edge after",
            EdgeKind::Trigger => "edge trigger",
            EdgeKind::Exit => "edge exit",
            EdgeKind::Calls => "edge calls",
        };
        let _ = writeln!(out, "<path class=\"{class}\" d=\"{path}\" marker-end=\"url(#arrow)\"/>");
        if !e.label.is_empty() {
            let _ = writeln!(
                out,
                "<text class=\"edge-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>",
                mid.0,
                mid.1 + 4.0,
                escape(&e.label)
            );
        }
    }
    for (n, node) in g.nodes.iter().enumerate() {
        let r = at.nodes[n];
        let cx = r.x + r.w / 2.0;
        let _ = write!(out, "<g class=\"task\"><title>{}</title>", escape(&node.name));
        let _ = write!(
            out,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"6\"/>",
            r.x, r.y, r.w, r.h
        );
        if node.calls_graph {
            let _ = write!(
                out,
                "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" rx=\"4\"/>",
                r.x + 3.0,
                r.y + 3.0,
                r.w - 6.0,
                r.h - 6.0
            );
        }
        let _ = writeln!(
            out,
            "<text class=\"name\" x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text>\
             <text class=\"detail\" x=\"{cx:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{}</text></g>",
            r.y + 18.0,
            escape(&node.name),
            r.y + 34.0,
            escape(&node.detail)
        );
    }
    out.push_str("</svg>\n");
    out
}

/// An arrow from `a` to `b` as a cubic curve (bottom to top; an arrow that goes up, as a recursive
/// call does, loops out to the right), and its midpoint for the label.
fn curve(a: Rect, b: Rect) -> (String, (f64, f64)) {
    let (p0, p1, p2, p3) = if b.y >= a.y + a.h {
        let (sx, sy) = (a.x + a.w / 2.0, a.y + a.h);
        let (tx, ty) = (b.x + b.w / 2.0, b.y);
        let dy = ((ty - sy) / 2.0).max(20.0);
        ((sx, sy), (sx, sy + dy), (tx, ty - dy), (tx, ty))
    } else {
        let (sx, sy) = (a.x + a.w, a.y + a.h / 2.0);
        let (tx, ty) = (b.x + b.w, b.y + b.h / 2.0);
        let out = sx.max(tx) + 60.0;
        ((sx, sy), (out, sy), (out, ty), (tx, ty))
    };
    let mid = ((p0.0 + 3.0 * p1.0 + 3.0 * p2.0 + p3.0) / 8.0, (p0.1 + 3.0 * p1.1 + 3.0 * p2.1 + p3.1) / 8.0);
    let d =
        format!("M{:.1},{:.1} C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}", p0.0, p0.1, p1.0, p1.1, p2.0, p2.1, p3.0, p3.1);
    (d, mid)
}

/// Text safe in XML content and attribute values: markup characters as entities, characters XML 1.0
/// does not allow (most control characters, U+FFFE, U+FFFF) as U+FFFD.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}
