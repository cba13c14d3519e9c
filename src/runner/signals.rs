//! SIGINT and SIGTERM during a run: the runner notes them (it does not die), forwards them to its
//! running steps, waits for them and reports the run as interrupted. Outside a run the signals keep
//! their default action (terminate).
//!
//! `unsafe` is forbidden in this workspace: signal-hook installs the handler (a flag store, the only
//! thing a handler may safely do) and rustix sends signals to children.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// SIGTERM's number.
pub(super) const SIGTERM: i32 = 15;
/// SIGINT's number.
pub(super) const SIGINT: i32 = 2;

struct Handler {
    /// The last signal received during a run, 0 for none.
    received: Arc<AtomicUsize>,
    /// True while no run is active: the signals then terminate the process as by default.
    idle: Arc<AtomicBool>,
    /// Runs active in this process.
    active: Mutex<usize>,
}

fn handler() -> &'static Handler {
    static HANDLER: OnceLock<Handler> = OnceLock::new();
    HANDLER.get_or_init(|| {
        let h = Handler {
            received: Arc::new(AtomicUsize::new(0)),
            idle: Arc::new(AtomicBool::new(true)),
            active: Mutex::new(0),
        };
        #[cfg(unix)]
        for sig in [SIGINT, SIGTERM] {
            // Failing to install leaves the default action: the run can still be killed.
            let _ = signal_hook::flag::register_usize(sig, Arc::clone(&h.received), sig as usize);
            let _ = signal_hook::flag::register_conditional_default(sig, Arc::clone(&h.idle));
        }
        h
    })
}

/// While alive, SIGINT and SIGTERM are caught for the run instead of terminating the process.
pub(super) struct Guard(());

/// Starts catching SIGINT and SIGTERM for a run.
pub(super) fn catch() -> Guard {
    let h = handler();
    let mut active = h.active.lock().unwrap_or_else(|e| e.into_inner());
    if *active == 0 {
        h.received.store(0, Ordering::SeqCst);
    }
    *active += 1;
    h.idle.store(false, Ordering::SeqCst);
    Guard(())
}

impl Drop for Guard {
    fn drop(&mut self) {
        let h = handler();
        let mut active = h.active.lock().unwrap_or_else(|e| e.into_inner());
        *active -= 1;
        if *active == 0 {
            h.idle.store(true, Ordering::SeqCst);
        }
    }
}

/// The signal received since the last call, if any.
pub(super) fn take() -> Option<i32> {
    let sig = handler().received.swap(0, Ordering::SeqCst);
    (sig != 0).then(|| i32::try_from(sig).unwrap_or(SIGTERM))
}

/// Sends `sig` to a step's process (errors mean it has already exited).
pub(super) fn send(child: &std::process::Child, sig: i32) {
    #[cfg(unix)]
    {
        use rustix::process::{Pid, Signal, kill_process};
        let signal = if sig == SIGINT { Signal::INT } else { Signal::TERM };
        let _ = kill_process(Pid::from_child(child), signal);
    }
    #[cfg(not(unix))]
    {
        let _ = (child, sig);
    }
}

/// `SIGINT`, `SIGTERM`.
pub(super) fn name(sig: i32) -> String {
    match sig {
        SIGINT => "interrupted by SIGINT".to_owned(),
        SIGTERM => "interrupted by SIGTERM".to_owned(),
        n => format!("interrupted by signal {n}"),
    }
}
