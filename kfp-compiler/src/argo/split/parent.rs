//! The parent workflow of a split: its entry DAG runs one resource step per part, which creates the
//! part's child Workflow from its WorkflowTemplate and waits for it; the exit handler, the locks and
//! the time to live stay here.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::Part;
use super::bundle::{fresh, settings};
use crate::argo::{
    DagTask, DagTemplate, Inputs, Name, Outputs, Parameter, ResourceTemplate, Template, ValueFrom, Workflow,
    WorkflowSpec, expr,
};
use crate::error::CompileError;

fn param(name: &str, from: ValueFrom) -> Parameter {
    Parameter { value_from: Some(from), ..Parameter::named(name) }
}

/// The parent of `parts`.
#[allow(clippy::too_many_arguments)]
pub(super) fn parent(
    wf: &Workflow,
    entry: usize,
    parts: &[Part],
    child_args: &[Vec<(String, String)>],
    exports: &[BTreeSet<(usize, String)>],
    names: &BTreeMap<(usize, String), (String, String)>,
    outputs: Vec<Parameter>,
    part_of: &[usize],
    values: &BTreeMap<(usize, String), Vec<usize>>,
) -> Result<Workflow, CompileError> {
    let templates = &wf.spec.templates;
    let index: HashMap<&str, usize> = templates.iter().enumerate().map(|(i, t)| (t.name.as_str(), i)).collect();
    // The exit handler and what it runs stay in the parent.
    let mut keep: BTreeSet<usize> = BTreeSet::new();
    let mut stack: Vec<usize> = wf.spec.on_exit.iter().filter_map(|n| index.get(n.as_str()).copied()).collect();
    while let Some(t) = stack.pop() {
        if keep.insert(t) {
            for task in templates[t].dag.iter().flat_map(|d| &d.tasks) {
                stack.extend(index.get(&*task.template).copied());
                stack.extend(task.hooks.values().filter_map(|h| index.get(&*h.template).copied()));
            }
        }
    }
    let entry_t = &templates[entry];
    let dag_tasks = &entry_t.dag.as_ref().map_or(&[][..], |d| &d.tasks);
    // Parts wait for the parts they read from and the parts of the tasks they run after.
    let mut after: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); parts.len()];
    for ((producer, _), consumers) in values {
        for &c in consumers {
            if part_of[c] != part_of[*producer] {
                after[part_of[c]].insert(part_of[*producer]);
            }
        }
    }
    let task_index: HashMap<&str, usize> = dag_tasks.iter().enumerate().map(|(i, t)| (&*t.name, i)).collect();
    for (i, t) in dag_tasks.iter().enumerate() {
        for d in &t.dependencies {
            if let Some(&p) = task_index.get(&**d)
                && part_of[p] != part_of[i]
            {
                after[part_of[i]].insert(part_of[p]);
            }
        }
    }
    let taken = |s: &str| keep.iter().any(|&t| templates[t].name == s) || s == entry_t.name;
    let mut new_templates = Vec::new();
    let mut steps = Vec::new();
    for (k, part) in parts.iter().enumerate() {
        let task_name: Name = Name::from(format!("part-{}", k + 1));
        let tname = fresh(&task_name, &taken);
        let mut manifest = String::from(
            "{\"apiVersion\":\"argoproj.io/v1alpha1\",\"kind\":\"Workflow\",\"metadata\":{\"generateName\":\"{{workflow.name}}-",
        );
        manifest.push_str(&format!("part-{}-\"}},\"spec\":{{\"workflowTemplateRef\":{{\"name\":", k + 1));
        manifest.push_str(&serde_json::to_string(&part.name).map_err(|e| CompileError::Emit(e.to_string()))?);
        manifest.push_str("},\"arguments\":{\"parameters\":[");
        for (i, (n, _)) in child_args[k].iter().enumerate() {
            if i > 0 {
                manifest.push(',');
            }
            let quoted = serde_json::to_string(n).map_err(|e| CompileError::Emit(e.to_string()))?;
            manifest.push_str(&format!("{{\"name\":{quoted},\"value\":{}}}", expr::input_json(n, "String")));
        }
        manifest.push_str("]}}}");
        let resource = ResourceTemplate {
            action: "create".to_owned(),
            manifest,
            success_condition: Some("status.phase == Succeeded".to_owned()),
            failure_condition: Some("status.phase in (Failed, Error)".to_owned()),
            set_owner_reference: true,
            ..ResourceTemplate::default()
        };
        let outs = exports[k]
            .iter()
            .map(|key| {
                let out = &names[key].1;
                let path = format!("{{.status.outputs.parameters[?(@.name==\"{out}\")].value}}");
                param(out, ValueFrom { json_path: Some(path), ..ValueFrom::default() })
            })
            .collect();
        new_templates.push(Template {
            name: tname.clone(),
            inputs: Inputs {
                parameters: child_args[k].iter().map(|(n, _)| Parameter::named(n.as_str())).collect(),
                artifacts: Vec::new(),
            },
            outputs: Outputs { parameters: outs, artifacts: Vec::new() },
            resource: Some(resource),
            ..Template::default()
        });
        let mut step = DagTask::new(task_name, Name::from(tname));
        step.dependencies = after[k].iter().map(|j| Name::from(format!("part-{}", j + 1))).collect();
        step.arguments.parameters =
            child_args[k].iter().map(|(n, v)| Parameter::with_value(n.as_str(), v.as_str())).collect();
        steps.push(step);
    }
    let entry_new = Template {
        name: entry_t.name.clone(),
        parallelism: wf.spec.parallelism.map(|_| 1),
        inputs: entry_t.inputs.clone(),
        outputs: Outputs { parameters: outputs, artifacts: Vec::new() },
        dag: Some(DagTemplate { tasks: steps }),
        ..Template::default()
    };
    let mut all = vec![entry_new];
    all.extend(new_templates);
    all.extend(keep.iter().map(|&t| templates[t].clone()));
    let spec = WorkflowSpec {
        entrypoint: wf.spec.entrypoint.clone(),
        arguments: wf.spec.arguments.clone(),
        on_exit: wf.spec.on_exit.clone(),
        ttl_strategy: wf.spec.ttl_strategy.clone(),
        synchronization: wf.spec.synchronization.clone(),
        templates: all,
        ..settings(&wf.spec)
    };
    Ok(Workflow {
        api_version: wf.api_version.clone(),
        kind: wf.kind.clone(),
        metadata: wf.metadata.clone(),
        spec,
        patches: Vec::new(),
    })
}
