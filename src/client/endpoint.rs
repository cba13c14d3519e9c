//! Where a server is and how to reach it: base URL, credentials, extra headers, TLS, timeouts and
//! retries. Nothing here talks to the network.

use std::path::PathBuf;
use std::time::Duration;

/// Where a bearer token comes from.
///
/// A file or an environment variable is read at every request, so a projected service-account
/// token that Kubernetes rotates under a long `--wait` stays valid.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Token {
    /// The token itself.
    Literal(String),
    /// A file holding the token (`/var/run/secrets/kubeflow/pipelines/token`).
    File(PathBuf),
    /// An environment variable holding the token.
    Env(String),
}

/// Where a server is and how to reach it.
///
/// ```
/// use kfp::client::Endpoint;
/// let endpoint = Endpoint::new("https://kubeflow.example.com/pipeline")
///     .token_file("/var/run/secrets/kubeflow/pipelines/token")
///     .header("Cookie", "authservice_session=...")
///     .ca_cert("/etc/ssl/cluster-ca.pem");
/// assert_eq!(endpoint.base, "https://kubeflow.example.com/pipeline");
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Endpoint {
    /// The base URL (`http://127.0.0.1:8888`, `https://kubeflow.example.com/pipeline`), no trailing `/`.
    pub base: String,
    /// The bearer token sent as `Authorization: Bearer ...`.
    pub token: Option<Token>,
    /// Extra headers on every request (a session cookie for Kubeflow's Istio/Dex auth).
    pub headers: Vec<(String, String)>,
    /// A PEM file of the CA certificates to trust instead of the public roots (a self-signed cluster).
    pub ca_cert: Option<PathBuf>,
    /// Skip TLS certificate verification (`--insecure`). Only for clusters you trust.
    pub insecure: bool,
    /// How long one request may take (a watch stream waits for its first answer this long).
    pub timeout: Duration,
    /// How many times a connection error or a 5xx answer is retried, with backoff, before it is
    /// reported.
    pub retries: u32,
    /// The first backoff; each retry waits twice as long as the one before.
    pub backoff: Duration,
}

impl Endpoint {
    /// The server at `base`, with no credentials, a 30 s timeout and 3 retries from 250 ms.
    pub fn new(base: impl Into<String>) -> Self {
        let base: String = base.into();
        Endpoint {
            base: base.trim_end_matches('/').to_owned(),
            token: None,
            headers: Vec::new(),
            ca_cert: None,
            insecure: false,
            timeout: Duration::from_secs(30),
            retries: 3,
            backoff: Duration::from_millis(250),
        }
    }

    /// Sends `token` as `Authorization: Bearer <token>`.
    #[must_use]
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(Token::Literal(token.into()));
        self
    }

    /// Reads the bearer token from `path` at every request.
    #[must_use]
    pub fn token_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.token = Some(Token::File(path.into()));
        self
    }

    /// Reads the bearer token from the environment variable `var` at every request.
    #[must_use]
    pub fn token_env(mut self, var: impl Into<String>) -> Self {
        self.token = Some(Token::Env(var.into()));
        self
    }

    /// Adds a header to every request.
    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Trusts the CA certificates in the PEM file at `path` instead of the public roots.
    #[must_use]
    pub fn ca_cert(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_cert = Some(path.into());
        self
    }

    /// Skips TLS certificate verification.
    #[must_use]
    pub fn insecure(mut self, yes: bool) -> Self {
        self.insecure = yes;
        self
    }

    /// How long one request may take.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How many times a connection error or a 5xx answer is retried.
    #[must_use]
    pub fn retries(mut self, retries: u32) -> Self {
        self.retries = retries;
        self
    }

    /// The first backoff between retries.
    #[must_use]
    pub fn backoff(mut self, backoff: Duration) -> Self {
        self.backoff = backoff;
        self
    }
}
