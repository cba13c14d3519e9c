//! One container step: a Rust function component as this binary's `component` subcommand, anything
//! else in docker/podman or on the host. Its files live in its step directory; it is retried as its
//! `retryStrategy` says and stopped at its `activeDeadlineSeconds`.

use std::path::{Component, Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use kfp_compiler::argo::Template;

use super::engine::{Engine, Stop};
use super::progress::Event;
use super::retry::{Retry, parse_seconds};
use super::{Artifacts, Outcome, Params, Status, StepReport, expr, pod_surface, repository, signals};

/// Linux's limit on one argument or environment string, with its final NUL (`MAX_ARG_STRLEN`).
const MAX_ARG_STRLEN: usize = 128 * 1024;

/// How long a step has to exit after SIGTERM (or the forwarded signal) before it gets SIGKILL.
const GRACE: Duration = Duration::from_secs(5);

pub(super) struct Step<'w> {
    t: &'w Template,
    params: Params,
    artifacts: Artifacts,
    path: String,
    retry: Retry,
    attempts: u32,
    first_start: Option<Instant>,
    /// The log of its last attempt, once one started.
    log: Option<PathBuf>,
    state: State,
}

enum State {
    /// Waiting for a free slot (and, after a failed attempt, for its backoff to pass).
    Ready {
        not_before: Option<Instant>,
        last_error: Option<String>,
    },
    Running(Box<Running>),
}

struct Running {
    child: Child,
    since: Instant,
    outputs: Vec<Output>,
    log: PathBuf,
    function: bool,
    /// When a stopped step that has not exited gets SIGKILL.
    kill_at: Option<Instant>,
    /// It ran past its `activeDeadlineSeconds`.
    timed_out: Option<u64>,
}

/// A file the step writes: output `name`, declared at `declared`, here at `local`.
struct Output {
    name: String,
    local: PathBuf,
    artifact: bool,
    /// Where a key-only output artifact goes in the run's artifact repository.
    key: Option<PathBuf>,
}

/// Why an attempt failed, in Argo's terms: retry policies tell them apart.
enum Failure {
    /// The command ran and failed (non-zero exit, killed at its deadline): `OnFailure`; with its
    /// exit code when it exited.
    Failed(String, Option<i32>),
    /// The step could not be set up, started or read back: `OnError`.
    Error(String),
    /// Retrying cannot help (a path outside the run directory, an argument over the limit).
    Fatal(String),
}

impl<'w> Step<'w> {
    pub(super) fn new(e: &mut Engine<'w>, t: &'w Template, params: Params, artifacts: Artifacts, path: &str) -> Self {
        let retry = Retry::of(t.retry_strategy.as_ref()).unwrap_or_else(|why| {
            e.say(&format!("{path}: ignoring its retryStrategy: {why}"));
            Retry::default()
        });
        if e.noted.insert(t.name.as_str()) {
            let binds = e.runtime.is_some() && !e.opts.host && !is_function(e, t);
            let skipped = pod_surface::not_applied(t, binds);
            if !skipped.is_empty() {
                e.say(&format!("{path}: not applied on this machine: {}", skipped.join(", ")));
            }
        }
        Step {
            t,
            params,
            artifacts,
            path: path.to_owned(),
            retry,
            attempts: 0,
            first_start: None,
            log: None,
            state: State::Ready { not_before: None, last_error: None },
        }
    }

    /// Whether it has never started and cannot start now because every slot is taken.
    pub(super) fn waits_for_slot(&self, e: &Engine<'w>, may_start: bool) -> bool {
        self.attempts == 0
            && may_start
            && e.stop.is_none()
            && e.running >= e.slots
            && matches!(self.state, State::Ready { .. })
    }

    pub(super) fn poll(&mut self, e: &mut Engine<'w>, may_start: bool) -> Option<Outcome> {
        let deadline = self.deadline();
        match &mut self.state {
            State::Ready { not_before, last_error } => {
                if let Some(last) = last_error.clone()
                    && e.stop.is_some()
                {
                    // Stopped while waiting to retry.
                    return Some(self.end(e, Err(Failure::Failed(last, None))));
                }
                if self.attempts == 0
                    && let Some(o) = e.not_started(&self.path, may_start)
                {
                    return Some(o);
                }
                if not_before.is_some_and(|t| Instant::now() < t) || e.running >= e.slots || !e.held.free(self.t) {
                    return None;
                }
                self.attempts += 1;
                self.first_start.get_or_insert_with(Instant::now);
                match self.start(e) {
                    Ok(running) => {
                        e.out.emit(&Event::StepStarted { step: &self.path, attempt: self.attempts });
                        self.log = Some(running.log.clone());
                        e.running += 1;
                        e.held.take(self.t);
                        e.events += 1;
                        self.state = State::Running(Box::new(running));
                        None
                    }
                    Err(f) => self.attempt_failed(e, f),
                }
            }
            State::Running(r) => {
                let now = Instant::now();
                if r.kill_at.is_none() {
                    if let Some(Stop::Signal(sig)) = e.stop {
                        signals::send(&r.child, sig);
                        r.kill_at = Some(now + GRACE);
                    } else if e.stop.is_some() {
                        signals::send(&r.child, signals::SIGTERM);
                        r.kill_at = Some(now + GRACE);
                    } else if let Some(secs) = deadline
                        && now.duration_since(r.since) >= Duration::from_secs(secs)
                    {
                        signals::send(&r.child, signals::SIGTERM);
                        r.timed_out = Some(secs);
                        r.kill_at = Some(now + GRACE);
                    }
                } else if r.kill_at.is_some_and(|t| now >= t) {
                    let _ = r.child.kill();
                    r.kill_at = Some(now + Duration::from_secs(3600));
                }
                let status = match r.child.try_wait() {
                    Ok(None) => return None,
                    Ok(Some(status)) => Ok(status),
                    Err(err) => Err(err),
                };
                e.running -= 1;
                e.held.release(self.t);
                let State::Running(r) =
                    std::mem::replace(&mut self.state, State::Ready { not_before: None, last_error: None })
                else {
                    return None;
                };
                let result = match status {
                    Ok(status) => collect(&r, status),
                    Err(err) => Err(Failure::Error(format!("cannot wait for the step: {err}"))),
                };
                match result {
                    Ok(o) => Some(self.end(e, Ok(o))),
                    Err(_) if e.stop.is_some() => Some(self.end(e, Err(Failure::Failed(String::new(), None)))),
                    Err(f) => self.attempt_failed(e, f),
                }
            }
        }
    }

    /// The step's `activeDeadlineSeconds`, if it has one that is a number.
    fn deadline(&self) -> Option<u64> {
        self.t.active_deadline_seconds.as_deref().and_then(parse_seconds)
    }

    /// An attempt failed: retry it if the retry strategy says so, or end the step.
    fn attempt_failed(&mut self, e: &mut Engine<'w>, f: Failure) -> Option<Outcome> {
        let elapsed = self.first_start.map_or(Duration::ZERO, |t| t.elapsed());
        let (message, retryable) = match &f {
            Failure::Failed(m, code) => (m.clone(), self.retry.on_failure && self.retry.allows("Failed", *code, m)),
            Failure::Error(m) => (m.clone(), self.retry.on_error && self.retry.allows("Error", None, m)),
            Failure::Fatal(m) => (m.clone(), false),
        };
        if retryable && let Some(wait) = self.retry.next(self.attempts, elapsed) {
            e.out.emit(&Event::StepRetrying { step: &self.path, attempt: self.attempts, wait, error: &message });
            self.state = State::Ready { not_before: Some(Instant::now() + wait), last_error: Some(message) };
            return None;
        }
        Some(self.end(e, Err(f)))
    }

    /// Records how the step ended.
    fn end(&mut self, e: &mut Engine<'w>, result: Result<Outcome, Failure>) -> Outcome {
        let (status, error) = match (&result, e.stop) {
            (Ok(_), _) => (Status::Succeeded, None),
            (Err(_), Some(Stop::Signal(sig))) => {
                (Status::Interrupted, Some(format!("stopped: {}", signals::name(sig))))
            }
            (Err(_), Some(Stop::Deadline(secs))) => {
                (Status::Failed, Some(format!("stopped: the workflow's activeDeadlineSeconds ({secs}s) passed")))
            }
            (Err(Failure::Failed(m, _) | Failure::Error(m) | Failure::Fatal(m)), None) => {
                (Status::Failed, Some(m.clone()))
            }
        };
        let mut report = StepReport::new(&self.path, status, error);
        report.duration = self.first_start.map_or(Duration::ZERO, |t| t.elapsed());
        report.attempts = self.attempts;
        report.log.clone_from(&self.log);
        report.exit_code = match &result {
            Ok(_) => Some(0),
            Err(Failure::Failed(_, code)) => *code,
            Err(_) => None,
        };
        let outcome = match result {
            Ok(o) => {
                report.outputs = o.params.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                o
            }
            Err(_) => Outcome::of(status),
        };
        e.record(report);
        outcome
    }

    /// Sets up the step's directory and starts its command.
    fn start(&self, e: &Engine<'w>) -> Result<Running, Failure> {
        let t = self.t;
        let Some(c) = &t.container else { return Err(Failure::Fatal("the template has no container".to_owned())) };
        if let Some(d) = &t.active_deadline_seconds
            && parse_seconds(d).is_none()
        {
            return Err(Failure::Fatal(format!("activeDeadlineSeconds `{d}` is not a number of seconds")));
        }
        let error = Failure::Error;
        let rel = step_dir(&self.path);
        let root = &e.opts.workdir;
        let dir = inside(root, &[&rel], "step")?;
        let mkdir = |d: &Path| {
            std::fs::create_dir_all(d).map_err(|err| error(format!("cannot create `{}`: {err}", d.display())))
        };
        // A step's outputs are its own: nothing left by an earlier attempt or run can stand in for them.
        let outputs_dir = dir.join("outputs");
        if outputs_dir.exists() {
            std::fs::remove_dir_all(&outputs_dir)
                .map_err(|err| error(format!("cannot clear `{}`: {err}", outputs_dir.display())))?;
        }
        mkdir(&dir.join("inputs"))?;
        mkdir(&outputs_dir)?;
        // The pod's own variables (Argo's local parameters): its name (the step's path, and the
        // attempt after a retry), its task's name and the attempt number.
        let retries = self.attempts.saturating_sub(1);
        let pod = match retries {
            0 => rel.replace('/', "-"),
            n => format!("{}-{n}", rel.replace('/', "-")),
        };
        let task = self.path.rsplit('/').next().unwrap_or("step").to_owned();
        let local = |x: &str| match x {
            "pod.name" => Some(pod.clone()),
            "retries" => Some(retries.to_string()),
            "tasks.name" => Some(task.clone()),
            _ => None,
        };
        // The pod's pass over its inputs' values fills in the tags its task's arguments left for it.
        let mut params = std::collections::HashMap::with_capacity(self.params.len());
        for (k, v) in &self.params {
            let v = expr::substitute_pod_variables(v, &mut |x| local(x))
                .map_err(|err| error(format!("input `{k}`: {err}")))?;
            params.insert(k.as_str(), v);
        }
        let subst = |s: &str| {
            expr::substitute(s, &mut |x| {
                x.strip_prefix("inputs.parameters.")
                    .and_then(|n| params.get(n).cloned())
                    .or_else(|| local(x))
                    .or_else(|| e.workflow.get(x).cloned())
            })
            .map_err(Failure::Error)
        };
        let function = is_function(e, t);
        let containerised = !function && !e.opts.host;
        // Paths inside the container -> paths here (not needed when docker mounts the directories).
        let mut paths: Vec<(String, PathBuf)> = Vec::new();
        for a in &t.inputs.artifacts {
            let (Some(declared), Some(real)) = (a.path.as_ref(), self.artifacts.get(&*a.name)) else {
                return Err(error(format!("input artifact `{}` has no value", a.name)));
            };
            if containerised {
                let target = inside(root, &[&rel, "inputs", &a.name, "data"], &format!("input artifact `{}`", a.name))?;
                mkdir(target.parent().unwrap_or(&dir))?;
                copy_all(real, &target).map_err(error)?;
            } else {
                paths.push((declared.clone(), real.clone()));
            }
        }
        let mut outputs: Vec<Output> = Vec::new();
        let mut declared_outputs: Vec<(&str, &str, bool)> = Vec::new();
        for p in &t.outputs.parameters {
            if let Some(declared) = p.value_from.as_ref().and_then(|v| v.path.as_deref()) {
                declared_outputs.push((&p.name, declared, false));
            }
        }
        for a in &t.outputs.artifacts {
            if let Some(declared) = &a.path {
                declared_outputs.push((&a.name, declared, true));
            }
        }
        for (name, declared, artifact) in declared_outputs {
            let local = inside(root, &[&rel, "outputs", name, "data"], &format!("output `{name}`"))?;
            mkdir(local.parent().unwrap_or(&dir))?;
            if !containerised {
                paths.push((declared.to_owned(), local.clone()));
            }
            let s3 = t.outputs.artifacts.iter().find(|a| artifact && *a.name == *name).and_then(|a| a.s3.as_ref());
            let key = match s3 {
                Some(s3) => Some(
                    repository::key_path(root, &s3.key, &mut |x| match x {
                        "pod.name" => Some(repository::pod_name(&self.path)),
                        _ => e.workflow.get(x).cloned(),
                    })
                    .map_err(|err| error(format!("output `{name}`: {err}")))?,
                ),
                None => None,
            };
            outputs.push(Output { name: name.to_owned(), local, artifact, key });
        }
        let rewrite =
            |s: String| paths.iter().fold(s, |acc, (from, to)| acc.replace(from.as_str(), &to.display().to_string()));
        let mut argv: Vec<String> = Vec::with_capacity(c.command.len() + c.args.len());
        for s in c.command.iter().chain(&c.args) {
            argv.push(rewrite(subst(s)?));
        }
        let mut env: Vec<(String, String)> = Vec::new();
        for v in &c.env {
            // Values from secrets, config maps and pod fields exist only on a cluster.
            let Some(value) = &v.value else { continue };
            env.push((v.name.clone(), rewrite(subst(value)?)));
        }
        check_sizes(&argv, &env, &self.params)?;
        let mut cmd = if function {
            let mut cmd = Command::new(&e.exe);
            cmd.args(&argv[1..]);
            cmd
        } else if e.opts.host {
            let Some((program, rest)) = argv.split_first() else {
                return Err(Failure::Fatal("the container has no command".to_owned()));
            };
            let mut cmd = Command::new(program);
            cmd.args(rest);
            cmd
        } else {
            let image = image_reference(subst(&c.image)?).map_err(Failure::Fatal)?;
            let Some(runtime) = &e.runtime else {
                return Err(Failure::Fatal(format!(
                    "`{}` runs image `{image}`: install docker or podman, or pass `--host` to run its command on this machine",
                    self.path
                )));
            };
            let Some((program, rest)) = argv.split_first() else {
                return Err(Failure::Fatal("the container has no command".to_owned()));
            };
            // Absolute paths: docker reads a relative `-v` source as the name of a volume.
            let absolute = |d: PathBuf| {
                std::fs::canonicalize(&d).map_err(|err| error(format!("cannot resolve `{}`: {err}", d.display())))
            };
            let (inputs, outputs) = (absolute(dir.join("inputs"))?, absolute(outputs_dir.clone())?);
            let mut cmd = Command::new(runtime);
            cmd.args(["run", "--rm", "-v"]).arg(format!("{}:/tmp/inputs", inputs.display()));
            cmd.arg("-v").arg(format!("{}:/tmp/outputs", outputs.display()));
            for (host, target, read_only) in pod_surface::host_binds(t).map_err(Failure::Fatal)? {
                cmd.arg("-v").arg(format!("{host}:{target}{}", if read_only { ":ro" } else { "" }));
            }
            for (k, v) in &env {
                cmd.arg("-e").arg(format!("{k}={v}"));
            }
            cmd.args(["--entrypoint", program]).arg(&image).args(rest);
            cmd
        };
        cmd.envs(env.iter().map(|(k, v)| (k, v)));
        let log = dir.join("log.txt");
        let file =
            std::fs::File::create(&log).map_err(|err| error(format!("cannot write `{}`: {err}", log.display())))?;
        let err_file = file.try_clone().map_err(|err| error(err.to_string()))?;
        let program = argv.first().map_or("", String::as_str);
        let child = cmd.stdin(Stdio::null()).stdout(file).stderr(err_file).spawn().map_err(|err| {
            if err.raw_os_error() == Some(7) {
                let total: usize = argv.iter().chain(env.iter().map(|(k, _)| k)).map(|a| a.len() + 1).sum();
                Failure::Fatal(format!(
                    "cannot start `{program}`: its arguments and environment ({total} bytes with this machine's \
                     environment) are over the system's limit (`getconf ARG_MAX`); pass large values as artifacts"
                ))
            } else {
                error(format!("cannot start `{program}`: {err}"))
            }
        })?;
        Ok(Running { child, since: Instant::now(), outputs, log, function, kill_at: None, timed_out: None })
    }
}

/// The directory of the step at `path`, relative to the run directory: its path without the `(i)`
/// of loop iterations, which shell commands would choke on.
pub(super) fn step_dir(path: &str) -> String {
    let rel: String = path
        .chars()
        .map(|c| match c {
            '(' => '-',
            ')' => ' ',
            c => c,
        })
        .filter(|c| *c != ' ')
        .collect();
    if rel.is_empty() { "step".to_owned() } else { rel }
}

/// Whether `t` runs a Rust function component (this binary's `component` subcommand).
fn is_function(e: &Engine<'_>, t: &Template) -> bool {
    t.container.as_ref().is_some_and(|c| {
        c.command.first() == Some(&e.binary) && c.command.get(1).map(String::as_str) == Some("component")
    })
}

/// The image a containerised step runs, once a value of the run is filled in (`.image(task.output)`):
/// empty, or starting with `-` (which docker would read as an option), it is not an image reference.
fn image_reference(image: String) -> Result<String, String> {
    if image.trim().is_empty() || image.starts_with('-') {
        return Err(format!("`{image}` is not an image reference"));
    }
    Ok(image)
}

/// An attempt's result from its exit status, log and output files.
fn collect(r: &Running, status: ExitStatus) -> Result<Outcome, Failure> {
    if let Some(secs) = r.timed_out {
        return Err(Failure::Failed(
            format!("timed out after {secs}s (activeDeadlineSeconds) (log: {})", r.log.display()),
            None,
        ));
    }
    if !status.success() {
        let text = std::fs::read_to_string(&r.log).unwrap_or_default();
        return Err(Failure::Failed(
            format!("exited with {status}: {} (log: {})", reason(&text, r.function), r.log.display()),
            status.code(),
        ));
    }
    let mut outcome = Outcome::of(Status::Succeeded);
    for o in &r.outputs {
        if o.artifact {
            if let Some(key) = &o.key {
                // Stored as it is (`archive: none`), replacing what an earlier attempt stored.
                let _ = std::fs::remove_dir_all(key).or_else(|_| std::fs::remove_file(key));
                if let Some(parent) = key.parent() {
                    std::fs::create_dir_all(parent)
                        .map_err(|err| Failure::Error(format!("cannot create `{}`: {err}", parent.display())))?;
                }
                copy_all(&o.local, key).map_err(|err| Failure::Error(format!("output `{}`: {err}", o.name)))?;
            }
            outcome.artifacts.insert(o.name.clone(), o.local.clone());
        } else {
            let text = std::fs::read_to_string(&o.local).map_err(|err| {
                Failure::Error(format!("output `{}` was not written ({}): {err}", o.name, o.local.display()))
            })?;
            outcome.params.insert(o.name.clone(), text.trim_end().to_owned());
        }
    }
    Ok(outcome)
}

/// The line of a failed step's log that says why: a panic's message, a function component's
/// `error: ...` line, or the last line that is not a hint (`RUST_BACKTRACE`, docker's `See '... --help'`).
pub(super) fn reason(log: &str, function: bool) -> String {
    let lines: Vec<&str> = log.lines().collect();
    if let Some(i) = lines.iter().rposition(|l| l.contains("panicked at ")) {
        let at = lines[i].split_once("panicked at ").map_or(lines[i], |(_, rest)| rest).trim().trim_end_matches(':');
        let message: Vec<&str> = lines[i + 1..]
            .iter()
            .take_while(|l| !l.starts_with("note: ") && !l.starts_with("stack backtrace:"))
            .map(|l| l.trim())
            .filter(|l| !l.is_empty())
            .collect();
        return if message.is_empty() {
            format!("panicked at {at}")
        } else {
            format!("panicked at {at}: {}", message.join(" "))
        };
    }
    if function && let Some(l) = lines.iter().rev().find(|l| l.starts_with("error: ")) {
        return l.trim().to_owned();
    }
    lines.iter().rev().map(|l| l.trim()).find(|l| !l.is_empty() && !is_hint(l)).unwrap_or("").to_owned()
}

/// Lines that say how to learn more rather than what went wrong.
fn is_hint(line: &str) -> bool {
    line.starts_with("note: run with `RUST_BACKTRACE") || (line.starts_with("See '") && line.ends_with("--help'."))
}

/// `root` joined with `parts`, each of which must be plain names (no `..`, no root, no `.`): names
/// from component files must not lead out of the run directory.
fn inside(root: &Path, parts: &[&str], what: &str) -> Result<PathBuf, Failure> {
    let mut path = root.to_path_buf();
    for part in parts {
        let p = Path::new(part);
        if part.is_empty() || !p.components().all(|c| matches!(c, Component::Normal(_))) || p.is_absolute() {
            return Err(Failure::Fatal(format!(
                "{what}: `{part}` would lead out of the run directory; refusing to create or write it"
            )));
        }
        path.push(p);
    }
    Ok(path)
}

/// Refuses an argument or environment value over Linux's 128 KiB limit on one string, naming the
/// input it came from: spawning would fail with "Argument list too long".
fn check_sizes(argv: &[String], env: &[(String, String)], params: &Params) -> Result<(), Failure> {
    let over = |s: &str| s.len() + 1 > MAX_ARG_STRLEN;
    let big: Vec<(&str, usize)> = argv
        .iter()
        .map(|a| ("argument", a.len()))
        .chain(env.iter().map(|(k, v)| ("environment variable", k.len() + v.len() + 1)))
        .filter(|(_, n)| *n + 1 > MAX_ARG_STRLEN)
        .collect();
    let Some(&(kind, size)) = big.first() else { return Ok(()) };
    let mut inputs: Vec<(&String, usize)> = params.iter().filter(|(_, v)| over(v)).map(|(k, v)| (k, v.len())).collect();
    inputs.sort();
    let from = match inputs.first() {
        Some((name, n)) => format!("input `{name}` is {n} bytes"),
        None => format!("an {kind} is {size} bytes"),
    };
    Err(Failure::Fatal(format!(
        "{from}: Linux limits one argument or environment value to 128 KiB ({MAX_ARG_STRLEN} bytes with its \
         terminating NUL, MAX_ARG_STRLEN); pass a value this large as an artifact (a file) instead"
    )))
}

pub(super) fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(program).is_file()))
}

/// Copies a file or a directory tree.
pub(super) fn copy_all(from: &Path, to: &Path) -> Result<(), String> {
    let err = |e: std::io::Error| format!("cannot copy `{}` to `{}`: {e}", from.display(), to.display());
    if from.is_dir() {
        std::fs::create_dir_all(to).map_err(err)?;
        for entry in std::fs::read_dir(from).map_err(err)? {
            let entry = entry.map_err(err)?;
            copy_all(&entry.path(), &to.join(entry.file_name()))?;
        }
        Ok(())
    } else {
        std::fs::copy(from, to).map(|_| ()).map_err(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_image_from_a_value_cannot_be_an_option_of_docker() {
        assert_eq!(image_reference("alpine:3.20".into()), Ok("alpine:3.20".into()));
        assert!(image_reference("--privileged".into()).unwrap_err().contains("not an image reference"));
        assert!(image_reference(" ".into()).is_err());
    }

    #[test]
    fn the_reason_is_the_panic_message_or_error_line_not_a_hint() {
        let panic = "thread 'main' (7) panicked at src/x.rs:3:5:\nitem 1 gave up\nnote: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n";
        assert_eq!(reason(panic, true), "panicked at src/x.rs:3:5: item 1 gave up");
        let error = "working\nerror: component `square` failed: no square\n";
        assert_eq!(reason(error, true), "error: component `square` failed: no square");
        let docker = "docker: invalid reference format.\nSee 'docker run --help'.\n";
        assert_eq!(reason(docker, false), "docker: invalid reference format.");
        assert_eq!(reason("a\nlast line\n\n", false), "last line");
    }
}
