//! A task that waits for a condition runs whether the condition held or not, on both targets.
//!
//! On Argo, `dependencies` treat a skipped task as done. The KFP v2 backend writes every
//! `dependentTasks` entry as `<task>.Succeeded` (its `argocompiler/dag.go`), so a task waiting for a
//! condition group whose condition was false would never run (kfp 2.x refuses such a dependency
//! outright). The IR keeps the Argo meaning by running each such condition group inside a DAG of its
//! own that always runs: `<group>` becomes a task of the same name calling
//! `comp-<group>-or-skipped`, a DAG whose one task is the condition group with its trigger. The DAG
//! succeeds when the group is skipped, so what waits for it runs. (Condition groups have no outputs
//! on the IR: `default_if_skipped` is refused.)

use std::collections::BTreeSet;

use crate::kfp_v2::{
    ComponentSpec, DagSpec, Implementation, PipelineSpec, TaskInputArtifact, TaskInputParameter, TaskInputs,
    TriggerStrategy,
};

/// Wraps every condition group another task of its DAG waits for.
pub(crate) fn wrap_awaited_conditions(spec: &mut PipelineSpec) {
    let mut wrappers = Vec::new();
    wrap_in(&mut spec.root, &spec.components, &mut wrappers);
    let names: Vec<String> = spec.components.keys().cloned().collect();
    for name in names {
        if let Some(mut c) = spec.components.remove(&name) {
            wrap_in(&mut c, &spec.components, &mut wrappers);
            spec.components.insert(name, c);
        }
    }
    for (name, c) in wrappers {
        spec.components.insert(name, c);
    }
}

fn wrap_in(
    component: &mut ComponentSpec,
    components: &std::collections::BTreeMap<String, ComponentSpec>,
    wrappers: &mut Vec<(String, ComponentSpec)>,
) {
    let Implementation::Dag(dag) = &mut component.implementation else { return };
    let awaited: BTreeSet<String> = dag
        .tasks
        .values()
        .filter(|t| {
            t.trigger_policy.as_ref().and_then(|p| p.strategy) != Some(TriggerStrategy::AllUpstreamTasksCompleted)
        })
        .flat_map(|t| t.dependent_tasks.iter().cloned())
        .collect();
    for name in awaited {
        let Some(task) = dag.tasks.get_mut(&name) else { continue };
        if task.trigger_policy.as_ref().and_then(|p| p.condition.as_ref()).is_none() {
            continue;
        }
        let Some(group) = components.get(&task.component_ref.name) else { continue };
        let wrapper_name = format!("{}-or-skipped", task.component_ref.name);
        // The group, inside: the same inputs, read from the wrapper's.
        let mut inner = task.clone();
        inner.dependent_tasks.clear();
        inner.inputs = TaskInputs {
            parameters: task
                .inputs
                .parameters
                .keys()
                .map(|k| (k.clone(), TaskInputParameter::component_input(k)))
                .collect(),
            artifacts: task
                .inputs
                .artifacts
                .keys()
                .map(|k| (k.clone(), TaskInputArtifact::component_input(k)))
                .collect(),
        };
        let mut wrapper = ComponentSpec::dag(DagSpec::default().task(name.clone(), inner));
        wrapper.input_definitions = group.input_definitions.clone();
        // The task outside: no trigger; it runs the wrapper.
        task.trigger_policy = None;
        task.component_ref.name.clone_from(&wrapper_name);
        wrappers.push((wrapper_name, wrapper));
    }
}
