//! A task's settings on its container template: resources, scheduling, environment, volumes, extra
//! containers, retries, timeout, caching and pod metadata.

use kfp_dsl::{EnvSource, ExtraContainer, SettingValue, TaskSettings, setting_input};
use serde_json::{Map, Value, json};

use crate::argo::expr;
use crate::argo::kfp_meta;
use crate::argo::{EnvVar, Parameter, Template};

use super::pod_surface;

fn value(v: &SettingValue) -> String {
    match v {
        SettingValue::Literal(s) => s.clone(),
        SettingValue::PipelineParam(name) => expr::workflow_param(name),
        // Only resources take other values (the builder refuses them elsewhere).
        SettingValue::Value(_) => String::new(),
    }
}

/// `{"containers":[{"name":"main","resources":{...}}]}` whose values are pipeline parameters or the
/// template's inputs, each written by an expression tag as a JSON string (`toJson`), so a value can
/// only ever be one string of the patch, never more of its structure.
fn resource_patch(patch: &[(&str, Vec<(&String, String)>)]) -> String {
    let mut groups = Vec::new();
    for (group, values) in patch {
        let fields: Vec<String> =
            values.iter().map(|(k, json)| format!("{}:{json}", Value::String((*k).clone()))).collect();
        groups.push(format!("{}:{{{}}}", Value::String((*group).to_owned()), fields.join(",")));
    }
    format!(r#"{{"containers":[{{"name":"main","resources":{{{}}}}}]}}"#, groups.join(","))
}

fn extra(c: &ExtraContainer) -> Value {
    let mut m = Map::new();
    m.insert("name".into(), json!(c.name));
    m.insert("image".into(), json!(c.image));
    if !c.command.is_empty() {
        m.insert("command".into(), json!(c.command));
    }
    if !c.args.is_empty() {
        m.insert("args".into(), json!(c.args));
    }
    if c.mirror_volume_mounts {
        m.insert("mirrorVolumeMounts".into(), json!(true));
    }
    Value::Object(m)
}

/// Applies `s` to container template `t`.
pub(crate) fn apply(t: &mut Template, s: &TaskSettings) {
    if let Some(d) = &s.display_name {
        t.metadata.annotations.insert(kfp_meta::DISPLAY_NAME.to_owned(), d.clone());
    }
    if let Some(st) = &s.max_cache_staleness {
        t.metadata.annotations.insert(kfp_meta::MAX_CACHE_STALENESS.to_owned(), st.clone());
    }
    if let Some(c) = s.caching {
        t.metadata.labels.insert(kfp_meta::ENABLE_CACHING.to_owned(), c.to_string());
    }
    t.metadata.labels.extend(s.labels.iter().map(|(k, v)| (k.clone(), v.clone())));
    t.metadata.annotations.extend(s.annotations.iter().map(|(k, v)| (k.clone(), v.clone())));

    // Resources: literals on the container; parameters through podSpecPatch (Argo resolves it when the
    // pod is made), as kfp v1 did, without leaving an empty `resources` behind.
    let mut resources = Map::new();
    let mut patch = Vec::new();
    for (key, map) in [("requests", &s.requests), ("limits", &s.limits)] {
        let mut literal = Map::new();
        let mut params = Vec::new();
        for (k, v) in map {
            match v {
                SettingValue::Literal(text) => {
                    literal.insert(k.clone(), Value::String(text.clone()));
                }
                SettingValue::PipelineParam(name) => params.push((k, expr::workflow_param_json(name))),
                // A task output or loop item: an input of the template, passed by the task.
                SettingValue::Value(_) => {
                    let input = setting_input(key, k);
                    params.push((k, expr::input_json(&input, "String")));
                    t.inputs.parameters.push(Parameter::named(input));
                }
            }
        }
        if !literal.is_empty() {
            resources.insert(key.into(), Value::Object(literal));
        }
        if !params.is_empty() {
            patch.push((key, params));
        }
    }
    // Groups in key order, as the JSON object they replace wrote them.
    patch.sort_by_key(|(key, _)| *key);
    if let Some(c) = t.container.as_mut() {
        if !resources.is_empty() {
            c.resources = Some(Value::Object(resources));
        }
        match &s.image {
            Some(SettingValue::Literal(image)) => c.image = image.clone(),
            // Argo writes the value into the image as one JSON string.
            Some(SettingValue::Value(_)) => {
                let input = setting_input("image", "image");
                c.image = expr::input_param(&input);
                t.inputs.parameters.push(Parameter::named(input));
            }
            Some(SettingValue::PipelineParam(_)) | None => {}
        }
        for (name, source) in &s.env {
            let (v, from) = match source {
                EnvSource::Value(v) => (Some(value(v)), None),
                EnvSource::SecretKey { name, key } => (None, Some(json!({"secretKeyRef": {"name": name, "key": key}}))),
                EnvSource::ConfigMapKey { name, key } => {
                    (None, Some(json!({"configMapKeyRef": {"name": name, "key": key}})))
                }
                EnvSource::FieldPath(f) => (None, Some(json!({"fieldRef": {"fieldPath": f}}))),
            };
            c.env.push(EnvVar { name: name.clone(), value: v, value_from: from });
        }
        for (secret, name) in &s.env_from {
            let key = if *secret { "secretRef" } else { "configMapRef" };
            c.env_from.push(json!({ key: { "name": name } }));
        }
        for m in &s.mounts {
            let mut v = json!({"name": m.volume, "mountPath": m.path});
            if m.read_only {
                v["readOnly"] = json!(true);
            }
            c.volume_mounts.push(v);
        }
        c.image_pull_policy = s.image_pull_policy.clone();
        if let Some(sc) = &s.security_context {
            let mut m = Map::new();
            let mut put = |k: &str, v: Option<Value>| {
                if let Some(v) = v {
                    m.insert(k.to_owned(), v);
                }
            };
            put("runAsUser", sc.run_as_user.map(|v| json!(v)));
            put("runAsGroup", sc.run_as_group.map(|v| json!(v)));
            put("runAsNonRoot", sc.run_as_non_root.map(|v| json!(v)));
            put("privileged", sc.privileged.map(|v| json!(v)));
            put("readOnlyRootFilesystem", sc.read_only_root_filesystem.map(|v| json!(v)));
            put("allowPrivilegeEscalation", sc.allow_privilege_escalation.map(|v| json!(v)));
            c.security_context = Some(Value::Object(m));
        }
    }
    if !patch.is_empty() {
        t.pod_spec_patch = Some(resource_patch(&patch));
    }
    t.node_selector = s.node_selector.clone();
    for tol in &s.tolerations {
        let mut v = json!({"key": tol.key, "operator": tol.operator});
        if let Some(val) = &tol.value {
            v["value"] = json!(val);
        }
        if !tol.effect.is_empty() {
            v["effect"] = json!(tol.effect);
        }
        t.tolerations.push(v);
    }
    if !s.affinity.is_empty() {
        let expr = |a: &kfp_dsl::NodeAffinity| {
            let mut e = json!({"key": a.key, "operator": a.operator});
            if !a.values.is_empty() {
                e["values"] = json!(a.values);
            }
            e
        };
        let required: Vec<Value> = s.affinity.iter().filter(|a| a.required).map(expr).collect();
        let preferred: Vec<Value> = s
            .affinity
            .iter()
            .filter(|a| !a.required)
            .map(|a| json!({"weight": 1, "preference": {"matchExpressions": [expr(a)]}}))
            .collect();
        let mut node = Map::new();
        if !required.is_empty() {
            node.insert(
                "requiredDuringSchedulingIgnoredDuringExecution".into(),
                json!({"nodeSelectorTerms": [{"matchExpressions": required}]}),
            );
        }
        if !preferred.is_empty() {
            node.insert("preferredDuringSchedulingIgnoredDuringExecution".into(), Value::Array(preferred));
        }
        t.affinity = Some(json!({ "nodeAffinity": Value::Object(node) }));
    }
    if let Some(r) = &s.retry {
        let mut v = json!({"limit": r.limit.to_string()});
        if let Some(p) = &r.policy {
            v["retryPolicy"] = json!(p);
        }
        if let Some(b) = &r.backoff {
            let mut backoff = json!({"duration": b});
            if let Some(f) = r.factor {
                backoff["factor"] = json!(f.to_string());
            }
            if let Some(m) = &r.max_backoff {
                backoff["maxDuration"] = json!(m);
            }
            v["backoff"] = backoff;
        }
        if let Some(when) = &r.when {
            v["expression"] = json!(expr::retry_if(when));
        }
        if r.other_node {
            v["affinity"] = json!({"nodeAntiAffinity": {}});
        }
        t.retry_strategy = Some(v);
    }
    if let Some(secs) = s.timeout_seconds {
        // Over a resource step's own wait timeout, set when its template was made.
        t.active_deadline_seconds = Some(secs.to_string());
    }
    t.sidecars = s.sidecars.iter().map(extra).collect();
    t.init_containers = s.init_containers.iter().map(extra).collect();
    t.volumes.extend(s.volumes.iter().map(|(name, source)| pod_surface::volume(name, source)));
    if let Some(c) = t.container.as_mut() {
        pod_surface::apply(c, s);
    }
}
