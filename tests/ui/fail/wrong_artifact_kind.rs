use kfp::prelude::*;

#[container_component(image = "alpine")]
fn train(data: Input<Dataset>, model: Output<Model>) -> ContainerSpec {
    ContainerSpec::new(["train"]).arg(data).arg(model)
}

#[pipeline]
fn pipe(p: &Dag) {
    let first = train(p, todo!());
    train(p, first.model);
}

fn main() {}
