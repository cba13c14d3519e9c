// A `ParamType` struct returned from a Rust function component needs no `Debug`.
use kfp::prelude::*;

#[derive(serde::Serialize, serde::Deserialize, ParamType)]
struct Stats {
    mean: f64,
}

#[component]
fn summarise(n: u32) -> Stats {
    Stats { mean: f64::from(n) }
}

#[component]
fn summarise_or_fail(n: u32) -> Result<Stats, String> {
    Ok(Stats { mean: f64::from(n) })
}

#[component]
fn show(stats: Stats) {
    println!("{}", stats.mean);
}

#[pipeline(image = "example.com/stats:1")]
fn stats_pipeline(p: &Dag) {
    let s = summarise(p, 3);
    show(p, s.output);
    let t = summarise_or_fail(p, 4);
    show(p, t.output);
}

fn main() {
    kfp::compile(&stats_pipeline, &Default::default()).unwrap();
    assert_eq!(summarise::run(2).mean, 2.0);
}
