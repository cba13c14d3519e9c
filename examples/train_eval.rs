//! The pipeline of the design's first page, doing real (small) work in pure Rust: make a dataset,
//! fit a linear model by gradient descent, score it, deploy it or raise an alert depending on the
//! scores, and sweep the learning rate over a ParallelFor whose scores are collected and compared.
//!
//!     cargo run --example train_eval -- run             # on this machine; outputs in kfp-runs/
//!     cargo run --example train_eval -- compile         # the Argo workflow

use std::fs;

use kfp::prelude::*;

/// A tiny deterministic random number generator (xorshift), so runs are reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Writes `rows` samples of y = 3x + 2 + noise, x in [0, 1), as CSV.
#[component]
fn make_dataset(rows: u32, seed: u64, data: Output<Dataset>) -> Result<u32, String> {
    if rows < 10 {
        return Err(format!("{rows} rows are too few to train and test on"));
    }
    let mut rng = Rng(seed.max(1));
    let mut csv = String::from("x,y\n");
    for _ in 0..rows {
        let x = rng.next();
        let noise = (rng.next() - 0.5) * 0.4;
        csv.push_str(&format!("{x},{}\n", 3.0 * x + 2.0 + noise));
    }
    fs::write(data.path(), csv).map_err(|e| e.to_string())?;
    Ok(rows)
}

fn read_rows(text: &str) -> Result<Vec<(f64, f64)>, String> {
    text.lines()
        .skip(1)
        .map(|l| {
            let (x, y) = l.split_once(',').ok_or_else(|| format!("bad row `{l}`"))?;
            Ok((x.parse::<f64>().map_err(|e| e.to_string())?, y.parse::<f64>().map_err(|e| e.to_string())?))
        })
        .collect()
}

/// How well a model does on the held-out fifth of the data.
#[derive(Outputs)]
struct Scores {
    /// Mean squared error.
    mse: f64,
    /// Coefficient of determination.
    r2: f64,
}

/// Fits y = a·x + b on the first four fifths of the data by gradient descent, writes the model as
/// JSON, and scores it on the last fifth.
#[component]
fn train(data: Input<Dataset>, epochs: u32, lr: f64, model: Output<Model>) -> Result<Scores, String> {
    let rows = read_rows(&fs::read_to_string(data.path()).map_err(|e| e.to_string())?)?;
    let split = rows.len() * 4 / 5;
    let (fit, test) = rows.split_at(split);
    let (mut a, mut b) = (0.0, 0.0);
    let n = fit.len() as f64;
    for _ in 0..epochs {
        let (mut da, mut db) = (0.0, 0.0);
        for &(x, y) in fit {
            let err = a * x + b - y;
            da += err * x;
            db += err;
        }
        a -= lr * 2.0 * da / n;
        b -= lr * 2.0 * db / n;
    }
    fs::write(model.path(), format!("{{\"a\": {a}, \"b\": {b}}}\n")).map_err(|e| e.to_string())?;
    let mean = test.iter().map(|r| r.1).sum::<f64>() / test.len() as f64;
    let sse: f64 = test.iter().map(|&(x, y)| (a * x + b - y).powi(2)).sum();
    let sst: f64 = test.iter().map(|&(_, y)| (y - mean).powi(2)).sum();
    Ok(Scores { mse: sse / test.len() as f64, r2: 1.0 - sse / sst })
}

/// "Deploys" the model: records where it would be served from.
#[component]
fn deploy(model: Input<Model>, r2: f64, endpoint: Output<Markdown>) -> Result<String, String> {
    let text = fs::read_to_string(model.path()).map_err(|e| e.to_string())?;
    fs::write(endpoint.path(), format!("# Deployed\n\nmodel `{}` (r2 = {r2:.3})\n", text.trim()))
        .map_err(|e| e.to_string())?;
    Ok(format!("deployed with r2 {r2:.3}"))
}

/// Raises an alert: the model is not good enough to deploy.
#[component]
fn alert(r2: f64) -> String {
    format!("not deployed: r2 {r2:.3} is below 0.9")
}

/// Picks the best score of the sweep.
#[component]
fn pick_best(r2s: Vec<f64>) -> Result<f64, String> {
    r2s.into_iter().reduce(f64::max).ok_or_else(|| "the sweep produced no scores".to_owned())
}

#[pipeline(name = "train-eval", image = "ghcr.io/kfp-rs/train-eval:0.1")]
fn train_eval(p: &Dag, #[default(500)] rows: Param<u32>, #[default(300)] epochs: Param<u32>) {
    let raw = make_dataset(p, rows, 7u64);
    let t = train(p, raw.data, epochs, 0.5);
    p.condition(t.r2.gt(0.9) & t.mse.lt(0.5), |p| {
        deploy(p, t.model, t.r2);
    })
    .otherwise(|p| {
        alert(p, t.r2);
    });
    let r2s = p.parallel_for([0.5, 0.1, 0.01], |p, lr| train(p, raw.data, epochs, lr).r2);
    pick_best(p, r2s);
}

fn main() {
    kfp::main(train_eval);
}
