//! A canonical description of a KFP v2 pipeline IR (`PipelineSpec`, plus the kfp-kubernetes
//! `PlatformSpec` document when there is one), for comparing ours with what kfp compiled, whatever the
//! names of the channels (`pipelinechannel--flip-output` in kfp, `condition-1-operand-0` in ours).
//!
//! Every task of every DAG is described under its path (`condition-4/random-number`): its kind, its
//! component's inputs and outputs with their types, where each of its declared inputs comes from
//! (resolved through the sub-DAG inputs that carry it down to the pipeline parameter, task output,
//! loop item, final status or constant it started as), what it waits for, its trigger policy and
//! condition (CEL with each channel read replaced by the value it carries), its loop iterator, and its
//! settings (caching, retry, executor image, env and resources, PlatformSpec).

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde_json::{Value, json};

/// The documents of an IR file: the `PipelineSpec`, and the `PlatformSpec` if there is one.
pub(crate) fn read_ir(text: &str) -> (Value, Option<Value>) {
    // YAML 1.2 booleans, as the SDK that wrote kfp's files reads them: kfp leaves `n` (an output name)
    // unquoted, a YAML 1.1 `false`.
    let options = serde_saphyr::options! { strict_booleans: true };
    let mut docs: Vec<Value> = serde_saphyr::from_multiple_with_options(text, options).expect("IR YAML");
    docs.retain(|d| !d.is_null());
    assert!(matches!(docs.len(), 1 | 2), "one PipelineSpec and at most one PlatformSpec, got {} documents", docs.len());
    let platform = (docs.len() == 2).then(|| docs.remove(1));
    (docs.remove(0), platform)
}

/// One task (or, under the path `<pipeline>`, the pipeline's own interface).
#[derive(Clone, PartialEq, Eq, Default)]
pub(crate) struct Task {
    /// `taskInfo.name`.
    pub(crate) display: String,
    /// `container`, `importer`, `dag` (a sub-DAG: loop, condition, exit handler, group) or `pipeline`.
    pub(crate) kind: String,
    /// The component's inputs: name -> type (`STRING`, `artifact system.Dataset`, ` optional`, ...).
    /// Of a sub-DAG, whose inputs are channels named after what they carry, the value each carries
    /// (see [`Task::inputs`]) -> its type.
    pub(crate) component_inputs: BTreeMap<String, String>,
    /// The component's outputs: name -> type. Empty for DAGs (their outputs are channel plumbing).
    pub(crate) component_outputs: BTreeMap<String, String>,
    /// Of a container or importer task, each input its component declares -> where the value comes
    /// from: `param:P` (pipeline parameter), `const:JSON`, `output:TASK.KEY`, `artifact:TASK.KEY`,
    /// `item:LOOP` (the loop's item, then ` | selector` if any), `final-status:TASK`, or
    /// `fstring:TEXT` with `⟨source⟩` for each placeholder over another input of the task. Empty for a
    /// sub-DAG (see `component_inputs`): the tasks inside resolve through its channels.
    pub(crate) inputs: BTreeMap<String, String>,
    /// `dependentTasks`.
    pub(crate) deps: BTreeSet<String>,
    /// `triggerPolicy.condition`, channel reads replaced by their sources.
    pub(crate) condition: Option<String>,
    /// `triggerPolicy.strategy`.
    pub(crate) strategy: Option<String>,
    /// `parameterIterator` (`raw` items parsed as JSON, or the `input` they come from) and
    /// `iteratorPolicy.parallelismLimit`.
    pub(crate) iterator: Option<Value>,
    /// `cachingOptions`.
    pub(crate) caching: Option<Value>,
    /// `retryPolicy`.
    pub(crate) retry: Option<Value>,
    /// The executor's `container.resources` (placeholders replaced by their sources).
    pub(crate) resources: Option<Value>,
    /// The executor's `container.image` and `container.env`.
    pub(crate) image: Option<Value>,
    pub(crate) env: Option<Value>,
    /// The executor's entry in the `PlatformSpec` (producer tasks renamed).
    pub(crate) platform: Option<Value>,
}

impl fmt::Debug for Task {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("Task");
        s.field("display", &self.display).field("kind", &self.kind);
        if !self.component_inputs.is_empty() {
            s.field("component_inputs", &self.component_inputs);
        }
        if !self.component_outputs.is_empty() {
            s.field("component_outputs", &self.component_outputs);
        }
        if !self.inputs.is_empty() {
            s.field("inputs", &self.inputs);
        }
        if !self.deps.is_empty() {
            s.field("deps", &self.deps);
        }
        for (name, v) in [("condition", &self.condition), ("strategy", &self.strategy)] {
            if let Some(v) = v {
                s.field(name, v);
            }
        }
        for (name, v) in [
            ("iterator", &self.iterator),
            ("caching", &self.caching),
            ("retry", &self.retry),
            ("resources", &self.resources),
            ("image", &self.image),
            ("env", &self.env),
            ("platform", &self.platform),
        ] {
            if let Some(v) = v {
                s.field(name, &v.to_string());
            }
        }
        s.finish()
    }
}

/// Every task by path, plus `<pipeline>` for the root's inputs.
pub(crate) type Canon = BTreeMap<String, Task>;

/// The canonical description of `doc` (and its `platform` document). `rename` maps this side's task
/// names to the names they are compared under (the other side's).
pub(crate) fn describe(doc: &Value, platform: Option<&Value>, rename: &[(&str, &str)]) -> Canon {
    let rename: BTreeMap<String, String> = rename.iter().map(|(a, b)| ((*a).to_owned(), (*b).to_owned())).collect();
    let w = Walker { doc, platform, rename };
    let mut out = Canon::new();
    out.insert(
        "<pipeline>".to_owned(),
        Task {
            display: doc["pipelineInfo"]["name"].as_str().unwrap_or_default().to_owned(),
            kind: "pipeline".to_owned(),
            component_inputs: interface(&doc["root"]["inputDefinitions"]),
            component_outputs: interface(&doc["root"]["outputDefinitions"]),
            ..Task::default()
        },
    );
    w.dag(&doc["root"], "", &[], &mut out);
    // Every renamed task must exist, or the table is stale.
    for (from, to) in &w.rename {
        assert!(
            out.keys().any(|k| k.rsplit('/').next() == Some(to.as_str())),
            "rename {from} -> {to}: no task {to} after renaming"
        );
    }
    out
}

/// `inputDefinitions` / `outputDefinitions` as name -> type.
fn interface(defs: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (name, p) in defs["parameters"].as_object().into_iter().flatten() {
        let mut t = p["parameterType"].as_str().unwrap_or("?").to_owned();
        if p["isOptional"] == true {
            t.push_str(" optional");
        }
        if let Some(d) = p.get("defaultValue") {
            t.push_str(&format!(" default={d}"));
        }
        out.insert(name.clone(), t);
    }
    for (name, a) in defs["artifacts"].as_object().into_iter().flatten() {
        let mut t = format!("artifact {}", a["artifactType"]["schemaTitle"].as_str().unwrap_or("?"));
        if a["isArtifactList"] == true {
            t.push_str(" list");
        }
        if a["isOptional"] == true {
            t.push_str(" optional");
        }
        out.insert(name.clone(), t);
    }
    out
}

/// An enclosing DAG task: its (renamed) name and its task spec.
type Frame<'a> = (String, &'a Value);

struct Walker<'a> {
    doc: &'a Value,
    platform: Option<&'a Value>,
    rename: BTreeMap<String, String>,
}

impl<'a> Walker<'a> {
    fn name(&self, raw: &str) -> String {
        self.rename.get(raw).cloned().unwrap_or_else(|| raw.to_owned())
    }

    /// The tasks of the DAG component `comp` (reached through `frames`) under `prefix`.
    fn dag(&self, comp: &'a Value, prefix: &str, frames: &[Frame<'a>], out: &mut Canon) {
        for (raw, task) in comp["dag"]["tasks"].as_object().expect("dag.tasks") {
            let name = self.name(raw);
            let path = format!("{prefix}{name}");
            let comp_name = task["componentRef"]["name"].as_str().expect("componentRef.name");
            let component = &self.doc["components"][comp_name];
            assert!(component.is_object(), "{path}: component {comp_name} is missing");
            // A display name that is the task's own name is renamed with it.
            let display = match task["taskInfo"]["name"].as_str() {
                Some(d) if d == raw => name.clone(),
                d => d.unwrap_or_default().to_owned(),
            };
            let mut t = Task {
                display,
                deps: task["dependentTasks"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|d| self.name(d.as_str().unwrap()))
                    .collect(),
                condition: task["triggerPolicy"]["condition"].as_str().map(|c| self.condition(c, task, frames)),
                strategy: task["triggerPolicy"]["strategy"].as_str().map(str::to_owned),
                iterator: self.iterator(task, frames),
                caching: task.get("cachingOptions").cloned(),
                retry: task.get("retryPolicy").cloned(),
                ..Task::default()
            };
            if component.get("dag").is_some() {
                t.kind = "dag".to_owned();
                // A sub-DAG's inputs are channels: described by the value each carries, with its type.
                for (input, ty) in interface(&component["inputDefinitions"]) {
                    let source = if task["parameterIterator"]["itemInput"] == input.as_str()
                        || task["artifactIterator"]["itemInput"] == input.as_str()
                    {
                        format!("item:{name}")
                    } else if let Some(spec) = task["inputs"]["parameters"].get(&input) {
                        self.param(spec, frames)
                    } else if let Some(spec) = task["inputs"]["artifacts"].get(&input) {
                        self.artifact(spec, frames)
                    } else {
                        format!("unbound:{input}")
                    };
                    let entry = t.component_inputs.entry(source).or_insert_with(|| ty.clone());
                    if *entry != ty {
                        *entry = format!("{entry} | {ty}");
                    }
                }
                out.insert(path.clone(), t);
                let mut inner = frames.to_vec();
                inner.push((name, task));
                self.dag(component, &format!("{path}/"), &inner, out);
                continue;
            }
            let label = component["executorLabel"].as_str().expect("executorLabel");
            let executor = &self.doc["deploymentSpec"]["executors"][label];
            t.kind = if executor.get("importer").is_some() { "importer" } else { "container" }.to_owned();
            t.component_inputs = interface(&component["inputDefinitions"]);
            t.component_outputs = interface(&component["outputDefinitions"]);
            for (input, spec) in task["inputs"]["parameters"].as_object().into_iter().flatten() {
                // Inputs the component does not declare carry f-string channels and placeholder values
                // of resources: they appear where they are used.
                if t.component_inputs.contains_key(input) {
                    t.inputs.insert(input.clone(), self.task_param(spec, task, frames));
                }
            }
            for (input, spec) in task["inputs"]["artifacts"].as_object().into_iter().flatten() {
                if t.component_inputs.contains_key(input) {
                    t.inputs.insert(input.clone(), self.artifact(spec, frames));
                }
            }
            t.resources = executor["container"].get("resources").map(|r| self.substitute_value(r, task, frames));
            t.image = executor["container"].get("image").or_else(|| executor["importer"].get("typeSchema")).cloned();
            t.env = executor["container"].get("env").cloned();
            t.platform = self
                .platform
                .map(|p| &p["platforms"]["kubernetes"]["deploymentSpec"]["executors"][label])
                .filter(|v| !v.is_null())
                .map(|v| self.rename_producers(v));
            out.insert(path, t);
        }
    }

    /// A task input parameter, f-string placeholders over the task's other inputs filled in.
    fn task_param(&self, spec: &Value, task: &Value, frames: &[Frame<'a>]) -> String {
        match spec["runtimeValue"]["constant"].as_str() {
            Some(text) if text.contains("{{$.inputs.parameters[") => {
                format!("fstring:{}", self.substitute(text, task, frames))
            }
            _ => self.param(spec, frames),
        }
    }

    /// Where a parameter input spec (of a task inside `frames`) comes from.
    fn param(&self, spec: &Value, frames: &[Frame<'a>]) -> String {
        let selector = spec["parameterExpressionSelector"].as_str().map(|s| format!(" | {s}")).unwrap_or_default();
        let base = if let Some(c) = spec["runtimeValue"].get("constant") {
            format!("const:{c}")
        } else if let Some(name) = spec["componentInputParameter"].as_str() {
            self.component_input(name, frames)
        } else if let Some(o) = spec.get("taskOutputParameter") {
            let (producer, key) = (o["producerTask"].as_str().unwrap(), o["outputParameterKey"].as_str().unwrap());
            format!("output:{}", self.output(self.dag_of(frames), producer, key, "parameters"))
        } else if let Some(s) = spec.get("taskFinalStatus") {
            format!("final-status:{}", self.name(s["producerTask"].as_str().unwrap()))
        } else {
            format!("unknown:{spec}")
        };
        format!("{base}{selector}")
    }

    /// The DAG component the tasks of `frames` are in.
    fn dag_of(&self, frames: &[Frame<'a>]) -> &'a Value {
        match frames.last() {
            None => &self.doc["root"],
            Some((_, task)) => &self.doc["components"][task["componentRef"]["name"].as_str().unwrap()],
        }
    }

    /// Output `key` (of `kind`, `parameters` or `artifacts`) of task `producer` of DAG component
    /// `dag`, as `TASK.KEY`; a sub-DAG's output as the output of the task inside it that it selects
    /// (`LOOP/TASK.KEY`, `GROUP/oneof(A/TASK.KEY, ...)`).
    fn output(&self, dag: &'a Value, producer: &str, key: &str, kind: &str) -> String {
        let name = self.name(producer);
        let task = &dag["dag"]["tasks"][producer];
        let component = &self.doc["components"][task["componentRef"]["name"].as_str().unwrap_or_default()];
        if component.get("dag").is_none() {
            return format!("{name}.{key}");
        }
        let spec = &component["dag"]["outputs"][kind][key];
        let one = |sel: &Value, key_field: &str| -> String {
            self.output(component, sel["producerSubtask"].as_str().unwrap(), sel[key_field].as_str().unwrap(), kind)
        };
        let selected: Vec<String> = if let Some(sel) = spec.get("valueFromParameter") {
            vec![one(sel, "outputParameterKey")]
        } else if let Some(sels) = spec["valueFromOneof"]["parameterSelectors"].as_array() {
            sels.iter().map(|sel| one(sel, "outputParameterKey")).collect()
        } else if let Some(sels) = spec["artifactSelectors"].as_array() {
            sels.iter().map(|sel| one(sel, "outputArtifactKey")).collect()
        } else {
            return format!("{name}.unknown-output:{key}");
        };
        match selected.as_slice() {
            [one] if spec.get("valueFromOneof").is_none() => format!("{name}/{one}"),
            many => format!("{name}/oneof({})", many.join(", ")),
        }
    }

    /// Input `name` of the innermost DAG of `frames`, followed up to where it starts.
    fn component_input(&self, name: &str, frames: &[Frame<'a>]) -> String {
        // The DAG must declare the input it hands on (the backend reads only declared inputs).
        if self.dag_of(frames)["inputDefinitions"]["parameters"].get(name).is_none() {
            return format!("undeclared:{name}");
        }
        let Some(((dag, task), outer)) = frames.split_last() else { return format!("param:{name}") };
        if task["parameterIterator"]["itemInput"] == name {
            return format!("item:{dag}");
        }
        match task["inputs"]["parameters"].get(name) {
            Some(spec) => self.param(spec, outer),
            None => format!("unbound:{dag}.{name}"),
        }
    }

    /// Where an artifact input spec comes from.
    fn artifact(&self, spec: &Value, frames: &[Frame<'a>]) -> String {
        if let Some(name) = spec["componentInputArtifact"].as_str() {
            if self.dag_of(frames)["inputDefinitions"]["artifacts"].get(name).is_none() {
                return format!("undeclared:{name}");
            }
            let Some(((dag, task), outer)) = frames.split_last() else { return format!("param:{name}") };
            if task["artifactIterator"]["itemInput"] == name {
                return format!("item:{dag}");
            }
            return match task["inputs"]["artifacts"].get(name) {
                Some(spec) => self.artifact(spec, outer),
                None => format!("unbound:{dag}.{name}"),
            };
        }
        if let Some(o) = spec.get("taskOutputArtifact") {
            let (producer, key) = (o["producerTask"].as_str().unwrap(), o["outputArtifactKey"].as_str().unwrap());
            return format!("artifact:{}", self.output(self.dag_of(frames), producer, key, "artifacts"));
        }
        format!("unknown:{spec}")
    }

    /// `text` with each `{{$.inputs.parameters['X']}}` over an input of `task` replaced by `⟨source⟩`.
    fn substitute(&self, text: &str, task: &Value, frames: &[Frame<'a>]) -> String {
        let mut out = String::new();
        let mut rest = text;
        const OPEN: &str = "{{$.inputs.parameters['";
        while let Some(i) = rest.find(OPEN) {
            let after = &rest[i + OPEN.len()..];
            let Some(end) = after.find("']}}") else { break };
            let channel = &after[..end];
            out.push_str(&rest[..i]);
            match task["inputs"]["parameters"].get(channel) {
                Some(spec) => out.push_str(&format!("⟨{}⟩", self.param(spec, frames))),
                None => out.push_str(&rest[i..i + OPEN.len() + end + 4]),
            }
            rest = &after[end + 4..];
        }
        out.push_str(rest);
        out
    }

    fn substitute_value(&self, v: &Value, task: &Value, frames: &[Frame<'a>]) -> Value {
        match v {
            Value::String(s) => Value::String(self.substitute(s, task, frames)),
            Value::Array(a) => Value::Array(a.iter().map(|x| self.substitute_value(x, task, frames)).collect()),
            Value::Object(m) => {
                Value::Object(m.iter().map(|(k, x)| (k.clone(), self.substitute_value(x, task, frames))).collect())
            }
            other => other.clone(),
        }
    }

    /// A `triggerPolicy.condition` with each `inputs.parameter_values['X']` replaced by `⟨source⟩`.
    fn condition(&self, cel: &str, task: &Value, frames: &[Frame<'a>]) -> String {
        let mut out = String::new();
        let mut rest = cel;
        const OPEN: &str = "inputs.parameter_values['";
        while let Some(i) = rest.find(OPEN) {
            let after = &rest[i + OPEN.len()..];
            let end = after.find("']").expect("closing ']");
            let channel = &after[..end];
            let spec = task["inputs"]["parameters"].get(channel).unwrap_or_else(|| panic!("condition reads {channel}"));
            out.push_str(&rest[..i]);
            out.push_str(&format!("⟨{}⟩", self.param(spec, frames)));
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        normalize_cel(&out)
    }

    fn iterator(&self, task: &Value, frames: &[Frame<'a>]) -> Option<Value> {
        let it = task.get("parameterIterator").or_else(|| task.get("artifactIterator"))?;
        let items = &it["items"];
        let mut v = json!({});
        if let Some(raw) = items["raw"].as_str() {
            v["raw"] = serde_json::from_str(raw).expect("raw items are JSON");
        }
        if let Some(input) = items["inputParameter"].as_str() {
            v["input"] = match task["inputs"]["parameters"].get(input) {
                Some(spec) => Value::String(self.param(spec, frames)),
                None => Value::String(format!("unbound:{input}")),
            };
        }
        if let Some(input) = items["inputArtifact"].as_str() {
            v["input"] = match task["inputs"]["artifacts"].get(input) {
                Some(spec) => Value::String(self.artifact(spec, frames)),
                None => Value::String(format!("unbound:{input}")),
            };
        }
        if let Some(limit) = task["iteratorPolicy"].get("parallelismLimit") {
            v["parallelism"] = limit.clone();
        }
        Some(v)
    }

    /// `v` with every `producerTask` renamed.
    fn rename_producers(&self, v: &Value) -> Value {
        match v {
            Value::Object(m) => Value::Object(
                m.iter()
                    .map(|(k, x)| match (k.as_str(), x.as_str()) {
                        ("producerTask", Some(p)) => (k.clone(), Value::String(self.name(p))),
                        _ => (k.clone(), self.rename_producers(x)),
                    })
                    .collect(),
            ),
            Value::Array(a) => Value::Array(a.iter().map(|x| self.rename_producers(x)).collect()),
            other => other.clone(),
        }
    }
}

/// An intended difference: `edit` applied to the task at `path` of one side, because of `why` (which
/// must be said). Fails when the task is missing or the edit changes nothing, so a difference that has
/// gone away is noticed and taken off the list.
pub(crate) fn intended(canon: &mut Canon, path: &str, why: &str, edit: impl FnOnce(&mut Task)) {
    assert!(!why.trim().is_empty(), "say why {path} differs");
    let task = canon.get_mut(path).unwrap_or_else(|| panic!("intended difference at {path}: no such task ({why})"));
    let before = task.clone();
    edit(task);
    assert!(*task != before, "intended difference at {path} changed nothing: is it still there? ({why})");
}

/// An intended difference: the task at `path` exists on this side only, because of `why`.
pub(crate) fn only_here(canon: &mut Canon, path: &str, why: &str) {
    assert!(!why.trim().is_empty(), "say why {path} is there");
    let prefix = format!("{path}/");
    assert!(canon.remove(path).is_some(), "only_here({path}): no such task ({why})");
    canon.retain(|k, _| !k.starts_with(&prefix));
}

/// An intended difference: the group (sub-DAG task) at `path` is dissolved into its parent, its direct
/// children taking over its dependencies and trigger policy, because of `why`.
pub(crate) fn dissolve(canon: &mut Canon, path: &str, why: &str) {
    assert!(!why.trim().is_empty(), "say why {path} is dissolved");
    let group = canon.remove(path).unwrap_or_else(|| panic!("dissolve({path}): no such task ({why})"));
    assert_eq!(group.kind, "dag", "dissolve({path}): not a sub-DAG");
    let prefix = format!("{path}/");
    let parent = path.rfind('/').map_or(String::new(), |i| path[..=i].to_owned());
    let moved: Vec<String> = canon.keys().filter(|k| k.starts_with(&prefix)).cloned().collect();
    for key in moved {
        let mut task = canon.remove(&key).unwrap();
        let rest = &key[prefix.len()..];
        if !rest.contains('/') {
            task.deps.extend(group.deps.iter().cloned());
            if task.strategy.is_none() {
                task.strategy.clone_from(&group.strategy);
            }
            if task.condition.is_none() {
                task.condition.clone_from(&group.condition);
            }
        }
        let new = format!("{parent}{rest}");
        assert!(canon.insert(new.clone(), task).is_none(), "dissolve({path}): {new} already exists");
    }
}

/// Panics where `canon` has a value it could not follow to its start: an input no task or DAG binds,
/// a DAG input used but not declared, a source of a kind the describer does not know, or a channel name
/// left over.
pub(crate) fn assert_resolved(what: &str, canon: &Canon) {
    for (path, task) in canon {
        let text = format!("{task:?}");
        for bad in ["unbound:", "unknown:", "undeclared:", "pipelinechannel--"] {
            assert!(!text.contains(bad), "{what}: {path}: {bad} in {text}");
        }
    }
}

/// The tasks of `canon` that wait (`dependentTasks`) on a task with a `triggerPolicy.condition`, other
/// than exit tasks: `"TASK waits on CONDITION-TASK (CEL)"`. The KFP v2 backend turns a dependency into
/// Argo's `<task>.Succeeded` and skips a condition task whose condition is false, so such a task never
/// runs when the condition is false; kfp refuses to write one.
pub(crate) fn waits_on_skippable(canon: &Canon) -> Vec<String> {
    let mut out = Vec::new();
    for (path, task) in canon {
        if task.strategy.as_deref() == Some("ALL_UPSTREAM_TASKS_COMPLETED") {
            continue;
        }
        let parent = path.rfind('/').map_or("", |i| &path[..=i]);
        for dep in &task.deps {
            if let Some(cond) = canon.get(&format!("{parent}{dep}")).and_then(|d| d.condition.as_ref()) {
                out.push(format!("{path} waits on {parent}{dep} ({cond})"));
            }
        }
    }
    out
}

/// Panics with both descriptions, task by task, where they differ.
pub(crate) fn assert_same(what: &str, ours: &Canon, kfp: &Canon) {
    if std::env::var_os("KFP_SHOW_CANON").is_some() {
        for (k, t) in ours {
            eprintln!("{what}: {k}: {t:?}");
        }
    }
    if ours == kfp {
        return;
    }
    let keys: BTreeSet<&String> = ours.keys().chain(kfp.keys()).collect();
    let mut report = String::new();
    for k in keys {
        let (o, r) = (ours.get(k), kfp.get(k));
        if o != r {
            report.push_str(&format!("{k}:\n  ours: {o:?}\n  kfp:  {r:?}\n"));
        }
    }
    panic!("{what}: our IR differs from kfp's\n{report}");
}

/// A condition (channel reads already replaced by `⟨source⟩`) in one form for every way of writing it:
/// negations pushed down to the comparisons (`!(a || b)` is `!a && !b`, `!(x == y)` is `x != y`; an
/// ordering stays negated, `!(x > y)`), nested `&&`/`||` flattened, and parentheses only around a
/// `||` inside a `&&` and around a negated comparison. Casts (`int(...)`, `double(...)`) are kept.
pub(crate) fn normalize_cel(cel: &str) -> String {
    let tokens = cel_tokens(cel);
    let mut pos = 0;
    let expr = cel_or(&tokens, &mut pos);
    assert_eq!(pos, tokens.len(), "unparsed CEL after {:?} in {cel}", &tokens[..pos]);
    cel_print(&cel_nnf(expr, false), false)
}

#[derive(Debug, Clone)]
enum Cel {
    Cmp(String, String, String),
    Not(Box<Cel>),
    And(Vec<Cel>),
    Or(Vec<Cel>),
}

fn cel_tokens(s: &str) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c == '⟨' {
            let end = (i..chars.len()).find(|&j| chars[j] == '⟩').expect("closing ⟩");
            out.push(chars[i..=end].iter().collect());
            i = end + 1;
        } else if c == '\'' || c == '"' {
            let mut j = i + 1;
            while chars[j] != c {
                j += if chars[j] == '\\' { 2 } else { 1 };
            }
            out.push(chars[i..=j].iter().collect());
            i = j + 1;
        } else if c.is_alphanumeric()
            || c == '_'
            || c == '.'
            || c == '-' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit())
        {
            let mut j = i + 1;
            while j < chars.len() && (chars[j].is_alphanumeric() || chars[j] == '_' || chars[j] == '.') {
                j += 1;
            }
            out.push(chars[i..j].iter().collect());
            i = j;
        } else {
            let two: String = chars[i..(i + 2).min(chars.len())].iter().collect();
            let op = ["==", "!=", ">=", "<=", "&&", "||"].into_iter().find(|o| *o == two);
            let tok = op.map_or_else(|| c.to_string(), str::to_owned);
            i += tok.chars().count();
            out.push(tok);
        }
    }
    out
}

fn cel_or(t: &[String], pos: &mut usize) -> Cel {
    let mut items = vec![cel_and(t, pos)];
    while t.get(*pos).is_some_and(|x| x == "||") {
        *pos += 1;
        items.push(cel_and(t, pos));
    }
    if items.len() == 1 { items.remove(0) } else { Cel::Or(items) }
}

fn cel_and(t: &[String], pos: &mut usize) -> Cel {
    let mut items = vec![cel_unary(t, pos)];
    while t.get(*pos).is_some_and(|x| x == "&&") {
        *pos += 1;
        items.push(cel_unary(t, pos));
    }
    if items.len() == 1 { items.remove(0) } else { Cel::And(items) }
}

fn cel_unary(t: &[String], pos: &mut usize) -> Cel {
    match t.get(*pos).map(String::as_str) {
        Some("!") => {
            *pos += 1;
            Cel::Not(Box::new(cel_unary(t, pos)))
        }
        Some("(") => {
            *pos += 1;
            let e = cel_or(t, pos);
            assert_eq!(t.get(*pos).map(String::as_str), Some(")"), "CEL: expected )");
            *pos += 1;
            e
        }
        _ => {
            let lhs = cel_operand(t, pos);
            let op = t.get(*pos).cloned().expect("CEL: comparison operator");
            assert!(["==", "!=", ">", ">=", "<", "<="].contains(&op.as_str()), "CEL: not a comparison: {op}");
            *pos += 1;
            let rhs = cel_operand(t, pos);
            Cel::Cmp(lhs, op, rhs)
        }
    }
}

/// A value, a literal, or a cast of one: `int(⟨...⟩)`.
fn cel_operand(t: &[String], pos: &mut usize) -> String {
    let tok = t.get(*pos).cloned().expect("CEL: operand");
    *pos += 1;
    if t.get(*pos).is_some_and(|x| x == "(") {
        *pos += 1;
        let inner = cel_operand(t, pos);
        assert_eq!(t.get(*pos).map(String::as_str), Some(")"), "CEL: expected ) after {tok}(");
        *pos += 1;
        return format!("{tok}({inner})");
    }
    tok
}

fn cel_nnf(e: Cel, negate: bool) -> Cel {
    match e {
        Cel::Cmp(l, op, r) if negate => match op.as_str() {
            "==" => Cel::Cmp(l, "!=".into(), r),
            "!=" => Cel::Cmp(l, "==".into(), r),
            _ => Cel::Not(Box::new(Cel::Cmp(l, op, r))),
        },
        Cel::Not(inner) => cel_nnf(*inner, !negate),
        Cel::And(items) => cel_join(items.into_iter().map(|x| cel_nnf(x, negate)).collect(), negate),
        Cel::Or(items) => cel_join(items.into_iter().map(|x| cel_nnf(x, negate)).collect(), !negate),
        cmp => cmp,
    }
}

/// `items` joined with `||` (when `or`) or `&&`, nested joins of the same kind flattened.
fn cel_join(items: Vec<Cel>, or: bool) -> Cel {
    let mut flat = Vec::new();
    for item in items {
        match item {
            Cel::Or(inner) if or => flat.extend(inner),
            Cel::And(inner) if !or => flat.extend(inner),
            other => flat.push(other),
        }
    }
    if or { Cel::Or(flat) } else { Cel::And(flat) }
}

fn cel_print(e: &Cel, nested: bool) -> String {
    match e {
        Cel::Cmp(l, op, r) => format!("{l} {op} {r}"),
        Cel::Not(inner) => format!("!({})", cel_print(inner, false)),
        Cel::And(items) => items.iter().map(|x| cel_print(x, true)).collect::<Vec<_>>().join(" && "),
        Cel::Or(items) => {
            let text = items.iter().map(|x| cel_print(x, true)).collect::<Vec<_>>().join(" || ");
            if nested { format!("({text})") } else { text }
        }
    }
}
