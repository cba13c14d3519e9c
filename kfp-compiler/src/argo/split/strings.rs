//! Every string of a DAG task, for the child's rewriting: walking the typed task (every field named,
//! so a new field of `DagTask` or of what it holds fails to compile here until it is walked) costs a
//! fraction of a round trip through `serde_json::Value`.

use crate::argo::{
    Arguments, ArtifactRef, DagTask, ExternalLocation, LifecycleHook, Parameter, S3Key, Sequence, ValueFrom,
};

/// Calls `f` on every string of `t` that can hold a `{{...}}` tag (names and template names cannot).
pub(super) fn task(t: &mut DagTask, f: &mut dyn FnMut(&mut String)) {
    let DagTask {
        name: _,
        template: _,
        template_ref: _,
        dependencies: _,
        depends,
        arguments,
        when,
        with_items,
        with_param,
        with_sequence,
        hooks,
    } = t;
    depends.iter_mut().for_each(&mut *f);
    self::arguments(arguments, f);
    when.iter_mut().for_each(&mut *f);
    for item in with_items.iter_mut().flatten() {
        value(item, f);
    }
    with_param.iter_mut().for_each(&mut *f);
    if let Some(Sequence { start, count }) = with_sequence {
        f(start);
        f(count);
    }
    for LifecycleHook { template: _, arguments } in hooks.values_mut() {
        self::arguments(arguments, f);
    }
}

fn arguments(a: &mut Arguments, f: &mut dyn FnMut(&mut String)) {
    let Arguments { parameters, artifacts } = a;
    for p in parameters {
        let Parameter { name: _, value, value_from, description, global_name } = p;
        value.iter_mut().chain(description).chain(global_name).for_each(&mut *f);
        if let Some(ValueFrom { path, parameter, default, json_path, jq_filter }) = value_from {
            path.iter_mut().chain(parameter).chain(default).chain(json_path).chain(jq_filter).for_each(&mut *f);
        }
    }
    for x in artifacts {
        let ArtifactRef { name: _, path, from, archive: _, s3, external } = x;
        path.iter_mut().chain(from).for_each(&mut *f);
        if let Some(S3Key { endpoint, bucket, key, use_sdk_creds: _ }) = s3 {
            endpoint.iter_mut().chain(bucket).for_each(&mut *f);
            f(key);
        }
        let ExternalLocation { raw, http, gcs, git } = external;
        if let Some(r) = raw {
            f(&mut r.data);
        }
        if let Some(h) = http {
            f(&mut h.url);
        }
        if let Some(g) = gcs {
            f(&mut g.bucket);
            f(&mut g.key);
        }
        if let Some(g) = git {
            f(&mut g.repo);
            g.revision.iter_mut().for_each(&mut *f);
        }
    }
}

/// Every string inside a JSON value (a `withItems` item), keys left alone.
pub(super) fn value(v: &mut serde_json::Value, f: &mut dyn FnMut(&mut String)) {
    match v {
        serde_json::Value::String(s) => f(s),
        serde_json::Value::Array(a) => a.iter_mut().for_each(|x| value(x, f)),
        serde_json::Value::Object(m) => m.values_mut().for_each(|x| value(x, f)),
        _ => {}
    }
}
