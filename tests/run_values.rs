//! Values of the run and of the reading task (kfp's placeholders): how each backend spells them, that
//! Argo's validation accepts them where they are written, that the IR refuses the attempt number,
//! and the local runner's values (also the image a value names).

mod support;

use kfp::prelude::*;
use kfp::runner::{RunOptions, RunReport};
use kfp::{CompileOptions, PipelineDef};
use support::temp_dir;

/// Appends its attempt number to `counter`; fails on attempts 0 and 1, then writes `attempt N of ID`.
#[container_component(image = "alpine:3.20")]
fn flaky(counter: Param<String>, attempt: Param<i64>, id: Param<String>, out: OutputParam<String>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c"])
        .arg(r#"echo "$1" >> "$0"; [ "$1" -ge 2 ] || exit 1; echo "attempt $1 of $2" > "$3""#)
        .arg(counter)
        .arg(attempt)
        .arg(id)
        .arg(out)
}

/// Writes `text`.
#[container_component(image = "alpine:3.20")]
fn show(text: Param<String>, out: OutputParam<String>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c", r#"printf %s "$0" > "$1""#]).arg(text).arg(out)
}

#[pipeline(name = "run-values")]
fn run_values(p: &Dag, counter: Param<String>) {
    flaky(p, counter, p.retry_count(), p.current_task_id()).retry(2);
    let all = fmt_param!(
        p,
        "{}|{}|{}|{}|{}|{}",
        p.current_task_name(),
        p.current_task_id(),
        p.retry_count(),
        p.create_time(),
        p.schedule_time(),
        p.job_resource_name()
    );
    show(p, all).task_name("summary");
    p.parallel_for(0..2, |p, i| {
        show(p, fmt_param!(p, "{} {}", i, p.current_task_name())).task_name("shard");
    });
}

/// Every value but the attempt number: what the IR can say.
#[pipeline(name = "run-values-ir")]
fn run_values_ir(p: &Dag) {
    let all = fmt_param!(p, "{}|{}|{}", p.current_task_name(), p.current_task_id(), p.create_time());
    show(p, all).task_name("summary");
    show(p, p.schedule_time());
    show(p, p.job_resource_name());
}

fn argo(pipeline: &PipelineDef) -> String {
    kfp::to_json(&kfp::compile(pipeline, &CompileOptions::default()).unwrap()).unwrap()
}

fn task_args(wf: &serde_json::Value, task: &str) -> Vec<String> {
    let templates = wf["spec"]["templates"].as_array().unwrap();
    let tasks = templates.iter().flat_map(|t| t["dag"]["tasks"].as_array().cloned().unwrap_or_default());
    let t = tasks.into_iter().find(|t| t["name"] == task).unwrap();
    t["arguments"]["parameters"].as_array().unwrap().iter().map(|p| p["value"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn argo_writes_the_readers_values_for_the_pod_pass_and_the_runs_as_globals() {
    let wf: serde_json::Value = serde_json::from_str(&argo(&run_values)).unwrap();
    // The task's name is known; the pod's name and attempt are expression tags Argo's DAG passes
    // leave for the pod's own pass.
    assert_eq!(task_args(&wf, "flaky")[1..], ["{{=retries}}", "{{=pod.name}}"]);
    assert_eq!(
        task_args(&wf, "summary"),
        ["summary|{{=pod.name}}|0|{{workflow.creationTimestamp}}|{{workflow.scheduledTime}}|{{workflow.name}}"],
        "`summary` has no retry strategy: its attempt is always 0"
    );
    // Inside a loop's DAG: the inner task's own name, not that of the task running the loop.
    assert_eq!(task_args(&wf, "shard"), ["{{inputs.parameters.for-loop-1-item}} shard"]);
}

#[test]
fn lint_accepts_each_value_where_it_is_written() {
    for version in [kfp::argo::ArgoVersion::default(), kfp::argo::ArgoVersion::V3_4] {
        let opts = CompileOptions::default().argo_version(version);
        let json = kfp::to_json(&kfp::compile(&run_values, &opts).unwrap()).unwrap();
        support::assert_lints_clean_for(&format!("run values {}", version.as_str()), &json, version);
    }
}

#[test]
fn the_ir_has_a_placeholder_for_each_but_the_attempt_number() {
    let ir = kfp::compile_kfp_v2(&run_values_ir.build().unwrap(), &CompileOptions::default()).unwrap();
    let yaml = ir.to_yaml().unwrap();
    for placeholder in [
        "{{$.pipeline_task_name}}",
        "{{$.pipeline_task_uuid}}",
        "{{$.pipeline_job_create_time_utc}}",
        "{{$.pipeline_job_schedule_time_utc}}",
        "{{$.pipeline_job_resource_name}}",
    ] {
        // Each a whole constant: KFP's driver fills in a placeholder only when it is the whole value.
        assert!(yaml.contains(&format!("constant: \"{placeholder}\"")), "{placeholder}:\n{yaml}");
    }
    support::assert_lints_clean("run-values-ir", &yaml);
    let err = kfp::compile_kfp_v2(&run_values.build().unwrap(), &CompileOptions::default()).unwrap_err().to_string();
    assert!(err.contains("tests/run_values.rs:"), "{err}");
    assert!(err.contains("the attempt number (`p.retry_count()`) passed to `flaky`"), "{err}");
}

fn output(report: &RunReport, path: &str) -> String {
    let step = report.steps.iter().find(|s| s.path == path).unwrap_or_else(|| panic!("no {path}: {report:#?}"));
    step.outputs["out"].clone()
}

#[test]
fn the_runner_gives_each_a_real_value() {
    let dir = temp_dir("run-values");
    let counter = dir.with_extension("count");
    let _ = std::fs::remove_file(&counter);
    let mut opts = RunOptions::new(dir.clone());
    opts.host = true;
    opts.arguments = [("counter".to_owned(), counter.to_str().unwrap().to_owned())].into();
    let report = kfp::runner::run(&run_values, &opts).unwrap();
    assert!(report.succeeded, "{}", report.table());
    // Attempts 0, 1 and 2, each told its number; the third's pod has a name of its own.
    assert_eq!(std::fs::read_to_string(&counter).unwrap(), "0\n1\n2\n");
    assert_eq!(output(&report, "flaky"), "attempt 2 of flaky-2");
    let run = dir.file_name().unwrap().to_str().unwrap().to_owned();
    let summary = output(&report, "summary");
    let parts: Vec<&str> = summary.split('|').collect();
    assert_eq!(parts[..3], ["summary", "summary", "0"], "{summary}");
    let created = parts[3];
    assert!(
        created.len() == 20 && created.ends_with('Z') && created.as_bytes()[10] == b'T' && created.starts_with("20"),
        "RFC 3339 in UTC: {created}"
    );
    assert_eq!(parts[4], created, "a run started by hand: scheduled when created");
    assert_eq!(parts[5], run);
    assert_eq!(output(&report, "for-loop-1(0)/shard"), "0 shard");
    assert_eq!(output(&report, "for-loop-1(1)/shard"), "1 shard");
}

#[pipeline(name = "imaged")]
fn imaged(p: &Dag, image: Param<String>) {
    show(p, "hi").image(image).task_name("run-in-image");
}

#[test]
fn the_runner_fills_the_image_in_and_refuses_one_docker_would_read_as_an_option() {
    let dir = temp_dir("run-values-image");
    let mut opts = RunOptions::new(dir);
    opts.host = false;
    opts.arguments = [("image".to_owned(), "--privileged".to_owned())].into();
    let report = kfp::runner::run(&imaged, &opts).unwrap();
    assert!(!report.succeeded);
    let step = report.steps.iter().find(|s| s.path == "run-in-image").unwrap();
    let why = step.error.as_deref().unwrap_or_default();
    assert!(why.contains("`--privileged` is not an image reference"), "{why}");
    assert_eq!(step.attempts, 1, "refused before any container runtime is asked");
}
