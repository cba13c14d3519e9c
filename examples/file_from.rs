//! A constant or a parameter passed to a step as a file (kfp v1's `InputArgumentPath`): the step
//! reads a path, the pipeline gives it text. `p.file_from::<K>(value)` makes the value an
//! `Artifact<K>`.
//!
//! On Argo the consuming task's artifact is a raw artifact (`raw: {data: ...}`) holding the text; the
//! KFP v2 IR has no such artifact (kfp 2.17 refuses a constant for an artifact input), so
//! `compile --target kfp-v2` refuses it, naming the line. The local runner writes the file.
//!
//!     cargo run --example file_from -- compile
//!     cargo run --example file_from -- run --param 'config={"lr": 0.5}'

use kfp::prelude::*;

/// Prints the configuration file and the header file.
#[container_component(image = "alpine:3.20")]
fn show(config: Input<Dataset>, header: Input<Dataset>) -> ContainerSpec {
    ContainerSpec::new(["cat"]).arg(config).arg(header)
}

#[pipeline(name = "file-from")]
fn file_from(
    p: &Dag,
    /// The configuration, given to `show` as a file.
    #[default("{\"lr\": 0.1}")]
    config: Param<String>,
) {
    let config = p.file_from::<Dataset>(config);
    let header = p.file_from::<Dataset>("id,label\n");
    show(p, config, header);
}

fn main() {
    kfp::main(file_from);
}
