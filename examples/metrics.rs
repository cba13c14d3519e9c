//! Metrics and visualizations for the Kubeflow Pipelines UI. A Rust function component writes
//! `mlpipeline-metrics` (named numbers, raw and percentage) and `mlpipeline-ui-metadata` with every
//! kind of visualization (markdown, table, confusion matrix, ROC curve, TensorBoard, web app) through
//! checked builders; a container component declares the same outputs and writes them itself.
//!
//!     cargo run --example metrics -- compile
//!     cargo run --example metrics -- run          # the files land in kfp-runs/.../outputs/

use kfp::metrics::{MetricsFile, UiMetadata};
use kfp::prelude::*;
use kfp::{KfpMetrics, KfpUiMetadata};

/// Scores a (pretend) classifier and reports it to the Kubeflow UI.
#[component(image = "ghcr.io/kfp-rs/examples:0.1")]
fn evaluate(threshold: f64, metrics: Output<KfpMetrics>, ui: Output<KfpUiMetadata>) -> Result<f64, String> {
    let matrix = vec![vec![41, 9], vec![6, 44]];
    let accuracy = (41 + 44) as f64 / 100.0;
    MetricsFile::new()
        .number("accuracy", accuracy)
        .percentage("recall", 44.0 / 50.0)
        .number("threshold", threshold)
        .write(&metrics)?;
    UiMetadata::new()
        .markdown(&format!("# Evaluation\n\naccuracy **{accuracy:.2}** at threshold {threshold}"))
        .table(&["class", "precision"], &[vec!["cat".into(), "0.87".into()], vec!["dog".into(), "0.83".into()]])
        .confusion_matrix(&["cat", "dog"], &matrix)
        .roc(&[(0.0, 0.0, 1.0), (0.1, 0.7, 0.6), (0.3, 0.9, 0.4), (1.0, 1.0, 0.0)])
        .tensorboard("gs://example-bucket/logs/run-1")
        .web_app("<h1>Evaluation</h1><p>see the tables</p>")
        .write(&ui)?;
    Ok(accuracy)
}

/// A container that writes its own metrics file.
#[container_component(image = "alpine:3.20")]
fn score_in_shell(metrics: Output<KfpMetrics>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c"]).arg(fmt_arg!(
        "mkdir -p $(dirname {}) && echo '{{\"metrics\": [{{\"name\": \"loss\", \"numberValue\": 0.25, \"format\": \"RAW\"}}]}}' > {}",
        metrics,
        metrics
    ))
}

#[pipeline(name = "metrics", image = "ghcr.io/kfp-rs/examples:0.1")]
fn metrics_pipeline(p: &Dag, #[default(0.5)] threshold: Param<f64>) {
    evaluate(p, threshold);
    score_in_shell(p);
}

fn main() {
    kfp::main(metrics_pipeline);
}
