//! `compile --kind workflow-template | cluster-workflow-template | cron-workflow`: the same workflow
//! under a fixed name, or on a schedule, in the shape each Argo version takes; and one clear error for
//! each option Argo would refuse.

mod support;

use kfp::argo::ArgoVersion;
use support::{compile_example, read_yaml, run_example};

fn kind(name: &str, args: &[&str]) -> serde_json::Value {
    read_yaml(&compile_example(name, args))
}

fn validate(name: &str, yaml: &str, version: ArgoVersion) {
    support::assert_lints_clean_for(name, yaml, version);
}

#[test]
fn templates_carry_the_workflow_under_a_fixed_name() {
    let wf = kind("linear", &[]);
    for (arg, k) in
        [("workflow-template", "WorkflowTemplate"), ("cluster-workflow-template", "ClusterWorkflowTemplate")]
    {
        let yaml = compile_example("linear", &["--kind", arg]);
        let t = read_yaml(&yaml);
        assert_eq!(t["kind"], k);
        assert_eq!(t["metadata"]["name"], "linear-three-step");
        assert!(t["metadata"].get("generateName").is_none());
        assert_eq!(t["metadata"]["annotations"], wf["metadata"]["annotations"]);
        assert_eq!(t["spec"], wf["spec"], "the spec is the workflow's");
        validate(arg, &yaml, ArgoVersion::default());
        validate(arg, &yaml, ArgoVersion::V3_4);
    }
    let t = kind("linear", &["--kind", "workflow-template", "--name", "team.linear-v2"]);
    assert_eq!(t["metadata"]["name"], "team.linear-v2");
    // A plain workflow may get a fixed name too.
    let w = kind("linear", &["--name", "linear-once"]);
    assert_eq!(w["metadata"]["name"], "linear-once");
    assert!(w["metadata"].get("generateName").is_none());
}

#[test]
fn a_cron_workflow_runs_the_workflow_on_a_schedule() {
    let args = [
        "--kind",
        "cron-workflow",
        "--schedule",
        "0 3 * * MON-FRI",
        "--schedule",
        "@every 12h",
        "--timezone",
        "Europe/Paris",
        "--concurrency-policy",
        "replace",
        "--starting-deadline",
        "120",
    ];
    let wf = kind("pipeline_outputs", &[]);
    let yaml = compile_example("pipeline_outputs", &args);
    let c = read_yaml(&yaml);
    assert_eq!(c["kind"], "CronWorkflow");
    assert_eq!(c["metadata"]["name"], "best-of-two");
    let spec = &c["spec"];
    assert_eq!(spec["schedules"], serde_json::json!(["0 3 * * MON-FRI", "@every 12h"]));
    assert!(spec.get("schedule").is_none());
    assert_eq!(spec["timezone"], "Europe/Paris");
    assert_eq!(spec["concurrencyPolicy"], "Replace");
    assert_eq!(spec["startingDeadlineSeconds"], 120);
    assert_eq!(spec["workflowSpec"], wf["spec"]);
    // Each run it creates carries the kfp annotations.
    assert_eq!(spec["workflowMetadata"]["annotations"], wf["metadata"]["annotations"]);
    validate("cron", &yaml, ArgoVersion::default());

    // Argo v3.4 and v3.5 take one `schedule`.
    let yaml = compile_example(
        "pipeline_outputs",
        &["--kind", "cron-workflow", "--schedule", "@daily", "--argo-version", "3.4"],
    );
    let c = read_yaml(&yaml);
    assert_eq!(c["spec"]["schedule"], "@daily");
    assert!(c["spec"].get("schedules").is_none());
    validate("cron-3.4", &yaml, ArgoVersion::V3_4);
}

#[test]
fn a_cron_workflow_name_has_room_for_the_run_time() {
    let long = "a".repeat(53);
    let out = run_example("linear", &["compile", "--kind", "cron-workflow", "--schedule", "@daily", "--name", &long]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("has 53 characters; a CronWorkflow name has at most 52"), "{err}");
    let ok = "a".repeat(52);
    let c = kind("linear", &["--kind", "cron-workflow", "--schedule", "@daily", "--name", &ok]);
    assert_eq!(c["metadata"]["name"], ok.as_str());
}

#[test]
fn what_argo_would_refuse_is_one_line_naming_the_option() {
    let cases: &[(&[&str], &str)] = &[
        (&["--kind", "cron-workflow"], "error: --schedule: a CronWorkflow needs a schedule"),
        (&["--kind", "cron-workflow", "--schedule", "0 3 * *"], "error: --schedule: schedule `0 3 * *`: 4 fields"),
        (&["--kind", "cron-workflow", "--schedule", "0 25 * * *"], "hour `25`: 25 is out of range (allowed: 0-23)"),
        (
            &["--kind", "cron-workflow", "--schedule", "@daily", "--timezone", "Paris; rm"],
            "error: --timezone: `Paris; rm` is not a time zone name",
        ),
        (
            &["--kind", "cron-workflow", "--schedule", "@daily", "--schedule", "@hourly", "--argo-version", "3.5"],
            "Argo v3.5 takes one schedule per CronWorkflow",
        ),
        (&["--schedule", "@daily"], "error: --schedule: it belongs to a CronWorkflow: add `--kind cron-workflow`"),
        (&["--kind", "workflow-template", "--timezone", "UTC"], "error: --timezone: it belongs to a CronWorkflow"),
        (
            &["--kind", "workflow-template", "--name", "Bad_Name"],
            "error: --name: `Bad_Name` is not a valid WorkflowTemplate name",
        ),
        (&["--target", "kfp-v2", "--kind", "workflow-template"], "error: --kind: it names an Argo object"),
    ];
    for (args, want) in cases {
        let mut full = vec!["compile"];
        full.extend_from_slice(args);
        let out = run_example("linear", &full);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} succeeded");
        assert!(out.stdout.is_empty(), "{args:?} wrote output");
        assert!(err.contains(want), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: one line: {err}");
    }
}

#[test]
fn merge_patches_apply_to_every_kind() {
    // `escape_hatch` patches the workflow, a template and a task: each kind carries the patched spec.
    let wf = kind("escape_hatch", &[]);
    let yaml = compile_example("escape_hatch", &["--kind", "cron-workflow", "--schedule", "@daily"]);
    let cron = read_yaml(&yaml);
    assert_eq!(cron["spec"]["workflowSpec"], wf["spec"]);
    assert_eq!(cron["spec"]["workflowMetadata"]["labels"], wf["metadata"]["labels"]);
    assert!(cron["spec"]["workflowMetadata"].get("generateName").is_none());
    validate("patched-cron", &yaml, ArgoVersion::default());
    let yaml = compile_example("escape_hatch", &["--kind", "workflow-template"]);
    let t = read_yaml(&yaml);
    assert_eq!(t["spec"], wf["spec"]);
    assert_eq!(t["metadata"]["name"], "escape-hatch");
    validate("patched-template", &yaml, ArgoVersion::default());
}
