//! Live progress of a run on the server, one line per change: the run's state, each step as it
//! starts and ends (with how long it ran), the time since the wait began; then a summary.

use std::collections::HashMap;
use std::io::Write;
use std::time::Instant;

use crate::client::{RunStatus, State};

/// Prints what changed since the last status it saw.
pub(crate) struct Progress<'a> {
    out: &'a mut dyn Write,
    start: Instant,
    run_state: Option<State>,
    steps: HashMap<String, (State, Instant)>,
}

impl<'a> Progress<'a> {
    pub(crate) fn new(out: &'a mut dyn Write) -> Self {
        Progress { out, start: Instant::now(), run_state: None, steps: HashMap::new() }
    }

    fn line(&mut self, text: &str) {
        let secs = self.start.elapsed().as_secs_f64();
        // Progress is best effort: a closed stdout must not stop the wait.
        let _ = writeln!(self.out, "[{secs:7.1}s] {text}").and_then(|()| self.out.flush());
    }

    /// Prints the changes in `run`.
    pub(crate) fn update(&mut self, run: &RunStatus) {
        if self.run_state.as_ref() != Some(&run.state) && !run.state.is_done() {
            self.line(&format!("run {}: {}", run.id, run.state));
            self.run_state = Some(run.state.clone());
        }
        for step in &run.steps {
            let now = Instant::now();
            let before = self.steps.get(&step.name).cloned();
            if before.as_ref().map(|(s, _)| s) == Some(&step.state) {
                continue;
            }
            let took = match (&before, step.state.is_done()) {
                (_, true) => match duration(step.started_at.as_deref(), step.finished_at.as_deref()) {
                    Some(secs) => format!(" in {secs:.1} s"),
                    None => before
                        .as_ref()
                        .map(|(_, since)| format!(" in {:.1} s", (now - *since).as_secs_f64()))
                        .unwrap_or_default(),
                },
                _ => String::new(),
            };
            let why = match (&step.state, &step.message) {
                (State::Failed | State::Error, Some(m)) => format!(": {m}"),
                _ => String::new(),
            };
            self.line(&format!("{}: {}{took}{why}", step.name, step.state));
            let since = before.map_or(now, |(_, t)| t);
            self.steps.insert(step.name.clone(), (step.state.clone(), since));
        }
        if run.state.is_done() && self.run_state.as_ref() != Some(&run.state) {
            let count = |f: fn(&State) -> bool| run.steps.iter().filter(|s| f(&s.state)).count();
            let ok = count(|s| matches!(s, State::Succeeded));
            let failed = count(|s| matches!(s, State::Failed | State::Error));
            let skipped = count(|s| matches!(s, State::Skipped));
            let why = run.message.as_deref().map(|m| format!(": {m}")).unwrap_or_default();
            self.line(&format!(
                "run {}: {} ({ok} steps succeeded, {failed} failed, {skipped} skipped){why}",
                run.id, run.state
            ));
            self.run_state = Some(run.state.clone());
        }
    }
}

/// Seconds between two RFC 3339 times in UTC (`2026-12-02T04:50:00Z`, fractions allowed).
fn duration(start: Option<&str>, end: Option<&str>) -> Option<f64> {
    Some(epoch(end?)? - epoch(start?)?).filter(|d| *d >= 0.0)
}

fn epoch(t: &str) -> Option<f64> {
    let t = t.strip_suffix('Z')?;
    let (date, time) = t.split_once('T')?;
    let mut d = date.splitn(3, '-').map(str::parse::<i64>);
    let (y, m, day) = (d.next()?.ok()?, d.next()?.ok()?, d.next()?.ok()?);
    let mut c = time.splitn(3, ':');
    let (h, min, s) = (c.next()?.parse::<f64>().ok()?, c.next()?.parse::<f64>().ok()?, c.next()?.parse::<f64>().ok()?);
    // Days from 1970-01-01 (Howard Hinnant's days_from_civil).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(days as f64 * 86_400.0 + h * 3600.0 + min * 60.0 + s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::client::Step;

    #[test]
    fn times_from_the_server_give_a_steps_duration() {
        assert_eq!(duration(Some("2026-12-02T04:50:00Z"), Some("2026-12-02T04:51:02.5Z")), Some(62.5));
        assert_eq!(duration(Some("2024-02-28T23:59:59Z"), Some("2024-03-01T00:00:00Z")), Some(86_401.0));
        assert_eq!(duration(Some("garbage"), Some("2026-12-02T04:51:02Z")), None);
    }

    #[test]
    fn each_change_is_one_line_and_the_end_is_a_summary() {
        let mut out = Vec::new();
        let mut p = Progress::new(&mut out);
        let mut run = RunStatus::new("r1", "linear", State::Running);
        run.steps.push(Step::new("fetch", State::Running));
        p.update(&run);
        p.update(&run);
        let mut done = Step::new("fetch", State::Succeeded);
        done.started_at = Some("2026-12-02T04:50:00Z".into());
        done.finished_at = Some("2026-12-02T04:50:03Z".into());
        let mut failed = Step::new("train", State::Failed);
        failed.message = Some("OOMKilled".into());
        run.steps = vec![done, failed];
        run.state = State::Failed;
        p.update(&run);
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().map(|l| l.split_once("] ").unwrap().1).collect();
        assert_eq!(
            lines,
            [
                "run r1: running",
                "fetch: running",
                "fetch: succeeded in 3.0 s",
                "train: failed: OOMKilled",
                "run r1: failed (1 steps succeeded, 1 failed, 0 skipped)"
            ]
        );
    }
}
