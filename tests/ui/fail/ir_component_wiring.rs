// A kfp 2.x IR component file is typed like a component.yaml: wiring mistakes are rustc errors.
use kfp::prelude::*;

load_component!("../../../examples/components/ir/all_parameters.yaml");
load_component!("../../../examples/components/ir/summarize.yaml");

#[pipeline]
fn pipe(p: &Dag) {
    // Inputs in alphabetical order: columns, header, name, note, options, rows, scale.
    let made = make_table(p, absent(), absent(), "t", absent(), absent(), absent(), absent());
    // `count` is an Integer output, not a Dataset.
    summarize(p, made.count, absent(), absent());
    // `limit` is an Integer input.
    summarize(p, made.table, Some("five"), absent());
    // `header` is a Boolean input.
    make_table(p, absent(), Some("yes"), "t", absent(), absent(), absent(), absent());
}

fn main() {}
