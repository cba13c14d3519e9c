//! What a run reports: each step's status, time, outputs or error, and the summary table.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

/// How a step ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Status {
    /// It ran and succeeded.
    Succeeded,
    /// It ran and failed.
    Failed,
    /// Its condition did not hold.
    Skipped,
    /// It did not run: something it depends on failed, its DAG failed fast, or the workflow's
    /// deadline passed.
    Omitted,
    /// The run was interrupted (SIGINT or SIGTERM) before it ended: stopped while running, or
    /// never started.
    Interrupted,
}

impl Status {
    pub(super) fn word(self) -> &'static str {
        match self {
            Status::Succeeded => "Succeeded",
            Status::Failed => "Failed",
            Status::Skipped => "Skipped",
            Status::Omitted => "Omitted",
            Status::Interrupted => "Interrupted",
        }
    }

    /// Whether it makes its dependants (and its DAG) fail.
    pub(super) fn is_failure(self) -> bool {
        matches!(self, Status::Failed | Status::Omitted | Status::Interrupted)
    }
}

/// One step of a run.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct StepReport {
    /// Where it sits: `for-loop-1(2)/train`.
    pub path: String,
    /// How it ended.
    pub status: Status,
    /// How long it ran.
    pub duration: Duration,
    /// Its output parameters.
    pub outputs: BTreeMap<String, String>,
    /// Why it failed or did not run.
    pub error: Option<String>,
    /// How many times it was started (more than 1 after retries; 0 if it never started).
    pub attempts: u32,
    /// The exit code of its last attempt's command, when it ran and exited.
    pub exit_code: Option<i32>,
    /// Its log (the command's stdout and stderr), when its command started.
    pub log: Option<PathBuf>,
}

/// A finished run.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RunReport {
    /// Whether the workflow succeeded.
    pub succeeded: bool,
    /// Where the steps' files are.
    pub workdir: PathBuf,
    /// Every step, in the order they ended.
    pub steps: Vec<StepReport>,
    /// The signal (SIGINT 2, SIGTERM 15) that interrupted the run.
    pub interrupted_by: Option<i32>,
    /// The run's parameter outputs: what the pipeline function returned (`output`, `output_0`, ...).
    pub outputs: BTreeMap<String, String>,
    /// The run's artifact outputs: the files of the artifacts the pipeline function returned.
    pub artifacts: BTreeMap<String, PathBuf>,
    /// How long the run took.
    pub duration: Duration,
}

impl RunReport {
    /// The summary table: step, status, duration, attempts, and its outputs (or why it failed, and
    /// its log).
    pub fn table(&self) -> String {
        let width = self.steps.iter().map(|s| s.path.chars().count()).max().unwrap_or(4).max(4);
        let mut out = format!("{:<width$}  {:<11}  {:>8}  {:>5}  outputs\n", "step", "status", "time", "tries");
        for s in &self.steps {
            let outputs: Vec<String> = s
                .outputs
                .iter()
                .map(|(k, v)| {
                    let v = if v.chars().count() > 40 {
                        format!("{}...", v.chars().take(37).collect::<String>())
                    } else {
                        v.clone()
                    };
                    format!("{k}={v}")
                })
                .collect();
            let mut detail = match &s.error {
                Some(e) => e.lines().next().unwrap_or_default().to_owned(),
                None => outputs.join(" "),
            };
            // A failed command's error names its log; a stopped one's does not.
            if let Some(log) = s.log.as_ref().filter(|_| s.status.is_failure())
                && !detail.contains("(log: ")
            {
                detail.push_str(&format!(" (log: {})", log.display()));
            }
            out.push_str(&format!(
                "{:<width$}  {:<11}  {:>7.2}s  {:>5}  {detail}\n",
                s.path,
                s.status.word(),
                s.duration.as_secs_f64(),
                s.attempts
            ));
        }
        if !self.outputs.is_empty() || !self.artifacts.is_empty() {
            out.push_str("pipeline outputs:\n");
            for (k, v) in &self.outputs {
                out.push_str(&format!("  {k} = {v}\n"));
            }
            for (k, v) in &self.artifacts {
                out.push_str(&format!("  {k} = {}\n", v.display()));
            }
        }
        out
    }
}
