//! Splitting a workflow too big for one Kubernetes object into a **bundle**: a parent Workflow whose
//! entry DAG creates and awaits one child Workflow per part (a resource step), and one
//! WorkflowTemplate per part that the child references, so every object stays under the limit (a
//! child embedded in the parent's manifest would make the parent as big as the whole pipeline).
//!
//! A part is a contiguous run of a topological order of the entry DAG's root tasks; a root task (a
//! loop, a condition, an exit handler, a graph component) is never cut. Values that cross parts go
//! through the children's arguments and `status.outputs`; artifacts never cross: a producer and the
//! tasks that read its artifacts share a part (Argo does not carry a DAG's output artifacts into
//! `status.outputs`: `getTemplateOutputsFromScope` drops their `globalName`).

mod bundle;
mod parent;
mod partition;
mod refs;
pub mod size;
mod strings;

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use crate::argo::{Object, Workflow};
use crate::error::CompileError;

/// How to split.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SplitOptions {
    /// The most bytes an object may have (the child's template with the status Argo adds to the
    /// child while it runs counts against it).
    pub max_bytes: usize,
}

impl Default for SplitOptions {
    fn default() -> Self {
        SplitOptions { max_bytes: size::DEFAULT_MAX_BYTES }
    }
}

impl SplitOptions {
    /// Options with the limit `max_bytes`.
    pub fn with_max_bytes(max_bytes: usize) -> Self {
        SplitOptions { max_bytes }
    }
}

/// A split workflow: the parent and the templates of its children.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Bundle {
    /// The Workflow that is submitted.
    pub parent: Workflow,
    /// One WorkflowTemplate per part, in order.
    pub parts: Vec<Part>,
}

/// One part: a WorkflowTemplate the parent's step `part-<k>` runs as a child Workflow.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Part {
    /// The WorkflowTemplate's `metadata.name`.
    pub name: String,
    /// The WorkflowTemplate.
    pub template: Object,
}

impl Bundle {
    /// Every document as YAML, the parent first, separated by `---`.
    ///
    /// # Errors
    /// [`CompileError::Emit`] if the serializer fails.
    pub fn to_yaml(&self) -> Result<String, CompileError> {
        let mut out = crate::argo::to_yaml(&self.parent)?;
        for p in &self.parts {
            out.push_str("---\n");
            out.push_str(&crate::argo::object_to_yaml(&p.template)?);
        }
        Ok(out)
    }

    /// Writes every document as YAML to `w`, the parent first, separated by `---`, one document at a
    /// time (what [`to_yaml`](Self::to_yaml) returns, without holding it all).
    ///
    /// # Errors
    /// [`CompileError::Emit`] if the serializer or `w` fails.
    pub fn write_yaml(&self, w: &mut dyn std::io::Write) -> Result<(), CompileError> {
        let io = |e: std::io::Error| CompileError::Emit(e.to_string());
        // Each document goes through a string of its own (under the limit): serde-saphyr writes a
        // string faster than an `io::Write`.
        w.write_all(crate::argo::to_yaml(&self.parent)?.as_bytes()).map_err(io)?;
        for p in &self.parts {
            w.write_all(b"---\n").map_err(io)?;
            w.write_all(crate::argo::object_to_yaml(&p.template)?.as_bytes()).map_err(io)?;
        }
        Ok(())
    }

    /// Every document in a JSON array, the parent first.
    ///
    /// # Errors
    /// [`CompileError::Emit`] if the serializer fails.
    pub fn to_json(&self) -> Result<String, CompileError> {
        let mut docs: Vec<&dyn erased::Doc> = vec![&self.parent];
        docs.extend(self.parts.iter().map(|p| &p.template as &dyn erased::Doc));
        let mut s = String::from("[\n");
        for (i, d) in docs.iter().enumerate() {
            if i > 0 {
                s.push_str(",\n");
            }
            s.push_str(&d.json()?);
        }
        s.push_str("\n]\n");
        Ok(s)
    }

    /// The compact JSON size of every object, the parent first.
    pub fn sizes(&self) -> Vec<usize> {
        let mut v = vec![size::json_len(&self.parent)];
        v.extend(self.parts.iter().map(|p| size::json_len(&p.template)));
        v
    }
}

mod erased {
    use crate::error::CompileError;

    pub(super) trait Doc {
        fn json(&self) -> Result<String, CompileError>;
    }
    impl Doc for crate::argo::Workflow {
        fn json(&self) -> Result<String, CompileError> {
            Ok(crate::argo::to_json(self)?.trim_end().to_owned())
        }
    }
    impl Doc for crate::argo::Object {
        fn json(&self) -> Result<String, CompileError> {
            Ok(crate::argo::object_to_json(self)?.trim_end().to_owned())
        }
    }
}

fn split_error(reason: String) -> CompileError {
    CompileError::InvalidOption { option: "--split", reason }
}

/// The task names a `depends` expression names (`a && (b.Failed || c)`).
fn depends_names(expr: &str) -> impl Iterator<Item = &str> {
    expr.split(|c: char| c.is_whitespace() || "&|()!".contains(c))
        .filter(|t| !t.is_empty())
        .map(|t| t.split('.').next().unwrap_or(t))
}

/// Every string inside `v`.
fn strings<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::String(s) => out.push(s),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(m) => m.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

/// Every string of a task where a reference can be (its arguments, hooks, condition and loop).
fn task_strings<'a>(t: &'a crate::argo::DagTask, out: &mut Vec<&'a str>) {
    let args = std::iter::once(&t.arguments).chain(t.hooks.values().map(|h| &h.arguments));
    for a in args {
        out.extend(a.parameters.iter().filter_map(|p| p.value.as_deref()));
        out.extend(a.artifacts.iter().filter_map(|x| x.from.as_deref()));
        for x in &a.artifacts {
            out.extend(x.s3.as_ref().map(|s| s.key.as_str()));
            out.extend(x.external.raw.as_ref().map(|r| r.data.as_str()));
            out.extend(x.external.http.as_ref().map(|h| h.url.as_str()));
            out.extend(x.external.gcs.as_ref().map(|g| g.key.as_str()));
            out.extend(x.external.git.as_ref().and_then(|g| g.revision.as_deref()));
        }
    }
    out.extend(t.when.as_deref());
    out.extend(t.with_param.as_deref());
    if let Some(s) = &t.with_sequence {
        out.extend([s.start.as_str(), s.count.as_str()]);
    }
    for item in t.with_items.iter().flatten() {
        strings(item, out);
    }
}

/// Splits `workflow` into parts that each fit under `opts.max_bytes`.
///
/// # Errors
/// [`CompileError::SplitTask`] for a root task that alone does not fit; [`CompileError::InvalidOption`]
/// (`--split`) for a workflow the split cannot take (merge patches, output artifacts of the pipeline,
/// an entry template that is no DAG); [`CompileError::TooLarge`] for a parent that does not fit.
pub fn split(workflow: Workflow, opts: &SplitOptions) -> Result<Bundle, CompileError> {
    if !workflow.patches.is_empty() {
        return Err(split_error(
            "the pipeline has merge patches (`argo_patch`, ...), which address the one workflow document: drop them, or compile without `--split`".to_owned(),
        ));
    }
    let templates = &workflow.spec.templates;
    let index: HashMap<&str, usize> = templates.iter().enumerate().map(|(i, t)| (t.name.as_str(), i)).collect();
    let Some(&entry) = index.get(workflow.spec.entrypoint.as_str()) else {
        return Err(split_error(format!(
            "the entrypoint `{}` is no template of the workflow",
            workflow.spec.entrypoint
        )));
    };
    let Some(dag) = &templates[entry].dag else {
        return Err(split_error(format!(
            "the entrypoint `{}` is no DAG: there is nothing to split",
            workflow.spec.entrypoint
        )));
    };
    if !templates[entry].outputs.artifacts.is_empty() {
        return Err(split_error(
            "the pipeline has output artifacts, which a child workflow cannot hand back to its parent: compile without `--split`, or return parameters".to_owned(),
        ));
    }
    let children: Vec<Vec<usize>> = templates
        .iter()
        .map(|t| {
            let tasks = t.dag.iter().flat_map(|d| &d.tasks);
            tasks
                .flat_map(|task| std::iter::once(&task.template).chain(task.hooks.values().map(|h| &h.template)))
                .filter_map(|name| index.get(&**name).copied())
                .collect()
        })
        .collect();
    // A template's bytes, with the status of the nodes its DAG runs (once, however often it runs).
    // The entry's (read only by a recursive call of the pipeline) is the sum of its tasks', below:
    // serializing its DAG of every task would cost as much as the rest of the split.
    let mut template_bytes: Vec<usize> = templates
        .iter()
        .enumerate()
        .map(|(i, t)| {
            if i == entry {
                return 0;
            }
            size::json_len(t) + t.dag.iter().flat_map(|d| &d.tasks).map(|k| size::task_status(k).1).sum::<usize>()
        })
        .collect();
    let task_index: HashMap<&str, usize> = dag.tasks.iter().enumerate().map(|(i, t)| (&*t.name, i)).collect();
    let mut nodes = Vec::with_capacity(dag.tasks.len());
    let mut joins = Vec::new();
    let mut values: BTreeMap<(usize, String), Vec<usize>> = BTreeMap::new();
    let mut found = Vec::new();
    for (i, t) in dag.tasks.iter().enumerate() {
        let mut texts = Vec::new();
        task_strings(t, &mut texts);
        found.clear();
        for s in texts {
            refs::task_refs(s, &mut found);
        }
        let mut preds: Vec<usize> = t.dependencies.iter().filter_map(|d| task_index.get(&**d).copied()).collect();
        for d in t.depends.iter().flat_map(|e| depends_names(e)) {
            if let Some(&p) = task_index.get(d) {
                preds.push(p);
                joins.push((p, i));
            }
        }
        for r in &found {
            let Some(&p) = task_index.get(r.task.as_str()) else { continue };
            preds.push(p);
            match &r.read {
                refs::Read::Param(name) => values.entry((p, name.clone())).or_default().push(i),
                refs::Read::Other => joins.push((p, i)),
            }
        }
        preds.sort_unstable();
        preds.dedup();
        preds.retain(|&p| p != i);
        let (_, status) = size::task_status(t);
        let mut direct: Vec<usize> = std::iter::once(&t.template)
            .chain(t.hooks.values().map(|h| &h.template))
            .filter_map(|n| index.get(&**n).copied())
            .collect();
        direct.dedup();
        let bytes = size::json_len(t) + status;
        template_bytes[entry] += bytes + 1;
        nodes.push(partition::Node { preds, bytes, templates: direct });
    }
    template_bytes[entry] += size::json_len(&templates[entry].inputs) + size::json_len(&templates[entry].outputs) + 64;
    let graph = partition::Graph {
        nodes,
        joins,
        values: values.iter().map(|((p, _), c)| (*p, c.clone())).collect(),
        children: &children,
        template_bytes: &template_bytes,
    };
    // Room for the settings, the entry DAGs, the arguments and outputs of the child.
    let base = 4096 + size::json_len(&workflow.spec.arguments) + size::json_len(&templates[entry].outputs);
    let budget = opts.max_bytes.saturating_sub(opts.max_bytes / 20);
    let parts = partition::partition(&graph, base, budget).map_err(|e| {
        let names: Vec<&str> = e.tasks.iter().map(|&t| &*dag.tasks[t].name).collect();
        CompileError::SplitTask {
            task: names[0].to_owned(),
            with: names[1..].iter().map(|s| (*s).to_owned()).collect(),
            bytes: e.bytes,
            limit: opts.max_bytes,
        }
    })?;
    let plan = bundle::Plan { workflow: &workflow, entry, index, children: &children, values, parts };
    let (out, spec_sizes) = bundle::build(plan)?;
    drop(workflow);
    let too_large = |what: String, bytes: usize| CompileError::TooLarge {
        message: format!(
            "after the split, {what} is {}, over the limit of {}: raise `--max-size`, or make the values that cross parts fewer",
            size::human(bytes),
            size::human(opts.max_bytes)
        ),
    };
    // A child's size: its spec as hashed, and the few bytes of its name and kind.
    for (i, (p, s)) in out.parts.iter().zip(&spec_sizes).enumerate() {
        if s + p.name.len() + 100 > opts.max_bytes {
            return Err(too_large(format!("part {}", i + 1), s + p.name.len() + 100));
        }
    }
    // A parent with too many children for one object (about a thousand, at 1 MiB) is split in turn:
    // its steps go to children of their own, which create the first children.
    if size::check(&out.parent, opts.max_bytes).is_err() {
        let steps = out.parts.len();
        let bytes = size::json_len(&out.parent);
        let inner = split(out.parent, opts)?;
        if inner.parts.len() >= steps {
            return Err(too_large("the parent workflow".to_owned(), bytes));
        }
        let mut parts = out.parts;
        parts.extend(inner.parts);
        return Ok(Bundle { parent: inner.parent, parts });
    }
    Ok(out)
}
