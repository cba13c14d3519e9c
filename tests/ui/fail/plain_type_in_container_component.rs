use kfp::prelude::*;

#[container_component(image = "alpine")]
fn fit(epochs: u32, data: std::path::PathBuf) -> ContainerSpec {
    ContainerSpec::new(["fit"])
}

#[pipeline]
fn pipe(p: &Dag, epochs: u32) {}

fn main() {}
