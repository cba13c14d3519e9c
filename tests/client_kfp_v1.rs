//! The KFP v1beta1 client against a mock generated from the official API document, in `--strict`
//! mode: a request that breaks the spec, or has a field it does not name, is refused (422 with
//! `sl-violations`). Pipelines are the Argo Workflows `compile` writes by default. The mock stores
//! nothing; state is in `client_kfp_state.rs`.

#[path = "support/api_mock.rs"]
mod api_mock;
mod support;

use kfp::client::{ClientError, Endpoint, Kfp, KfpApi, NewRecurringRun, NewRun, PipelineSource, Trigger};

fn kfp() -> Kfp {
    let url = api_mock::url_strict("kfp-v1");
    Kfp::new(Endpoint::new(&url).token("t").retries(0), KfpApi::V1beta1).unwrap()
}

fn workflow_yaml() -> String {
    support::compile_example("linear", &[])
}

fn workflow_json() -> serde_json::Value {
    serde_json::from_str(&support::compile_example("linear", &["--format", "json"])).unwrap()
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
fn a_request_without_auth_is_a_401_naming_the_request() {
    let url = api_mock::url_strict("kfp-v1");
    let err = Kfp::new(Endpoint::new(&url).retries(0), KfpApi::V1beta1).unwrap().list_pipelines().unwrap_err();
    assert_eq!(err.status(), Some(401), "{err}");
    assert!(err.to_string().starts_with(&format!("GET {url}/apis/v1beta1/pipelines?")), "{err}");
}

#[test]
#[ignore = "needs the API mock: ../shared/tools/api-mock (Prism; `api-mock --install` needs Node.js and npm); run by .ci/run"]
fn uploads_match_the_api() {
    let kfp = kfp();
    let p = kfp.upload_pipeline("linear three/step", Some("fetch & count"), &workflow_yaml()).unwrap();
    assert!(!p.id.is_empty());
    let json = serde_json::to_string(&workflow_json()).unwrap();
    let v = kfp.upload_pipeline_version(&p.id, "v 2", &json).unwrap();
    assert!(!v.id.is_empty() && !v.pipeline_id.is_empty());
    kfp.with_namespace("team-a").upload_pipeline("linear", None, &workflow_yaml()).unwrap();
}

#[test]
#[ignore = "needs the API mock: ../shared/tools/api-mock (Prism; `api-mock --install` needs Node.js and npm); run by .ci/run"]
fn the_json_spec_endpoint_is_v2_only() {
    let kfp = kfp();
    let err = kfp.create_pipeline_and_version("linear", "v1", &workflow_json()).unwrap_err();
    assert!(matches!(err, ClientError::Setup(_)), "{err}");
    assert!(err.to_string().contains("upload_pipeline"), "{err}");
}

#[test]
#[ignore = "needs the API mock: ../shared/tools/api-mock (Prism; `api-mock --install` needs Node.js and npm); run by .ci/run"]
fn pipeline_lookups_match_the_api() {
    let kfp = kfp();
    assert!(!kfp.get_pipeline("p/1").unwrap().id.is_empty());
    // One item a page, and the token "string" on every page: followed once, then it repeats.
    assert_eq!(kfp.list_pipelines().unwrap().len(), 2);
    // The mock's pipeline is named "string": a name filter, then an exact match on the answer.
    assert_eq!(kfp.find_pipeline("linear").unwrap(), None);
    assert!(kfp.find_pipeline("string").unwrap().is_some());
    let versions = kfp.list_pipeline_versions("p/1").unwrap();
    assert_eq!(versions.len(), 2);
}

#[test]
#[ignore = "needs the API mock: ../shared/tools/api-mock (Prism; `api-mock --install` needs Node.js and npm); run by .ci/run"]
fn experiments_match_the_api() {
    let kfp = kfp();
    assert!(!kfp.create_experiment("nightly", Some("every night")).unwrap().id.is_empty());
    kfp.get_experiment("e/1").unwrap();
    assert_eq!(kfp.list_experiments().unwrap().len(), 2);
    kfp.experiment("nightly").unwrap();
    let in_ns = kfp.with_namespace("team-a");
    in_ns.create_experiment("nightly", None).unwrap();
    in_ns.list_experiments().unwrap();
}

#[test]
#[ignore = "needs the API mock: ../shared/tools/api-mock (Prism; `api-mock --install` needs Node.js and npm); run by .ci/run"]
fn runs_from_the_workflow_and_from_a_version_match_the_api() {
    let kfp = kfp();
    let run = NewRun::new("r1", PipelineSource::Spec(workflow_json()))
        .experiment("e1")
        .parameter("url", "https://example.org")
        .parameter("min_len", 4)
        .service_account("pipeline-runner");
    assert!(!kfp.create_run(&run).unwrap().id.is_empty());
    kfp.create_run(&NewRun::new("r2", version()).experiment("e1")).unwrap();
    kfp.create_run(&NewRun::new("r3", version())).unwrap();
    assert!(!kfp.get_run("r/1").unwrap().id.is_empty());
    kfp.list_runs(None, 10).unwrap();
    assert_eq!(kfp.list_runs(Some("e 1"), 5).unwrap().len(), 1);
}

#[test]
#[ignore = "needs the API mock: ../shared/tools/api-mock (Prism; `api-mock --install` needs Node.js and npm); run by .ci/run"]
fn jobs_match_the_api() {
    let kfp = kfp();
    let cron = NewRecurringRun::new("nightly", version(), Trigger::Cron { expression: "0 0 2 * * *".into() })
        .experiment("e1")
        .parameter("min_len", 5)
        .start("2026-12-01T00:00:00Z")
        .max_concurrency(3)
        .catchup(true);
    assert!(!kfp.create_recurring_run(&cron).unwrap().id.is_empty());
    let every =
        NewRecurringRun::new("hourly", PipelineSource::Spec(workflow_json()), Trigger::Interval { seconds: 3600 })
            .end("2027-01-01T00:00:00Z")
            .enabled(false);
    kfp.create_recurring_run(&every).unwrap();
    assert!(!kfp.get_recurring_run("j/1").unwrap().id.is_empty());
    assert_eq!(kfp.list_recurring_runs(None).unwrap().len(), 2);
    kfp.list_recurring_runs(Some("e1")).unwrap();
    kfp.enable_recurring_run("j/1").unwrap();
    kfp.disable_recurring_run("j/1").unwrap();
    kfp.delete_recurring_run("j/1").unwrap();
}
