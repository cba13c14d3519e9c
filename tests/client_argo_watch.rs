//! `Argo::watch_workflow` against an in-process fake server (the API mock answers the event stream
//! with one Succeeded event and closes, so it cannot show phases changing, reconnects or errors):
//! the event stream as the Argo Server sends it, reconnects, the polling fallback, timeouts.

#[path = "support/fake_server.rs"]
mod fake_server;

use std::time::{Duration, Instant};

use fake_server::{FakeServer, Reply};
use kfp::client::{Argo, ClientError, Endpoint, RunStatus, State, Wait};
use serde_json::json;

const EVENTS: &str = "/api/v1/workflow-events/team-a?";
const GET: &str = "/api/v1/workflows/team-a/wf-1";

/// The workflow `wf-1` in `phase`, with Pod nodes `(name, phase)` started in order.
fn wf(phase: &str, nodes: &[(&str, &str)]) -> serde_json::Value {
    let mut map = serde_json::Map::new();
    map.insert(
        "wf-1".into(),
        json!({"id": "wf-1", "name": "wf-1", "displayName": "wf-1", "type": "DAG", "phase": phase}),
    );
    for (i, (name, node_phase)) in nodes.iter().enumerate() {
        map.insert(
            format!("wf-1-{i}"),
            json!({"id": format!("wf-1-{i}"), "name": format!("wf-1.{name}"), "displayName": name, "type": "Pod",
                   "phase": node_phase, "startedAt": format!("2026-01-01T00:00:0{i}Z")}),
        );
    }
    json!({"metadata": {"name": "wf-1", "namespace": "team-a"}, "status": {"phase": phase, "nodes": map}})
}

fn event(kind: &str, object: serde_json::Value) -> String {
    json!({"result": {"type": kind, "object": object}}).to_string()
}

fn argo(server: &FakeServer) -> Argo {
    let endpoint =
        Endpoint::new(&server.url).token("t").timeout(Duration::from_secs(5)).backoff(Duration::from_millis(10));
    Argo::new(endpoint, "team-a").unwrap()
}

fn fast() -> Wait {
    Wait::every(Duration::from_millis(20)).timeout(Duration::from_secs(20))
}

/// Watches `wf-1`, recording each status `on_change` was called with.
fn watch(server: &FakeServer, wait: &Wait) -> (Result<RunStatus, ClientError>, Vec<RunStatus>) {
    let mut seen = Vec::new();
    let result = argo(server).watch_workflow("wf-1", wait, &mut |s| seen.push(s.clone()));
    (result, seen)
}

fn requests(server: &FakeServer, prefix: &str) -> usize {
    server.seen().iter().filter(|r| r.path.starts_with(prefix)).count()
}

fn step_states(status: &RunStatus) -> Vec<(String, State)> {
    status.steps.iter().map(|s| (s.name.clone(), s.state.clone())).collect()
}

#[test]
fn each_change_on_the_stream_is_reported_once_and_the_final_status_returned() {
    let server = FakeServer::start();
    let lines = vec![
        event("ADDED", wf("Pending", &[])),
        event("MODIFIED", wf("Running", &[("fetch", "Pending")])),
        event("MODIFIED", wf("Running", &[("fetch", "Pending")])), // no change: not reported
        event("MODIFIED", wf("Running", &[("fetch", "Running")])),
        event("MODIFIED", wf("Running", &[("fetch", "Succeeded"), ("train", "Running")])),
        event("MODIFIED", wf("Succeeded", &[("fetch", "Succeeded"), ("train", "Succeeded")])),
    ];
    server.route("GET", EVENTS, vec![Reply::Stream(lines, Duration::from_millis(5))]);
    let (result, seen) = watch(&server, &fast());
    let done = result.unwrap();
    assert_eq!(done.state, State::Succeeded);
    assert_eq!(done.id, "wf-1");
    assert_eq!(step_states(&done), [("fetch".into(), State::Succeeded), ("train".into(), State::Succeeded)]);
    let phases: Vec<State> = seen.iter().map(|s| s.state.clone()).collect();
    assert_eq!(phases, [State::Pending, State::Running, State::Running, State::Running, State::Succeeded]);
    assert_eq!(step_states(&seen[2]), [("fetch".into(), State::Running)]);
    let request = &server.seen()[0];
    assert_eq!(
        request.path,
        "/api/v1/workflow-events/team-a?listOptions.fieldSelector=metadata.name%3Dwf-1&listOptions.timeoutSeconds=60"
    );
    assert!(request.headers.contains(&("authorization".into(), "Bearer t".into())), "{:?}", request.headers);
}

#[test]
fn a_stream_that_closes_early_is_reconnected_until_the_workflow_is_done() {
    let server = FakeServer::start();
    let pause = Duration::from_millis(5);
    server.route(
        "GET",
        EVENTS,
        vec![
            Reply::Stream(vec![event("ADDED", wf("Running", &[("fetch", "Running")]))], pause),
            // A reconnected Kubernetes watch starts again with the current state.
            Reply::Stream(
                vec![
                    event("ADDED", wf("Running", &[("fetch", "Running")])),
                    event("MODIFIED", wf("Succeeded", &[("fetch", "Succeeded")])),
                ],
                pause,
            ),
        ],
    );
    let (result, seen) = watch(&server, &fast());
    assert_eq!(result.unwrap().state, State::Succeeded);
    assert_eq!(requests(&server, EVENTS), 2, "one reconnect");
    assert_eq!(seen.len(), 2, "the repeated Running state after the reconnect is not a change: {seen:?}");
}

#[test]
fn the_watchs_expiry_reconnects_and_other_error_lines_are_the_servers_message() {
    let server = FakeServer::start();
    let expired =
        json!({"error": {"grpc_code": 8, "http_code": 429, "message": "EOF", "http_status": "Too Many Requests"}});
    let denied = json!({"error": {"grpc_code": 7, "http_code": 403, "message": "workflows.argoproj.io \"wf-1\" is forbidden: User \"system:serviceaccount:team-a:default\" cannot watch resource", "http_status": "Forbidden"}});
    server.route(
        "GET",
        EVENTS,
        vec![
            Reply::Stream(vec![event("ADDED", wf("Running", &[])), expired.to_string()], Duration::ZERO),
            Reply::Stream(vec![denied.to_string()], Duration::ZERO),
        ],
    );
    let (result, seen) = watch(&server, &fast());
    let err = result.unwrap_err();
    match &err {
        ClientError::Status { status, message, .. } => {
            assert_eq!(*status, 403);
            assert!(message.contains("cannot watch resource"), "{message}");
        }
        other => panic!("{other}"),
    }
    assert_eq!(requests(&server, EVENTS), 2, "reconnected after EOF, then stopped at the error");
    assert_eq!(seen.len(), 1);
}

#[test]
fn a_failed_workflow_is_ok_with_its_state_and_message() {
    let server = FakeServer::start();
    let mut failed = wf("Failed", &[("fetch", "Succeeded"), ("train", "Failed")]);
    failed["status"]["message"] = json!("child 'wf-1-1' failed");
    failed["status"]["nodes"]["wf-1-1"]["message"] = json!("Error (exit code 1)");
    server.route("GET", EVENTS, vec![Reply::Stream(vec![event("MODIFIED", failed)], Duration::ZERO)]);
    let (result, _) = watch(&server, &fast());
    let done = result.unwrap();
    assert_eq!(done.state, State::Failed);
    assert_eq!(done.message.as_deref(), Some("child 'wf-1-1' failed"));
    assert_eq!(done.steps[1].message.as_deref(), Some("Error (exit code 1)"));
}

#[test]
fn a_deleted_workflow_ends_the_watch_with_an_error() {
    let server = FakeServer::start();
    let lines = vec![event("ADDED", wf("Running", &[])), event("DELETED", wf("Running", &[]))];
    server.route("GET", EVENTS, vec![Reply::Stream(lines, Duration::ZERO)]);
    let err = watch(&server, &fast()).0.unwrap_err();
    assert!(err.to_string().contains("wf-1 was deleted"), "{err}");
}

#[test]
fn without_a_stream_endpoint_it_polls_the_workflow() {
    let server = FakeServer::start();
    server.json("GET", EVENTS, 404, json!({"code": 5, "message": "Not Found"}));
    server.route(
        "GET",
        GET,
        vec![
            Reply::Json(200, wf("Running", &[("fetch", "Running")]).to_string()),
            Reply::Json(200, wf("Running", &[("fetch", "Running")]).to_string()),
            Reply::Json(200, wf("Succeeded", &[("fetch", "Succeeded")]).to_string()),
        ],
    );
    let (result, seen) = watch(&server, &fast());
    assert_eq!(result.unwrap().state, State::Succeeded);
    assert_eq!(requests(&server, EVENTS), 1);
    assert_eq!(requests(&server, GET), 3);
    assert_eq!(seen.len(), 2, "{seen:?}");
}

#[test]
fn a_workflow_that_does_not_exist_is_the_get_s_404_with_the_servers_message() {
    let server = FakeServer::start();
    let gone = json!({"code": 5, "message": "workflows.argoproj.io \"wf-1\" not found"});
    server.json("GET", EVENTS, 404, gone.clone());
    server.json("GET", GET, 404, gone);
    let err = watch(&server, &fast()).0.unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert!(err.to_string().contains("GET") && err.to_string().contains("\"wf-1\" not found"), "{err}");
}

#[test]
fn a_quiet_stream_gives_up_at_the_wait_timeout() {
    let server = FakeServer::start();
    // The first event comes after the wait's timeout.
    let lines = vec![event("ADDED", wf("Running", &[])), event("MODIFIED", wf("Succeeded", &[]))];
    server.route("GET", EVENTS, vec![Reply::Stream(lines, Duration::from_secs(4))]);
    let started = Instant::now();
    let err =
        watch(&server, &Wait::every(Duration::from_millis(20)).timeout(Duration::from_millis(600))).0.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(3), "took {:?}", started.elapsed());
    match &err {
        ClientError::WaitTimeout { what, state, .. } => {
            assert_eq!((what.as_str(), state.as_str()), ("workflow wf-1", "not seen yet"))
        }
        other => panic!("{other}"),
    }
}

#[test]
fn polling_gives_up_at_the_wait_timeout_with_the_last_state() {
    let server = FakeServer::start();
    server.json("GET", EVENTS, 501, json!({"code": 12, "message": "not implemented"}));
    server.json("GET", GET, 200, wf("Running", &[]));
    let wait = Wait::every(Duration::from_millis(50)).timeout(Duration::from_millis(300));
    let err = watch(&server, &wait).0.unwrap_err();
    assert!(matches!(&err, ClientError::WaitTimeout { state, .. } if state == "running"), "{err}");
    assert!(err.to_string().contains("gave up waiting for workflow wf-1"), "{err}");
}

#[test]
fn a_stream_that_cannot_connect_is_retried_then_reported() {
    let server = FakeServer::start();
    server.json("GET", EVENTS, 500, json!({"code": 13, "message": "etcd is down"}));
    let endpoint = Endpoint::new(&server.url).token("t").retries(2);
    let argo = Argo::new(endpoint, "team-a").unwrap();
    let err = argo.watch_workflow("wf-1", &fast(), &mut |_| {}).unwrap_err();
    assert_eq!(err.status(), Some(500));
    assert!(err.to_string().contains("etcd is down"), "{err}");
    assert_eq!(requests(&server, EVENTS), 3, "the first try and two retries");
}

#[test]
fn a_line_that_is_not_an_event_is_a_decode_error() {
    let server = FakeServer::start();
    server.route("GET", EVENTS, vec![Reply::Stream(vec!["<html>proxy error</html>".into()], Duration::ZERO)]);
    let err = watch(&server, &fast()).0.unwrap_err();
    assert!(matches!(err, ClientError::Decode { .. }), "{err}");
    assert!(err.to_string().contains("<html>proxy error"), "{err}");
}

#[test]
fn a_stream_refused_before_its_first_event_is_the_servers_message() {
    let server = FakeServer::start();
    let refused = json!({"error": {"grpc_code": 16, "http_code": 401, "message": "token not valid", "http_status": "Unauthorized"}});
    server.json("GET", EVENTS, 401, refused);
    let err = watch(&server, &fast()).0.unwrap_err();
    match &err {
        ClientError::Status { status, message, .. } => {
            assert_eq!((*status, message.as_str()), (401, "token not valid"))
        }
        other => panic!("{other}"),
    }
    assert_eq!(requests(&server, EVENTS), 1, "a refusal is not retried");
}
