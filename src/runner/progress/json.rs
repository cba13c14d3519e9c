//! The JSON renderer: one object per line per event, for tools (the schema is in the module above).

use std::io::Write;
use std::time::Duration;

use serde_json::{Value, json};

use super::{Event, Progress, outcome, status_word};

/// One JSON object per line per event (see [the schema](super#the-json-events)).
#[derive(Debug)]
pub struct Json<W: Write> {
    out: W,
}

impl<W: Write> Json<W> {
    /// Writes the lines to `out`.
    pub fn new(out: W) -> Self {
        Json { out }
    }

    /// The writer, back.
    pub fn into_inner(self) -> W {
        self.out
    }
}

/// `event` as a JSON object, `at` seconds into the run.
fn object(at: Duration, event: &Event<'_>) -> Value {
    let at = at.as_secs_f64();
    match event {
        Event::StepStarted { step, attempt } => {
            json!({"event": "step_started", "at": at, "step": step, "attempt": attempt})
        }
        Event::StepRetrying { step, attempt, wait, error } => json!({
            "event": "step_retrying", "at": at, "step": step, "attempt": attempt,
            "wait": wait.as_secs_f64(), "error": error,
        }),
        Event::StepFinished(s) => json!({
            "event": "step_finished", "at": at, "step": s.path, "status": status_word(s.status),
            "duration": s.duration.as_secs_f64(), "attempts": s.attempts, "exit_code": s.exit_code,
            "error": s.error, "log": s.log, "outputs": s.outputs,
        }),
        Event::Note(message) => json!({"event": "note", "at": at, "message": message}),
        Event::RunFinished(r) => json!({
            "event": "run_finished", "at": at, "outcome": outcome(r).0, "signal": r.interrupted_by,
            "duration": r.duration.as_secs_f64(), "workdir": r.workdir, "steps": r.steps.len(),
            "outputs": r.outputs, "artifacts": r.artifacts,
        }),
    }
}

/// `object` as one line, `event` and `at` first (for people reading it; the rest by name).
fn line(mut object: Value) -> String {
    let Some(map) = object.as_object_mut() else { return object.to_string() };
    let (event, at) = (map.remove("event").unwrap_or_default(), map.remove("at").unwrap_or_default());
    let rest = object.to_string();
    let rest = rest.strip_prefix('{').unwrap_or(&rest);
    let sep = if rest == "}" { "" } else { "," };
    format!("{{\"event\":{event},\"at\":{at}{sep}{rest}")
}

impl<W: Write> Progress for Json<W> {
    fn event(&mut self, at: Duration, event: &Event<'_>) {
        // Best effort: a reader that went away must not stop the run.
        let _ = writeln!(self.out, "{}", line(object(at, event))).and_then(|()| self.out.flush());
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{failed_fetch, report, step};
    use super::*;
    use crate::runner::Status;

    #[test]
    fn every_line_parses_and_carries_its_fields() {
        let mut j = Json::new(Vec::new());
        let train = step("train", Status::Succeeded, 12.3);
        let fetch = failed_fetch();
        j.event(Duration::from_millis(1234), &Event::StepStarted { step: "train", attempt: 1 });
        j.event(Duration::from_millis(1500), &Event::Note("SIGINT: stopping"));
        j.event(Duration::from_millis(1700), &Event::StepFinished(&fetch));
        j.event(Duration::from_millis(13_500), &Event::StepFinished(&train));
        j.event(Duration::from_millis(13_600), &Event::RunFinished(&report(vec![fetch.clone(), train.clone()], false)));
        let text = String::from_utf8(j.into_inner()).unwrap();
        assert!(text.starts_with("{\"event\":\"step_started\",\"at\":1.234,\"attempt\":1,"), "{text}");
        assert_eq!(line(json!({"event": "note", "at": 1.0})), "{\"event\":\"note\",\"at\":1.0}");
        let events: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(events.len(), 5, "{text}");
        assert_eq!(events[0], json!({"event": "step_started", "at": 1.234, "step": "train", "attempt": 1}));
        assert_eq!(events[1]["message"], "SIGINT: stopping");
        let f = &events[2];
        assert_eq!(
            (f["event"].as_str(), f["step"].as_str(), f["status"].as_str()),
            (Some("step_finished"), Some("fetch"), Some("failed"))
        );
        assert_eq!((f["exit_code"].as_i64(), f["attempts"].as_u64()), (Some(1), Some(2)));
        assert_eq!(f["log"], "runs/x/fetch/log.txt");
        assert!(f["error"].as_str().unwrap().contains("no network"));
        assert!((f["duration"].as_f64().unwrap() - 0.4).abs() < 1e-9);
        assert_eq!((events[3]["status"].as_str(), events[3]["exit_code"].is_null()), (Some("succeeded"), true));
        let end = &events[4];
        assert_eq!(end["event"], "run_finished");
        assert_eq!((end["outcome"].as_str(), end["steps"].as_u64()), (Some("failed"), Some(2)));
        assert_eq!(end["outputs"], json!({"output": "0.97"}));
        assert_eq!((end["workdir"].as_str(), end["signal"].is_null()), (Some("runs/x"), true));
    }
}
