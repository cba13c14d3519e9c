use kfp::prelude::*;

#[container_component(image = "alpine")]
fn fit(data: Input<Dataset>) -> ContainerSpec {
    ContainerSpec::new(["fit"]).arg(data)
}

#[container_component(image = "alpine")]
fn score(data: Input<Model>, out: Output<Metrics>) -> ContainerSpec {
    ContainerSpec::new(["score"]).arg(data).arg(out)
}

#[pipeline]
fn pipe(p: &Dag) {
    let s = score(p, todo!());
    fit(p, s.out);
}

fn main() {}
