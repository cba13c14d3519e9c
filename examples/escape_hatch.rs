//! The escape hatch: JSON merge patches (RFC 7396) for fields kfp-rs does not model yet, applied last
//! by the backend each call names (`argo_*` when compiling for Argo, `ir_*` for the KFP v2 IR; the
//! other backend ignores it), then checked again: a patch that breaks the document is an error naming
//! its line. `null` removes a field, an object merges, anything else replaces.
//!
//!     cargo run --example escape_hatch -- compile
//!     cargo run --example escape_hatch -- compile --target kfp-v2

use kfp::json;
use kfp::prelude::*;

/// Trains for a while.
#[container_component(image = "registry.example.com/ml/trainer:1.2.3")]
fn train(epochs: Param<u32>) -> ContainerSpec {
    ContainerSpec::new(["train", "--epochs"]).arg(epochs)
}

/// Reports what happened.
#[container_component(image = "alpine:3.20")]
fn report(msg: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["echo"]).arg(msg)
}

#[pipeline(name = "escape hatch", description = "merge patches for fields kfp-rs does not model")]
fn escape_hatch(p: &Dag, #[default(3)] epochs: Param<u32>) {
    // Argo: the whole workflow (metadata of every pod, a priority class).
    p.argo_patch(json!({
        "spec": {
            "podMetadata": {"labels": {"team": "ml"}},
            "podPriorityClassName": "batch-high"
        }
    }));
    // KFP v2 IR: the PipelineSpec (a pipeline root); the result must still be IR.
    p.ir_patch(json!({"defaultPipelineRoot": "s3://ml-pipelines/root"}));

    let fit = train(p, epochs)
        // Argo: the template this task runs: a deadline, a template label, a field inside `container`.
        .argo_template_patch(json!({
            "activeDeadlineSeconds": 3600,
            "metadata": {"labels": {"tier": "gpu"}},
            "container": {"workingDir": "/work"}
        }))
        // KFP v2 IR: the task's executor, and its kfp-kubernetes executor config.
        .ir_executor_patch(json!({"container": {"resources": {"resourceCpuLimit": "2"}}}))
        .ir_platform_executor_patch(json!({"nodeSelector": {"labels": {"pool": "gpu"}}}));
    // Argo: the task's entry in the DAG: the pipeline goes on if it fails.
    report(p, "done").after(&fit).argo_task_patch(json!({"continueOn": {"failed": true}}));
}

fn main() {
    kfp::main(escape_hatch);
}
