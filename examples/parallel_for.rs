//! ParallelFor over static lists: the Rust version of kfp v1's `d_parallelfor_static.py`
//! (`../shared/reference/kfp-v1/`). A loop over a list of structs with typed field access
//! (`cfg.model`, `cfg.lr`: Argo's `{{item.model}}`), a pipeline parameter used inside the loop, a loop
//! over plain numbers with at most two iterations at a time, and a task after the first loop.
//!
//!     cargo run --example parallel_for -- compile

use kfp::prelude::*;
use serde::{Deserialize, Serialize};

/// A model to train.
#[derive(Serialize, Deserialize, ParamType)]
struct Config {
    model: String,
    lr: f64,
}

/// Trains one configuration (here: says so).
#[container_component(image = "alpine:3.18")]
fn train(model: Param<String>, lr: Param<f64>, dataset: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["echo"]).args([
        Arg::from("model"),
        model.into(),
        "lr".into(),
        lr.into(),
        "on".into(),
        dataset.into(),
    ])
}

/// Runs with one seed.
#[container_component(image = "alpine:3.18")]
fn seeded(seed: Param<u32>) -> ContainerSpec {
    ContainerSpec::new(["echo"]).arg("seed").arg(seed)
}

/// Reports the end of training.
#[container_component(image = "alpine:3.18")]
fn done() -> ContainerSpec {
    ContainerSpec::new(["echo"]).arg("all configs trained")
}

#[pipeline(name = "ParallelFor static")]
fn parallel_for(p: &Dag, #[default("iris")] dataset: Param<String>) {
    let configs = vec![
        Config { model: "linear".into(), lr: 0.1 },
        Config { model: "tree".into(), lr: 0.01 },
        Config { model: "mlp".into(), lr: 0.001 },
    ];
    let trained = p.parallel_for(configs, |p, cfg| {
        train(p, cfg.model, cfg.lr, dataset);
    });
    p.parallel_for_limit([1u32, 2, 3, 4, 5], 2, |p, seed| {
        seeded(p, seed);
    });
    done(p).after(&trained);
}

fn main() {
    kfp::main(parallel_for);
}
