//! ParallelFor over a task's output, with a nested loop over a field of each item, typed fan-in of the
//! loop's results into a downstream task, and a task after the loop. kfp v1 could not collect a loop's
//! outputs (kubeflow/pipelines#3412); here the loop body returns a `Param<f64>` and the loop gives back
//! a `Param<Vec<f64>>` (Argo's aggregated outputs).
//!
//!     cargo run --example parallel_for_outputs -- compile

use kfp::prelude::*;
use serde::{Deserialize, Serialize};

/// One hyper-parameter sweep: a model and the learning rates to try.
#[derive(Serialize, Deserialize, ParamType)]
struct Sweep {
    model: String,
    rates: Vec<f64>,
}

/// Plans the sweeps: writes a JSON list of `Sweep`s.
#[container_component(image = "python:3.12-alpine")]
fn plan(sweeps: OutputParam<Vec<Sweep>>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c"]).arg(fmt_arg!(
        "mkdir -p $(dirname {}) && echo '[{\"model\": \"tree\", \"rates\": [0.1, 0.3]}, {\"model\": \"mlp\", \"rates\": [0.01]}]' > {}",
        sweeps,
        sweeps
    ))
}

/// Trains one model at one learning rate and reports its score.
#[container_component(image = "python:3.12-alpine")]
fn train(model: Param<String>, lr: Param<f64>, score: OutputParam<f64>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c"])
        .arg(
            "mkdir -p \"$(dirname \"$1\")\" && echo \"training $2\" >&2 && \
             python -c 'import random, sys; print(round(random.random() * float(sys.argv[1]), 3))' \"$0\" > \"$1\"",
        )
        .args([Arg::from(lr), score.into(), model.into()])
}

/// Picks the best of the collected scores.
#[container_component(image = "python:3.12-alpine")]
fn pick_best(scores: Param<Vec<f64>>, best: OutputParam<f64>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c"])
        .arg(
            "mkdir -p \"$(dirname \"$1\")\" && \
             python -c 'import json, sys; print(max(float(s) for s in json.loads(sys.argv[1])))' \"$0\" > \"$1\"",
        )
        .arg(scores)
        .arg(best)
}

/// Says the sweep is over.
#[container_component(image = "alpine:3.20")]
fn report(best: Param<f64>) -> ContainerSpec {
    ContainerSpec::new(["echo"]).arg(fmt_arg!("best score: {}", best))
}

#[pipeline(name = "ParallelFor over outputs", description = "loop over a task output, nested loop, typed fan-in")]
fn parallel_for_outputs(p: &Dag) {
    let sweeps = plan(p).sweeps;
    // For each sweep (withParam over the task output), for each of its rates (withParam over the
    // item's field), train; collect the scores of the inner loop, then of the outer one.
    let per_sweep = p.parallel_for(sweeps, |p, sweep| {
        let scores = p.parallel_for(sweep.rates, |p, lr| train(p, sweep.model, lr).score);
        pick_best(p, scores).best
    });
    let best = pick_best(p, per_sweep);
    report(p, best.best).after(&per_sweep);
}

fn main() {
    kfp::main(parallel_for_outputs);
}
