//! Pass 3: lower the named graph to the Argo IR.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use kfp_dsl::{Arg, ArgValue, IoKind, Pipeline, TaskId, ValueSrc};

use crate::argo::{
    Arguments, Name, ArtifactRef, Container, DagTask, DagTemplate, EnvVar, Inputs, ObjectMeta, Outputs, Parameter,
    Template, ValueFrom, Workflow, WorkflowSpec,
};
use crate::error::CompileError;
use crate::passes::naming::Names;
use crate::{CompileOptions, expr, kfp_meta};

/// Builds the workflow.
pub(crate) fn lower(p: &Pipeline, names: &Names<'_>, opts: &CompileOptions) -> Result<Workflow, CompileError> {
    let arguments = workflow_arguments(p, opts)?;
    let mut templates = Vec::with_capacity(names.variants.len() + 1);
    templates.push(root_template(p, names));
    for (i, var) in names.variants.iter().enumerate() {
        let spec = p.component(var.component);
        let mut t = container_template(spec, &names.templates[i]);
        t.metadata.annotations.insert(kfp_meta::COMPONENT_SPEC.to_owned(), kfp_meta::component_spec(spec));
        if let Some(d) = var.display_name {
            t.metadata.annotations.insert(kfp_meta::DISPLAY_NAME.to_owned(), d.to_owned());
        }
        t.metadata.labels.insert(kfp_meta::ENABLE_CACHING.to_owned(), "true".to_owned());
        templates.push(t);
    }
    templates[1..].sort_by(|a, b| a.name.cmp(&b.name));

    let mut metadata = ObjectMeta {
        // Kubernetes appends 5 characters to `generateName`; pod names must stay within 63.
        generate_name: Some(format!("{}-", truncate_label(&names.root, 57))),
        ..ObjectMeta::default()
    };
    metadata.annotations.insert(kfp_meta::PIPELINE_SPEC.to_owned(), kfp_meta::pipeline_spec(p));
    Ok(Workflow {
        api_version: "argoproj.io/v1alpha1".to_owned(),
        kind: "Workflow".to_owned(),
        metadata,
        spec: WorkflowSpec {
            entrypoint: names.root.clone(),
            arguments,
            service_account_name: opts.service_account.clone(),
            templates,
        },
    })
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

/// The root DAG: every task in topological order, ties broken by name.
fn root_template(p: &Pipeline, names: &Names<'_>) -> Template {
    // Input names are shared by every call of a component.
    let inputs: Vec<Vec<Name>> =
        p.components().map(|(_, c)| c.inputs.iter().map(|i| Name::from(i.name.as_str())).collect()).collect();
    let tasks = topological_order(p, names)
        .into_iter()
        .map(|id| dag_task(p, names, &inputs, id))
        .collect();
    Template {
        name: names.root.clone(),
        inputs: Inputs {
            parameters: p.params().iter().map(|s| Parameter::named(s.name.as_str())).collect(),
            artifacts: Vec::new(),
        },
        dag: Some(DagTemplate { tasks }),
        ..Template::default()
    }
}

/// Kahn's algorithm with a min-heap on task names: deterministic and O(n log n + e).
fn topological_order(p: &Pipeline, names: &Names<'_>) -> Vec<TaskId> {
    let mut indegree = vec![0u32; p.task_count()];
    for id in p.task_ids() {
        for d in p.downstream(id) {
            indegree[d.index()] += 1;
        }
    }
    let mut ready: BinaryHeap<Reverse<(&str, TaskId)>> = p
        .task_ids()
        .filter(|id| indegree[id.index()] == 0)
        .map(|id| Reverse((&*names.tasks[id.index()], id)))
        .collect();
    let mut order = Vec::with_capacity(p.task_count());
    while let Some(Reverse((_, id))) = ready.pop() {
        order.push(id);
        for d in p.downstream(id) {
            let n = &mut indegree[d.index()];
            *n -= 1;
            if *n == 0 {
                ready.push(Reverse((&*names.tasks[d.index()], d)));
            }
        }
    }
    order
}

fn dag_task(p: &Pipeline, names: &Names<'_>, inputs: &[Vec<Name>], id: TaskId) -> DagTask {
    let task = p.task(id);
    let spec = p.component(task.component());
    let input_names = &inputs[task.component().index()];
    // Sized exactly: a task's argument lists are most of the IR's memory.
    let artifacts = spec.inputs.iter().filter(|i| i.kind.is_artifact()).count();
    let mut arguments = Arguments {
        parameters: Vec::with_capacity(spec.inputs.len() - artifacts),
        artifacts: Vec::with_capacity(artifacts),
    };
    for ((input, arg), input_name) in spec.inputs.iter().zip(task.args()).zip(input_names) {
        let input_name = input_name.clone();
        match arg {
            ArgValue::Const(v) => arguments.parameters.push(Parameter::with_value(input_name, v.as_str())),
            ArgValue::Param(src) => {
                let value = match *src {
                    ValueSrc::PipelineParam { index, .. } => expr::input_param(&p.params()[index as usize].name),
                    ValueSrc::TaskOutput { task: from, port, .. } => {
                        let out = &p.component(p.task(from).component()).outputs[port as usize].name;
                        expr::task_output_param(&names.tasks[from.index()], out)
                    }
                    // Rejected when the task was added.
                    ValueSrc::ComponentInput(_) => String::new(),
                };
                arguments.parameters.push(Parameter::with_value(input_name, value));
            }
            ArgValue::Artifact(src) => {
                let out = &p.component(p.task(src.task).component()).outputs[src.port as usize].name;
                let from = expr::task_output_artifact(&names.tasks[src.task.index()], out);
                arguments.artifacts.push(ArtifactRef::from_output(input_name, from));
                let _ = input;
            }
        }
    }
    let mut dependencies: Vec<Name> = p.upstream(id).map(|(u, _)| names.tasks[u.index()].clone()).collect();
    dependencies.sort_unstable();
    dependencies.dedup();
    DagTask {
        name: names.tasks[id.index()].clone(),
        template: names.templates[names.task_variant[id.index()]].clone(),
        dependencies,
        arguments,
    }
}

/// A component's container template: inputs, outputs and the container with placeholders rendered.
fn container_template(spec: &kfp_dsl::ComponentSpec, name: &str) -> Template {
    let mut inputs = Inputs::default();
    for i in &spec.inputs {
        match &i.kind {
            IoKind::Artifact { .. } => {
                inputs.artifacts.push(ArtifactRef::at_path(i.name.as_str(), expr::input_path(&i.name)))
            }
            _ => inputs.parameters.push(Parameter::named(i.name.as_str())),
        }
    }
    let mut outputs = Outputs::default();
    for o in &spec.outputs {
        let path = expr::output_path(&o.name);
        match &o.kind {
            IoKind::Artifact { .. } => outputs.artifacts.push(ArtifactRef::at_path(o.name.as_str(), path)),
            _ => outputs.parameters.push(Parameter {
                name: Name::from(o.name.as_str()),
                value_from: Some(ValueFrom { path: Some(path) }),
                ..Parameter::default()
            }),
        }
    }
    let container = spec.container_spec().map(|c| Container {
        image: c.image_ref().unwrap_or_default().to_owned(),
        command: c.command().iter().map(render).collect(),
        args: c.arguments().iter().map(render).collect(),
        env: c.environment().iter().map(|(n, v)| EnvVar { name: n.clone(), value: render(v) }).collect(),
    });
    Template { name: name.to_owned(), inputs, outputs, container, ..Template::default() }
}

/// A container argument with its placeholders replaced by Argo expressions and paths.
fn render(arg: &Arg) -> String {
    let mut out = String::new();
    arg.visit(&mut |a| match a {
        Arg::Lit(s) => out.push_str(s),
        Arg::InputValue(n) => out.push_str(&expr::input_param(n)),
        Arg::InputPath(n) => out.push_str(&expr::input_path(n)),
        Arg::OutputPath(n) => out.push_str(&expr::output_path(n)),
        _ => {}
    });
    out
}
