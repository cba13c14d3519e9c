//! `after_finished` and `after_failed` take the upstream task's handle, never a name, an output or a
//! loop: the task is what the handler watches.
use kfp::prelude::*;

#[container_component(image = "alpine:3.20")]
fn train(score: OutputParam<f64>) -> ContainerSpec {
    ContainerSpec::new(["train"]).arg(score)
}

#[container_component(image = "alpine:3.20")]
fn cleanup() -> ContainerSpec {
    ContainerSpec::new(["true"])
}

#[pipeline(name = "triggers")]
fn triggers(p: &Dag) {
    let t = train(p);
    cleanup(p).after_finished("train");
    cleanup(p).after_failed(&t.score);
    let sweep = p.parallel_for([1u32, 2], |p, _| {
        train(p);
    });
    cleanup(p).after_finished(&sweep);
}

fn main() {}
