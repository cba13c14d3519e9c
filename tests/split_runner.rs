//! The local runner on a split pipeline (a bundle: the parent Workflow and one WorkflowTemplate per
//! part): each parent step that creates a child Workflow runs that part here, its outputs come back
//! by jsonPath, values and artifacts cross parts, and the run gives the same outputs as the pipeline
//! unsplit. The compiler's `split` makes the bundle of the equivalence tests; the others are made by
//! hand to the contract (`support/hand_split.rs`) so that they can hold what the compiler's does not
//! (an artifact across parts, a part's own exit handler) and be broken on purpose.

#[path = "support/hand_split.rs"]
mod hand_split;
mod support;

use std::path::Path;

use kfp::argo::Workflow;
use kfp::argo::split::{self, SplitOptions};
use kfp::prelude::*;
use kfp::runner::{RunOptions, RunReport, Status};
use support::temp_dir;

/// Writes `text` as it is.
#[container_component(image = "alpine:3.20")]
fn show(text: Param<String>, output: OutputParam<String>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c", r#"printf %s "$0" > "$1""#]).arg(text).arg(output)
}

/// Writes `text` and `suffix`.
#[container_component(image = "alpine:3.20")]
fn append(text: Param<String>, suffix: Param<String>, output: OutputParam<String>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c", r#"printf %s%s "$0" "$1" > "$2""#]).arg(text).arg(suffix).arg(output)
}

/// Writes `text` into a file.
#[container_component(image = "alpine:3.20")]
fn make_file(text: Param<String>, data: Output<Dataset>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c", r#"printf 'file:%s' "$0" > "$1""#]).arg(text).arg(data)
}

/// Reads a file back.
#[container_component(image = "alpine:3.20")]
fn read_file(data: Input<Dataset>, output: OutputParam<String>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c", r#"cat "$0" > "$1""#]).arg(data).arg(output)
}

/// Exits with `code`.
#[container_component(image = "alpine:3.20")]
fn work(code: Param<u32>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c", "exit \"$0\""]).arg(code)
}

/// A value through two steps, into a file and back, and on: split [2, 1] the artifact crosses from
/// part 2 to part 3 and the values from part 1 to parts 2, 3 and the pipeline's outputs.
#[pipeline(name = "relay")]
fn relay(p: &Dag, text: Param<String>) -> (Param<String>, Param<String>) {
    let first = show(p, text).task_name("first");
    let second = append(p, first.output, "!").task_name("second");
    let made = make_file(p, second.output).task_name("make");
    let read = read_file(p, made.data).task_name("read");
    let last = append(p, read.output, "?").task_name("last");
    (last.output, first.output)
}

/// A generated chain: 12 steps, each appending its number to the one before and reading the pipeline
/// parameter; the outputs are the last value and one from the middle.
#[pipeline(name = "generated")]
fn generated(p: &Dag, seed: Param<String>) -> (Param<String>, Param<String>) {
    let mut prev = show(p, seed).task_name("step-0").output;
    let mut middle = None;
    for i in 1..12 {
        let joined = fmt_param!(p, "{}-{}", prev, seed);
        prev = append(p, joined, format!("/{i}")).task_name(format!("step-{i}")).output;
        if i == 5 {
            middle = Some(prev);
        }
    }
    (prev, middle.expect("step 5"))
}

/// `first`, then `gate` exiting with `code`, then `third`.
#[pipeline(name = "gated")]
fn gated(p: &Dag, text: Param<String>, code: Param<u32>) -> Param<String> {
    let first = show(p, text).task_name("first");
    let gate = work(p, code).task_name("gate").after(&first);
    append(p, first.output, "+").task_name("third").after(&gate).output
}

/// A hostile value: quotes, a newline, Argo's tag braces and a shell variable.
const HOSTILE: &str = "say \"hi\" 'there'\n{{workflow.name}} {{=toJson('x')}} $HOME \\u007b";

fn options(dir: &Path) -> RunOptions {
    let mut opts = RunOptions::new(dir.to_path_buf());
    opts.host = true;
    opts.parallelism = 2;
    opts
}

fn compiled(pipeline: &kfp::PipelineDef, args: &[(&str, &str)]) -> (Workflow, String) {
    let args: Vec<(String, String)> = args.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    kfp::runner::compile_for_run(pipeline, &args).unwrap()
}

fn status(report: &RunReport, path: &str) -> Status {
    let step = report.steps.iter().find(|s| s.path == path);
    step.unwrap_or_else(|| panic!("no step {path}: {:#?}", report.steps.iter().map(|s| &s.path).collect::<Vec<_>>()))
        .status
}

fn error<'r>(report: &'r RunReport, path: &str) -> &'r str {
    report.steps.iter().find(|s| s.path == path).and_then(|s| s.error.as_deref()).unwrap_or_default()
}

#[test]
fn values_and_an_artifact_cross_parts_and_a_hostile_value_arrives_unchanged() {
    let (wf, binary) = compiled(&relay, &[("text", HOSTILE)]);
    let (parent, parts) = hand_split::split(&wf, &[2, 1], "relay");
    assert_eq!(parts.len(), 3);
    let dir = temp_dir("split-relay");
    let report = kfp::runner::run_bundle(&parent, &parts, &binary, &options(&dir)).unwrap();
    assert!(report.succeeded, "{}", report.table());
    let unsplit = kfp::runner::run_workflow(&wf, &binary, &options(&temp_dir("split-relay-whole"))).unwrap();
    assert_eq!(report.outputs, unsplit.outputs);
    for path in ["part-1", "part-1/first", "part-1/second", "part-2/make", "part-3/read", "part-3/last"] {
        assert_eq!(status(&report, path), Status::Succeeded, "{path}");
    }
    assert_eq!(report.outputs["output_0"], format!("file:{HOSTILE}!?"));
    assert_eq!(report.outputs["output_1"], HOSTILE);
    // The parent's steps read the children's outputs; the artifact went through the repository.
    let key = &report.steps.iter().find(|s| s.path == "part-2").unwrap().outputs["out-make-data"];
    let stored = dir.join("artifact-repository").join(key);
    assert_eq!(std::fs::read_to_string(&stored).unwrap(), format!("file:{HOSTILE}!"));
    assert!(dir.join("part-2").join("status.json").is_file(), "the child's status is kept");
}

#[test]
fn a_generated_pipeline_split_in_four_gives_the_outputs_of_the_unsplit_one() {
    let (wf, binary) = compiled(&generated, &[("seed", "s'\"{{x}}")]);
    let unsplit = kfp::runner::run_workflow(&wf, &binary, &options(&temp_dir("split-generated-whole"))).unwrap();
    assert!(unsplit.succeeded, "{}", unsplit.table());
    let (parent, parts) = hand_split::split(&wf, &[3, 3, 3], "generated");
    assert_eq!(parts.len(), 4);
    let split = kfp::runner::run_bundle(&parent, &parts, &binary, &options(&temp_dir("split-generated"))).unwrap();
    assert!(split.succeeded, "{}", split.table());
    assert_eq!(split.outputs, unsplit.outputs);
    assert!(split.outputs["output_0"].ends_with("/11"), "{:?}", split.outputs);
    // Every step of the pipeline ran once, in its part.
    let ran = |r: &RunReport| r.steps.iter().filter(|s| s.path.contains("step-")).count();
    assert_eq!((ran(&unsplit), ran(&split)), (12, 12));
    assert_eq!(status(&split, "part-4/step-11"), Status::Succeeded);
}

#[test]
fn a_failing_child_fails_its_step_and_the_run() {
    let (wf, binary) = compiled(&gated, &[("text", "t"), ("code", "3")]);
    let (parent, parts) = hand_split::split(&wf, &[1, 1], "gated");
    let report = kfp::runner::run_bundle(&parent, &parts, &binary, &options(&temp_dir("split-fail"))).unwrap();
    assert!(!report.succeeded);
    assert_eq!(status(&report, "part-1"), Status::Succeeded);
    assert_eq!(status(&report, "part-2/gate"), Status::Failed);
    assert_eq!(status(&report, "part-2"), Status::Failed);
    assert!(
        error(&report, "part-2").contains("ended Failed (failureCondition `status.phase in (Failed, Error)` holds)")
    );
    assert_eq!(status(&report, "part-3"), Status::Omitted);
    assert!(!report.steps.iter().any(|s| s.path.starts_with("part-3/")), "part 3 never starts");

    // The same bundle with a passing gate succeeds.
    let (wf, binary) = compiled(&gated, &[("text", "t"), ("code", "0")]);
    let (parent, parts) = hand_split::split(&wf, &[1, 1], "gated");
    let report = kfp::runner::run_bundle(&parent, &parts, &binary, &options(&temp_dir("split-pass"))).unwrap();
    assert!(report.succeeded, "{}", report.table());
    assert_eq!(report.outputs["output"], "t+");
}

#[test]
fn a_template_the_bundle_does_not_have_is_one_clear_error() {
    let (wf, binary) = compiled(&gated, &[("text", "t"), ("code", "0")]);
    let (mut parent, parts) = hand_split::split(&wf, &[1, 1], "gated");
    let t = parent.spec.templates.iter_mut().find(|t| t.name == "part-2").unwrap();
    let r = t.resource.as_mut().unwrap();
    r.manifest = r.manifest.replace("gated-0123abcd-part-2", "gated-ffffffff-part-2");
    let report = kfp::runner::run_bundle(&parent, &parts, &binary, &options(&temp_dir("split-unknown"))).unwrap();
    assert!(!report.succeeded);
    let why = error(&report, "part-2");
    assert!(
        why.contains("creates a Workflow from WorkflowTemplate `gated-ffffffff-part-2`, which is not in the bundle")
            && why.contains("`gated-0123abcd-part-1`, `gated-0123abcd-part-2`, `gated-0123abcd-part-3`"),
        "{why}"
    );
}

#[test]
fn an_output_the_runner_cannot_read_is_one_clear_error() {
    let (wf, binary) = compiled(&relay, &[("text", "t")]);
    let (mut parent, parts) = hand_split::split(&wf, &[2, 1], "relay");
    let t = parent.spec.templates.iter_mut().find(|t| t.name == "part-1").unwrap();
    t.outputs.parameters[0].value_from.as_mut().unwrap().json_path = Some("{.status.phase}".into());
    let report = kfp::runner::run_bundle(&parent, &parts, &binary, &options(&temp_dir("split-jsonpath"))).unwrap();
    assert!(!report.succeeded);
    assert!(error(&report, "part-1").contains("jsonPath `{.status.phase}` is not one the local runner reads"));
    assert_eq!(status(&report, "part-1/first"), Status::Succeeded, "the child itself ran");
}

#[test]
fn a_bundle_with_two_parts_of_one_name_is_refused() {
    let (wf, binary) = compiled(&gated, &[("text", "t"), ("code", "0")]);
    let (parent, mut parts) = hand_split::split(&wf, &[1, 1], "gated");
    parts[1].0 = parts[0].0.clone();
    let err = kfp::runner::run_bundle(&parent, &parts, &binary, &options(&temp_dir("split-dup"))).unwrap_err();
    assert!(err.contains("two parts named `gated-0123abcd-part-1`"), "{err}");
}

#[test]
fn a_resource_step_that_is_no_child_workflow_still_needs_a_cluster() {
    let (wf, binary) = compiled(&gated, &[("text", "t"), ("code", "0")]);
    let (mut parent, parts) = hand_split::split(&wf, &[1, 1], "gated");
    let t = parent.spec.templates.iter_mut().find(|t| t.name == "part-1").unwrap();
    t.resource.as_mut().unwrap().manifest = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\"}".into();
    let report = kfp::runner::run_bundle(&parent, &parts, &binary, &options(&temp_dir("split-other"))).unwrap();
    assert!(error(&report, "part-1").contains("needs a Kubernetes cluster"));
}

#[test]
fn the_hand_made_bundles_are_valid_argo_documents() {
    let (wf, _) = compiled(&relay, &[("text", HOSTILE)]);
    let (parent, parts) = hand_split::split(&wf, &[2, 1], "relay");
    let mut yaml = kfp::to_yaml(&parent).unwrap();
    for (_, part) in &parts {
        yaml.push_str("---\n");
        yaml.push_str(&kfp::to_yaml(part).unwrap());
    }
    support::assert_lints_clean_both("hand-made bundle", &yaml);
    assert_eq!(yaml.matches("\nkind: WorkflowTemplate").count(), 3, "{yaml}");
}

/// `work` with an exit handler that writes the run's status.
#[pipeline(name = "guarded")]
fn guarded(p: &Dag, code: Param<u32>) {
    p.exit_handler(
        |p, status| {
            show(p, fmt_param!(p, "status={}", status)).task_name("report");
        },
        |p| {
            work(p, code).task_name("gate");
        },
    );
}

#[test]
fn a_child_s_own_exit_handler_runs_after_it_with_its_status() {
    let (wf, binary) = compiled(&guarded, &[("code", "3")]);
    assert!(wf.spec.on_exit.is_some());
    let (mut parent, mut parts) = hand_split::split(&wf, &[], "guarded");
    // The contract keeps exit handlers in the parent; a part that has one runs it too, as Argo would.
    parent.spec.on_exit = None;
    parts[0].1.spec.on_exit = wf.spec.on_exit.clone();
    let report = kfp::runner::run_bundle(&parent, &parts, &binary, &options(&temp_dir("split-exit"))).unwrap();
    assert!(!report.succeeded);
    let exit = report.steps.iter().find(|s| s.path.starts_with("part-1/onExit")).expect("the child's exit handler");
    assert_eq!(exit.outputs.values().next().map(String::as_str), Some("status=Failed"), "{exit:?}");
    assert_eq!(status(&report, "part-1"), Status::Failed);
    let order: Vec<&str> = report.steps.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(order.last(), Some(&"part-1"), "the step ends after the child's exit handler: {order:?}");
}

#[test]
fn a_part_parameter_the_manifest_does_not_pass_is_one_clear_error() {
    let (wf, binary) = compiled(&gated, &[("text", "t"), ("code", "0")]);
    let (parent, mut parts) = hand_split::split(&wf, &[1, 1], "gated");
    parts[1].1.spec.arguments.parameters.push(kfp::argo::Parameter::named("forgotten"));
    let report = kfp::runner::run_bundle(&parent, &parts, &binary, &options(&temp_dir("split-param"))).unwrap();
    assert!(!report.succeeded);
    let why = error(&report, "part-2");
    assert!(
        why.contains(
            "parameter `forgotten` of WorkflowTemplate `gated-0123abcd-part-2` has no value: the manifest passes none"
        ),
        "{why}"
    );
    assert_eq!(status(&report, "part-3"), Status::Omitted);
}

/// Holds `lock` (a directory made atomically) for a moment: fails if another step holds it.
#[container_component(image = "alpine:3.20")]
fn hold(lock: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c", r#"mkdir "$0" || exit 7; sleep 0.3; rmdir "$0""#]).arg(lock)
}

/// Four steps that may run at once.
#[pipeline(name = "wide")]
fn wide(p: &Dag, lock: Param<String>) {
    for i in 0..4 {
        hold(p, lock).task_name(format!("hold-{i}"));
    }
}

/// `wide` split in two parts that run side by side, with the parent's `parallelism`.
fn wide_run(name: &str, parallelism: Option<u32>) -> RunReport {
    let dir = temp_dir(name);
    let lock = dir.join("lock");
    let (wf, binary) = compiled(&wide, &[("lock", lock.to_str().unwrap())]);
    let (mut parent, mut parts) = hand_split::split(&wf, &[2], "wide");
    parent.spec.parallelism = parallelism;
    for (_, part) in &mut parts {
        part.spec.parallelism = None;
    }
    let main = parent.spec.templates.iter_mut().find(|t| t.name == parent.spec.entrypoint).unwrap();
    main.dag.as_mut().unwrap().tasks[1].dependencies.clear();
    let mut opts = options(&dir.join("run"));
    opts.parallelism = 4;
    kfp::runner::run_bundle(&parent, &parts, &binary, &opts).unwrap()
}

#[test]
fn children_share_the_parent_s_parallelism() {
    let one = wide_run("split-wide-1", Some(1));
    assert!(one.succeeded, "one step at a time across both children: {}", one.table());
    let free = wide_run("split-wide-free", None);
    assert!(!free.succeeded, "without the limit the parts' steps overlap: {}", free.table());
}

#[test]
fn a_key_only_input_artifact_of_a_template_reads_the_run_s_repository() {
    let (wf, binary) = compiled(&relay, &[("text", "t")]);
    let (parent, mut parts) = hand_split::split(&wf, &[2, 1], "relay");
    // Part 3 reads the artifact through its template's input, not its task's argument.
    let part = &mut parts[2].1;
    let entry = part.spec.templates.iter_mut().find(|t| t.name == "part").unwrap();
    let read = entry.dag.as_mut().unwrap().tasks.iter_mut().find(|t| &*t.name == "read").unwrap();
    let key = read.arguments.artifacts.remove(0).s3.unwrap().key;
    let template = read.template.to_string();
    let t = part.spec.templates.iter_mut().find(|t| t.name == template).unwrap();
    t.inputs.artifacts[0].s3 = Some(kfp::argo::S3Key::key(key));
    let report = kfp::runner::run_bundle(&parent, &parts, &binary, &options(&temp_dir("split-input-key"))).unwrap();
    assert!(report.succeeded, "{}", report.table());
    assert_eq!(report.outputs["output_0"], "file:t!?");

    // A key nothing was stored under: one clear error.
    let t = parts[2].1.spec.templates.iter_mut().find(|t| t.name == template).unwrap();
    t.inputs.artifacts[0].s3 = Some(kfp::argo::S3Key::key("nowhere/data"));
    let report = kfp::runner::run_bundle(&parent, &parts, &binary, &options(&temp_dir("split-input-nokey"))).unwrap();
    assert!(!report.succeeded);
    assert!(
        error(&report, "part-3/read")
            .contains("nothing was stored under key `nowhere/data` in the run's artifact repository"),
        "{}",
        report.table()
    );
}

/// The compiler's split of a workflow into at least `min` parts: the largest limit that gives them.
fn split_in(wf: &Workflow, min: usize) -> split::Bundle {
    for kib in (2..64).rev() {
        if let Ok(b) = split::split(wf.clone(), &SplitOptions::with_max_bytes(kib << 10))
            && b.parts.len() >= min
        {
            return b;
        }
    }
    panic!("no limit splits the workflow into {min} parts")
}

#[test]
fn the_compiler_s_split_of_a_generated_pipeline_gives_the_outputs_of_the_unsplit_one() {
    let (wf, binary) = compiled(&generated, &[("seed", HOSTILE)]);
    let unsplit = kfp::runner::run_workflow(&wf, &binary, &options(&temp_dir("csplit-whole"))).unwrap();
    assert!(unsplit.succeeded, "{}", unsplit.table());
    let bundle = split_in(&wf, 3);
    let report = kfp::runner::run_split(&bundle, &binary, &options(&temp_dir("csplit"))).unwrap();
    assert!(report.succeeded, "{}", report.table());
    assert_eq!(report.outputs, unsplit.outputs);
    assert!(report.outputs["output_0"].ends_with("/11"), "{:?}", report.outputs);
    let children: Vec<&str> = report.steps.iter().filter(|s| !s.path.contains('/')).map(|s| s.path.as_str()).collect();
    assert!(children.len() >= 3, "{children:?}");
    let ran =
        |r: &RunReport| r.steps.iter().filter(|s| s.path.rsplit('/').next().unwrap().starts_with("step-")).count();
    assert_eq!((ran(&unsplit), ran(&report)), (12, 12), "{}", report.table());
}

#[test]
fn a_failing_step_in_a_compiled_split_fails_its_part_and_the_run() {
    let (wf, binary) = compiled(&gated, &[("text", "t"), ("code", "3")]);
    let bundle = split_in(&wf, 2);
    let report = kfp::runner::run_split(&bundle, &binary, &options(&temp_dir("csplit-fail"))).unwrap();
    let unsplit = kfp::runner::run_workflow(&wf, &binary, &options(&temp_dir("csplit-fail-whole"))).unwrap();
    assert!(!report.succeeded && !unsplit.succeeded);
    let gate = report.steps.iter().find(|s| s.path.ends_with("/gate")).expect("the gate ran in a child");
    assert_eq!(gate.status, Status::Failed);
    let part = gate.path.split('/').next().unwrap();
    assert!(error(&report, part).contains("failureCondition"), "{}", report.table());
}

/// The runner reads a bundle's parts back into the model: every example's workflow (but the one whose
/// patches make it a plain document) reads back as itself, so no field is lost on the way.
#[test]
fn every_example_workflow_reads_back_as_itself() {
    let mut read = 0;
    for name in support::EXAMPLES.iter().filter(|n| **n != "escape_hatch") {
        let yaml = support::compile_example(name, &[]);
        for doc in yaml.split("\n---\n") {
            let v = support::read_yaml(doc);
            if v["kind"] != "Workflow" {
                continue;
            }
            let wf: Workflow = serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
            let back: serde_json::Value = serde_json::from_str(&kfp::to_json(&wf).unwrap()).unwrap();
            assert_eq!(back, v, "{name}");
            read += 1;
        }
    }
    assert!(read >= 25, "{read}");
}

/// `run --split` on the command line: train_eval runs as its split bundle (its artifacts keep it in
/// one part) and computes what the plain run computes: the deploy branch, and the sweep's best score.
#[test]
fn run_split_on_the_command_line_runs_the_bundle() {
    let dir = support::temp_dir("run-split-cli");
    let out = support::run_example(
        "train_eval",
        &["run", "--split", "--max-size", "40KiB", "--workdir", dir.to_str().unwrap()],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("part-1/body/condition-1/deploy") && stdout.contains("part-1/body/pick-best"), "{stdout}");
    let read = |p: &str| std::fs::read_to_string(dir.join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
    let sweep: Vec<f64> =
        (0..3).map(|i| read(&format!("part-1/body/for-loop-3-{i}/train-2/outputs/r2/data")).parse().unwrap()).collect();
    let best: f64 = read("part-1/body/pick-best/outputs/output/data").parse().unwrap();
    assert_eq!(best, sweep.iter().copied().fold(f64::MIN, f64::max));
    // Too small a limit for its one group of tasks: one line, naming the task and the fix.
    let out = support::run_example("train_eval", &["run", "--split", "--max-size", "16KiB"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("error: task `make-dataset` (kept in one part with") && err.contains("raise `--max-size`"),
        "{err}"
    );
}

/// A chain of 24 steps, each appending its number to the one before.
#[pipeline(name = "chain")]
fn chain(p: &Dag, seed: Param<String>) -> Param<String> {
    let mut prev = show(p, seed).task_name("step-0").output;
    for i in 1..24 {
        prev = append(p, prev, format!("/{i}")).task_name(format!("step-{i}")).output;
    }
    prev
}

/// Whether a part of `b` creates children of its own (the bundle has two levels).
fn nested(b: &split::Bundle) -> bool {
    kfp::runner::bundle_parts(b).unwrap().iter().any(|(_, wf)| wf.spec.templates.iter().any(|t| t.resource.is_some()))
}

#[test]
fn a_split_in_two_levels_gives_the_outputs_of_the_unsplit_pipeline() {
    let (wf, binary) = compiled(&chain, &[("seed", HOSTILE)]);
    let unsplit = kfp::runner::run_workflow(&wf, &binary, &options(&temp_dir("csplit2-whole"))).unwrap();
    assert!(unsplit.succeeded, "{}", unsplit.table());
    // The largest limit at which the parent's steps no longer fit in one object.
    let bundle = (4..64)
        .rev()
        .filter_map(|kib| split::split(wf.clone(), &SplitOptions::with_max_bytes(kib << 10)).ok())
        .find(nested)
        .expect("some limit splits the chain in two levels");
    let report = kfp::runner::run_split(&bundle, &binary, &options(&temp_dir("csplit2"))).unwrap();
    assert!(report.succeeded, "{}", report.table());
    assert_eq!(report.outputs, unsplit.outputs);
    assert!(report.outputs.values().any(|v| v.ends_with("/22/23")), "{:?}", report.outputs);
    // Every step ran once.
    let steps: Vec<&str> = report
        .steps
        .iter()
        .map(|s| s.path.as_str())
        .filter(|p| p.rsplit('/').next().unwrap().starts_with("step-"))
        .collect();
    assert_eq!(steps.len(), 24, "{}", report.table());
    // `part-i/body/part-j/body/step-k`: a step of a child of a child.
    assert!(steps.iter().all(|p| p.matches('/').count() == 4), "{steps:?}");
}
