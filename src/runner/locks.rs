//! Mutexes within one local run: a step whose template holds a mutex (Argo `synchronization`)
//! starts only while no other running step of the run holds it. Semaphores are not honoured (their
//! limit is a key of a config map in the cluster), nor are the workflow's own locks (a local run is
//! one run: there is no other run to wait for).

use std::collections::BTreeSet;

use kfp_compiler::argo::Template;

/// The mutexes a step's template holds, in either of Argo's shapes.
fn mutexes(t: &Template) -> impl Iterator<Item = &str> {
    t.synchronization.iter().flat_map(|s| s.mutex.iter().chain(&s.mutexes)).map(|m| m.name.as_str())
}

/// The mutexes running steps hold.
#[derive(Debug, Default)]
pub(super) struct Held(BTreeSet<String>);

impl Held {
    /// Whether every mutex of `t` is free.
    pub(super) fn free(&self, t: &Template) -> bool {
        mutexes(t).all(|m| !self.0.contains(m))
    }

    /// `t`'s step started: it holds its mutexes.
    pub(super) fn take(&mut self, t: &Template) {
        self.0.extend(mutexes(t).map(str::to_owned));
    }

    /// `t`'s step ended: its mutexes are free.
    pub(super) fn release(&mut self, t: &Template) {
        for m in mutexes(t) {
            self.0.remove(m);
        }
    }
}
