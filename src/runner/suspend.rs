//! Approvals and pauses (Argo `suspend` templates) on this machine. A pause sleeps for its duration
//! (at most `--max-pause`). An approval is approved ahead with `--approve NAME` or `--approve-all`;
//! otherwise, when stdin is a terminal, the runner asks and waits for the answer at most
//! `--approval-timeout`; with no terminal, no answer in time, or any answer but yes, the step fails.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use kfp_compiler::argo::SuspendTemplate;

use super::engine::{Engine, Node, failed};
use super::progress::Event;
use super::{Outcome, Status, StepReport};

/// A pause: done once `until` has passed.
pub(super) struct Pause {
    path: String,
    started: Instant,
    until: Instant,
}

impl Pause {
    pub(super) fn poll(&mut self, e: &mut Engine<'_>) -> Option<Outcome> {
        if Instant::now() < self.until {
            return None;
        }
        let mut report = StepReport::new(&self.path, Status::Succeeded, None);
        report.duration = self.started.elapsed();
        report.attempts = 1;
        e.record(report);
        Some(Outcome::of(Status::Succeeded))
    }
}

/// Starts suspend step `path` (task `task` of its DAG).
pub(super) fn start<'w>(e: &mut Engine<'w>, s: &SuspendTemplate, path: &str) -> Node<'w> {
    if let Some(d) = &s.duration {
        let secs = match parse_seconds(d) {
            Ok(secs) => secs,
            Err(why) => {
                e.record(failed(path, why));
                return Node::Done(Outcome::of(Status::Failed));
            }
        };
        let mut wait = Duration::from_secs(secs);
        if let Some(cap) = e.opts.max_pause
            && cap < wait
        {
            e.say(&format!("{path}: pausing {}s instead of {secs}s (--max-pause)", cap.as_secs_f64()));
            wait = cap;
        }
        e.out.emit(&Event::StepStarted { step: path, attempt: 1 });
        let now = Instant::now();
        return Node::Pause(Box::new(Pause { path: path.to_owned(), started: now, until: now + wait }));
    }
    let name = task_name(path);
    let started = Instant::now();
    e.out.emit(&Event::StepStarted { step: path, attempt: 1 });
    let outcome = decide(e, &name, path);
    let mut report = match &outcome {
        Ok(how) => {
            e.say(&format!("{path}: approved ({how})"));
            StepReport::new(path, Status::Succeeded, None)
        }
        Err(why) => failed(path, why.clone()),
    };
    report.duration = started.elapsed();
    report.attempts = 1;
    let status = report.status;
    e.record(report);
    Node::Done(Outcome::of(status))
}

/// Whether approval `name` is given: how, or why not.
fn decide(e: &Engine<'_>, name: &str, path: &str) -> Result<String, String> {
    let opts = e.opts;
    if opts.approve_all {
        return Ok("--approve-all".to_owned());
    }
    if opts.approve.iter().any(|a| same_name(a, name)) {
        return Ok(format!("--approve {name}"));
    }
    if !std::io::stdin().is_terminal() {
        return Err(format!(
            "approval `{name}` waits for a person, and this run has no terminal to ask on: approve it ahead with \
             `--approve {name}` (or `--approve-all`)"
        ));
    }
    let secs = opts.approval_timeout.as_secs();
    // The question gets the terminal to itself: no live view drawn over it.
    e.out.clear();
    eprint!("approve step `{path}`? [y/N] (no answer in {secs}s fails it) ");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = tx.send(std::io::stdin().read_line(&mut line).map(|_| line));
    });
    match rx.recv_timeout(opts.approval_timeout) {
        Ok(Ok(answer)) if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") => {
            Ok("on the terminal".to_owned())
        }
        Ok(Ok(answer)) => Err(format!("approval `{name}` was refused (answer `{}`)", answer.trim())),
        Ok(Err(err)) => Err(format!("approval `{name}`: cannot read the answer: {err}")),
        Err(_) => Err(format!(
            "approval `{name}` got no answer within {secs}s (`--approval-timeout`); approve it ahead with \
             `--approve {name}`"
        )),
    }
}

/// The DAG task's name in `path` (`a/b(2)/deploy-ok` → `deploy-ok`).
fn task_name(path: &str) -> String {
    let last = path.rsplit('/').next().unwrap_or(path);
    last.split('(').next().unwrap_or(last).to_owned()
}

/// An approval's name as given (`deploy_ok`) and as the task is named (`deploy-ok`).
pub(super) fn same_name(given: &str, task: &str) -> bool {
    given == task || given.replace('_', "-").eq_ignore_ascii_case(task)
}

/// Argo's suspend `duration`: seconds, or a number with `s`, `m` or `h`.
fn parse_seconds(d: &str) -> Result<u64, String> {
    let (n, unit) = match d.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => d.split_at(i),
        None => (d, "s"),
    };
    let n: u64 = n.parse().map_err(|_| format!("pause: cannot read duration `{d}`"))?;
    match unit {
        "s" => Ok(n),
        "m" => Ok(n * 60),
        "h" => Ok(n * 3600),
        _ => Err(format!("pause: cannot read duration `{d}` (expected seconds, or a number with s, m or h)")),
    }
}

/// The names of the workflow's approvals (tasks calling a suspend template without a duration).
pub(super) fn approvals(wf: &kfp_compiler::argo::Workflow) -> Vec<String> {
    let waits: Vec<&str> = wf
        .spec
        .templates
        .iter()
        .filter(|t| t.suspend.as_ref().is_some_and(|s| s.duration.is_none()))
        .map(|t| t.name.as_str())
        .collect();
    let mut names: Vec<String> = wf
        .spec
        .templates
        .iter()
        .filter_map(|t| t.dag.as_ref())
        .flat_map(|d| d.tasks.iter())
        .filter(|t| waits.contains(&&*t.template))
        .map(|t| t.name.to_string())
        .collect();
    names.sort();
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_names() {
        assert_eq!(parse_seconds("60s"), Ok(60));
        assert_eq!(parse_seconds("2m"), Ok(120));
        assert_eq!(parse_seconds("7"), Ok(7));
        assert!(parse_seconds("1d").is_err());
        assert_eq!(task_name("condition-1/deploy-ok"), "deploy-ok");
        assert_eq!(task_name("for-loop-2(3)/ok"), "ok");
        assert!(same_name("deploy_ok", "deploy-ok") && !same_name("deploy", "deploy-ok"));
    }
}
