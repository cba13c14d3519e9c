use kfp::prelude::*;

#[container_component(image = "alpine")]
fn train(lr: Param<f64>, score: OutputParam<f64>) -> ContainerSpec {
    ContainerSpec::new(["train"]).arg(lr).arg(score)
}

#[pipeline]
fn pipe(p: &Dag) {
    let scores = p.parallel_for([0.1, 0.01], |p, lr| train(p, lr).score);
    train(p, scores);
}

fn main() {}
