//! The terminal renderer: a live line per running step (spinner, elapsed time) redrawn in place, each
//! finished step scrolling above as one line.
//!
//! It writes three ANSI sequences itself (cursor up `ESC[nA`, carriage return, clear to the end of
//! the screen `ESC[J`) and colours, rather than pull in a terminal crate. It never hides the cursor,
//! so nothing is left to restore if the process dies; on drop (and at the run's end, and on SIGINT,
//! which the runner turns into events) it takes the live lines off the screen.

use std::io::Write;
use std::time::Duration;

use super::{Event, Progress, first_line, outcome, secs};
use crate::runner::{Status, StepReport};

/// The spinner's frames, one per 100ms.
const SPINNER: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/// At most this many running steps get a live line; the rest are counted on one more.
const MAX_LIVE: usize = 8;

const GREEN: &str = "\x1b[32m";
const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const CYAN: &str = "\x1b[36m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// The live view for a terminal.
#[derive(Debug)]
pub struct Terminal<W: Write> {
    out: W,
    width: usize,
    colour: bool,
    running: Vec<Running>,
    /// How many live lines are on the screen now.
    drawn: usize,
    /// The live lines on the screen now: a tick that would draw the same does nothing.
    shown: String,
}

#[derive(Debug)]
struct Running {
    step: String,
    since: Duration,
    attempt: u32,
}

/// A line: a mark (in a colour) and its text.
struct Line {
    mark: char,
    colour: &'static str,
    text: String,
}

impl<W: Write> Terminal<W> {
    /// Draws on `out`, a terminal `width` columns wide (lines are cut to fit, so redrawing in place
    /// stays exact), in colour.
    pub fn new(out: W, width: usize) -> Self {
        Terminal { out, width: width.max(20), colour: true, running: Vec::new(), drawn: 0, shown: String::new() }
    }

    /// Writes no colour codes (for `NO_COLOR`); the live lines stay.
    #[must_use]
    pub fn without_colour(mut self) -> Self {
        self.colour = false;
        self
    }

    fn paint(&self, line: &Line) -> String {
        // Cut to the width: a wrapped line would make the cursor-up count wrong.
        let text: String = line.text.chars().take(self.width.saturating_sub(3)).collect();
        if self.colour {
            format!("{}{}{RESET} {text}", line.colour, line.mark)
        } else {
            format!("{} {text}", line.mark)
        }
    }

    /// The escape codes that take the live lines off the screen.
    fn erase(&mut self, buf: &mut String) {
        if self.drawn > 0 {
            buf.push_str(&format!("\x1b[{}A\r\x1b[J", self.drawn));
            self.drawn = 0;
        }
    }

    /// Redraws: the live lines go, `scrolled` is printed for good, the live lines come back.
    fn frame(&mut self, at: Duration, scrolled: Option<Line>) {
        let live = self.live(at);
        if scrolled.is_none() && self.drawn > 0 && live.concat() == self.shown {
            return;
        }
        let mut buf = String::new();
        self.erase(&mut buf);
        if let Some(line) = scrolled {
            buf.push_str(&self.paint(&line));
            buf.push('\n');
        }
        for l in &live {
            buf.push_str(l);
            buf.push('\n');
        }
        self.drawn = live.len();
        self.shown = live.concat();
        // Best effort: a closed terminal must not stop the run.
        let _ = self.out.write_all(buf.as_bytes()).and_then(|()| self.out.flush());
    }

    /// The live lines at `at`.
    fn live(&self, at: Duration) -> Vec<String> {
        let spin = SPINNER[(at.as_millis() / 100) as usize % SPINNER.len()];
        let mut lines: Vec<String> = Vec::new();
        for r in self.running.iter().take(MAX_LIVE) {
            let mut text = format!("{}  {}", r.step, secs(at.saturating_sub(r.since)));
            if r.attempt > 1 {
                text.push_str(&format!("  (attempt {})", r.attempt));
            }
            lines.push(self.paint(&Line { mark: spin, colour: CYAN, text }));
        }
        if self.running.len() > MAX_LIVE {
            let more = format!("… and {} more running", self.running.len() - MAX_LIVE);
            lines.push(self.paint(&Line { mark: ' ', colour: DIM, text: more }));
        }
        lines
    }

    fn stop_showing(&mut self, step: &str) {
        self.running.retain(|r| r.step != step);
    }
}

/// The line of a finished step: `✓ train  12.3s`, `✗ fetch  0.4s  exit code 1  log: ...`.
fn finished(s: &StepReport) -> Line {
    let error = s.error.as_deref().map(first_line);
    let (mark, colour, detail) = match s.status {
        Status::Succeeded => ('✓', GREEN, String::new()),
        Status::Failed => {
            let why = match (s.exit_code, &s.log) {
                (Some(code), Some(log)) => format!("exit code {code}  log: {}", log.display()),
                (Some(code), None) => format!("exit code {code}"),
                _ => error.unwrap_or_default().to_owned(),
            };
            ('✗', RED, why)
        }
        Status::Skipped => ('-', DIM, "skipped".to_owned()),
        Status::Omitted => ('·', DIM, error.unwrap_or("omitted").to_owned()),
        Status::Interrupted => ('!', YELLOW, error.unwrap_or("interrupted").to_owned()),
    };
    let mut text = s.path.clone();
    if s.attempts > 0 {
        text.push_str(&format!("  {}", secs(s.duration)));
    }
    if s.attempts > 1 {
        text.push_str(&format!("  ({} attempts)", s.attempts));
    }
    if !detail.is_empty() {
        text.push_str(&format!("  {detail}"));
    }
    Line { mark, colour, text }
}

impl<W: Write> Progress for Terminal<W> {
    fn event(&mut self, at: Duration, event: &Event<'_>) {
        let line = match event {
            Event::StepStarted { step, attempt } => {
                self.stop_showing(step);
                self.running.push(Running { step: (*step).to_owned(), since: at, attempt: *attempt });
                None
            }
            Event::StepRetrying { step, attempt, wait, error } => {
                self.stop_showing(step);
                let text =
                    format!("{step}  attempt {attempt} failed, retrying in {}: {}", secs(*wait), first_line(error));
                Some(Line { mark: '↻', colour: YELLOW, text })
            }
            Event::StepFinished(s) => {
                self.stop_showing(&s.path);
                Some(finished(s))
            }
            Event::Note(text) => Some(Line { mark: '·', colour: DIM, text: (*text).to_owned() }),
            Event::RunFinished(r) => {
                self.running.clear();
                let (word, words) = outcome(r);
                let (mark, colour) = match word {
                    "succeeded" => ('✓', GREEN),
                    "failed" => ('✗', RED),
                    _ => ('!', YELLOW),
                };
                Some(Line { mark, colour, text: format!("run {words} in {}", secs(r.duration)) })
            }
        };
        self.frame(at, line);
    }

    fn tick(&mut self, at: Duration) {
        if !self.running.is_empty() {
            self.frame(at, None);
        }
    }

    fn clear(&mut self) {
        let mut buf = String::new();
        self.erase(&mut buf);
        let _ = self.out.write_all(buf.as_bytes()).and_then(|()| self.out.flush());
    }
}

impl<W: Write> Drop for Terminal<W> {
    fn drop(&mut self) {
        self.clear();
    }
}

/// The width of the terminal on stderr, or 80 when it cannot be read.
pub(super) fn stderr_width() -> usize {
    #[cfg(unix)]
    if let Ok(size) = rustix::termios::tcgetwinsize(std::io::stderr())
        && size.ws_col > 0
    {
        return usize::from(size.ws_col);
    }
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).unwrap_or(80)
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;
    use std::rc::Rc;

    use super::super::fixtures::{failed_fetch, report, step};
    use super::*;

    /// A terminal that keeps each frame (one write each).
    #[derive(Clone, Default)]
    struct Screen(Rc<RefCell<Vec<String>>>);

    impl Write for Screen {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.borrow_mut().push(String::from_utf8(buf.to_vec()).unwrap());
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn live_lines_redraw_in_place_and_finished_steps_scroll_above() {
        let screen = Screen::default();
        let frames = Rc::clone(&screen.0);
        let last = || frames.borrow().last().cloned().unwrap();
        let mut t = Terminal::new(screen, 80).without_colour();
        t.event(ms(1000), &Event::StepStarted { step: "train", attempt: 1 });
        assert_eq!(last(), "⠋ train  0.0s\n", "a first frame: nothing to erase");
        t.event(ms(1100), &Event::StepStarted { step: "fetch", attempt: 2 });
        // One line up, then both live lines: the spinner moved on.
        assert_eq!(last(), "\x1b[1A\r\x1b[J⠙ train  0.1s\n⠙ fetch  0.0s  (attempt 2)\n");
        t.tick(ms(3460));
        assert_eq!(last(), "\x1b[2A\r\x1b[J⠼ train  2.5s\n⠼ fetch  2.4s  (attempt 2)\n");
        let fetch = failed_fetch();
        t.event(ms(3500), &Event::StepFinished(&fetch));
        assert_eq!(
            last(),
            "\x1b[2A\r\x1b[J✗ fetch  0.4s  (2 attempts)  exit code 1  log: runs/x/fetch/log.txt\n⠴ train  2.5s\n",
            "the finished step scrolls above the one still running"
        );
        let train = step("train", Status::Succeeded, 12.3);
        t.event(ms(13_300), &Event::StepFinished(&train));
        assert_eq!(last(), "\x1b[1A\r\x1b[J✓ train  12.3s\n");
        let frames_before = frames.borrow().len();
        t.tick(ms(13_400));
        assert_eq!(frames.borrow().len(), frames_before, "nothing running: nothing to redraw");
        t.event(ms(13_400), &Event::StepStarted { step: "eval", attempt: 1 });
        assert_eq!(last(), "⠼ eval  0.0s\n");
        let frames_before = frames.borrow().len();
        t.tick(ms(13_440));
        assert_eq!(frames.borrow().len(), frames_before, "the same live lines are not drawn again");
        t.tick(ms(13_520));
        assert_eq!(last(), "\x1b[1A\r\x1b[J⠴ eval  0.1s\n");
        t.event(ms(13_530), &Event::StepFinished(&step("eval", Status::Succeeded, 0.13)));
        assert_eq!(last(), "\x1b[1A\r\x1b[J✓ eval  0.1s\n");
        t.event(ms(13_500), &Event::RunFinished(&report(vec![fetch, train], false)));
        assert_eq!(last(), "✗ run failed in 13.5s\n");
    }

    #[test]
    fn colours_cut_lines_skips_and_a_clean_screen_on_drop() {
        let screen = Screen::default();
        let frames = Rc::clone(&screen.0);
        let mut t = Terminal::new(screen, 20);
        t.event(ms(0), &Event::StepFinished(&step("condition-2", Status::Skipped, 0.0)));
        assert_eq!(frames.borrow().last().unwrap(), "\x1b[2m-\x1b[0m condition-2  skip\n", "cut to 20 columns");
        t.event(ms(0), &Event::StepStarted { step: "a-very-long-step-name", attempt: 1 });
        assert_eq!(frames.borrow().last().unwrap(), "\x1b[36m⠋\x1b[0m a-very-long-step-\n");
        drop(t);
        assert_eq!(frames.borrow().last().unwrap(), "\x1b[1A\r\x1b[J", "the live line is taken off on drop");
    }

    #[test]
    fn many_running_steps_are_counted_past_the_limit() {
        let screen = Screen::default();
        let frames = Rc::clone(&screen.0);
        let mut t = Terminal::new(screen, 80).without_colour();
        for i in 0..11 {
            t.event(ms(0), &Event::StepStarted { step: &format!("s{i}"), attempt: 1 });
        }
        let frame = frames.borrow().last().cloned().unwrap();
        assert_eq!(frame.lines().count(), MAX_LIVE + 1, "{frame}");
        assert!(frame.ends_with("  … and 3 more running\n"), "{frame}");
        t.clear();
        assert_eq!(frames.borrow().last().unwrap(), &format!("\x1b[{}A\r\x1b[J", MAX_LIVE + 1));
    }
}
