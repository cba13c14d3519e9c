//! Lowering the plan to the KFP v2 pipeline IR: one component and executor per component variant
//! (as on Argo, variants are shared by calls), one DAG component per planned DAG, the root DAG as the
//! pipeline's `root`, and the pipeline's parameters as its inputs.

mod cel;
mod channels;
mod components;
mod dags;
mod exit_inline;
mod skippable;

pub(crate) use components::typed_constant;

/// The IR component of a component with every input declared, and the artifact type of a kfp type
/// name (for the importer, whose executor is not a container).
pub(crate) fn component_ir(spec: &kfp_dsl::ComponentSpec, label: &str) -> crate::kfp_v2::ComponentSpec {
    components::component(spec, &[], label)
}

pub(crate) use components::artifact_type as artifact_type_of;

use kfp_dsl::Pipeline;

use crate::error::CompileError;
use crate::kfp_v2::{Compiled, PipelineInfo, PipelineSpec, PlatformSpec, lossy, pvc, settings};
use crate::passes::naming::Names;
use crate::plan::Plan;

/// Whether a task mounts a claim the pipeline creates (such calls get an executor per DAG: the
/// `PlatformSpec` reads the claim's name from the CreatePVC task in its DAG, and from a
/// `pipelinechannel--<task>-name` input in the DAGs below it).
pub(crate) fn mounts_created_claim(p: &Pipeline) -> impl Fn(kfp_dsl::TaskId) -> bool + '_ {
    let claims = pvc::created_claims(p);
    move |id| {
        p.task(id).settings().is_some_and(|s| {
            s.volumes.iter().any(|(_, v)| matches!(v, kfp_dsl::model::VolumeSource::Pvc(c) if claims.contains_key(c)))
        })
    }
}

/// The IR of a planned pipeline: the `PipelineSpec`, and the `PlatformSpec` when a task has
/// Kubernetes settings.
///
/// # Errors
/// Constructs the IR cannot express, one line each with the user's line where there is one.
pub(crate) fn lower(p: &Pipeline, names: &Names, mut plan: Plan, lossy: bool) -> Result<Compiled, CompileError> {
    let problems = crate::kfp_v2::unsupported::unsupported(p);
    if !problems.is_empty() && !lossy {
        return Err(CompileError::Unsupported {
            target: "the KFP v2 IR",
            problems: problems.iter().map(ToString::to_string).collect(),
        });
    }
    let unsupported = |problems: Vec<String>| CompileError::Unsupported { target: "the KFP v2 IR", problems };
    let left_out_tasks = lossy::tasks_to_leave_out(&problems).map_err(unsupported)?;
    lossy::leave_out(p, names, &mut plan, &left_out_tasks).map_err(unsupported)?;
    let plan = &plan;
    let mut errors = Vec::new();
    let channels = channels::Channels::find(p, names, plan);
    errors.extend(channels.errors.iter().cloned());
    let mut lowering = dags::DagLowering::new(p, names, plan, &channels);
    let dag_components = lowering.lower();
    errors.append(&mut lowering.errors);
    let mut root = None;
    let mut components = Vec::new();
    for (name, spec) in dag_components {
        match name {
            None => root = Some(spec),
            Some(n) => components.push((n, spec)),
        }
    }
    let Some(root) = root else { return Err(CompileError::Scope { errors: vec!["no root DAG".to_owned()] }) };
    let mut info = PipelineInfo::new(names.root.clone()).display_name(p.name());
    if let Some(d) = p.description() {
        info = info.description(d);
    }
    let mut spec = PipelineSpec::new(info, root);
    for (n, c) in components {
        spec = spec.component(n, c);
    }
    skippable::wrap_awaited_conditions(&mut spec);
    let binary = p.binary().unwrap_or(p.name());
    let mut platform = PlatformSpec::default();
    let claims = pvc::created_claims(p);
    for (i, var) in names.variants.iter().enumerate() {
        let component = p.component(var.component);
        let template = &names.templates[i];
        let label = format!("exec-{template}");
        if let Some(import) = component.import_spec() {
            let (c, executor) = crate::kfp_v2::importer::importer(component, import, &label);
            spec = spec.component(dags::component_name(template), c);
            spec = spec.executor(label, executor);
            continue;
        }
        if let Some(r) = component.resource_spec() {
            // A volume made or deleted by the pipeline: kfp-kubernetes' CreatePVC / DeletePVC (any other
            // resource step was refused above).
            match pvc::pvc_component(r) {
                Some(step) => {
                    spec = spec.component(dags::component_name(template), step.component(&label));
                    spec = spec.executor(label, step.executor());
                }
                // `--lossy` left every call of it out (`unsupported` lists each).
                None if lossy => {}
                None => errors.push(format!(
                    "component `{}` is a resource step: the KFP v2 IR has no Kubernetes-object steps",
                    component.name
                )),
            }
            continue;
        }
        let absent: &[usize] = var.call.as_ref().map_or(&[], |c| &c.absent);
        let function;
        let container = match var.call.as_ref().and_then(|c| c.container.as_ref()).or(component.container_spec()) {
            Some(c) => c,
            None => {
                function = component.function_container(binary, p.default_image()).unwrap_or_default();
                &function
            }
        };
        spec = spec.component(dags::component_name(template), components::component(component, absent, &label));
        let default_settings = kfp_dsl::TaskSettings::default();
        let settings = var.settings.as_deref().unwrap_or(&default_settings);
        let mut executor = components::executor(component, container, "");
        for e in settings::container_env(settings) {
            executor.env.push(e);
        }
        if let Some(r) = settings::container_resources(settings, channels::param_channel) {
            executor = executor.resources(r);
        }
        if let Some(image) = settings::container_image(settings) {
            executor.image = image;
        }
        // A mount of a claim the pipeline creates reads the claim's name from its CreatePVC task.
        let claim = |name: &str| match channels.claims.get(&i).and_then(|c| c.get(name)) {
            Some(reference) => Some(reference.clone()),
            None => claims.get(name).map(|id| pvc::claim_reference(&names.tasks[id.index()])),
        };
        if let Some(config) = settings::platform_config(settings, p.settings(), claim) {
            platform = platform.executor(label.clone(), config);
        }
        spec = spec.executor(label, executor.into());
    }
    exit_inline::inline_single_exit_tasks(&mut spec, &platform);
    if let Some(config) = settings::pipeline_config(p.settings()) {
        platform = platform.pipeline_config(config);
    }
    if !errors.is_empty() {
        return Err(CompileError::Scope { errors });
    }
    Ok(Compiled { spec, platform: (!platform.is_empty()).then_some(platform), left_out: problems })
}
