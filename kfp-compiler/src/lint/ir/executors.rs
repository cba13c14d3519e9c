//! `deploymentSpec.executors`: what kind each is, containers' placeholders and resources, importers.
//!
//! An executor no component uses is not a problem: kfp itself writes one when it unrolls a recursive
//! graph (`g_recursion`'s `exec-log-2`), and the backend ignores it.
//!
//! Rules: `ir/unsupported-executor`, `ir/missing-image`, `ir/unknown-placeholder`,
//! `ir/launcher-placeholder`, `ir/bad-placeholder-json`, `ir/env`, `ir/bad-quantity`, `ir/importer`.

use serde_json::Value;

use super::spec::{Spec, cshow};
use super::util::{Report, hint, idx, is_quantity, key, list, map, placeholders, text};

pub(super) const UNSUPPORTED_EXECUTOR: &str = "ir/unsupported-executor";
pub(super) const MISSING_IMAGE: &str = "ir/missing-image";
pub(super) const UNKNOWN_PLACEHOLDER: &str = "ir/unknown-placeholder";
pub(super) const LAUNCHER_PLACEHOLDER: &str = "ir/launcher-placeholder";
pub(super) const PLACEHOLDER_JSON: &str = "ir/bad-placeholder-json";
pub(super) const ENV: &str = "ir/env";
pub(super) const BAD_QUANTITY: &str = "ir/bad-quantity";
pub(super) const IMPORTER: &str = "ir/importer";

/// Placeholders the KFP driver resolves as the whole value of a task input, and the launcher does not.
const DRIVER_WHOLE_VALUE: &[&str] = &[
    ".pipeline_job_name",
    ".pipeline_job_resource_name",
    ".pipeline_job_uuid",
    ".pipeline_task_name",
    ".pipeline_task_uuid",
    ".pipeline_job_create_time_utc",
    ".pipeline_job_schedule_time_utc",
];

/// Every executor.
pub(super) fn check(r: &mut Report, s: &Spec<'_>) {
    for (label, ex) in s.executors {
        let ep = key("deploymentSpec.executors", label);
        let users = s.exec_users.get(label.as_str()).map_or(&[][..], Vec::as_slice);
        if ex.get("resolver").is_some() {
            r.add(
                &key(&ep, "resolver"),
                UNSUPPORTED_EXECUTOR,
                "resolver executors are not implemented by the KFP backend",
            );
        } else if ex.get("customJob").is_some() {
            r.add(
                &key(&ep, "customJob"),
                UNSUPPORTED_EXECUTOR,
                "customJob executors are Google Cloud only; the KFP backend refuses them",
            );
        } else if let Some(c) = ex.get("container") {
            let cp = key(&ep, "container");
            if users.is_empty() {
                container(r, s, &cp, c, None);
            }
            for cname in users {
                container(r, s, &cp, c, Some(cname));
            }
        } else if let Some(imp) = ex.get("importer") {
            importer(r, s, &key(&ep, "importer"), imp, users);
        } else {
            r.add(&ep, UNSUPPORTED_EXECUTOR, "executor needs `container` or `importer`");
        }
    }
}

fn container(r: &mut Report, s: &Spec<'_>, cp: &str, c: &Value, cname: Option<&str>) {
    let comp = cname.and_then(|n| s.components.get(n));
    if text(&c["image"]).is_empty() {
        r.add(&key(cp, "image"), MISSING_IMAGE, "container image is empty");
    }
    for field in ["command", "args"] {
        for (i, arg) in list(&c[field]).iter().enumerate() {
            let arg = text(arg);
            let at = idx(&key(cp, field), i);
            let trimmed = arg.trim_start();
            if trimmed.starts_with("{\"IfPresent\"") || trimmed.starts_with("{\"Concat\"") {
                match serde_json::from_str::<Value>(arg) {
                    Err(e) => {
                        r.add(&at, PLACEHOLDER_JSON, format!("IfPresent/Concat placeholder is not valid JSON: {e}"))
                    }
                    Ok(tree) => {
                        if let Some(comp) = comp {
                            let defs = &comp["inputDefinitions"];
                            for name in if_present(&tree) {
                                if defs["parameters"].get(name).is_none() && defs["artifacts"].get(name).is_none() {
                                    r.add(
                                        &at,
                                        UNKNOWN_PLACEHOLDER,
                                        format!("IfPresent names '{name}', which is not an input of {}", cshow(cname)),
                                    );
                                }
                            }
                        }
                    }
                }
            }
            for body in placeholders(arg) {
                io_placeholder(r, &at, body, cname, comp);
            }
        }
    }
    for (i, env) in list(&c["env"]).iter().enumerate() {
        let ep = idx(&key(cp, "env"), i);
        if text(&env["name"]).is_empty() {
            r.add(&key(&ep, "name"), ENV, "env var name is empty");
        }
        if text(&env["value"]).contains("{{$") {
            r.add(&key(&ep, "value"), ENV, "placeholders in env values are not substituted by the backend");
        }
    }
    let res = &c["resources"];
    let rp = key(cp, "resources");
    for f in ["resourceCpuLimit", "resourceCpuRequest", "resourceMemoryLimit", "resourceMemoryRequest"] {
        if let Some(v) = res[f].as_str().filter(|v| !v.is_empty()) {
            resource(r, s, &key(&rp, f), v, cname, true);
        }
    }
    let acc = &res["accelerator"];
    if !acc.is_null() {
        let ap = key(&rp, "accelerator");
        if let Some(v) = acc["resourceCount"].as_str().filter(|v| !v.is_empty()) {
            resource(r, s, &key(&ap, "resourceCount"), v, cname, true);
        }
        if let Some(v) = acc["resourceType"].as_str().filter(|v| !v.is_empty()) {
            resource(r, s, &key(&ap, "resourceType"), v, cname, false);
        }
        if text(&acc["resourceType"]).is_empty() && text(&acc["type"]).is_empty() {
            r.add(&ap, BAD_QUANTITY, "accelerator needs resourceType");
        }
    }
    let image = text(&c["image"]);
    if image.contains("{{$") {
        resource(r, s, &key(cp, "image"), image, cname, false);
    }
}

fn if_present(tree: &Value) -> Vec<&str> {
    let mut out = Vec::new();
    match tree {
        Value::Object(o) => {
            if let Some(name) = o.get("IfPresent").and_then(|i| i["InputName"].as_str()) {
                out.push(name);
            }
            out.extend(o.values().flat_map(if_present));
        }
        Value::Array(a) => out.extend(a.iter().flat_map(if_present)),
        _ => {}
    }
    out
}

fn io_placeholder(r: &mut Report, at: &str, body: &str, cname: Option<&str>, comp: Option<&Value>) {
    if body.is_empty() {
        return; // `{{$}}`: the whole ExecutorInput as JSON
    }
    let Some((io, space, name, rest)) = super::util::io_placeholder(body) else {
        let tip = if DRIVER_WHOLE_VALUE.contains(&body) { " (pass it as the value of an input instead)" } else { "" };
        r.add(
            at,
            LAUNCHER_PLACEHOLDER,
            format!("{{{{${body}}}}} is not substituted by the KFP launcher in command/args{tip}"),
        );
        return;
    };
    let known: &[&str] = match (io, space) {
        ("inputs", "parameters") => &[""],
        ("outputs", "parameters") => &[".output_file"],
        _ => &[".path", ".uri"],
    };
    if !known.contains(&rest) {
        r.add(
            at,
            LAUNCHER_PLACEHOLDER,
            format!(
                "{{{{${body}}}}}: '{rest}' is not substituted by the KFP launcher (it knows {})",
                known.iter().filter(|k| !k.is_empty()).map(|k| format!("'{k}'")).collect::<Vec<_>>().join(", ")
            ),
        );
    }
    let Some(comp) = comp else { return };
    let defs = map(&comp[if io == "inputs" { "inputDefinitions" } else { "outputDefinitions" }][space]);
    if !defs.contains_key(name) {
        r.add(
            at,
            UNKNOWN_PLACEHOLDER,
            format!(
                "{{{{${body}}}}} names no {} {} of component {}{}",
                &io[..io.len() - 1],
                &space[..space.len() - 1],
                cshow(cname),
                hint(name, defs.keys())
            ),
        );
    }
}

/// A resource string: a quantity, or one `{{$.inputs.parameters['x']}}` naming an input of every task
/// that runs the executor.
fn resource(r: &mut Report, s: &Spec<'_>, at: &str, value: &str, cname: Option<&str>, quantity: bool) {
    let whole = placeholders(value).into_iter().find_map(|b| {
        b.strip_prefix(".inputs.parameters['").and_then(|b| b.strip_suffix("']")).filter(|n| !n.contains('\''))
    });
    if let Some(name) = whole {
        if value != format!("{{{{$.inputs.parameters['{name}']}}}}") {
            r.add(
                at,
                LAUNCHER_PLACEHOLDER,
                "the driver replaces the whole value by the input it names; the text \
                around the placeholder is lost",
            );
        }
        let Some(cname) = cname else { return };
        let declared = s.components.get(cname).is_some_and(|c| c["inputDefinitions"]["parameters"].get(name).is_some());
        for u in s.users.get(cname).into_iter().flatten() {
            if u.task["inputs"]["parameters"].get(name).is_none() && !declared {
                r.add(
                    at,
                    UNKNOWN_PLACEHOLDER,
                    format!(
                        "'{name}' is not an input of task '{}' in {}, which runs this executor",
                        u.name,
                        cshow(u.dag)
                    ),
                );
            }
        }
    } else if value.contains("{{$") {
        r.add(at, LAUNCHER_PLACEHOLDER, "only {{$.inputs.parameters[...]}} placeholders are resolved here");
    } else if quantity && !is_quantity(value) {
        r.add(at, BAD_QUANTITY, format!("'{value}' is not a Kubernetes quantity (e.g. 500m, 2, 4Gi)"));
    }
}

fn importer(r: &mut Report, s: &Spec<'_>, ip: &str, imp: &Value, users: &[&str]) {
    let schema = &imp["typeSchema"];
    if schema.get("schemaTitle").is_none() && schema.get("instanceSchema").is_none() {
        r.add(&key(ip, "typeSchema"), IMPORTER, "importer needs typeSchema with schemaTitle or instanceSchema");
    }
    let uri = &imp["artifactUri"];
    if let Some(p) = uri.get("runtimeParameter") {
        let p = text(p);
        for cname in users {
            let known = s.components.get(*cname).is_some_and(|c| c["inputDefinitions"]["parameters"].get(p).is_some());
            if !known {
                r.add(
                    &key(&key(ip, "artifactUri"), "runtimeParameter"),
                    IMPORTER,
                    format!("'{p}' is not an input parameter of component '{cname}'"),
                );
            }
        }
    } else if uri.get("constant").is_none() {
        r.add(&key(ip, "artifactUri"), IMPORTER, "importer needs artifactUri (constant or runtimeParameter)");
    }
}
