use kfp::prelude::*;

// `CSV` is no kind of kfp's: the call defines a kind of that name, shared by both files.
load_component!("../../../examples/components/csv/export_csv.yaml", "../../../examples/components/csv/csv_stats.yaml");
load_component!("../../../examples/components/make_data.yaml");
load_component!("../../../examples/components/train.yaml");

#[pipeline]
fn pipe(p: &Dag) {
    let data = make_data(p, absent(), absent(), absent());
    let fit = train(p, data.data, absent(), absent());
    // A `Model` into a `CSV` input, as kfp v1's type check refuses it.
    csv_stats(p, fit.model, absent(), absent());
    // A `Dataset` is no `CSV` either.
    csv_stats(p, data.data, absent(), absent());
    // The untyped `note` takes any artifact; `table` takes the `CSV` that `Export CSV` writes.
    let csv = export_csv(p, data.data, absent());
    csv_stats(p, csv.table, Some(fit.model), absent());
    // A `CSV` output does not feed a `Dataset` input.
    train(p, csv.table, absent(), absent());
}

fn main() {}
