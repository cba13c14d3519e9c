//! Resources and the image from values of the run: `size` looks at the data and says how much
//! memory `train` needs, and `train` asks for exactly that, in the image the `image` parameter
//! names; each shard of a loop gets the GPUs its item says. Argo passes such a value to the task as
//! a template input that `podSpecPatch` reads through `toJson` (so a value can only be one JSON
//! string of the patch) and the image reads as `{{inputs.parameters.kfp-setting-image}}`; the KFP v2
//! IR writes `resourceMemoryLimit: "{{$.inputs.parameters['kfp-setting-limits-memory']}}"`, as kfp
//! writes `set_memory_limit(task.output)` and `set_container_image(image)`.
//!
//!     cargo run --example sized -- compile
//!     cargo run --example sized -- compile --target kfp-v2
//!     cargo run --example sized -- run --host

use kfp::prelude::*;
use serde::{Deserialize, Serialize};

/// The memory a training on `rows` rows needs.
#[component]
fn size(rows: i64) -> String {
    if rows > 1_000_000 { "16Gi".to_owned() } else { "4Gi".to_owned() }
}

#[container_component(image = "alpine:3.20")]
fn train(rows: Param<i64>) -> ContainerSpec {
    ContainerSpec::new(["echo", "training on rows:"]).arg(rows)
}

#[derive(Serialize, Deserialize, ParamType)]
struct Shard {
    rows: i64,
    gpus: i64,
}

#[pipeline(name = "sized", image = "ghcr.io/kfp-rs/examples:0.1")]
fn sized(p: &Dag, #[default(5000)] rows: Param<i64>, #[default("alpine:3.20")] image: Param<String>) {
    let memory = size(p, rows);
    train(p, rows).memory_limit(memory.output).cpu_limit("2").image(image);
    let shards = vec![Shard { rows: 1000, gpus: 1 }, Shard { rows: 4000, gpus: 2 }];
    p.parallel_for(shards, |p, shard| {
        train(p, shard.rows).gpu_limit(shard.gpus);
    });
}

fn main() {
    kfp::main(sized);
}
