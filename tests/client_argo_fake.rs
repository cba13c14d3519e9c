//! The Argo client against an in-process fake server, for what the API mock cannot show: what the
//! server answers (names made from `generateName`, lists in any order, `items: null`), `apply` on
//! an existing object (409), the server's errors (401, 404, 500) and a server that does not answer.

#[path = "support/fake_server.rs"]
mod fake_server;

use std::time::{Duration, Instant};

use fake_server::{FakeServer, Reply};
use kfp::client::{Argo, ClientError, Endpoint, State};
use serde_json::json;

fn argo(server: &FakeServer) -> Argo {
    let endpoint =
        Endpoint::new(&server.url).token("t").timeout(Duration::from_secs(5)).backoff(Duration::from_millis(10));
    Argo::new(endpoint, "team a").unwrap()
}

fn body(server: &FakeServer, i: usize) -> serde_json::Value {
    serde_json::from_str(&server.seen()[i].body).expect("a JSON body")
}

#[test]
fn a_created_workflow_is_the_servers_object_named_from_generate_name() {
    let server = FakeServer::start();
    let wf = json!({"metadata": {"generateName": "linear-"}, "spec": {"entrypoint": "main"}});
    let mut created = wf.clone();
    created["metadata"]["name"] = json!("linear-x7k2p");
    server.json("POST", "/api/v1/workflows/team%20a", 200, created);
    let answer = argo(&server).create_workflow(&wf).unwrap();
    assert_eq!(answer["metadata"]["name"], "linear-x7k2p");
    assert_eq!(server.seen()[0].path, "/api/v1/workflows/team%20a");
    assert_eq!(body(&server, 0), json!({"namespace": "team a", "workflow": wf}));
}

#[test]
fn names_are_percent_encoded_and_actions_send_name_and_namespace() {
    let server = FakeServer::start();
    server.json("PUT", "/api/v1/workflows/", 200, json!({"metadata": {"name": "a/b c"}}));
    argo(&server).terminate_workflow("a/b c").unwrap();
    argo(&server).stop_workflow("a/b c").unwrap();
    argo(&server).retry_workflow("a/b c").unwrap();
    let paths: Vec<String> = server.seen().iter().map(|r| r.path.clone()).collect();
    let base = "/api/v1/workflows/team%20a/a%2Fb%20c";
    assert_eq!(paths, [format!("{base}/terminate"), format!("{base}/stop"), format!("{base}/retry")]);
    assert_eq!(body(&server, 0), json!({"name": "a/b c", "namespace": "team a"}));
}

#[test]
fn lists_are_newest_first_and_an_empty_list_may_be_null() {
    let server = FakeServer::start();
    let item = |name: &str, created: &str, phase: &str| json!({"metadata": {"name": name, "creationTimestamp": created}, "status": {"phase": phase}});
    let items = json!({"items": [
        item("old", "2026-01-01T00:00:00Z", "Succeeded"),
        item("new", "2026-03-01T00:00:00Z", "Running"),
        item("mid", "2026-02-01T00:00:00Z", "Failed"),
    ]});
    server.json("GET", "/api/v1/workflows/team%20a?", 200, items);
    let runs = argo(&server).list_workflows(Some("app=linear,team in (a,b)")).unwrap();
    let got: Vec<(&str, State)> = runs.iter().map(|r| (r.name.as_str(), r.state.clone())).collect();
    assert_eq!(got, [("new", State::Running), ("mid", State::Failed), ("old", State::Succeeded)]);
    let path = &server.seen()[0].path;
    assert!(path.contains("&listOptions.labelSelector=app%3Dlinear%2Cteam%20in%20%28a%2Cb%29"), "{path}");
    assert!(path.contains("fields=-items.spec%2C"), "{path}");

    server.json("GET", "/api/v1/workflows/team%20a?", 200, json!({"items": null, "metadata": {}}));
    assert!(argo(&server).list_workflows(None).unwrap().is_empty());
    server.json("GET", "/api/v1/workflows/team%20a?", 200, json!({"items": {"old": {}}}));
    let err = argo(&server).list_workflows(None).unwrap_err();
    assert!(matches!(err, ClientError::Decode { .. }) && err.to_string().contains("items"), "{err}");
}

#[test]
fn apply_updates_an_existing_template_with_its_resource_version() {
    let server = FakeServer::start();
    let exists = json!({"code": 6, "message": "workflowtemplates.argoproj.io \"lib\" already exists"});
    server.json("POST", "/api/v1/workflow-templates/team%20a", 409, exists);
    server.json(
        "GET",
        "/api/v1/workflow-templates/team%20a/lib",
        200,
        json!({"metadata": {"name": "lib", "resourceVersion": "4242"}}),
    );
    server.json(
        "PUT",
        "/api/v1/workflow-templates/team%20a/lib",
        200,
        json!({"metadata": {"name": "lib", "resourceVersion": "4243"}}),
    );
    let template = json!({"kind": "WorkflowTemplate", "metadata": {"name": "lib"}, "spec": {"templates": []}});
    let applied = argo(&server).apply(&template).unwrap();
    assert_eq!(applied["metadata"]["resourceVersion"], "4243");
    let methods: Vec<String> = server.seen().iter().map(|r| r.method.clone()).collect();
    assert_eq!(methods, ["POST", "GET", "PUT"]);
    let put = body(&server, 2);
    assert_eq!(put["name"], "lib");
    assert_eq!(put["namespace"], "team a");
    assert_eq!(put["template"]["metadata"]["resourceVersion"], "4242");
    assert_eq!(put["template"]["spec"], template["spec"]);
}

#[test]
fn apply_creates_what_does_not_exist_and_refuses_other_kinds() {
    let server = FakeServer::start();
    server.json("POST", "/api/v1/cron-workflows/team%20a", 200, json!({"metadata": {"name": "nightly"}}));
    let cron = json!({"kind": "CronWorkflow", "metadata": {"name": "nightly"}, "spec": {"schedules": ["0 3 * * *"]}});
    argo(&server).apply(&cron).unwrap();
    assert_eq!(server.seen().len(), 1);
    assert_eq!(body(&server, 0), json!({"namespace": "team a", "cronWorkflow": cron}));
    for kind in [json!("Workflow"), json!(null), json!("wftmpl")] {
        let err = argo(&server).apply(&json!({"kind": kind, "metadata": {"name": "x"}})).unwrap_err();
        assert!(matches!(err, ClientError::Setup(_)), "{err}");
    }
    assert_eq!(server.seen().len(), 1, "nothing sent for a kind apply does not take");
}

#[test]
fn a_cluster_template_update_has_no_namespace_and_needs_a_name() {
    let server = FakeServer::start();
    server.json("PUT", "/api/v1/cluster-workflow-templates/lib", 200, json!({"metadata": {"name": "lib"}}));
    let template = json!({"metadata": {"name": "lib", "resourceVersion": "7"}, "spec": {}});
    argo(&server).update_cluster_workflow_template(&template).unwrap();
    assert_eq!(body(&server, 0), json!({"name": "lib", "template": template}));
    let err =
        argo(&server).update_cluster_workflow_template(&json!({"metadata": {"generateName": "lib-"}})).unwrap_err();
    assert!(matches!(&err, ClientError::Setup(m) if m.contains("metadata.name")), "{err}");
}

#[test]
fn submit_sends_the_kinds_name_and_parameters_as_name_value() {
    let server = FakeServer::start();
    server.json("POST", "/api/v1/workflows/team%20a/submit", 200, json!({"metadata": {"name": "lib-abcde"}}));
    let params = [("url".to_owned(), "https://x?a=1".to_owned()), ("n".to_owned(), "3".to_owned())];
    let created = argo(&server).submit_from("cluster-workflow-template", "lib", &params).unwrap();
    assert_eq!(created["metadata"]["name"], "lib-abcde");
    let sent = body(&server, 0);
    assert_eq!(
        sent,
        json!({"namespace": "team a", "resourceKind": "ClusterWorkflowTemplate", "resourceName": "lib",
               "submitOptions": {"parameters": ["url=https://x?a=1", "n=3"]}})
    );
    let err = argo(&server).submit_from("Workflow", "lib", &[]).unwrap_err();
    assert!(matches!(err, ClientError::Setup(_)), "{err}");
}

#[test]
fn server_errors_carry_the_status_and_the_servers_message() {
    let server = FakeServer::start();
    let cases = [
        (401, "token not valid. see https://argo-workflows.readthedocs.io/en/latest/faq/"),
        (404, "workflows.argoproj.io \"wf-1\" not found"),
        (500, "rpc error: code = Internal desc = etcdserver: request timed out"),
    ];
    for (status, message) in cases {
        server.json("GET", "/api/v1/workflows/team%20a/wf-1", status, json!({"code": 2, "message": message}));
        let err = argo(&server).workflow_status("wf-1").unwrap_err();
        assert_eq!(err.status(), Some(status), "{err}");
        let line = err.to_string();
        assert!(line.starts_with("GET http://") && line.contains(&format!("HTTP {status}: {message}")), "{line}");
    }
}

#[test]
fn a_server_that_does_not_answer_is_a_timeout() {
    let server = FakeServer::start();
    server.route("GET", "/api/v1/workflows/team%20a/wf-1", vec![Reply::Hang(Duration::from_secs(5))]);
    let endpoint = Endpoint::new(&server.url).token("t").timeout(Duration::from_millis(500)).retries(0);
    let started = Instant::now();
    let err = Argo::new(endpoint, "team a").unwrap().get_workflow("wf-1").unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(3), "{:?}", started.elapsed());
    assert!(matches!(err, ClientError::Transport { .. }), "{err}");
    assert!(err.to_string().contains("no answer within"), "{err}");
}

#[test]
fn an_answer_that_is_not_an_object_is_a_decode_error() {
    let server = FakeServer::start();
    server.json("GET", "/api/v1/workflows/team%20a/wf-1", 200, json!(["not", "a", "workflow"]));
    let err = argo(&server).get_workflow("wf-1").unwrap_err();
    assert!(matches!(err, ClientError::Decode { .. }) && err.to_string().contains("Workflow"), "{err}");
    // A status without a name is named as asked.
    server.json("GET", "/api/v1/workflows/team%20a/wf-1", 200, json!({"status": {"phase": "Running"}}));
    let status = argo(&server).workflow_status("wf-1").unwrap();
    assert_eq!((status.id.as_str(), status.state), ("wf-1", State::Running));
}
