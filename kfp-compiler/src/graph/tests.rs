//! Unit tests of the pictures: what each format holds for a small pipeline, and escaping of hostile
//! names.

use kfp_dsl::{ComponentSpec, DynArg, Param, Pipeline};

use super::{EdgeKind, build, layout, to_dot, to_mermaid, to_svg};
use crate::parse_component;

fn spec(yaml: &str) -> ComponentSpec {
    parse_component(yaml).unwrap()
}

fn prep() -> ComponentSpec {
    spec(
        "name: prep\noutputs:\n- {name: data, type: Dataset}\nimplementation:\n  container:\n    image: alpine\n    \
         command: [sh, -c, 'echo > $0', {outputPath: data}]\n",
    )
}

fn train() -> ComponentSpec {
    spec(
        "name: train\ninputs:\n- {name: data, type: Dataset}\noutputs:\n- {name: model, type: Model}\n- {name: score, \
         type: Float}\nimplementation:\n  container:\n    image: alpine\n    command: [sh, -c, 'true', {inputPath: \
         data}, {outputPath: model}, {outputPath: score}]\n",
    )
}

fn echo() -> ComponentSpec {
    spec(
        "name: echo\ninputs:\n- {name: msg, type: String}\nimplementation:\n  container:\n    image: alpine\n    \
         command: [echo, {inputValue: msg}]\n",
    )
}

fn deploy() -> ComponentSpec {
    spec(
        "name: deploy\ninputs:\n- {name: accuracy, type: Float}\nimplementation:\n  container:\n    image: alpine\n    \
         command: [echo, {inputValue: accuracy}]\n",
    )
}

/// prep -> train (a dataset), a loop of echoes, a condition on the score, all in an exit handler.
fn small() -> Pipeline {
    Pipeline::build("small", None, |p| {
        p.exit_handler(
            |p, status| {
                let _ = p.call_component(&echo(), [("msg", DynArg::from(status))]).task_name("notify");
            },
            |p| {
                let d = p.call_component(&prep(), []);
                let t = p.call_component(&train(), [("data", d.artifact::<kfp_dsl::Dataset>("data").into())]);
                let score: Param<f64> = t.output("score");
                p.parallel_for(vec!["a".to_owned(), "b".to_owned()], |p, item| {
                    let _ = p.call_component(&echo(), [("msg", DynArg::from(item))]).task_name("say");
                });
                p.condition(score.gt(0.5), |p| {
                    let _ = p.call_component(&deploy(), [("accuracy", DynArg::from(score))]);
                });
            },
        );
    })
    .unwrap()
}

#[test]
fn the_graph_has_every_task_scope_and_labelled_dependency() {
    let g = build::build(&small()).unwrap();
    let names: Vec<&str> = g.nodes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(names, ["prep", "train", "say", "deploy", "notify"]);
    let labels: Vec<&str> = g.clusters.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["exit handler", "for each in [\"a\",\"b\"]", "if train.score > 0.5", "on exit"]);
    // The loop and the condition are inside the exit handler's body; the exit tasks beside it.
    assert_eq!(g.clusters[1].parent, Some(0));
    assert_eq!(g.clusters[2].parent, Some(0));
    assert_eq!(g.clusters[3].parent, None);
    let edge = |from: &str, to: &str| {
        let at = |n: &str| names.iter().position(|x| *x == n).unwrap();
        g.edges.iter().find(|e| e.from == at(from) && e.to == at(to)).map(|e| (e.kind, e.label.as_str()))
    };
    assert_eq!(edge("prep", "train"), Some((EdgeKind::Data, "data")));
    assert_eq!(edge("train", "deploy"), Some((EdgeKind::Data, "score→accuracy")));
    // Every last task of the body leads to the exit task.
    assert_eq!(edge("deploy", "notify"), Some((EdgeKind::Exit, "on exit")));
    assert_eq!(edge("say", "notify"), Some((EdgeKind::Exit, "on exit")));
    assert_eq!(edge("train", "notify"), None);
}

#[test]
fn mermaid_nests_subgraphs_and_labels_edges() {
    let text = to_mermaid(&small()).unwrap();
    assert!(text.starts_with("flowchart TB\n"), "{text}");
    assert!(text.contains("  subgraph c0[\"exit handler\"]\n    n0[\"prep<br/>prep\"]"), "{text}");
    assert!(
        text.contains("    subgraph c2[\"if train.score #62; 0.5\"]\n      n3[\"deploy<br/>deploy\"]\n    end"),
        "{text}"
    );
    assert!(text.contains("  n0 -->|\"data\"| n1\n"), "{text}");
    assert!(text.contains("  n1 -->|\"score→accuracy\"| n3\n"), "{text}");
    assert!(text.contains("  n3 -.->|\"on exit\"| n4\n"), "{text}");
    assert_eq!(text.matches("subgraph").count(), text.matches("\n  end\n").count() + 2, "{text}");
}

#[test]
fn dot_has_clusters_nodes_and_labelled_edges() {
    let text = to_dot(&small()).unwrap();
    assert!(text.starts_with("digraph \"small\" {\n"), "{text}");
    assert!(text.contains("subgraph cluster_1 {\n      label=\"for each in [\\\"a\\\",\\\"b\\\"]\";"), "{text}");
    assert!(text.contains("n2 [label=\"say\\necho\"];"), "{text}");
    assert!(text.contains("  n0 -> n1 [label=\"data\"];\n"), "{text}");
    assert!(text.contains("  n3 -> n4 [label=\"on exit\", style=dashed];\n"), "{text}");
    assert_eq!(text.matches('{').count(), text.matches('}').count(), "{text}");
}

#[test]
fn svg_has_a_box_and_text_per_task_and_boxes_nest() {
    let p = small();
    let text = to_svg(&p).unwrap();
    assert!(text.starts_with("<?xml") && text.trim_end().ends_with("</svg>"), "{text}");
    for name in ["prep", "train", "say", "deploy", "notify"] {
        assert!(text.contains(&format!(">{name}</text>")), "{name}: {text}");
    }
    assert_eq!(text.matches("<g class=\"task\">").count(), 5);
    assert_eq!(text.matches("<rect class=\"scope\"").count(), 4);
    assert!(text.contains(">data</text>") && text.contains(">score→accuracy</text>"), "{text}");

    let g = build::build(&p).unwrap();
    let at = layout::layout(&g);
    let inside =
        |a: layout::Rect, b: layout::Rect| a.x >= b.x && a.y >= b.y && a.x + a.w <= b.x + b.w && a.y + a.h <= b.y + b.h;
    let apart =
        |a: layout::Rect, b: layout::Rect| a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
    for (i, n) in g.nodes.iter().enumerate() {
        for c in g.ancestors(n.cluster) {
            assert!(inside(at.nodes[i], at.clusters[c]), "{} outside box {c}", n.name);
        }
        for (j, m) in at.nodes.iter().enumerate().skip(i + 1) {
            assert!(apart(at.nodes[i], *m), "{} overlaps {}", n.name, g.nodes[j].name);
        }
        let r = at.nodes[i];
        assert!(r.x >= 0.0 && r.y >= 0.0 && r.x + r.w <= at.size.0 && r.y + r.h <= at.size.1);
    }
    // The condition and the loop sit side by side in the body, not on top of each other.
    assert!(apart(at.clusters[1], at.clusters[2]));
    assert!(apart(at.clusters[0], at.clusters[3]));
    // Dependencies point down: train is below prep.
    assert!(at.nodes[1].y > at.nodes[0].y + at.nodes[0].h);
}

#[test]
fn the_layout_is_deterministic() {
    assert_eq!(to_svg(&small()).unwrap(), to_svg(&small()).unwrap());
}

#[test]
fn hostile_names_and_labels_are_escaped_in_every_format() {
    let evil = "\"];evil <b>&x</b>|`#\\N\n}";
    let p = Pipeline::build("\"]; digraph x {", None, |p| {
        let _ = p.call_component(&echo(), [("msg", DynArg::from("hi"))]).display_name(evil);
    })
    .unwrap();

    let mermaid = to_mermaid(&p).unwrap();
    let node = mermaid.lines().find(|l| l.trim_start().starts_with("n0[")).unwrap();
    // One quoted label: no quote, bracket, markup or line break of the name's survives.
    assert_eq!(node.matches('"').count(), 2, "{node}");
    let inner = &node[node.find('"').unwrap() + 1..node.rfind('"').unwrap()];
    let mut plain = inner.replace("<br/>", "");
    while let Some(i) = plain.find('#') {
        let end = i + plain[i..].find(';').expect("an entity ends in `;`");
        assert!(plain[i + 1..end].chars().all(|c| c.is_ascii_digit()), "{inner}");
        plain.replace_range(i..=end, "");
    }
    assert!(!plain.contains(['"', '<', '>', '[', ']', '|', ';', '`', '\n', '{', '}', '\\']), "{plain}");
    assert!(inner.contains("#34;#93;#59;evil #60;b#62;#38;x#60;/b#62;#124;#96;#35;#92;N #125;"), "{inner}");
    assert_eq!(mermaid.lines().count(), 2, "{mermaid}");

    let dot = to_dot(&p).unwrap();
    assert!(dot.contains("  n0 [label=\"echo\\n\\\"];evil <b>&x</b>|`#\\\\N }\"];\n"), "{dot}");
    assert!(dot.starts_with("digraph \"\\\"]; digraph x {\" {\n"), "{dot}");
    // Every quote of the user's text is escaped: unescaped quotes pair up on each line.
    for line in dot.lines() {
        let unescaped = line.replace("\\\\", "").replace("\\\"", "");
        assert_eq!(unescaped.matches('"').count() % 2, 0, "{line}");
    }

    let svg = to_svg(&p).unwrap();
    assert!(svg.contains("&quot;];evil &lt;b&gt;&amp;x&lt;/b&gt;|`#\\N }</text>"), "{svg}");
    assert!(!svg.contains("<b>") && !svg.contains("evil\n"), "{svg}");
    assert!(svg.contains("<title>&quot;]; digraph x {</title>"), "{svg}");
}

#[test]
fn control_characters_cannot_break_the_xml() {
    assert_eq!(super::svg::escape("a\u{1}b\u{FFFF}'"), "a\u{FFFD}b\u{FFFD}&apos;");
    assert_eq!(super::dot::escape("a\\\"\u{7}"), "a\\\\\\\" ");
    assert_eq!(super::mermaid::escape("x\r\n\"y\""), "x  #34;y#34;");
}

#[test]
fn a_pipeline_that_cannot_compile_is_refused_with_the_compilers_error() {
    let p = Pipeline::build("empty", None, |_| {}).unwrap();
    let err = to_mermaid(&p).unwrap_err();
    assert!(err.to_string().contains("empty"), "{err}");
    assert!(to_svg(&p).is_err() && to_dot(&p).is_err());
}

#[test]
fn what_a_condition_tests_flows_into_its_first_tasks() {
    let p = Pipeline::build("tested", None, |p| {
        let d = p.call_component(&prep(), []);
        let t = p.call_component(&train(), [("data", d.artifact::<kfp_dsl::Dataset>("data").into())]);
        let score: Param<f64> = t.output("score");
        p.condition(score.lt(0.1), |p| {
            let _ = p.call_component(&echo(), [("msg", DynArg::from("low"))]).task_name("retrain");
        });
    })
    .unwrap();
    let g = build::build(&p).unwrap();
    let e: Vec<(usize, usize, EdgeKind, &str)> =
        g.edges.iter().map(|e| (e.from, e.to, e.kind, e.label.as_str())).collect();
    assert_eq!(e, [(0, 1, EdgeKind::Data, "data"), (1, 2, EdgeKind::Data, "score")]);
    assert_eq!(g.clusters[0].label, "if train.score < 0.1");
}

#[test]
fn an_arrow_bends_around_a_box_in_its_way() {
    use layout::Rect;
    let (a, b) = (Rect { x: 0.0, y: 0.0, w: 100.0, h: 40.0 }, Rect { x: 0.0, y: 200.0, w: 100.0, h: 40.0 });
    let between = Rect { x: 10.0, y: 100.0, w: 100.0, h: 40.0 };
    let (free, _, _) = super::svg::curve(a, b, &[]);
    assert_eq!(free.matches('C').count(), 1, "{free}");
    let (bent, label, anchor) = super::svg::curve(a, b, &[between]);
    assert_eq!(anchor, "start");
    assert_eq!(bent.matches('C').count(), 2, "{bent}");
    // Through a point beside the box (to its right: there is no room on the left), level with it.
    assert!(label.0 >= between.x + between.w && label.1 >= between.y && label.1 <= between.y + between.h, "{label:?}");
}

#[test]
fn a_large_pipeline_is_drawn_quickly() {
    // A chain of 1000 tasks, each reading the previous one's output.
    let relay = relay();
    let p = Pipeline::build("large", None, |p| {
        let mut last: Option<Param<String>> = None;
        for _ in 0..1000 {
            let arg = last.map_or_else(|| DynArg::from("start"), DynArg::from);
            last = Some(p.call_component(&relay, [("x", arg)]).output("out"));
        }
    })
    .unwrap();
    let start = std::time::Instant::now();
    let svg = to_svg(&p).unwrap();
    assert_eq!(svg.matches("<g class=\"task\">").count(), 1000);
    assert!(start.elapsed() < std::time::Duration::from_secs(20), "{:?}", start.elapsed());
}

fn relay() -> ComponentSpec {
    spec(
        "name: relay\ninputs:\n- {name: x, type: String}\noutputs:\n- {name: out, type: String}\nimplementation:\n  \
         container:\n    image: alpine\n    command: [sh, -c, 'echo $0 > $1', {inputValue: x}, {outputPath: out}]\n",
    )
}
