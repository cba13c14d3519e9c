//! Lowering to Argo: one DAG template per scope (the root, loops, conditions, exit handlers, graph
//! components), one container template per component variant.

mod caching;
mod dags;
mod depends;
pub(crate) mod fan_in;
mod importer;
mod library;
mod pod;
mod pod_surface;
mod run_values;
mod suspend;
mod sync;

use std::collections::BTreeMap;

use kfp_dsl::{Arg, IoKind, Pipeline};

use crate::CompileOptions;
use crate::argo::{
    Arguments, ArtifactRef, Container, EnvVar, Inputs, Name, ObjectMeta, Outputs, Parameter, ResourceTemplate,
    Template, ValueFrom, Workflow, WorkflowSpec,
};
use crate::argo::{expr, kfp_meta};
use crate::error::CompileError;
use crate::passes::naming::Names;
use crate::plan::Plan;

/// A template whose caching is off says so in both ways Kubeflow Pipelines reads: kfp's
/// `enable_caching: "false"` label, and `max_cache_staleness: P0D`, the annotation the v1 backend's
/// cache webhook actually reads (it never reads the label).
fn caching_off_for_every_backend(t: &mut Template) {
    if t.metadata.labels.get(kfp_meta::ENABLE_CACHING).is_some_and(|v| v == "false") {
        t.metadata.annotations.insert(kfp_meta::MAX_CACHE_STALENESS.to_owned(), "P0D".to_owned());
    }
}

/// What a step's template gets beyond its pod settings: caching (for every backend) and locks.
fn step_settings(
    t: &mut Template,
    s: Option<&kfp_dsl::TaskSettings>,
    caching: &caching::Caching<'_>,
    opts: &CompileOptions,
) {
    caching.apply(t, s);
    caching_off_for_every_backend(t);
    t.synchronization = s.and_then(|s| sync::synchronization(&s.locks, opts.argo_version));
}

/// Builds the workflow: the plan's DAGs, one template per component variant, the pipeline's
/// settings and the kfp annotations.
pub(crate) fn lower(
    p: &Pipeline,
    names: &Names,
    mut plan: Plan,
    opts: &CompileOptions,
    collected: &std::collections::HashMap<kfp_dsl::TaskId, Vec<fan_in::Collected>>,
) -> Result<Workflow, CompileError> {
    let arguments = workflow_arguments(p, opts)?;
    sync::check(p, opts.argo_version)?;
    let caching = caching::Caching::new(p, opts)?;
    let mut templates = dags::dag_templates(p, &mut plan, names)?;
    templates.reserve(names.variants.len());
    let mut missing = Vec::new();
    for (i, var) in names.variants.iter().enumerate() {
        let spec = p.component(var.component);
        if spec.import_spec().is_some() {
            // An importer or a value passed as a file: a location on its consumers' arguments.
            continue;
        }
        if let Some(s) = spec.suspend_spec() {
            templates.push(suspend::template(s, &names.templates[i]));
            continue;
        }
        if let Some(r) = spec.resource_spec() {
            let mut t = resource_template(spec, r, &names.templates[i])?;
            t.metadata.annotations.insert(kfp_meta::COMPONENT_SPEC.to_owned(), kfp_meta::component_spec(spec));
            // A resource step acts on the cluster: a cache hit would skip creating the Job or the claim
            // a later step expects. `.caching(true)` opts in.
            t.metadata.labels.insert(kfp_meta::ENABLE_CACHING.to_owned(), "false".to_owned());
            if let Some(settings) = &var.settings {
                // Container settings were refused per call; a `for_every_task` transformer's are
                // left out here.
                pod::apply(&mut t, &settings.without_container_settings());
            }
            step_settings(&mut t, var.settings.as_deref(), &caching, opts);
            templates.push(t);
            continue;
        }
        let function;
        let resolved = var.call.as_ref().and_then(|c| c.container.as_ref());
        let absent: &[usize] = var.call.as_ref().map_or(&[], |c| &c.absent);
        let container = match resolved.or(spec.container_spec()) {
            Some(c) => c,
            None => {
                // A Rust function component: the pipeline binary's `component` subcommand.
                let binary = p.binary().unwrap_or(p.name());
                function = spec.function_container(binary, p.default_image()).unwrap_or_default();
                if function.image_ref().is_none() {
                    missing.push(spec.name.clone());
                }
                &function
            }
        };
        let mut t = container_template(spec, container, absent, &names.templates[i]);
        for (output, key) in fan_in::output_keys(p, names, collected, i) {
            for a in t.outputs.artifacts.iter_mut().filter(|a| *a.name == *output) {
                *a = a.clone().to_key(key.clone());
            }
        }
        t.metadata.annotations.insert(kfp_meta::COMPONENT_SPEC.to_owned(), kfp_meta::component_spec(spec));
        // A component.yaml's `metadata` goes on the pod, as kfp v1 does; a task's own settings win.
        t.metadata.labels.extend(spec.labels.iter().map(|(k, v)| (k.clone(), v.clone())));
        t.metadata.annotations.extend(spec.annotations.iter().map(|(k, v)| (k.clone(), v.clone())));
        t.metadata.labels.insert(kfp_meta::ENABLE_CACHING.to_owned(), "true".to_owned());
        if let Some(settings) = &var.settings {
            pod::apply(&mut t, settings);
        }
        step_settings(&mut t, var.settings.as_deref(), &caching, opts);
        templates.push(t);
    }
    if !missing.is_empty() {
        return Err(CompileError::NoImage { components: missing });
    }
    library::apply(p, names, &mut templates, opts)?;
    // The entrypoint first, then every other template by name.
    templates[1..].sort_by(|a, b| a.name.cmp(&b.name));

    let mut metadata = ObjectMeta {
        // Kubernetes appends 5 characters to `generateName`; pod names must stay within 63.
        generate_name: Some(format!("{}-", truncate_label(&names.root, 57))),
        ..ObjectMeta::default()
    };
    metadata.annotations.insert(kfp_meta::PIPELINE_SPEC.to_owned(), kfp_meta::pipeline_spec(p));
    let settings = p.settings();
    if let Some(policy) = &settings.image_pull_policy {
        for c in templates.iter_mut().filter_map(|t| t.container.as_mut()) {
            c.image_pull_policy.get_or_insert_with(|| policy.clone());
        }
    }
    if let Some(Some(name)) = &opts.service_account {
        kfp_dsl::check_object_name("service account", name).map_err(|e| CompileError::InvalidOption {
            option: "--service-account",
            reason: format!("{e}; name one, or pass `--no-service-account` for the namespace's default"),
        })?;
    }
    let service_account = match &opts.service_account {
        Some(explicit) => explicit.clone(),
        None => Some(settings.service_account.clone().unwrap_or_else(|| "pipeline-runner".to_owned())),
    };
    let mut spec = WorkflowSpec {
        entrypoint: names.root.clone(),
        arguments,
        service_account_name: service_account,
        on_exit: plan.on_exit.map(|s| plan.dag(s).name.to_string()),
        templates,
        ..WorkflowSpec::default()
    };
    workflow_settings(&mut spec, settings);
    spec.synchronization = sync::synchronization(settings.locks.iter().map(|l| &l.lock), opts.argo_version);
    let patches = crate::argo::patch::collect(p, names, &spec.templates)?;
    let wf = Workflow {
        api_version: "argoproj.io/v1alpha1".to_owned(),
        kind: "Workflow".to_owned(),
        metadata,
        spec,
        patches,
    };
    // Checked now, so a patch that breaks the workflow is an error of `compile`; emitted later.
    crate::argo::patch::patched(&wf)?;
    Ok(wf)
}

/// The pipeline-wide settings on the workflow spec.
fn workflow_settings(spec: &mut WorkflowSpec, s: &kfp_dsl::PipelineSettings) {
    use serde_json::json;
    spec.image_pull_secrets = s.image_pull_secrets.iter().map(|n| json!({ "name": n })).collect();
    spec.ttl_strategy = s.ttl_seconds_after_finished.map(|t| json!({ "secondsAfterCompletion": t }));
    spec.parallelism = s.parallelism;
    spec.pod_gc = s.pod_gc.as_ref().map(|g| json!({ "strategy": g }));
    spec.active_deadline_seconds = s.timeout_seconds;
    spec.node_selector = s.node_selector.clone();
    // Kubernetes reads a string `minAvailable` as a percentage, so a count is written as a number.
    spec.pod_disruption_budget = s.pod_disruption_budget_min_available.as_ref().map(|m| match m.parse::<u32>() {
        Ok(n) => json!({ "minAvailable": n }),
        Err(_) => json!({ "minAvailable": m }),
    });
    spec.dns_config = s.dns.as_ref().map(|d| {
        let (ns, search) = (&d.nameservers, &d.searches);
        let options: Vec<serde_json::Value> = d
            .options
            .iter()
            .map(|(k, v)| match v {
                Some(v) => json!({ "name": k, "value": v }),
                None => json!({ "name": k }),
            })
            .collect();
        json!({ "nameservers": ns, "searches": search, "options": options })
    });
    spec.artifact_repository_ref = s.artifact_repository.as_ref().map(|(c, k)| json!({ "configMap": c, "key": k }));
    if !s.pod_labels.is_empty() || !s.pod_annotations.is_empty() {
        let mut m = serde_json::Map::new();
        if !s.pod_labels.is_empty() {
            m.insert("labels".into(), json!(s.pod_labels));
        }
        if !s.pod_annotations.is_empty() {
            m.insert("annotations".into(), json!(s.pod_annotations));
        }
        spec.pod_metadata = Some(serde_json::Value::Object(m));
    }
}

fn truncate_label(s: &str, max: usize) -> &str {
    let s = &s[..s.len().min(max)];
    s.trim_end_matches('-')
}

/// `spec.arguments`: every pipeline parameter with its default or the value given at compile time.
fn workflow_arguments(p: &Pipeline, opts: &CompileOptions) -> Result<Arguments, CompileError> {
    let mut given: BTreeMap<&str, &str> = BTreeMap::new();
    for (name, value) in &opts.arguments {
        let Some(spec) = p.params().iter().find(|s| s.name == *name) else {
            return Err(CompileError::UnknownParam {
                name: name.clone(),
                pipeline: p.name().to_owned(),
                known: p.params().iter().map(|s| s.name.clone()).collect(),
            });
        };
        given.insert(&spec.name, value);
    }
    let mut parameters = Vec::with_capacity(p.params().len());
    for spec in p.params() {
        let value = match given.get(spec.name.as_str()) {
            Some(v) => Some(spec.parse_value(v).map_err(|reason| CompileError::InvalidParamValue {
                name: spec.name.clone(),
                type_name: spec.type_name,
                value: (*v).to_owned(),
                reason,
            })?),
            None => spec.default.clone(),
        };
        parameters.push(Parameter { name: Name::from(spec.name.as_str()), value, ..Parameter::default() });
    }
    Ok(Arguments { parameters, artifacts: Vec::new() })
}

/// A component's container template: inputs, outputs and the container with placeholders rendered.
fn container_template(
    spec: &kfp_dsl::ComponentSpec,
    c: &kfp_dsl::ContainerSpec,
    absent: &[usize],
    name: &str,
) -> Template {
    let mut inputs = Inputs::default();
    for (index, i) in spec.inputs.iter().enumerate() {
        if absent.contains(&index) {
            continue;
        }
        match &i.kind {
            IoKind::Artifact { .. } => {
                inputs.artifacts.push(ArtifactRef::at_path(i.name.as_str(), expr::input_path(&i.name)))
            }
            IoKind::Parameter { .. } => inputs.parameters.push(Parameter::named(i.name.as_str())),
        }
    }
    let mut outputs = Outputs::default();
    for o in &spec.outputs {
        let path = expr::output_path(&o.name);
        match &o.kind {
            IoKind::Artifact { .. } => outputs.artifacts.push(ArtifactRef::at_path(o.name.as_str(), path)),
            IoKind::Parameter { .. } => outputs.parameters.push(output_file(&o.name, path)),
        }
    }
    let container = Some(Container {
        image: c.image_ref().unwrap_or_default().to_owned(),
        command: c.command().iter().map(render).collect(),
        args: c.arguments().iter().map(render).collect(),
        env: c
            .environment()
            .iter()
            .map(|(n, v)| EnvVar { name: n.clone(), value: Some(render(v)), value_from: None })
            .collect(),
        ..Container::default()
    });
    Template { name: name.to_owned(), inputs, outputs, container, ..Template::default() }
}

/// An output parameter read from the file the container writes.
fn output_file(name: &str, path: String) -> Parameter {
    Parameter {
        name: Name::from(name),
        value_from: Some(ValueFrom { path: Some(path), ..ValueFrom::default() }),
        ..Parameter::default()
    }
}

/// A resource step's template: the manifest as YAML text, outputs read by JSONPath.
fn resource_template(
    spec: &kfp_dsl::ComponentSpec,
    r: &kfp_dsl::ResourceSpec,
    name: &str,
) -> Result<Template, CompileError> {
    let inputs = Inputs {
        parameters: spec.inputs.iter().map(|i| Parameter::named(i.name.as_str())).collect(),
        ..Inputs::default()
    };
    let outputs = Outputs {
        parameters: r
            .json_path_outputs()
            .iter()
            .map(|(n, path)| Parameter {
                name: Name::from(n.as_str()),
                value_from: Some(ValueFrom { json_path: Some(path.clone()), ..ValueFrom::default() }),
                ..Parameter::default()
            })
            .chain(r.jq_outputs().iter().map(|(n, filter)| Parameter {
                name: Name::from(n.as_str()),
                value_from: Some(ValueFrom { jq_filter: Some(filter.clone()), ..ValueFrom::default() }),
                ..Parameter::default()
            }))
            .collect(),
        ..Outputs::default()
    };
    let manifest = r.manifest().map(crate::argo::manifest_text).transpose()?.unwrap_or_default();
    let resource = ResourceTemplate {
        action: r.action().to_owned(),
        manifest: kfp_dsl::ResourceSpec::raw_placeholders(&manifest, expr::input_json),
        success_condition: r.success().map(str::to_owned),
        failure_condition: r.failure().map(str::to_owned),
        merge_strategy: r.patch_strategy().map(str::to_owned),
        flags: r.kubectl_flags().to_vec(),
        set_owner_reference: r.owner_reference(),
    };
    Ok(Template {
        name: name.to_owned(),
        inputs,
        outputs,
        resource: Some(resource),
        active_deadline_seconds: r.wait_timeout().map(|s| s.to_string()),
        ..Template::default()
    })
}

/// A container argument with its placeholders replaced by Argo expressions and paths.
fn render(arg: &Arg) -> String {
    let mut out = String::new();
    arg.visit(&mut |a| match a {
        Arg::Lit(s) => out.push_str(s),
        Arg::InputValue(n) => out.push_str(&expr::input_param(n)),
        Arg::InputPath(n) => out.push_str(&expr::input_path(n)),
        Arg::OutputPath(n) => out.push_str(&expr::output_path(n)),
        // Visited part by part; `if` / `isPresent` were resolved per call when naming the variants.
        Arg::Concat(_) | Arg::If { .. } | Arg::IsPresent(_) | Arg::Foreign => {}
    });
    out
}
