//! The main container's network surface and health: ports it listens on, liveness / readiness /
//! startup probes, and lifecycle hooks (after start, before stop). Commands are the author's literal
//! text; paths, ports and header values sit in value positions only.

/// A port of the main container (`ports`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Port {
    /// Its name (an IANA service name: `metrics`, `http`), if any.
    pub name: Option<String>,
    /// The port number.
    pub number: u16,
    /// `TCP`, `UDP` or `SCTP`.
    pub protocol: Protocol,
}

/// A port's protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Protocol {
    /// TCP (Kubernetes' default).
    Tcp,
    /// UDP.
    Udp,
    /// SCTP.
    Sctp,
}

impl Protocol {
    /// As Kubernetes writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Sctp => "SCTP",
        }
    }
}

impl Port {
    /// TCP port `number`.
    pub fn tcp(number: u16) -> Self {
        Port { name: None, number, protocol: Protocol::Tcp }
    }

    /// UDP port `number`.
    pub fn udp(number: u16) -> Self {
        Port { name: None, number, protocol: Protocol::Udp }
    }

    /// SCTP port `number`.
    pub fn sctp(number: u16) -> Self {
        Port { name: None, number, protocol: Protocol::Sctp }
    }

    /// Names it (`metrics`: at most 15 lowercase letters, digits and `-`, with a letter).
    #[must_use]
    pub fn named(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    pub(crate) fn check(&self) -> Result<(), String> {
        if self.number == 0 {
            return Err("port 0 is not a port number (1 to 65535)".to_owned());
        }
        if let Some(name) = &self.name {
            check_port_name(name)?;
        }
        Ok(())
    }
}

/// An IANA service name, as Kubernetes checks a port's name.
fn check_port_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 15
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && name.chars().any(|c| c.is_ascii_lowercase())
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.contains("--");
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{}` is not a port name (at most 15 lowercase letters, digits and single `-`, with at least one letter)",
            name.escape_debug()
        ))
    }
}

/// What a probe or a lifecycle hook does.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Action {
    /// Runs a command in the main container (exit status 0: success).
    Exec(Vec<String>),
    /// Sends `GET` to the pod's address (2xx or 3xx: success).
    HttpGet {
        /// The path (`/healthz`).
        path: String,
        /// The port.
        port: u16,
        /// Over HTTPS (the certificate is not checked).
        https: bool,
        /// Extra request headers: `(name, value)`.
        headers: Vec<(String, String)>,
    },
    /// Opens a TCP connection (probes only).
    TcpSocket(u16),
    /// Calls the gRPC health service (probes only): `(port, service)`.
    Grpc(u16, Option<String>),
}

impl Action {
    /// Runs `command` in the main container.
    pub fn exec<S: Into<String>>(command: impl IntoIterator<Item = S>) -> Self {
        Action::Exec(command.into_iter().map(Into::into).collect())
    }

    /// `GET http://<pod>:<port><path>`.
    pub fn http_get(path: impl Into<String>, port: u16) -> Self {
        Action::HttpGet { path: path.into(), port, https: false, headers: Vec::new() }
    }

    /// The same over HTTPS.
    #[must_use]
    pub fn https(mut self) -> Self {
        if let Action::HttpGet { https, .. } = &mut self {
            *https = true;
        }
        self
    }

    /// Adds a request header to an HTTP action.
    #[must_use]
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        if let Action::HttpGet { headers, .. } = &mut self {
            headers.push((name.into(), value.into()));
        }
        self
    }

    /// Whether the action may be a lifecycle hook (Argo 3.4's schema: exec and httpGet).
    fn is_hook(&self) -> bool {
        matches!(self, Action::Exec(_) | Action::HttpGet { .. })
    }

    pub(crate) fn check(&self) -> Result<(), String> {
        match self {
            Action::Exec(c) if c.is_empty() || c[0].is_empty() => Err("an exec action has no command".to_owned()),
            Action::Exec(_) => Ok(()),
            Action::HttpGet { path, port, headers, .. } => {
                if !path.starts_with('/') {
                    return Err(format!("HTTP path `{}` must start with `/`", path.escape_debug()));
                }
                check_port(*port)?;
                for (name, _) in headers {
                    let token = !name.is_empty()
                        && name.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c));
                    if !token {
                        return Err(format!("`{}` is not an HTTP header name", name.escape_debug()));
                    }
                }
                Ok(())
            }
            Action::TcpSocket(port) | Action::Grpc(port, _) => check_port(*port),
        }
    }
}

fn check_port(port: u16) -> Result<(), String> {
    if port == 0 { Err("port 0 is not a port number (1 to 65535)".to_owned()) } else { Ok(()) }
}

/// Which probe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ProbeKind {
    /// Restarts (in a workflow: fails) the container when it fails.
    Liveness,
    /// Marks the pod not ready while it fails.
    Readiness,
    /// Holds the other probes back until it succeeds once.
    Startup,
}

impl ProbeKind {
    /// The container field (`livenessProbe`, ...).
    pub fn field(self) -> &'static str {
        match self {
            ProbeKind::Liveness => "livenessProbe",
            ProbeKind::Readiness => "readinessProbe",
            ProbeKind::Startup => "startupProbe",
        }
    }

    /// The setter's name, for messages.
    pub fn setter(self) -> &'static str {
        match self {
            ProbeKind::Liveness => "liveness_probe",
            ProbeKind::Readiness => "readiness_probe",
            ProbeKind::Startup => "startup_probe",
        }
    }
}

/// A probe of the main container: an action and when and how often to run it (seconds; Kubernetes'
/// defaults when unset).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Probe {
    /// What it does.
    pub action: Action,
    /// Seconds after start before the first probe.
    pub initial_delay_seconds: Option<u32>,
    /// Seconds between probes.
    pub period_seconds: Option<u32>,
    /// Seconds before a probe times out.
    pub timeout_seconds: Option<u32>,
    /// Failures in a row that count as failed.
    pub failure_threshold: Option<u32>,
    /// Successes in a row that count as succeeded (1 for liveness and startup probes).
    pub success_threshold: Option<u32>,
}

impl Probe {
    /// A probe running `action`.
    pub fn new(action: Action) -> Self {
        Probe {
            action,
            initial_delay_seconds: None,
            period_seconds: None,
            timeout_seconds: None,
            failure_threshold: None,
            success_threshold: None,
        }
    }

    /// Runs `command` in the container.
    pub fn exec<S: Into<String>>(command: impl IntoIterator<Item = S>) -> Self {
        Probe::new(Action::exec(command))
    }

    /// `GET http://<pod>:<port><path>`.
    pub fn http_get(path: impl Into<String>, port: u16) -> Self {
        Probe::new(Action::http_get(path, port))
    }

    /// Opens a TCP connection to `port`.
    pub fn tcp_socket(port: u16) -> Self {
        Probe::new(Action::TcpSocket(port))
    }

    /// Calls the gRPC health service on `port` (for `service`, or the server's when `None`).
    pub fn grpc(port: u16, service: Option<&str>) -> Self {
        Probe::new(Action::Grpc(port, service.map(str::to_owned)))
    }

    /// Seconds after start before the first probe.
    #[must_use]
    pub fn initial_delay(mut self, seconds: u32) -> Self {
        self.initial_delay_seconds = Some(seconds);
        self
    }

    /// Seconds between probes.
    #[must_use]
    pub fn period(mut self, seconds: u32) -> Self {
        self.period_seconds = Some(seconds);
        self
    }

    /// Seconds before a probe times out.
    #[must_use]
    pub fn timeout(mut self, seconds: u32) -> Self {
        self.timeout_seconds = Some(seconds);
        self
    }

    /// Failures in a row that count as failed.
    #[must_use]
    pub fn failure_threshold(mut self, n: u32) -> Self {
        self.failure_threshold = Some(n);
        self
    }

    /// Successes in a row that count as succeeded.
    #[must_use]
    pub fn success_threshold(mut self, n: u32) -> Self {
        self.success_threshold = Some(n);
        self
    }

    pub(crate) fn check(&self, kind: ProbeKind) -> Result<(), String> {
        self.action.check()?;
        for (what, v) in [
            ("period", self.period_seconds),
            ("timeout", self.timeout_seconds),
            ("failure threshold", self.failure_threshold),
            ("success threshold", self.success_threshold),
        ] {
            if v == Some(0) {
                return Err(format!("a probe's {what} is at least 1"));
            }
        }
        if kind != ProbeKind::Readiness && self.success_threshold.is_some_and(|n| n != 1) {
            return Err(format!("the success threshold of a {} must be 1", kind.setter().replace('_', " ")));
        }
        Ok(())
    }
}

/// When a lifecycle hook runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum HookKind {
    /// Right after the container starts (beside its command).
    PostStart,
    /// Before the container is stopped (on deletion or preemption, not on normal exit).
    PreStop,
}

impl HookKind {
    /// The `lifecycle` field (`postStart`, `preStop`).
    pub fn field(self) -> &'static str {
        match self {
            HookKind::PostStart => "postStart",
            HookKind::PreStop => "preStop",
        }
    }

    /// The setter's name, for messages.
    pub fn setter(self) -> &'static str {
        match self {
            HookKind::PostStart => "post_start",
            HookKind::PreStop => "pre_stop",
        }
    }

    pub(crate) fn check(self, action: &Action) -> Result<(), String> {
        if !action.is_hook() {
            return Err(format!(
                "a `{}` hook runs a command (`Action::exec`) or an HTTP GET (`Action::http_get`); tcp and gRPC \
                 actions are for probes",
                self.setter()
            ));
        }
        action.check()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_probes_and_hooks_are_checked() {
        assert!(Port::tcp(8080).named("metrics").check().is_ok());
        for bad in ["Metrics", "a--b", "1234", "-x", "averyveryverylongname"] {
            assert!(Port::tcp(1).named(bad).check().unwrap_err().contains("not a port name"), "{bad}");
        }
        assert!(Port::udp(0).check().is_err());
        assert!(Probe::http_get("/healthz", 8080).period(5).check(ProbeKind::Liveness).is_ok());
        assert!(Probe::http_get("healthz", 8080).check(ProbeKind::Liveness).unwrap_err().contains("start with `/`"));
        let header = Probe::new(Action::http_get("/", 1).header("X Bad", "v"));
        assert!(header.check(ProbeKind::Readiness).unwrap_err().contains("HTTP header name"));
        assert!(Probe::exec(Vec::<String>::new()).check(ProbeKind::Startup).unwrap_err().contains("no command"));
        assert!(Probe::tcp_socket(5432).success_threshold(2).check(ProbeKind::Readiness).is_ok());
        assert!(Probe::tcp_socket(5432).success_threshold(2).check(ProbeKind::Liveness).unwrap_err().contains("be 1"));
        assert!(Probe::grpc(9000, None).period(0).check(ProbeKind::Startup).unwrap_err().contains("at least 1"));
        assert!(HookKind::PreStop.check(&Action::exec(["sleep", "5"])).is_ok());
        assert!(HookKind::PostStart.check(&Action::TcpSocket(80)).unwrap_err().contains("for probes"));
    }
}
