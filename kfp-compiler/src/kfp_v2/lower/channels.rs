//! Values a task's settings read from outside its DAG: a pipeline parameter a resource limit reads,
//! or the name of a claim the pipeline creates that the task mounts. The plan plumbs only argument
//! values (Argo reads settings from `{{workflow.parameters.x}}` anywhere); the IR resolves a
//! `componentInputParameter` in the task's own DAG, so such a value goes down as a
//! `pipelinechannel--<name>` input of every DAG between where it exists and the task, each DAG's
//! group task (or every call of a graph component) passing it on, as kfp writes channels.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use kfp_dsl::model::{Pipeline, VolumeSource};
use kfp_dsl::{ScopeId, TaskId};

use crate::kfp_v2::{ParameterType, PvcReference, TaskInputParameter, pvc, settings};
use crate::passes::naming::{Name, Names};
use crate::plan::{Calls, DagKind, Plan};

/// Where a channel's value exists.
#[derive(Clone, Debug)]
enum Origin {
    /// A pipeline parameter: an input of the root DAG.
    Param(String),
    /// The `name` output of a CreatePVC task, in that task's DAG (by scope index).
    Claim { task: Name, dag: usize },
}

/// The extra inputs of each DAG and the extra arguments of each task.
#[derive(Default)]
pub(crate) struct Channels {
    /// Per DAG (by scope index): the channels it takes, with their types.
    pub(crate) inputs: Vec<BTreeMap<String, ParameterType>>,
    /// Per (DAG index, task name): the channels it passes (group tasks, graph calls) or reads itself
    /// (a resource from a parameter).
    pub(crate) args: HashMap<(usize, Name), Vec<(String, TaskInputParameter)>>,
    /// Per variant whose calls mount created claims (all in one DAG, see `passes::variants::Split`):
    /// how its executor reads each claim's name, by the claim's name in the model.
    pub(crate) claims: HashMap<usize, BTreeMap<String, PvcReference>>,
    pub(crate) errors: Vec<String>,
}

/// The channel name kfp gives a pipeline parameter read by a task's settings.
pub(crate) fn param_channel(param: &str) -> String {
    format!("pipelinechannel--{param}")
}

/// The channel name kfp gives a CreatePVC task's claim name.
pub(crate) fn claim_channel(create_task: &str) -> String {
    format!("pipelinechannel--{create_task}-name")
}

impl Channels {
    /// Finds every channel of the planned pipeline.
    pub(crate) fn find(p: &Pipeline, names: &Names, plan: &Plan) -> Self {
        let mut c = Channels { inputs: vec![BTreeMap::new(); plan.dags.len()], ..Channels::default() };
        let created = pvc::created_claims(p);
        let scope_of = |id: TaskId| p.task(id).scope().index();
        for (i, dag) in plan.dags.iter().enumerate() {
            for t in &dag.tasks {
                let Calls::Variant(v) = t.calls else { continue };
                let Some(s) = names.variants[v].settings.as_deref() else { continue };
                for (_, param) in settings::resource_inputs(s) {
                    let channel = param_channel(param);
                    let value = c.read(p, plan, i, &channel, &Origin::Param(param.to_owned()), &mut BTreeSet::new());
                    c.args.entry((i, t.name.clone())).or_default().push((channel, value));
                }
                for (_, source) in &s.volumes {
                    let VolumeSource::Pvc(claim) = source else { continue };
                    let Some(&create) = created.get(claim) else { continue };
                    let task = names.tasks[create.index()].clone();
                    let origin = Origin::Claim { task: task.clone(), dag: scope_of(create) };
                    let reference = if scope_of(create) == i {
                        pvc::claim_reference(&task)
                    } else {
                        let channel = claim_channel(&task);
                        c.read(p, plan, i, &channel, &origin, &mut BTreeSet::new());
                        PvcReference::ComponentInputParameter(channel)
                    };
                    c.claims.entry(v).or_default().insert(claim.clone(), reference);
                }
            }
        }
        c
    }

    /// How DAG `i` reads channel `name`: where it exists, or as an input of its own, passed by every
    /// task that runs the DAG (recursively up to where it exists).
    fn read(
        &mut self,
        p: &Pipeline,
        plan: &Plan,
        i: usize,
        name: &str,
        origin: &Origin,
        seen: &mut BTreeSet<usize>,
    ) -> TaskInputParameter {
        match origin {
            Origin::Param(param) if i == 0 => return TaskInputParameter::component_input(param.clone()),
            Origin::Claim { task, dag } if *dag == i => {
                return TaskInputParameter::task_output(task.to_string(), "name");
            }
            _ => {}
        }
        let input = TaskInputParameter::component_input(name.to_owned());
        if self.inputs[i].contains_key(name) || !seen.insert(i) {
            return input;
        }
        self.inputs[i].insert(name.to_owned(), ParameterType::Text);
        let callers = callers(p, plan, i);
        if callers.is_empty() {
            let what = match origin {
                Origin::Param(p) => format!("pipeline parameter `{p}`"),
                Origin::Claim { task, .. } => format!("the claim `{task}` creates"),
            };
            self.errors.push(format!(
                "{what} is read by a task's settings in `{}`, which is not inside the DAG that has it: make the \
                 volume in a DAG that encloses every task mounting it",
                plan.dags[i].name
            ));
        }
        for (j, task) in callers {
            let value = self.read(p, plan, j, name, origin, seen);
            let args = self.args.entry((j, task)).or_default();
            if !args.iter().any(|(n, _)| n == name) {
                args.push((name.to_owned(), value));
            }
        }
        input
    }
}

/// The tasks that run DAG `i`, as (their DAG's index, their name): a scope's group task in its parent
/// (an exit handler's exit tasks: the exit task named after their DAG), or every call of a graph
/// component.
fn callers(p: &Pipeline, plan: &Plan, i: usize) -> Vec<(usize, Name)> {
    let dag = &plan.dags[i];
    let mut out = Vec::new();
    match dag.kind {
        DagKind::Root => {}
        DagKind::Graph(g) => {
            for (j, d) in plan.dags.iter().enumerate() {
                for t in d.tasks.iter().filter(|t| t.calls == Calls::Graph(g)) {
                    out.push((j, t.name.clone()));
                }
            }
        }
        DagKind::ExitTasks => {
            let parent = p.scope(dag.scope).parent.map_or(0, ScopeId::index);
            out.push((parent, dag.name.clone()));
        }
        DagKind::Loop | DagKind::Condition | DagKind::ExitBody => {
            let parent = p.scope(dag.scope).parent.map_or(0, ScopeId::index);
            if let Some(t) = plan.dags[parent].tasks.iter().find(|t| t.calls == Calls::Scope(dag.scope)) {
                out.push((parent, t.name.clone()));
            }
        }
    }
    out
}
