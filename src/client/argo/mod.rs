//! The Argo Server's `/api/v1`: workflows, templates and cron workflows in one namespace.
//!
//! Argo objects go in and come back as JSON ([`serde_json::Value`]): they are large, versioned by
//! Argo, and users index them. Statuses come back as [`RunStatus`](super::RunStatus). Request
//! bodies follow the server's gRPC-gateway messages (`argo-workflows.swagger.json`): a wrapper per
//! call (`{"workflow": ..}`, `{"template": ..}`, `{"cronWorkflow": ..}`) beside the namespace.

mod templates;
mod watch;
mod workflows;

use std::sync::Arc;

use super::http::{Http, enc};
use super::{ClientError, Endpoint};

pub use templates::TemplateKind;

/// A client of an Argo Server, for one namespace.
///
/// ```no_run
/// use kfp::client::{Argo, Endpoint, Wait};
/// let argo = Argo::new(Endpoint::new("https://argo.example.com:2746").token_env("ARGO_TOKEN"), "argo")?;
/// let workflow: serde_json::Value = serde_json::from_str(&std::fs::read_to_string("linear.json")?)?;
/// let created = argo.create_workflow(&workflow)?;
/// let name = created["metadata"]["name"].as_str().unwrap_or_default();
/// let done = argo.watch_workflow(name, &Wait::default(), &mut |s| eprintln!("{}: {}", s.name, s.state))?;
/// assert!(done.state.is_success());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct Argo {
    /// Shared with the thread that reads a watch stream.
    http: Arc<Http>,
    namespace: String,
}

impl Argo {
    /// A client of the Argo Server at `endpoint`, working in `namespace`.
    ///
    /// # Errors
    /// [`ClientError::Setup`] when the endpoint's CA file cannot be read or parsed.
    pub fn new(endpoint: Endpoint, namespace: impl Into<String>) -> Result<Self, ClientError> {
        Ok(Argo { http: Arc::new(Http::new(endpoint)?), namespace: namespace.into() })
    }

    /// The namespace this client works in.
    pub fn namespace(&self) -> &str {
        &self.namespace
    }

    /// `GET /api/v1/version`: the server's version (whether it answers).
    ///
    /// # Errors
    /// A [`ClientError`] when it does not.
    pub fn version(&self) -> Result<serde_json::Value, ClientError> {
        self.http.get("/api/v1/version")
    }

    /// `/api/v1/{collection}/{namespace}`, the namespace percent-encoded.
    fn ns_path(&self, collection: &str) -> String {
        format!("/api/v1/{collection}/{}", enc(&self.namespace))
    }

    /// `/api/v1/{collection}/{namespace}/{name}`, both percent-encoded.
    fn named_path(&self, collection: &str, name: &str) -> String {
        format!("{}/{}", self.ns_path(collection), enc(name))
    }
}

/// `answer` when it is a JSON object (an Argo object); a [`ClientError::Decode`] naming `what`
/// otherwise.
fn object(
    http: &Http,
    method: &'static str,
    path: &str,
    what: &str,
    answer: serde_json::Value,
) -> Result<serde_json::Value, ClientError> {
    if answer.is_object() {
        Ok(answer)
    } else {
        Err(ClientError::Decode {
            method,
            url: http.url(path),
            reason: format!("expected a {what} object, got {}", kind_of(&answer)),
        })
    }
}

/// What kind of JSON value `v` is, for error messages.
fn kind_of(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "nothing",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

/// `object["metadata"]["name"]`, or a [`ClientError::Setup`] saying that `call` needs it.
fn metadata_name<'a>(object: &'a serde_json::Value, call: &str) -> Result<&'a str, ClientError> {
    object["metadata"]["name"]
        .as_str()
        .filter(|s| !s.is_empty())
        .ok_or_else(|| ClientError::Setup(format!("{call}: the object has no metadata.name")))
}
