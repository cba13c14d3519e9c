//! What the API mocks cannot show, against an in-process fake server whose answers are shaped like
//! the KFP API's: runs that change state while a wait polls, failures, errors with the server's
//! message, retries, timeouts, credentials read per request, paging, and the values (not only the
//! shape) of the requests.

#[path = "support/fake_server.rs"]
mod fake_server;

use std::time::{Duration, Instant};

use fake_server::{FakeServer, Reply};
use kfp::client::{
    ClientError, Endpoint, Kfp, KfpApi, NewRecurringRun, NewRun, PipelineSource, RunStatus, State, Trigger, Wait,
};
use serde_json::{Value, json};

fn client(server: &FakeServer, api: KfpApi) -> Kfp {
    let endpoint = Endpoint::new(&server.url).token("t").retries(0).timeout(Duration::from_secs(5));
    Kfp::new(endpoint, api).unwrap()
}

fn fast() -> Wait {
    Wait::every(Duration::from_millis(10)).timeout(Duration::from_secs(10))
}

fn v2_run(state: &str, tasks: Value) -> Reply {
    let run = json!({"run_id": "r1", "display_name": "linear", "state": state, "run_details": {"task_details": tasks}});
    Reply::Json(200, run.to_string())
}

fn task(name: &str, state: &str, start: &str) -> Value {
    json!({"task_id": name, "display_name": name, "state": state, "start_time": start})
}

#[test]
fn a_v2_wait_reports_each_change_and_returns_the_final_status() {
    let server = FakeServer::start();
    let root = json!({"display_name": "root", "state": "RUNNING", "child_tasks": [{"task_id": "a"}]});
    server.route(
        "GET",
        "/apis/v2beta1/runs/r1",
        vec![
            v2_run("PENDING", json!([])),
            v2_run("RUNNING", json!([root, task("fetch", "RUNNING", "2026-01-01T00:00:01Z")])),
            v2_run(
                "RUNNING",
                json!([
                    task("fetch", "SUCCEEDED", "2026-01-01T00:00:01Z"),
                    task("count", "RUNNING", "2026-01-01T00:00:05Z")
                ]),
            ),
            v2_run(
                "RUNNING",
                json!([
                    task("fetch", "SUCCEEDED", "2026-01-01T00:00:01Z"),
                    task("count", "RUNNING", "2026-01-01T00:00:05Z")
                ]),
            ),
            v2_run(
                "SUCCEEDED",
                json!([
                    task("count", "SUCCEEDED", "2026-01-01T00:00:05Z"),
                    task("fetch", "SUCCEEDED", "2026-01-01T00:00:01Z")
                ]),
            ),
        ],
    );
    let mut seen: Vec<RunStatus> = Vec::new();
    let done = client(&server, KfpApi::V2beta1).wait_run("r1", &fast(), &mut |s| seen.push(s.clone())).unwrap();
    assert_eq!(server.seen().len(), 5, "polled until done");
    let states: Vec<_> = seen.iter().map(|s| s.state.clone()).collect();
    assert_eq!(
        states,
        [State::Pending, State::Running, State::Running, State::Succeeded],
        "no call for the unchanged poll"
    );
    // The DAG task (it has child tasks) is not a step.
    let step = |s: &RunStatus| s.steps.iter().map(|t| (t.name.clone(), t.state.clone())).collect::<Vec<_>>();
    assert_eq!(step(&seen[1]), [("fetch".to_owned(), State::Running)]);
    assert_eq!(step(&seen[2]), [("fetch".to_owned(), State::Succeeded), ("count".to_owned(), State::Running)]);
    assert_eq!(done.state, State::Succeeded);
    assert_eq!(
        step(&done),
        [("fetch".to_owned(), State::Succeeded), ("count".to_owned(), State::Succeeded)],
        "by start time"
    );
}

#[test]
fn a_failed_v2_run_is_ok_with_its_state_and_message() {
    let server = FakeServer::start();
    let failed = json!({"run_id": "r1", "state": "FAILED", "error": {"code": 2, "message": "count: exit code 1"},
        "run_details": {"task_details": [{"display_name": "count", "state": "FAILED", "error": {"message": "exit code 1"}}]}});
    server.route(
        "GET",
        "/apis/v2beta1/runs/r1",
        vec![v2_run("RUNNING", json!([])), Reply::Json(200, failed.to_string())],
    );
    let done = client(&server, KfpApi::V2beta1).wait_run("r1", &fast(), &mut |_| {}).unwrap();
    assert_eq!(done.state, State::Failed);
    assert_eq!(done.message.as_deref(), Some("count: exit code 1"));
    assert_eq!(done.steps[0].message.as_deref(), Some("exit code 1"));
}

#[test]
fn a_v1_wait_reads_the_status_and_the_workflow_nodes() {
    let server = FakeServer::start();
    let detail = |status: &str, node_phase: &str, error: &str| {
        let wf = json!({"metadata": {"name": "linear-x"}, "status": {"phase": status, "nodes": {
            "n1": {"type": "Pod", "displayName": "fetch", "phase": node_phase, "startedAt": "2026-01-01T00:00:01Z"},
            "n0": {"type": "DAG", "displayName": "linear-x", "phase": status}}}});
        let body = json!({"run": {"id": "r1", "name": "linear", "status": status, "error": error},
            "pipeline_runtime": {"workflow_manifest": wf.to_string()}});
        Reply::Json(200, body.to_string())
    };
    server.route(
        "GET",
        "/apis/v1beta1/runs/r1",
        vec![detail("Running", "Running", ""), detail("Failed", "Failed", "OOMKilled")],
    );
    let mut changes = 0;
    let done = client(&server, KfpApi::V1beta1).wait_run("r1", &fast(), &mut |_| changes += 1).unwrap();
    assert_eq!((done.state.clone(), changes), (State::Failed, 2));
    assert_eq!(done.message.as_deref(), Some("OOMKilled"));
    assert_eq!(done.steps.len(), 1);
    assert_eq!((done.steps[0].name.as_str(), &done.steps[0].state), ("fetch", &State::Failed));
}

#[test]
fn a_wait_gives_up_after_its_timeout() {
    let server = FakeServer::start();
    server.route("GET", "/apis/v2beta1/runs/r1", vec![v2_run("RUNNING", json!([]))]);
    let wait = Wait::every(Duration::from_millis(20)).timeout(Duration::from_millis(200));
    let start = Instant::now();
    let err = client(&server, KfpApi::V2beta1).wait_run("r1", &wait, &mut |_| {}).unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(2), "{:?}", start.elapsed());
    match &err {
        ClientError::WaitTimeout { what, state, .. } => {
            assert_eq!((what.as_str(), state.as_str()), ("run r1", "running"))
        }
        other => panic!("{other}"),
    }
    assert!(server.seen().len() >= 3, "it polled");
}

#[test]
fn error_answers_carry_the_status_the_servers_message_and_the_request() {
    let server = FakeServer::start();
    server.json("GET", "/apis/v2beta1/runs/nope", 404, json!({"code": 5, "message": "Run nope not found"}));
    server.json("GET", "/apis/v2beta1/experiments", 401, json!({"code": 16, "message": "missing bearer token"}));
    server.json("POST", "/apis/v2beta1/pipelines/upload", 500, json!({"error": "pipeline already exists", "code": 13}));
    let kfp = client(&server, KfpApi::V2beta1);
    let cases = [
        (kfp.get_run("nope").unwrap_err(), 404, "GET", "/apis/v2beta1/runs/nope", "Run nope not found"),
        (kfp.list_experiments().unwrap_err(), 401, "GET", "/apis/v2beta1/experiments?", "missing bearer token"),
        (
            kfp.upload_pipeline("p", None, "a: 1").unwrap_err(),
            500,
            "POST",
            "/apis/v2beta1/pipelines/upload?name=p",
            "pipeline already exists",
        ),
    ];
    for (err, want_status, want_method, want_path, want_message) in cases {
        match &err {
            ClientError::Status { method, url, status, message } => {
                assert_eq!((*status, *method), (want_status, want_method), "{err}");
                assert!(url.starts_with(&format!("{}{want_path}", server.url)), "{err}");
                assert_eq!(message, want_message);
            }
            other => panic!("{other}"),
        }
    }
}

#[test]
fn a_500_on_get_is_retried_and_a_500_on_post_is_not() {
    let server = FakeServer::start();
    let boom = Reply::Json(500, json!({"message": "db down"}).to_string());
    server.route(
        "GET",
        "/apis/v2beta1/experiments/e1",
        vec![
            boom.clone(),
            boom.clone(),
            Reply::Json(200, json!({"experiment_id": "e1", "display_name": "x"}).to_string()),
        ],
    );
    server.route("POST", "/apis/v2beta1/runs", vec![boom]);
    let endpoint = Endpoint::new(&server.url).token("t").retries(3).backoff(Duration::from_millis(5));
    let kfp = Kfp::new(endpoint, KfpApi::V2beta1).unwrap();
    assert_eq!(kfp.get_experiment("e1").unwrap().name, "x");
    let err = kfp.create_run(&NewRun::new("r", PipelineSource::Spec(json!({})))).unwrap_err();
    assert_eq!(err.status(), Some(500));
    let count = |m: &str| server.seen().iter().filter(|s| s.method == m).count();
    assert_eq!((count("GET"), count("POST")), (3, 1));
}

#[test]
fn a_server_that_hangs_is_a_transport_timeout_within_the_endpoint_timeout() {
    let server = FakeServer::start();
    server.route("GET", "/apis/v1beta1/healthz", vec![Reply::Hang(Duration::from_secs(10))]);
    let endpoint = Endpoint::new(&server.url).token("t").retries(0).timeout(Duration::from_millis(500));
    let start = Instant::now();
    let err = Kfp::new(endpoint, KfpApi::V1beta1).unwrap().healthz().unwrap_err();
    assert!(start.elapsed() < Duration::from_secs(3), "{:?}", start.elapsed());
    assert!(matches!(err, ClientError::Transport { .. }), "{err}");
    assert!(err.to_string().contains("no answer within 0.5 s"), "{err}");
}

#[test]
fn the_token_file_is_read_per_request_and_extra_headers_are_sent() {
    let server = FakeServer::start();
    server.json("GET", "/apis/v2beta1/healthz", 200, json!({}));
    let file = std::env::temp_dir().join(format!("kfp-token-{}", std::process::id()));
    std::fs::write(&file, "first\n").unwrap();
    let endpoint = Endpoint::new(&server.url).token_file(&file).header("Cookie", "authservice_session=abc");
    let kfp = Kfp::new(endpoint, KfpApi::V2beta1).unwrap();
    kfp.healthz().unwrap();
    std::fs::write(&file, "second").unwrap();
    kfp.healthz().unwrap();
    let _ = std::fs::remove_file(&file);
    let header = |i: usize, name: &str| {
        server.seen()[i].headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    };
    assert_eq!(
        (header(0, "authorization"), header(1, "authorization")),
        ("Bearer first".into(), "Bearer second".into())
    );
    assert_eq!(header(1, "cookie"), "authservice_session=abc");
}

#[test]
fn lists_follow_page_tokens_and_ids_are_encoded() {
    let server = FakeServer::start();
    let page = |id: &str, next: &str| json!({"pipelines": [{"pipeline_id": id, "name": id}], "next_page_token": next});
    server.json("GET", "/apis/v2beta1/pipelines?page_size=100", 200, page("p1", "t 2"));
    server.json("GET", "/apis/v2beta1/pipelines?page_size=100&page_token=t%202", 200, page("p2", ""));
    server.json(
        "GET",
        "/apis/v2beta1/recurringruns",
        200,
        json!({"recurringRuns": [
        {"recurring_run_id": "rr", "display_name": "n", "status": "DISABLED", "mode": "ENABLE",
         "trigger": {"periodic_schedule": {"interval_second": "3600"}}}]}),
    );
    let kfp = client(&server, KfpApi::V2beta1);
    let ids: Vec<_> = kfp.list_pipelines().unwrap().into_iter().map(|p| p.id).collect();
    assert_eq!(ids, ["p1", "p2"]);
    let rr = kfp.list_recurring_runs(None).unwrap();
    assert_eq!((rr[0].enabled, rr[0].trigger.clone()), (false, Some(Trigger::Interval { seconds: 3600 })));
    let _ = kfp.get_run("a/b c?");
    assert_eq!(server.seen().last().unwrap().path, "/apis/v2beta1/runs/a%2Fb%20c%3F");
}

#[test]
fn lookups_by_name_use_the_server_and_match_exactly() {
    let server = FakeServer::start();
    server.json("GET", "/apis/v2beta1/pipelines/names/", 404, json!({"message": "not found"}));
    server.json(
        "GET",
        "/apis/v2beta1/experiments",
        200,
        json!({"experiments": [
        {"experiment_id": "e0", "display_name": "nightly-old"}, {"experiment_id": "e1", "display_name": "nightly"}]}),
    );
    let kfp = client(&server, KfpApi::V2beta1);
    assert_eq!(kfp.find_pipeline("linear").unwrap(), None);
    assert_eq!(kfp.experiment("nightly").unwrap().id, "e1");
    assert!(server.seen().iter().all(|s| s.method == "GET"), "found, so not created");
    let filter = &server.seen()[1].path;
    assert!(filter.contains("filter=%7B%22predicates%22"), "{filter}");
}

#[test]
fn a_run_answer_without_its_id_is_a_decode_error_naming_the_field() {
    let server = FakeServer::start();
    server.json("GET", "/apis/v2beta1/runs/r1", 200, json!({"display_name": "x", "state": "RUNNING"}));
    let err = client(&server, KfpApi::V2beta1).get_run("r1").unwrap_err();
    assert!(matches!(err, ClientError::Decode { .. }), "{err}");
    assert!(err.to_string().contains("`run_id`"), "{err}");
}

fn body(server: &FakeServer, method: &str) -> Value {
    let seen = server.seen().into_iter().rfind(|s| s.method == method).expect("a request");
    serde_json::from_str(&seen.body).unwrap()
}

#[test]
fn v1_requests_carry_string_parameters_references_and_the_workflow_text() {
    let server = FakeServer::start();
    server.json("POST", "/apis/v1beta1/runs", 200, json!({"run": {"id": "r1", "status": ""}}));
    server.json("POST", "/apis/v1beta1/jobs", 200, json!({"id": "j1", "enabled": true}));
    let kfp = client(&server, KfpApi::V1beta1);
    let wf = json!({"kind": "Workflow", "spec": {"entrypoint": "main"}});
    let run = NewRun::new("r", PipelineSource::Spec(wf.clone())).experiment("e1").parameter("n", 4).parameter("s", "x");
    assert_eq!(kfp.create_run(&run).unwrap().state, State::Pending);
    let b = body(&server, "POST");
    assert_eq!(b["pipeline_spec"]["parameters"], json!([{"name": "n", "value": "4"}, {"name": "s", "value": "x"}]));
    assert_eq!(serde_json::from_str::<Value>(b["pipeline_spec"]["workflow_manifest"].as_str().unwrap()).unwrap(), wf);
    assert_eq!(b["resource_references"], json!([{"key": {"type": "EXPERIMENT", "id": "e1"}, "relationship": "OWNER"}]));
    let source = PipelineSource::Version { pipeline_id: "p".into(), version_id: "v".into() };
    let job = NewRecurringRun::new("j", source, Trigger::Cron { expression: "0 0 * * * *".into() }).max_concurrency(2);
    assert!(kfp.create_recurring_run(&job).unwrap().enabled);
    let b = body(&server, "POST");
    assert_eq!(b["pipeline_spec"]["pipeline_id"], "p");
    assert_eq!(b["resource_references"][0]["key"], json!({"type": "PIPELINE_VERSION", "id": "v"}));
    assert_eq!((&b["max_concurrency"], &b["no_catchup"], &b["enabled"]), (&json!("2"), &json!(true), &json!(true)));
    assert_eq!(b["trigger"], json!({"cron_schedule": {"cron": "0 0 * * * *"}}));
}

#[test]
fn v2_requests_carry_the_ir_typed_parameters_and_the_schedule() {
    let server = FakeServer::start();
    server.json("POST", "/apis/v2beta1/runs", 200, json!({"run_id": "r1", "state": "PENDING"}));
    server.json("POST", "/apis/v2beta1/recurringruns", 200, json!({"recurring_run_id": "rr", "mode": "DISABLE"}));
    let kfp = client(&server, KfpApi::V2beta1);
    let ir = json!({"pipelineInfo": {"name": "linear"}});
    kfp.create_run(&NewRun::new("r", PipelineSource::Spec(ir.clone())).parameter("n", 4)).unwrap();
    let b = body(&server, "POST");
    assert_eq!((&b["pipeline_spec"], &b["runtime_config"]["parameters"]), (&ir, &json!({"n": 4})));
    let every = NewRecurringRun::new("h", PipelineSource::Spec(ir), Trigger::Interval { seconds: 60 })
        .start("2026-12-01T00:00:00Z")
        .catchup(true)
        .enabled(false);
    let rr = kfp.create_recurring_run(&every).unwrap();
    assert!(!rr.enabled);
    let b = body(&server, "POST");
    assert_eq!(
        b["trigger"],
        json!({"periodic_schedule": {"interval_second": "60", "start_time": "2026-12-01T00:00:00Z"}})
    );
    assert_eq!((&b["no_catchup"], &b["mode"], &b["max_concurrency"]), (&json!(false), &json!("DISABLE"), &json!("1")));
}

#[test]
fn uploads_send_the_file_as_the_uploadfile_part_with_a_name_the_server_reads() {
    let server = FakeServer::start();
    server.json("POST", "/apis/v2beta1/pipelines/upload?", 200, json!({"pipeline_id": "p1", "name": "linear"}));
    let kfp = client(&server, KfpApi::V2beta1).with_namespace("team a");
    let p = kfp.upload_pipeline("linear", Some("fetch & count"), "pipelineInfo:\n  name: linear\n").unwrap();
    assert_eq!((p.id.as_str(), p.name.as_str()), ("p1", "linear"));
    let seen = server.seen().pop().unwrap();
    assert_eq!(
        seen.path,
        "/apis/v2beta1/pipelines/upload?name=linear&description=fetch%20%26%20count&namespace=team%20a"
    );
    assert!(seen.body.contains("name=\"uploadfile\"; filename=\"pipeline.yaml\""), "{}", seen.body);
    assert!(seen.body.contains("\r\n\r\npipelineInfo:\n  name: linear\n\r\n--"), "{}", seen.body);
}

#[test]
fn a_pipeline_and_version_from_the_ir_is_a_pipeline_then_a_version_upload() {
    let server = FakeServer::start();
    server.json("POST", "/apis/v2beta1/pipelines", 200, json!({"pipeline_id": "p1", "name": "linear"}));
    server.json(
        "POST",
        "/apis/v2beta1/pipelines/upload_version",
        200,
        json!({"pipeline_version_id": "v1", "name": "first"}),
    );
    let kfp = client(&server, KfpApi::V2beta1);
    let ir = json!({"pipelineInfo": {"name": "linear"}});
    let (p, v) = kfp.create_pipeline_and_version("linear", "first", &ir).unwrap();
    assert_eq!((p.id.as_str(), v.id.as_str(), v.pipeline_id.as_str(), v.name.as_str()), ("p1", "v1", "p1", "first"));
    let seen = server.seen();
    assert_eq!(
        serde_json::from_str::<Value>(&seen[0].body).unwrap(),
        json!({"name": "linear", "display_name": "linear"})
    );
    assert_eq!(seen[1].path, "/apis/v2beta1/pipelines/upload_version?name=first&pipelineid=p1");
    assert!(seen[1].body.contains("filename=\"pipeline.json\""), "{}", seen[1].body);
    assert!(seen[1].body.contains(&ir.to_string()), "{}", seen[1].body);

    // A version the server refuses: its error, and the empty pipeline is deleted again.
    server.json("POST", "/apis/v2beta1/pipelines/upload_version", 400, json!({"message": "invalid pipeline spec"}));
    let err = kfp.create_pipeline_and_version("linear", "first", &ir).unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert!(err.to_string().contains("invalid pipeline spec"), "{err}");
    let last = server.seen().pop().unwrap();
    assert_eq!((last.method.as_str(), last.path.as_str()), ("DELETE", "/apis/v2beta1/pipelines/p1"));
}
