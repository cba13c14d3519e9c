//! The server commands on an Argo Server: `submit` creates a Workflow (the `--param` values as its
//! arguments) and watches it, `upload` applies a WorkflowTemplate, `schedule` a CronWorkflow.

use std::io::Write;

use kfp_dsl::PipelineDef;

use super::args::{BuildArgs, RunsArgs, ScheduleArgs, SubmitArgs, UploadArgs};
use super::config::Settings;
use super::progress::Progress;
use super::{endpoint, outcome, say, server_error, wait};
use crate::cli::{CliError, CompileArgs, KindArg, PolicyArg, Target};
use crate::client::Argo;

fn client(settings: &Settings) -> Result<Argo, CliError> {
    if settings.api.is_some() {
        return Err(CliError::Server(
            "--api chooses a Kubeflow Pipelines API; the Argo Server has one: drop it".to_owned(),
        ));
    }
    Argo::new(endpoint(settings), settings.namespace.clone().unwrap_or_else(|| "argo".to_owned())).map_err(server_error)
}

fn no_experiment(flag: Option<&str>) -> Result<(), CliError> {
    match flag {
        Some(_) => Err(CliError::Server(
            "--experiment is a Kubeflow Pipelines idea; the Argo Server has none: drop it".to_owned(),
        )),
        None => Ok(()),
    }
}

fn object(pipeline: PipelineDef, c: &CompileArgs) -> Result<serde_json::Value, CliError> {
    let text = crate::cli::compile_text(pipeline, c)?;
    serde_json::from_str(&text).map_err(|e| CliError::Server(format!("the compiled workflow is not JSON: {e}")))
}

fn argo_only(build: &BuildArgs) -> Result<(), CliError> {
    match build.target {
        Target::Argo => Ok(()),
        Target::KfpV2 => Err(CliError::Server(
            "the Argo Server runs Argo Workflows, not the KFP v2 IR: drop `--target kfp-v2`, or use `--server kfp`"
                .to_owned(),
        )),
    }
}

pub(super) fn submit(
    pipeline: PipelineDef,
    a: &SubmitArgs,
    settings: &Settings,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    argo_only(&a.build)?;
    no_experiment(a.experiment.as_deref())?;
    let mut c = a.build.compile_args(&a.params, KindArg::Workflow);
    c.name.clone_from(&a.run_name);
    let workflow = object(pipeline, &c)?;
    let argo = client(settings)?;
    let created = argo.create_workflow(&workflow).map_err(server_error)?;
    let name = created["metadata"]["name"].as_str().unwrap_or_default().to_owned();
    say(out, &format!("workflow {name} created in namespace {}", argo.namespace()))?;
    if !a.wait {
        return Ok(());
    }
    let w = wait(a.poll, a.wait_timeout)?;
    let mut progress = Progress::new(out);
    let done = argo.watch_workflow(&name, &w, &mut |r| progress.update(r)).map_err(server_error)?;
    outcome(&done)
}

pub(super) fn upload(
    pipeline: PipelineDef,
    a: &UploadArgs,
    settings: &Settings,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    argo_only(&a.build)?;
    if a.version.is_some() {
        return Err(CliError::Server(
            "--version names a Kubeflow Pipelines version; a WorkflowTemplate has none (put the version in its name with --name): drop it"
                .to_owned(),
        ));
    }
    let kind = if a.cluster { KindArg::ClusterWorkflowTemplate } else { KindArg::WorkflowTemplate };
    let template = object(pipeline, &a.build.compile_args(&[], kind))?;
    let argo = client(settings)?;
    let applied = argo.apply(&template).map_err(server_error)?;
    let kind = applied["kind"].as_str().or(template["kind"].as_str()).unwrap_or_default().to_owned();
    let name =
        applied["metadata"]["name"].as_str().or(template["metadata"]["name"].as_str()).unwrap_or_default().to_owned();
    say(out, &format!("{kind} {name} applied in namespace {}", argo.namespace()))
}

pub(super) fn schedule(
    pipeline: PipelineDef,
    a: &ScheduleArgs,
    settings: &Settings,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    argo_only(&a.build)?;
    no_experiment(a.experiment.as_deref())?;
    for (flag, given) in [("--catchup", a.catchup), ("--start", a.start.is_some()), ("--end", a.end.is_some())] {
        if given {
            return Err(CliError::Server(format!(
                "{flag} belongs to a Kubeflow Pipelines recurring run; an Argo CronWorkflow has none: drop it"
            )));
        }
    }
    let mut c = a.build.compile_args(&a.params, KindArg::CronWorkflow);
    c.schedule = match (&a.schedule, a.every) {
        (_, Some(0)) => return Err(CliError::Server("--every must be at least 1 second".to_owned())),
        (_, Some(seconds)) => vec![format!("@every {seconds}s")],
        (Some(cron), None) => vec![cron.clone()],
        (None, None) => return Err(CliError::Server("give --schedule CRON or --every SECONDS".to_owned())),
    };
    c.timezone.clone_from(&a.timezone);
    // Argo has no count: one run at a time forbids a second, more allows them.
    c.concurrency_policy = Some(match a.max_concurrency {
        0 => return Err(CliError::Server("--max-concurrency must be at least 1".to_owned())),
        1 => PolicyArg::Forbid,
        _ => PolicyArg::Allow,
    });
    c.name.clone_from(&a.name);
    let mut cron = object(pipeline, &c)?;
    if a.disabled {
        cron["spec"]["suspend"] = serde_json::Value::Bool(true);
    }
    let argo = client(settings)?;
    let applied = argo.apply(&cron).map_err(server_error)?;
    let name =
        applied["metadata"]["name"].as_str().or(cron["metadata"]["name"].as_str()).unwrap_or_default().to_owned();
    say(
        out,
        &format!(
            "CronWorkflow {name} applied in namespace {}{}",
            argo.namespace(),
            if a.disabled { ", suspended" } else { "" }
        ),
    )
}

pub(super) fn runs(a: &RunsArgs, settings: &Settings, out: &mut dyn Write) -> Result<(), CliError> {
    no_experiment(a.experiment.as_deref())?;
    let argo = client(settings)?;
    match &a.id {
        Some(name) if a.wait => {
            let w = wait(a.poll, a.wait_timeout)?;
            let mut progress = Progress::new(out);
            let done = argo.watch_workflow(name, &w, &mut |r| progress.update(r)).map_err(server_error)?;
            outcome(&done)
        }
        Some(name) => super::show_run(&argo.workflow_status(name).map_err(server_error)?, out),
        None => {
            let mut runs = argo.list_workflows(None).map_err(server_error)?;
            runs.truncate(a.limit as usize);
            super::list_runs(&runs, out)
        }
    }
}
