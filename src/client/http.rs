//! The one place that speaks HTTP: builds the agent (TLS roots, timeouts), adds credentials and
//! headers, retries what is safe to retry, and turns every failure into one [`ClientError`] that
//! names the request.

use std::io::BufRead;
use std::ops::ControlFlow;
use std::time::Duration;

use super::{ClientError, Endpoint, Token};

/// A body to send.
pub(crate) enum Body<'a> {
    None,
    Json(&'a serde_json::Value),
    Multipart { field: &'a str, filename: &'a str, content: &'a [u8] },
}

/// A configured connection to one server.
#[derive(Debug)]
pub(crate) struct Http {
    endpoint: Endpoint,
    agent: ureq::Agent,
    /// No overall deadline: for watch streams, which stay open as long as the run.
    stream_agent: ureq::Agent,
}

const BOUNDARY: &str = "kfp-rs-7d1e0c2a9b4f";

impl Http {
    pub(crate) fn new(endpoint: Endpoint) -> Result<Self, ClientError> {
        let tls = tls_config(&endpoint)?;
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(endpoint.timeout))
            .http_status_as_error(false)
            .tls_config(tls.clone())
            .build()
            .into();
        let stream_agent = ureq::Agent::config_builder()
            .timeout_connect(Some(endpoint.timeout))
            .timeout_recv_response(Some(endpoint.timeout))
            .http_status_as_error(false)
            .tls_config(tls)
            .build()
            .into();
        Ok(Http { endpoint, agent, stream_agent })
    }

    pub(crate) fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.endpoint.base)
    }

    pub(crate) fn get(&self, path: &str) -> Result<serde_json::Value, ClientError> {
        self.call("GET", path, Body::None)
    }

    pub(crate) fn post(&self, path: &str, body: &serde_json::Value) -> Result<serde_json::Value, ClientError> {
        self.call("POST", path, Body::Json(body))
    }

    pub(crate) fn put(&self, path: &str, body: &serde_json::Value) -> Result<serde_json::Value, ClientError> {
        self.call("PUT", path, Body::Json(body))
    }

    pub(crate) fn delete(&self, path: &str) -> Result<serde_json::Value, ClientError> {
        self.call("DELETE", path, Body::None)
    }

    /// Sends one request and returns the JSON of a 2xx answer (`Null` for an empty one).
    ///
    /// Retries, with doubling backoff: a connection that could not be made (for every method), a
    /// connection error or a 5xx answer to an idempotent request (GET, PUT, DELETE), and 502/503/504
    /// to a POST (a gateway that did not reach the server). A POST that reached the server and
    /// failed is not retried, so a create is never made twice.
    pub(crate) fn call(
        &self,
        method: &'static str,
        path: &str,
        body: Body<'_>,
    ) -> Result<serde_json::Value, ClientError> {
        let url = self.url(path);
        let idempotent = method != "POST";
        let mut attempt = 0;
        loop {
            let (result, connect_failed) = self.send(method, &url, &body);
            let retry = match &result {
                Err(ClientError::Transport { .. }) => connect_failed || idempotent,
                Err(ClientError::Status { status, .. }) => {
                    matches!(status, 502..=504) || (idempotent && *status >= 500)
                }
                _ => false,
            };
            if !retry || attempt >= self.endpoint.retries {
                return result;
            }
            std::thread::sleep(self.endpoint.backoff.saturating_mul(2u32.saturating_pow(attempt)));
            attempt += 1;
        }
    }

    fn request(
        &self,
        method: &'static str,
        url: &str,
        body: &Body<'_>,
    ) -> Result<ureq::http::Request<Vec<u8>>, ClientError> {
        let mut builder = ureq::http::Request::builder().method(method).uri(url).header("Accept", "application/json");
        if let Some(token) = self.token()? {
            builder = builder.header("Authorization", format!("Bearer {token}"));
        }
        for (name, value) in &self.endpoint.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        let bytes = match body {
            Body::None => Vec::new(),
            Body::Json(value) => {
                builder = builder.header("Content-Type", "application/json");
                serde_json::to_vec(value).map_err(|e| ClientError::Setup(format!("{method} {url}: {e}")))?
            }
            Body::Multipart { field, filename, content } => {
                builder = builder.header("Content-Type", format!("multipart/form-data; boundary={BOUNDARY}"));
                multipart(field, filename, content)
            }
        };
        builder.body(bytes).map_err(|e| ClientError::Setup(format!("{method} {url}: cannot make the request: {e}")))
    }

    /// One attempt; whether the connection could not be made at all.
    fn send(&self, method: &'static str, url: &str, body: &Body<'_>) -> (Result<serde_json::Value, ClientError>, bool) {
        let request = match self.request(method, url, body) {
            Ok(r) => r,
            Err(e) => return (Err(e), false),
        };
        let response = match self.agent.run(request) {
            Ok(r) => r,
            Err(e) => {
                let connect = matches!(e, ureq::Error::ConnectionFailed | ureq::Error::HostNotFound);
                return (Err(self.transport(method, url, &e)), connect);
            }
        };
        let status = response.status().as_u16();
        let violations = response.headers().get("sl-violations").and_then(|v| v.to_str().ok()).map(str::to_owned);
        let text = match response.into_body().read_to_string() {
            Ok(t) => t,
            Err(e) => return (Err(self.transport(method, url, &e)), false),
        };
        if !(200..300).contains(&status) {
            return (Err(status_error(method, url, status, &text, violations.as_deref())), false);
        }
        if text.trim().is_empty() {
            return (Ok(serde_json::Value::Null), false);
        }
        let parsed = serde_json::from_str(&text).map_err(|e| ClientError::Decode {
            method,
            url: url.to_owned(),
            reason: format!("not JSON ({e})"),
        });
        (parsed, false)
    }

    /// A streaming GET: calls `on_line` with each non-empty line of the answer until it breaks or
    /// the server closes the stream.
    pub(crate) fn stream_lines(
        &self,
        path: &str,
        mut on_line: impl FnMut(&str) -> Result<ControlFlow<()>, ClientError>,
    ) -> Result<(), ClientError> {
        let url = self.url(path);
        let request = self.request("GET", &url, &Body::None)?;
        let response = self.stream_agent.run(request).map_err(|e| self.transport("GET", &url, &e))?;
        let status = response.status().as_u16();
        if !(200..300).contains(&status) {
            let text = response.into_body().read_to_string().unwrap_or_default();
            return Err(status_error("GET", &url, status, &text, None));
        }
        let reader = std::io::BufReader::new(response.into_body().into_reader());
        for line in reader.lines() {
            let line = line.map_err(|e| ClientError::Transport {
                method: "GET",
                url: url.clone(),
                reason: format!("the stream broke: {e}"),
            })?;
            if line.trim().is_empty() {
                continue;
            }
            if on_line(&line)?.is_break() {
                break;
            }
        }
        Ok(())
    }

    fn token(&self) -> Result<Option<String>, ClientError> {
        let token = match &self.endpoint.token {
            None => return Ok(None),
            Some(Token::Literal(t)) => t.clone(),
            Some(Token::File(path)) => std::fs::read_to_string(path)
                .map_err(|e| ClientError::Setup(format!("cannot read the token file {}: {e}", path.display())))?,
            Some(Token::Env(var)) => {
                std::env::var(var).map_err(|_| ClientError::Setup(format!("the token variable {var} is not set")))?
            }
        };
        Ok(Some(token.trim().to_owned()))
    }

    fn transport(&self, method: &'static str, url: &str, e: &ureq::Error) -> ClientError {
        let reason = match e {
            ureq::Error::Timeout(_) => {
                format!("no answer within {} (raise --timeout)", seconds(self.endpoint.timeout))
            }
            ureq::Error::ConnectionFailed => "cannot connect (is the server running, and the port right?)".to_owned(),
            ureq::Error::HostNotFound => "the host name does not resolve".to_owned(),
            ureq::Error::Io(io) => match io.kind() {
                std::io::ErrorKind::ConnectionRefused => {
                    "connection refused (is the server running, and the port right?)".to_owned()
                }
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock => {
                    format!("no answer within {} (raise --timeout)", seconds(self.endpoint.timeout))
                }
                _ => io.to_string(),
            },
            other => other.to_string(),
        };
        ClientError::Transport { method, url: url.to_owned(), reason }
    }
}

fn seconds(d: Duration) -> String {
    if d.subsec_millis() == 0 { format!("{} s", d.as_secs()) } else { format!("{:.1} s", d.as_secs_f64()) }
}

fn status_error(method: &'static str, url: &str, status: u16, text: &str, violations: Option<&str>) -> ClientError {
    let json = serde_json::from_str::<serde_json::Value>(text).ok();
    let field = |name: &str| json.as_ref().and_then(|v| v[name].as_str()).filter(|s| !s.is_empty()).map(str::to_owned);
    // KFP: `{"error": "...", "message": "..."}`; Argo (grpc-gateway): `{"code": .., "message": ".."}`
    // or, on a stream, `{"error": {"message": ".."}}`; Prism: problem+json `detail` / `title`.
    let nested =
        json.as_ref().and_then(|v| v["error"]["message"].as_str()).filter(|s| !s.is_empty()).map(str::to_owned);
    let mut message = field("message")
        .or(nested)
        .or_else(|| field("error"))
        .or_else(|| field("detail"))
        .or_else(|| field("title"))
        .unwrap_or_else(|| text.trim().chars().take(300).collect());
    if message.is_empty() {
        message = match status {
            401 => "unauthorized (pass a token: --token-file or KFP_TOKEN)".to_owned(),
            403 => "forbidden".to_owned(),
            404 => "not found".to_owned(),
            _ => "no message".to_owned(),
        };
    }
    if let Some(v) = violations {
        message = format!("{message} ({v})");
    }
    ClientError::Status { method, url: url.to_owned(), status, message: message.replace('\n', " ") }
}

fn multipart(field: &str, filename: &str, content: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(content.len() + 256);
    body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
    body.extend_from_slice(
        format!(
            "Content-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(content);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn tls_config(endpoint: &Endpoint) -> Result<ureq::tls::TlsConfig, ClientError> {
    let mut tls = ureq::tls::TlsConfig::builder().disable_verification(endpoint.insecure);
    if let Some(path) = &endpoint.ca_cert {
        let pem = std::fs::read(path)
            .map_err(|e| ClientError::Setup(format!("cannot read the CA file {}: {e}", path.display())))?;
        let mut certs = Vec::new();
        for item in ureq::tls::parse_pem(&pem) {
            match item {
                Ok(ureq::tls::PemItem::Certificate(c)) => certs.push(c),
                Ok(_) => {}
                Err(e) => {
                    return Err(ClientError::Setup(format!("the CA file {} does not parse: {e}", path.display())));
                }
            }
        }
        if certs.is_empty() {
            return Err(ClientError::Setup(format!(
                "the CA file {} holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
                path.display()
            )));
        }
        tls = tls.root_certs(ureq::tls::RootCerts::new_with_certs(&certs));
    }
    Ok(tls.build())
}

/// `s` percent-encoded for a path segment or a query value.
pub(crate) fn enc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
