//! The server commands on a Kubeflow Pipelines API server: the API follows `--target` (Argo YAML
//! through `v1beta1`, the IR through `v2beta1`) unless `--api` says otherwise.

use std::io::Write;

use kfp_dsl::PipelineDef;

use super::args::{ApiArg, BuildArgs, RunsArgs, ScheduleArgs, SubmitArgs, UploadArgs};
use super::config::Settings;
use super::progress::Progress;
use super::{endpoint, outcome, say, server_error, stamped, wait};
use crate::cli::{CliError, KindArg, Target};
use crate::client::{Kfp, KfpApi, NewRecurringRun, NewRun, PipelineSource, PipelineVersion, Trigger};

fn client(settings: &Settings, target: Option<Target>) -> Result<Kfp, CliError> {
    let api = match (settings.api, target) {
        (Some(ApiArg::V1beta1), _) | (None, Some(Target::Argo)) => KfpApi::V1beta1,
        (Some(ApiArg::V2beta1), _) | (None, Some(Target::KfpV2) | None) => KfpApi::V2beta1,
    };
    let mut kfp = Kfp::new(endpoint(settings), api).map_err(server_error)?;
    if let Some(ns) = &settings.namespace {
        kfp = kfp.with_namespace(ns);
    }
    Ok(kfp)
}

/// The pipeline compiled for `build`, after checking `params` against the parameters' types (the
/// values go with the run, not into the uploaded spec): the YAML to upload (for the IR, the
/// PipelineSpec document and the PlatformSpec one, as kfp writes them) and the JSON value a run
/// made from the spec carries (the IR as `{pipeline_spec, platform_spec}` when there is a
/// PlatformSpec, which is how kfp's client sends it).
fn compiled(
    pipeline: PipelineDef,
    build: &BuildArgs,
    params: &[String],
) -> Result<(String, serde_json::Value), CliError> {
    let mut yaml = build.compile_args(&[], KindArg::Workflow);
    yaml.format = crate::cli::Format::Yaml;
    let text = crate::cli::compile_text(pipeline, &yaml)?;
    let mut json = build.compile_args(params, KindArg::Workflow);
    json.quiet = true;
    // With the values, to check them against the parameters' types; then without, for the spec.
    if !params.is_empty() {
        crate::cli::compile_text(pipeline, &json)?;
        json.params.clear();
    }
    let json = crate::cli::compile_text(pipeline, &json)?;
    let value =
        serde_json::from_str(&json).map_err(|e| CliError::Server(format!("the compiled pipeline is not JSON: {e}")))?;
    Ok((text, value))
}

/// `--param` values as the run's parameters: typed from the IR's `parameterType` for v2beta1
/// (`NUMBER_INTEGER` goes as a number), strings for v1beta1.
fn run_parameters(params: &[String], spec: &serde_json::Value) -> Vec<(String, serde_json::Value)> {
    let root = spec.get("pipeline_spec").unwrap_or(spec);
    params
        .iter()
        .filter_map(|p| p.split_once('='))
        .map(|(name, value)| {
            let name = name.trim();
            let kind =
                root["root"]["inputDefinitions"]["parameters"][name]["parameterType"].as_str().unwrap_or("STRING");
            let typed = match kind {
                "NUMBER_INTEGER" | "NUMBER_DOUBLE" | "BOOLEAN" | "LIST" | "STRUCT" => {
                    serde_json::from_str(value).unwrap_or_else(|_| serde_json::Value::String(value.to_owned()))
                }
                _ => serde_json::Value::String(value.to_owned()),
            };
            (name.to_owned(), typed)
        })
        .collect()
}

/// Uploads the pipeline (a new one, or a new version of the one with its name) and says so.
fn upload_version(
    kfp: &Kfp,
    pipeline: PipelineDef,
    text: &str,
    version: Option<&str>,
    out: &mut dyn Write,
) -> Result<PipelineVersion, CliError> {
    let name = pipeline.name();
    let version_name = version.map_or_else(|| stamped(name), str::to_owned);
    let version = match kfp.find_pipeline(name).map_err(server_error)? {
        Some(p) => {
            let v = kfp.upload_pipeline_version(&p.id, &version_name, text).map_err(server_error)?;
            say(out, &format!("uploaded version {} ({}) of pipeline {name} ({})", v.name, v.id, p.id))?;
            v
        }
        None => {
            let p = kfp.upload_pipeline(name, pipeline.description(), text).map_err(server_error)?;
            let versions = kfp.list_pipeline_versions(&p.id).map_err(server_error)?;
            let Some(v) = versions.into_iter().next() else {
                return Err(CliError::Server(format!(
                    "pipeline {name} ({}) was uploaded but the server lists no version of it",
                    p.id
                )));
            };
            say(out, &format!("uploaded pipeline {name} ({}), version {} ({})", p.id, v.name, v.id))?;
            v
        }
    };
    Ok(version)
}

fn experiment_id(
    kfp: &Kfp,
    flag: Option<&str>,
    settings: &Settings,
    out: &mut dyn Write,
) -> Result<Option<String>, CliError> {
    let Some(name) = flag.or(settings.experiment.as_deref()) else { return Ok(None) };
    let e = kfp.experiment(name).map_err(server_error)?;
    say(out, &format!("experiment {} ({})", e.name, e.id))?;
    Ok(Some(e.id))
}

pub(super) fn submit(
    pipeline: PipelineDef,
    a: &SubmitArgs,
    settings: &Settings,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let (text, spec) = compiled(pipeline, &a.build, &a.params)?;
    let kfp = client(settings, Some(a.build.target))?;
    let experiment = experiment_id(&kfp, a.experiment.as_deref(), settings, out)?;
    let source = if a.no_upload {
        PipelineSource::Spec(spec.clone())
    } else {
        let v = upload_version(&kfp, pipeline, &text, None, out)?;
        PipelineSource::Version { pipeline_id: v.pipeline_id, version_id: v.id }
    };
    let mut run = NewRun::new(a.run_name.clone().unwrap_or_else(|| stamped(pipeline.name())), source);
    if let Some(id) = experiment {
        run = run.experiment(id);
    }
    for (name, value) in run_parameters(&a.params, &spec) {
        run = run.parameter(name, value);
    }
    let created = kfp.create_run(&run).map_err(server_error)?;
    say(out, &format!("run {} created: {}", created.id, created.name))?;
    if !a.wait {
        return Ok(());
    }
    let w = wait(a.poll, a.wait_timeout)?;
    let mut progress = Progress::new(out);
    let done = kfp.wait_run(&created.id, &w, &mut |r| progress.update(r)).map_err(server_error)?;
    outcome(&done)
}

pub(super) fn upload(
    pipeline: PipelineDef,
    a: &UploadArgs,
    settings: &Settings,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    if a.cluster {
        return Err(CliError::Server(
            "--cluster uploads a ClusterWorkflowTemplate to an Argo Server: add `--server argo`, or drop it".to_owned(),
        ));
    }
    let (text, _) = compiled(pipeline, &a.build, &[])?;
    let kfp = client(settings, Some(a.build.target))?;
    upload_version(&kfp, pipeline, &text, a.version.as_deref(), out).map(drop)
}

/// A KFP cron expression has six fields, seconds first; five fields is the common mistake.
fn kfp_cron(cron: &str) -> Result<String, CliError> {
    let fields = cron.split_whitespace().count();
    if cron.starts_with('@') || fields == 6 || fields == 7 {
        return Ok(cron.to_owned());
    }
    Err(CliError::Server(format!(
        "--schedule `{cron}` has {fields} fields; Kubeflow Pipelines takes six, seconds first (`0 {cron}` runs at second 0)"
    )))
}

pub(super) fn schedule(
    pipeline: PipelineDef,
    a: &ScheduleArgs,
    settings: &Settings,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    if a.timezone.is_some() {
        return Err(CliError::Server("--timezone belongs to an Argo CronWorkflow; Kubeflow Pipelines schedules in UTC: drop it, or add `--server argo`".to_owned()));
    }
    let trigger = match (&a.schedule, a.every) {
        (_, Some(0)) => return Err(CliError::Server("--every must be at least 1 second".to_owned())),
        (_, Some(seconds)) => Trigger::Interval { seconds },
        (Some(cron), None) => Trigger::Cron { expression: kfp_cron(cron)? },
        (None, None) => return Err(CliError::Server("give --schedule CRON or --every SECONDS".to_owned())),
    };
    if a.max_concurrency == 0 {
        return Err(CliError::Server("--max-concurrency must be at least 1".to_owned()));
    }
    let (text, spec) = compiled(pipeline, &a.build, &a.params)?;
    let kfp = client(settings, Some(a.build.target))?;
    let experiment = experiment_id(&kfp, a.experiment.as_deref(), settings, out)?;
    let v = upload_version(&kfp, pipeline, &text, None, out)?;
    let source = PipelineSource::Version { pipeline_id: v.pipeline_id, version_id: v.id };
    let mut r = NewRecurringRun::new(a.name.clone().unwrap_or_else(|| pipeline.name().to_owned()), source, trigger)
        .max_concurrency(a.max_concurrency)
        .catchup(a.catchup)
        .enabled(!a.disabled);
    if let Some(id) = experiment {
        r = r.experiment(id);
    }
    if let Some(s) = &a.start {
        r = r.start(s);
    }
    if let Some(e) = &a.end {
        r = r.end(e);
    }
    for (name, value) in run_parameters(&a.params, &spec) {
        r = r.parameter(name, value);
    }
    let created = kfp.create_recurring_run(&r).map_err(server_error)?;
    say(
        out,
        &format!(
            "recurring run {} ({}) created, {}",
            created.name,
            created.id,
            if created.enabled { "enabled" } else { "disabled" }
        ),
    )
}

pub(super) fn runs(a: &RunsArgs, settings: &Settings, out: &mut dyn Write) -> Result<(), CliError> {
    let kfp = client(settings, None)?;
    match &a.id {
        Some(id) if a.wait => {
            let w = wait(a.poll, a.wait_timeout)?;
            let mut progress = Progress::new(out);
            let done = kfp.wait_run(id, &w, &mut |r| progress.update(r)).map_err(server_error)?;
            outcome(&done)
        }
        Some(id) => {
            let run = kfp.get_run(id).map_err(server_error)?;
            super::show_run(&run, out)
        }
        None => {
            let experiment = match &a.experiment {
                Some(name) => Some(kfp.experiment(name).map_err(server_error)?.id),
                None => None,
            };
            let runs = kfp.list_runs(experiment.as_deref(), a.limit).map_err(server_error)?;
            super::list_runs(&runs, out)
        }
    }
}
