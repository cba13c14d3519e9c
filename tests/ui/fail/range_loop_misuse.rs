//! A range loop runs over integers: a range of floats, or `..n` with `n` a text parameter, is
//! refused by rustc, and a range's item has the range's type.
use kfp::prelude::*;

#[container_component(image = "alpine:3.20")]
fn shard(index: Param<u32>) -> ContainerSpec {
    ContainerSpec::new(["echo"]).arg(index)
}

#[pipeline(name = "range misuse")]
fn range_misuse(p: &Dag, name: Param<String>, n: Param<i64>) {
    p.parallel_for(0.0..1.0, |_, _| {});
    p.parallel_for(..name, |_, _| {});
    p.parallel_for(..n, |p, i| {
        shard(p, i);
    });
}

fn main() {}
