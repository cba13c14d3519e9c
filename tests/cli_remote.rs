//! `submit`, `upload`, `schedule` and `runs` on a pipeline binary: against the API mocks (Prism
//! serving the official KFP v1beta1/v2beta1 and Argo documents, which refuse any request that breaks
//! them) and against an in-process fake server for what the mocks cannot show (a run that changes
//! state and ends, errors, a server that does not answer).

mod support;
#[path = "support/api_mock.rs"]
mod api_mock;
#[path = "support/fake_server.rs"]
mod fake_server;

use std::process::{Command, Output};

use fake_server::{FakeServer, Reply};
use serde_json::json;

/// Runs example `linear` with `args`, with no KFP_* settings and no config file from this machine.
fn linear(args: &[&str], env: &[(&str, &str)]) -> Output {
    let home = support::temp_dir("cli-remote-home");
    let mut cmd = Command::new(support::example_bin("linear"));
    cmd.args(args).env("HOME", &home).env_remove("XDG_CONFIG_HOME");
    for var in ["KFP_ENDPOINT", "KFP_SERVER", "KFP_NAMESPACE", "KFP_TOKEN", "KFP_TOKEN_FILE", "KFP_CA_CERT", "KFP_EXPERIMENT", "KFP_CONFIG"] {
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
    assert!(line.ends_with("give a token with --token-file FILE or KFP_TOKEN, or a session cookie with --header"), "{line}");
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
