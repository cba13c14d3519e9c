use kfp::prelude::*;

#[container_component(image = "alpine")]
fn echo(msg: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["echo"]).arg(msg)
}

#[pipeline]
fn returns_a_param(p: &Dag, msg: Param<String>) -> Param<String> {
    echo(p, msg);
    msg
}

fn main() {}
