//! The main container's network surface and health on a task: ports, liveness / readiness /
//! startup probes and lifecycle hooks. Each is checked where it is set.

use crate::dag::Task;
use crate::error::SourceLocation;
use crate::model::{Action, HookKind, Port, Probe, ProbeKind};

impl<O: Copy> Task<'_, O> {
    /// Declares a port the main container listens on (`Port::tcp(8080).named("metrics")`).
    #[track_caller]
    pub fn port(self, port: Port) -> Self {
        self.set(SourceLocation::caller(), |s| {
            port.check()?;
            if s.ports.iter().any(|p| p.number == port.number && p.protocol == port.protocol) {
                return Err(format!("port {} ({}) is declared twice", port.number, port.protocol.as_str()));
            }
            if let Some(name) = port.name.as_ref().filter(|n| s.ports.iter().any(|p| p.name.as_ref() == Some(n))) {
                return Err(format!("port name `{name}` is used twice"));
            }
            s.ports.push(port);
            Ok(())
        })
    }

    fn probe(self, kind: ProbeKind, probe: Probe, location: SourceLocation) -> Self {
        self.set(location, |s| {
            probe.check(kind)?;
            s.probes.insert(kind, probe);
            Ok(())
        })
    }

    /// Fails the step when `probe` fails (a workflow's pods are never restarted): for a step that can
    /// hang (`Probe::http_get("/healthz", 8080).period(10).failure_threshold(3)`).
    #[track_caller]
    pub fn liveness_probe(self, probe: Probe) -> Self {
        self.probe(ProbeKind::Liveness, probe, SourceLocation::caller())
    }

    /// Marks the pod ready only while `probe` succeeds (for a step others reach over the network).
    #[track_caller]
    pub fn readiness_probe(self, probe: Probe) -> Self {
        self.probe(ProbeKind::Readiness, probe, SourceLocation::caller())
    }

    /// Holds the other probes back until `probe` succeeds once (a slow start).
    #[track_caller]
    pub fn startup_probe(self, probe: Probe) -> Self {
        self.probe(ProbeKind::Startup, probe, SourceLocation::caller())
    }

    fn hook(self, kind: HookKind, action: Action, location: SourceLocation) -> Self {
        self.set(location, |s| {
            kind.check(&action)?;
            s.hooks.insert(kind, action);
            Ok(())
        })
    }

    /// Runs `action` (`Action::exec(..)` or `Action::http_get(..)`) right after the main container
    /// starts, beside its command (`lifecycle.postStart`).
    #[track_caller]
    pub fn post_start(self, action: Action) -> Self {
        self.hook(HookKind::PostStart, action, SourceLocation::caller())
    }

    /// Runs `action` before the main container is stopped (deleted, preempted, timed out; not when it
    /// exits by itself) (`lifecycle.preStop`).
    #[track_caller]
    pub fn pre_stop(self, action: Action) -> Self {
        self.hook(HookKind::PreStop, action, SourceLocation::caller())
    }
}
