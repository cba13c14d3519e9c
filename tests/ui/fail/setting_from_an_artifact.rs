use kfp::prelude::*;

#[container_component(image = "alpine")]
fn make(data: Output<Dataset>, size: OutputParam<String>) -> ContainerSpec {
    ContainerSpec::new(["make"]).arg(data).arg(size)
}

#[container_component(image = "alpine")]
fn train() -> ContainerSpec {
    ContainerSpec::new(["train"])
}

// Settings from upstream outputs take values, not files.
#[pipeline]
fn sized_by_a_file(p: &Dag) {
    let m = make(p);
    train(p).memory_limit(m.size);
    train(p).memory_limit(m.data);
    train(p).image(m.data);
}

fn main() {}
