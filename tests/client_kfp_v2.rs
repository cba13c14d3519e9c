//! The KFP v2beta1 client against a mock generated from the official API document, which refuses
//! (422, `sl-violations`) every request that does not match the spec. The mock runs `--strict`:
//! a field the spec does not have is refused too. It stores nothing, so these tests check the
//! requests and that the answers parse; state is in `client_kfp_state.rs`.

#[path = "support/api_mock.rs"]
mod api_mock;
mod support;

use kfp::client::{ClientError, Endpoint, Kfp, KfpApi, NewRecurringRun, NewRun, PipelineSource, State, Trigger, Wait};

fn kfp() -> Kfp {
    let url = api_mock::url_strict("kfp-v2");
    Kfp::new(Endpoint::new(&url).token("t").retries(0), KfpApi::V2beta1).unwrap()
}

/// The IR of the `linear` example, as YAML and as JSON.
fn ir_yaml() -> String {
    support::compile_example("linear", &["--target", "kfp-v2"])
}

fn ir_json() -> serde_json::Value {
    serde_json::from_str(&support::compile_example("linear", &["--target", "kfp-v2", "--format", "json"])).unwrap()
}

fn version() -> PipelineSource {
    PipelineSource::Version { pipeline_id: "p 1".into(), version_id: "v/1".into() }
}

#[test]
#[ignore = "needs the API mock: ../shared/tools/api-mock (Prism; `api-mock --install` needs Node.js and npm); run by .ci/run"]
fn health_matches_the_api() {
    let kfp = kfp();
    kfp.healthz().unwrap();
}

#[test]
#[ignore = "needs the API mock: ../shared/tools/api-mock (Prism; `api-mock --install` needs Node.js and npm); run by .ci/run"]
fn a_request_without_auth_is_a_status_error_with_the_servers_word() {
    let url = api_mock::url_strict("kfp-v2");
    let err = Kfp::new(Endpoint::new(&url).retries(0), KfpApi::V2beta1).unwrap().healthz().unwrap_err();
    match &err {
        ClientError::Status { status, method, .. } => assert_eq!((*status, *method), (401, "GET")),
        other => panic!("{other}"),
    }
    assert!(err.to_string().contains("/apis/v2beta1/healthz: HTTP 401"), "{err}");
}

#[test]
fn an_unreachable_server_is_one_transport_error() {
    let err = Kfp::new(Endpoint::new("http://127.0.0.1:9").retries(0), KfpApi::V2beta1).unwrap().healthz().unwrap_err();
    assert!(matches!(err, ClientError::Transport { .. }), "{err}");
    assert!(err.to_string().starts_with("GET http://127.0.0.1:9/apis/v2beta1/healthz: "), "{err}");
}

#[test]
#[ignore = "needs the API mock: ../shared/tools/api-mock (Prism; `api-mock --install` needs Node.js and npm); run by .ci/run"]
fn uploads_match_the_api() {
    let kfp = kfp();
    let yaml = ir_yaml();
    let p = kfp.upload_pipeline("linear three/step", Some("fetch, count & report"), &yaml).unwrap();
    assert!(!p.id.is_empty());
    let json = serde_json::to_string(&ir_json()).unwrap();
    let v = kfp.upload_pipeline_version(&p.id, "v 2", &json).unwrap();
    assert!(!v.id.is_empty() && !v.pipeline_id.is_empty());
    // In a namespace (multi-user Kubeflow): `namespace` in the query.
    let kfp = kfp.with_namespace("team-a");
    kfp.upload_pipeline("linear", None, &yaml).unwrap();
}

#[test]
#[ignore = "needs the API mock: ../shared/tools/api-mock (Prism; `api-mock --install` needs Node.js and npm); run by .ci/run"]
fn creating_a_pipeline_and_version_from_the_ir_matches_the_api() {
    let kfp = kfp();
    let (p, v) = kfp.create_pipeline_and_version("linear", "v1", &ir_json()).unwrap();
    assert!(!p.id.is_empty());
    assert!(!v.id.is_empty());
    let (_, _) = kfp.with_namespace("team-a").create_pipeline_and_version("linear", "v1", &ir_json()).unwrap();
}

#[test]
#[ignore = "needs the API mock: ../shared/tools/api-mock (Prism; `api-mock --install` needs Node.js and npm); run by .ci/run"]
fn pipeline_lookups_match_the_api() {
    let kfp = kfp();
    assert!(!kfp.get_pipeline("p/1").unwrap().id.is_empty());
    // The mock answers every page with one item and the token "string": the list follows it once,
    // then stops because the token repeats.
    assert_eq!(kfp.list_pipelines().unwrap().len(), 2);
    assert!(kfp.find_pipeline("linear three/step").unwrap().is_some());
    assert_eq!(kfp.list_pipeline_versions("p/1").unwrap().len(), 2);
}

#[test]
#[ignore = "needs the API mock: ../shared/tools/api-mock (Prism; `api-mock --install` needs Node.js and npm); run by .ci/run"]
fn experiments_match_the_api() {
    let kfp = kfp();
    let e = kfp.create_experiment("nightly", Some("every night")).unwrap();
    assert!(!e.id.is_empty());
    kfp.get_experiment("e/1").unwrap();
    assert_eq!(kfp.list_experiments().unwrap().len(), 2);
    // The mock's experiment is named "string", so this looks up by a filter, then creates.
    assert!(!kfp.experiment("nightly").unwrap().id.is_empty());
    kfp.with_namespace("team-a").experiment("nightly").unwrap();
}

#[test]
#[ignore = "needs the API mock: ../shared/tools/api-mock (Prism; `api-mock --install` needs Node.js and npm); run by .ci/run"]
fn runs_from_the_ir_and_from_a_version_match_the_api() {
    let kfp = kfp();
    let run = NewRun::new("r1", PipelineSource::Spec(ir_json()))
        .experiment("e1")
        .parameter("url", "https://example.org")
        .parameter("min_len", 4)
        .parameter("label", serde_json::json!({"a": [1, 2]}))
        .service_account("pipeline-runner");
    let status = kfp.create_run(&run).unwrap();
    assert!(!status.id.is_empty());
    kfp.create_run(&NewRun::new("r2", version())).unwrap();
    let got = kfp.get_run("r/1").unwrap();
    assert!(!got.id.is_empty());
    kfp.list_runs(None, 10).unwrap();
    assert_eq!(kfp.list_runs(Some("e 1"), 5).unwrap().len(), 1);
}

#[test]
#[ignore = "needs the API mock: ../shared/tools/api-mock (Prism; `api-mock --install` needs Node.js and npm); run by .ci/run"]
fn waiting_on_the_mock_ends_with_its_state() {
    let kfp = kfp();
    // The mock's run is RUNTIME_STATE_UNSPECIFIED (pending) for ever: the wait must time out.
    let wait = Wait::every(std::time::Duration::from_millis(50)).timeout(std::time::Duration::from_millis(300));
    let mut changes = 0;
    let err = kfp.wait_run("r1", &wait, &mut |_| changes += 1).unwrap_err();
    assert!(matches!(err, ClientError::WaitTimeout { .. }), "{err}");
    assert_eq!(changes, 1);
    assert_eq!(kfp.get_run("r1").unwrap().state, State::Pending);
}

#[test]
#[ignore = "needs the API mock: ../shared/tools/api-mock (Prism; `api-mock --install` needs Node.js and npm); run by .ci/run"]
fn recurring_runs_match_the_api() {
    let kfp = kfp();
    let cron = NewRecurringRun::new("nightly", version(), Trigger::Cron { expression: "0 0 2 * * *".into() })
        .experiment("e1")
        .parameter("min_len", 5)
        .start("2026-12-01T00:00:00Z")
        .end("2027-12-01T00:00:00Z")
        .max_concurrency(3)
        .catchup(true);
    assert!(!kfp.create_recurring_run(&cron).unwrap().id.is_empty());
    let interval = NewRecurringRun::new("hourly", PipelineSource::Spec(ir_json()), Trigger::Interval { seconds: 3600 })
        .enabled(false);
    kfp.create_recurring_run(&interval).unwrap();
    let r = kfp.get_recurring_run("rr/1").unwrap();
    assert!(!r.id.is_empty());
    assert_eq!(kfp.list_recurring_runs(None).unwrap().len(), 2);
    kfp.list_recurring_runs(Some("e1")).unwrap();
    kfp.enable_recurring_run("rr/1").unwrap();
    kfp.disable_recurring_run("rr/1").unwrap();
    kfp.delete_recurring_run("rr/1").unwrap();
}
