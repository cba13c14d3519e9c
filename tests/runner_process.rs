//! The local runner as a process (the example binaries' `run`): run directories, interrupts,
//! thousands of loop items on one thread, docker's arguments, failure reasons.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::*;

/// The first line of `run`'s stdout names the run directory.
fn run_dir(stdout: &[u8], cwd: &Path) -> PathBuf {
    let text = String::from_utf8_lossy(stdout);
    let first = text.lines().next().unwrap_or_default();
    let dir = first.strip_prefix("run directory: ").unwrap_or_else(|| panic!("first line: {text}"));
    cwd.join(dir)
}

/// The status column of `step`'s row in the summary.
fn status_of(stdout: &str, step: &str) -> String {
    stdout
        .lines()
        .find(|l| l.split_whitespace().next() == Some(step))
        .and_then(|l| l.split_whitespace().nth(1))
        .unwrap_or_else(|| panic!("no row for {step}: {stdout}"))
        .to_owned()
}

#[test]
fn runs_started_together_get_different_directories() {
    let cwd = temp_dir("together");
    let children: Vec<_> = (0..4)
        .map(|_| {
            Command::new(example_bin("many_steps"))
                .args(["run", "--param", "n=1"])
                .current_dir(&cwd)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut dirs: Vec<PathBuf> = children
        .into_iter()
        .map(|c| {
            let out = c.wait_with_output().unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            let dir = run_dir(&out.stdout, &cwd);
            assert!(dir.join(".kfp-run").is_file(), "{}", dir.display());
            assert_eq!(std::fs::read_to_string(dir.join("total/outputs/output/data")).unwrap(), "0");
            dir
        })
        .collect();
    dirs.sort();
    dirs.dedup();
    assert_eq!(dirs.len(), 4, "{dirs:?}");
    assert_eq!(std::fs::read_dir(cwd.join("kfp-runs")).unwrap().count(), 4);
}

#[test]
fn a_workdir_holding_an_earlier_run_is_refused_unless_clean() {
    let base = temp_dir("reuse");
    let dir = base.join("run");
    let d = dir.to_str().unwrap();
    let out = run_example("many_steps", &["run", "--param", "n=1", "--workdir", d]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::write(dir.join("old.txt"), "from before").unwrap();

    let out = run_example("many_steps", &["run", "--param", "n=2", "--workdir", d]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        format!(
            "error: `{d}` holds an earlier run: pass `--clean` to remove it first, or choose another `--workdir`\n"
        )
    );
    assert!(dir.join("old.txt").exists());

    let out = run_example("many_steps", &["run", "--param", "n=2", "--workdir", d, "--clean"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!dir.join("old.txt").exists(), "--clean removed the earlier run");
    assert_eq!(std::fs::read_to_string(dir.join("total/outputs/output/data")).unwrap(), "1");

    // A directory that is not a kfp-rs run is never removed.
    let other = base.join("other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("precious.txt"), "keep me").unwrap();
    let out = run_example("many_steps", &["run", "--workdir", other.to_str().unwrap(), "--clean"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("is not empty and is not a kfp-rs run directory"), "{stderr}");
    assert!(stderr.contains("`--clean` removes only kfp-rs run directories"), "{stderr}");
    assert_eq!(std::fs::read_to_string(other.join("precious.txt")).unwrap(), "keep me");
}

#[test]
fn a_param_given_twice_is_an_error() {
    let out = run_example("many_steps", &["run", "--param", "n=1", "--param", "n=2"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "error: `--param n` given twice\n");
    assert!(out.stdout.is_empty(), "no run started");
}

#[test]
fn docker_gets_absolute_existing_mount_paths() {
    let base = temp_dir("docker");
    let bin = base.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = base.join("argv");
    let docker = bin.join("docker");
    // A fake docker: records its arguments, one a line, and checks the mount sources exist.
    std::fs::write(
        &docker,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\nfor a in \"$@\"; do case \"$a\" in /*:/tmp/*) [ -d \"${{a%%:*}}\" ] || exit 9;; esac; done\n",
            log.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&docker, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap_or_default());
    // A relative --workdir: what made docker read the mount source as a volume name.
    let out = Command::new(example_bin("hello"))
        .args(["run", "--workdir", "run"])
        .current_dir(&base)
        .env("PATH", path)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let argv: Vec<String> = std::fs::read_to_string(&log).unwrap().lines().map(str::to_owned).collect();
    let step = std::fs::canonicalize(base.join("run/say-hello")).unwrap();
    assert_eq!(
        argv,
        [
            "run".to_owned(),
            "--rm".to_owned(),
            "-v".to_owned(),
            format!("{}:/tmp/inputs", step.join("inputs").display()),
            "-v".to_owned(),
            format!("{}:/tmp/outputs", step.join("outputs").display()),
            "--entrypoint".to_owned(),
            "echo".to_owned(),
            "alpine:3.20".to_owned(),
            "Hello, world!".to_owned(),
        ]
    );
    assert!(step.is_absolute());
}

#[test]
fn sigterm_stops_the_steps_and_the_summary_says_interrupted() {
    interrupt("TERM", 15);
}

#[test]
fn sigint_stops_the_steps_and_exits_130() {
    interrupt("INT", 2);
}

/// Sends SIG`name` to a run with two sleeping steps and two waiting, and checks it stops them all.
fn interrupt(name: &str, number: i32) {
    let base = temp_dir(&format!("sig{name}"));
    let pids = base.join("pids");
    std::fs::create_dir_all(&pids).unwrap();
    let mut child = Command::new(example_bin("many_steps"))
        .args(["run", "--parallelism", "2", "--workdir"])
        .arg(base.join("run"))
        .args(["--param", "n=4", "--param", "sleep_ms=30000", "--param"])
        .arg(format!("pid_dir={}", pids.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let waited = Instant::now();
    let step_pids = loop {
        let found: Vec<u32> = std::fs::read_dir(&pids)
            .unwrap()
            .filter_map(|e| std::fs::read_to_string(e.unwrap().path()).ok()?.trim().parse().ok())
            .collect();
        if found.len() == 2 {
            break found;
        }
        assert!(waited.elapsed() < Duration::from_secs(30), "the steps did not start");
        std::thread::sleep(Duration::from_millis(20));
    };
    for pid in &step_pids {
        assert!(Path::new(&format!("/proc/{pid}")).exists());
    }
    let sent = Instant::now();
    let kill = Command::new("kill").args([&format!("-{name}"), &child.id().to_string()]).status().unwrap();
    assert!(kill.success());
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(sent.elapsed() < Duration::from_secs(10), "the runner did not stop");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(sent.elapsed() < Duration::from_secs(5), "{:?}", sent.elapsed());
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(status.code(), Some(128 + number), "{stdout}\n{stderr}");
    assert!(stderr.contains(&format!("error: the run was interrupted (signal {number})")), "{stderr}");
    for pid in &step_pids {
        assert!(!Path::new(&format!("/proc/{pid}")).exists(), "step process {pid} is still running");
    }
    // Two steps were stopped, two never started; `total` never started either.
    let interrupted = stdout.lines().filter(|l| l.split_whitespace().nth(1) == Some("Interrupted")).count();
    assert_eq!(interrupted, 5, "{stdout}");
    assert_eq!(status_of(&stdout, "total"), "Interrupted");
    assert!(stdout.contains(&format!("stopped: interrupted by SIG{name}")), "{stdout}");
    assert_eq!(std::fs::read_dir(&pids).unwrap().count(), 2, "no step started after the signal");
}

#[test]
fn thousands_of_loop_items_run_on_one_thread() {
    // 2,000 steps; the runner's thread count is sampled while they run: no thread per item.
    let base = temp_dir("many");
    let dir = base.join("run");
    // To a file: the summary is larger than a pipe's buffer, which nobody reads until the end.
    let summary = base.join("stdout");
    let mut child = Command::new(example_bin("many_steps"))
        .args(["run", "--parallelism", "4", "--param", "n=2000", "--workdir"])
        .arg(&dir)
        .stdout(std::fs::File::create(&summary).unwrap())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut most = 0;
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if let Ok(text) = std::fs::read_to_string(&status_file)
            && let Some(n) = text.lines().find_map(|l| l.strip_prefix("Threads:"))
        {
            most = most.max(n.trim().parse::<u32>().unwrap());
        }
        if started.elapsed() > Duration::from_secs(300) {
            let _ = child.kill();
            panic!("2,000 steps took over 5 minutes");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let status = child.wait().unwrap();
    let stdout = std::fs::read_to_string(&summary).unwrap();
    assert!(status.success(), "{}", stdout.lines().rev().take(5).collect::<Vec<_>>().join("\n"));
    assert!((1..=2).contains(&most), "the runner used {most} threads");
    assert_eq!(stdout.lines().filter(|l| l.contains("/square") && l.contains("Succeeded")).count(), 2000);
    // 0² + 1² + ... + 1999²
    assert_eq!(status_of(&stdout, "total"), "Succeeded");
    assert_eq!(std::fs::read_to_string(dir.join("total/outputs/output/data")).unwrap(), "2664667000");
}

#[test]
fn a_failed_steps_summary_shows_the_panic_message_or_the_error() {
    let out = run_example(
        "many_steps",
        &["run", "--workdir", temp_dir("panic").join("r").to_str().unwrap(), "--param", "fail=panic"],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1));
    let row = stdout.lines().find(|l| l.starts_with("for-loop-1(1)/square")).unwrap();
    assert!(row.contains("exited with exit status: 101: panicked at examples/many_steps.rs:"), "{row}");
    assert!(row.contains(": item 1 gave up (log: "), "{row}");
    assert!(!stdout.contains("RUST_BACKTRACE"), "{stdout}");

    let out = run_example(
        "many_steps",
        &["run", "--workdir", temp_dir("error").join("r").to_str().unwrap(), "--param", "fail=error"],
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let row = stdout.lines().find(|l| l.starts_with("for-loop-1(1)/square")).unwrap();
    assert!(
        row.contains("exited with exit status: 1: error: component `square` failed: item 1 has no square (log: "),
        "{row}"
    );
}

#[test]
#[ignore = "needs root and setpriv and prlimit (util-linux); run by .ci/run"]
fn a_loop_runs_under_a_low_process_limit() {
    // RLIMIT_NPROC counts a user's threads and processes, and root is exempt: run as `nobody`,
    // allowed 40. A thread per item (300 here) would fail to spawn.
    let tools = ["setpriv", "prlimit"].iter().all(|t| Command::new(t).arg("--version").output().is_ok());
    let root = std::fs::read_to_string("/proc/self/status")
        .is_ok_and(|s| s.lines().any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0")));
    need("`setpriv` and `prlimit` (util-linux)", tools);
    need("root (the test runs the loop as `nobody`; root is exempt from RLIMIT_NPROC)", root);
    let base = temp_dir("nproc");
    // The binary and the run directory where `nobody` can reach them.
    let bin = base.join("many_steps");
    std::fs::copy(example_bin("many_steps"), &bin).unwrap();
    for (path, mode) in [(&base, 0o777), (&bin, 0o755)] {
        std::fs::set_permissions(path, std::os::unix::fs::PermissionsExt::from_mode(mode)).unwrap();
    }
    let summary = base.join("stdout");
    let mut child = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "prlimit", "--nproc=40"])
        .arg(&bin)
        .args(["run", "--parallelism", "4", "--param", "n=300", "--workdir"])
        .arg(base.join("run"))
        .stdout(std::fs::File::create(&summary).unwrap())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("the run did not finish under the process limit");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = std::fs::read_to_string(&summary).unwrap();
    assert!(status.success(), "{stdout}");
    assert_eq!(stdout.lines().filter(|l| l.contains("/square") && l.contains("Succeeded")).count(), 300);
    assert_eq!(status_of(&stdout, "total"), "Succeeded");
}
