//! The files the Kubeflow Pipelines UI reads from a step: `mlpipeline-metrics` (named numbers shown in
//! the run list and comparisons) and `mlpipeline-ui-metadata` (visualizations). Build them here and
//! write them to an `Output<KfpMetrics>` / `Output<KfpUiMetadata>`; every builder checks what the UI
//! needs, so a malformed file is an error when the step runs, not a blank panel.

use serde_json::{Value, json};

use crate::artifact::{KfpMetrics, KfpUiMetadata};
use crate::handles::Output;

/// Named numbers (`mlpipeline-metrics`), written to an `Output<KfpMetrics>`.
///
/// Not to be confused with the artifact kind [`Metrics`](crate::Metrics) (kfp's `Metrics` type, in
/// the prelude): this builds the file the Kubeflow Pipelines UI reads.
///
/// ```
/// let json = kfp_dsl::metrics::MetricsFile::new().number("accuracy", 0.9).percentage("recall", 0.5).to_json();
/// assert!(json.unwrap().contains(r#""name":"accuracy""#));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MetricsFile {
    items: Vec<(String, f64, &'static str)>,
}

fn check_metric_name(name: &str) -> Result<(), String> {
    let ok = (1..=64).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && name.ends_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(format!("metric name `{name}` must be lower-case letters, digits and `-`, start with a letter, at most 64"))
    }
}

impl MetricsFile {
    /// No metrics yet.
    pub fn new() -> Self {
        MetricsFile::default()
    }

    /// A number shown as it is.
    #[must_use]
    pub fn number(mut self, name: &str, value: f64) -> Self {
        self.items.push((name.to_owned(), value, "RAW"));
        self
    }

    /// A fraction shown as a percentage (`0.93` as 93%).
    #[must_use]
    pub fn percentage(mut self, name: &str, value: f64) -> Self {
        self.items.push((name.to_owned(), value, "PERCENTAGE"));
        self
    }

    /// The file's JSON.
    ///
    /// # Errors
    /// A name the UI rejects, a name used twice, or a value that is not finite.
    pub fn to_json(&self) -> Result<String, String> {
        let mut metrics = Vec::new();
        for (i, (name, value, format)) in self.items.iter().enumerate() {
            check_metric_name(name)?;
            if self.items[..i].iter().any(|(n, _, _)| n == name) {
                return Err(format!("metric `{name}` is given twice"));
            }
            if !value.is_finite() {
                return Err(format!("metric `{name}` is {value}, not a finite number"));
            }
            metrics.push(json!({ "name": name, "numberValue": value, "format": format }));
        }
        Ok(json!({ "metrics": metrics }).to_string())
    }

    /// Writes the file a step's `Output<KfpMetrics>` stands for.
    ///
    /// # Errors
    /// As [`to_json`](Self::to_json), or the file cannot be written.
    pub fn write(&self, out: &Output<KfpMetrics>) -> Result<(), String> {
        write(out.path(), &self.to_json()?)
    }
}

fn write(path: std::path::PathBuf, text: &str) -> Result<(), String> {
    std::fs::write(&path, text).map_err(|e| format!("cannot write `{}`: {e}", path.display()))
}

fn csv_cell(s: &str) -> Result<&str, String> {
    if s.contains([',', '\n', '"']) {
        Err(format!("`{s}` cannot go in a CSV cell (it has `,`, `\"` or a newline)"))
    } else {
        Ok(s)
    }
}

/// Visualizations (`mlpipeline-ui-metadata`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UiMetadata {
    outputs: Vec<Result<Value, String>>,
}

impl UiMetadata {
    /// No visualizations yet.
    pub fn new() -> Self {
        UiMetadata::default()
    }

    /// Markdown text, shown rendered.
    #[must_use]
    pub fn markdown(mut self, text: &str) -> Self {
        self.outputs.push(Ok(json!({ "type": "markdown", "storage": "inline", "source": text })));
        self
    }

    /// A table: a header and rows of the same width.
    #[must_use]
    pub fn table(mut self, header: &[&str], rows: &[Vec<String>]) -> Self {
        let built = (|| {
            let mut source = String::new();
            for (i, row) in rows.iter().enumerate() {
                if row.len() != header.len() {
                    return Err(format!("table row {i} has {} cells for {} columns", row.len(), header.len()));
                }
                let cells: Vec<&str> = row.iter().map(|c| csv_cell(c)).collect::<Result<_, _>>()?;
                source.push_str(&cells.join(","));
                source.push('\n');
            }
            for h in header {
                csv_cell(h)?;
            }
            Ok(json!({ "type": "table", "storage": "inline", "format": "csv", "header": header, "source": source }))
        })();
        self.outputs.push(built);
        self
    }

    /// A confusion matrix: `matrix[i][j]` counts items of class `labels[i]` predicted as `labels[j]`.
    #[must_use]
    pub fn confusion_matrix(mut self, labels: &[&str], matrix: &[Vec<u64>]) -> Self {
        let built = (|| {
            if matrix.len() != labels.len() || matrix.iter().any(|r| r.len() != labels.len()) {
                return Err(format!("a confusion matrix for {} labels must be {0}x{0}", labels.len()));
            }
            let mut source = String::new();
            for (i, row) in matrix.iter().enumerate() {
                for (j, count) in row.iter().enumerate() {
                    source.push_str(&format!("{},{},{count}\n", csv_cell(labels[i])?, csv_cell(labels[j])?));
                }
            }
            Ok(json!({
                "type": "confusion_matrix",
                "format": "csv",
                "schema": [
                    {"name": "target", "type": "CATEGORY"},
                    {"name": "predicted", "type": "CATEGORY"},
                    {"name": "count", "type": "NUMBER"},
                ],
                "source": source,
                "storage": "inline",
                "labels": labels,
            }))
        })();
        self.outputs.push(built);
        self
    }

    /// A ROC curve: `(false positive rate, true positive rate, threshold)` points, rates in [0, 1].
    #[must_use]
    pub fn roc(mut self, points: &[(f64, f64, f64)]) -> Self {
        let built = (|| {
            let mut source = String::new();
            for &(fpr, tpr, t) in points {
                if !(0.0..=1.0).contains(&fpr) || !(0.0..=1.0).contains(&tpr) || !t.is_finite() {
                    return Err(format!("ROC point ({fpr}, {tpr}, {t}) is out of range"));
                }
                source.push_str(&format!("{fpr},{tpr},{t}\n"));
            }
            Ok(json!({
                "type": "roc",
                "format": "csv",
                "schema": [
                    {"name": "fpr", "type": "NUMBER"},
                    {"name": "tpr", "type": "NUMBER"},
                    {"name": "thresholds", "type": "NUMBER"},
                ],
                "source": source,
                "storage": "inline",
            }))
        })();
        self.outputs.push(built);
        self
    }

    /// A TensorBoard over the logs at `source` (`gs://...`, `s3://...`).
    #[must_use]
    pub fn tensorboard(mut self, source: &str) -> Self {
        let built = if source.contains("://") {
            Ok(json!({ "type": "tensorboard", "source": source }))
        } else {
            Err(format!("TensorBoard logs must be at a URI (`gs://`, `s3://`, ...), not `{source}`"))
        };
        self.outputs.push(built);
        self
    }

    /// An HTML page, shown in a frame.
    #[must_use]
    pub fn web_app(mut self, html: &str) -> Self {
        self.outputs.push(Ok(json!({ "type": "web-app", "storage": "inline", "source": html })));
        self
    }

    /// The file's JSON.
    ///
    /// # Errors
    /// The first visualization that does not fit what the UI reads.
    pub fn to_json(&self) -> Result<String, String> {
        let outputs: Vec<Value> = self.outputs.iter().cloned().collect::<Result<_, _>>()?;
        Ok(json!({ "outputs": outputs }).to_string())
    }

    /// Writes the file a step's `Output<KfpUiMetadata>` stands for.
    ///
    /// # Errors
    /// As [`to_json`](Self::to_json), or the file cannot be written.
    pub fn write(&self, out: &Output<KfpUiMetadata>) -> Result<(), String> {
        write(out.path(), &self.to_json()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_are_what_the_ui_reads() {
        let m = MetricsFile::new().number("accuracy", 0.93).percentage("recall", 0.5).to_json().unwrap();
        assert_eq!(
            m,
            r#"{"metrics":[{"format":"RAW","name":"accuracy","numberValue":0.93},{"format":"PERCENTAGE","name":"recall","numberValue":0.5}]}"#
        );
        assert!(MetricsFile::new().number("Accuracy", 1.0).to_json().unwrap_err().contains("lower-case"));
        assert!(MetricsFile::new().number("a", f64::NAN).to_json().unwrap_err().contains("not a finite number"));
        assert!(MetricsFile::new().number("a", 1.0).number("a", 2.0).to_json().unwrap_err().contains("twice"));
    }

    #[test]
    fn visualizations_are_checked() {
        let ok = UiMetadata::new()
            .markdown("# Hi")
            .table(&["a", "b"], &[vec!["1".into(), "2".into()]])
            .confusion_matrix(&["cat", "dog"], &[vec![5, 1], vec![2, 7]])
            .roc(&[(0.0, 0.0, 1.0), (0.5, 0.9, 0.5), (1.0, 1.0, 0.0)])
            .tensorboard("gs://bucket/logs")
            .web_app("<p>hi</p>")
            .to_json()
            .unwrap();
        let v: Value = serde_json::from_str(&ok).unwrap();
        let types: Vec<&str> = v["outputs"].as_array().unwrap().iter().map(|o| o["type"].as_str().unwrap()).collect();
        assert_eq!(types, ["markdown", "table", "confusion_matrix", "roc", "tensorboard", "web-app"]);
        assert_eq!(v["outputs"][2]["source"], "cat,cat,5\ncat,dog,1\ndog,cat,2\ndog,dog,7\n");
        let bad = [
            UiMetadata::new().table(&["a"], &[vec!["1".into(), "2".into()]]),
            UiMetadata::new().confusion_matrix(&["a", "b"], &[vec![1]]),
            UiMetadata::new().roc(&[(1.5, 0.0, 0.0)]),
            UiMetadata::new().tensorboard("logs/"),
            UiMetadata::new().table(&["a,b"], &[]),
        ];
        for b in bad {
            assert!(b.to_json().is_err());
        }
    }
}
