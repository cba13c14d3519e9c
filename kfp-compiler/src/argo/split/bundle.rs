//! The children of a split: each part's WorkflowTemplate (the parent's settings, the part's root
//! tasks with the values of other parts read from its arguments, the templates they need); the
//! parent is built in `parent.rs`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::refs::{self, RUN_VALUES};
use super::strings;
use super::{Bundle, Part};
use crate::argo::{
    Arguments, DagTask, DagTemplate, Inputs, Name, Object, ObjectMeta, Outputs, Parameter, Template, ValueFrom,
    Workflow, WorkflowSpec, expr,
};
use crate::error::CompileError;

pub(super) struct Plan<'a> {
    pub(super) workflow: &'a Workflow,
    pub(super) entry: usize,
    pub(super) index: HashMap<&'a str, usize>,
    pub(super) children: &'a [Vec<usize>],
    /// (producer, output) -> the tasks that read it.
    pub(super) values: BTreeMap<(usize, String), Vec<usize>>,
    pub(super) parts: Vec<Vec<usize>>,
}

fn sanitize(s: &str) -> String {
    s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '-' }).collect()
}

/// FNV-1a over what is written, and its length: a child's spec is hashed and measured as it is
/// serialized, without keeping the text.
struct Fnv {
    hash: u64,
    len: usize,
}

impl std::io::Write for Fnv {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.hash = buf.iter().fold(self.hash, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3));
        self.len += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A template as the child carries it: the run's values it reads become the child's parameters
/// (`run_used`), and the pipeline parameters it may read are noted. Only a template that names a
/// run value makes the round trip through `serde_json::Value` that rewriting every string takes.
fn template(
    t: &Template,
    note: &mut dyn FnMut(&str),
    run_used: &mut BTreeSet<&'static str>,
) -> Result<Template, CompileError> {
    let text = serde_json::to_string(t).map_err(|e| CompileError::Emit(e.to_string()))?;
    // A template reads the pipeline's parameters only as `workflow.parameters` (the entry DAG passes
    // them to the others as arguments).
    if text.contains("workflow.parameters") {
        note(&text);
    }
    if !RUN_VALUES.iter().any(|(path, _, _)| text.contains(path)) {
        return Ok(t.clone());
    }
    let mut v = serde_json::to_value(t).map_err(|e| CompileError::Emit(e.to_string()))?;
    let mut no_move = |_: &str, _: &str| None;
    strings::value(&mut v, &mut |s| {
        if let Some(n) = refs::rewrite(s, &mut no_move, &mut |n| {
            run_used.insert(n);
        }) {
            *s = n;
        }
    });
    serde_json::from_value(v).map_err(|e| CompileError::Emit(e.to_string()))
}

pub(super) fn fresh(base: &str, taken: &dyn Fn(&str) -> bool) -> String {
    let mut name = base.to_owned();
    let mut k = 2;
    while taken(&name) {
        name = format!("{base}-{k}");
        k += 1;
    }
    name
}

/// The parent's settings a child takes (not its templates, exit handler, locks or time to live).
pub(super) fn settings(s: &WorkflowSpec) -> WorkflowSpec {
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

/// The bundle, and the size of each child's spec.
pub(super) fn build(plan: Plan<'_>) -> Result<(Bundle, Vec<usize>), CompileError> {
    let wf = plan.workflow;
    let templates = &wf.spec.templates;
    let entry = &templates[plan.entry];
    let dag_tasks = &entry.dag.as_ref().map_or(&[][..], |d| &d.tasks);
    let n_tasks = dag_tasks.len();
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
    // The tasks that read a value of another part: only their strings can name one.
    let mut reads_across = vec![false; n_tasks];
    for ((producer, p), consumers) in &plan.values {
        for &c in consumers {
            if part_of[c] != part_of[*producer] {
                reads_across[c] = true;
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
    let mut spec_sizes = Vec::with_capacity(plan.parts.len());
    for (k, tasks) in plan.parts.iter().enumerate() {
        let mut run_used: BTreeSet<&'static str> = BTreeSet::new();
        // The pipeline parameters the part's strings name.
        let mut reads = vec![false; pipeline_params.len()];
        let mut note = |s: &str| {
            if s.contains("parameters") {
                for (r, p) in reads.iter_mut().zip(&pipeline_params) {
                    *r = *r || s.contains(&*p.name);
                }
            }
        };
        let mut root = Vec::with_capacity(tasks.len());
        for &t in tasks {
            let mut task = dag_tasks[t].clone();
            let mut moved = |task: &str, p: &str| {
                let &src = task_index.get(task)?;
                (part_of[src] != k).then(|| names.get(&(src, p.to_owned())).map(|n| n.0.clone())).flatten()
            };
            let across = reads_across[t];
            strings::task(&mut task, &mut |s| {
                note(s);
                // Otherwise only the run's values can change, and they start with `workflow.`.
                if !across && !s.contains("workflow.") {
                    return;
                }
                if let Some(n) = refs::rewrite(s, &mut moved, &mut |n| {
                    run_used.insert(n);
                }) {
                    *s = n;
                }
            });
            task.dependencies.retain(|d| task_index.get(&**d).is_some_and(|&d| part_of[d] == k));
            root.push(task);
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
        for &t in &need {
            body_templates.push(template(&templates[t], &mut note, &mut run_used)?);
        }
        let taken = |s: &str| need.iter().any(|&t| templates[t].name == s);
        let entry_name = fresh("part", &taken);
        let body_name = fresh(&format!("{entry_name}-body"), &taken);
        // Arguments: the pipeline parameters it reads, the values of other parts, the run's values.
        let mut args: Vec<(String, String)> = Vec::new();
        let mut spec_args = Vec::new();
        let mut inputs = Vec::new();
        for (p, _) in pipeline_params.iter().zip(&reads).filter(|(_, r)| **r) {
            args.push((p.name.to_string(), expr::workflow_param(&p.name)));
            spec_args.push((*p).clone());
            if entry_inputs.contains(&*p.name) {
                inputs.push(Parameter::named(p.name.clone()));
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
        let output = |n: &str, from: String, global: bool| Parameter {
            value_from: Some(ValueFrom { parameter: Some(from), ..ValueFrom::default() }),
            global_name: global.then(|| n.to_owned()),
            ..Parameter::named(n)
        };
        let mut body_task = DagTask::new(Name::from("body"), Name::from(body_name.as_str()));
        body_task.arguments.parameters =
            inputs.iter().map(|p| Parameter::with_value(p.name.clone(), expr::input_param(&p.name))).collect();
        let entry_t = Template {
            name: entry_name.clone(),
            inputs: Inputs { parameters: inputs.clone(), ..Inputs::default() },
            outputs: Outputs {
                parameters: outs.iter().map(|(n, _)| output(n, expr::task_output_param("body", n), false)).collect(),
                ..Outputs::default()
            },
            dag: Some(DagTemplate { tasks: vec![body_task] }),
            ..Template::default()
        };
        let body_t = Template {
            name: body_name,
            parallelism: entry.parallelism,
            inputs: Inputs { parameters: inputs, ..Inputs::default() },
            // `globalName`: Argo copies a DAG task's outputs that have one into `status.outputs`.
            outputs: Outputs {
                parameters: outs.iter().map(|(n, from)| output(n, from.clone(), true)).collect(),
                ..Outputs::default()
            },
            dag: Some(DagTemplate { tasks: root }),
            ..Template::default()
        };
        let mut all = vec![entry_t, body_t];
        all.extend(body_templates);
        let spec = WorkflowSpec {
            entrypoint: entry_name,
            arguments: Arguments { parameters: spec_args, artifacts: Vec::new() },
            on_exit: None,
            ttl_strategy: None,
            synchronization: None,
            templates: all,
            ..settings(&wf.spec)
        };
        let mut fnv = Fnv { hash: 0xcbf2_9ce4_8422_2325, len: 0 };
        serde_json::to_writer(&mut fnv, &spec).map_err(|e| CompileError::Emit(e.to_string()))?;
        let hash = format!("{:016x}", fnv.hash);
        spec_sizes.push(fnv.len);
        let tail = format!("-{}-part-{}", &hash[..8], k + 1);
        let keep = 63usize.saturating_sub(tail.len());
        let stem: String = base.chars().take(keep).collect();
        let name = format!("{}{tail}", stem.trim_end_matches(['-', '.']));
        let doc = Workflow {
            api_version: "argoproj.io/v1alpha1".to_owned(),
            kind: "WorkflowTemplate".to_owned(),
            metadata: ObjectMeta { name: Some(name.clone()), ..ObjectMeta::default() },
            spec,
            patches: Vec::new(),
        };
        parts.push(Part { name, template: Object::Workflow(doc) });
        child_args.push(args);
    }
    let parent = super::parent::parent(
        wf,
        plan.entry,
        &parts,
        &child_args,
        &exports,
        &names,
        parent_outputs,
        &part_of,
        &plan.values,
    )?;
    Ok((Bundle { parent, parts }, spec_sizes))
}
