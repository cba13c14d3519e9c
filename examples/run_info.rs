//! Values of the run and of the task reading them, kfp's placeholders: the run's id, name and
//! Kubernetes object name, when it was created and scheduled, and the reading task's name and id.
//! Each is a `Param<String>`, passed like any other value, alone or inside `fmt_param!`.
//!
//!     cargo run --example run_info -- compile                    # Argo: {{workflow.uid}}, ...
//!     cargo run --example run_info -- compile --target kfp-v2    # {{$.pipeline_job_uuid}}, ...
//!     cargo run --example run_info -- run --host                 # the local runner's values

use kfp::prelude::*;

/// Says which run and task it ran in.
#[component]
fn stamp(run: String, resource: String, created: String, scheduled: String, task: String, id: String) -> String {
    format!("run {run} ({resource}) created {created}, scheduled {scheduled}: task {task} ({id})")
}

/// Labels a shard with where it ran.
#[component]
fn label(text: String) -> String {
    text
}

#[pipeline(name = "run-info", image = "ghcr.io/kfp-rs/examples:0.1")]
fn run_info(p: &Dag) {
    stamp(
        p,
        p.run_id(),
        p.job_resource_name(),
        p.create_time(),
        p.schedule_time(),
        p.current_task_name(),
        p.current_task_id(),
    );
    p.parallel_for(0..2, |p, shard| {
        label(p, fmt_param!(p, "shard {} of {} read by {}", shard, p.workflow_name(), p.current_task_name()));
    });
}

fn main() {
    kfp::main(run_info);
}
