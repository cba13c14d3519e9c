//! `submit`, `upload`, `schedule` and `runs` on a pipeline binary: against the API mocks (Prism
//! serving the official KFP v1beta1/v2beta1 and Argo documents, which refuse any request that breaks
//! them) and against an in-process fake server for what the mocks cannot show (a run that changes
//! state and ends, errors, a server that does not answer).

#[path = "support/api_mock.rs"]
mod api_mock;
#[path = "support/fake_server.rs"]
mod fake_server;
mod support;

use std::process::{Command, Output};

use fake_server::{FakeServer, Reply};
use serde_json::json;

/// Runs example `linear` with `args`, with no KFP_* settings and no config file from this machine.
fn linear(args: &[&str], env: &[(&str, &str)]) -> Output {
    let home = support::temp_dir("cli-remote-home");
    let mut cmd = Command::new(support::example_bin("linear"));
    cmd.args(args).env("HOME", &home).env_remove("XDG_CONFIG_HOME");
    for var in [
        "KFP_ENDPOINT",
        "KFP_SERVER",
        "KFP_NAMESPACE",
        "KFP_TOKEN",
        "KFP_TOKEN_FILE",
        "KFP_CA_CERT",
        "KFP_EXPERIMENT",
        "KFP_CONFIG",
    ] {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied());
    cmd.output().expect("run linear")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The one error line of a failed command, after checking it failed with status 1 and printed
/// nothing else on stderr.
fn one_error_line(out: &Output) -> String {
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "stdout: {}\nstderr: {err}", text(&out.stdout));
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "one line expected: {err}");
    assert!(lines[0].starts_with("error: "), "{err}");
    lines[0].to_owned()
}

#[test]
fn an_unreachable_endpoint_is_one_line_and_a_failure() {
    let out = linear(&["submit", "--endpoint", "http://127.0.0.1:9", "--retries", "0"], &[]);
    let line = one_error_line(&out);
    assert!(line.contains("http://127.0.0.1:9/apis/v1beta1/"), "{line}");
    assert!(line.contains("(is the server running, and the port right?)"), "{line}");
}

#[test]
fn no_endpoint_or_a_malformed_one_says_how_to_give_one() {
    let line = one_error_line(&linear(&["runs"], &[]));
    assert!(line.starts_with("error: no server given: pass --endpoint URL, set KFP_ENDPOINT"), "{line}");
    let line = one_error_line(&linear(&["runs", "--endpoint", "localhost:8888"], &[]));
    assert_eq!(line, "error: the endpoint `localhost:8888` is not a URL: start it with http:// or https://");
}

#[test]
fn a_401_says_which_request_and_how_to_authenticate() {
    let server = FakeServer::start();
    server.json("GET", "/apis/v2beta1/runs", 401, json!({"error": "Unauthenticated", "code": 16, "message": "Request header error: there is no user identity header."}));
    let out = linear(&["runs", "--endpoint", &server.url], &[]);
    let line = one_error_line(&out);
    assert!(line.contains(&format!("GET {}/apis/v2beta1/runs", server.url)), "{line}");
    assert!(line.contains("HTTP 401: Request header error: there is no user identity header."), "{line}");
    assert!(
        line.ends_with("give a token with --token-file FILE or KFP_TOKEN, or a session cookie with --header"),
        "{line}"
    );
}

#[test]
fn a_404_and_a_500_carry_the_servers_message() {
    let server = FakeServer::start();
    server.json("GET", "/apis/v2beta1/runs/missing", 404, json!({"code": 5, "message": "Run missing not found"}));
    server.json("GET", "/apis/v2beta1/runs/broken", 500, json!({"code": 13, "message": "database is locked"}));
    let line = one_error_line(&linear(&["runs", "missing", "--endpoint", &server.url], &[]));
    assert!(line.contains("HTTP 404: Run missing not found; check --endpoint"), "{line}");
    let line = one_error_line(&linear(&["runs", "broken", "--endpoint", &server.url, "--retries", "2"], &[]));
    assert!(line.contains("HTTP 500: database is locked"), "{line}");
    // A GET is retried: the first try and two retries.
    let tries = server.seen().iter().filter(|s| s.path.ends_with("/runs/broken")).count();
    assert_eq!(tries, 3);
}

#[test]
fn a_server_that_does_not_answer_times_out_in_one_line() {
    let server = FakeServer::start();
    server.route("GET", "/apis/v2beta1/runs", vec![Reply::Hang(std::time::Duration::from_secs(20))]);
    let start = std::time::Instant::now();
    let out = linear(&["runs", "--endpoint", &server.url, "--timeout", "1", "--retries", "0"], &[]);
    let line = one_error_line(&out);
    assert!(line.contains("no answer within 1 s (raise --timeout)"), "{line}");
    assert!(start.elapsed() < std::time::Duration::from_secs(15), "{:?}", start.elapsed());
}

fn v2_run(state: &str, tasks: serde_json::Value) -> Reply {
    let run =
        json!({"run_id": "r-7", "display_name": "linear run", "state": state, "run_details": {"task_details": tasks}});
    Reply::Json(200, run.to_string())
}

fn task(name: &str, state: &str, start: &str, end: Option<&str>) -> serde_json::Value {
    let mut t = json!({"task_id": name, "display_name": name, "state": state, "start_time": start});
    if let Some(end) = end {
        t["end_time"] = json!(end);
    }
    t
}

/// A KFP v2 server where the pipeline is new: it is uploaded, its version listed, a run made of it.
fn kfp_v2_server(run_states: Vec<Reply>) -> FakeServer {
    let server = FakeServer::start();
    server.json("GET", "/apis/v2beta1/pipelines/names/", 404, json!({"code": 5, "message": "not found"}));
    server.json(
        "POST",
        "/apis/v2beta1/pipelines/upload",
        200,
        json!({"pipeline_id": "p-1", "display_name": "Linear three step"}),
    );
    server.json(
        "GET",
        "/apis/v2beta1/pipelines/p-1/versions",
        200,
        json!({"pipeline_versions": [{"pipeline_id": "p-1", "pipeline_version_id": "v-1", "display_name": "v1"}]}),
    );
    server.json(
        "POST",
        "/apis/v2beta1/runs",
        200,
        json!({"run_id": "r-7", "display_name": "linear run", "state": "PENDING"}),
    );
    server.route("GET", "/apis/v2beta1/runs/r-7", run_states);
    server
}

#[test]
fn submit_wait_uploads_runs_and_follows_the_run_to_success() {
    let server = kfp_v2_server(vec![
        v2_run("PENDING", json!([])),
        v2_run("RUNNING", json!([task("fetch", "RUNNING", "2026-12-02T08:00:00Z", None)])),
        v2_run(
            "RUNNING",
            json!([
                task("fetch", "SUCCEEDED", "2026-12-02T08:00:00Z", Some("2026-12-02T08:00:04Z")),
                task("count-words", "RUNNING", "2026-12-02T08:00:05Z", None)
            ]),
        ),
        v2_run(
            "SUCCEEDED",
            json!([
                task("fetch", "SUCCEEDED", "2026-12-02T08:00:00Z", Some("2026-12-02T08:00:04Z")),
                task("count-words", "SUCCEEDED", "2026-12-02T08:00:05Z", Some("2026-12-02T08:00:07Z")),
                task("report", "SUCCEEDED", "2026-12-02T08:00:08Z", Some("2026-12-02T08:00:09Z"))
            ]),
        ),
    ]);
    let out = linear(
        &[
            "submit",
            "--target",
            "kfp-v2",
            "--endpoint",
            &server.url,
            "--param",
            "min_len=5",
            "--wait",
            "--poll",
            "0.05",
        ],
        &[("KFP_TOKEN", "s3cret")],
    );
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", text(&out.stderr));
    let lines: Vec<&str> = stdout.lines().map(|l| l.split_once("] ").map_or(l, |(_, rest)| rest)).collect();
    assert_eq!(lines[0], "uploaded pipeline Linear three step (p-1), version v1 (v-1)");
    assert_eq!(lines[1], "run r-7 created: linear run");
    assert_eq!(
        &lines[2..],
        [
            "run r-7: pending",
            "run r-7: running",
            "fetch: running",
            "fetch: succeeded in 4.0 s",
            "count-words: running",
            "count-words: succeeded in 2.0 s",
            "report: succeeded in 1.0 s",
            "run r-7: succeeded (3 steps succeeded, 0 failed, 0 skipped)"
        ]
    );
    let seen = server.seen();
    // The token went with every request; the run was made from the uploaded version, with the
    // parameter typed as the IR declares it (an integer).
    assert!(seen.iter().all(|s| s.headers.contains(&("authorization".to_owned(), "Bearer s3cret".to_owned()))));
    let create = seen.iter().find(|s| s.method == "POST" && s.path == "/apis/v2beta1/runs").expect("a run was created");
    let body: serde_json::Value = serde_json::from_str(&create.body).unwrap();
    assert_eq!(body["pipeline_version_reference"], json!({"pipeline_id": "p-1", "pipeline_version_id": "v-1"}));
    assert_eq!(body["runtime_config"]["parameters"]["min_len"], json!(5));
    // The uploaded file is the IR, as YAML.
    let upload = seen.iter().find(|s| s.path.starts_with("/apis/v2beta1/pipelines/upload")).unwrap();
    assert!(upload.body.contains("pipelineInfo:"), "{}", upload.body);
}

#[test]
fn submit_wait_exits_with_a_failed_runs_outcome() {
    let server = kfp_v2_server(vec![
        v2_run("RUNNING", json!([task("fetch", "RUNNING", "2026-12-02T08:00:00Z", None)])),
        v2_run("FAILED", json!([{"display_name": "fetch", "state": "FAILED", "error": {"message": "exit code 1"}}])),
    ]);
    let out = linear(
        &["submit", "--target", "kfp-v2", "--endpoint", &server.url, "--wait", "--poll", "0.05"],
        &[("KFP_TOKEN", "t")],
    );
    let line = one_error_line(&out);
    assert_eq!(line, "error: run r-7 failed: failed steps: fetch (exit code 1)");
    // The step's failure, with how long it was seen running (the server gave no times) and why.
    let stdout = text(&out.stdout);
    let failed = stdout.lines().find(|l| l.contains("] fetch: failed")).unwrap_or_else(|| panic!("{stdout}"));
    assert!(failed.contains("fetch: failed in ") && failed.ends_with(" s: exit code 1"), "{stdout}");
}

#[test]
fn a_wait_that_runs_out_of_time_says_so_and_fails() {
    let server = kfp_v2_server(vec![v2_run("RUNNING", json!([]))]);
    let out = linear(
        &[
            "submit",
            "--target",
            "kfp-v2",
            "--no-upload",
            "--endpoint",
            &server.url,
            "--wait",
            "--poll",
            "0.05",
            "--wait-timeout",
            "0.5",
        ],
        &[("KFP_TOKEN", "t")],
    );
    let line = one_error_line(&out);
    assert!(line.starts_with("error: gave up waiting for run r-7 after"), "{line}");
    // --no-upload: the run carries the IR itself.
    let seen = server.seen();
    assert!(!seen.iter().any(|s| s.path.contains("/pipelines")), "nothing uploaded");
    let create = seen.iter().find(|s| s.method == "POST" && s.path == "/apis/v2beta1/runs").unwrap();
    let body: serde_json::Value = serde_json::from_str(&create.body).unwrap();
    assert_eq!(body["pipeline_spec"]["pipelineInfo"]["name"], json!("linear-three-step"), "{body}");
}

// Against the mocks of the official API documents (strict: unknown fields are refused too).

fn mock_env() -> [(&'static str, &'static str); 1] {
    [("KFP_TOKEN", "t")]
}

#[test]
#[ignore = "needs the API mock: ../shared/tools/api-mock (Prism; `api-mock --install` needs Node.js and npm); run by .ci/run"]
fn submit_on_the_kfp_v1_mock_uploads_creates_and_watches() {
    let url = api_mock::url_strict("kfp-v1");
    let out = linear(
        &[
            "submit",
            "--endpoint",
            &url,
            "--param",
            "min_len=5",
            "--experiment",
            "nightly",
            "--wait",
            "--poll",
            "0.2",
            "--wait-timeout",
            "1.5",
        ],
        &mock_env(),
    );
    let stdout = text(&out.stdout);
    // Every request matched the spec; the mock's run never finishes (its status is the spec's
    // placeholder), so the wait ends by its timeout.
    let line = one_error_line(&out);
    assert!(line.starts_with("error: gave up waiting for run "), "{line}\n{stdout}");
    assert!(stdout.contains("experiment "), "{stdout}");
    assert!(stdout.contains("uploaded "), "{stdout}");
    assert!(stdout.contains(" created: "), "{stdout}");
    assert!(stdout.contains("] run "), "progress: {stdout}");
}

#[test]
#[ignore = "needs the API mock: ../shared/tools/api-mock (Prism; `api-mock --install` needs Node.js and npm); run by .ci/run"]
fn submit_on_the_kfp_v2_mock_uploads_creates_and_watches() {
    let url = api_mock::url_strict("kfp-v2");
    let out = linear(
        &[
            "submit",
            "--target",
            "kfp-v2",
            "--endpoint",
            &url,
            "--param",
            "min_len=5",
            "--experiment",
            "nightly",
            "--wait",
            "--poll",
            "0.2",
            "--wait-timeout",
            "1.5",
        ],
        &mock_env(),
    );
    let stdout = text(&out.stdout);
    let line = one_error_line(&out);
    assert!(line.starts_with("error: gave up waiting for run "), "{line}\n{stdout}");
    assert!(stdout.contains(" created: ") && stdout.contains("] run "), "{stdout}");
}

#[test]
#[ignore = "needs the API mock: ../shared/tools/api-mock (Prism; `api-mock --install` needs Node.js and npm); run by .ci/run"]
fn schedule_upload_and_runs_match_both_kfp_apis() {
    for (kind, target) in [("kfp-v1", "argo"), ("kfp-v2", "kfp-v2")] {
        let url = api_mock::url_strict(kind);
        let common = ["--endpoint", url.as_str(), "--target", target];
        let run = |args: &[&str]| {
            let mut all = args.to_vec();
            all.extend_from_slice(&common);
            let out = linear(&all, &mock_env());
            assert!(out.status.success(), "{kind} {args:?}: {}{}", text(&out.stdout), text(&out.stderr));
            text(&out.stdout)
        };
        let s = run(&[
            "schedule",
            "--schedule",
            "0 0 3 * * *",
            "--param",
            "min_len=5",
            "--max-concurrency",
            "2",
            "--catchup",
        ]);
        assert!(s.contains("recurring run "), "{kind}: {s}");
        let s = run(&["schedule", "--every", "3600", "--disabled", "--experiment", "nightly"]);
        assert!(s.contains("recurring run "), "{kind}: {s}");
        let s = run(&["upload", "--version", "v2"]);
        assert!(s.contains("uploaded "), "{kind}: {s}");
        let runs = |args: &[&str]| {
            let mut all = args.to_vec();
            all.extend_from_slice(&[
                "--endpoint",
                url.as_str(),
                "--api",
                if kind == "kfp-v1" { "v1beta1" } else { "v2beta1" },
            ]);
            let out = linear(&all, &mock_env());
            assert!(out.status.success(), "{kind} {args:?}: {}", text(&out.stderr));
            text(&out.stdout)
        };
        assert!(runs(&["runs"]).starts_with("ID"), "{kind}");
        assert!(runs(&["runs", "--experiment", "nightly", "--limit", "5"]).starts_with("ID"), "{kind}");
        assert!(runs(&["runs", "some-run"]).starts_with("run "), "{kind}");
    }
}

#[test]
fn a_five_field_cron_for_kfp_is_refused_with_the_six_field_form() {
    let server = FakeServer::start();
    let line = one_error_line(&linear(&["schedule", "--schedule", "0 3 * * *", "--endpoint", &server.url], &[]));
    assert_eq!(
        line,
        "error: --schedule `0 3 * * *` has 5 fields; Kubeflow Pipelines takes six, seconds first (`0 0 3 * * *` runs at second 0)"
    );
    assert!(server.seen().is_empty(), "nothing was sent");
}

fn event(phase: &str, nodes: serde_json::Value) -> String {
    json!({"result": {"type": "MODIFIED", "object": {
        "metadata": {"name": "linear-x7k2p", "namespace": "ml"},
        "status": {"phase": phase, "nodes": nodes}
    }}})
    .to_string()
}

#[test]
fn submit_to_argo_creates_the_workflow_and_follows_its_event_stream() {
    let server = FakeServer::start();
    server.json("POST", "/api/v1/workflows/ml", 200, json!({"metadata": {"name": "linear-x7k2p", "namespace": "ml"}}));
    let pod = |name: &str, phase: &str, start: &str, end: Option<&str>| {
        let mut n = json!({"type": "Pod", "displayName": name, "phase": phase, "startedAt": start});
        if let Some(end) = end {
            n["finishedAt"] = json!(end);
        }
        n
    };
    let pause = std::time::Duration::from_millis(20);
    server.route(
        "GET",
        "/api/v1/workflow-events/ml",
        vec![Reply::Stream(
            vec![
                event("Running", json!({"a": pod("fetch", "Running", "2026-12-02T08:00:00Z", None)})),
                event(
                    "Failed",
                    json!({
                        "a": pod("fetch", "Succeeded", "2026-12-02T08:00:00Z", Some("2026-12-02T08:00:03Z")),
                        "b": {"type": "Pod", "displayName": "count-words", "phase": "Failed", "startedAt": "2026-12-02T08:00:04Z",
                              "finishedAt": "2026-12-02T08:00:05Z", "message": "Error (exit code 1)"}
                    }),
                ),
            ],
            pause,
        )],
    );
    let out = linear(
        &[
            "submit",
            "--server",
            "argo",
            "--namespace",
            "ml",
            "--endpoint",
            &server.url,
            "--param",
            "min_len=7",
            "--wait",
            "--poll",
            "0.05",
        ],
        &[("KFP_TOKEN", "t")],
    );
    let line = one_error_line(&out);
    assert_eq!(line, "error: run linear-x7k2p failed: failed steps: count-words (Error (exit code 1))");
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().map(|l| l.split_once("] ").map_or(l, |(_, rest)| rest)).collect();
    assert_eq!(
        lines,
        [
            "workflow linear-x7k2p created in namespace ml",
            "run linear-x7k2p: running",
            "fetch: running",
            "fetch: succeeded in 3.0 s",
            "count-words: failed in 1.0 s: Error (exit code 1)",
            "run linear-x7k2p: failed (1 steps succeeded, 1 failed, 0 skipped)"
        ]
    );
    // The workflow went with the value as its argument.
    let create = server.seen().into_iter().find(|s| s.method == "POST").unwrap();
    let body: serde_json::Value = serde_json::from_str(&create.body).unwrap();
    let args = &body["workflow"]["spec"]["arguments"]["parameters"];
    assert!(args.as_array().unwrap().contains(&json!({"name": "min_len", "value": "7"})), "{args}");
}

#[test]
#[ignore = "needs the API mock: ../shared/tools/api-mock (Prism; `api-mock --install` needs Node.js and npm); run by .ci/run"]
fn the_argo_commands_match_the_argo_servers_api() {
    let url = api_mock::url("argo");
    let run = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend_from_slice(&["--server", "argo", "--endpoint", url.as_str(), "--timeout", "120"]);
        let out = linear(&all, &mock_env());
        assert!(out.status.success(), "{args:?}: {}{}", text(&out.stdout), text(&out.stderr));
        text(&out.stdout)
    };
    assert!(run(&["submit", "--param", "min_len=5"]).contains(" created in namespace argo"));
    assert!(run(&["upload"]).contains("applied in namespace argo"));
    assert!(run(&["upload", "--cluster"]).contains("applied"));
    assert!(run(&["schedule", "--schedule", "0 3 * * *", "--timezone", "Europe/Paris"]).contains("CronWorkflow "));
    assert!(run(&["runs"]).starts_with("ID"));
    assert!(run(&["runs", "some-workflow"]).starts_with("run "));
}

#[test]
fn options_of_the_other_server_are_refused_not_ignored() {
    let server = FakeServer::start();
    let line =
        one_error_line(&linear(&["submit", "--server", "argo", "--experiment", "x", "--endpoint", &server.url], &[]));
    assert_eq!(line, "error: --experiment is a Kubeflow Pipelines idea; the Argo Server has none: drop it");
    let line =
        one_error_line(&linear(&["submit", "--server", "argo", "--target", "kfp-v2", "--endpoint", &server.url], &[]));
    assert!(line.starts_with("error: the Argo Server runs Argo Workflows, not the KFP v2 IR"), "{line}");
    let line =
        one_error_line(&linear(&["schedule", "--every", "60", "--timezone", "UTC", "--endpoint", &server.url], &[]));
    assert!(line.starts_with("error: --timezone belongs to an Argo CronWorkflow"), "{line}");
    assert!(server.seen().is_empty(), "nothing was sent");
}

#[test]
fn a_ca_file_that_cannot_be_read_or_holds_no_certificate_is_one_line() {
    let server = FakeServer::start();
    let line = one_error_line(&linear(&["runs", "--endpoint", &server.url, "--ca-cert", "/nonexistent/ca.pem"], &[]));
    assert!(line.starts_with("error: cannot read the CA file /nonexistent/ca.pem: "), "{line}");
    let dir = support::temp_dir("cli-remote-ca");
    let not_pem = dir.join("ca.pem");
    std::fs::write(&not_pem, "this is not a certificate\n").unwrap();
    let line =
        one_error_line(&linear(&["runs", "--endpoint", &server.url, "--ca-cert", not_pem.to_str().unwrap()], &[]));
    assert_eq!(
        line,
        format!("error: the CA file {} holds no PEM certificate (-----BEGIN CERTIFICATE-----)", not_pem.display())
    );
    assert!(server.seen().is_empty(), "nothing was sent");
}

#[test]
fn settings_come_from_the_environment_and_the_config_file() {
    let server = FakeServer::start();
    server.json(
        "GET",
        "/apis/v2beta1/runs?",
        200,
        json!({"runs": [{"run_id": "r-1", "display_name": "nightly", "state": "SUCCEEDED"}]}),
    );
    let dir = support::temp_dir("cli-remote-config");
    let token = dir.join("token");
    std::fs::write(&token, "from-the-file\n").unwrap();
    let config = dir.join("config");
    std::fs::write(
        &config,
        format!("# the team's cluster\nendpoint = {}\nnamespace = team-a\ntoken_file = {}\nheader = Cookie: authservice_session=abc\n", server.url, token.display()),
    )
    .unwrap();
    let out = linear(&["runs"], &[("KFP_CONFIG", config.to_str().unwrap())]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "ID   STATE       NAME\nr-1  succeeded   nightly\n");
    let seen = server.seen();
    let h = &seen[0].headers;
    assert!(h.contains(&("authorization".to_owned(), "Bearer from-the-file".to_owned())), "{h:?}");
    assert!(h.contains(&("cookie".to_owned(), "authservice_session=abc".to_owned())), "{h:?}");
    assert!(seen[0].path.contains("namespace=team-a"), "{}", seen[0].path);
    // The variable wins over the file.
    let out = linear(
        &["runs"],
        &[("KFP_CONFIG", config.to_str().unwrap()), ("KFP_ENDPOINT", "http://127.0.0.1:9"), ("KFP_TOKEN", "x")],
    );
    assert!(one_error_line(&out).contains("http://127.0.0.1:9/apis/v2beta1/runs"));
}
