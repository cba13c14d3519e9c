//! What `run` shows while it runs: plain lines on stderr when it is not a terminal, JSON events on
//! stdout with `--json`, and the live view on a terminal (under `script(1)`, which gives the run a
//! pseudo-terminal).

mod support;

use std::collections::BTreeSet;
use std::process::Command;

use serde_json::Value;
use support::*;

/// The rows of the summary table on stdout: `(step, status)`.
fn rows(stdout: &str) -> Vec<(String, String)> {
    let mut lines = stdout.lines().skip_while(|l| !l.starts_with("step "));
    let header = lines.next().unwrap_or_else(|| panic!("no table: {stdout}"));
    assert!(header.split_whitespace().eq(["step", "status", "time", "tries", "outputs"]), "{header}");
    lines
        .take_while(|l| !l.starts_with("pipeline outputs:") && !l.starts_with("run directory:"))
        .map(|l| {
            let mut words = l.split_whitespace();
            (words.next().unwrap().to_owned(), words.next().unwrap().to_owned())
        })
        .collect()
}

#[test]
fn plain_lines_on_stderr_when_it_is_not_a_terminal() {
    let dir = temp_dir("progress-plain");
    let out = run_example("train_eval", &["run", "--workdir", dir.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(!stderr.contains('\x1b'), "no escape codes off a terminal: {stderr:?}");
    for line in stderr.lines() {
        let (time, _) = line
            .strip_prefix('[')
            .and_then(|l| l.split_once("s] "))
            .unwrap_or_else(|| panic!("not an event line: {line:?}"));
        assert!(time.trim().parse::<f64>().is_ok(), "{line:?}");
    }
    let events: Vec<&str> = stderr.lines().map(|l| l.split_once("s] ").unwrap().1).collect();
    let rows = rows(&stdout);
    assert_eq!(rows.iter().filter(|(_, s)| s == "Succeeded").count(), 7, "{stdout}");
    for (step, status) in &rows {
        let status = status.to_lowercase();
        let end = events
            .iter()
            .position(|e| e.starts_with(&format!("{step}: {status}")))
            .unwrap_or_else(|| panic!("no `{step}: {status}` line: {stderr}"));
        if status == "succeeded" {
            let start = events.iter().position(|e| *e == format!("{step}: started"));
            assert!(start.is_some_and(|s| s < end), "`{step}` started before it ended: {stderr}");
            assert!(events[end].contains(" in ") && events[end].ends_with('s'), "{}", events[end]);
        }
    }
    assert!(events.contains(&"condition-2: skipped"), "{stderr}");
    assert!(events.last().is_some_and(|e| e.starts_with("run succeeded in ")), "{stderr}");
}

/// `run --json`'s stdout, every line parsed.
fn json_events(example: &str, args: &[&str]) -> (Vec<Value>, std::process::Output) {
    let out = run_example(example, &[&["run", "--json"], args].concat());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let events = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l:?}\n{stdout}")))
        .collect();
    (events, out)
}

fn steps_of<'a>(events: &'a [Value], kind: &str) -> Vec<&'a str> {
    events.iter().filter(|e| e["event"] == kind).map(|e| e["step"].as_str().unwrap()).collect()
}

#[test]
fn json_events_on_stdout_and_nothing_else() {
    let dir = temp_dir("progress-json");
    let (events, out) = json_events("train_eval", &["--workdir", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut at = 0.0;
    for e in &events {
        let t = e["at"].as_f64().unwrap_or_else(|| panic!("no `at`: {e}"));
        assert!(t >= at, "events in time order: {e}");
        at = t;
    }
    let last = events.last().unwrap();
    assert_eq!(last["event"], "run_finished", "{last}");
    assert_eq!(last["outcome"], "succeeded");
    assert_eq!(last["workdir"], dir.to_str().unwrap());
    assert_eq!(events.iter().filter(|e| e["event"] == "run_finished").count(), 1);

    let finished: Vec<&Value> = events.iter().filter(|e| e["event"] == "step_finished").collect();
    assert_eq!(last["steps"].as_u64(), Some(finished.len() as u64));
    let started: BTreeSet<&str> = steps_of(&events, "step_started").into_iter().collect();
    let ran: BTreeSet<&str> =
        finished.iter().filter(|e| e["status"] == "succeeded").map(|e| e["step"].as_str().unwrap()).collect();
    assert_eq!(ran.len(), 7, "{finished:?}");
    assert_eq!(started, ran, "every step that ran started, and only those");
    for e in &finished {
        if e["status"] == "succeeded" {
            assert_eq!((e["exit_code"].as_i64(), e["attempts"].as_u64()), (Some(0), Some(1)), "{e}");
            assert!(std::path::Path::new(e["log"].as_str().unwrap()).is_file(), "{e}");
            assert!(e["duration"].as_f64().is_some() && e["outputs"].is_object(), "{e}");
        }
    }
    let skipped = finished.iter().find(|e| e["step"] == "condition-2").expect("condition-2");
    assert_eq!(skipped["status"], "skipped");
    assert!(skipped["log"].is_null() && skipped["exit_code"].is_null(), "{skipped}");
}

#[test]
fn the_last_json_event_carries_the_pipelines_outputs() {
    let dir = temp_dir("progress-json-outputs");
    let (events, out) = json_events("pipeline_outputs", &["--workdir", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let last = events.last().unwrap();
    assert_eq!((last["event"].as_str(), last["outcome"].as_str()), (Some("run_finished"), Some("succeeded")));
    assert!(last["outputs"]["mse"].as_str().is_some_and(|v| v.parse::<f64>().is_ok()), "{last}");
    assert!(std::path::Path::new(last["artifacts"]["model"].as_str().unwrap()).exists(), "{last}");
}

#[test]
fn json_events_of_a_failed_run_carry_the_exit_code_and_log() {
    let dir = temp_dir("progress-json-failed");
    let (events, out) =
        json_events("lightweight", &["--param", "rows=0", "--keep-going", "--workdir", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).ends_with("error: the run failed: summarise\n"));
    let failed = events.iter().find(|e| e["step"] == "summarise" && e["event"] == "step_finished").unwrap();
    assert_eq!(failed["status"], "failed");
    assert!(failed["exit_code"].as_i64().is_some_and(|c| c != 0), "{failed}");
    assert!(failed["error"].as_str().unwrap().contains("no numbers"), "{failed}");
    assert!(std::path::Path::new(failed["log"].as_str().unwrap()).is_file(), "{failed}");
    let report = events.iter().find(|e| e["step"] == "report").unwrap();
    assert_eq!((report["event"].as_str(), report["status"].as_str()), (Some("step_finished"), Some("omitted")));
    assert!(!steps_of(&events, "step_started").contains(&"report"), "an omitted step never started");
    let last = events.last().unwrap();
    assert_eq!((last["event"].as_str(), last["outcome"].as_str()), (Some("run_finished"), Some("failed")));
}

/// Runs `train_eval run` on a pseudo-terminal (`script -qc`) with `env`; what the terminal got.
fn on_a_terminal(name: &str, env: &[(&str, &str)]) -> String {
    let have = Command::new("script").arg("--version").output().is_ok_and(|o| o.status.success());
    need("script(1) from util-linux (apt-get install util-linux) for the terminal test", have);
    let dir = temp_dir(name);
    let cmd = format!("{} run --workdir {}", example_bin("train_eval").display(), dir.display());
    let mut script = Command::new("script");
    script.args(["-qec", &cmd, "/dev/null"]).env_remove("NO_COLOR").env("TERM", "xterm");
    for (k, v) in env {
        script.env(k, v);
    }
    let out = script.output().expect("script");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{text}\n{}", String::from_utf8_lossy(&out.stderr));
    text
}

/// Whether `text` has a spinner frame between `before` and `after`.
fn spinner_then(text: &str, before: &str, after: &str) -> bool {
    "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏".chars().any(|c| text.contains(&format!("{before}{c}{after}")))
}

#[test]
fn a_live_view_on_a_terminal() {
    let text = on_a_terminal("progress-tty", &[]);
    // Live lines: a spinner and a time, redrawn in place (cursor up, clear to the end).
    assert!(spinner_then(&text, "\x1b[36m", "\x1b[0m train  0.0s"), "{text:?}");
    assert!(text.contains("A\r\x1b[J"), "{text:?}");
    // Finished steps, in colour, scrolled above.
    assert!(text.contains("\x1b[32m✓\x1b[0m train  "), "{text:?}");
    assert!(text.contains("\x1b[2m-\x1b[0m condition-2  skipped"), "{text:?}");
    assert!(text.contains("\x1b[32m✓\x1b[0m run succeeded in "), "{text:?}");
    // Then the table, after the live view is gone: nothing is drawn after it.
    let table = text.find("step  ").unwrap_or_else(|| panic!("{text:?}"));
    assert!(!text[table..].contains('\x1b'), "{text:?}");
    assert!(text[table..].contains("condition-2"), "{text:?}");
}

#[test]
fn no_colour_and_a_dumb_terminal() {
    let text = on_a_terminal("progress-nocolor", &[("NO_COLOR", "1")]);
    assert!(!text.contains("\x1b[3") && !text.contains("\x1b[2m"), "no colour: {text:?}");
    assert!(spinner_then(&text, "", " train  0.0s") && text.contains("✓ train  "), "still live: {text:?}");
    let text = on_a_terminal("progress-dumb", &[("TERM", "dumb")]);
    assert!(!text.contains('\x1b'), "plain lines: {text:?}");
    assert!(text.contains("s] train: started"), "{text:?}");
}

#[test]
fn ctrl_c_on_a_terminal_leaves_no_live_line() {
    let have = Command::new("script").arg("--version").output().is_ok_and(|o| o.status.success());
    need("script(1) from util-linux (apt-get install util-linux) for the terminal test", have);
    let base = temp_dir("progress-ctrl-c");
    let pids = base.join("pids");
    std::fs::create_dir_all(&pids).unwrap();
    let cmd = format!(
        "exec {} run --parallelism 2 --workdir {} --param n=4 --param sleep_ms=30000 --param pid_dir={}",
        example_bin("many_steps").display(),
        base.join("run").display(),
        pids.display()
    );
    let mut script = Command::new("script")
        .args(["-qec", &cmd, "/dev/null"])
        .env_remove("NO_COLOR")
        .env("TERM", "xterm")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let waited = std::time::Instant::now();
    while std::fs::read_dir(&pids).unwrap().count() < 2 {
        assert!(waited.elapsed() < std::time::Duration::from_secs(30), "the steps did not start");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // Ctrl-C as the terminal sends it: the line discipline makes it SIGINT.
    use std::io::Write;
    let mut stdin = script.stdin.take().unwrap();
    stdin.write_all(b"\x03").unwrap();
    stdin.flush().unwrap();
    let out = script.wait_with_output().unwrap();
    drop(stdin);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(130), "{text:?}");
    let end = text.find("run interrupted by SIGINT in ").unwrap_or_else(|| panic!("{text:?}"));
    // The run's last frame erased the live lines; nothing live is drawn after it.
    let last_live = text[..end].rfind(|c| "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏".contains(c)).expect("live lines were drawn");
    assert!(text[last_live..end].contains("\x1b[J"), "the last live lines were erased: {text:?}");
    assert!(!"⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏".chars().any(|c| text[end..].contains(c)), "{text:?}");
    assert!(text[end..].contains("Interrupted"), "the table follows: {text:?}");
}
