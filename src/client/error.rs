//! One typed error for every client call: what failed (the request), and why (the server's status
//! and message, the connection, an answer that is not what the API describes, or the setup).

/// What went wrong with a request. `Display` is one line: the request, then why.
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
        /// The server's message (its `message` or `error` field, or the start of the body).
        message: String,
    },
    /// The server could not be reached, the connection failed, or the request timed out.
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
    /// The client could not be set up or a request could not be made (a CA file that does not
    /// parse, a token file that cannot be read, an invalid header).
    #[error("{0}")]
    Setup(String),
    /// A wait ran out of time before the run finished.
    #[error("gave up waiting for {what} after {} s (last state: {state})", waited.as_secs_f64())]
    WaitTimeout {
        /// The run or workflow.
        what: String,
        /// How long it waited.
        waited: std::time::Duration,
        /// Its state when the wait stopped.
        state: String,
    },
}

impl ClientError {
    /// The HTTP status, when the server answered with an error.
    pub fn status(&self) -> Option<u16> {
        match self {
            ClientError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}
