use kfp::prelude::*;

#[container_component(image = "alpine")]
fn fit(epochs: Param<u32>) -> ContainerSpec {
    ContainerSpec::new(["fit"]).arg(epochs)
}

#[pipeline]
fn pipe(p: &Dag, #[default("three")] epochs: Param<u32>) {
    fit(p, epochs);
}

fn main() {}
