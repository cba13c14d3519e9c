//! A split bundle made by hand, to the contract between the compiler's `compile --split` and the
//! local runner: the parent Workflow (one resource step `part-<k>` per part, creating a Workflow
//! from the part's WorkflowTemplate and reading its outputs by jsonPath) and one WorkflowTemplate
//! per part (the part's root tasks; values from other parts as `in-<task>-<param>` parameters;
//! values other parts read as `out-<task>-<param>` outputs of its entry DAG; artifacts across parts
//! as keys of the artifact repository). It splits a compiled workflow whose root DAG's tasks are in
//! topological order at the given task counts. Written for the runner's tests only: the compiler's
//! `split` is the real one.

#![allow(dead_code, unreachable_pub)]

use std::collections::BTreeSet;

use kfp::argo::{ArtifactRef, DagTask, Parameter, ResourceTemplate, Template, ValueFrom, Workflow};

/// The `{{tasks.T.outputs.parameters.P}}` / `.artifacts.A` references in `text`: (T, kind, P).
fn references(text: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("{{tasks.") {
        let after = &rest[i + 8..];
        let Some(end) = after.find("}}") else { break };
        let parts: Vec<&str> = after[..end].split('.').collect();
        if let [t, "outputs", kind, p] = parts.as_slice() {
            out.push(((*t).to_owned(), (*kind).to_owned(), (*p).to_owned()));
        }
        rest = &after[end..];
    }
    out
}

fn cross_name(prefix: &str, task: &str, p: &str) -> String {
    format!("{prefix}-{task}-{p}").to_lowercase().replace(|c: char| !c.is_ascii_alphanumeric() && c != '-', "-")
}

/// The JSON-string tag for an input, as resource manifests write values (the compiler's
/// `json_value`): every `{` of the JSON string escaped as `\u007b`, so no tag can form in it.
fn json_tag(name: &str) -> String {
    format!("{{{{=sprig.replace('{{', '\\\\u007b', toJson(inputs.parameters['{name}']))}}}}")
}

/// Splits `wf` into parts of `sizes` root tasks each (the last part takes the rest).
pub fn split(wf: &Workflow, sizes: &[usize], base: &str) -> (Workflow, Vec<(String, Workflow)>) {
    let entry = wf.spec.templates.iter().find(|t| t.name == wf.spec.entrypoint).expect("entry template");
    let tasks = &entry.dag.as_ref().expect("entry DAG").tasks;
    let mut chunks: Vec<&[DagTask]> = Vec::new();
    let mut from = 0;
    for &n in sizes {
        chunks.push(&tasks[from..from + n]);
        from += n;
    }
    chunks.push(&tasks[from..]);
    let part_of = |name: &str| chunks.iter().position(|c| c.iter().any(|t| *t.name == *name)).expect("task");
    // What each part reads from the others: (task, kind, name).
    let reads: Vec<BTreeSet<(String, String, String)>> = chunks
        .iter()
        .enumerate()
        .map(|(k, chunk)| {
            let mut set = BTreeSet::new();
            for t in chunk.iter() {
                let mut texts: Vec<&str> = t.arguments.parameters.iter().filter_map(|p| p.value.as_deref()).collect();
                texts.extend(t.arguments.artifacts.iter().filter_map(|a| a.from.as_deref()));
                texts.extend(t.when.as_deref());
                for r in texts.into_iter().flat_map(references) {
                    if part_of(&r.0) != k {
                        set.insert(r);
                    }
                }
            }
            set
        })
        .collect();
    let mut pipeline_reads = BTreeSet::new();
    for p in &entry.outputs.parameters {
        if let Some(x) = p.value_from.as_ref().and_then(|v| v.parameter.as_deref()) {
            pipeline_reads.extend(references(x));
        }
    }
    let globals: Vec<String> = wf.spec.arguments.parameters.iter().map(|p| p.name.to_string()).collect();
    let mut parts = Vec::new();
    let mut parent_tasks = Vec::new();
    let mut parent_templates = Vec::new();
    for (k, chunk) in chunks.iter().enumerate() {
        let name = format!("{base}-0123abcd-part-{}", k + 1);
        // The child: the part's tasks, reading other parts' values from its parameters.
        let mut child = wf.clone();
        child.spec.on_exit = None;
        let mut dag = entry.clone();
        dag.outputs = Default::default();
        let mut own = Vec::new();
        for t in chunk.iter() {
            let mut t = t.clone();
            t.dependencies.retain(|d| part_of(d) == k);
            let rewrite = |s: &str| {
                references(s).into_iter().fold(s.to_owned(), |acc, (task, kind, p)| {
                    if part_of(&task) == k {
                        return acc;
                    }
                    let from = format!("{{{{tasks.{task}.outputs.{kind}.{p}}}}}");
                    acc.replace(&from, &format!("{{{{workflow.parameters.{}}}}}", cross_name("in", &task, &p)))
                })
            };
            for p in &mut t.arguments.parameters {
                p.value = p.value.as_deref().map(rewrite);
            }
            for a in &mut t.arguments.artifacts {
                if let Some(from) = a.from.clone()
                    && let Some((task, _, p)) = references(&from).into_iter().find(|r| part_of(&r.0) != k)
                {
                    *a = ArtifactRef::from_key(
                        a.name.clone(),
                        format!("{{{{workflow.parameters.{}}}}}", cross_name("in", &task, &p)),
                    );
                }
            }
            own.push(t);
        }
        // What later parts and the pipeline read from this one.
        let later: BTreeSet<(String, String, String)> =
            reads[k + 1..].iter().flatten().chain(&pipeline_reads).filter(|r| part_of(&r.0) == k).cloned().collect();
        for (task, kind, p) in &later {
            let out = cross_name("out", task, p);
            let from = format!("{{{{tasks.{task}.outputs.{kind}.{p}}}}}");
            if kind == "artifacts" {
                dag.outputs.artifacts.push(ArtifactRef::from_output(out, from));
            } else {
                let mut v = ValueFrom::default();
                v.parameter = Some(from);
                let mut param = Parameter::named(out);
                param.value_from = Some(v);
                dag.outputs.parameters.push(param);
            }
        }
        dag.name = "part".to_owned();
        dag.dag.as_mut().expect("dag").tasks = own;
        child.spec.entrypoint = "part".to_owned();
        child.spec.templates.retain(|t| t.name != entry.name);
        child.spec.templates.insert(0, dag);
        let inputs: Vec<String> = reads[k].iter().map(|(t, _, p)| cross_name("in", t, p)).collect();
        for i in &inputs {
            child.spec.arguments.parameters.push(Parameter::named(i.as_str()));
        }
        child.kind = "WorkflowTemplate".to_owned();
        child.metadata.generate_name = None;
        child.metadata.name = Some(name.clone());
        // The parent's step for it.
        let mut r = ResourceTemplate::default();
        r.action = "create".to_owned();
        r.set_owner_reference = true;
        r.success_condition = Some("status.phase == Succeeded".to_owned());
        r.failure_condition = Some("status.phase in (Failed, Error)".to_owned());
        let args: Vec<String> = globals
            .iter()
            .chain(&inputs)
            .map(|n| format!("{{\"name\":{},\"value\":{}}}", serde_json::json!(n), json_tag(n)))
            .collect();
        r.manifest = format!(
            "{{\"apiVersion\":\"argoproj.io/v1alpha1\",\"kind\":\"Workflow\",\"metadata\":{{\"generateName\":\"{{{{workflow.name}}}}-part-{}-\"}},\"spec\":{{\"workflowTemplateRef\":{{\"name\":\"{name}\"}},\"arguments\":{{\"parameters\":[{}]}}}}}}",
            k + 1,
            args.join(",")
        );
        let mut t = Template::default();
        t.name = format!("part-{}", k + 1);
        t.resource = Some(r);
        let mut task = DagTask::new(format!("part-{}", k + 1).into(), t.name.clone().into());
        for g in &globals {
            task.arguments
                .parameters
                .push(Parameter::with_value(g.as_str(), format!("{{{{workflow.parameters.{g}}}}}")));
        }
        let mut deps = BTreeSet::new();
        for (src, _, p) in &reads[k] {
            let j = part_of(src);
            deps.insert(j);
            let value = format!("{{{{tasks.part-{}.outputs.parameters.{}}}}}", j + 1, cross_name("out", src, p));
            task.arguments.parameters.push(Parameter::with_value(cross_name("in", src, p), value));
        }
        if k > 0 {
            deps.insert(k - 1);
        }
        task.dependencies = deps.iter().map(|j| format!("part-{}", j + 1).into()).collect();
        t.inputs.parameters = globals.iter().chain(&inputs).map(|n| Parameter::named(n.as_str())).collect();
        for (task_name, kind, p) in &later {
            let out = cross_name("out", task_name, p);
            let field = if kind == "artifacts" { "artifacts" } else { "parameters" };
            let tail = if kind == "artifacts" { ".s3.key" } else { ".value" };
            let mut v = ValueFrom::default();
            v.json_path = Some(format!("{{.status.outputs.{field}[?(@.name==\"{out}\")]{tail}}}"));
            let mut param = Parameter::named(out.as_str());
            param.value_from = Some(v);
            t.outputs.parameters.push(param);
        }
        parent_tasks.push(task);
        parent_templates.push(t);
        parts.push((name, child));
    }
    let mut parent = wf.clone();
    let mut main = entry.clone();
    main.dag.as_mut().expect("dag").tasks = parent_tasks;
    for p in &mut main.outputs.parameters {
        if let Some(v) = p.value_from.as_mut()
            && let Some(x) = v.parameter.clone()
        {
            let rewritten = references(&x).into_iter().fold(x, |acc, (task, kind, out)| {
                acc.replace(
                    &format!("{{{{tasks.{task}.outputs.{kind}.{out}}}}}"),
                    &format!(
                        "{{{{tasks.part-{}.outputs.parameters.{}}}}}",
                        part_of(&task) + 1,
                        cross_name("out", &task, &out)
                    ),
                )
            });
            v.parameter = Some(rewritten);
        }
    }
    main.outputs.artifacts.clear();
    parent_templates.insert(0, main);
    parent.spec.templates = parent_templates;
    (parent, parts)
}
