//! The escape hatch (issue 11, item 15): JSON merge patches on a task's template, on a task, on the
//! whole workflow and on the IR, applied last by the backend each names (the other ignores them),
//! then checked again: a patch that breaks the document is an error naming its line.

mod support;

use kfp::prelude::*;
use kfp::{CompileOptions, json};
use serde_json::Value;
use support::*;

#[container_component(image = "alpine:3.20")]
fn step(msg: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["echo"]).arg(msg)
}

/// A pipeline body, for tables of cases.
type Body = Box<dyn Fn(&Dag)>;

fn build(body: impl FnOnce(&Dag)) -> kfp::Pipeline {
    kfp::Pipeline::build("patches", None, body).unwrap()
}

fn argo_yaml(p: &kfp::Pipeline) -> String {
    kfp::to_yaml(&kfp::compile_pipeline(p, &CompileOptions::default()).unwrap()).unwrap()
}

fn argo_error(p: &kfp::Pipeline) -> String {
    kfp::compile_pipeline(p, &CompileOptions::default()).unwrap_err().to_string()
}

fn ir_error(p: &kfp::Pipeline) -> String {
    kfp::compile_kfp_v2(p, &CompileOptions::default()).unwrap_err().to_string()
}

fn validate(name: &str, yaml: &str) {
    assert_lints_clean_both(name, yaml);
}

fn doc(yaml: &str) -> Value {
    read_yaml(yaml)
}

fn template<'a>(d: &'a Value, name: &str) -> &'a Value {
    d["spec"]["templates"].as_array().unwrap().iter().find(|t| t["name"] == name).unwrap()
}

#[test]
fn unmodelled_fields_show_up_and_validate() {
    let p = build(|p| {
        p.argo_patch(json!({
            "spec": {"podMetadata": {"labels": {"team": "ml"}}, "hooks": {"exit": {
                "template": "step-2",
                "arguments": {"parameters": [{"name": "msg", "value": "bye"}]}
            }}},
            "metadata": {"labels": {"origin": "kfp-rs"}}
        }));
        let a = step(p, "a").argo_template_patch(json!({
            "activeDeadlineSeconds": 600,
            "metadata": {"labels": {"tier": "gpu"}},
            "container": {"workingDir": "/work"}
        }));
        step(p, "b").after(&a).argo_task_patch(json!({"continueOn": {"failed": true}}));
    });
    let yaml = argo_yaml(&p);
    let d = doc(&yaml);
    assert_eq!(d["spec"]["podMetadata"]["labels"]["team"], "ml");
    assert_eq!(d["spec"]["hooks"]["exit"]["template"], "step-2");
    assert_eq!(d["metadata"]["labels"]["origin"], "kfp-rs");
    assert_eq!(d["metadata"]["generateName"], "patches-", "merged, not replaced");
    let a = template(&d, "step");
    assert_eq!(a["activeDeadlineSeconds"], 600);
    assert_eq!(a["metadata"]["labels"]["tier"], "gpu");
    assert_eq!(a["metadata"]["labels"]["pipelines.kubeflow.org/enable_caching"], "true", "kept");
    assert_eq!(a["container"]["workingDir"], "/work");
    assert_eq!(a["container"]["image"], "alpine:3.20", "kept");
    // The unpatched call of the same component has a template of its own, unpatched.
    let b = template(&d, "step-2");
    assert!(b.get("activeDeadlineSeconds").is_none());
    let tasks = d["spec"]["templates"][0]["dag"]["tasks"].as_array().unwrap();
    let task_b = tasks.iter().find(|t| t["name"] == "step-2").unwrap();
    assert_eq!(task_b["continueOn"]["failed"], true);
    assert!(tasks.iter().find(|t| t["name"] == "step").unwrap().get("continueOn").is_none());
    validate("unmodelled", &yaml);
    // JSON is patched the same.
    let json: Value =
        serde_json::from_str(&kfp::to_json(&kfp::compile_pipeline(&p, &CompileOptions::default()).unwrap()).unwrap())
            .unwrap();
    assert_eq!(json, d);
}

#[test]
fn null_removes_and_arrays_replace() {
    let p = build(|p| {
        step(p, "a").argo_template_patch(json!({
            "metadata": {"annotations": {"pipelines.kubeflow.org/component_spec": null}},
            "container": {"command": ["sh", "-c", "echo hi"]}
        }));
    });
    let d = doc(&argo_yaml(&p));
    let a = template(&d, "step");
    assert!(a["metadata"].get("annotations").is_none_or(|m| m.get("pipelines.kubeflow.org/component_spec").is_none()));
    assert_eq!(a["container"]["command"], json!(["sh", "-c", "echo hi"]));
}

#[test]
fn without_patches_the_output_is_unchanged() {
    let plain = build(|p| {
        step(p, "a");
    });
    let wf = kfp::compile_pipeline(&plain, &CompileOptions::default()).unwrap();
    assert!(wf.patches.is_empty());
    // The emitter writes the structs directly (field order as declared: `apiVersion`, `kind`,
    // `metadata`, `spec`; `name` first in a template), not sorted JSON.
    let yaml = kfp::to_yaml(&wf).unwrap();
    assert!(yaml.contains("templates:\n  - name: patches\n"), "{yaml}");
    // An IR patch is ignored by the Argo target, and an Argo patch by the IR target.
    let ir_only = build(|p| {
        p.ir_patch(json!({"defaultPipelineRoot": "s3://b/r"}));
        step(p, "a").ir_executor_patch(json!({"container": {"args": ["x"]}}));
    });
    assert!(!argo_yaml(&ir_only).contains("s3://b/r"));
    let ir = |p: &kfp::Pipeline| kfp::compile_kfp_v2(p, &CompileOptions::default()).unwrap().to_yaml().unwrap();
    let argo_only = build(|p| {
        p.argo_patch(json!({"spec": {"priority": 3}}));
        step(p, "a").argo_task_patch(json!({"continueOn": {"failed": true}}));
    });
    let same_without = build(|p| {
        step(p, "a");
    });
    assert_eq!(ir(&argo_only), ir(&same_without));
}

#[test]
fn a_patch_that_breaks_the_workflow_names_its_line() {
    let line = line!() + 2;
    let p = build(|p| {
        step(p, "a").argo_template_patch(json!({"container": null}));
    });
    let e = argo_error(&p);
    assert_eq!(
        e,
        format!(
            "tests/patches.rs:{line}:22: `argo_template_patch` leaves a workflow Argo refuses: template `step` runs \
             nothing (no container, containerSet, steps, dag, script, resource, data, suspend, http, plugin)"
        )
    );
    let cases: Vec<(Body, &str)> = vec![
        (
            Box::new(|p| {
                step(p, "a").argo_template_patch(json!({"name": "Bad_Name"}));
            }),
            "template name `Bad_Name` is invalid: Argo takes letters, digits and `-`",
        ),
        (
            Box::new(|p| {
                step(p, "a").argo_task_patch(json!({"template": "nowhere"}));
            }),
            "task `step` of `patches` runs template `nowhere`, which does not exist",
        ),
        (
            Box::new(|p| {
                step(p, "a").argo_task_patch(json!({"dependencies": ["ghost"]}));
            }),
            "task `step` of `patches` depends on `ghost`, which is no task of that DAG",
        ),
        (
            Box::new(|p| {
                step(p, "a");
                p.argo_patch(json!({"spec": {"entrypoint": "other"}}));
            }),
            "`argo_patch` leaves a workflow Argo refuses: `spec.entrypoint` `other` names no template",
        ),
        (
            Box::new(|p| {
                step(p, "a");
                p.argo_patch(json!({"spec": {"hooks": {"exit": {"template": "cleanup"}}}}));
            }),
            "hook `exit` of the workflow runs template `cleanup`, which does not exist",
        ),
        (
            Box::new(|p| {
                step(p, "a");
                p.argo_patch(json!({"kind": "CronWorkflow"}));
            }),
            "`apiVersion` must stay `argoproj.io/v1alpha1` and `kind` `Workflow`",
        ),
        (
            Box::new(|p| {
                step(p, "a").argo_template_patch(json!({"resource": {"action": "create"}}));
            }),
            "template `step` has several kinds: container, resource",
        ),
        (
            Box::new(|p| {
                step(p, "a");
                p.argo_patch(json!({"metadata": {"generateName": null}}));
            }),
            "`metadata` needs a `name` or a `generateName`",
        ),
    ];
    for (body, expected) in cases {
        let e = argo_error(&build(|p| body(p)));
        assert!(e.starts_with("tests/patches.rs:"), "{e}");
        assert!(e.contains(expected), "expected `{expected}` in `{e}`");
    }
}

#[test]
fn a_patch_must_be_an_object() {
    let line = line!() + 2;
    let e = kfp::Pipeline::build("patches", None, |p| {
        p.argo_patch(json!(["not", "an", "object"]));
    })
    .unwrap_err()
    .to_string();
    assert!(e.contains(&format!("tests/patches.rs:{line}:11")), "{e}");
    assert!(
        e.contains(
            "`argo_patch` takes a JSON object (`json!({\"field\": ...})`), the fields to merge in; got an array"
        ),
        "{e}"
    );
}

#[test]
fn ir_patches_apply_last_and_the_ir_still_validates() {
    let p = build(|p| {
        p.ir_patch(json!({"defaultPipelineRoot": "s3://ml/root", "pipelineInfo": {"description": "patched"}}));
        p.ir_platform_patch(json!({"platforms": {"kubernetes": {"pipelineConfig": {"activeDeadlineSeconds": 600}}}}));
        step(p, "a")
            .ir_executor_patch(json!({"container": {"resources": {"resourceCpuLimit": "2"}}}))
            .ir_platform_executor_patch(json!({"nodeSelector": {"labels": {"pool": "gpu"}}}))
            // Argo's patches are ignored by the IR target.
            .argo_template_patch(json!({"activeDeadlineSeconds": 5}));
    });
    let compiled = kfp::compile_kfp_v2(&p, &CompileOptions::default()).unwrap();
    let yaml = compiled.to_yaml().unwrap();
    assert_eq!(compiled.spec.default_pipeline_root.as_deref(), Some("s3://ml/root"));
    assert!(yaml.contains("description: patched"), "{yaml}");
    assert!(yaml.contains("resourceCpuLimit: '2'") || yaml.contains("resourceCpuLimit: \"2\""), "{yaml}");
    assert!(yaml.contains("pool: gpu"), "{yaml}");
    assert!(yaml.contains("activeDeadlineSeconds: 600"), "{yaml}");
    assert!(!yaml.contains("activeDeadlineSeconds: 5\n"), "{yaml}");
    assert_lints_clean("patches", &yaml);
}

#[test]
fn an_ir_patch_outside_the_ir_schema_names_its_line() {
    let line = line!() + 2;
    let p = build(|p| {
        step(p, "a").ir_executor_patch(json!({"container": {"workingDir": "/work"}}));
    });
    let e = ir_error(&p);
    assert!(e.starts_with(&format!("tests/patches.rs:{line}:22: `ir_executor_patch` leaves a PipelineSpec the KFP API server would refuse: unknown field `workingDir`")), "{e}");
    let p = build(|p| {
        step(p, "a");
        p.ir_patch(json!({"root": null}));
    });
    assert!(
        ir_error(&p).contains("`ir_patch` leaves a PipelineSpec the KFP API server would refuse: missing field `root`")
    );
}

#[test]
fn the_example_validates_on_both_targets() {
    let yaml = compile_example("escape_hatch", &[]);
    let d = doc(&yaml);
    assert_eq!(d["spec"]["podPriorityClassName"], "batch-high");
    assert_eq!(template(&d, "train")["container"]["workingDir"], "/work");
    validate("example", &yaml);
    let ir = compile_example("escape_hatch", &["--target", "kfp-v2"]);
    assert!(ir.contains("defaultPipelineRoot: s3://ml-pipelines/root"), "{ir}");
    assert_lints_clean("escape-hatch", &ir);
}

#[test]
fn the_local_runner_leaves_patches_out_and_says_so() {
    let p = build(|p| {
        step(p, "a").argo_template_patch(json!({"activeDeadlineSeconds": 5}));
    });
    let wf = kfp::compile_pipeline(&p, &CompileOptions::default()).unwrap();
    let note = kfp::runner::patches_note(&wf).unwrap();
    assert!(note.starts_with("note: the local run leaves out 1 merge patch (they are for the cluster): argo_template_patch (tests/patches.rs:"), "{note}");
    let plain = kfp::compile_pipeline(
        &build(|p| {
            step(p, "a");
        }),
        &CompileOptions::default(),
    )
    .unwrap();
    assert_eq!(kfp::runner::patches_note(&plain), None);
}
