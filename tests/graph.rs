//! `graph --format svg|mermaid|dot` on every example: each format names every task the compiled
//! workflow runs, the SVG is well-formed XML with a text element per task, and `-o` writes the same
//! bytes as stdout.

#[path = "graph_support/mod.rs"]
mod graph_support;
mod support;

use graph_support::{parse_xml, workflow_tasks};
use support::*;

fn graph(example: &str, format: &str) -> String {
    let out = run_example(example, &["graph", "--format", format]);
    assert!(out.status.success(), "{example} graph --format {format}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8 output")
}

#[test]
fn every_example_draws_as_svg_with_a_text_element_per_task() {
    for example in EXAMPLES {
        let tasks = workflow_tasks(&compile_example(example, &[]));
        assert!(!tasks.is_empty(), "{example}");
        let svg = graph(example, "svg");
        let elements = parse_xml(&svg).unwrap_or_else(|e| panic!("{example}: the SVG is not well-formed: {e}"));
        assert_eq!(elements[0].name, "svg", "{example}");
        assert_eq!(elements[0].attr("xmlns"), Some("http://www.w3.org/2000/svg"), "{example}");
        let names: Vec<&str> = elements
            .iter()
            .filter(|e| e.name == "text" && e.attr("class") == Some("name"))
            .map(|e| e.text.as_str())
            .collect();
        for task in &tasks {
            assert!(names.contains(&task.as_str()), "{example}: no text element for task `{task}` in {names:?}");
        }
        // One box per task: the picture draws nothing the workflow does not run.
        let boxes = elements.iter().filter(|e| e.name == "g" && e.attr("class") == Some("task")).count();
        assert_eq!(boxes, names.len(), "{example}");
        assert!(names.len() >= tasks.len(), "{example}");
    }
}

#[test]
fn every_example_draws_as_mermaid_and_dot_naming_every_task() {
    for example in EXAMPLES {
        let tasks = workflow_tasks(&compile_example(example, &[]));
        let mermaid = graph(example, "mermaid");
        let dot = graph(example, "dot");
        assert!(mermaid.starts_with("flowchart TB\n"), "{example}: {mermaid}");
        assert!(dot.starts_with("digraph \"") && dot.ends_with("}\n"), "{example}: {dot}");
        for task in &tasks {
            assert!(mermaid.contains(&format!("[\"{task}<br/>")), "{example}: `{task}` missing from\n{mermaid}");
            assert!(dot.contains(&format!("[label=\"{task}\\n")), "{example}: `{task}` missing from\n{dot}");
        }
        // Subgraphs close: as many `end` lines as `subgraph` lines; DOT blocks close.
        let opened = mermaid.lines().filter(|l| l.trim_start().starts_with("subgraph ")).count();
        let closed = mermaid.lines().filter(|l| l.trim() == "end").count();
        assert_eq!(opened, closed, "{example}: {mermaid}");
        let blocks = dot.lines().filter(|l| l.ends_with(" {")).count();
        assert_eq!(blocks, dot.lines().filter(|l| l.trim() == "}").count(), "{example}: {dot}");
    }
}

#[test]
fn scopes_are_drawn_as_boxes_with_their_labels() {
    let mermaid = graph("exit_handler", "mermaid");
    assert!(mermaid.contains("subgraph c0[\"exit handler\"]"), "{mermaid}");
    assert!(mermaid.contains("subgraph c2[\"on exit\"]"), "{mermaid}");
    // The condition tests `work.o`: an arrow from `work` into it; the exit task follows the body's
    // last task, `celebrate`, and not `work`, which the condition follows.
    assert!(mermaid.contains("  n1 -->|\"o\"| n2\n"), "{mermaid}");
    assert!(mermaid.contains("  n2 -.->|\"on exit\"| n3\n"), "{mermaid}");
    assert!(!mermaid.contains("  n1 -.->"), "{mermaid}");
    let mermaid = graph("parallel_for_outputs", "mermaid");
    assert!(mermaid.contains("subgraph c0[\"for each in plan.sweeps\"]"), "{mermaid}");
    assert!(mermaid.contains("  n0 -->|\"sweeps\"| n1\n"), "{mermaid}");
    let dot = graph("parallel_for", "dot");
    assert!(dot.contains("subgraph cluster_0 {") && dot.contains("label=\"for each in "), "{dot}");
    let svg = graph("recursion", "svg");
    assert!(svg.contains(">graph flip_until_tails</text>"), "{svg}");
    assert!(svg.contains("class=\"edge calls\""), "{svg}");
}

#[test]
fn output_file_is_written_whole_and_holds_what_stdout_shows() {
    let dir = temp_dir("graph-output");
    for format in ["svg", "mermaid", "dot"] {
        let path = dir.join(format!("linear.{format}"));
        let out = run_example("linear", &["graph", "--format", format, "-o", path.to_str().unwrap()]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stdout.is_empty());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), graph("linear", format));
    }
    // The default format is SVG.
    let out = run_example("linear", &["graph"]);
    assert!(out.status.success() && out.stdout.starts_with(b"<?xml"), "{}", String::from_utf8_lossy(&out.stdout));
    let out = run_example("linear", &["graph", "--format", "png"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("possible values: svg, mermaid, dot"));
    std::fs::remove_dir_all(&dir).ok();
}

/// The README's picture is what `train_eval graph` draws today (regenerate it with
/// `cargo run --example train_eval -- graph -o docs/graph-train_eval.svg`).
#[test]
fn the_pictures_in_docs_are_up_to_date() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/graph-train_eval.svg");
    let stored = std::fs::read_to_string(&path).expect("docs/graph-train_eval.svg");
    assert!(stored == graph("train_eval", "svg"), "{} is stale: regenerate it", path.display());
}
