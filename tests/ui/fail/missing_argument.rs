use kfp::prelude::*;

#[container_component(image = "alpine")]
fn fit(epochs: Param<u32>, lr: Param<f64>) -> ContainerSpec {
    ContainerSpec::new(["fit"]).arg(epochs).arg(lr)
}

#[pipeline]
fn pipe(p: &Dag) {
    fit(p, 10);
}

fn main() {}
