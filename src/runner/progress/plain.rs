//! The plain renderer: one line per event, with the time since the run started, for logs and pipes.

use std::io::Write;
use std::time::Duration;

use super::{Event, Progress, first_line, outcome, secs, status_word};
use crate::runner::Status;

/// One line per event: `[   1.2s] train: started`, `[  13.5s] train: succeeded in 12.3s`.
#[derive(Debug)]
pub struct Plain<W: Write> {
    out: W,
}

impl<W: Write> Plain<W> {
    /// Writes the lines to `out`.
    pub fn new(out: W) -> Self {
        Plain { out }
    }

    /// The writer, back.
    pub fn into_inner(self) -> W {
        self.out
    }
}

impl<W: Write> Progress for Plain<W> {
    fn event(&mut self, at: Duration, event: &Event<'_>) {
        let text = match event {
            Event::StepStarted { step, attempt: 1 } => format!("{step}: started"),
            Event::StepStarted { step, attempt } => format!("{step}: started (attempt {attempt})"),
            Event::StepRetrying { step, attempt, wait, error } => {
                format!("{step}: attempt {attempt} failed, retrying in {}: {}", secs(*wait), first_line(error))
            }
            Event::StepFinished(s) => {
                let mut line = format!("{}: {}", s.path, status_word(s.status));
                if matches!(s.status, Status::Succeeded | Status::Failed) {
                    line.push_str(&format!(" in {}", secs(s.duration)));
                }
                if let Some(e) = &s.error {
                    line.push_str(&format!(": {}", first_line(e)));
                }
                line
            }
            Event::Note(text) => (*text).to_owned(),
            Event::RunFinished(r) => format!("run {} in {}", outcome(r).1, secs(r.duration)),
        };
        // Progress lines are best effort: a closed stderr must not stop the run.
        let _ = writeln!(self.out, "[{:>6.1}s] {text}", at.as_secs_f64()).and_then(|()| self.out.flush());
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{failed_fetch, report, step};
    use super::*;

    #[test]
    fn one_line_per_event_with_the_time() {
        let mut p = Plain::new(Vec::new());
        let train = step("train", Status::Succeeded, 12.3);
        let skipped = step("condition-2", Status::Skipped, 0.0);
        let fetch = failed_fetch();
        p.event(Duration::from_millis(1200), &Event::StepStarted { step: "train", attempt: 1 });
        p.event(Duration::from_millis(1300), &Event::StepStarted { step: "fetch", attempt: 2 });
        p.event(
            Duration::from_millis(1400),
            &Event::StepRetrying { step: "fetch", attempt: 1, wait: Duration::from_secs(1), error: "boom\nmore" },
        );
        p.event(Duration::from_millis(1700), &Event::StepFinished(&fetch));
        p.event(Duration::from_millis(2000), &Event::StepFinished(&skipped));
        p.event(Duration::from_millis(13_500), &Event::StepFinished(&train));
        p.event(Duration::from_millis(13_600), &Event::RunFinished(&report(vec![train.clone()], true)));
        let text = String::from_utf8(p.into_inner()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                "[   1.2s] train: started",
                "[   1.3s] fetch: started (attempt 2)",
                "[   1.4s] fetch: attempt 1 failed, retrying in 1.0s: boom",
                "[   1.7s] fetch: failed in 0.4s: exited with exit status: 1: no network (log: runs/x/fetch/log.txt)",
                "[   2.0s] condition-2: skipped",
                "[  13.5s] train: succeeded in 12.3s",
                "[  13.6s] run succeeded in 13.5s",
            ]
        );
    }
}
