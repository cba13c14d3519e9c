//! Run after an upstream failure: `cleanup` runs when `train` has ended, whether it succeeded or
//! failed (kfp's `ignore_upstream_failure()`; Argo `depends` on every outcome of `train`), so the
//! scratch space is released either way. `evaluate` reads the model and runs only after a success.
//! Compiles for Argo and for the KFP v2 IR (`triggerPolicy.strategy: ALL_UPSTREAM_TASKS_COMPLETED`).
//!
//!     cargo run --example cleanup -- compile
//!     cargo run --example cleanup -- compile --target kfp-v2
//!     cargo run --example cleanup -- run --param fail=true    # train fails; cleanup still runs

use std::fs;

use kfp::prelude::*;

/// Trains a model in `scratch`; fails when `fail` is true.
#[component]
fn train(scratch: String, fail: bool, model: Output<Model>) -> Result<(), String> {
    if fail {
        return Err(format!("training in `{scratch}` failed"));
    }
    fs::write(model.path(), format!("weights trained in {scratch}\n")).map_err(|e| e.to_string())
}

/// Scores the model.
#[component]
fn evaluate(model: Input<Model>) -> Result<f64, String> {
    let text = fs::read_to_string(model.path()).map_err(|e| e.to_string())?;
    Ok(text.len() as f64 / 100.0)
}

/// Releases the scratch space, however training ended.
#[component]
fn cleanup(scratch: String) -> String {
    format!("released {scratch}")
}

#[pipeline(name = "train-with-cleanup", image = "ghcr.io/kfp-rs/examples:0.1")]
fn pipeline(p: &Dag, #[default("/scratch/run")] scratch: Param<String>, #[default(false)] fail: Param<bool>) {
    let trained = train(p, scratch, fail);
    evaluate(p, trained.model);
    cleanup(p, scratch).after_finished(&trained);
}

fn main() {
    kfp::main(pipeline);
}
