use kfp::prelude::*;

#[container_component(image = "alpine")]
fn count(n: OutputParam<u32>) -> ContainerSpec {
    ContainerSpec::new(["count"]).arg(n)
}

#[container_component(image = "alpine")]
fn echo(msg: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["echo"]).arg(msg)
}

#[pipeline]
fn pipe(p: &Dag, mode: Param<String>, rate: Param<f64>) {
    let n = count(p).n;
    p.condition(n.gt("three"), |p| {
        echo(p, "a");
    });
    p.condition(mode.eq(3), |p| {
        echo(p, "b");
    });
    p.condition(n.lt(rate), |p| {
        echo(p, "c");
    });
    p.condition(mode.gt("a"), |p| {
        echo(p, "d");
    });
    p.condition(n, |p| {
        echo(p, "e");
    });
}

fn main() {}
