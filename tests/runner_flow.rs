//! The local runner on failure handlers, approvals and pauses, in this process with `--host` steps:
//! `after_finished` / `after_failed` follow Argo's `depends` and its rule for the run's status (a DAG
//! fails when a leaf failed or was left out on a failed branch); approvals pass with `--approve` /
//! `--approve-all` and fail otherwise with no terminal; pauses sleep, at most `--max-pause`.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use kfp::prelude::*;
use kfp::runner::{RunOptions, RunReport, Status, StepReport};
use support::temp_dir;

/// Exits with `code`.
#[container_component(image = "alpine:3.20")]
fn work(code: Param<u32>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c", "exit \"$0\""]).arg(code)
}

/// Prints `text`.
#[container_component(image = "alpine:3.20")]
fn say(text: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["echo"]).arg(text)
}

/// `train` then `cleanup` whatever happens: the cleanup is the only leaf.
#[pipeline(name = "handled")]
fn handled(p: &Dag, code: Param<u32>) {
    let train = work(p, code).task_name("train");
    say(p, "cleanup").task_name("cleanup").after_finished(&train);
}

/// `train`, `evaluate` after it succeeded, `notify` only when it failed.
#[pipeline(name = "notified")]
fn notified(p: &Dag, code: Param<u32>) {
    let train = work(p, code).task_name("train");
    say(p, "evaluate").task_name("evaluate").after(&train);
    say(p, "notify").task_name("notify").after_failed(&train);
}

/// An approval between two steps, and a pause after.
#[pipeline(name = "gated")]
fn gated(p: &Dag) {
    let first = say(p, "first").task_name("first");
    let ok = p.approval("deploy-ok").after(&first);
    let deployed = say(p, "deploy").task_name("deploy").after(&ok);
    let settled = p.pause(Duration::from_secs(60)).after(&deployed);
    say(p, "check").task_name("check").after(&settled);
}

/// A one-second pause.
#[pipeline(name = "paused")]
fn paused(p: &Dag) {
    let wait = p.pause(Duration::from_secs(1));
    say(p, "after").task_name("after").after(&wait);
}

fn options(dir: &Path, arguments: &[(&str, &str)]) -> RunOptions {
    let mut opts = RunOptions::new(dir.to_path_buf());
    opts.host = true;
    opts.parallelism = 2;
    opts.arguments = arguments.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    opts.approval_timeout = Duration::from_secs(1);
    opts
}

fn status(report: &RunReport, path: &str) -> Status {
    step(report, path).status
}

fn step<'r>(report: &'r RunReport, path: &str) -> &'r StepReport {
    report.steps.iter().find(|s| s.path == path).unwrap_or_else(|| panic!("no step {path}: {report:#?}"))
}

#[test]
fn a_cleanup_runs_after_a_failure_and_the_handled_failure_lets_the_run_succeed() {
    let dir = temp_dir("flow-handled");
    let report = kfp::runner::run(&handled, &options(&dir, &[("code", "3")])).unwrap();
    assert_eq!(status(&report, "train"), Status::Failed);
    assert_eq!(status(&report, "cleanup"), Status::Succeeded);
    // Argo: the DAG's phase is its leaves'; `cleanup` is the only leaf and it succeeded.
    assert!(report.succeeded, "{report:#?}");

    let dir = temp_dir("flow-handled-ok");
    let report = kfp::runner::run(&handled, &options(&dir, &[("code", "0")])).unwrap();
    assert_eq!(status(&report, "train"), Status::Succeeded);
    assert_eq!(status(&report, "cleanup"), Status::Succeeded);
    assert!(report.succeeded);
}

#[test]
fn a_notification_runs_only_after_a_failure_and_the_run_still_fails_when_a_leaf_was_left_out() {
    let dir = temp_dir("flow-notify-fail");
    let report = kfp::runner::run(&notified, &options(&dir, &[("code", "1")])).unwrap();
    assert_eq!(status(&report, "train"), Status::Failed);
    assert_eq!(status(&report, "notify"), Status::Succeeded);
    assert_eq!(status(&report, "evaluate"), Status::Omitted);
    assert!(!report.succeeded, "`evaluate`, a leaf, was left out on the failed branch");

    let dir = temp_dir("flow-notify-ok");
    let report = kfp::runner::run(&notified, &options(&dir, &[("code", "0")])).unwrap();
    assert_eq!(status(&report, "evaluate"), Status::Succeeded);
    assert_eq!(status(&report, "notify"), Status::Omitted);
    assert!(report.succeeded, "an omitted handler on a branch that succeeded does not fail the run");
}

#[test]
fn an_approval_given_ahead_passes_and_a_pause_is_capped() {
    let dir = temp_dir("flow-approved");
    let mut opts = options(&dir, &[]);
    opts.approve = vec!["deploy-ok".to_owned()];
    opts.max_pause = Some(Duration::from_millis(50));
    let started = Instant::now();
    let report = kfp::runner::run(&gated, &opts).unwrap();
    assert!(report.succeeded, "{report:#?}");
    for s in ["first", "deploy-ok", "deploy", "pause", "check"] {
        assert_eq!(status(&report, s), Status::Succeeded, "{s}");
    }
    assert!(started.elapsed() < Duration::from_secs(20), "the 60s pause was capped");

    let dir = temp_dir("flow-approved-all");
    let mut opts = options(&dir, &[]);
    opts.approve_all = true;
    opts.max_pause = Some(Duration::ZERO);
    assert!(kfp::runner::run(&gated, &opts).unwrap().succeeded);
}

#[test]
fn an_approval_nobody_gives_fails_its_step_and_stops_what_follows() {
    let dir = temp_dir("flow-unapproved");
    let report = kfp::runner::run(&gated, &options(&dir, &[])).unwrap();
    assert!(!report.succeeded);
    let ok = step(&report, "deploy-ok");
    assert_eq!(ok.status, Status::Failed);
    // No terminal (or no answer within the 1s timeout when the tests run on one): it says how to approve.
    let why = ok.error.as_deref().unwrap_or_default();
    assert!(why.contains("`--approve deploy-ok`"), "{why}");
    assert_eq!(status(&report, "deploy"), Status::Omitted);
    assert_eq!(status(&report, "check"), Status::Omitted);
    assert!(!dir.join("deploy").exists());
}

#[test]
fn approving_a_name_the_pipeline_does_not_have_is_an_error() {
    let dir = temp_dir("flow-unknown");
    let mut opts = options(&dir, &[]);
    opts.approve = vec!["deploy".to_owned()];
    let err = kfp::runner::run(&gated, &opts).unwrap_err();
    assert_eq!(err, "`--approve deploy`: the pipeline has no approval of that name; its approvals are `deploy-ok`");
}

#[test]
fn a_pause_sleeps_for_its_duration() {
    let dir = temp_dir("flow-pause");
    let started = Instant::now();
    let report = kfp::runner::run(&paused, &options(&dir, &[])).unwrap();
    assert!(report.succeeded, "{report:#?}");
    assert!(step(&report, "pause").duration >= Duration::from_millis(990));
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(status(&report, "after"), Status::Succeeded);
}
