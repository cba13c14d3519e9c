use kfp::prelude::*;

#[container_component(imag = "alpine")]
fn a(x: Param<u32>) -> ContainerSpec {
    ContainerSpec::new(["a"]).arg(x)
}

#[container_component(image = "alpine", name = 3)]
fn b(x: Param<u32>) -> ContainerSpec {
    ContainerSpec::new(["b"]).arg(x)
}

#[pipeline(nme = "typo")]
fn pipe(p: &Dag) {}

#[pipeline(name = "ok")]
fn q(p: &Dag, #[defualt(3)] n: Param<u32>) {}

fn main() {}
