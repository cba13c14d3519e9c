//! Recursion with a graph component: the Rust version of kfp v1's `g_recursion.py`
//! (`../shared/reference/kfp-v1/`): flip a coin until it shows tails. The graph component calls itself
//! inside a condition, so its DAG template references itself; a task runs after the whole recursion
//! and reads an output of a task outside it.
//!
//!     cargo run --example recursion -- compile

use kfp::prelude::*;

/// Flips a coin: `heads` or `tails`.
#[container_component(image = "python:3.10-alpine")]
fn flip(output: OutputParam<String>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c"]).arg(fmt_arg!(
        "mkdir -p $(dirname {}) && python -c \"import random; print(random.choice(['heads', 'tails']))\" | tee {}",
        output,
        output
    ))
}

/// Logs a message with a tag.
#[container_component(image = "alpine:3.18")]
fn log(msg: Param<String>, tag: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["echo"]).arg(tag).arg(msg)
}

/// Logs the previous flip, flips again, and recurses while the coin shows heads.
#[graph_component]
fn flip_until_tails(p: &Dag, previous: Param<String>, tag: Param<String>) {
    let logged = log(p, previous, tag);
    let next = flip(p);
    next.after(&logged);
    p.condition(next.output.eq("heads"), |p| {
        flip_until_tails(p, next.output, tag);
    });
}

#[pipeline(name = "Recursion flip until tails")]
fn recursion(p: &Dag, #[default("run")] tag: Param<String>) {
    let first = flip(p);
    let repeat = flip_until_tails(p, first.output, tag);
    log(p, fmt_param!(p, "finished; first flip was {}", first.output), tag).after(&repeat);
}

fn main() {
    kfp::main(recursion);
}
