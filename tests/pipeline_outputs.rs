//! Pipeline outputs: what a `#[pipeline]` function returns is the run's outputs (Argo: the entry
//! template's outputs; the IR: the root's outputs), a pipeline runs inside another as a graph
//! component (`name::call`), and the local runner reports the outputs.

mod support;

use kfp::prelude::*;
use kfp::runner::RunOptions;
use kfp::{CompileOptions, PipelineDef};
use support::temp_dir;

/// Writes `n` into a file and returns `n * 10`.
#[container_component(image = "alpine:3.20")]
fn make(n: Param<i64>, data: Output<Dataset>, output: OutputParam<i64>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c"])
        .arg(r#"mkdir -p "$(dirname "$1")" "$(dirname "$2")" && echo "n=$0" > "$1" && echo $(( $0 * 10 )) > "$2""#)
        .arg(n)
        .arg(data)
        .arg(output)
}

/// Reads a file back.
#[container_component(image = "alpine:3.20")]
fn read(data: Input<Dataset>, output: OutputParam<String>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c"]).arg(r#"mkdir -p "$(dirname "$1")" && cat "$0" > "$1""#).arg(data).arg(output)
}

#[derive(GraphOutputs)]
struct Made {
    data: Artifact<Dataset>,
    score: Param<i64>,
}

#[pipeline(name = "inner")]
fn inner(p: &Dag, n: Param<i64>) -> Made {
    let m = make(p, n);
    Made { data: m.data, score: m.output }
}

/// Runs `inner` twice and reads what the second made: the outputs are a tuple.
#[pipeline(name = "outer")]
fn outer(p: &Dag) -> (Param<String>, Param<i64>, Artifact<Dataset>) {
    let first = inner::call(p, 1i64);
    let second = inner::call(p, 2i64);
    let text = read(p, second.data);
    (text.output, first.score, second.data)
}

/// A graph component may return an artifact too.
#[graph_component]
fn make_twice(p: &Dag, n: Param<i64>) -> Artifact<Dataset> {
    let a = make(p, n);
    make(p, a.output).data
}

#[pipeline(name = "graph-artifact")]
fn graph_artifact(p: &Dag) -> Param<String> {
    let made = make_twice(p, 3i64);
    read(p, made.output).output
}

fn argo(pipeline: &PipelineDef) -> serde_json::Value {
    let wf = kfp::compile(pipeline, &CompileOptions::default()).unwrap();
    serde_json::from_str(&kfp::to_json(&wf).unwrap()).unwrap()
}

fn ir(pipeline: &PipelineDef) -> serde_json::Value {
    let yaml = kfp::compile_kfp_v2(&pipeline.build().unwrap(), &CompileOptions::default()).unwrap();
    support::read_yaml(&yaml.to_yaml().unwrap())
}

fn template<'a>(wf: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    wf["spec"]["templates"].as_array().unwrap().iter().find(|t| t["name"] == name).unwrap()
}

#[test]
fn argo_declares_the_returned_values_as_outputs_of_the_entry_template() {
    let wf = argo(&outer);
    let entry = template(&wf, wf["spec"]["entrypoint"].as_str().unwrap());
    let params = &entry["outputs"]["parameters"];
    assert_eq!(params[0]["name"], "output_0");
    assert_eq!(params[0]["valueFrom"]["parameter"], "{{tasks.read.outputs.parameters.output}}");
    assert_eq!(params[1]["name"], "output_1");
    assert_eq!(params[1]["valueFrom"]["parameter"], "{{tasks.inner.outputs.parameters.score}}");
    let artifacts = &entry["outputs"]["artifacts"];
    assert_eq!(artifacts[0]["name"], "output_2");
    assert_eq!(artifacts[0]["from"], "{{tasks.inner-2.outputs.artifacts.data}}");
    // The inner pipeline is a DAG template whose outputs are named after the struct's fields.
    let graph = template(&wf, "graph-inner");
    assert_eq!(graph["outputs"]["parameters"][0]["name"], "score");
    assert_eq!(graph["outputs"]["artifacts"][0]["name"], "data");
    assert_eq!(graph["outputs"]["artifacts"][0]["from"], "{{tasks.make.outputs.artifacts.data}}");
    // A task reads the graph's artifact like any task's.
    let read = entry["dag"]["tasks"].as_array().unwrap().iter().find(|t| t["name"] == "read").unwrap();
    assert_eq!(read["arguments"]["artifacts"][0]["from"], "{{tasks.inner-2.outputs.artifacts.data}}");
    let yaml = kfp::to_yaml(&kfp::compile(&outer, &CompileOptions::default()).unwrap()).unwrap();
    support::assert_lints_clean_both("outer", &yaml);
}

#[test]
fn the_ir_declares_root_outputs_with_their_types() {
    let spec = ir(&outer);
    let root = &spec["root"];
    assert_eq!(root["outputDefinitions"]["parameters"]["output_0"]["parameterType"], "STRING");
    assert_eq!(root["outputDefinitions"]["parameters"]["output_1"]["parameterType"], "NUMBER_INTEGER");
    assert_eq!(root["outputDefinitions"]["artifacts"]["output_2"]["artifactType"]["schemaTitle"], "system.Dataset");
    let outputs = &root["dag"]["outputs"];
    assert_eq!(
        outputs["parameters"]["output_1"]["valueFromParameter"],
        serde_json::json!({"producerSubtask": "inner", "outputParameterKey": "score"})
    );
    assert_eq!(
        outputs["artifacts"]["output_2"]["artifactSelectors"][0],
        serde_json::json!({"producerSubtask": "inner-2", "outputArtifactKey": "data"})
    );
    // The inner pipeline's component declares one artifact (not a list) and one parameter.
    let component = spec["components"]
        .as_object()
        .unwrap()
        .values()
        .find(|c| c["dag"].is_object() && c["outputDefinitions"]["artifacts"]["data"].is_object())
        .unwrap();
    assert!(component["outputDefinitions"]["artifacts"]["data"].get("isArtifactList").is_none());
    assert_eq!(component["outputDefinitions"]["parameters"]["score"]["parameterType"], "NUMBER_INTEGER");
    let yaml = kfp::compile_kfp_v2(&outer.build().unwrap(), &CompileOptions::default()).unwrap().to_yaml().unwrap();
    support::assert_lints_clean("outer", &yaml);
}

fn run(pipeline: &PipelineDef, name: &str) -> kfp::runner::RunReport {
    let mut opts = RunOptions::new(temp_dir(name));
    opts.host = true;
    opts.parallelism = 2;
    kfp::runner::run(pipeline, &opts).unwrap()
}

#[test]
fn the_runner_reports_the_runs_outputs() {
    let report = run(&outer, "outputs-outer");
    assert!(report.succeeded, "{}", report.table());
    assert_eq!(report.outputs["output_0"], "n=2");
    assert_eq!(report.outputs["output_1"], "10");
    let file = &report.artifacts["output_2"];
    assert_eq!(std::fs::read_to_string(file).unwrap(), "n=2\n");
    assert!(report.table().contains("pipeline outputs:\n"), "{}", report.table());
    // The inner pipeline alone: its outputs are the struct's fields.
    let mut opts = RunOptions::new(temp_dir("outputs-inner"));
    opts.host = true;
    opts.arguments = vec![("n".to_owned(), "4".to_owned())];
    let report = kfp::runner::run(&inner, &opts).unwrap();
    assert!(report.succeeded, "{}", report.table());
    assert_eq!(report.outputs.keys().collect::<Vec<_>>(), ["score"]);
    assert_eq!(report.outputs["score"], "40");
    assert_eq!(report.artifacts.keys().collect::<Vec<_>>(), ["data"]);
}

#[test]
fn a_graph_component_returns_an_artifact() {
    let wf = argo(&graph_artifact);
    let graph = template(&wf, "graph-make-twice");
    assert_eq!(graph["outputs"]["artifacts"][0]["from"], "{{tasks.make-2.outputs.artifacts.data}}");
    let report = run(&graph_artifact, "outputs-graph");
    assert!(report.succeeded, "{}", report.table());
    assert_eq!(report.outputs["output"], "n=30");
    let spec = ir(&graph_artifact);
    assert_eq!(spec["root"]["outputDefinitions"]["parameters"]["output"]["parameterType"], "STRING");
}

#[pipeline(name = "returns-from-a-branch")]
fn returns_from_a_branch(p: &Dag, n: Param<i64>) -> Param<i64> {
    let mut out = None;
    p.condition(n.gt(1), |p| out = Some(make(p, n).output));
    out.unwrap()
}

#[pipeline(name = "returns-its-input")]
fn returns_its_input(p: &Dag, n: Param<i64>) -> Param<i64> {
    make(p, n);
    n
}

#[test]
fn a_value_that_cannot_leave_its_branch_is_an_error_at_the_return_type() {
    let err = kfp::compile(&returns_from_a_branch, &CompileOptions::default()).unwrap_err().to_string();
    assert!(err.contains("tests/pipeline_outputs.rs:"), "{err}");
    assert!(err.contains("returned value `output`"), "{err}");
    eprintln!("{err}");
    let line = line_of("fn returns_from_a_branch(");
    assert!(err.contains(&format!("tests/pipeline_outputs.rs:{line}:")), "{err}");
}

#[test]
fn a_pipeline_may_return_its_input_on_argo_but_not_in_the_ir() {
    let wf = argo(&returns_its_input);
    let entry = template(&wf, "returns-its-input");
    assert_eq!(entry["outputs"]["parameters"][0]["valueFrom"]["parameter"], "{{inputs.parameters.n}}");
    let err =
        kfp::compile_kfp_v2(&returns_its_input.build().unwrap(), &CompileOptions::default()).unwrap_err().to_string();
    assert!(err.contains("returns its input `n` unchanged"), "{err}");
    let line = line_of("fn returns_its_input(");
    assert!(err.contains(&format!("tests/pipeline_outputs.rs:{line}:")), "{err}");
    assert!(err.contains("return a task's output"), "{err}");
}

fn line_of(needle: &str) -> usize {
    let src = include_str!("pipeline_outputs.rs");
    src.lines().position(|l| l.contains(needle)).unwrap() + 1
}
