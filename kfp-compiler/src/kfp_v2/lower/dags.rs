//! The plan's DAGs as IR components: the root DAG, loops (`parameterIterator`), conditions
//! (`triggerPolicy.condition` in CEL over the task's own inputs), exit handlers (the exit tasks after
//! the body, `ALL_UPSTREAM_TASKS_COMPLETED`, with the body's final status) and graph components.
//! Values are spelled as `componentInputParameter`, `taskOutputParameter`, `runtimeValue` or
//! `taskFinalStatus`; a value built from parts is a constant with one placeholder per part, each
//! part an extra task input, as kfp writes f-strings.

use std::collections::BTreeMap;

use kfp_dsl::{GlobalValue, Pipeline};

use super::channels::{Channels, param_channel};
use super::components::{artifact_type, output_artifact_type, parameter_type, typed_constant};
use crate::kfp_v2::placeholder::input_parameter;
use crate::kfp_v2::{
    ArtifactDefinition, ArtifactTypeSchema, CachingOptions, ComponentSpec, DagOutputParameter, DagSpec, IteratorItems,
    OutputParameterDefinition, ParameterDefinition, ParameterIterator, ParameterType, PipelineTaskSpec,
    TaskInputArtifact, TaskInputParameter, TriggerPolicy, settings,
};
use crate::passes::naming::{FastMap, Name, Names};
use crate::plan::{Calls, Count, DagKind, DagPlan, InputKind, Items, Plan, TaskPlan, ValueRef};

/// The type of a DAG input or of a value: a parameter type, or an artifact of a schema.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Ty {
    Param(ParameterType),
    Artifact(ArtifactTypeSchema),
}

/// Lowers every DAG of the plan; returns the root and the other DAG components by name.
pub(crate) struct DagLowering<'a> {
    pub(crate) p: &'a Pipeline,
    pub(crate) names: &'a Names,
    pub(crate) plan: &'a Plan,
    /// Values settings read from outside their DAG.
    channels: &'a Channels,
    /// Input types of each DAG, by scope index, known once its parent is lowered.
    inputs: Vec<BTreeMap<Name, Ty>>,
    /// Output types of each DAG, by scope index.
    outputs: Vec<BTreeMap<Name, Ty>>,
    /// What each task of each DAG calls, by scope index and task name: built once per DAG (both
    /// passes over the DAGs read it, and every task output argument looks its producer up).
    calls: Vec<TaskCalls>,
    /// Per variant: its component's name (`comp-<template>`), formatted once rather than per call.
    variant_refs: Vec<String>,
    pub(crate) errors: Vec<String>,
}

/// The input of the pipeline-wide exit tasks' DAG that holds the run's final status.
const RUN_STATUS: &str = "run-status";

/// The pipeline parameters and run status a value reads (the pipeline-wide exit tasks' inputs).
fn collect_run_refs(v: &ValueRef, out: &mut Vec<ValueRef>) {
    match v {
        ValueRef::PipelineParam(_) | ValueRef::RunStatus if !out.contains(v) => {
            out.push(v.clone());
        }
        ValueRef::Concat(parts) => parts.iter().for_each(|p| collect_run_refs(p, out)),
        _ => {}
    }
}

/// The item input of a loop DAG (kfp's `pipelinechannel--loop-item-param-N`).
fn item_input(dag: &DagPlan) -> String {
    format!("{}-loop-item", dag.name)
}

/// The input of a loop DAG holding its items when they are a value.
fn items_input(dag: &DagPlan) -> String {
    format!("{}-loop-items", dag.name)
}

/// The callee of each task of a DAG, by task name. (FNV: the names are the compiler's own, and one
/// is hashed per task output read.)
type TaskCalls = FastMap<Name, Calls>;

impl<'a> DagLowering<'a> {
    pub(crate) fn new(p: &'a Pipeline, names: &'a Names, plan: &'a Plan, channels: &'a Channels) -> Self {
        let n = plan.dags.len();
        DagLowering {
            p,
            names,
            plan,
            channels,
            inputs: vec![BTreeMap::new(); n],
            outputs: vec![BTreeMap::new(); n],
            calls: plan.dags.iter().map(|dag| dag.tasks.iter().map(|t| (t.name.clone(), t.calls)).collect()).collect(),
            variant_refs: names.templates.iter().map(|t| component_name(t)).collect(),
            errors: Vec::new(),
        }
    }

    /// Every DAG, parents before children (the plan's order), as `(component name, spec)`; the root's
    /// name is `None`.
    pub(crate) fn lower(&mut self) -> Vec<(Option<String>, ComponentSpec)> {
        for param in self.p.params() {
            self.inputs[0].insert(Name::from(param.name.as_str()), Ty::Param(parameter_type(param.type_name)));
        }
        for (_, spec) in self.p.graphs() {
            let scope = spec.scope.index();
            for input in &spec.interface.inputs {
                if let kfp_dsl::IoKind::Parameter { type_name } = &input.kind {
                    self.inputs[scope].insert(Name::from(input.name.as_str()), Ty::Param(parameter_type(type_name)));
                }
            }
        }
        // Output types first, children before parents, so a group task's outputs are known.
        for i in (0..self.plan.dags.len()).rev() {
            let dag = &self.plan.dags[i];
            let mut types = BTreeMap::new();
            for o in &dag.outputs {
                let t = self.value_type(i, &self.calls[i], &o.value);
                // A loop collects: parameters into a list, artifacts into an artifact list (of their type).
                let t = match t {
                    Ty::Param(_) if dag.kind == DagKind::Loop => Ty::Param(ParameterType::List),
                    t => t,
                };
                types.insert(o.name.clone(), t);
            }
            self.outputs[i] = types;
        }
        // The pipeline-wide exit tasks read pipeline parameters and the run's status: inputs of their DAG,
        // which the exit task in the root passes.
        if let Some(exit) = self.plan.on_exit {
            let mut refs = Vec::new();
            for t in &self.plan.dag(exit).tasks {
                for (_, v) in &t.parameters {
                    collect_run_refs(v, &mut refs);
                }
            }
            for r in refs {
                let (name, ty) = match &r {
                    ValueRef::PipelineParam(n) => {
                        (n.clone(), self.inputs[0].get(n).cloned().unwrap_or(Ty::Param(ParameterType::Text)))
                    }
                    _ => (Name::from(RUN_STATUS), Ty::Param(ParameterType::TaskFinalStatus)),
                };
                self.inputs[exit.index()].insert(name, ty);
            }
        }
        let mut out = Vec::with_capacity(self.plan.dags.len());
        for i in 0..self.plan.dags.len() {
            let spec = self.dag(i);
            let dag = &self.plan.dags[i];
            out.push(((dag.kind != DagKind::Root).then(|| component_name(&dag.name)), spec));
        }
        out
    }

    /// The type of `v` as read in DAG `i`.
    fn value_type(&self, i: usize, tasks: &TaskCalls, v: &ValueRef) -> Ty {
        let string = Ty::Param(ParameterType::Text);
        match v {
            ValueRef::Literal(_) | ValueRef::Global(_) | ValueRef::Concat(_) | ValueRef::Item(_) => string,
            ValueRef::Input(n) | ValueRef::PipelineParam(n) => self.inputs
                [if matches!(v, ValueRef::PipelineParam(_)) { 0 } else { i }]
            .get(n)
            .cloned()
            .unwrap_or(string),
            ValueRef::InputArtifact(n) => {
                self.inputs[i].get(n).cloned().unwrap_or(Ty::Artifact(ArtifactTypeSchema::system("Artifact")))
            }
            ValueRef::TaskOutput { task, port } | ValueRef::TaskArtifact { task, port } => {
                self.output_type(tasks.get(task).copied(), port).unwrap_or(string)
            }
            ValueRef::LoopOutput { .. } => Ty::Param(ParameterType::List),
            ValueRef::LoopArtifacts { group, port, .. } => self
                .output_type(tasks.get(group).copied(), port)
                .unwrap_or(Ty::Artifact(ArtifactTypeSchema::system("Artifact"))),
            ValueRef::ConditionOutput { group, port } => {
                self.output_type(tasks.get(group).copied(), port).unwrap_or(string)
            }
            ValueRef::TaskStatus(_) | ValueRef::RunStatus => Ty::Param(ParameterType::TaskFinalStatus),
        }
    }

    /// The type of output `port` of what `calls` runs.
    fn output_type(&self, calls: Option<Calls>, port: &str) -> Option<Ty> {
        match calls? {
            Calls::Variant(v) => {
                let spec = self.p.component(self.names.variants[v].component);
                spec.output(port).map(|o| match &o.kind {
                    kfp_dsl::IoKind::Parameter { type_name } => Ty::Param(parameter_type(type_name)),
                    kfp_dsl::IoKind::Artifact { type_name, .. } => {
                        Ty::Artifact(output_artifact_type(&o.name, type_name))
                    }
                })
            }
            Calls::Graph(g) => {
                let scope = self.p.graph_spec(g).scope.index();
                self.outputs[scope].get(port).cloned()
            }
            Calls::Scope(c) => self.outputs[c.index()].get(port).cloned(),
        }
    }

    /// The type input `name` of what `calls` runs expects.
    fn input_type(&self, calls: Calls, name: &str) -> Option<Ty> {
        match calls {
            Calls::Variant(v) => {
                let spec = self.p.component(self.names.variants[v].component);
                spec.input(name).map(|i| match &i.kind {
                    kfp_dsl::IoKind::Parameter { type_name } => Ty::Param(parameter_type(type_name)),
                    kfp_dsl::IoKind::Artifact { type_name, .. } => Ty::Artifact(artifact_type(type_name)),
                })
            }
            Calls::Graph(g) => self.inputs[self.p.graph_spec(g).scope.index()].get(name).cloned(),
            Calls::Scope(c) => self.inputs[c.index()].get(name).cloned(),
        }
    }

    /// The kfp-kubernetes step a call of a volume step becomes.
    fn pvc_step(&self, calls: Calls) -> Option<crate::kfp_v2::pvc::PvcStep> {
        let Calls::Variant(v) = calls else { return None };
        let r = self.p.component(self.names.variants[v].component).resource_spec()?;
        crate::kfp_v2::pvc::pvc_component(r)
    }

    fn component_ref(&self, calls: Calls) -> String {
        match calls {
            Calls::Variant(v) => self.variant_refs[v].clone(),
            Calls::Graph(g) => component_name(&self.plan.dag(self.p.graph_spec(g).scope).name),
            Calls::Scope(c) => component_name(&self.plan.dag(c).name),
        }
    }

    /// DAG `i` as a component.
    fn dag(&mut self, i: usize) -> ComponentSpec {
        let dag = &self.plan.dags[i];
        // Taken out for the loop (`task` needs `&mut self`), put back after.
        let tasks = std::mem::take(&mut self.calls[i]);
        let mut spec = DagSpec::default();
        for t in &dag.tasks {
            self.task(i, &tasks, t, &mut spec.tasks);
        }
        self.calls[i] = tasks;
        for o in &dag.outputs {
            if o.default.is_some() {
                self.errors.push(format!(
                    "`{}`: a task output read outside its condition (`default_if_skipped`) has no KFP v2 IR form \
                     (the IR has no default for a skipped branch): compile for Argo",
                    o.name
                ));
            }
            match &o.value {
                ValueRef::TaskOutput { task, port } | ValueRef::LoopOutput { group: task, port } => {
                    spec = spec.output_parameter(
                        o.name.to_string(),
                        DagOutputParameter::from_task(task.to_string(), port.to_string()),
                    );
                }
                // A loop's collected artifacts: a list output of the loop DAG (`isArtifactList`); an
                // artifact a graph or the pipeline returns: one artifact, selected from its producer.
                ValueRef::TaskArtifact { task, port } => {
                    spec = spec.output_artifact(
                        o.name.to_string(),
                        crate::kfp_v2::DagOutputArtifact::from_task(task.to_string(), port.to_string()),
                    );
                }
                ValueRef::Input(input) => {
                    let location = match dag.kind {
                        DagKind::Graph(g) => Some(self.p.graph_spec(g).location),
                        DagKind::Root => self.p.returns_location(),
                        _ => None,
                    };
                    let at = location.map(|l| format!("{l}: ")).unwrap_or_default();
                    self.errors.push(format!(
                        "{at}`{}` returns its input `{input}` unchanged as output `{}`: the KFP v2 IR has no form for \
                         that (a DAG's output is selected from a task in it); return a task's output, or compile for Argo",
                        dag.name, o.name
                    ));
                }
                other => self.errors.push(format!("output `{}` of `{}` reads {other:?}: no IR form", o.name, dag.name)),
            }
        }
        let mut c = ComponentSpec::dag(spec);
        let item = item_input(dag);
        let mut item_declared = false;
        for input in &dag.inputs {
            match input.kind {
                InputKind::Item(field) => {
                    if !item_declared {
                        let t = if field.is_some() { ParameterType::Struct } else { self.item_type(i) };
                        c = c.input_parameter(item.clone(), ParameterDefinition::new(t));
                        item_declared = true;
                    }
                }
                InputKind::Parameter => {
                    let t = match self.inputs[i].get(&input.name) {
                        Some(Ty::Param(t)) => *t,
                        _ => ParameterType::Text,
                    };
                    let mut d = ParameterDefinition::new(t);
                    if dag.kind == DagKind::Root
                        && let Some(p) = self.p.params().iter().find(|p| *p.name == *input.name)
                    {
                        if let Some(default) = &p.default {
                            d = d.default_value(typed_constant(default, t)).optional();
                        }
                        if let Some(desc) = &p.description {
                            d = d.description(desc.clone());
                        }
                    }
                    c = c.input_parameter(input.name.to_string(), d);
                }
                InputKind::Artifact => {
                    let t = match self.inputs[i].get(&input.name) {
                        Some(Ty::Artifact(a)) => a.clone(),
                        _ => ArtifactTypeSchema::system("Artifact"),
                    };
                    c = c.input_artifact(input.name.to_string(), ArtifactDefinition::new(t));
                }
            }
        }
        // Values settings read from outside (`channels`).
        for (name, t) in &self.channels.inputs[i] {
            if dag.kind != DagKind::Root {
                c = c.input_parameter(name.clone(), ParameterDefinition::new(*t));
            }
        }
        // Inputs added for this DAG by its group task (loop items as a value, condition operands).
        for (name, t) in self.inputs[i].clone() {
            let declared = c.input_definitions.parameters.contains_key(&*name)
                || c.input_definitions.artifacts.contains_key(&*name);
            if !declared
                && dag.kind != DagKind::Root
                && !matches!(dag.kind, DagKind::Graph(_))
                && let Ty::Param(t) = t
                && !dag.inputs.iter().any(|d| d.name == name)
                && *name != *item
            {
                c = c.input_parameter(name.to_string(), ParameterDefinition::new(t));
            }
        }
        for o in &dag.outputs {
            match self.outputs[i].get(&o.name) {
                Some(Ty::Param(t)) => c = c.output_parameter(o.name.to_string(), OutputParameterDefinition::new(*t)),
                Some(Ty::Artifact(a)) => {
                    let d = crate::kfp_v2::OutputArtifactDefinition::new(a.clone());
                    let d = if dag.kind == DagKind::Loop { d.list() } else { d };
                    c = c.output_artifact(o.name.to_string(), d);
                }
                _ => {}
            }
        }
        if dag.kind == DagKind::Loop && !item_declared {
            // A body that never reads its item (`parallel_for(0..3, |p, _| ..)`): the iterator still
            // names it, and the backend checks that the component declares it.
            c = c.input_parameter(item, ParameterDefinition::new(self.item_type(i)));
        }
        c
    }

    /// The type of a loop's items when they are plain values: known from a static list, else the
    /// type of the first input the item feeds (a list from a value carries no element type).
    fn item_type(&self, i: usize) -> ParameterType {
        let dag = &self.plan.dags[i];
        if let Some(Ty::Param(t)) = self.inputs[i].get(&Name::from(item_input(dag))) {
            return *t;
        }
        let items: Vec<&Name> =
            dag.inputs.iter().filter(|d| d.kind == InputKind::Item(None)).map(|d| &d.name).collect();
        for t in &dag.tasks {
            for (name, v) in &t.parameters {
                if let ValueRef::Input(n) = v
                    && items.contains(&n)
                    && let Some(Ty::Param(ty)) = self.input_type(t.calls, name)
                {
                    return ty;
                }
            }
        }
        ParameterType::Text
    }

    /// One task of DAG `i` as IR tasks, added to `out`: the task itself, and for an exit handler's
    /// body the exit tasks' task after it.
    fn task(&mut self, i: usize, tasks: &TaskCalls, t: &TaskPlan, out: &mut BTreeMap<String, PipelineTaskSpec>) {
        let display = match t.calls {
            Calls::Variant(v) => self.names.variants[v].settings.as_ref().and_then(|s| s.display_name.clone()),
            _ => None,
        };
        let mut task =
            PipelineTaskSpec::new(self.component_ref(t.calls), display.unwrap_or_else(|| t.name.to_string()));
        task.dependent_tasks = t.after.iter().map(|n| n.to_string()).collect();
        // `after_finished` (kfp's `ignore_upstream_failure`); `after_failed` was refused before lowering.
        if !t.triggers.is_empty() {
            task = task.trigger(TriggerPolicy::all_upstream_completed());
        }
        if let Calls::Variant(v) = t.calls {
            let names = self.names;
            match names.variants[v].settings.as_deref() {
                Some(s) => {
                    task = task.caching(settings::caching(s));
                    if let Some(r) = &s.retry {
                        task = task.retry(settings::retry_policy(r));
                    }
                    // A resource from a pipeline parameter: the executor reads it from a task input, as
                    // kfp writes it.
                    // (The channel input itself is in `self.channels`.)
                    for (key, param) in settings::resource_inputs(s) {
                        let channel = param_channel(param);
                        task = task.parameter(
                            key,
                            TaskInputParameter::constant(serde_json::Value::String(input_parameter(&channel))),
                        );
                    }
                    // From a task output or loop item: the input the plan feeds from it.
                    for (key, input) in settings::value_resource_inputs(s) {
                        task = task.parameter(
                            key,
                            TaskInputParameter::constant(serde_json::Value::String(input_parameter(&input))),
                        );
                    }
                }
                None => task = task.caching(CachingOptions::enabled()),
            }
        }
        let mut extra: Vec<(String, TaskInputParameter)> = Vec::new();
        let pvc = self.pvc_step(t.calls);
        if let Some(step) = &pvc {
            for (name, value) in &step.constants {
                task = task.parameter(*name, TaskInputParameter::constant(value.clone()));
            }
        }
        for (name, v) in &t.parameters {
            let name = &match &pvc {
                Some(step) => match step.inputs.iter().find(|(model, _)| **model == **name) {
                    Some((_, ir)) => Name::from(*ir),
                    None => continue,
                },
                None => name.clone(),
            };
            if let ValueRef::Item(_) = v {
                // The loop's item: one input of the loop DAG for all fields (its parameterIterator).
                continue;
            }
            let expected = self.input_type(t.calls, name);
            let value = self.parameter(i, tasks, name, v, expected.as_ref(), &mut extra);
            task = task.parameter(name.to_string(), value);
        }
        for (name, v) in &t.artifacts {
            match self.artifact(v) {
                Some(a) => task = task.artifact(name.to_string(), a),
                None => self.errors.push(format!("{}: artifact `{name}` reads {v:?}: no IR form", t.location)),
            }
        }
        if let Some(each) = &t.for_each {
            let Calls::Scope(c) = t.calls else { unreachable!("a loop's group task runs its scope") };
            let child = self.plan.dag(c);
            let items = match &each.items {
                Items::Static(items) => {
                    let t = items.first().map_or(ParameterType::Text, |v| match v {
                        serde_json::Value::Number(n) if n.is_i64() || n.is_u64() => ParameterType::NumberInteger,
                        serde_json::Value::Number(_) => ParameterType::NumberDouble,
                        serde_json::Value::Bool(_) => ParameterType::Boolean,
                        serde_json::Value::Object(_) => ParameterType::Struct,
                        serde_json::Value::Array(_) => ParameterType::List,
                        _ => ParameterType::Text,
                    });
                    self.inputs[c.index()].insert(Name::from(item_input(child)), Ty::Param(t));
                    IteratorItems::Raw(raw_list(items))
                }
                Items::Sequence { start, count: Count::Literal(n) } => {
                    // A literal range: the list kfp would write for `range(..)`.
                    self.inputs[c.index()]
                        .insert(Name::from(item_input(child)), Ty::Param(ParameterType::NumberInteger));
                    let items: Vec<serde_json::Value> =
                        (0..*n).map(|k| serde_json::Value::from(start.saturating_add(k as i64))).collect();
                    IteratorItems::Raw(raw_list(&items))
                }
                Items::Sequence { count: Count::Value(_), .. } => {
                    // Refused before lowering (`unsupported`): the IR cannot make a list from a number.
                    self.errors.push(format!("{}: a range with a run-time end has no IR form", t.location));
                    IteratorItems::Raw("[]".to_owned())
                }
                Items::Value(v) => {
                    let input = items_input(child);
                    let value = self.parameter(i, tasks, &input, v, None, &mut extra);
                    task = task.parameter(input.clone(), value);
                    self.inputs[c.index()].insert(Name::from(input.as_str()), Ty::Param(ParameterType::List));
                    IteratorItems::InputParameter(input)
                }
            };
            task = task.iterate(ParameterIterator::new(items, item_input(child)));
            if let Some(limit) = each.parallelism {
                task = task.parallelism_limit(limit);
            }
        }
        if let Some(cond) = &t.when {
            let Calls::Scope(c) = t.calls else { unreachable!("a condition's group task runs its scope") };
            let prefix = format!("{}-operand-", self.plan.dag(c).name);
            let mut operands = Vec::new();
            let cel = super::cel::cel(cond, &prefix, &mut operands);
            for (k, v) in operands.into_iter().enumerate() {
                let name = format!("{prefix}{k}");
                let ty = self.value_type(i, tasks, &v);
                let value = self.parameter(i, tasks, &name, &v, None, &mut extra);
                task = task.parameter(name.clone(), value);
                self.inputs[c.index()].insert(Name::from(name.as_str()), ty);
            }
            task = task.trigger(TriggerPolicy::condition(cel));
        }
        // Values plumbed into a child DAG give it inputs of their types.
        if let Calls::Scope(c) = t.calls {
            for (name, v) in &t.parameters {
                if let ValueRef::Item(_) = v {
                    continue;
                }
                let ty = self.value_type(i, tasks, v);
                self.inputs[c.index()].entry(name.clone()).or_insert(ty);
            }
            for (name, v) in &t.artifacts {
                let ty = self.value_type(i, tasks, v);
                self.inputs[c.index()].entry(name.clone()).or_insert(ty);
            }
        }
        for (name, value) in extra.drain(..) {
            task = task.parameter(name, value);
        }
        for (name, value) in self.channels.args.get(&(i, t.name.clone())).into_iter().flatten() {
            task = task.parameter(name.clone(), value.clone());
        }
        out.insert(t.name.to_string(), task);
        if let Some(hook) = &t.exit_hook {
            let exit = self.plan.dag(hook.calls);
            let mut task = PipelineTaskSpec::new(component_name(&exit.name), exit.name.to_string())
                .after(t.name.to_string())
                .trigger(TriggerPolicy::all_upstream_completed());
            for (name, v) in &hook.parameters {
                let ty = self.value_type(i, tasks, v);
                let value = self.parameter(i, tasks, name, v, None, &mut extra);
                task = task.parameter(name.to_string(), value);
                self.inputs[hook.calls.index()].entry(name.clone()).or_insert(ty);
            }
            for (name, value) in self.channels.args.get(&(i, exit.name.clone())).into_iter().flatten() {
                task = task.parameter(name.clone(), value.clone());
            }
            out.insert(exit.name.to_string(), task);
        }
        if self.plan.on_exit.is_some()
            && i == 0
            && matches!(t.calls, Calls::Scope(c) if self.plan.dag(c).kind == DagKind::ExitBody)
            && let Some(exit_scope) = self.plan.on_exit
        {
            let exit = self.plan.dag(exit_scope);
            let mut task = PipelineTaskSpec::new(component_name(&exit.name), exit.name.to_string())
                .after(t.name.to_string())
                .trigger(TriggerPolicy::all_upstream_completed());
            for name in self.inputs[exit_scope.index()].keys() {
                let value = if &**name == RUN_STATUS {
                    TaskInputParameter::final_status(t.name.to_string())
                } else {
                    TaskInputParameter::component_input(name.to_string())
                };
                task = task.parameter(name.to_string(), value);
            }
            out.insert(exit.name.to_string(), task);
        }
    }

    /// A parameter argument as the IR spells it in DAG `i`.
    #[allow(clippy::too_many_arguments)]
    fn parameter(
        &mut self,
        i: usize,
        tasks: &TaskCalls,
        name: &str,
        v: &ValueRef,
        expected: Option<&Ty>,
        extra: &mut Vec<(String, TaskInputParameter)>,
    ) -> TaskInputParameter {
        let dag = &self.plan.dags[i];
        match v {
            ValueRef::Literal(s) => {
                let t = match expected {
                    Some(Ty::Param(t)) => *t,
                    _ => ParameterType::Text,
                };
                TaskInputParameter::constant(typed_constant(s, t))
            }
            ValueRef::Input(n) => match dag.inputs.iter().find(|d| d.name == *n).map(|d| d.kind) {
                Some(InputKind::Item(field)) => {
                    let p = TaskInputParameter::component_input(item_input(dag));
                    match field {
                        Some(f) => p.select(format!("parseJson(string_value)[{}]", serde_json::Value::from(f))),
                        None => p,
                    }
                }
                _ => TaskInputParameter::component_input(n.to_string()),
            },
            ValueRef::PipelineParam(n) => TaskInputParameter::component_input(n.to_string()),
            ValueRef::TaskOutput { task: producer, port } => {
                // CreatePVC calls the claim's name `name`, whatever the model's output is called.
                let step = tasks.get(producer).and_then(|c| self.pvc_step(*c));
                let port = step
                    .and_then(|s| s.outputs.iter().find(|(model, _)| **model == **port).map(|(_, ir)| *ir))
                    .map_or_else(|| port.to_string(), str::to_owned);
                TaskInputParameter::task_output(producer.to_string(), port)
            }
            ValueRef::LoopOutput { group: producer, port } | ValueRef::ConditionOutput { group: producer, port } => {
                TaskInputParameter::task_output(producer.to_string(), port.to_string())
            }
            ValueRef::TaskStatus(body) => TaskInputParameter::final_status(body.to_string()),
            ValueRef::RunStatus => TaskInputParameter::component_input(RUN_STATUS),
            ValueRef::Global(g) => TaskInputParameter::constant(serde_json::Value::String(global(*g).to_owned())),
            ValueRef::Item(_) => TaskInputParameter::component_input(item_input(dag)),
            ValueRef::Concat(parts) => {
                // As kfp writes an f-string: a constant with one placeholder per part, each part an
                // extra input of the task.
                let mut text = String::new();
                for (k, part) in parts.iter().enumerate() {
                    match part {
                        ValueRef::Literal(s) => text.push_str(s),
                        other => {
                            let channel = format!("{name}-part-{k}");
                            let value = self.parameter(i, tasks, &channel, other, None, extra);
                            extra.push((channel.clone(), value));
                            text.push_str(&input_parameter(&channel));
                        }
                    }
                }
                TaskInputParameter::constant(serde_json::Value::String(text))
            }
            ValueRef::InputArtifact(_) | ValueRef::TaskArtifact { .. } | ValueRef::LoopArtifacts { .. } => {
                self.errors.push(format!("parameter `{name}` reads an artifact"));
                TaskInputParameter::constant(serde_json::Value::String(String::new()))
            }
        }
    }

    fn artifact(&self, v: &ValueRef) -> Option<TaskInputArtifact> {
        match v {
            ValueRef::InputArtifact(n) | ValueRef::Input(n) => Some(TaskInputArtifact::component_input(n.to_string())),
            ValueRef::TaskArtifact { task, port }
            | ValueRef::TaskOutput { task, port }
            | ValueRef::LoopArtifacts { group: task, port, .. } => {
                Some(TaskInputArtifact::task_output(task.to_string(), port.to_string()))
            }
            _ => None,
        }
    }
}

/// The component of a DAG or variant named `name`.
pub(crate) fn component_name(name: &str) -> String {
    format!("comp-{name}")
}

/// A run value as the KFP v2 backend's placeholder.
fn global(g: GlobalValue) -> &'static str {
    match g {
        GlobalValue::RunId => "{{$.pipeline_job_uuid}}",
        GlobalValue::WorkflowName => "{{$.pipeline_job_name}}",
        GlobalValue::JobResourceName => "{{$.pipeline_job_resource_name}}",
        GlobalValue::CreateTime => "{{$.pipeline_job_create_time_utc}}",
        GlobalValue::ScheduleTime => "{{$.pipeline_job_schedule_time_utc}}",
        GlobalValue::TaskName => "{{$.pipeline_task_name}}",
        GlobalValue::TaskId => "{{$.pipeline_task_uuid}}",
        // Refused before lowering (`unsupported`): KFP v2 has no namespace or retry count placeholder.
        GlobalValue::Namespace | GlobalValue::RetryCount => "",
    }
}

/// A static loop list as kfp writes it (Python's JSON separators, sorted keys).
fn raw_list(items: &[serde_json::Value]) -> String {
    match IteratorItems::raw_json(items) {
        IteratorItems::Raw(s) => s,
        IteratorItems::InputParameter(s) => s,
    }
}
