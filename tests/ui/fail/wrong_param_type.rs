use kfp::prelude::*;

#[container_component(image = "alpine")]
fn fit(epochs: Param<u32>, lr: Param<f64>) -> ContainerSpec {
    ContainerSpec::new(["fit"]).arg(epochs).arg(lr)
}

#[pipeline]
fn pipe(p: &Dag, url: Param<String>) {
    fit(p, url, 0.1);
    fit(p, 10, "abc");
    fit(p, 10, 1);
}

fn main() {}
