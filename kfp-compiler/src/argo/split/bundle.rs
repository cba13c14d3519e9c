//! Building the bundle from the parts: each child's WorkflowTemplate (the parent's settings, the
//! part's root tasks with the values of other parts read from its arguments, the templates they
//! need) and the parent (one resource step per part creating and awaiting the child).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Map, Value, json};

use super::refs::{self, RUN_VALUES};
use super::{Bundle, Part};
use crate::argo::{
    Arguments, DagTask, DagTemplate, Inputs, Name, Object, Outputs, Parameter, ResourceTemplate, Template, ValueFrom,
    Workflow, WorkflowSpec, expr,
};
use crate::error::CompileError;

pub(super) struct Plan<'a> {
    pub(super) workflow: &'a Workflow,
    pub(super) entry: usize,
    pub(super) index: HashMap<&'a str, usize>,
    pub(super) children: &'a [Vec<usize>],
    pub(super) task_json: Vec<Value>,
    /// (producer, output) -> the tasks that read it.
    pub(super) values: BTreeMap<(usize, String), Vec<usize>>,
    pub(super) parts: Vec<Vec<usize>>,
}

fn sanitize(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '-' }).collect()
}

fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

fn rewrite_strings(v: &mut Value, f: &mut dyn FnMut(&str) -> Option<String>) {
    match v {
        Value::String(s) => {
            if let Some(n) = f(s) {
                *s = n;
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| rewrite_strings(x, f)),
        Value::Object(m) => m.values_mut().for_each(|x| rewrite_strings(x, f)),
        _ => {}
    }
}

fn fresh(base: &str, taken: &dyn Fn(&str) -> bool) -> String {
    let mut name = base.to_owned();
    let mut k = 2;
    while taken(&name) {
        name = format!("{base}-{k}");
        k += 1;
    }
    name
}

fn to_value<T: serde::Serialize>(v: &T) -> Result<Value, CompileError> {
    serde_json::to_value(v).map_err(|e| CompileError::Emit(e.to_string()))
}

/// The parent's settings a child takes (not its templates, exit handler, locks or time to live).
fn settings(s: &WorkflowSpec) -> WorkflowSpec {
    WorkflowSpec {
        entrypoint: String::new(),
        arguments: Arguments::default(),
        service_account_name: s.service_account_name.clone(),
        on_exit: None,
        image_pull_secrets: s.image_pull_secrets.clone(),
        ttl_strategy: None,
        parallelism: s.parallelism,
        pod_gc: s.pod_gc.clone(),
        active_deadline_seconds: s.active_deadline_seconds,
        node_selector: s.node_selector.clone(),
        pod_disruption_budget: s.pod_disruption_budget.clone(),
        dns_config: s.dns_config.clone(),
        artifact_repository_ref: s.artifact_repository_ref.clone(),
        pod_metadata: s.pod_metadata.clone(),
        synchronization: None,
        templates: Vec::new(),
    }
}

fn param(name: &str, from: ValueFrom) -> Parameter {
    Parameter { value_from: Some(from), ..Parameter::named(name) }
}

pub(super) fn build(plan: Plan<'_>) -> Result<Bundle, CompileError> {
    let wf = plan.workflow;
    let templates = &wf.spec.templates;
    let entry = &templates[plan.entry];
    let dag_tasks = &entry.dag.as_ref().map_or(&[][..], |d| &d.tasks);
    let n_tasks = plan.task_json.len();
    let mut part_of = vec![0usize; n_tasks];
    for (k, p) in plan.parts.iter().enumerate() {
        for &t in p {
            part_of[t] = k;
        }
    }
    // The names of every value that crosses parts, and which part exports it.
    let mut names: BTreeMap<(usize, String), (String, String)> = BTreeMap::new();
    let mut used_names: BTreeSet<String> = BTreeSet::new();
    let mut name_of = |task: usize, p: &str| {
        let key = (task, p.to_owned());
        if let Some(n) = names.get(&key) {
            return n.clone();
        }
        let suffix = sanitize(&format!("{}-{p}", dag_tasks[task].name));
        let suffix = fresh(&suffix, &|s| used_names.contains(s));
        used_names.insert(suffix.clone());
        let n = (format!("in-{suffix}"), format!("out-{suffix}"));
        names.insert(key, n.clone());
        n
    };
    let mut exports: Vec<BTreeSet<(usize, String)>> = vec![BTreeSet::new(); plan.parts.len()];
    let mut imports: Vec<BTreeSet<(usize, String)>> = vec![BTreeSet::new(); plan.parts.len()];
    for ((producer, p), consumers) in &plan.values {
        for &c in consumers {
            if part_of[c] != part_of[*producer] {
                name_of(*producer, p);
                exports[part_of[*producer]].insert((*producer, p.clone()));
                imports[part_of[c]].insert((*producer, p.clone()));
            }
        }
    }
    // The pipeline's outputs, read by the parent.
    let task_index: HashMap<&str, usize> = dag_tasks.iter().enumerate().map(|(i, t)| (&*t.name, i)).collect();
    let mut parent_outputs = Vec::new();
    for o in &entry.outputs.parameters {
        let mut found = Vec::new();
        if let Some(s) = o.value_from.as_ref().and_then(|v| v.parameter.as_ref()) {
            refs::task_refs(s, &mut found);
        }
        let mut o = o.clone();
        for r in found {
            let (Some(&t), refs::Read::Param(p)) = (task_index.get(r.task.as_str()), &r.read) else {
                return Err(super::split_error(format!(
                    "the pipeline output `{}` is not a task's output parameter: compile without `--split`",
                    o.name
                )));
            };
            let (_, out) = name_of(t, p);
            exports[part_of[t]].insert((t, p.clone()));
            if let Some(v) = o.value_from.as_mut().and_then(|v| v.parameter.as_mut()) {
                *v = v.replace(
                    &expr::task_output_param(&r.task, p),
                    &expr::task_output_param(&format!("part-{}", part_of[t] + 1), &out),
                );
            }
        }
        parent_outputs.push(o);
    }
    let base = wf.metadata.generate_name.as_deref().or(wf.metadata.name.as_deref()).unwrap_or("pipeline");
    let base = base.trim_end_matches(['-', '.']);
    let pipeline_params: Vec<&Parameter> = wf.spec.arguments.parameters.iter().collect();
    let entry_inputs: BTreeSet<&str> = entry.inputs.parameters.iter().map(|p| &*p.name).collect();
    let mut parts = Vec::with_capacity(plan.parts.len());
    // Per part: the child's arguments (name, what the parent passes).
    let mut child_args: Vec<Vec<(String, String)>> = Vec::new();
    let mut task_json = plan.task_json;
    for (k, tasks) in plan.parts.iter().enumerate() {
        let mut run_used: BTreeSet<&'static str> = BTreeSet::new();
        let mut root = Vec::with_capacity(tasks.len());
        for &t in tasks {
            let mut v = std::mem::take(&mut task_json[t]);
            let mut moved = |task: &str, p: &str| {
                let &src = task_index.get(task)?;
                (part_of[src] != k).then(|| names.get(&(src, p.to_owned())).map(|n| n.0.clone())).flatten()
            };
            rewrite_strings(&mut v, &mut |s| refs::rewrite(s, &mut moved, &mut |n| {
                run_used.insert(n);
            }));
            if let Some(Value::Array(deps)) = v.get_mut("dependencies") {
                deps.retain(|d| d.as_str().and_then(|d| task_index.get(d)).is_some_and(|&d| part_of[d] == k));
                if deps.is_empty() {
                    v.as_object_mut().map(|m| m.remove("dependencies"));
                }
            }
            root.push(v);
        }
        // The templates the part needs, in the workflow's order.
        let mut need: BTreeSet<usize> = BTreeSet::new();
        let mut stack: Vec<usize> = tasks
            .iter()
            .flat_map(|&t| {
                let d = &dag_tasks[t];
                std::iter::once(&d.template).chain(d.hooks.values().map(|h| &h.template))
            })
            .filter_map(|n| plan.index.get(&**n).copied())
            .collect();
        while let Some(t) = stack.pop() {
            if need.insert(t) {
                stack.extend_from_slice(&plan.children[t]);
            }
        }
        let mut body_templates = Vec::with_capacity(need.len());
        let mut no_move = |_: &str, _: &str| None;
        for &t in &need {
            let mut v = to_value(&templates[t])?;
            rewrite_strings(&mut v, &mut |s| refs::rewrite(s, &mut no_move, &mut |n| {
                run_used.insert(n);
            }));
            body_templates.push(v);
        }
        let text = serde_json::to_string(&(&root, &body_templates)).map_err(|e| CompileError::Emit(e.to_string()))?;
        let taken = |s: &str| need.iter().any(|&t| templates[t].name == s);
        let entry_name = fresh("part", &taken);
        let body_name = fresh(&format!("{entry_name}-body"), &taken);
        // Arguments: the pipeline parameters it reads, the values of other parts, the run's values.
        let mut args: Vec<(String, String)> = Vec::new();
        let mut spec_args = Vec::new();
        let mut inputs = Vec::new();
        for p in &pipeline_params {
            if text.contains(&*p.name) {
                args.push((p.name.to_string(), expr::workflow_param(&p.name)));
                spec_args.push((*p).clone());
                if entry_inputs.contains(&*p.name) {
                    inputs.push(Parameter::named(p.name.clone()));
                }
            }
        }
        for key in &imports[k] {
            let (inn, out) = &names[key];
            args.push((inn.clone(), expr::task_output_param(&format!("part-{}", part_of[key.0] + 1), out)));
            spec_args.push(Parameter::named(inn.as_str()));
        }
        for (_, name, value) in RUN_VALUES.iter().filter(|(_, n, _)| run_used.contains(n)) {
            args.push(((*name).to_owned(), (*value).to_owned()));
            spec_args.push(Parameter::named(*name));
        }
        let outs: Vec<(&str, String)> = exports[k]
            .iter()
            .map(|(t, p)| (names[&(*t, p.clone())].1.as_str(), expr::task_output_param(&dag_tasks[*t].name, p)))
            .collect();
        let pass: Vec<Value> =
            inputs.iter().map(|p| json!({"name": &*p.name, "value": expr::input_param(&p.name)})).collect();
        let mut entry_t = Map::new();
        entry_t.insert("name".into(), json!(entry_name));
        if !inputs.is_empty() {
            entry_t.insert("inputs".into(), json!({"parameters": to_value(&inputs)?}));
        }
        if !outs.is_empty() {
            let o: Vec<Value> = outs
                .iter()
                .map(|(n, _)| json!({"name": n, "valueFrom": {"parameter": expr::task_output_param("body", n)}}))
                .collect();
            entry_t.insert("outputs".into(), json!({"parameters": o}));
        }
        let mut body_task = json!({"name": "body", "template": body_name});
        if !pass.is_empty() {
            body_task["arguments"] = json!({"parameters": pass});
        }
        entry_t.insert("dag".into(), json!({"tasks": [body_task]}));
        let mut body_t = Map::new();
        body_t.insert("name".into(), json!(body_name));
        if let Some(p) = entry.parallelism {
            body_t.insert("parallelism".into(), json!(p));
        }
        if !inputs.is_empty() {
            body_t.insert("inputs".into(), json!({"parameters": to_value(&inputs)?}));
        }
        if !outs.is_empty() {
            // `globalName`: Argo copies a DAG task's outputs that have one into `status.outputs`.
            let o: Vec<Value> = outs
                .iter()
                .map(|(n, from)| json!({"name": n, "globalName": n, "valueFrom": {"parameter": from}}))
                .collect();
            body_t.insert("outputs".into(), json!({"parameters": o}));
        }
        body_t.insert("dag".into(), json!({"tasks": root}));
        let spec = WorkflowSpec {
            entrypoint: entry_name,
            arguments: Arguments { parameters: spec_args, artifacts: Vec::new() },
            on_exit: None,
            ttl_strategy: None,
            synchronization: None,
            templates: Vec::new(),
            ..settings(&wf.spec)
        };
        let mut spec = to_value(&spec)?;
        let mut all = vec![Value::Object(entry_t), Value::Object(body_t)];
        all.extend(body_templates);
        spec["templates"] = Value::Array(all);
        let spec_text = serde_json::to_vec(&spec).map_err(|e| CompileError::Emit(e.to_string()))?;
        let hash = format!("{:016x}", fnv(&spec_text));
        let tail = format!("-{}-part-{}", &hash[..8], k + 1);
        let keep = 63usize.saturating_sub(tail.len());
        let stem: String = base.chars().take(keep).collect();
        let name = format!("{}{tail}", stem.trim_end_matches(['-', '.']));
        let doc = json!({
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "WorkflowTemplate",
            "metadata": {"name": name},
            "spec": spec,
        });
        parts.push(Part { name, template: Object::Patched(doc) });
        child_args.push(args);
    }
    Ok(Bundle { parent: parent(wf, plan.entry, &parts, &child_args, &exports, &names, parent_outputs, &part_of, &plan.values)?, parts })
}

#[allow(clippy::too_many_arguments)]
fn parent(
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
            inputs: Inputs { parameters: child_args[k].iter().map(|(n, _)| Parameter::named(n.as_str())).collect(), artifacts: Vec::new() },
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
