//! Pipeline outputs, and a pipeline inside another: `fit` returns its model (an artifact) and its
//! error (a parameter), which are the run's outputs when it runs alone; `release` runs `fit` as a
//! graph component (`fit::call`) for two seeds, keeps the better model and returns it.
//!
//!     cargo run --example pipeline_outputs -- run       # on this machine; the outputs are printed
//!     cargo run --example pipeline_outputs -- compile   # Argo: outputs of the entry template

use std::fs;

use kfp::prelude::*;

/// Writes `rows` points of y = 2x + 1 with a little noise from `seed`, as CSV.
#[component]
fn sample(rows: u32, seed: u64, data: Output<Dataset>) -> Result<(), String> {
    let mut s = seed.max(1);
    let mut csv = String::from("x,y\n");
    for i in 0..rows {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        let noise = (s % 1000) as f64 / 10_000.0 - 0.05;
        let x = f64::from(i) / f64::from(rows.max(1));
        csv.push_str(&format!("{x},{}\n", 2.0 * x + 1.0 + noise));
    }
    fs::write(data.path(), csv).map_err(|e| e.to_string())
}

/// Fits y = a·x + b by least squares, writes the model as JSON and returns the mean squared error.
#[component]
fn fit_line(data: Input<Dataset>, model: Output<Model>) -> Result<f64, String> {
    let text = fs::read_to_string(data.path()).map_err(|e| e.to_string())?;
    let mut pts = Vec::new();
    for l in text.lines().skip(1) {
        let (x, y) = l.split_once(',').ok_or_else(|| format!("bad row `{l}`"))?;
        pts.push((x.parse::<f64>().map_err(|e| e.to_string())?, y.parse::<f64>().map_err(|e| e.to_string())?));
    }
    let n = pts.len() as f64;
    if n < 2.0 {
        return Err("need at least two points".to_owned());
    }
    let (mx, my) = (pts.iter().map(|p| p.0).sum::<f64>() / n, pts.iter().map(|p| p.1).sum::<f64>() / n);
    let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
    let a = sxy / sxx;
    let b = my - a * mx;
    fs::write(model.path(), format!("{{\"a\": {a}, \"b\": {b}}}\n")).map_err(|e| e.to_string())?;
    Ok(pts.iter().map(|p| (a * p.0 + b - p.1).powi(2)).sum::<f64>() / n)
}

/// Copies the model with the smaller error.
#[component]
fn pick(
    first: Input<Model>,
    first_mse: f64,
    second: Input<Model>,
    second_mse: f64,
    best: Output<Model>,
) -> Result<f64, String> {
    let (from, mse) = if first_mse <= second_mse { (first, first_mse) } else { (second, second_mse) };
    fs::copy(from.path(), best.path()).map_err(|e| e.to_string())?;
    Ok(mse)
}

/// A fitted model and its error: the outputs `model` and `mse` of the pipelines below.
#[derive(GraphOutputs)]
pub struct Fitted {
    /// The line, as JSON.
    pub model: Artifact<Model>,
    /// Its mean squared error.
    pub mse: Param<f64>,
}

/// Samples data and fits a line: the model and its error are the run's outputs.
#[pipeline(name = "fit", image = "ghcr.io/kfp-rs/examples:0.1")]
pub fn fit(p: &Dag, #[default(200)] rows: Param<u32>, #[default(7)] seed: Param<u64>) -> Fitted {
    let data = sample(p, rows, seed);
    let line = fit_line(p, data.data);
    Fitted { model: line.model, mse: line.output }
}

/// Runs `fit` for two seeds and returns the better model and its error.
#[pipeline(name = "best-of-two", image = "ghcr.io/kfp-rs/examples:0.1")]
fn release(p: &Dag, #[default(200)] rows: Param<u32>) -> Fitted {
    let a = fit::call(p, rows, 7u64);
    let b = fit::call(p, rows, 11u64);
    let best = pick(p, a.model, a.mse, b.model, b.mse);
    Fitted { model: best.best, mse: best.output }
}

fn main() {
    kfp::main(release);
}
