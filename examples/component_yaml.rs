//! kfp v1 component.yaml files as typed components. `load_component!` reads each file when this crate
//! is compiled: a wiring mistake is a rustc error, a broken file a compile error naming its line. The
//! two specs under `examples/components/` use every placeholder (`inputValue`, `inputPath`,
//! `outputPath`, `concat`, `if`, `isPresent`), inputs with defaults, optional inputs and an env var;
//! the dataset one writes is passed to the other.
//!
//!     cargo run --example component_yaml -- compile
//!     cargo run --example component_yaml -- component-spec "Make data"     # export a spec

use kfp::prelude::*;

load_component!("components/make_data.yaml");
load_component!("components/train.yaml");

#[pipeline(name = "component yaml", description = "component.yaml files, typed")]
fn component_yaml(p: &Dag, #[default(50)] rows: Param<i64>) {
    // `seed` given, so `{isPresent: seed}` holds; `prefix` left out, so its default applies.
    let data = make_data(p, Some(rows), Some(7), absent());
    let fit = train(p, data.data, absent(), Some(true));
    // Another call leaves `seed` out: `isPresent` is false there, so it gets its own template.
    let other = make_data(p, absent(), absent(), Some("y"));
    train(p, other.data, Some(3), absent()).after(&fit);
}

fn main() {
    kfp::main(component_yaml);
}
