//! The local runner's handling of steps, in this process with `--host` steps: retries with backoff,
//! timeouts, the workflow's deadline, failFast and `--keep-going`, outputs cleared before a step
//! runs, paths that would leave the run directory, values over the 128 KiB argument limit.

mod support;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kfp::prelude::*;
use kfp::runner::{RunOptions, RunReport, Status, StepReport};
use support::temp_dir;

/// Counts its attempts in `counter`; fails until the `succeed_at`-th, which writes `out`.
#[container_component(image = "alpine:3.20")]
fn flaky(counter: Param<String>, succeed_at: Param<u32>, out: OutputParam<String>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c"])
        .arg(r#"n=$(( $(cat "$0" 2>/dev/null || echo 0) + 1 )); echo $n > "$0"; [ $n -ge "$1" ] || exit 1; echo "ok after $n" > "$2""#)
        .arg(counter)
        .arg(succeed_at)
        .arg(out)
}

#[pipeline(name = "retried")]
fn retried(p: &Dag, counter: Param<String>) {
    flaky(p, counter, 3).retry(2);
}

#[pipeline(name = "retried-too-few")]
fn retried_too_few(p: &Dag, counter: Param<String>) {
    flaky(p, counter, 3).retry(1);
}

#[pipeline(name = "retried-with-backoff")]
fn retried_with_backoff(p: &Dag, counter: Param<String>) {
    flaky(p, counter, 3).retry_with(2, "OnFailure", "1s", 2, "1m");
}

/// Counts its attempts in `counter` and exits with `code` each time.
#[container_component(image = "alpine:3.20")]
fn exits_with(counter: Param<String>, code: Param<u32>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c"])
        .arg(r#"n=$(( $(cat "$0" 2>/dev/null || echo 0) + 1 )); echo $n > "$0"; exit "$1""#)
        .arg(counter)
        .arg(code)
}

/// Retried on any failure but exit code 2.
#[pipeline(name = "retried-unless-2")]
fn retried_unless_2(p: &Dag, counter: Param<String>, code: Param<u32>) {
    exits_with(p, counter, code).retry(2).retry_if(!RetryIf::exit_code_in([2]));
}

/// Writes `out` on its first attempt and fails; on the next it writes nothing and succeeds.
#[container_component(image = "alpine:3.20")]
fn forgetful(counter: Param<String>, out: OutputParam<String>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c"])
        .arg(r#"if [ -e "$0" ]; then exit 0; fi; touch "$0"; echo stale > "$1"; exit 1"#)
        .arg(counter)
        .arg(out)
}

#[pipeline(name = "forgetful")]
fn forgetful_pipeline(p: &Dag, counter: Param<String>) {
    forgetful(p, counter).retry(1);
}

/// Sleeps `seconds`.
#[container_component(image = "alpine:3.20")]
fn nap(seconds: Param<u32>) -> ContainerSpec {
    ContainerSpec::new(["sleep"]).arg(seconds)
}

/// Fails at once.
#[container_component(image = "alpine:3.20")]
fn fail_now() -> ContainerSpec {
    ContainerSpec::new(["sh", "-c", "echo broken >&2; exit 3"])
}

#[pipeline(name = "timeout")]
fn timed_out(p: &Dag) {
    let slow = nap(p, 30).timeout(1);
    nap(p, 0).after(&slow);
}

#[pipeline(name = "deadline")]
fn deadline(p: &Dag) {
    let slow = nap(p, 30);
    nap(p, 0).after(&slow);
}

#[pipeline(name = "fail-fast")]
fn fail_fast(p: &Dag) {
    fail_now(p);
    let slow = nap(p, 2);
    nap(p, 0).after(&slow);
}

/// Writes `size` bytes to `out`.
#[container_component(image = "alpine:3.20")]
fn big(size: Param<u32>, out: OutputParam<String>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c"]).arg(r#"head -c "$0" /dev/zero | tr '\0' a > "$1""#).arg(size).arg(out)
}

/// Prints `text`.
#[container_component(image = "alpine:3.20")]
fn show(text: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["echo"]).arg(text)
}

#[pipeline(name = "big-value")]
fn big_value(p: &Dag) {
    let made = big(p, 200 * 1024);
    show(p, made.out);
}

/// Writes `out`.
#[container_component(image = "alpine:3.20")]
fn write_out(out: OutputParam<String>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c", r#"mkdir -p "$(dirname "$0")"; echo hi > "$0""#]).arg(out)
}

#[pipeline(name = "escape")]
fn escape(p: &Dag) {
    write_out(p);
}

/// Holds `lock` (a directory) for a moment; fails if another step holds it.
#[container_component(image = "alpine:3.20")]
fn exclusive(lock: Param<String>, item: Param<u32>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c"])
        .arg(r#"mkdir "$0" || { echo "item $1: another step holds the lock"; exit 7; }; sleep 0.3; rmdir "$0""#)
        .arg(lock)
        .arg(item)
}

#[pipeline(name = "loop-limit")]
fn loop_limit(p: &Dag, lock: Param<String>) {
    p.parallel_for_limit([1u32, 2, 3, 4], 1, |p, i| {
        exclusive(p, lock, i);
    });
}

#[pipeline(name = "workflow-limit")]
fn workflow_limit(p: &Dag, lock: Param<String>) {
    p.max_parallelism(1);
    p.parallel_for([1u32, 2, 3], |p, i| {
        exclusive(p, lock, i);
    });
    exclusive(p, lock, 0);
}

fn options(dir: &Path, arguments: &[(&str, String)]) -> RunOptions {
    let mut opts = RunOptions::new(dir.to_path_buf());
    opts.host = true;
    opts.parallelism = 2;
    opts.arguments = arguments.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
    opts
}

fn step<'r>(report: &'r RunReport, path: &str) -> &'r StepReport {
    report.steps.iter().find(|s| s.path == path).unwrap_or_else(|| panic!("no step {path}: {report:#?}"))
}

fn counter_file(dir: &Path) -> (PathBuf, String) {
    let counter = dir.with_extension("count");
    let _ = std::fs::remove_file(&counter);
    let text = counter.to_str().unwrap().to_owned();
    (counter, text)
}

#[test]
fn a_step_that_fails_twice_succeeds_on_its_third_attempt_with_retry_2() {
    let dir = temp_dir("retry");
    let (file, counter) = counter_file(&dir);
    let report = kfp::runner::run(&retried, &options(&dir, &[("counter", counter)])).unwrap();
    assert!(report.succeeded, "{}", report.table());
    let s = step(&report, "flaky");
    assert_eq!((s.status, s.attempts), (Status::Succeeded, 3));
    assert_eq!(s.outputs["out"], "ok after 3");
    let row = report.table().lines().find(|l| l.starts_with("flaky ")).map(str::to_owned);
    assert_eq!(row.as_deref().and_then(|r| r.split_whitespace().nth(3)), Some("3"), "tries: {}", report.table());
    assert_eq!(std::fs::read_to_string(file).unwrap().trim(), "3");

    let dir = temp_dir("retry-too-few");
    let (file, counter) = counter_file(&dir);
    let report = kfp::runner::run(&retried_too_few, &options(&dir, &[("counter", counter)])).unwrap();
    assert!(!report.succeeded);
    let s = step(&report, "flaky");
    assert_eq!((s.status, s.attempts), (Status::Failed, 2));
    assert_eq!(std::fs::read_to_string(file).unwrap().trim(), "2");
}

#[test]
fn retry_if_retries_only_the_failures_it_holds_for() {
    for (code, attempts) in [("2", 1), ("3", 3)] {
        let dir = temp_dir(&format!("retry-if-{code}"));
        let (file, counter) = counter_file(&dir);
        let params = [("counter", counter), ("code", code.to_owned())];
        let report = kfp::runner::run(&retried_unless_2, &options(&dir, &params)).unwrap();
        let s = step(&report, "exits-with");
        assert_eq!((s.status, s.attempts), (Status::Failed, attempts), "exit {code}: {}", report.table());
        assert_eq!(std::fs::read_to_string(file).unwrap().trim(), attempts.to_string());
    }
}

#[test]
fn retries_wait_their_backoff_doubling_each_time() {
    let dir = temp_dir("backoff");
    let (_, counter) = counter_file(&dir);
    let started = Instant::now();
    let report = kfp::runner::run(&retried_with_backoff, &options(&dir, &[("counter", counter)])).unwrap();
    assert!(report.succeeded, "{}", report.table());
    assert_eq!(step(&report, "flaky").attempts, 3);
    // 1s, then 2s.
    assert!(started.elapsed() >= Duration::from_secs(3), "{:?}", started.elapsed());
}

#[test]
fn a_step_that_writes_nothing_does_not_get_an_earlier_attempts_output() {
    let dir = temp_dir("stale");
    let (_, counter) = counter_file(&dir);
    let report = kfp::runner::run(&forgetful_pipeline, &options(&dir, &[("counter", counter)])).unwrap();
    let s = step(&report, "forgetful");
    assert_eq!((s.status, s.attempts), (Status::Failed, 2), "{}", report.table());
    let error = s.error.as_deref().unwrap();
    assert!(error.starts_with("output `out` was not written"), "{error}");
}

#[test]
fn a_step_past_its_timeout_is_killed_and_fails() {
    let dir = temp_dir("timeout");
    let started = Instant::now();
    let report = kfp::runner::run(&timed_out, &options(&dir, &[])).unwrap();
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    let s = step(&report, "nap");
    assert_eq!(s.status, Status::Failed, "{}", report.table());
    assert!(s.error.as_deref().unwrap().starts_with("timed out after 1s"), "{:?}", s.error);
    assert_eq!(step(&report, "nap-2").status, Status::Omitted);
}

#[test]
fn the_workflow_deadline_stops_running_steps_and_starts_no_more() {
    let dir = temp_dir("deadline");
    let (mut wf, binary) = kfp::runner::compile_for_run(&deadline, &[]).unwrap();
    wf.spec.active_deadline_seconds = Some(1);
    let started = Instant::now();
    let report = kfp::runner::run_workflow(&wf, &binary, &options(&dir, &[])).unwrap();
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    assert!(!report.succeeded);
    let s = step(&report, "nap");
    assert_eq!(s.status, Status::Failed, "{}", report.table());
    assert!(s.error.as_deref().unwrap().contains("activeDeadlineSeconds (1s) passed"), "{:?}", s.error);
    assert_eq!(step(&report, "nap-2").status, Status::Omitted);
}

#[test]
fn after_a_failure_no_new_task_starts_unless_keep_going() {
    // Argo's failFast: `nap` was running and finishes; `nap-2`, which waits for it, never starts.
    let dir = temp_dir("fail-fast");
    let report = kfp::runner::run(&fail_fast, &options(&dir, &[])).unwrap();
    assert!(!report.succeeded);
    assert_eq!(step(&report, "fail-now").status, Status::Failed, "{}", report.table());
    assert_eq!(
        step(&report, "fail-now").error.as_deref().unwrap().split(" (log").next(),
        Some("exited with exit status: 3: broken")
    );
    assert_eq!(step(&report, "nap").status, Status::Succeeded);
    let omitted = step(&report, "nap-2");
    assert_eq!(omitted.status, Status::Omitted);
    assert!(omitted.error.as_deref().unwrap().contains("failFast"), "{:?}", omitted.error);
    assert!(!dir.join("nap-2").exists());

    let dir = temp_dir("keep-going");
    let mut opts = options(&dir, &[]);
    opts.keep_going = true;
    let report = kfp::runner::run(&fail_fast, &opts).unwrap();
    assert!(!report.succeeded);
    assert_eq!(step(&report, "nap-2").status, Status::Succeeded, "{}", report.table());
}

#[test]
fn an_output_name_that_leaves_the_run_directory_is_refused() {
    let base = temp_dir("escape");
    let dir = base.join("run");
    let (mut wf, binary) = kfp::runner::compile_for_run(&escape, &[]).unwrap();
    let t = wf.spec.templates.iter_mut().find(|t| t.name == "write-out").unwrap();
    t.outputs.parameters[0].name = "../../../escape".into();
    let report = kfp::runner::run_workflow(&wf, &binary, &options(&dir, &[])).unwrap();
    let s = step(&report, "write-out");
    assert_eq!(s.status, Status::Failed, "{}", report.table());
    assert_eq!(s.attempts, 1);
    assert_eq!(
        s.error.as_deref(),
        Some(
            "output `../../../escape`: `../../../escape` would lead out of the run directory; refusing to create or write it"
        )
    );
    assert!(!base.join("escape").exists());
    assert!(!dir.join("write-out").join("outputs").read_dir().unwrap().any(|_| true), "nothing was created");
}

#[test]
fn a_value_over_the_argument_limit_is_named_with_its_size() {
    let dir = temp_dir("big");
    let report = kfp::runner::run(&big_value, &options(&dir, &[])).unwrap();
    assert_eq!(step(&report, "big").status, Status::Succeeded, "{}", report.table());
    let s = step(&report, "show");
    assert_eq!(s.status, Status::Failed);
    let error = s.error.as_deref().unwrap();
    assert!(error.starts_with("input `text` is 204800 bytes: Linux limits one argument"), "{error}");
    assert!(error.contains("128 KiB"), "{error}");
}

#[test]
fn loop_and_workflow_parallelism_limit_the_steps_at_once() {
    for (name, pipeline) in [("loop-limit", &loop_limit), ("workflow-limit", &workflow_limit)] {
        let dir = temp_dir(name);
        let lock = dir.with_extension("lock");
        let _ = std::fs::remove_dir(&lock);
        let mut opts = options(&dir, &[("lock", lock.to_str().unwrap().to_owned())]);
        opts.parallelism = 4;
        let report = kfp::runner::run(pipeline, &opts).unwrap();
        assert!(report.succeeded, "{name}: {}", report.table());
    }
}
