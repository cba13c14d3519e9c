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
        let others: Vec<Rect> =
            at.nodes.iter().enumerate().filter(|(i, _)| *i != e.from && *i != e.to).map(|(_, r)| *r).collect();
        let (path, mid, anchor) = curve(at.nodes[e.from], at.nodes[e.to], &others);
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
                "<text class=\"edge-label\" x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"{anchor}\">{}</text>",
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

/// A point.
type Pt = (f64, f64);

/// An arrow from `a` to `b` as a cubic curve (bottom to top; an arrow that goes up, as a recursive
/// call does, loops out to the right), and where its label goes (the point and its `text-anchor`).
/// A downward arrow that would cross another task's box bends through a point beside the boxes in
/// its way.
pub(super) fn curve(a: Rect, b: Rect, others: &[Rect]) -> (String, Pt, &'static str) {
    let fmt = |p: Pt| format!("{:.1},{:.1}", p.0, p.1);
    if b.y < a.y + a.h {
        let (s, t) = ((a.x + a.w, a.y + a.h / 2.0), (b.x + b.w, b.y + b.h / 2.0));
        let out = s.0.max(t.0) + 60.0;
        let c = [s, (out, s.1), (out, t.1), t];
        return (format!("M{} C{} {} {}", fmt(c[0]), fmt(c[1]), fmt(c[2]), fmt(c[3])), point(&c, 0.5), "middle");
    }
    let (s, t) = ((a.x + a.w / 2.0, a.y + a.h), (b.x + b.w / 2.0, b.y));
    let dy = ((t.1 - s.1) / 2.0).max(20.0);
    let c = [s, (s.0, s.1 + dy), (t.0, t.1 - dy), t];
    // A curve lies within its control points' box: only boxes that meet it are sampled.
    let (lo_x, hi_x) = (s.0.min(t.0) - 4.0, s.0.max(t.0) + 4.0);
    let near = |r: &&Rect| r.x < hi_x && r.x + r.w > lo_x && r.y < t.1 && r.y + r.h > s.1;
    let blocked: Vec<Rect> = others.iter().filter(near).copied().filter(|r| crosses(&c, *r)).collect();
    if blocked.is_empty() {
        return (format!("M{} C{} {} {}", fmt(c[0]), fmt(c[1]), fmt(c[2]), fmt(c[3])), point(&c, 0.5), "middle");
    }
    let left = blocked.iter().map(|r| r.x).fold(f64::INFINITY, f64::min) - 18.0;
    let right = blocked.iter().map(|r| r.x + r.w).fold(f64::NEG_INFINITY, f64::max) + 18.0;
    let straight = (s.0 + t.0) / 2.0;
    let wx = if (straight - left).abs() < (right - straight).abs() && left > 0.0 { left } else { right };
    let top = blocked.iter().map(|r| r.y).fold(f64::INFINITY, f64::min);
    let bottom = blocked.iter().map(|r| r.y + r.h).fold(f64::NEG_INFINITY, f64::max);
    let w = (wx, ((top + bottom) / 2.0).clamp(s.1 + 10.0, t.1 - 10.0));
    let (d1, d2) = ((w.1 - s.1) / 2.0, (t.1 - w.1) / 2.0);
    let path = format!(
        "M{} C{} {} {} C{} {} {}",
        fmt(s),
        fmt((s.0, s.1 + d1)),
        fmt((w.0, w.1 - d1)),
        fmt(w),
        fmt((w.0, w.1 + d2)),
        fmt((t.0, t.1 - d2)),
        fmt(t)
    );
    // The label beside the bend, away from the boxes.
    if wx == right { (path, (w.0 + 4.0, w.1), "start") } else { (path, (w.0 - 4.0, w.1), "end") }
}

/// The point at `t` of a cubic curve.
fn point(c: &[Pt; 4], t: f64) -> Pt {
    let u = 1.0 - t;
    let (a, b, cc, d) = (u * u * u, 3.0 * u * u * t, 3.0 * u * t * t, t * t * t);
    (a * c[0].0 + b * c[1].0 + cc * c[2].0 + d * c[3].0, a * c[0].1 + b * c[1].1 + cc * c[2].1 + d * c[3].1)
}

/// Whether the curve passes through the box `r` (sampled).
fn crosses(c: &[Pt; 4], r: Rect) -> bool {
    (1..40)
        .map(|i| point(c, f64::from(i) / 40.0))
        .any(|(x, y)| x > r.x - 4.0 && x < r.x + r.w + 4.0 && y > r.y && y < r.y + r.h)
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
