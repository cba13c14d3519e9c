use kfp::prelude::*;

load_component!("../../../examples/components/make_data.yaml");
load_component!("../../../examples/components/train.yaml");

#[pipeline]
fn pipe(p: &Dag) {
    let data = make_data(p, absent(), absent(), absent());
    // `count` is an Integer output, not a Dataset.
    train(p, data.count, absent(), absent());
    // `epochs` is an Integer input.
    train(p, data.data, Some("ten"), absent());
}

fn main() {}
