//! The KFP v2beta1 client against a mock generated from the official API document, which refuses
//! (422, `sl-violations`) every request that does not match the spec.

mod support;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use kfp::client::{Client, ClientError, Endpoint};

struct Mock {
    child: Child,
    url: String,
}

impl Drop for Mock {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}

fn mock() -> Option<Mock> {
    let Some(shared) = support::shared_dir() else {
        assert!(!support::required(), "the API mock needs ../shared (or KFP_SHARED_DIR)");
        return None;
    };
    let mut child = Command::new(shared.join("tools/api-mock"))
        .arg("kfp-v2")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start api-mock");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    assert!(line.starts_with("http://"), "api-mock did not start (install it with `api-mock --install`)");
    Some(Mock { child, url: line.trim().to_owned() })
}

#[test]
fn health_upload_and_runs_match_the_api() {
    let Some(m) = mock() else { return };
    let client = Client::new(Endpoint::new(&m.url).token("t"));
    client.healthz().unwrap();
    let yaml = support::compile_example("hello", &["--target", "kfp-v2"]);
    let uploaded = client.upload_pipeline("hello", &yaml).unwrap();
    assert!(!uploaded.pipeline_id.is_empty());
    let spec: serde_json::Value =
        serde_json::from_str(&support::compile_example("hello", &["--target", "kfp-v2", "--format", "json"])).unwrap();
    let run = client.create_run("hello run", spec, &[("name".to_owned(), serde_json::json!("kfp-rs"))]).unwrap();
    assert!(!run.run_id.is_empty());
    client.get_run(&run.run_id).unwrap();
}

#[test]
fn a_request_without_auth_is_a_status_error_with_the_servers_word() {
    let Some(m) = mock() else { return };
    let mut e = Endpoint::new(&m.url);
    e.retries = 0;
    let err = Client::new(e).healthz().unwrap_err();
    match &err {
        ClientError::Status { status, method, .. } => assert_eq!((*status, *method), (401, "GET")),
        other => panic!("{other}"),
    }
    assert!(err.to_string().contains("/apis/v2beta1/healthz: HTTP 401"), "{err}");
}

#[test]
fn an_unreachable_server_is_one_transport_error() {
    let mut e = Endpoint::new("http://127.0.0.1:9");
    e.retries = 0;
    let err = Client::new(e).healthz().unwrap_err();
    assert!(matches!(err, ClientError::Transport { .. }), "{err}");
    assert!(err.to_string().starts_with("GET http://127.0.0.1:9/apis/v2beta1/healthz: "), "{err}");
}
