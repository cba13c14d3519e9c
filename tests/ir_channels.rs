//! Values a task's settings read from outside its DAG, on the KFP v2 IR: a claim the pipeline creates,
//! mounted by tasks inside loops and conditions, and a memory limit from a
//! pipeline parameter inside a loop. Each goes down as a `pipelinechannel--...` input of every DAG
//! between (kfp 2.17 itself leaves the parameter's channel out of the loop DAG, an IR its backend
//! cannot run). Every IR passes `ir-validate --werror`.

mod support;

use kfp::prelude::*;
use serde_json::Value;
use support::*;

#[kfp::container_component(image = "alpine:3.18")]
fn write_to_volume(n: Param<u32>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c", "echo \"$0\" > /data/file.txt"]).arg(n)
}

fn compiled(pipeline: &kfp::Pipeline) -> (String, Value) {
    let c = kfp::compile_kfp_v2(pipeline, &kfp::CompileOptions::default()).unwrap();
    let json: Value = serde_json::from_str(&c.to_json().unwrap()).unwrap();
    (c.to_yaml().unwrap(), json)
}

#[test]
fn a_created_claim_reaches_mounts_in_nested_dags() {
    let pipeline = kfp::Pipeline::build("volumes", None, |p| {
        let flag = p.param_with_default::<String>("flag", "on");
        let vol = p.volume(VolumeClaim::new("work-pvc", "1Gi").access_mode("ReadWriteMany"));
        vol.task.task_name("create-pvc");
        // The same component mounted in the DAG that creates the claim and in a loop in a condition:
        // two executors, one reading the CreatePVC task's output, one the channel.
        let first = write_to_volume(p, 0).mount(&vol, "/data");
        let done = p.condition(flag.eq("on"), |p| {
            p.parallel_for(vec![1u32, 2], |p, i| {
                write_to_volume(p, i).mount(&vol, "/data");
            });
        });
        p.delete_volume(&vol).after(&first).after(&done);
    })
    .unwrap();
    let (yaml, doc) = compiled(&pipeline);
    assert_lints_clean("nested", &yaml);
    let root = &doc["pipeline_spec"]["root"]["dag"]["tasks"];
    let (cond_name, cond) = root.as_object().unwrap().iter().find(|(n, _)| n.starts_with("condition")).unwrap();
    assert_eq!(
        cond["inputs"]["parameters"]["pipelinechannel--create-pvc-name"]["taskOutputParameter"],
        serde_json::json!({"outputParameterKey": "name", "producerTask": "create-pvc"}),
        "{cond_name}"
    );
    let executors = &doc["platform_spec"]["platforms"]["kubernetes"]["deploymentSpec"]["executors"];
    let mounts: Vec<&Value> =
        executors.as_object().unwrap().values().map(|e| &e["pvcMount"][0]["pvcNameParameter"]).collect();
    assert_eq!(mounts.len(), 2, "one executor per DAG form: {executors}");
    assert!(mounts.contains(
        &&serde_json::json!({"taskOutputParameter": {"outputParameterKey": "name", "producerTask": "create-pvc"}})
    ));
    assert!(mounts.contains(&&serde_json::json!({"componentInputParameter": "pipelinechannel--create-pvc-name"})));
    // Every DAG between declares the channel.
    for (name, c) in doc["pipeline_spec"]["components"].as_object().unwrap() {
        if c.get("dag").is_some() {
            assert_eq!(
                c["inputDefinitions"]["parameters"]["pipelinechannel--create-pvc-name"]["parameterType"], "STRING",
                "{name}"
            );
        }
    }
}

#[test]
fn a_resource_from_a_parameter_reaches_a_task_in_a_loop() {
    let pipeline = kfp::Pipeline::build("limits", None, |p| {
        let memory = p.param_with_default::<String>("memory", "1Gi");
        p.parallel_for(vec![1u32, 2], |p, i| {
            write_to_volume(p, i).memory_limit(memory);
        });
    })
    .unwrap();
    let (yaml, doc) = compiled(&pipeline);
    assert_lints_clean("limits", &yaml);
    let spec = if doc.get("pipeline_spec").is_some() { &doc["pipeline_spec"] } else { &doc };
    let loop_task = &spec["root"]["dag"]["tasks"]["for-loop-1"];
    assert_eq!(loop_task["inputs"]["parameters"]["pipelinechannel--memory"]["componentInputParameter"], "memory");
    let body = &spec["components"]["comp-for-loop-1"];
    assert_eq!(body["inputDefinitions"]["parameters"]["pipelinechannel--memory"]["parameterType"], "STRING");
    let task = &body["dag"]["tasks"]["write-to-volume"]["inputs"]["parameters"];
    assert_eq!(task["pipelinechannel--memory"]["componentInputParameter"], "pipelinechannel--memory");
}
