//! `submit`, `upload`, `schedule` and `runs`: from a pipeline binary to a run on a Kubeflow
//! Pipelines or Argo server. The command line and the settings are always there (so `--help`
//! shows them); talking to a server needs kfp's `client` feature.

#[cfg(feature = "client")]
mod argo;
#[cfg_attr(not(feature = "client"), allow(dead_code))]
pub(crate) mod args;
#[cfg_attr(not(feature = "client"), allow(dead_code))]
mod config;
#[cfg(feature = "client")]
mod kfp;
#[cfg(feature = "client")]
mod progress;

use std::io::Write;

use kfp_dsl::PipelineDef;

use super::CliError;
use args::{RunsArgs, ScheduleArgs, ServerArgs, SubmitArgs, UploadArgs};

/// One of the server commands.
#[derive(Debug)]
pub(crate) enum Remote {
    Submit(SubmitArgs),
    Upload(UploadArgs),
    Schedule(ScheduleArgs),
    Runs(RunsArgs),
}

impl Remote {
    fn server(&self) -> &ServerArgs {
        match self {
            Remote::Submit(a) => &a.server,
            Remote::Upload(a) => &a.server,
            Remote::Schedule(a) => &a.server,
            Remote::Runs(a) => &a.server,
        }
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Runs a server command.
pub(crate) fn run(pipeline: PipelineDef, command: Remote, stdout: &mut dyn Write) -> Result<(), CliError> {
    let settings = config::resolve(command.server(), &env).map_err(CliError::Server)?;
    dispatch(pipeline, command, settings, stdout)
}

#[cfg(not(feature = "client"))]
fn dispatch(_: PipelineDef, _: Remote, _: config::Settings, _: &mut dyn Write) -> Result<(), CliError> {
    Err(CliError::Server(
        "this binary was built without kfp's `client` feature: depend on kfp with `features = [\"client\"]` to \
         submit, upload, schedule and list runs"
            .to_owned(),
    ))
}

#[cfg(feature = "client")]
fn dispatch(
    pipeline: PipelineDef,
    command: Remote,
    settings: config::Settings,
    stdout: &mut dyn Write,
) -> Result<(), CliError> {
    use args::ServerKind;
    match (settings.server, command) {
        (ServerKind::Kfp, Remote::Submit(a)) => kfp::submit(pipeline, &a, &settings, stdout),
        (ServerKind::Kfp, Remote::Upload(a)) => kfp::upload(pipeline, &a, &settings, stdout),
        (ServerKind::Kfp, Remote::Schedule(a)) => kfp::schedule(pipeline, &a, &settings, stdout),
        (ServerKind::Kfp, Remote::Runs(a)) => kfp::runs(&a, &settings, stdout),
        (ServerKind::Argo, Remote::Submit(a)) => argo::submit(pipeline, &a, &settings, stdout),
        (ServerKind::Argo, Remote::Upload(a)) => argo::upload(pipeline, &a, &settings, stdout),
        (ServerKind::Argo, Remote::Schedule(a)) => argo::schedule(pipeline, &a, &settings, stdout),
        (ServerKind::Argo, Remote::Runs(a)) => argo::runs(&a, &settings, stdout),
    }
}

/// The client's endpoint for `settings`.
#[cfg(feature = "client")]
fn endpoint(settings: &config::Settings) -> crate::client::Endpoint {
    use crate::client::Endpoint;
    let mut e = Endpoint::new(&settings.endpoint)
        .insecure(settings.insecure)
        .timeout(settings.timeout)
        .retries(settings.retries);
    e = match &settings.token {
        Some(config::Token::File(f)) => e.token_file(f),
        Some(config::Token::Literal(t)) => e.token(t),
        None => e,
    };
    for (name, value) in &settings.headers {
        e = e.header(name, value);
    }
    if let Some(ca) = &settings.ca_cert {
        e = e.ca_cert(ca);
    }
    e
}

/// A client error as the command's one line, with a hint where the fix is on this side.
#[cfg(feature = "client")]
fn server_error(e: crate::client::ClientError) -> CliError {
    let hint = match e.status() {
        Some(401) => "; give a token with --token-file FILE or KFP_TOKEN, or a session cookie with --header",
        Some(403) => "; the token's account may not use this namespace (--namespace)",
        Some(404) => "; check --endpoint (and its path prefix) and the id or name",
        _ => "",
    };
    CliError::Server(format!("{e}{hint}"))
}

/// The wait options of `--poll` and `--wait-timeout`.
#[cfg(feature = "client")]
fn wait(poll: f64, timeout: Option<f64>) -> Result<crate::client::Wait, CliError> {
    let secs = |v: f64, what: &str| {
        std::time::Duration::try_from_secs_f64(v)
            .ok()
            .filter(|d| !d.is_zero())
            .ok_or_else(|| CliError::Server(format!("{what} `{v}` is not a positive number of seconds")))
    };
    let mut w = crate::client::Wait::every(secs(poll, "--poll")?);
    if let Some(t) = timeout {
        w = w.timeout(secs(t, "--wait-timeout")?);
    }
    Ok(w)
}

/// The end of a wait: Ok for a run that succeeded, an error naming the failed steps otherwise.
#[cfg(feature = "client")]
fn outcome(run: &crate::client::RunStatus) -> Result<(), CliError> {
    use crate::client::State;
    if run.state.is_success() {
        return Ok(());
    }
    let failed: Vec<String> = run
        .steps
        .iter()
        .filter(|s| matches!(s.state, State::Failed | State::Error))
        .map(|s| match &s.message {
            Some(m) => format!("{} ({m})", s.name),
            None => s.name.clone(),
        })
        .collect();
    let what = if failed.is_empty() {
        run.message.clone().unwrap_or_default()
    } else {
        format!("failed steps: {}", failed.join(", "))
    };
    Err(CliError::RunFailed(format!(
        "run {} {}{}",
        run.id,
        run.state,
        if what.is_empty() { String::new() } else { format!(": {what}") }
    )))
}

/// A name for a version or run: the pipeline's name and the time (`linear-20261202-045000`).
#[cfg(feature = "client")]
fn stamped(name: &str) -> String {
    let t = crate::runner::clock::rfc3339(std::time::SystemTime::now());
    let compact: String = t.chars().filter(char::is_ascii_digit).collect();
    format!("{name}-{}-{}", &compact[..8], &compact[8..14])
}

/// Writes a line of the command's output.
#[cfg(feature = "client")]
fn say(out: &mut dyn Write, text: &str) -> Result<(), CliError> {
    writeln!(out, "{text}")
        .and_then(|()| out.flush())
        .map_err(|source| CliError::Write { path: std::path::PathBuf::from("<stdout>"), source })
}

/// `runs ID`: the run and its steps.
#[cfg(feature = "client")]
fn show_run(run: &crate::client::RunStatus, out: &mut dyn Write) -> Result<(), CliError> {
    say(out, &format!("run {} ({}): {}", run.id, run.name, run.state))?;
    if let Some(m) = &run.message {
        say(out, &format!("  {m}"))?;
    }
    for s in &run.steps {
        let why = s.message.as_deref().map(|m| format!(": {m}")).unwrap_or_default();
        say(out, &format!("  {:<10} {}{why}", s.state.to_string(), s.name))?;
    }
    Ok(())
}

/// `runs`: one line per run, newest first.
#[cfg(feature = "client")]
fn list_runs(runs: &[crate::client::RunStatus], out: &mut dyn Write) -> Result<(), CliError> {
    if runs.is_empty() {
        return say(out, "no runs");
    }
    let width = runs.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
    say(out, &format!("{:<width$}  {:<10}  NAME", "ID", "STATE"))?;
    for r in runs {
        say(out, &format!("{:<width$}  {:<10}  {}", r.id, r.state.to_string(), r.name))?;
    }
    Ok(())
}
