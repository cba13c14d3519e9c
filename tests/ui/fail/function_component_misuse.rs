use kfp::prelude::*;

#[component]
fn takes_param(n: Param<u32>, out: OutputParam<u32>) -> u32 {
    0
}

#[component]
fn returns_a_file() -> std::fs::File {
    unimplemented!()
}

#[component]
fn fit(epochs: u32, data: Input<Dataset>) -> f64 {
    0.0
}

#[pipeline]
fn pipe(p: &Dag) {
    let scores = p.parallel_for([1u32, 2], |p, e| fit(p, e, todo!()).output);
    fit(p, scores, todo!());
}

fn main() {}
