//! The `PlatformSpec` (document 1): its shell, each `KubernetesExecutorConfig` parsed strictly
//! through the project's struct, the executor labels, the parameter references inside the configs,
//! and the values the structs keep as strings (toleration and affinity operators, quantities).
//!
//! Rules: `ir/not-a-platform-spec`, `ir/platform-not-kubernetes`, `ir/platform-unknown-executor`,
//! `ir/platform-reference`, `ir/platform-dependency`, `ir/platform-value`, and the parse rules of
//! [`super::parse`].

use serde_json::Value;

use super::parse::{fields, typed};
use super::spec::{Spec, cshow};
use super::util::{Report, hint, idx, is_quantity, key, list, map, short, text};
use crate::kfp_v2::{KubernetesExecutorConfig, PipelineConfig};

pub(super) const NOT_A_PLATFORM_SPEC: &str = "ir/not-a-platform-spec";
pub(super) const NOT_KUBERNETES: &str = "ir/platform-not-kubernetes";
pub(super) const UNKNOWN_EXECUTOR: &str = "ir/platform-unknown-executor";
pub(super) const REFERENCE: &str = "ir/platform-reference";
pub(super) const DEPENDENCY: &str = "ir/platform-dependency";
pub(super) const VALUE: &str = "ir/platform-value";

const SINGLE_PLATFORM: &[&str] = &["config", "deploymentSpec", "pipelineConfig", "platform"];

/// Checks the platform document; `spec` is the pipeline's view when it parsed.
pub(super) fn check(r: &mut Report, doc: &Value, spec: Option<&Spec<'_>>) {
    if super::parse::PIPELINE_KEYS.iter().any(|k| doc.get(k).is_some()) {
        r.add("", NOT_A_PLATFORM_SPEC, "multiple pipeline specs provided (only one PipelineSpec document is allowed)");
        return;
    }
    if !doc.is_object() || doc.get("platforms").is_none() {
        r.add("", NOT_A_PLATFORM_SPEC, "not a PlatformSpec (no `platforms` key): the server ignores this document");
        return;
    }
    fields(r, "", doc, &["platforms"]);
    let platforms = map(&doc["platforms"]);
    if !platforms.contains_key("kubernetes") {
        r.add("platforms", NOT_KUBERNETES, "no `kubernetes` platform: the KFP server ignores this document");
    }
    for (pname, single) in platforms {
        let base = key("platforms", pname);
        fields(r, &base, single, SINGLE_PLATFORM);
        if let Some(pc) = single.get("pipelineConfig") {
            let pp = key(&base, "pipelineConfig");
            if typed::<PipelineConfig>(r, &pp, pc) {
                pipeline_config(r, &pp, pc);
            }
        }
        if pname != "kubernetes" {
            continue;
        }
        let dp = key(&base, "deploymentSpec");
        fields(r, &dp, &single["deploymentSpec"], &["executors"]);
        for (label, cfg) in map(&single["deploymentSpec"]["executors"]) {
            let ep = key(&key(&dp, "executors"), label);
            if let Some(s) = spec.filter(|s| !s.executors.contains_key(label)) {
                r.add(&ep, UNKNOWN_EXECUTOR, format!(
                    "no executor '{label}' in the PipelineSpec's deploymentSpec.executors: the backend looks configs up \
                     by executor label, so this one would be ignored{}",
                    hint(label, s.executors.keys())
                ));
            }
            if !typed::<KubernetesExecutorConfig>(r, &ep, cfg) {
                continue;
            }
            values(r, &ep, cfg);
            if let Some(s) = spec {
                references(r, s, label, &ep, "", cfg);
            }
        }
    }
}

/// `pipelineConfig`: no negative durations (`workspace`, which the struct does not model, is an
/// unknown field).
fn pipeline_config(r: &mut Report, pp: &str, pc: &Value) {
    let negative = |v: &Value| v.as_f64().or_else(|| v.as_str().and_then(|s| s.parse().ok())).is_some_and(|n| n < 0.0);
    for f in map(pc).iter().filter(|(_, v)| negative(v)).map(|(f, _)| f) {
        r.add(&key(pp, f), VALUE, format!("{f} cannot be negative"));
    }
}

/// What the struct keeps as free strings or numbers.
fn values(r: &mut Report, ep: &str, cfg: &Value) {
    for (i, t) in list(&cfg["tolerations"]).iter().enumerate() {
        let tp = idx(&key(ep, "tolerations"), i);
        if t.get("tolerationJson").is_some() {
            continue;
        }
        let op = text(&t["operator"]);
        if !matches!(op, "" | "Equal" | "Exists") {
            r.add(&key(&tp, "operator"), VALUE, format!("'{op}' is not Equal or Exists"));
        }
        let effect = text(&t["effect"]);
        if !matches!(effect, "" | "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
            r.add(&key(&tp, "effect"), VALUE, format!("'{effect}' is not NoSchedule, PreferNoSchedule or NoExecute"));
        }
        if op == "Exists" && !text(&t["value"]).is_empty() {
            r.add(&key(&tp, "value"), VALUE, "value must be empty when operator is Exists");
        }
    }
    for (i, term) in list(&cfg["nodeAffinity"]).iter().enumerate() {
        let tp = idx(&key(ep, "nodeAffinity"), i);
        if let Some(w) = term["weight"].as_f64().filter(|w| !(1.0..=100.0).contains(w)) {
            r.add(&key(&tp, "weight"), VALUE, format!("weight {w} is not between 1 and 100"));
        }
        for space in ["matchExpressions", "matchFields"] {
            for (j, req) in list(&term[space]).iter().enumerate() {
                let at = idx(&key(&tp, space), j);
                let op = text(&req["operator"]);
                let n = list(&req["values"]).len();
                let integer = |v: &Value| {
                    text(v).strip_prefix('-').unwrap_or(text(v)).bytes().all(|b| b.is_ascii_digit())
                        && !text(v).is_empty()
                };
                let problem = match op {
                    "In" | "NotIn" if n == 0 => Some(format!("operator {op} needs at least one value")),
                    "Exists" | "DoesNotExist" if n > 0 => Some(format!("operator {op} takes no values")),
                    "Gt" | "Lt" if n != 1 || !list(&req["values"]).iter().all(integer) => {
                        Some(format!("operator {op} takes exactly one integer value"))
                    }
                    "In" | "NotIn" | "Exists" | "DoesNotExist" | "Gt" | "Lt" => None,
                    _ => {
                        r.add(
                            &key(&at, "operator"),
                            VALUE,
                            format!("'{op}' is not one of In, NotIn, Exists, DoesNotExist, Gt, Lt"),
                        );
                        None
                    }
                };
                if let Some(p) = problem {
                    r.add(&at, VALUE, p);
                }
            }
        }
    }
    for (space, name) in [("secretAsEnv", "secret"), ("secretAsVolume", "secret")] {
        for (i, s) in list(&cfg[space]).iter().enumerate() {
            let at = idx(&key(ep, space), i);
            if s.get("secretName").is_none() && s.get("secretNameParameter").is_none() {
                r.add(&at, VALUE, format!("needs {name}NameParameter (or the deprecated {name}Name)"));
            }
            if space == "secretAsEnv" && list(&s["keyToEnv"]).is_empty() {
                r.add(&at, VALUE, "keyToEnv is empty");
            }
            if space == "secretAsVolume" && text(&s["mountPath"]).is_empty() {
                r.add(&key(&at, "mountPath"), VALUE, "mountPath is empty");
            }
        }
    }
    for (i, m) in list(&cfg["pvcMount"]).iter().enumerate() {
        let at = idx(&key(ep, "pvcMount"), i);
        if text(&m["mountPath"]).is_empty() {
            r.add(&key(&at, "mountPath"), VALUE, "mountPath is empty");
        }
        let named = ["pvcNameParameter", "taskOutputParameter", "constant", "componentInputParameter"];
        if !named.iter().any(|k| m.get(k).is_some()) {
            r.add(&at, VALUE, "needs pvcNameParameter");
        }
    }
    let mut quantity = |at: String, v: &Value| {
        if let Some(v) = v.as_str().filter(|v| !v.is_empty() && !is_quantity(v)) {
            r.add(&at, VALUE, format!("'{v}' is not a Kubernetes quantity"));
        }
    };
    for (i, v) in list(&cfg["genericEphemeralVolume"]).iter().enumerate() {
        quantity(key(&idx(&key(ep, "genericEphemeralVolume"), i), "size"), &v["size"]);
    }
    for (i, v) in list(&cfg["emptyDirMounts"]).iter().enumerate() {
        quantity(key(&idx(&key(ep, "emptyDirMounts"), i), "sizeLimit"), &v["sizeLimit"]);
    }
    quantity(key(&key(ep, "enabledSharedMemory"), "size"), &cfg["enabledSharedMemory"]["size"]);
    let deadline = &cfg["activeDeadlineSeconds"];
    if deadline.as_f64().or_else(|| deadline.as_str().and_then(|s| s.parse().ok())).is_some_and(|n| n < 0.0) {
        r.add(&key(ep, "activeDeadlineSeconds"), VALUE, "activeDeadlineSeconds cannot be negative");
    }
}

/// Parameter references inside a config (`field` is the key `v` is under) resolve for every task
/// that runs the executor `label`.
fn references(r: &mut Report, s: &Spec<'_>, label: &str, at: &str, field: &str, v: &Value) {
    match v {
        Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| references(r, s, label, &idx(at, i), field, x)),
        Value::Object(o) => {
            if let Some(src) = o.get("componentInputParameter").and_then(Value::as_str) {
                component_input(r, s, label, &key(at, "componentInputParameter"), src);
            }
            if let Some(out) = o.get("taskOutputParameter") {
                task_output(r, s, label, &key(at, "taskOutputParameter"), out);
            }
            if o.contains_key("taskFinalStatus") {
                r.add(&key(at, "taskFinalStatus"), REFERENCE, "taskFinalStatus cannot feed a Kubernetes setting");
            }
            if let Some(rv) = o.get("runtimeValue") {
                constant(r, &key(at, "runtimeValue"), field, rv);
            }
            for (k, x) in o.iter().filter(|(k, _)| !matches!(k.as_str(), "taskOutputParameter" | "runtimeValue")) {
                references(r, s, label, &key(at, k), k, x);
            }
        }
        _ => {}
    }
}

fn constant(r: &mut Report, at: &str, field: &str, rv: &Value) {
    let Some(value) = rv.get("constant") else {
        r.add(at, REFERENCE, "only runtimeValue.constant is resolved by the driver");
        return;
    };
    let dynamic = value.as_str().is_some_and(|v| v.contains("{{$"));
    if field.ends_with("Json") {
        if !value.is_object() && !value.is_array() && !dynamic {
            r.add(at, REFERENCE, format!("{field} needs an object, got {}", short(value)));
        }
    } else if value.as_str().is_none_or(str::is_empty) {
        r.add(at, REFERENCE, format!("{field} needs a non-empty string, got {}", short(value)));
    }
}

fn component_input(r: &mut Report, s: &Spec<'_>, label: &str, at: &str, src: &str) {
    for cname in s.exec_users.get(label).into_iter().flatten() {
        for u in s.users.get(cname).into_iter().flatten() {
            if s.component(u.dag)["inputDefinitions"]["parameters"].get(src).is_none() {
                r.add(
                    at,
                    REFERENCE,
                    format!(
                        "'{src}' is not an input parameter of {}, which holds task '{}' running this executor",
                        cshow(u.dag),
                        u.name
                    ),
                );
            }
        }
    }
}

fn task_output(r: &mut Report, s: &Spec<'_>, label: &str, at: &str, out: &Value) {
    let (prod, key_name) = (text(&out["producerTask"]), text(&out["outputParameterKey"]));
    for cname in s.exec_users.get(label).into_iter().flatten() {
        for u in s.users.get(cname).into_iter().flatten() {
            let tasks = map(&s.component(u.dag)["dag"]["tasks"]);
            let Some(producer) = tasks.get(prod) else {
                r.add(
                    at,
                    REFERENCE,
                    format!(
                        "no task '{prod}' next to task '{}' in {}{}",
                        u.name,
                        cshow(u.dag),
                        hint(prod, tasks.keys())
                    ),
                );
                continue;
            };
            let pc = s.components.get(text(&producer["componentRef"]["name"]));
            if pc.is_some_and(|pc| pc["outputDefinitions"]["parameters"].get(key_name).is_none()) {
                r.add(
                    at,
                    REFERENCE,
                    format!("the component of task '{prod}' declares no output parameter '{key_name}'"),
                );
            }
            if !list(&u.task["dependentTasks"]).iter().any(|d| text(d) == prod) {
                r.add(at, DEPENDENCY, format!(
                    "task '{}' reads an output of '{prod}' here but does not list it in dependentTasks (the backend \
                     adds no dependency for platform configs)",
                    u.name
                ));
            }
        }
    }
}
