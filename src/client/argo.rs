//! The Argo Server's `/api/v1`: workflows, templates and cron workflows in one namespace.

use super::http::Http;
use super::{ClientError, Endpoint};

/// A client of an Argo Server, for one namespace.
#[derive(Debug)]
pub struct Argo {
    http: Http,
    namespace: String,
}

impl Argo {
    /// A client of the Argo Server at `endpoint`, working in `namespace`.
    ///
    /// # Errors
    /// [`ClientError::Setup`] when the endpoint's CA file cannot be read or parsed.
    pub fn new(endpoint: Endpoint, namespace: impl Into<String>) -> Result<Self, ClientError> {
        Ok(Argo { http: Http::new(endpoint)?, namespace: namespace.into() })
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
}
