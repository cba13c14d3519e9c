//! The DAG templates: one per planned DAG, its values spelled as Argo expressions (by
//! [`crate::argo::expr`]); a loop with a `parallelism` limit also gets the wrapper template that
//! applies it.

use crate::argo::expr;
use crate::argo::{
    Arguments, ArtifactRef, DagTask, DagTemplate, Inputs, LifecycleHook, Name, Outputs, Parameter, Template, ValueFrom,
};
use crate::error::CompileError;
use crate::passes::naming::Names;
use crate::plan::{Args, Calls, Count, DagPlan, InputKind, Items, Plan, TaskPlan, ValueRef};

use super::importer::Imports;
use super::run_values::Reader;

/// The DAG templates of the plan: the root first, then the other scopes in the plan's order, each
/// loop's wrapper right after the DAG that holds the loop. The tasks are moved out of the plan as
/// they are rendered (a large pipeline's plan is most of its memory).
pub(crate) fn dag_templates(
    p: &kfp_dsl::Pipeline,
    plan: &mut Plan,
    names: &Names,
) -> Result<Vec<Template>, CompileError> {
    let mut templates = Vec::with_capacity(plan.dags.len());
    let mut errors = Vec::new();
    for i in 0..plan.dags.len() {
        let mut tasks = std::mem::take(&mut plan.dags[i].tasks);
        let imports = Imports::take(p, names, &plan.dags[i], &mut tasks, &mut errors);
        let depends = tasks.iter().any(|t| !t.triggers.is_empty());
        let mut r = Render { plan, names, errors: &mut errors, wrappers: Vec::new(), imports, depends };
        let tasks = tasks.into_iter().map(|t| r.task(t)).collect();
        let wrappers = r.wrappers;
        let dag = &plan.dags[i];
        templates.push(Template {
            name: dag.name.to_string(),
            inputs: inputs(dag),
            outputs: outputs(dag),
            dag: Some(DagTemplate { tasks }),
            ..Template::default()
        });
        templates.extend(wrappers);
    }
    if !errors.is_empty() {
        return Err(CompileError::Scope { errors });
    }
    Ok(templates)
}

struct Render<'a> {
    plan: &'a Plan,
    names: &'a Names,
    errors: &'a mut Vec<String>,
    /// Wrapper templates made while rendering the current DAG.
    wrappers: Vec<Template>,
    /// The current DAG's importers and values passed as files: locations, not tasks.
    imports: Imports,
    /// The current DAG spells its edges with `depends` (some task has a trigger).
    depends: bool,
}

/// The inputs a DAG's template declares.
fn inputs(dag: &DagPlan) -> Inputs {
    let mut inputs = Inputs::default();
    for i in &dag.inputs {
        match i.kind {
            InputKind::Artifact => inputs.artifacts.push(ArtifactRef::named(i.name.clone())),
            InputKind::Parameter | InputKind::Item(_) => inputs.parameters.push(Parameter::named(i.name.clone())),
        }
    }
    inputs
}

/// The outputs a DAG's template declares: a loop's collected values, a graph's returns, a condition's
/// exported values with their defaults.
fn outputs(dag: &DagPlan) -> Outputs {
    let mut outputs = Outputs::default();
    for o in &dag.outputs {
        match &o.value {
            // A loop's collected artifacts are read by key (`fan_in`), not through the loop's outputs.
            v if collected_artifact(dag, v) => {}
            // An artifact a graph or the pipeline returns: `from` the task that made it.
            v @ ValueRef::TaskArtifact { .. } => {
                let mut a = ArtifactRef::named(o.name.clone());
                a.from = Some(expr::value(v));
                outputs.artifacts.push(a);
            }
            v => outputs.parameters.push(output_parameter(o.name.clone(), expr::value(v), o.default.clone())),
        }
    }
    outputs
}

/// Whether `v`, an output of `dag`, is an artifact its loop collects.
fn collected_artifact(dag: &DagPlan, v: &ValueRef) -> bool {
    dag.kind == crate::plan::DagKind::Loop && matches!(v, ValueRef::TaskArtifact { .. })
}

fn output_parameter(name: Name, parameter: String, default: Option<String>) -> Parameter {
    Parameter {
        name,
        value_from: Some(ValueFrom { parameter: Some(parameter), default, ..ValueFrom::default() }),
        ..Parameter::default()
    }
}

/// `withSequence` for `count` integers from `start`: a count known at run time goes in as text Argo
/// parses as an integer (a value that is not one fails the task; it cannot become structure).
fn sequence(start: i64, count: Count) -> crate::argo::Sequence {
    let count = match count {
        Count::Literal(n) => n.to_string(),
        Count::Value(v) => expr::into_value(v),
    };
    crate::argo::Sequence { start: start.to_string(), count }
}

fn arguments(parameters: Args, artifacts: Args, imports: &Imports) -> Arguments {
    Arguments {
        parameters: parameters.into_iter().map(|(n, v)| Parameter::with_value(n, expr::into_value(v))).collect(),
        artifacts: artifacts
            .into_iter()
            .map(|(n, v)| match (imports.argument(&n, &v), v) {
                (Some(imported), _) => imported,
                (None, ValueRef::LoopArtifacts { port, dag, .. }) => {
                    ArtifactRef::from_key(n, super::fan_in::key(&dag, &port))
                }
                (None, v) => ArtifactRef::from_output(n, expr::into_value(v)),
            })
            .collect(),
    }
}

impl Render<'_> {
    fn template(&self, calls: Calls) -> Name {
        match calls {
            Calls::Variant(v) => self.names.templates[v].clone(),
            Calls::Graph(g) => self.names.graphs[g.index()].clone(),
            Calls::Scope(s) => self.plan.dag(s).name.clone(),
        }
    }

    /// Whether a task calling `calls` runs a pod template with a retry strategy.
    fn retried(&self, calls: Calls) -> bool {
        match calls {
            Calls::Variant(v) => self.names.variants[v].settings.as_ref().is_some_and(|s| s.retry.is_some()),
            Calls::Graph(_) | Calls::Scope(_) => false,
        }
    }

    fn task(&mut self, t: TaskPlan) -> DagTask {
        let wrapper = match (&t.for_each, t.calls) {
            (Some(each), Calls::Scope(c)) if each.parallelism.is_some() => {
                self.names.scopes[c.index()].wrapper.clone().map(|w| (c, w))
            }
            _ => None,
        };
        if let Some((c, wrapper)) = wrapper {
            return self.wrapped_loop(t, c, wrapper);
        }
        let reader = Reader { task: &t.name, retried: self.retried(t.calls) };
        let parameters = reader.args(t.parameters);
        let mut task = DagTask::new(t.name.clone(), self.template(t.calls));
        super::depends::set(&mut task, t.after, &t.triggers, self.depends);
        task.arguments = arguments(parameters, t.artifacts, &self.imports);
        if let Some(each) = t.for_each {
            match each.items {
                Items::Static(items) => task.with_items = Some(items),
                Items::Value(v) => task.with_param = Some(expr::into_value(v)),
                Items::Sequence { start, count } => task.with_sequence = Some(sequence(start, count)),
            }
        }
        if let Some(c) = &t.when {
            match expr::when(c) {
                Ok(w) => task.when = Some(w),
                Err(msg) => self.errors.push(format!("{}: condition: {msg}", t.location)),
            }
        }
        if let Some(hook) = t.exit_hook {
            let template = self.plan.dag(hook.calls).name.clone();
            let reader = Reader { task: &t.name, retried: false };
            let arguments = arguments(reader.args(hook.parameters), hook.artifacts, &self.imports);
            task.hooks.insert("exit".to_owned(), LifecycleHook { template, arguments });
        }
        task
    }

    /// A loop with a `parallelism` limit: Argo applies a template's `parallelism` to the tasks of its
    /// DAG, and a looped task expands into one task per item there, so the loop's group task calls a
    /// wrapper template whose DAG holds the looped task. The wrapper takes the loop's inputs except its
    /// own item, and the items if they come from a value.
    fn wrapped_loop(&mut self, t: TaskPlan, c: kfp_dsl::ScopeId, wrapper: Name) -> DagTask {
        let dag = self.plan.dag(c);
        let mut outer = DagTask::new(t.name.clone(), wrapper.clone());
        super::depends::set(&mut outer, t.after, &t.triggers, self.depends);
        // The items are passed by the wrapper's own looped task.
        let reader = Reader { task: &t.name, retried: false };
        let passed: Args =
            reader.args(t.parameters.into_iter().filter(|(_, v)| !matches!(v, ValueRef::Item(_))).collect());
        outer.arguments = arguments(passed, t.artifacts, &self.imports);

        let mut inner = DagTask::new(t.name.clone(), dag.name.clone());
        let mut inputs = Inputs::default();
        for i in &dag.inputs {
            let name = i.name.clone();
            match i.kind {
                InputKind::Item(field) => {
                    inner.arguments.parameters.push(Parameter::with_value(name, expr::value(&ValueRef::Item(field))));
                }
                InputKind::Artifact => {
                    inputs.artifacts.push(ArtifactRef::named(name.clone()));
                    let from = expr::value(&ValueRef::InputArtifact(name.clone()));
                    inner.arguments.artifacts.push(ArtifactRef::from_output(name, from));
                }
                InputKind::Parameter => {
                    inputs.parameters.push(Parameter::named(name.clone()));
                    inner.arguments.parameters.push(Parameter::with_value(name.clone(), expr::input_param(&name)));
                }
            }
        }
        let mut parallelism = None;
        if let Some(each) = t.for_each {
            parallelism = each.parallelism;
            match each.items {
                Items::Static(items) => inner.with_items = Some(items),
                Items::Value(v) => {
                    outer.arguments.parameters.push(Parameter::with_value("loop-items", expr::into_value(v)));
                    inputs.parameters.push(Parameter::named("loop-items"));
                    inner.with_param = Some(expr::input_param("loop-items"));
                }
                Items::Sequence { start, count: Count::Value(v) } => {
                    outer.arguments.parameters.push(Parameter::with_value("loop-count", expr::into_value(v)));
                    inputs.parameters.push(Parameter::named("loop-count"));
                    let count = Count::Value(ValueRef::Input(Name::from("loop-count")));
                    inner.with_sequence = Some(sequence(start, count));
                }
                Items::Sequence { start, count } => inner.with_sequence = Some(sequence(start, count)),
            }
        }
        let outputs = Outputs {
            parameters: dag
                .outputs
                .iter()
                .filter(|o| !collected_artifact(dag, &o.value))
                .map(|o| output_parameter(o.name.clone(), expr::task_output_param(&t.name, &o.name), None))
                .collect(),
            ..Outputs::default()
        };
        self.wrappers.push(Template {
            name: wrapper.to_string(),
            parallelism,
            inputs,
            outputs,
            dag: Some(DagTemplate { tasks: vec![inner] }),
            ..Template::default()
        });
        outer
    }
}
