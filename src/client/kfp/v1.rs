//! The `v1beta1` wire format: request bodies from the typed inputs, typed results from the answers
//! (`backend/api/v1beta1/*.proto`). Parameters are strings; experiments, pipeline versions and
//! namespaces are `resource_references`; a compiled Argo Workflow goes as JSON text in
//! `pipeline_spec.workflow_manifest`.

use serde_json::{Map, Value, json};

use super::types::{opt, parse_trigger, required, text, trigger_body};
use super::{Experiment, NewRecurringRun, NewRun, Pipeline, PipelineSource, PipelineVersion, RecurringRun};
use crate::client::{RunStatus, State, argo_steps};

pub(super) fn pipeline(v: &Value) -> Result<Pipeline, String> {
    Ok(Pipeline { id: required(v, "id", "pipeline")?, name: text(v, "name"), description: opt(v, "description") })
}

/// An `apiPipelineVersion`: its pipeline is the `PIPELINE` in its `resource_references`.
pub(super) fn version(v: &Value, pipeline_id: &str) -> Result<PipelineVersion, String> {
    let owner = v["resource_references"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|r| r["key"]["type"] == "PIPELINE")
        .and_then(|r| opt(&r["key"], "id"));
    Ok(PipelineVersion {
        id: required(v, "id", "pipeline version")?,
        name: text(v, "name"),
        pipeline_id: owner.unwrap_or_else(|| pipeline_id.to_owned()),
    })
}

pub(super) fn experiment(v: &Value) -> Result<Experiment, String> {
    Ok(Experiment { id: required(v, "id", "experiment")?, name: text(v, "name") })
}

fn reference(kind: &str, id: &str, relationship: &str) -> Value {
    json!({ "key": { "type": kind, "id": id }, "relationship": relationship })
}

pub(super) fn experiment_body(name: &str, description: Option<&str>, namespace: Option<&str>) -> Value {
    let mut body = json!({ "name": name });
    if let Some(d) = description {
        body["description"] = d.into();
    }
    if let Some(ns) = namespace {
        body["resource_references"] = json!([reference("NAMESPACE", ns, "OWNER")]);
    }
    body
}

/// `pipeline_spec` and `resource_references` of a run or job: a version is the pipeline's id plus a
/// `PIPELINE_VERSION` reference (`CREATOR`); a workflow is its JSON text; the experiment is an
/// `EXPERIMENT` reference (`OWNER`).
fn source_fields(
    body: &mut Map<String, Value>,
    source: &PipelineSource,
    parameters: &[(String, Value)],
    experiment_id: Option<&str>,
) -> Result<(), String> {
    let params: Vec<Value> = parameters
        .iter()
        .map(|(name, value)| {
            let value = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            json!({ "name": name, "value": value })
        })
        .collect();
    let mut spec = json!({ "parameters": params });
    let mut references = Vec::new();
    if let Some(e) = experiment_id {
        references.push(reference("EXPERIMENT", e, "OWNER"));
    }
    match source {
        PipelineSource::Version { pipeline_id, version_id } => {
            spec["pipeline_id"] = pipeline_id.clone().into();
            references.push(reference("PIPELINE_VERSION", version_id, "CREATOR"));
        }
        PipelineSource::Spec(workflow) => {
            let manifest = serde_json::to_string(workflow).map_err(|e| format!("the workflow: {e}"))?;
            spec["workflow_manifest"] = manifest.into();
        }
    }
    body.insert("pipeline_spec".into(), spec);
    if !references.is_empty() {
        body.insert("resource_references".into(), references.into());
    }
    Ok(())
}

pub(super) fn run_body(run: &NewRun) -> Result<Value, String> {
    let mut body = Map::new();
    body.insert("name".into(), run.name.clone().into());
    if let Some(sa) = &run.service_account {
        body.insert("service_account".into(), sa.clone().into());
    }
    source_fields(&mut body, &run.source, &run.parameters, run.experiment_id.as_deref())?;
    Ok(body.into())
}

/// An `apiRunDetail` (`{run, pipeline_runtime}`) or a bare `apiRun` (in a list): the state is
/// `run.status` (an Argo phase), the steps are the nodes of `pipeline_runtime.workflow_manifest`
/// (the Argo Workflow as JSON text), when the answer has it and it parses.
pub(super) fn run(v: &Value) -> Result<RunStatus, String> {
    let r = if v["run"].is_object() { &v["run"] } else { v };
    // A manifest that does not parse gives no steps rather than an error: the run exists (a create
    // that failed here would be retried by the caller and make a second run).
    let workflow = opt(&v["pipeline_runtime"], "workflow_manifest")
        .and_then(|m| serde_json::from_str::<Value>(&m).ok())
        .filter(Value::is_object);
    let phase =
        opt(r, "status").or_else(|| workflow.as_ref().and_then(|w| opt(&w["status"], "phase"))).unwrap_or_default();
    let mut status = RunStatus::new(required(r, "id", "run")?, text(r, "name"), State::from_kfp(&phase));
    status.message = opt(r, "error").or_else(|| workflow.as_ref().and_then(|w| opt(&w["status"], "message")));
    if let Some(w) = &workflow {
        status.steps = argo_steps(w);
    }
    Ok(status)
}

pub(super) fn job_body(r: &NewRecurringRun) -> Result<Value, String> {
    let mut body = Map::new();
    body.insert("name".into(), r.name.clone().into());
    source_fields(&mut body, &r.source, &r.parameters, r.experiment_id.as_deref())?;
    body.insert("trigger".into(), trigger_body(r));
    body.insert("max_concurrency".into(), r.max_concurrency.to_string().into());
    body.insert("no_catchup".into(), (!r.catchup).into());
    body.insert("enabled".into(), r.enabled.into());
    Ok(body.into())
}

/// An `apiJob`: `enabled`, or its `mode` when the server sends no `enabled`.
pub(super) fn job(v: &Value) -> Result<RecurringRun, String> {
    let enabled = v["enabled"].as_bool().unwrap_or_else(|| opt(v, "mode").as_deref() == Some("ENABLED"));
    Ok(RecurringRun {
        id: required(v, "id", "job")?,
        name: text(v, "name"),
        enabled,
        trigger: parse_trigger(&v["trigger"]),
    })
}
