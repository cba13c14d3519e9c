use kfp::prelude::*;

#[graph_component]
fn sub(p: &Dag, n: u32, data: Input<Dataset>) {}

fn main() {}
