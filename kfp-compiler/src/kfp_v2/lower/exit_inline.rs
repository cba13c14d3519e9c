//! An exit handler whose exit closure is one container task gets that task at the exit handler's
//! level, as kfp writes `dsl.ExitHandler(exit_task=...)`, instead of a DAG of exit tasks.
//!
//! Both forms mean the same on KFP 2.4 and later, whose backend turns any task with
//! `ALL_UPSTREAM_TASKS_COMPLETED` into an Argo exit hook. KFP 2.2 and 2.3 (still in the field, on Argo
//! v3.4) apply that strategy to container tasks only (`argocompiler/dag.go`, `depends_exit_handler`):
//! there an exit DAG would wait for its body to *succeed*, and never run after a failure. An exit
//! closure of several tasks keeps its DAG (kfp 2.x allows one exit task only), which those versions
//! run only after a success (the README says so).

use std::collections::BTreeSet;

use crate::kfp_v2::{
    Implementation, ParameterSource, PipelineSpec, PipelineTaskSpec, PlatformSpec, TaskInputArtifact, TriggerStrategy,
};

/// Inlines every exit DAG that holds a single container task.
pub(crate) fn inline_single_exit_tasks(spec: &mut PipelineSpec, platform: &PlatformSpec) {
    let mut dags: Vec<Option<String>> = vec![None];
    dags.extend(spec.components.keys().cloned().map(Some));
    let mut dropped = BTreeSet::new();
    for dag in dags {
        let Some(tasks) = dag_tasks(spec, dag.as_deref()) else { continue };
        let exits: Vec<String> = tasks
            .iter()
            .filter(|(_, t)| {
                t.trigger_policy.as_ref().and_then(|p| p.strategy) == Some(TriggerStrategy::AllUpstreamTasksCompleted)
            })
            .map(|(n, _)| n.clone())
            .collect();
        for exit in exits {
            let Some(tasks) = dag_tasks(spec, dag.as_deref()) else { continue };
            let outer = &tasks[&exit];
            let Some(inner) = single_container_task(spec, platform, &outer.component_ref.name) else { continue };
            let (inner_name, mut task) = inner;
            if inner_name != exit && tasks.contains_key(&inner_name) {
                continue;
            }
            // Its inputs, read where the exit DAG's task read them.
            for value in task.inputs.parameters.values_mut() {
                if let ParameterSource::ComponentInputParameter(n) = &value.source
                    && value.parameter_expression_selector.is_none()
                    && let Some(outside) = outer.inputs.parameters.get(n)
                {
                    *value = outside.clone();
                }
            }
            for value in task.inputs.artifacts.values_mut() {
                if let TaskInputArtifact::ComponentInputArtifact(n) = value
                    && let Some(outside) = outer.inputs.artifacts.get(n.as_str())
                {
                    *value = outside.clone();
                }
            }
            task.dependent_tasks.clone_from(&outer.dependent_tasks);
            task.trigger_policy.clone_from(&outer.trigger_policy);
            dropped.insert(outer.component_ref.name.clone());
            if let Some(tasks) = dag_tasks_mut(spec, dag.as_deref()) {
                tasks.remove(&exit);
                tasks.insert(inner_name, task);
            }
        }
    }
    // The exit DAGs no task runs any more.
    let used: BTreeSet<String> = std::iter::once(&spec.root)
        .chain(spec.components.values())
        .filter_map(|c| match &c.implementation {
            Implementation::Dag(d) => Some(d.tasks.values().map(|t| t.component_ref.name.clone())),
            Implementation::ExecutorLabel(_) => None,
        })
        .flatten()
        .collect();
    for name in dropped {
        if !used.contains(&name) {
            spec.components.remove(&name);
        }
    }
}

/// The one task of DAG component `name`, when it is a plain container task whose executor's
/// Kubernetes settings read nothing from the DAG's inputs.
fn single_container_task(
    spec: &PipelineSpec,
    platform: &PlatformSpec,
    name: &str,
) -> Option<(String, PipelineTaskSpec)> {
    let Implementation::Dag(dag) = &spec.components.get(name)?.implementation else { return None };
    if dag.tasks.len() != 1 || !dag.outputs.is_empty() {
        return None;
    }
    let (task_name, task) = dag.tasks.iter().next()?;
    let plain = task.trigger_policy.is_none() && task.parameter_iterator.is_none() && task.dependent_tasks.is_empty();
    let component = spec.components.get(&task.component_ref.name)?;
    let Implementation::ExecutorLabel(label) = &component.implementation else { return None };
    let settings = &platform.platforms.kubernetes.deployment_spec.executors;
    // A mount of a created claim below its DAG reads the claim's name from a DAG input (`channels`).
    let reads_dag_inputs = settings.get(label).is_some_and(|k| {
        k.pvc_mount.iter().any(|m| matches!(m.pvc_name_parameter.source, ParameterSource::ComponentInputParameter(_)))
    });
    (plain && !reads_dag_inputs).then(|| (task_name.clone(), task.clone()))
}

fn dag_tasks<'a>(
    spec: &'a PipelineSpec,
    component: Option<&str>,
) -> Option<&'a std::collections::BTreeMap<String, PipelineTaskSpec>> {
    let c = match component {
        None => &spec.root,
        Some(n) => spec.components.get(n)?,
    };
    match &c.implementation {
        Implementation::Dag(d) => Some(&d.tasks),
        Implementation::ExecutorLabel(_) => None,
    }
}

fn dag_tasks_mut<'a>(
    spec: &'a mut PipelineSpec,
    component: Option<&str>,
) -> Option<&'a mut std::collections::BTreeMap<String, PipelineTaskSpec>> {
    let c = match component {
        None => &mut spec.root,
        Some(n) => spec.components.get_mut(n)?,
    };
    match &mut c.implementation {
        Implementation::Dag(d) => Some(&mut d.tasks),
        Implementation::ExecutorLabel(_) => None,
    }
}
