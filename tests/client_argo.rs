//! Every call of the Argo Server client against a mock generated from the official Argo Workflows
//! API document (`../shared/api/argo-workflows.swagger.json`), started with `--strict`: a request
//! whose path, query, wrapper or any field of the body does not match the spec is refused (422,
//! `sl-violations`), so each call's `Ok` here means the request matched. The mock stores nothing
//! and answers fixed examples (a Succeeded `example-abcde`): what the server does with a request
//! is tested in `client_argo_fake.rs` and `client_argo_watch.rs`.
//!
//! One mock for the whole binary: it takes about a minute to start, and its first answer for each
//! operation up to 30 s, during which it answers nothing else. The tests take turns: in parallel,
//! requests queued behind several first answers waited over a minute and the mock reset their
//! connections.

#[path = "support/api_mock.rs"]
mod api_mock;
mod support;

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use kfp::client::{Argo, ClientError, Endpoint, State, Wait};
use serde_json::json;

static TURN: Mutex<()> = Mutex::new(());

/// A client of the strict Argo mock, and this test's turn with it.
fn argo() -> (MutexGuard<'static, ()>, Argo) {
    let turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    let url = api_mock::url_strict("argo");
    let endpoint = Endpoint::new(url).token("t").timeout(Duration::from_secs(120)).retries(0);
    (turn, Argo::new(endpoint, "kfp-rs").unwrap())
}

/// `linear` compiled to JSON, with `args` (`--kind ...`).
fn compiled(args: &[&str]) -> serde_json::Value {
    let args = [&["--format", "json"], args].concat();
    serde_json::from_str(&support::compile_example("linear", &args)).expect("compile --format json is JSON")
}

fn params() -> Vec<(String, String)> {
    vec![("url".to_owned(), "https://example.com/data.csv".to_owned())]
}

#[test]
#[ignore = "needs the API mock: ../shared/tools/api-mock (Prism; `api-mock --install` needs Node.js and npm); run by .ci/run"]
fn server_version() {
    let (_turn, argo) = argo();
    assert!(argo.version().unwrap().is_object());
}

#[test]
#[ignore = "needs the API mock: ../shared/tools/api-mock (Prism; `api-mock --install` needs Node.js and npm); run by .ci/run"]
fn workflow_create_lint_get_list_and_delete() {
    let (_turn, argo) = argo();
    let workflow = compiled(&[]);
    assert_eq!(workflow["kind"], "Workflow");
    let created = argo.create_workflow(&workflow).unwrap();
    assert!(created["metadata"]["name"].as_str().is_some_and(|n| !n.is_empty()), "{created}");
    argo.lint_workflow(&workflow).unwrap();
    let name = created["metadata"]["name"].as_str().unwrap();
    assert!(argo.get_workflow(name).unwrap()["spec"].is_object());
    let status = argo.workflow_status(name).unwrap();
    assert_eq!((status.id.as_str(), status.state), (name, State::Succeeded));
    let runs = argo.list_workflows(Some("workflows.argoproj.io/phase in (Running,Succeeded)")).unwrap();
    assert!(runs.iter().all(|r| !r.id.is_empty()), "{runs:?}");
    argo.list_workflows(None).unwrap();
    argo.delete_workflow(name).unwrap();
}

#[test]
#[ignore = "needs the API mock: ../shared/tools/api-mock (Prism; `api-mock --install` needs Node.js and npm); run by .ci/run"]
fn workflow_stop_terminate_retry() {
    let (_turn, argo) = argo();
    argo.stop_workflow("linear-three-step-x1").unwrap();
    argo.terminate_workflow("linear-three-step-x1").unwrap();
    argo.retry_workflow("linear-three-step-x1").unwrap();
}

#[test]
#[ignore = "needs the API mock: ../shared/tools/api-mock (Prism; `api-mock --install` needs Node.js and npm); run by .ci/run"]
fn watch_reads_the_event_stream() {
    let (_turn, argo) = argo();
    let mut changes = Vec::new();
    let done = argo
        .watch_workflow("example-abcde", &Wait::every(Duration::from_millis(100)), &mut |s| {
            changes.push(s.state.clone())
        })
        .unwrap();
    assert_eq!(done.state, State::Succeeded);
    assert_eq!(changes, [State::Succeeded]);
}

#[test]
#[ignore = "needs the API mock: ../shared/tools/api-mock (Prism; `api-mock --install` needs Node.js and npm); run by .ci/run"]
fn submit_from_each_kind_with_parameters() {
    let (_turn, argo) = argo();
    for kind in ["WorkflowTemplate", "cluster-workflow-template", "CronWorkflow"] {
        let created = argo.submit_from(kind, "linear-three-step", &params()).unwrap();
        assert!(created.is_object(), "{kind}");
    }
}

#[test]
#[ignore = "needs the API mock: ../shared/tools/api-mock (Prism; `api-mock --install` needs Node.js and npm); run by .ci/run"]
fn workflow_template_create_update_get_apply_delete() {
    let (_turn, argo) = argo();
    let template = compiled(&["--kind", "workflow-template"]);
    assert_eq!(template["kind"], "WorkflowTemplate");
    argo.create_workflow_template(&template).unwrap();
    // No resourceVersion: read from the server (GET), then PUT.
    argo.update_workflow_template(&template).unwrap();
    argo.get_workflow_template("linear-three-step").unwrap();
    argo.apply(&template).unwrap();
    argo.delete_workflow_template("linear-three-step").unwrap();
}

#[test]
#[ignore = "needs the API mock: ../shared/tools/api-mock (Prism; `api-mock --install` needs Node.js and npm); run by .ci/run"]
fn cluster_workflow_template_create_update_get_apply_delete() {
    let (_turn, argo) = argo();
    let template = compiled(&["--kind", "cluster-workflow-template"]);
    assert_eq!(template["kind"], "ClusterWorkflowTemplate");
    argo.create_cluster_workflow_template(&template).unwrap();
    argo.update_cluster_workflow_template(&template).unwrap();
    argo.get_cluster_workflow_template("linear-three-step").unwrap();
    argo.apply(&template).unwrap();
    argo.delete_cluster_workflow_template("linear-three-step").unwrap();
}

#[test]
#[ignore = "needs the API mock: ../shared/tools/api-mock (Prism; `api-mock --install` needs Node.js and npm); run by .ci/run"]
fn cron_workflow_create_update_get_apply_delete() {
    let (_turn, argo) = argo();
    let cron = compiled(&["--kind", "cron-workflow", "--schedule", "0 3 * * *", "--timezone", "Europe/Paris"]);
    assert_eq!(cron["kind"], "CronWorkflow");
    argo.create_cron_workflow(&cron).unwrap();
    argo.update_cron_workflow(&cron).unwrap();
    argo.get_cron_workflow("linear-three-step").unwrap();
    argo.apply(&cron).unwrap();
    argo.delete_cron_workflow("linear-three-step").unwrap();
}

/// The mock does refuse what breaks the spec, with the reason in the error: the `Ok`s above mean
/// something.
#[test]
#[ignore = "needs the API mock: ../shared/tools/api-mock (Prism; `api-mock --install` needs Node.js and npm); run by .ci/run"]
fn the_mock_refuses_a_request_that_breaks_the_spec() {
    let (_turn, argo) = argo();
    let bad = json!({"metadata": {"generateName": "x-"}, "spec": {"entrypoint": "main", "templates": {"main": {}}}});
    let err = argo.lint_workflow(&bad).unwrap_err();
    match &err {
        ClientError::Status { status: 422, message, .. } => assert!(message.contains("must be array"), "{message}"),
        other => panic!("{other}"),
    }
    // --strict: a field the spec does not have.
    let unknown = json!({"metadata": {"generateName": "x-"}, "spec": {"entryPoint": "main", "templates": []}});
    let err = argo.lint_workflow(&unknown).unwrap_err();
    assert!(err.status() == Some(422) && err.to_string().contains("entryPoint"), "{err}");
}
