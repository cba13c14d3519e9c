//! What a run shows while it runs: the engine emits [`Event`]s to a [`Progress`] sink and formats no
//! text; three renderers turn them into output.
//!
//! - [`Terminal`]: a live view for a terminal: a line per running step with a spinner and its elapsed
//!   time, redrawn in place, and each finished step scrolling above it as one line.
//! - [`Plain`]: one line per event (`[   1.2s] train: started`), for logs and pipes.
//! - [`Json`]: one JSON object per line per event, for tools.
//!
//! Steps' own output never reaches these: it goes to each step's `log.txt` in the run directory.
//!
//! # The JSON events
//!
//! Every line is one object with `event` (its kind) and `at` (seconds since the run started):
//!
//! | `event` | other fields |
//! | --- | --- |
//! | `step_started` | `step` (its path, `for-loop-1(2)/train`), `attempt` (1, then 2... on retries) |
//! | `step_retrying` | `step`, `attempt` (the one that failed), `wait` (seconds before the next), `error` |
//! | `step_finished` | `step`, `status` (`succeeded`, `failed`, `skipped`, `omitted`, `interrupted`), `duration` (seconds), `attempts`, `exit_code` (number or null), `error` (string or null), `log` (path or null), `outputs` (name → value) |
//! | `note` | `message`: something the runner says (a setting it does not apply, a signal received) |
//! | `run_finished` | `outcome` (`succeeded`, `failed`, `interrupted`), `signal` (2, 15 or null), `duration`, `workdir`, `steps` (how many), `outputs` (name → value), `artifacts` (name → path) |
//!
//! `run_finished` is the last line. A step that never starts (skipped, omitted, failed before it
//! could start) has a `step_finished` and no `step_started`.

mod json;
mod plain;
mod term;

use std::cell::{Cell, RefCell};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

pub use json::Json;
pub use plain::Plain;
pub use term::Terminal;

use super::{RunReport, Status, StepReport};

/// Something that happened during a run.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Event<'a> {
    /// A step's command (or pause, approval, child workflow) started.
    StepStarted {
        /// The step's path.
        step: &'a str,
        /// Which attempt: 1, then 2... after retries.
        attempt: u32,
    },
    /// An attempt failed and the step will be tried again.
    StepRetrying {
        /// The step's path.
        step: &'a str,
        /// The attempt that failed.
        attempt: u32,
        /// How long before the next attempt.
        wait: Duration,
        /// Why it failed.
        error: &'a str,
    },
    /// A step ended (or was decided without running: skipped, omitted, interrupted).
    StepFinished(&'a StepReport),
    /// Something the runner says that is not a step's end.
    Note(&'a str),
    /// The run ended; always the last event.
    RunFinished(&'a RunReport),
}

/// Where a run's events go.
pub trait Progress {
    /// Shows `event`, which happened `at` after the run started.
    fn event(&mut self, at: Duration, event: &Event<'_>);

    /// Called often while steps run (`at` after the start): a live view redraws itself.
    fn tick(&mut self, at: Duration) {
        let _ = at;
    }

    /// Takes any live view off the screen before something else writes to the terminal (an
    /// approval's question); the next event or tick draws it again.
    fn clear(&mut self) {}
}

/// The renderer for this process's stderr: [`Terminal`] when stderr is a terminal and `TERM` is not
/// `dumb` (in colour unless `NO_COLOR` is set), otherwise [`Plain`].
pub fn for_stderr() -> Box<dyn Progress> {
    let stderr = std::io::stderr();
    let dumb = std::env::var_os("TERM").is_some_and(|t| t == "dumb");
    if stderr.is_terminal() && !dumb {
        let live = Terminal::new(stderr, term::stderr_width());
        // https://no-color.org: set and not empty.
        match std::env::var_os("NO_COLOR").filter(|v| !v.is_empty()) {
            Some(_) => Box::new(live.without_colour()),
            None => Box::new(live),
        }
    } else {
        Box::new(Plain::new(stderr))
    }
}

/// How the engine reaches the sink: the run's clock, shared by the engines of a split pipeline's
/// child workflows.
pub(in crate::runner) struct Emitter<'p> {
    start: Instant,
    sink: RefCell<&'p mut (dyn Progress + 'p)>,
    last_tick: Cell<Instant>,
}

/// How often a live view is redrawn.
const TICK: Duration = Duration::from_millis(80);

impl<'p> Emitter<'p> {
    pub(in crate::runner) fn new(sink: &'p mut (dyn Progress + 'p)) -> Self {
        let now = Instant::now();
        Emitter { start: now, sink: RefCell::new(sink), last_tick: Cell::new(now) }
    }

    /// Time since the run started.
    pub(in crate::runner) fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    pub(in crate::runner) fn emit(&self, event: &Event<'_>) {
        self.sink.borrow_mut().event(self.elapsed(), event);
    }

    /// Lets a live view redraw, at most every [`TICK`].
    pub(in crate::runner) fn tick(&self) {
        let now = Instant::now();
        if now.duration_since(self.last_tick.get()) >= TICK {
            self.last_tick.set(now);
            self.sink.borrow_mut().tick(self.elapsed());
        }
    }

    pub(in crate::runner) fn clear(&self) {
        self.sink.borrow_mut().clear();
    }
}

/// `succeeded`, `failed`, ...: a status as events name it.
fn status_word(s: Status) -> &'static str {
    match s {
        Status::Succeeded => "succeeded",
        Status::Failed => "failed",
        Status::Skipped => "skipped",
        Status::Omitted => "omitted",
        Status::Interrupted => "interrupted",
    }
}

/// How a run ended, and the words for it: `succeeded`, `failed`, `interrupted by SIGINT`.
fn outcome(r: &RunReport) -> (&'static str, String) {
    match r.interrupted_by {
        Some(sig) => ("interrupted", super::signals::name(sig)),
        None if r.succeeded => ("succeeded", "succeeded".to_owned()),
        None => ("failed", "failed".to_owned()),
    }
}

/// The first line of a step's error.
fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or_default()
}

/// Seconds with one decimal: `12.3s`.
fn secs(d: Duration) -> String {
    format!("{:.1}s", d.as_secs_f64())
}

#[cfg(test)]
pub(super) mod fixtures {
    //! Reports for the renderers' tests.
    use std::collections::BTreeMap;
    use std::path::PathBuf;
    use std::time::Duration;

    use super::super::{RunReport, Status, StepReport};

    pub(in crate::runner) fn step(path: &str, status: Status, secs: f64) -> StepReport {
        let mut s = StepReport::new(path, status, None);
        s.duration = Duration::from_secs_f64(secs);
        s.attempts = u32::from(matches!(status, Status::Succeeded | Status::Failed));
        s
    }

    pub(in crate::runner) fn failed_fetch() -> StepReport {
        let mut s = step("fetch", Status::Failed, 0.4);
        s.exit_code = Some(1);
        s.attempts = 2;
        s.log = Some(PathBuf::from("runs/x/fetch/log.txt"));
        s.error = Some("exited with exit status: 1: no network (log: runs/x/fetch/log.txt)".to_owned());
        s
    }

    pub(in crate::runner) fn report(steps: Vec<StepReport>, succeeded: bool) -> RunReport {
        RunReport {
            succeeded,
            workdir: PathBuf::from("runs/x"),
            steps,
            interrupted_by: None,
            outputs: BTreeMap::from([("output".to_owned(), "0.97".to_owned())]),
            artifacts: BTreeMap::new(),
            duration: Duration::from_secs_f64(13.5),
        }
    }
}
