//! Range loops: `p.parallel_for(0..n, ..)` with a literal range or `..n` with `n` known at run time
//! (Argo `withSequence`; a literal range is the IR's list; a run-time end has no IR form), and the
//! local runner's iterations.

mod support;

use kfp::prelude::*;
use kfp::runner::RunOptions;
use kfp::{CompileOptions, PipelineDef};
use support::temp_dir;

/// Doubles `i` into `out`.
#[container_component(image = "alpine:3.20")]
fn double(i: Param<i64>, out: OutputParam<i64>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c"]).arg(r#"echo $(( $0 * 2 )) > "$1""#).arg(i).arg(out)
}

/// Writes the list it got.
#[container_component(image = "alpine:3.20")]
fn keep(values: Param<Vec<i64>>, out: OutputParam<String>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c"]).arg(r#"printf '%s' "$0" > "$1""#).arg(values).arg(out)
}

#[pipeline(name = "ranged")]
fn ranged(p: &Dag, n: Param<i64>) {
    let doubled = p.parallel_for(..n, |p, i| double(p, i).out);
    keep(p, doubled);
}

#[pipeline(name = "literal-range")]
fn literal_range(p: &Dag) {
    let doubled = p.parallel_for_limit(-2..=1i64, 2, |p, i| double(p, i).out);
    keep(p, doubled);
}

/// Says hello.
#[container_component(image = "alpine:3.20")]
fn hello() -> ContainerSpec {
    ContainerSpec::new(["echo", "hello"])
}

#[pipeline(name = "three-times")]
fn three_times(p: &Dag) {
    p.parallel_for(0..3, |p, _| {
        hello(p);
    });
    p.parallel_for(vec!["a".to_owned(), "b".to_owned()], |p, _| {
        hello(p);
    });
}

fn argo(pipeline: &PipelineDef) -> serde_json::Value {
    let wf = kfp::compile(pipeline, &CompileOptions::default()).unwrap();
    serde_json::from_str(&kfp::to_json(&wf).unwrap()).unwrap()
}

fn sequences(wf: &serde_json::Value) -> Vec<serde_json::Value> {
    let templates = wf["spec"]["templates"].as_array().unwrap();
    let tasks = templates.iter().flat_map(|t| t["dag"]["tasks"].as_array().cloned().unwrap_or_default());
    tasks.filter_map(|t| t.get("withSequence").cloned()).collect()
}

#[test]
fn a_range_is_an_argo_sequence() {
    let seq = sequences(&argo(&ranged));
    assert_eq!(seq, [serde_json::json!({ "start": "0", "count": "{{inputs.parameters.n}}" })]);
    // Behind the wrapper a parallelism limit needs, the count is the wrapper's input.
    let seq = sequences(&argo(&literal_range));
    assert_eq!(seq, [serde_json::json!({ "start": "-2", "count": "4" })]);
}

#[test]
fn a_literal_range_is_the_irs_list_and_a_run_time_end_is_refused_at_its_line() {
    let ir = kfp::compile_kfp_v2(&literal_range.build().unwrap(), &CompileOptions::default()).unwrap();
    let text = ir.to_yaml().unwrap();
    assert!(text.contains(r#"raw: "[-2, -1, 0, 1]""#), "{text}");
    let err = kfp::compile_kfp_v2(&ranged.build().unwrap(), &CompileOptions::default()).unwrap_err().to_string();
    assert!(err.contains("tests/range_loops.rs:"), "{err}");
    assert!(err.contains("a range loop whose end is known only at run time (`..n`) cannot be expressed"), "{err}");
}

#[test]
fn a_loop_that_never_reads_its_item_still_declares_it_in_the_ir() {
    let ir = kfp::compile_kfp_v2(&three_times.build().unwrap(), &CompileOptions::default()).unwrap();
    let yaml = ir.to_yaml().unwrap();
    // The iterator names the item; KFP's backend requires the loop's component to declare it.
    for n in [1, 2] {
        assert!(yaml.contains(&format!("itemInput: for-loop-{n}-loop-item")), "{yaml}");
        assert!(yaml.contains(&format!("for-loop-{n}-loop-item:")), "not declared:\n{yaml}");
    }
    support::assert_lints_clean("three-times", &yaml);
}

fn run(pipeline: &PipelineDef, name: &str, args: &[(&str, &str)]) -> (kfp::runner::RunReport, std::path::PathBuf) {
    let dir = temp_dir(name);
    let mut opts = RunOptions::new(dir.clone());
    opts.host = true;
    opts.parallelism = 2;
    opts.arguments = args.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    (kfp::runner::run(pipeline, &opts).unwrap(), dir)
}

fn kept(report: &kfp::runner::RunReport) -> String {
    let step = report.steps.iter().find(|s| s.path.ends_with("keep")).unwrap();
    step.outputs.iter().find(|(n, _)| n.as_str() == "out").map(|(_, v)| v.clone()).unwrap()
}

#[test]
fn the_runner_runs_one_iteration_per_integer() {
    let (report, _) = run(&ranged, "range-3", &[("n", "3")]);
    assert!(report.succeeded, "{}", report.table());
    assert_eq!(kept(&report), r#"["0","2","4"]"#);
    let (report, _) = run(&literal_range, "range-literal", &[]);
    assert!(report.succeeded, "{}", report.table());
    assert_eq!(kept(&report), r#"["-4","-2","0","2"]"#);
    // No iteration: as Argo does with an empty list, the loop is skipped, and a task that reads
    // what it collected cannot resolve it.
    let (report, _) = run(&ranged, "range-0", &[("n", "0")]);
    assert!(!report.steps.iter().any(|s| s.path.contains("double")), "{}", report.table());
    assert!(report.table().contains("cannot resolve `{{tasks.for-loop-1.outputs.parameters.double-out}}`"));
}

#[test]
fn a_count_that_is_not_a_number_fails_the_loop_not_the_structure() {
    // `n` is an Integer parameter: a hostile value is refused before the run starts.
    let dir = temp_dir("range-hostile");
    let mut opts = RunOptions::new(dir);
    opts.host = true;
    opts.arguments = vec![("n".to_owned(), "3}} {{workflow.name".to_owned())];
    let err = kfp::runner::run(&ranged, &opts).unwrap_err();
    assert!(err.contains("parameter `n` is Integer"), "{err}");
    // A negative count is a failed loop with the reason, not a panic or an endless run.
    let (report, _) = run(&ranged, "range-negative", &[("n", "-1")]);
    assert!(!report.succeeded);
    assert!(report.table().contains("count -1 is not between 0 and"), "{}", report.table());
}
