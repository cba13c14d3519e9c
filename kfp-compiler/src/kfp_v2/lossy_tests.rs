//! Tests of `--lossy`: what the IR cannot express is left out with a warning, tasks that waited for
//! a step left out wait for what it waited for, and a value read from a step left out stays an error.

use kfp_dsl::model::{ComponentSpec, ContainerSpec, ResourceSpec};
use kfp_dsl::{Dag, DynOutputs, ExtraContainer, Pipeline, Task, VolumeClaim};
use serde_json::json;

use crate::{CompileError, CompileOptions, compile_kfp_v2};

fn echo(name: &str) -> ComponentSpec {
    ComponentSpec::new(name, None).body(ContainerSpec::new(["echo"]), Some("alpine:3.20"))
}

fn job() -> ComponentSpec {
    let manifest = json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"}});
    ComponentSpec::new("job", None).body(ResourceSpec::create(manifest), None)
}

#[track_caller]
fn call<'a>(p: &'a Dag, spec: &ComponentSpec) -> Task<'a, DynOutputs> {
    p.call_component(spec, [])
}

fn lossy(body: impl FnOnce(&Dag)) -> Result<crate::kfp_v2::Compiled, CompileError> {
    let p = Pipeline::build("lossy", None, body).unwrap();
    compile_kfp_v2(&p, &CompileOptions::default().lossy(true))
}

/// `(task, dependentTasks)` of the root DAG.
fn root_tasks(c: &crate::kfp_v2::Compiled) -> Vec<(String, Vec<String>)> {
    let doc = serde_json::to_value(&c.spec).unwrap();
    let tasks = doc["root"]["dag"]["tasks"].as_object().unwrap();
    tasks
        .iter()
        .map(|(n, t)| {
            let deps = t["dependentTasks"].as_array().into_iter().flatten();
            (n.clone(), deps.map(|d| d.as_str().unwrap().to_owned()).collect())
        })
        .collect()
}

#[test]
fn a_step_left_out_passes_its_dependencies_on() {
    let (a, b) = (echo("a"), echo("b"));
    let c = lossy(|p| {
        let first = call(p, &a);
        let j = call(p, &job()).after(&first);
        let j2 = call(p, &job()).after(&j);
        call(p, &b).after(&j2);
    })
    .unwrap();
    assert_eq!(root_tasks(&c), [("a".to_owned(), vec![]), ("b".to_owned(), vec!["a".to_owned()])]);
    assert!(!serde_json::to_string(&c.spec).unwrap().contains("job"), "no component or executor for the job");
    let warnings = c.warnings();
    assert!(warnings.starts_with("warning: --lossy: the KFP v2 IR leaves out 2 constructs"), "{warnings}");
    assert_eq!(warnings.matches("resource step `job` (`kubectl create` of a Job)").count(), 2, "{warnings}");
    assert!(warnings.contains("(left out with its task)"), "{warnings}");
}

#[test]
fn a_value_from_a_step_left_out_is_still_an_error() {
    let consumer = echo("use").input_param::<String>("size", None);
    let line = line!() + 5;
    let err = lossy(|p| {
        let v = p.volume(VolumeClaim::new("work", "1Gi"));
        let snap = p.volume_snapshot("snap", &v, None);
        snap.task.task_name("snap");
        p.call_component(&consumer, [("size", snap.size.into())]);
    })
    .unwrap_err();
    let text = err.to_string();
    assert!(text.contains(&format!("lossy_tests.rs:{line}:")), "{text}");
    assert!(text.contains("task `use` reads an output of `snap`, which --lossy leaves out"), "{text}");
    assert_eq!(text.matches("reads an output").count(), 1, "one line per producer: {text}");
}

#[test]
fn settings_are_left_out_and_listed() {
    let a = echo("a");
    let c = lossy(|p| {
        call(p, &a).sidecar(ExtraContainer::new("agent", "busybox")).max_cache_staleness("P7D");
    })
    .unwrap();
    let whats: Vec<&str> = c.left_out.iter().map(|u| u.what.as_str()).collect();
    assert_eq!(whats, ["sidecar `agent` of `a`", "max cache staleness `P7D` of `a`"]);
    let yaml = c.to_yaml().unwrap();
    assert!(!yaml.contains("agent") && !yaml.contains("P7D"), "{yaml}");
    // Without `--lossy` the same pipeline is refused.
    let p = Pipeline::build("strict", None, |p| {
        call(p, &a).sidecar(ExtraContainer::new("agent", "busybox"));
    })
    .unwrap();
    assert!(matches!(compile_kfp_v2(&p, &CompileOptions::default()), Err(CompileError::Unsupported { .. })));
}

#[test]
fn nothing_left_is_an_error_not_an_empty_dag() {
    let err = lossy(|p| {
        call(p, &job());
    })
    .unwrap_err()
    .to_string();
    assert!(err.contains("DAG `lossy` has no task left once --lossy leaves out `job`"), "{err}");
}

#[test]
fn without_lossy_nothing_is_left_out() {
    let a = echo("a");
    let p = Pipeline::build("plain", None, |p| {
        call(p, &a);
    })
    .unwrap();
    let c = compile_kfp_v2(&p, &CompileOptions::default()).unwrap();
    assert!(c.left_out.is_empty());
    assert_eq!(c.warnings(), "");
}
