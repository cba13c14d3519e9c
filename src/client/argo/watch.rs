//! Watching a workflow until it is done: the server's event stream, reconnected when it ends or
//! breaks, or polling when the server has no stream.
//!
//! The stream is `GET /api/v1/workflow-events/{namespace}?listOptions.fieldSelector=metadata.name=NAME`
//! (the Argo CLI's `argo watch` asks the same): newline-delimited JSON, each line
//! `{"result": {"type": "ADDED|MODIFIED|DELETED", "object": <Workflow>}}`, or `{"error": {..}}`
//! when the server's watch fails (grpc-gateway). A Kubernetes watch starts with the object's current
//! state, so a reconnect misses nothing. The server closes a watch after a while (its Kubernetes
//! watch expires: an `{"error": {"message": "EOF", ..}}` line, gRPC code 8), and proxies cut idle
//! streams: both reconnect.
//!
//! The stream is read on its own thread so that `wait.timeout` holds while the stream is quiet: on
//! a timeout, or once the workflow is done, the reader thread is left to end when the server next
//! writes or closes. Each watch asks the server to close it after [`WATCH_SECONDS`]
//! (`listOptions.timeoutSeconds`, which Kubernetes honours), so such a thread and its connection
//! live at most that long, and a quiet stream is renewed that often.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::Argo;
use super::workflows::status_of;
use crate::client::http::enc;
use crate::client::{ClientError, RunStatus, Wait};

/// How long one watch connection lasts at most: the server closes it then, and it is renewed.
const WATCH_SECONDS: u64 = 60;

/// What the reader thread sends.
enum Event {
    /// One line of the stream.
    Line(String),
    /// The stream ended (`Ok`) or failed.
    End(Result<(), ClientError>),
}

/// How one connection of the stream ended.
enum Outcome {
    /// The workflow is done.
    Done(RunStatus),
    /// The stream ended or broke before that: reconnect. Whether any event came.
    Reconnect { got_events: bool, error: Option<ClientError> },
    /// The server has no stream (404, 501): poll instead.
    NoStream,
}

/// Tracks the last status seen and calls `on_change` when it changes.
struct Watcher<'a> {
    what: String,
    last: Option<RunStatus>,
    on_change: &'a mut dyn FnMut(&RunStatus),
    deadline: Option<(Instant, Duration)>,
}

impl Watcher<'_> {
    /// Records `status`; calls `on_change` when the phase, the message or any step changed.
    fn see(&mut self, status: RunStatus) -> Option<RunStatus> {
        if self.last.as_ref() != Some(&status) {
            (self.on_change)(&status);
        }
        let done = status.state.is_done().then(|| status.clone());
        self.last = Some(status);
        done
    }

    /// The time left before the wait's timeout (`None`: no timeout); a
    /// [`ClientError::WaitTimeout`] when it has run out.
    fn left(&self) -> Result<Option<Duration>, ClientError> {
        let Some((deadline, timeout)) = self.deadline else { return Ok(None) };
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() { Err(self.timed_out(timeout)) } else { Ok(Some(left)) }
    }

    fn timed_out(&self, timeout: Duration) -> ClientError {
        ClientError::WaitTimeout {
            what: self.what.clone(),
            waited: timeout,
            state: self.last.as_ref().map_or_else(|| "not seen yet".to_owned(), |s| s.state.to_string()),
        }
    }

    /// Sleeps `poll`, or until the deadline; a [`ClientError::WaitTimeout`] once it has passed.
    fn pause(&self, poll: Duration) -> Result<(), ClientError> {
        match self.left()? {
            Some(left) if left < poll => {
                std::thread::sleep(left);
                self.left().map(drop)
            }
            _ => {
                std::thread::sleep(poll);
                Ok(())
            }
        }
    }
}

impl Argo {
    /// Watches workflow `name` until it is done (succeeded, failed or errored) and returns its
    /// final status; a failed workflow is `Ok` with [`State::Failed`](crate::client::State::Failed)
    /// and the server's message.
    ///
    /// Reads the server's event stream (`GET /api/v1/workflow-events/{namespace}` with
    /// `listOptions.fieldSelector=metadata.name=NAME`, renewed every minute) and calls `on_change` with the status
    /// whenever the phase, the message or any step changed (and once for the first status seen).
    /// When the stream ends or breaks first, it reconnects after `wait.poll`; a connection that
    /// fails more than the endpoint's `retries` times in a row with no event is an error (one
    /// that keeps closing with no event is taken for no stream: it polls). When the
    /// stream endpoint answers 404 or 501 (a proxy or server without it; or no such workflow,
    /// which the first poll then reports), it polls [`get_workflow`](Self::get_workflow) every
    /// `wait.poll` instead.
    ///
    /// # Errors
    /// [`ClientError::WaitTimeout`] after `wait.timeout`; a [`ClientError::Status`] with the
    /// server's message for an error answer or an `{"error": ..}` line on the stream, or when the
    /// workflow is deleted while watched; [`ClientError::Decode`] for a line that is not an event.
    pub fn watch_workflow(
        &self,
        name: &str,
        wait: &Wait,
        on_change: &mut dyn FnMut(&RunStatus),
    ) -> Result<RunStatus, ClientError> {
        let mut watcher = Watcher {
            what: format!("workflow {name}"),
            last: None,
            on_change,
            deadline: wait.timeout.map(|t| (Instant::now() + t, t)),
        };
        let mut failures = 0;
        loop {
            match self.stream_once(name, &mut watcher)? {
                Outcome::Done(status) => return Ok(status),
                Outcome::NoStream => return self.poll(name, wait, &mut watcher),
                Outcome::Reconnect { got_events: true, .. } => failures = 0,
                Outcome::Reconnect { got_events: false, error } => {
                    failures += 1;
                    if failures > self.http.endpoint().retries {
                        // A stream that keeps failing is the error; one that keeps closing with
                        // no event (a proxy that buffers it) is no stream: poll.
                        return match error {
                            Some(error) => Err(error),
                            None => self.poll(name, wait, &mut watcher),
                        };
                    }
                }
            }
            watcher.pause(wait.poll)?;
        }
    }

    /// Polls the workflow every `wait.poll` until it is done.
    fn poll(&self, name: &str, wait: &Wait, watcher: &mut Watcher<'_>) -> Result<RunStatus, ClientError> {
        loop {
            if let Some(done) = watcher.see(self.workflow_status(name)?) {
                return Ok(done);
            }
            watcher.pause(wait.poll)?;
        }
    }

    /// One connection of the event stream, read until the workflow is done or the stream ends.
    fn stream_once(&self, name: &str, watcher: &mut Watcher<'_>) -> Result<Outcome, ClientError> {
        let path = format!(
            "{}?listOptions.fieldSelector={}&listOptions.timeoutSeconds={WATCH_SECONDS}",
            self.ns_path("workflow-events"),
            enc(&format!("metadata.name={name}"))
        );
        let url = self.http.url(&path);
        let (tx, rx) = mpsc::channel();
        let http = self.http.clone();
        std::thread::spawn(move || {
            let lines = tx.clone();
            let end = http.stream_lines(&path, |line| {
                // The watcher has gone (done, or timed out): stop reading.
                Ok(if lines.send(Event::Line(line.to_owned())).is_ok() {
                    std::ops::ControlFlow::Continue(())
                } else {
                    std::ops::ControlFlow::Break(())
                })
            });
            let _ = tx.send(Event::End(end));
        });
        let mut got_events = false;
        loop {
            let event = match watcher.left()? {
                None => rx.recv().map_err(|_| mpsc::RecvTimeoutError::Disconnected),
                Some(left) => rx.recv_timeout(left),
            };
            let line = match event {
                Ok(Event::Line(line)) => line,
                Ok(Event::End(Ok(()))) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                    return Ok(Outcome::Reconnect { got_events, error: None });
                }
                Ok(Event::End(Err(e))) => return end_of_stream(e, got_events),
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    watcher.left()?;
                    continue;
                }
            };
            match parse_line(&line, &url)? {
                Line::Skip => {}
                Line::Expired => return Ok(Outcome::Reconnect { got_events, error: None }),
                Line::Event { kind, object } => {
                    if object["metadata"]["name"].as_str().is_some_and(|n| n != name) {
                        continue;
                    }
                    got_events = true;
                    if kind == "DELETED" {
                        return Err(ClientError::Status {
                            method: "GET",
                            url,
                            status: 404,
                            message: format!("workflow {name} was deleted while it was watched"),
                        });
                    }
                    if let Some(done) = watcher.see(status_of(&object, name)) {
                        return Ok(Outcome::Done(done));
                    }
                }
            }
        }
    }
}

/// What to do when the stream's request failed: poll for 404/501, reconnect for a broken
/// connection or a 5xx, give up otherwise.
fn end_of_stream(error: ClientError, got_events: bool) -> Result<Outcome, ClientError> {
    let error = servers_word(error);
    match &error {
        ClientError::Status { status: 404 | 501, .. } => Ok(Outcome::NoStream),
        ClientError::Status { status: 500..=599, .. } | ClientError::Transport { .. } => {
            Ok(Outcome::Reconnect { got_events, error: Some(error) })
        }
        _ => Err(error),
    }
}

/// The server's message in an error answer to the stream's request: grpc-gateway sends a stream
/// that fails before its first event (no such workflow, a token refused) as that status with the
/// body `{"error": {"message": .., ..}}`, which is not the usual `{"message": ..}`.
fn servers_word(error: ClientError) -> ClientError {
    match error {
        ClientError::Status { method, url, status, message } => {
            let body = serde_json::from_str::<serde_json::Value>(&message).ok();
            let word = body.as_ref().and_then(|b| b["error"]["message"].as_str()).filter(|m| !m.is_empty());
            let message = word.map_or(message.clone(), str::to_owned);
            ClientError::Status { method, url, status, message }
        }
        other => other,
    }
}

/// One line of the stream, read.
enum Line {
    /// Nothing to read (an SSE comment or a result without a workflow, as a bookmark).
    Skip,
    /// The server's watch expired: reconnect.
    Expired,
    /// A workflow event.
    Event { kind: String, object: serde_json::Value },
}

/// Reads one line: grpc-gateway's `{"result": ..}` or `{"error": ..}`, also as a server-sent
/// event (`data: {..}`, what the server sends to `Accept: text/event-stream`).
fn parse_line(line: &str, url: &str) -> Result<Line, ClientError> {
    let line = line.trim();
    let line = line.strip_prefix("data:").map_or(line, str::trim_start);
    if line.is_empty() || line.starts_with(':') {
        return Ok(Line::Skip);
    }
    let decode = |reason: String| ClientError::Decode { method: "GET", url: url.to_owned(), reason };
    let mut value: serde_json::Value = serde_json::from_str(line).map_err(|e| {
        let start: String = line.chars().take(80).collect();
        decode(format!("a watch event that is not JSON ({e}): {start}"))
    })?;
    if let Some(error) = value.get("error").filter(|e| !e.is_null()) {
        return stream_error(error, url);
    }
    let result = &mut value["result"];
    if !result.is_object() {
        return Err(decode("a watch event without `result`".to_owned()));
    }
    let kind = result["type"].as_str().unwrap_or_default().to_owned();
    match result["object"].take() {
        object @ serde_json::Value::Object(_) => Ok(Line::Event { kind, object }),
        serde_json::Value::Null if kind == "BOOKMARK" => Ok(Line::Skip),
        _ => Err(decode(format!("a {kind} watch event without `result.object`"))),
    }
}

/// An `{"error": ..}` line: grpc-gateway v1 (`grpc_code`, `http_code`, `message`) or v2 (`code`,
/// `message`). The watch's end (gRPC ResourceExhausted, message `EOF`) is [`Line::Expired`].
fn stream_error(error: &serde_json::Value, url: &str) -> Result<Line, ClientError> {
    let message = error["message"].as_str().unwrap_or_default();
    let grpc = error["grpc_code"].as_u64().or_else(|| error["code"].as_u64());
    if grpc == Some(8) && message.contains("EOF") {
        return Ok(Line::Expired);
    }
    let status = error["http_code"].as_u64().and_then(|c| u16::try_from(c).ok()).unwrap_or_else(|| http_status(grpc));
    let message = if message.is_empty() { error.to_string() } else { message.to_owned() };
    Err(ClientError::Status { method: "GET", url: url.to_owned(), status, message })
}

/// The HTTP status grpc-gateway gives a gRPC code.
fn http_status(grpc: Option<u64>) -> u16 {
    match grpc {
        Some(1) => 499,
        Some(3 | 9 | 11) => 400,
        Some(4) => 504,
        Some(5) => 404,
        Some(6 | 10) => 409,
        Some(7) => 403,
        Some(8) => 429,
        Some(12) => 501,
        Some(14) => 503,
        Some(16) => 401,
        _ => 500,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "http://argo/api/v1/workflow-events/argo";

    #[test]
    fn lines_are_events_sse_events_errors_or_expiries() {
        let event = r#"{"result":{"type":"MODIFIED","object":{"metadata":{"name":"wf"}}}}"#;
        assert!(matches!(parse_line(event, URL), Ok(Line::Event { kind, .. }) if kind == "MODIFIED"));
        assert!(matches!(parse_line(&format!("data: {event}"), URL), Ok(Line::Event { .. })));
        assert!(matches!(parse_line(": keep-alive", URL), Ok(Line::Skip)));
        let expired = r#"{"error":{"grpc_code":8,"http_code":429,"message":"EOF","http_status":"Too Many Requests"}}"#;
        assert!(matches!(parse_line(expired, URL), Ok(Line::Expired)));
        let denied = r#"{"error":{"code":7,"message":"workflows.argoproj.io is forbidden"}}"#;
        match parse_line(denied, URL) {
            Err(ClientError::Status { status: 403, message, .. }) => assert!(message.contains("forbidden")),
            _ => panic!("a v2 error line is a 403 with the server's message"),
        }
        let err = parse_line(r#"{"result":{"type":"ADDED"}}"#, URL).err().expect("no object");
        assert!(err.to_string().contains("result.object"), "{err}");
        let err = parse_line("<html>", URL).err().expect("not JSON");
        assert!(matches!(err, ClientError::Decode { .. }) && err.to_string().contains("<html>"), "{err}");
    }
}
