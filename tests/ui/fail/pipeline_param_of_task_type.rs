use kfp::prelude::*;

#[container_component(image = "alpine")]
fn echo(msg: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["echo"]).arg(msg)
}

#[container_component(image = "alpine")]
fn show(data: Input<Dataset>) -> ContainerSpec {
    ContainerSpec::new(["cat"]).arg(data)
}

// Each mistake is one error, at the type; the body, which uses the values as intended, adds none.
#[pipeline]
fn output_param(p: &Dag, msg: OutputParam<String>) {
    echo(p, msg);
}

#[pipeline]
fn input_artifact(p: &Dag, data: Input<Dataset>) {
    show(p, data);
}

#[pipeline]
fn output_artifact(p: &Dag, data: Output<Dataset>) {
    show(p, data);
}

fn main() {}
