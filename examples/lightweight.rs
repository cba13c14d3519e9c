//! Rust function components: the body of each component runs as the step, executed by this same
//! binary's `component` subcommand inside the container (and by `run` on this machine). Typed
//! parameters, a struct of several named outputs, and an artifact written by one step and read by the
//! next.
//!
//!     cargo run --example lightweight -- compile        # the workflow
//!     cargo run --example lightweight -- run            # run it here

use std::fs;

use kfp::prelude::*;

/// Writes `rows` lines of numbers.
#[component]
fn make_numbers(rows: u32, scale: f64, numbers: Output<Dataset>) -> Result<u32, std::io::Error> {
    let text: String = (1..=rows).map(|i| format!("{}\n", f64::from(i) * scale)).collect();
    fs::write(numbers.path(), text)?;
    Ok(rows)
}

/// Summary statistics of a column of numbers.
#[derive(Outputs)]
struct Stats {
    count: u32,
    mean: f64,
    max: f64,
}

/// Reads the numbers and summarises them.
#[component]
fn summarise(numbers: Input<Dataset>) -> Result<Stats, String> {
    let text = fs::read_to_string(numbers.path()).map_err(|e| e.to_string())?;
    let values: Vec<f64> =
        text.lines().map(|l| l.trim().parse::<f64>().map_err(|e| format!("`{l}`: {e}"))).collect::<Result<_, _>>()?;
    if values.is_empty() {
        return Err("no numbers".to_owned());
    }
    let max = values.iter().copied().fold(f64::MIN, f64::max);
    Ok(Stats { count: values.len() as u32, mean: values.iter().sum::<f64>() / values.len() as f64, max })
}

/// Formats a report.
#[component]
fn report(count: u32, mean: f64, max: f64, label: String) -> String {
    format!("{label}: {count} numbers, mean {mean:.3}, max {max:.3}")
}

#[pipeline(name = "lightweight", image = "ghcr.io/kfp-rs/examples:0.1")]
fn lightweight(p: &Dag, #[default(10)] rows: Param<u32>, #[default("numbers")] label: Param<String>) {
    let made = make_numbers(p, rows, 0.5);
    let stats = summarise(p, made.numbers);
    report(p, stats.count, stats.mean, stats.max, label);
    // An independent baseline branch: it finishes even when the main branch fails (`--param rows=0`
    // makes `summarise` fail with "no numbers").
    let baseline = make_numbers(p, 3, 2.0);
    summarise(p, baseline.numbers);
}

fn main() {
    kfp::main(lightweight);
}
