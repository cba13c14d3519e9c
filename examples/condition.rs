//! Conditions: the Rust version of kfp v1's `f_condition.py` (`../shared/reference/kfp-v1/`).
//! A condition on a task output (`==`), a nested condition, its negation (`!=`), a condition on a
//! pipeline parameter, a numeric comparison (`>`) against a parameter of the same type, and a task
//! after a condition. Comparisons only compile when both sides have the same type.
//!
//!     cargo run --example condition -- compile

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

/// Draws a number from 0 to 100.
#[container_component(image = "python:3.10-alpine", name = "random-number")]
fn random_number(n: OutputParam<u32>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c"]).arg(fmt_arg!(
        "mkdir -p $(dirname {}) && python -c \"import random; print(random.randint(0, 100))\" | tee {}",
        n,
        n
    ))
}

/// Says something.
#[container_component(image = "alpine:3.18")]
fn say(msg: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["echo", ""]).arg(msg)
}

/// Says a number.
#[container_component(image = "alpine:3.18")]
fn say_number(n: Param<u32>) -> ContainerSpec {
    ContainerSpec::new(["echo"]).arg(n)
}

#[pipeline(name = "Conditions")]
fn conditions(p: &Dag, #[default("full")] mode: Param<String>, #[default(50)] threshold: Param<u32>) {
    let first = flip(p).task_name("flip");
    p.condition(first.output.eq("heads"), |p| {
        let again = flip(p).task_name("flip-again");
        p.condition(again.output.eq("tails"), |p| {
            say(p, again.output).task_name("heads-then-tails");
        });
    });
    p.condition(first.output.ne("heads"), |p| {
        say(p, first.output).task_name("tails");
    });
    let full = p.condition(mode.eq("full"), |p| {
        let num = random_number(p);
        p.condition(num.n.gt(threshold), |p| {
            say_number(p, num.n).task_name("big");
        });
    });
    say(p, "done").task_name("after-all").after(&full);
}

fn main() {
    kfp::main(conditions);
}
