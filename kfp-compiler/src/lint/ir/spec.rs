//! The spec as a whole: a view of its components, executors and who uses them; `schemaVersion`,
//! `pipelineInfo.name`, component names and interfaces, executor labels, recursion, reachability.
//!
//! Rules: `ir/schema-version`, `ir/sdk-version`, `ir/pipeline-name`, `ir/missing-root`, `ir/root-not-dag`,
//! `ir/component-name`, `ir/no-implementation`, `ir/missing-executor`, `ir/parameter-type`,
//! `ir/default-type`, `ir/artifact-type`, `ir/component-recursion`, `ir/unused-component`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::util::{Report, find_cycles, hint, key, map, short, text};
use crate::kfp_v2::SCHEMA_VERSION;

pub(super) const SCHEMA: &str = "ir/schema-version";
pub(super) const SDK: &str = "ir/sdk-version";
pub(super) const PIPELINE_NAME: &str = "ir/pipeline-name";
pub(super) const MISSING_ROOT: &str = "ir/missing-root";
pub(super) const ROOT_NOT_DAG: &str = "ir/root-not-dag";
pub(super) const COMPONENT_NAME: &str = "ir/component-name";
pub(super) const NO_IMPLEMENTATION: &str = "ir/no-implementation";
pub(super) const MISSING_EXECUTOR: &str = "ir/missing-executor";
pub(super) const PARAMETER_TYPE: &str = "ir/parameter-type";
pub(super) const DEFAULT_TYPE: &str = "ir/default-type";
pub(super) const ARTIFACT_TYPE: &str = "ir/artifact-type";
pub(super) const RECURSION: &str = "ir/component-recursion";
pub(super) const UNUSED_COMPONENT: &str = "ir/unused-component";

/// A task and where it is: the component holding its DAG (`None`: root) and its name.
pub(super) struct Use<'a> {
    pub(super) dag: Option<&'a str>,
    pub(super) name: &'a str,
    pub(super) task: &'a Value,
}

/// The spec, indexed.
pub(super) struct Spec<'a> {
    pub(super) doc: &'a Value,
    pub(super) components: &'a Map<String, Value>,
    pub(super) executors: &'a Map<String, Value>,
    /// Component name -> the tasks that run it.
    pub(super) users: BTreeMap<&'a str, Vec<Use<'a>>>,
    /// Executor label -> the components run by it.
    pub(super) exec_users: BTreeMap<&'a str, Vec<&'a str>>,
}

impl<'a> Spec<'a> {
    pub(super) fn new(doc: &'a Value) -> Self {
        let components = map(&doc["components"]);
        let executors = map(&doc["deploymentSpec"]["executors"]);
        let mut users: BTreeMap<&str, Vec<Use<'_>>> = BTreeMap::new();
        let mut exec_users: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        let mut this = Self { doc, components, executors, users: BTreeMap::new(), exec_users: BTreeMap::new() };
        for (cname, comp) in this.all() {
            for (tname, task) in map(&comp["dag"]["tasks"]) {
                let r = text(&task["componentRef"]["name"]);
                if let Some((r, _)) = components.get_key_value(r) {
                    users.entry(r.as_str()).or_default().push(Use { dag: cname, name: tname, task });
                }
            }
            if let (Some(cname), Some(label)) = (cname, comp["executorLabel"].as_str())
                && let Some((label, _)) = executors.get_key_value(label)
            {
                exec_users.entry(label.as_str()).or_default().push(cname);
            }
        }
        this.users = users;
        this.exec_users = exec_users;
        this
    }

    /// Root (`None`) and every named component.
    pub(super) fn all(&self) -> Vec<(Option<&'a str>, &'a Value)> {
        let mut all = vec![(None, &self.doc["root"])];
        all.extend(self.components.iter().map(|(k, v)| (Some(k.as_str()), v)));
        all
    }

    /// The component `name` (`None`: root).
    pub(super) fn component(&self, name: Option<&str>) -> &'a Value {
        match name {
            None => &self.doc["root"],
            Some(n) => self.components.get(n).unwrap_or(&Value::Null),
        }
    }
}

/// The path of a component.
pub(super) fn cpath(name: Option<&str>) -> String {
    name.map_or_else(|| "root".to_owned(), |n| key("components", n))
}

/// How a message names a component.
pub(super) fn cshow(name: Option<&str>) -> String {
    name.map_or_else(|| "root".to_owned(), |n| format!("'{n}'"))
}

/// The spec-wide rules.
pub(super) fn check(r: &mut Report, s: &Spec<'_>) {
    let doc = s.doc;
    if let Some(v) = doc["schemaVersion"].as_str().filter(|v| *v != SCHEMA_VERSION) {
        r.add("schemaVersion", SCHEMA, format!("KFP only supports schema version {SCHEMA_VERSION}, got '{v}'"));
    } else if doc.get("schemaVersion").is_none() {
        r.add("schemaVersion", SCHEMA, format!("schemaVersion is missing: KFP only supports {SCHEMA_VERSION}"));
    }
    if text(&doc["sdkVersion"]).is_empty() {
        r.add(
            "sdkVersion",
            SDK,
            "sdkVersion is missing or empty: every writer names itself and its version \
            (`kfp-2.17.3`, `kfp-rs-0.1.0`); kfp-rs reads no spec without it",
        );
    }
    pipeline_name(r, text(&doc["pipelineInfo"]["name"]));
    match doc.get("root") {
        None | Some(Value::Null) => r.add("root", MISSING_ROOT, "root component is empty"),
        Some(root) if root.get("dag").is_none() => {
            r.add("root", ROOT_NOT_DAG, "root must be a DAG component (`dag:` with tasks)");
        }
        Some(_) => {}
    }
    for name in s.components.keys() {
        let at = key("components", name);
        if !super::util::is_name(name, false) || name.len() > 128 {
            r.add(
                &at,
                COMPONENT_NAME,
                "component names become Argo template names: use letters, digits and '-', \
                starting with a letter or digit, at most 128 characters",
            );
        } else if name == "root" || name == "entrypoint" || name.starts_with("system-") {
            r.add(
                &at,
                COMPONENT_NAME,
                format!("'{name}' clashes with a template the backend compiler adds (root, entrypoint, system-*)"),
            );
        }
    }
    for (cname, comp) in s.all() {
        if cname.is_none() && comp.is_null() {
            continue;
        }
        interface(r, s, cname, comp);
    }
    reachability(r, s);
}

/// The server's pattern, unanchored (it only needs a match somewhere); the SDK writes the whole form.
fn pipeline_name(r: &mut Report, name: &str) {
    let at = "pipelineInfo.name";
    let fits = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    if name.is_empty() {
        r.add(at, PIPELINE_NAME, "pipeline name is empty");
    } else if !name.chars().any(fits) {
        r.add(
            at,
            PIPELINE_NAME,
            format!(
                "'{name}' is refused by the server: a name should consist of lower case \
            alphanumeric characters, '-' or '.'"
            ),
        );
    } else {
        let whole = name
            .split('.')
            .all(|part| part.starts_with(fits) && part.ends_with(fits) && part.chars().all(|c| fits(c) || c == '-'));
        if !whole {
            r.add(
                at,
                PIPELINE_NAME,
                format!(
                    "'{name}' passes the server's check but is not lower case alphanumerics, \
                '-' and '.' starting and ending with an alphanumeric (what the SDK writes)"
                ),
            );
        }
    }
}

fn interface(r: &mut Report, s: &Spec<'_>, cname: Option<&str>, comp: &Value) {
    let base = cpath(cname);
    match (comp.get("dag"), comp.get("executorLabel")) {
        (None, None) => r.add(&base, NO_IMPLEMENTATION, "component has neither `dag` nor `executorLabel`"),
        (_, Some(label)) => {
            let label = text(label);
            if !s.executors.contains_key(label) {
                r.add(
                    &key(&base, "executorLabel"),
                    MISSING_EXECUTOR,
                    format!("executor '{label}' is not in deploymentSpec.executors{}", hint(label, s.executors.keys())),
                );
            }
        }
        _ => {}
    }
    for io in ["inputDefinitions", "outputDefinitions"] {
        for (pname, p) in map(&comp[io]["parameters"]) {
            let at = key(&key(&key(&base, io), "parameters"), pname);
            let ty = text(&p["parameterType"]);
            if io == "outputDefinitions" && matches!(ty, "TASK_FINAL_STATUS" | "TASK_CONFIG") {
                r.add(&key(&at, "parameterType"), PARAMETER_TYPE, format!("{ty} is an input-only type"));
            }
            if io == "inputDefinitions" && cname.is_none() && ty == "TASK_FINAL_STATUS" {
                r.add(
                    &key(&at, "parameterType"),
                    PARAMETER_TYPE,
                    "a run cannot give a TASK_FINAL_STATUS root input a \
                    value (the server refuses it); it only works left unset",
                );
            }
            if io == "inputDefinitions"
                && let Some(d) = p.get("defaultValue").filter(|d| !d.is_null())
                && fits_type(ty, d) == Some(false)
            {
                r.add(&key(&at, "defaultValue"), DEFAULT_TYPE, format!("default {} does not fit type {ty}", short(d)));
            }
        }
        for (aname, a) in map(&comp[io]["artifacts"]) {
            let at = key(&key(&key(&key(&base, io), "artifacts"), aname), "artifactType");
            let t = &a["artifactType"];
            if t.get("schemaUri").is_some() {
                r.add(&at, ARTIFACT_TYPE, "schemaUri is unsupported by the KFP launcher; use schemaTitle");
            } else if let Some(title) = t["schemaTitle"].as_str() {
                let ok = title
                    .split_once('.')
                    .is_some_and(|(ns, n)| !ns.is_empty() && !n.is_empty() && !title.contains(char::is_whitespace));
                if !ok {
                    r.add(
                        &key(&at, "schemaTitle"),
                        ARTIFACT_TYPE,
                        format!("'{title}' is not a schema title of the form `system.Dataset`"),
                    );
                }
            } else if t.get("instanceSchema").is_none() {
                r.add(&at, ARTIFACT_TYPE, "artifactType needs schemaTitle (e.g. system.Artifact) or instanceSchema");
            }
        }
    }
}

/// Whether a value is acceptable to the driver for a parameter of type `ty`; `None` if unknowable.
pub(super) fn fits_type(ty: &str, v: &Value) -> Option<bool> {
    match ty {
        "STRING" => Some(true),
        "NUMBER_DOUBLE" | "NUMBER_INTEGER" => Some(v.is_number()),
        "BOOLEAN" => Some(v.is_boolean()),
        "LIST" => Some(v.is_array()),
        "STRUCT" => Some(v.is_object()),
        _ => None,
    }
}

fn reachability(r: &mut Report, s: &Spec<'_>) {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (cname, comp) in s.all() {
        let refs = map(&comp["dag"]["tasks"])
            .values()
            .map(|t| text(&t["componentRef"]["name"]).to_owned())
            .filter(|n| s.components.contains_key(n))
            .collect();
        graph.insert(cname.map_or_else(|| "(root)".to_owned(), str::to_owned), refs);
    }
    for cycle in find_cycles(&graph) {
        let first = (cycle[0] != "(root)").then_some(cycle[0].as_str());
        r.add(
            &cpath(first),
            RECURSION,
            format!(
                "component reference cycle (recursion): the kfp SDK never writes one and the backend compiler does \
             not check for it: {}",
                cycle.join(" -> ")
            ),
        );
    }
    let mut seen = BTreeSet::new();
    let mut todo = vec!["(root)".to_owned()];
    while let Some(c) = todo.pop() {
        if seen.insert(c.clone()) {
            todo.extend(graph.get(&c).into_iter().flatten().cloned());
        }
    }
    for name in s.components.keys().filter(|n| !seen.contains(*n)) {
        r.add(&key("components", name), UNUSED_COMPONENT, "component is not reachable from root (no task runs it)");
    }
}
