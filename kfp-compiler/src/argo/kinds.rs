//! The other Argo kinds a pipeline compiles to: a `WorkflowTemplate` or `ClusterWorkflowTemplate` (the
//! workflow's spec under a fixed name, run later with `argo submit --from workflowtemplate/NAME`) and
//! a `CronWorkflow` (the spec run on a schedule). Each is made from the compiled [`Workflow`], so
//! every kind carries exactly what the workflow would.

use serde::Serialize;

use crate::argo::cron::{check_schedule, check_timezone};
use crate::argo::{ArgoVersion, ObjectMeta, Workflow, WorkflowSpec};
use crate::error::CompileError;

/// What `compile` emits.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum Kind {
    /// A `Workflow` (the default): one run.
    #[default]
    Workflow,
    /// A namespaced `WorkflowTemplate`.
    WorkflowTemplate,
    /// A cluster-wide `ClusterWorkflowTemplate`.
    ClusterWorkflowTemplate,
    /// A `CronWorkflow`: the workflow run on a schedule.
    CronWorkflow(Schedule),
}

/// When a `CronWorkflow` runs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Schedule {
    /// Cron expressions (`0 3 * * *`, `@daily`); Argo v3.4 and v3.5 take one, later versions several.
    pub crons: Vec<String>,
    /// The time zone the expressions are read in (IANA name; the controller's when absent).
    pub timezone: Option<String>,
    /// What to do when a run is due while the last one still runs.
    pub concurrency_policy: Option<ConcurrencyPolicy>,
    /// A run missed by more than this many seconds (the controller was down) is skipped.
    pub starting_deadline_seconds: Option<u64>,
}

impl Schedule {
    /// A schedule of one cron expression.
    pub fn cron(expr: impl Into<String>) -> Self {
        Schedule { crons: vec![expr.into()], ..Self::default() }
    }
}

/// `concurrencyPolicy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConcurrencyPolicy {
    /// Runs may overlap (Argo's default).
    Allow,
    /// A due run is skipped while the last one runs.
    Forbid,
    /// A due run replaces the one still running.
    Replace,
}

impl ConcurrencyPolicy {
    fn as_str(self) -> &'static str {
        match self {
            ConcurrencyPolicy::Allow => "Allow",
            ConcurrencyPolicy::Forbid => "Forbid",
            ConcurrencyPolicy::Replace => "Replace",
        }
    }
}

/// An Argo `CronWorkflow`.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CronWorkflow {
    /// `argoproj.io/v1alpha1`.
    pub api_version: String,
    /// `CronWorkflow`.
    pub kind: String,
    /// Its name.
    pub metadata: ObjectMeta,
    /// The schedule and the workflow.
    pub spec: CronWorkflowSpec,
}

/// A `CronWorkflow`'s spec.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct CronWorkflowSpec {
    /// One cron expression (Argo v3.4, v3.5).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schedule: Option<String>,
    /// The cron expressions (Argo v3.6 and later).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub schedules: Vec<String>,
    /// The time zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// `Allow`, `Forbid` or `Replace`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concurrency_policy: Option<&'static str>,
    /// How late a missed run may still start.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub starting_deadline_seconds: Option<u64>,
    /// Labels and annotations of each workflow it creates (the kfp annotations).
    #[serde(skip_serializing_if = "ObjectMeta::is_empty")]
    pub workflow_metadata: ObjectMeta,
    /// The workflow.
    pub workflow_spec: WorkflowSpec,
}

/// A compiled object: a workflow (or a workflow template, which has the same shape) or a cron workflow.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum Object {
    /// A `Workflow`, `WorkflowTemplate` or `ClusterWorkflowTemplate`.
    Workflow(Workflow),
    /// A `CronWorkflow`.
    CronWorkflow(CronWorkflow),
    /// Any of them with the pipeline's merge patches applied (`argo_patch`, ...): the document.
    Patched(serde_json::Value),
}

/// The longest CronWorkflow name: Argo appends `-<unix time>` to name each run (validate.go).
const MAX_CRON_NAME: usize = 52;

/// Makes `wf` the object `kind` names, called `name` (default: the pipeline's name, as the workflow's
/// `generateName` has it), for Argo `version`.
///
/// # Errors
/// [`CompileError::InvalidOption`] for a name Kubernetes or Argo would refuse, a malformed schedule or
/// time zone, or several schedules for an Argo version that takes one.
pub fn into_kind(wf: Workflow, kind: &Kind, name: Option<&str>, version: ArgoVersion) -> Result<Object, CompileError> {
    if *kind == Kind::Workflow && name.is_none() {
        // The emitters apply its patches.
        return Ok(Object::Workflow(wf));
    }
    // Patches address the workflow's document: apply them to it, then give the result the kind's shape.
    let patched = crate::argo::patch::patched(&wf)?;
    let object = into_kind_unpatched(wf, kind, name, version)?;
    let Some(doc) = patched else { return Ok(object) };
    let mut out = match &object {
        Object::Workflow(w) => serde_json::to_value(w),
        Object::CronWorkflow(c) => serde_json::to_value(c),
        Object::Patched(v) => Ok(v.clone()),
    }
    .map_err(|e| CompileError::Emit(e.to_string()))?;
    let mut meta = doc["metadata"].clone();
    match &object {
        Object::CronWorkflow(_) => {
            if let Some(m) = meta.as_object_mut() {
                m.remove("name");
                m.remove("generateName");
            }
            out["spec"]["workflowSpec"] = doc["spec"].clone();
            out["spec"]["workflowMetadata"] = meta;
        }
        _ => {
            let fixed = out["metadata"]["name"].clone();
            if let Some(m) = meta.as_object_mut()
                && fixed.is_string()
            {
                m.remove("generateName");
                m.insert("name".to_owned(), fixed);
            }
            out["metadata"] = meta;
            out["spec"] = doc["spec"].clone();
        }
    }
    Ok(Object::Patched(out))
}

fn into_kind_unpatched(
    wf: Workflow,
    kind: &Kind,
    name: Option<&str>,
    version: ArgoVersion,
) -> Result<Object, CompileError> {
    let invalid = |option: &'static str, reason: String| CompileError::InvalidOption { option, reason };
    let (kind_name, max) = match kind {
        Kind::Workflow => {
            if let Some(n) = name {
                let mut wf = wf;
                kfp_dsl::check_object_name("workflow", n).map_err(|e| invalid("--name", e))?;
                wf.metadata.generate_name = None;
                wf.metadata.name = Some(n.to_owned());
                return Ok(Object::Workflow(wf));
            }
            return Ok(Object::Workflow(wf));
        }
        Kind::WorkflowTemplate => ("WorkflowTemplate", 253),
        Kind::ClusterWorkflowTemplate => ("ClusterWorkflowTemplate", 253),
        Kind::CronWorkflow(_) => ("CronWorkflow", MAX_CRON_NAME),
    };
    let name = match name {
        Some(n) => {
            kfp_dsl::check_object_name(kind_name, n).map_err(|e| invalid("--name", e))?;
            if n.len() > max {
                return Err(invalid(
                    "--name",
                    format!(
                        "`{n}` has {} characters; a {kind_name} name has at most {max} (Argo appends the run's time to it)",
                        n.len()
                    ),
                ));
            }
            n.to_owned()
        }
        None => {
            let base = wf.metadata.generate_name.as_deref().or(wf.metadata.name.as_deref()).unwrap_or("pipeline");
            let base: String = base.chars().take(max).collect();
            base.trim_end_matches(['-', '.']).to_owned()
        }
    };
    let Workflow { metadata, spec, .. } = wf;
    // (The patches were applied to the document by `into_kind`.)
    let Kind::CronWorkflow(schedule) = kind else {
        let metadata = ObjectMeta { name: Some(name), generate_name: None, ..metadata };
        let api_version = "argoproj.io/v1alpha1".to_owned();
        let kind = kind_name.to_owned();
        return Ok(Object::Workflow(Workflow { api_version, kind, metadata, spec, patches: Vec::new() }));
    };
    if schedule.crons.is_empty() {
        return Err(invalid(
            "--schedule",
            "a CronWorkflow needs a schedule: give `--schedule \"0 3 * * *\"`".to_owned(),
        ));
    }
    for c in &schedule.crons {
        check_schedule(c).map_err(|e| invalid("--schedule", e))?;
    }
    if let Some(tz) = &schedule.timezone {
        check_timezone(tz).map_err(|e| invalid("--timezone", e))?;
    }
    let (single, list) = if version >= ArgoVersion::V3_6 {
        (None, schedule.crons.clone())
    } else if let [one] = schedule.crons.as_slice() {
        (Some(one.clone()), Vec::new())
    } else {
        return Err(invalid(
            "--schedule",
            format!(
                "{} takes one schedule per CronWorkflow (`schedules` came in v3.6): give one, or `--argo-version 3.6` or later",
                version.target()
            ),
        ));
    };
    let workflow_metadata = ObjectMeta { name: None, generate_name: None, ..metadata };
    Ok(Object::CronWorkflow(CronWorkflow {
        api_version: "argoproj.io/v1alpha1".to_owned(),
        kind: "CronWorkflow".to_owned(),
        metadata: ObjectMeta { name: Some(name), ..ObjectMeta::default() },
        spec: CronWorkflowSpec {
            schedule: single,
            schedules: list,
            timezone: schedule.timezone.clone(),
            concurrency_policy: schedule.concurrency_policy.map(ConcurrencyPolicy::as_str),
            starting_deadline_seconds: schedule.starting_deadline_seconds,
            workflow_metadata,
            workflow_spec: spec,
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workflow(generate_name: &str) -> Workflow {
        let metadata = ObjectMeta { generate_name: Some(generate_name.to_owned()), ..ObjectMeta::default() };
        Workflow {
            api_version: "argoproj.io/v1alpha1".to_owned(),
            kind: "Workflow".to_owned(),
            metadata,
            spec: WorkflowSpec::default(),
            patches: Vec::new(),
        }
    }

    #[test]
    fn a_derived_name_fits_the_kind() {
        // A pipeline name as lowering writes it: cut to 57 characters and a `-`.
        let long = format!("{}-", "a-b".repeat(19));
        let kind = Kind::CronWorkflow(Schedule::cron("@daily"));
        let Object::CronWorkflow(c) = into_kind(workflow(&long), &kind, None, ArgoVersion::V4_1).unwrap() else {
            panic!("not a cron workflow")
        };
        let name = c.metadata.name.unwrap();
        assert!(name.len() <= MAX_CRON_NAME && !name.ends_with('-'), "{name}");
        kfp_dsl::check_object_name("CronWorkflow", &name).unwrap();
        let Object::Workflow(t) =
            into_kind(workflow("short-"), &Kind::WorkflowTemplate, None, ArgoVersion::V3_4).unwrap()
        else {
            panic!("not a template")
        };
        assert_eq!((t.kind.as_str(), t.metadata.name.as_deref()), ("WorkflowTemplate", Some("short")));
    }
}
