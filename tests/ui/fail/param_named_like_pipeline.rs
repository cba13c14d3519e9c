use kfp::prelude::*;

#[pipeline]
fn epochs(p: &Dag, epochs: Param<u32>) {}

fn main() {}
