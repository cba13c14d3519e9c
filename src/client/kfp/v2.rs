//! The `v2beta1` wire format: request bodies from the typed inputs, typed results from the answers
//! (`backend/api/v2beta1/*.proto`; JSON field names are the proto's snake_case names).

use serde_json::{Map, Value, json};

use super::types::{opt, parse_trigger, required, text, trigger_body};
use super::{Experiment, NewRecurringRun, NewRun, Pipeline, PipelineSource, PipelineVersion, RecurringRun};
use crate::client::{RunStatus, State, Step};

pub(super) fn pipeline(v: &Value) -> Result<Pipeline, String> {
    Ok(Pipeline {
        id: required(v, "pipeline_id", "pipeline")?,
        name: opt(v, "name").or_else(|| opt(v, "display_name")).unwrap_or_default(),
        description: opt(v, "description"),
    })
}

pub(super) fn version(v: &Value, pipeline_id: &str) -> Result<PipelineVersion, String> {
    Ok(PipelineVersion {
        id: required(v, "pipeline_version_id", "pipeline version")?,
        name: opt(v, "name").or_else(|| opt(v, "display_name")).unwrap_or_default(),
        pipeline_id: opt(v, "pipeline_id").unwrap_or_else(|| pipeline_id.to_owned()),
    })
}

pub(super) fn experiment(v: &Value) -> Result<Experiment, String> {
    Ok(Experiment { id: required(v, "experiment_id", "experiment")?, name: text(v, "display_name") })
}

pub(super) fn experiment_body(name: &str, description: Option<&str>, namespace: Option<&str>) -> Value {
    let mut body = json!({ "display_name": name });
    if let Some(d) = description {
        body["description"] = d.into();
    }
    if let Some(ns) = namespace {
        body["namespace"] = ns.into();
    }
    body
}

/// `POST /pipelines`: a pipeline without a version.
pub(super) fn pipeline_body(name: &str, namespace: Option<&str>) -> Value {
    let mut pipeline = json!({ "name": name, "display_name": name });
    if let Some(ns) = namespace {
        pipeline["namespace"] = ns.into();
    }
    pipeline
}

/// What a run or recurring run runs: `pipeline_version_reference`, or the IR inline in
/// `pipeline_spec`; parameter values in `runtime_config.parameters` (an object).
fn source_fields(body: &mut Map<String, Value>, source: &PipelineSource, parameters: &[(String, Value)]) {
    match source {
        PipelineSource::Version { pipeline_id, version_id } => {
            body.insert(
                "pipeline_version_reference".into(),
                json!({ "pipeline_id": pipeline_id, "pipeline_version_id": version_id }),
            );
        }
        PipelineSource::Spec(spec) => {
            body.insert("pipeline_spec".into(), spec.clone());
        }
    }
    let params: Map<String, Value> = parameters.iter().cloned().collect();
    body.insert("runtime_config".into(), json!({ "parameters": params }));
}

pub(super) fn run_body(run: &NewRun) -> Value {
    let mut body = Map::new();
    body.insert("display_name".into(), run.name.clone().into());
    if let Some(e) = &run.experiment_id {
        body.insert("experiment_id".into(), e.clone().into());
    }
    if let Some(sa) = &run.service_account {
        body.insert("service_account".into(), sa.clone().into());
    }
    source_fields(&mut body, &run.source, &run.parameters);
    body.into()
}

/// A `v2beta1Run`: `state`, `error.message`, and `run_details.task_details` as steps (the tasks that
/// run something: a task with child tasks is a DAG, which its children show).
pub(super) fn run(v: &Value) -> Result<RunStatus, String> {
    let mut status =
        RunStatus::new(required(v, "run_id", "run")?, text(v, "display_name"), State::from_kfp(&text(v, "state")));
    status.message = opt(&v["error"], "message");
    let tasks = v["run_details"]["task_details"].as_array().map(Vec::as_slice).unwrap_or_default();
    let mut steps: Vec<Step> = tasks
        .iter()
        .filter(|t| t["child_tasks"].as_array().is_none_or(Vec::is_empty))
        .map(|t| {
            let mut step = Step::new(
                opt(t, "display_name").or_else(|| opt(t, "task_id")).unwrap_or_default(),
                State::from_kfp(&text(t, "state")),
            );
            step.started_at = opt(t, "start_time");
            step.finished_at = opt(t, "end_time");
            step.message = opt(&t["error"], "message");
            step
        })
        .collect();
    steps.sort_by(|a, b| (&a.started_at, &a.name).cmp(&(&b.started_at, &b.name)));
    status.steps = steps;
    Ok(status)
}

pub(super) fn recurring_body(r: &NewRecurringRun) -> Value {
    let mut body = Map::new();
    body.insert("display_name".into(), r.name.clone().into());
    if let Some(e) = &r.experiment_id {
        body.insert("experiment_id".into(), e.clone().into());
    }
    source_fields(&mut body, &r.source, &r.parameters);
    body.insert("trigger".into(), trigger_body(r));
    body.insert("max_concurrency".into(), r.max_concurrency.to_string().into());
    body.insert("no_catchup".into(), (!r.catchup).into());
    body.insert("mode".into(), if r.enabled { "ENABLE" } else { "DISABLE" }.into());
    body.into()
}

/// A `v2beta1RecurringRun`: enabled by its `status` (`ENABLED`/`DISABLED`), or by `mode` when the
/// server sends no status.
pub(super) fn recurring(v: &Value) -> Result<RecurringRun, String> {
    let enabled = match opt(v, "status").as_deref() {
        Some("ENABLED") => true,
        Some("DISABLED") => false,
        _ => opt(v, "mode").as_deref() == Some("ENABLE"),
    };
    Ok(RecurringRun {
        id: required(v, "recurring_run_id", "recurring run")?,
        name: text(v, "display_name"),
        enabled,
        trigger: parse_trigger(&v["trigger"]),
    })
}
