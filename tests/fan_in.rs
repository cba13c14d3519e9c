//! Typed fan-in of artifacts: a loop's body returns a task's output artifact, a later task takes the
//! collected `Artifact<Vec<K>>` as `Input<Vec<K>>`. The example `collected_artifacts` run here; on
//! Argo, key-only artifacts (and the loops that cannot use them); on the KFP v2 IR, an artifact list
//! (and the consumers it cannot feed); the dynamic call's check of list against single artifacts.

mod support;

use kfp::prelude::*;
use kfp::{CompileError, CompileOptions};
use support::*;

/// Writes a shard.
#[container_component(image = "alpine:3.20")]
fn shard(n: Param<u32>, out: Output<Dataset>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c", "seq \"$0\" > \"$1\""]).arg(n).arg(out)
}

/// Counts the lines of every shard, in a container.
#[container_component(image = "alpine:3.20")]
fn count_all(shards: Input<Vec<Dataset>>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c", "cat \"$0\"/* | wc -l"]).arg(shards)
}

/// Counts the lines of every shard, in Rust.
#[component(image = "ghcr.io/x/y:1")]
fn count_rows(shards: Input<Vec<Dataset>>) -> Result<u32, String> {
    let mut n = 0;
    for p in shards.paths()? {
        n += std::fs::read_to_string(p).map_err(|e| e.to_string())?.lines().count() as u32;
    }
    Ok(n)
}

fn build(body: impl FnOnce(&Dag)) -> kfp::Pipeline {
    kfp::Pipeline::build("fan-in", None, body).expect("builds")
}

fn argo(p: &kfp::Pipeline) -> Result<kfp::argo::Workflow, CompileError> {
    kfp::compile_pipeline(p, &CompileOptions::default())
}

#[test]
fn the_example_runs_and_merges_every_shard_in_iteration_order() {
    let dir = temp_dir("fan-in-run").join("run");
    let out = run_example("collected_artifacts", &["run", "--workdir", dir.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    let merged = std::fs::read_to_string(dir.join("merge/outputs/merged/data")).expect("merged");
    let lines: Vec<&str> = merged.lines().collect();
    assert_eq!(lines.len(), 100);
    assert_eq!(
        (lines[0], lines[79], lines[80], lines[94], lines[95], lines[99]),
        ("train,1", "train,80", "eval,1", "eval,15", "test,1", "test,5")
    );
    assert_eq!(std::fs::read_to_string(dir.join("merge/outputs/output/data")).unwrap(), "100");
    // One entry per iteration, named by its index, under the loop's key.
    let key = dir.join("artifact-repository/run/kfp-fan-in/for-loop-1/make-shard-shard");
    let mut entries: Vec<String> =
        std::fs::read_dir(&key).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    entries.sort();
    assert_eq!(entries, ["0", "1", "2"]);
    assert_eq!(std::fs::read_to_string(key.join("2")).unwrap().lines().count(), 5);
}

#[test]
fn a_nested_loop_cannot_collect_artifacts_on_argo() {
    let line = line!() + 3;
    let p = build(|p| {
        p.parallel_for([1u32, 2], |p, _| {
            let shards = p.parallel_for([3u32, 4], |p, n| shard(p, n).out);
            count_rows(p, shards);
        });
    });
    let err = argo(&p).unwrap_err().to_string();
    assert!(err.contains(&format!("tests/fan_in.rs:{line}:")), "{err}");
    assert!(
        err.contains(
            "this loop collects artifacts, which Argo reads back from one key per loop, but it is inside another \
             loop, so its runs would mix under one key: collect the artifacts in a loop that runs once per run, \
             or compile with `--target kfp-v2`"
        ),
        "{err}"
    );
    // The IR has a list per loop instance: it compiles there.
    kfp::compile_kfp_v2(&p, &CompileOptions::default()).expect("compiles to the IR");
}

#[test]
fn a_container_cannot_read_a_list_on_the_ir() {
    let line = line!() + 3;
    let p = build(|p| {
        let shards = p.parallel_for([1u32, 2], |p, n| shard(p, n).out);
        count_all(p, shards);
    });
    let err = kfp::compile_kfp_v2(&p, &CompileOptions::default()).unwrap_err().to_string();
    assert!(err.contains(&format!("tests/fan_in.rs:{line}:")), "{err}");
    assert!(
        err.contains(
            "list input `shards` of container component `count_all` cannot be expressed in the KFP v2 IR: the KFP \
             v2 launcher gives a container only the first artifact of a list"
        ),
        "{err}"
    );
    // On Argo a container reads the list as a directory.
    let wf = argo(&p).expect("compiles for Argo");
    let yaml = kfp::argo::to_yaml(&wf).unwrap();
    assert!(yaml.contains("key: \"{{workflow.uid}}/kfp-fan-in/for-loop-1/shard-out\""), "{yaml}");
    assert!(yaml.contains("key: \"{{workflow.uid}}/kfp-fan-in/for-loop-1/shard-out/{{pod.name}}\""), "{yaml}");
}

#[test]
fn a_producer_keeps_its_shared_template_outside_the_loop() {
    let p = build(|p| {
        let shards = p.parallel_for([1u32, 2], |p, n| shard(p, n).out);
        count_rows(p, shards);
        let single = shard(p, 5u32);
        let _ = single;
    });
    let wf = argo(&p).unwrap();
    let keyed: Vec<&str> = wf
        .spec
        .templates
        .iter()
        .filter(|t| t.outputs.artifacts.iter().any(|a| a.s3.is_some()))
        .map(|t| t.name.as_str())
        .collect();
    assert_eq!(keyed, ["shard"], "only the looped call writes by key");
    assert!(wf.spec.templates.iter().any(|t| t.name == "shard-2" && t.outputs.artifacts[0].s3.is_none()));
}

#[test]
fn a_dynamic_call_checks_lists_against_single_artifacts() {
    let spec = kfp::ComponentSpec::new("merge", None)
        .input_artifact::<Vec<Dataset>>("shards", None)
        .body(ContainerSpec::new(["ls"]).image("alpine:3.20"), None);
    let line = line!() + 3;
    let err = kfp::Pipeline::build("dyn", None, |p| {
        let one = shard(p, 1u32).out;
        p.call_component(&spec, [("shards", one.into())]);
    })
    .unwrap_err()
    .to_string();
    assert!(err.contains(&format!("tests/fan_in.rs:{line}:")), "{err}");
    assert!(
        err.contains(
            "input `shards` is a list of artifacts (Dataset): pass the `Artifact<Vec<_>>` a loop collected, not one \
             artifact"
        ),
        "{err}"
    );
    let single = kfp::ComponentSpec::new("one", None)
        .input_artifact::<Dataset>("data", None)
        .body(ContainerSpec::new(["ls"]).image("alpine:3.20"), None);
    let err = kfp::Pipeline::build("dyn", None, |p| {
        let all = p.parallel_for([1u32], |p, n| shard(p, n).out);
        p.call_component(&single, [("data", all.into())]);
    })
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("input `data` is one artifact (Dataset): pass one artifact, not a list a loop collected"),
        "{err}"
    );
    // A list the dynamic call accepts.
    kfp::Pipeline::build("dyn", None, |p| {
        let all = p.parallel_for([1u32], |p, n| shard(p, n).out);
        p.call_component(&spec, [("shards", all.into())]);
    })
    .expect("a collected list feeds a list input");
}

/// Collects shards inside a graph component's body, which can be called more than once.
#[graph_component]
fn shards_in_a_graph(p: &Dag, n: Param<u32>) {
    let shards = p.parallel_for([1u32, 2], |p, _| shard(p, n).out);
    count_rows(p, shards);
}

#[test]
fn a_loop_in_a_graph_components_body_cannot_collect_artifacts_on_argo() {
    let p = build(|p| {
        shards_in_a_graph(p, 3u32);
    });
    let err = argo(&p).unwrap_err().to_string();
    assert!(
        err.contains(
            "but it is in a graph component's body, which can be called more than once, so its runs would mix"
        ),
        "{err}"
    );
}

#[test]
fn a_list_cannot_be_used_away_from_its_loop() {
    let line = line!() + 5;
    let p = build(|p| {
        let shards = p.parallel_for([1u32, 2], |p, n| shard(p, n).out);
        let rows = count_rows(p, shards).output;
        p.condition(rows.gt(1), |p| {
            count_rows(p, shards);
        });
    });
    for err in [
        argo(&p).unwrap_err().to_string(),
        kfp::compile_kfp_v2(&p, &CompileOptions::default()).unwrap_err().to_string(),
    ] {
        assert!(err.contains(&format!("tests/fan_in.rs:{line}:")), "{err}");
        assert!(
            err.contains(
                "input `shards`: a loop's collected artifacts can only be used by tasks beside the loop (in the \
                 scope that holds it), not in a nested or enclosing scope"
            ),
            "{err}"
        );
    }
}

#[test]
fn a_list_input_has_no_component_yaml_form() {
    let err = kfp::component_to_yaml(&<count_rows as kfp::Component>::spec(), "bin", Some("img")).unwrap_err();
    assert_eq!(
        err,
        "input `shards` of `count_rows` is a list of artifacts: kfp's component.yaml has no way to write one (it \
         would read back as one artifact)"
    );
}

#[test]
fn an_output_cannot_be_a_list() {
    let spec = kfp::ComponentSpec::new("make", None)
        .output_artifact::<Vec<Dataset>>("all", None)
        .body(ContainerSpec::new(["ls"]).image("alpine:3.20"), None);
    assert_eq!(
        spec.check(),
        ["output `all` is a list of artifacts: a step writes one artifact per output; a loop collects them into a \
          list (return the output from the `parallel_for` body)"]
    );
}
