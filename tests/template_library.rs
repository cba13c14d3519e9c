//! Components from a WorkflowTemplate library (`p.from_library::<C>(..)`): Argo `templateRef` on
//! their tasks and no copy of their template; the library itself from `--inline-libraries`; the
//! errors for what a library template cannot take; the IR's refusal; the runner's own definitions.

mod support;

use kfp::prelude::*;
use kfp::{CompileOptions, TemplateLibrary};
use support::{compile_example, read_yaml, run_example, temp_dir};

fn templates(wf: &serde_json::Value) -> Vec<&serde_json::Value> {
    wf["spec"]["templates"].as_array().unwrap().iter().collect()
}

fn tasks(wf: &serde_json::Value) -> Vec<&serde_json::Value> {
    templates(wf).into_iter().flat_map(|t| t["dag"]["tasks"].as_array().into_iter().flatten()).collect()
}

#[test]
fn library_tasks_reference_the_library_and_carry_no_copy() {
    let wf = read_yaml(&compile_example("template_library", &[]));
    let names: Vec<&str> = templates(&wf).iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["word-count", "report"], "only the inline component and the DAG");
    let by_name = |n: &str| tasks(&wf).into_iter().find(|t| t["name"] == n).unwrap().clone();
    let tokenize = by_name("tokenize");
    assert_eq!(tokenize["templateRef"], serde_json::json!({"name": "text-components-v1", "template": "tokenize"}));
    assert!(tokenize.get("template").is_none());
    assert_eq!(by_name("count")["templateRef"]["template"], "count");
    assert_eq!(by_name("report")["template"], "report");

    // The library the same binary writes has every referenced template, with the inputs the
    // references pass.
    let lib = read_yaml(&compile_example(
        "template_library",
        &["--kind", "workflow-template", "--name", "text-components-v1", "--inline-libraries"],
    ));
    assert_eq!(lib["kind"], "WorkflowTemplate");
    assert_eq!(lib["metadata"]["name"], "text-components-v1");
    for task in tasks(&wf) {
        let Some(r) = task.get("templateRef") else { continue };
        let template = templates(&lib).into_iter().find(|t| t["name"] == r["template"]).expect("in the library");
        let declared: Vec<&serde_json::Value> =
            template["inputs"]["parameters"].as_array().into_iter().flatten().map(|p| &p["name"]).collect();
        for p in task["arguments"]["parameters"].as_array().into_iter().flatten() {
            assert!(declared.contains(&&p["name"]), "{} passes {} to {}", task["name"], p["name"], r["template"]);
        }
    }
    for (n, text) in [("wf", kfp_yaml(&wf)), ("lib", kfp_yaml(&lib))] {
        support::assert_lints_clean_both(n, &text);
    }
}

fn kfp_yaml(v: &serde_json::Value) -> String {
    serde_json::to_string(v).unwrap()
}

#[container_component(image = "alpine:3.20")]
fn step(n: Param<i64>, out: OutputParam<i64>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c"]).arg(r#"mkdir -p "$(dirname "$1")" && echo $(( $0 + 1 )) > "$1""#).arg(n).arg(out)
}

#[pipeline(name = "cluster-lib")]
fn cluster_lib(p: &Dag) -> Param<i64> {
    p.from_library::<step>(TemplateLibrary::cluster_workflow_template("shared-steps").template("add-one-v2"));
    let a = step(p, 1i64);
    step(p, a.out).out
}

#[pipeline(name = "lib-with-settings")]
fn lib_with_settings(p: &Dag) {
    p.from_library::<step>(TemplateLibrary::workflow_template("shared-steps"));
    step(p, 1i64).cpu_limit("2");
}

#[pipeline(name = "bad-lib")]
fn bad_lib(p: &Dag) {
    p.from_library::<step>(TemplateLibrary::workflow_template("Shared_Steps"));
    p.from_library::<step>(TemplateLibrary::workflow_template("b").template("no spaces"));
    step(p, 1i64);
}

fn line_of(needle: &str) -> usize {
    include_str!("template_library.rs").lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn a_cluster_library_and_a_template_of_another_name() {
    let wf = kfp::compile(&cluster_lib, &CompileOptions::default()).unwrap();
    let wf: serde_json::Value = serde_json::from_str(&kfp::to_json(&wf).unwrap()).unwrap();
    for t in tasks(&wf) {
        assert_eq!(
            t["templateRef"],
            serde_json::json!({"name": "shared-steps", "template": "add-one-v2", "clusterScope": true})
        );
    }
    // The runner runs the code's definition.
    let mut opts = kfp::runner::RunOptions::new(temp_dir("library-run"));
    opts.host = true;
    let report = kfp::runner::run(&cluster_lib, &opts).unwrap();
    assert!(report.succeeded, "{}", report.table());
    assert_eq!(report.outputs["output"], "3");
}

#[test]
fn what_a_library_template_cannot_take_is_an_error_at_the_line() {
    let err = kfp::compile(&lib_with_settings, &CompileOptions::default()).unwrap_err().to_string();
    let line = line_of("p.from_library::<step>(TemplateLibrary::workflow_template(\"shared-steps\"));");
    assert!(err.contains(&format!("tests/template_library.rs:{line}:")), "{err}");
    assert!(err.contains("a task of `step` has settings that live on its template"), "{err}");
    assert!(err.contains("drop `from_library`"), "{err}");

    let err = bad_lib.build().unwrap_err().to_string();
    assert!(err.contains("`Shared_Steps` is not a valid WorkflowTemplate name"), "{err}");
    assert!(err.contains("`no spaces` is not a template name"), "{err}");
    assert!(err.contains(&format!("tests/template_library.rs:{}:", line_of("\"Shared_Steps\""))), "{err}");
}

#[test]
fn the_ir_refuses_a_library_and_lossy_uses_the_code() {
    let out = run_example("template_library", &["compile", "--target", "kfp-v2"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("examples/template_library.rs:40:"), "{err}");
    assert!(err.contains("KFP has no template library"), "{err}");
    let yaml = compile_example("template_library", &["--target", "kfp-v2", "--lossy"]);
    support::assert_lints_clean("template-library", &yaml);
}
