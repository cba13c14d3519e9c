//! A loop over a task's output with many items, each a Rust function component: the local runner
//! runs at most `--parallelism` steps at once and spawns no thread per item, so thousands of items
//! are fine. `fail`, `sleep_ms` and `pid_dir` make item 1 fail or the steps slow, to see how `run`
//! reports failures and interrupts.
//!
//!     cargo run --example many_steps -- run --param n=1000
//!     cargo run --example many_steps -- run --param fail=panic     # item 1 panics

use std::time::Duration;

use kfp::prelude::*;

/// The numbers `0..n`.
#[component]
fn numbers(n: u32) -> Vec<u32> {
    (0..n).collect()
}

/// Squares `x`, after `sleep_ms`. Item 1 fails if `fail` is `panic` or `error`. With a `pid_dir`, it
/// first writes its process id to `<pid_dir>/<x>.pid`.
#[component]
fn square(x: u32, sleep_ms: u64, fail: String, pid_dir: String) -> Result<u64, String> {
    if !pid_dir.is_empty() {
        std::fs::write(format!("{pid_dir}/{x}.pid"), std::process::id().to_string()).map_err(|e| e.to_string())?;
    }
    std::thread::sleep(Duration::from_millis(sleep_ms));
    match fail.as_str() {
        "panic" if x == 1 => panic!("item {x} gave up"),
        "error" if x == 1 => Err(format!("item {x} has no square")),
        _ => Ok(u64::from(x) * u64::from(x)),
    }
}

/// Adds the squares up.
#[component]
fn total(squares: Vec<u64>) -> u64 {
    squares.iter().sum()
}

#[pipeline(name = "many steps", image = "ghcr.io/kfp-rs/examples:0.1")]
fn many_steps(
    p: &Dag,
    #[default(3)] n: Param<u32>,
    #[default(0)] sleep_ms: Param<u64>,
    #[default("")] fail: Param<String>,
    #[default("")] pid_dir: Param<String>,
) {
    let items = numbers(p, n);
    let squares = p.parallel_for(items.output, |p, x| square(p, x, sleep_ms, fail, pid_dir).output);
    total(p, squares);
}

fn main() {
    kfp::main(many_steps);
}
