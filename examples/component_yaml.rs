//! kfp v1 component.yaml files as typed components. `load_component!` reads each file when this crate
//! is compiled: a wiring mistake is a rustc error, a broken file a compile error naming its line. The
//! two specs under `examples/components/` use every placeholder (`inputValue`, `inputPath`,
//! `outputPath`, `concat`, `if`, `isPresent`), inputs with defaults, optional inputs and an env var;
//! the dataset one writes is passed to the other. `components/ir/summarize.yaml` is a kfp 2.x
//! component file (the IR YAML kfp's compiler writes for a `@dsl.container_component`; its Python
//! source is beside it), loaded and typed the same way: its inputs come in alphabetical order. The two
//! under `components/csv/` use a type kfp has no kind for (`CSV`): it becomes a kind of that name, and
//! `Make data`'s and `Export CSV`'s `metadata` labels and annotations go on their pods, as kfp v1 does.
//!
//!     cargo run --example component_yaml -- compile
//!     cargo run --example component_yaml -- component-spec "Make data"     # export a spec

use kfp::prelude::*;

load_component!("components/make_data.yaml");
load_component!("components/train.yaml");
load_component!("components/ir/summarize.yaml");
// Two files in one call share the kinds kfp has not: `CSV` (and `GCSPath`) become unit structs here, so
// `table` feeds only a `CSV` input, and wiring a `Model` into it is a rustc error.
load_component!("components/csv/export_csv.yaml", "components/csv/csv_stats.yaml");

#[pipeline(name = "component yaml", description = "component.yaml files, typed")]
fn component_yaml(p: &Dag, #[default(50)] rows: Param<i64>) {
    // `seed` given, so `{isPresent: seed}` holds; `prefix` left out, so its default applies.
    let data = make_data(p, Some(rows), Some(7), absent());
    let fit = train(p, data.data, absent(), Some(true));
    // Another call leaves `seed` out: `isPresent` is false there, so it gets its own template.
    let other = make_data(p, absent(), absent(), Some("y"));
    train(p, other.data, Some(3), absent()).after(&fit);
    // The kfp 2.x component: `data`, `limit` (optional), `title` (default `Summary`).
    summarize(p, data.data, Some(5), Some("Random rows"));
    // A `CSV` output into a `CSV` input; `note` is untyped, so the `Model` feeds it; `sample` is a
    // `GCSPath` and left out.
    let csv = export_csv(p, data.data, absent());
    csv_stats(p, csv.table, Some(fit.model), absent());
}

fn main() {
    kfp::main(component_yaml);
}
