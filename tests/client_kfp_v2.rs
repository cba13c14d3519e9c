//! The KFP v2beta1 client against a mock generated from the official API document, which refuses
//! (422, `sl-violations`) every request that does not match the spec.

#[path = "support/api_mock.rs"]
mod api_mock;
mod support;

use kfp::client::{ClientError, Endpoint, Kfp, KfpApi};

#[test]
fn health_matches_the_api() {
    let Some(url) = api_mock::url("kfp-v2") else { return };
    Kfp::new(Endpoint::new(&url).token("t"), KfpApi::V2beta1).unwrap().healthz().unwrap();
}

#[test]
fn a_request_without_auth_is_a_status_error_with_the_servers_word() {
    let Some(url) = api_mock::url("kfp-v2") else { return };
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
