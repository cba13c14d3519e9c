use kfp::prelude::*;

#[container_component(image = "alpine")]
fn train(lr: Param<f64>) -> ContainerSpec {
    ContainerSpec::new(["train"]).arg(lr)
}

#[pipeline]
fn pipe(p: &Dag) {
    let mut escaped = None;
    p.parallel_for([0.1, 0.01], |p, lr| {
        train(p, lr);
        escaped = Some(lr);
    });
    train(p, escaped.unwrap());
}

fn main() {}
