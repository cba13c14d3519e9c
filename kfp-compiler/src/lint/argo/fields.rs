//! The values of single fields Argo's server checks: `podGC.strategy`, `retryStrategy`, `when`,
//! resource templates (action, manifest, conditions), `podSpecPatch`, and a CronWorkflow's
//! schedule options.

use serde_json::{Map, Value};

use super::{Out, list};

const POD_GC: &[&str] = &["", "OnPodCompletion", "OnPodSuccess", "OnWorkflowCompletion", "OnWorkflowSuccess"];
const RETRY_POLICIES: &[&str] = &["", "Always", "OnFailure", "OnError", "OnTransientError"];
const ACTIONS: &[&str] = &["get", "create", "apply", "delete", "replace", "patch"];
const CONCURRENCY: &[&str] = &["", "Allow", "Forbid", "Replace"];
/// The fields of a Kubernetes `PodSpec` (core/v1, Kubernetes 1.33).
const POD_SPEC: &[&str] = &[
    "activeDeadlineSeconds",
    "affinity",
    "automountServiceAccountToken",
    "containers",
    "dnsConfig",
    "dnsPolicy",
    "enableServiceLinks",
    "ephemeralContainers",
    "hostAliases",
    "hostIPC",
    "hostNetwork",
    "hostPID",
    "hostUsers",
    "hostname",
    "hostnameOverride",
    "imagePullSecrets",
    "initContainers",
    "nodeName",
    "nodeSelector",
    "os",
    "overhead",
    "preemptionPolicy",
    "priority",
    "priorityClassName",
    "readinessGates",
    "resourceClaims",
    "resources",
    "restartPolicy",
    "runtimeClassName",
    "schedulerName",
    "schedulingGates",
    "securityContext",
    "serviceAccount",
    "serviceAccountName",
    "setHostnameAsFQDN",
    "shareProcessNamespace",
    "subdomain",
    "terminationGracePeriodSeconds",
    "tolerations",
    "topologySpreadConstraints",
    "volumes",
];

fn one_of(out: &mut Out, path: String, rule: &'static str, v: Option<&Value>, allowed: &[&str]) {
    if let Some(s) = v.and_then(Value::as_str)
        && !allowed.contains(&s)
    {
        let list: Vec<&str> = allowed.iter().copied().filter(|a| !a.is_empty()).collect();
        out.push(path, rule, format!("`{s}` is not one of {}", list.join(", ")));
    }
}

/// The workflow spec's own fields at `at`.
pub(super) fn spec(at: &str, spec: &Map<String, Value>, out: &mut Out) {
    one_of(
        out,
        format!("{at}.podGC.strategy"),
        "argo/pod-gc",
        spec.get("podGC").and_then(|p| p.get("strategy")),
        POD_GC,
    );
    if let Some(r) = spec.get("retryStrategy") {
        retry(&format!("{at}.retryStrategy"), r, out);
    }
    if let Some(Value::String(p)) = spec.get("podSpecPatch") {
        pod_spec_patch(&format!("{at}.podSpecPatch"), p, out);
    }
}

/// A CronWorkflow's schedule options.
pub(super) fn cron(doc: &Value, out: &mut Out) {
    let spec = doc.get("spec").unwrap_or(&Value::Null);
    let single = spec.get("schedule").and_then(Value::as_str).filter(|s| !s.is_empty());
    let many = list(spec, "schedules");
    if single.is_none() && many.is_empty() {
        out.push("spec.schedules", "argo/cron-schedule", "a CronWorkflow needs at least one schedule");
    }
    let each = single
        .map(|s| ("spec.schedule".to_owned(), s))
        .into_iter()
        .chain(many.iter().enumerate().filter_map(|(i, s)| Some((format!("spec.schedules[{i}]"), s.as_str()?))));
    for (at, s) in each {
        let fields = s.split_whitespace().count();
        if !(s.trim_start().starts_with('@') || (5..=6).contains(&fields)) {
            out.push(
                at,
                "argo/cron-schedule",
                format!("`{s}` is not a cron schedule: five fields (`0 2 * * *`) or `@daily`"),
            );
        }
    }
    one_of(out, "spec.concurrencyPolicy".into(), "argo/bad-value", spec.get("concurrencyPolicy"), CONCURRENCY);
    if spec.get("startingDeadlineSeconds").and_then(Value::as_i64).is_some_and(|s| s < 0) {
        out.push("spec.startingDeadlineSeconds", "argo/bad-value", "must not be negative");
    }
}

/// One template's fields at `path`, and the `when` of its tasks and steps.
pub(super) fn template(path: &str, t: &Value, out: &mut Out) {
    if let Some(r) = t.get("retryStrategy") {
        retry(&format!("{path}.retryStrategy"), r, out);
    }
    if let Some(Value::String(p)) = t.get("podSpecPatch") {
        pod_spec_patch(&format!("{path}.podSpecPatch"), p, out);
    }
    if let Some(r) = t.get("resource") {
        resource(&format!("{path}.resource"), r, out);
    }
    let tasks = t.get("dag").map_or(&[][..], |d| list(d, "tasks"));
    let holders = tasks.iter().enumerate().map(|(i, k)| (format!("{path}.dag.tasks[{i}]"), k));
    let steps = list(t, "steps").iter().enumerate().flat_map(|(g, group)| {
        group.as_array().into_iter().flatten().enumerate().map(move |(i, s)| (format!("{path}.steps[{g}][{i}]"), s))
    });
    for (at, h) in holders.chain(steps) {
        if let Some(Value::String(w)) = h.get("when")
            && let Err(why) = expression(w)
        {
            out.push(format!("{at}.when"), "argo/when", format!("`{w}` is not a condition Argo can evaluate: {why}"));
        }
    }
}

fn retry(path: &str, r: &Value, out: &mut Out) {
    one_of(out, format!("{path}.retryPolicy"), "argo/retry-strategy", r.get("retryPolicy"), RETRY_POLICIES);
    if let Some(Value::String(limit)) = r.get("limit")
        && !limit.contains("{{")
        && limit.trim().parse::<i64>().is_err()
    {
        out.push(format!("{path}.limit"), "argo/retry-strategy", format!("`{limit}` is not a whole number"));
    }
}

fn resource(path: &str, r: &Value, out: &mut Out) {
    one_of(out, format!("{path}.action"), "argo/resource", r.get("action"), ACTIONS);
    let manifest = r.get("manifest").and_then(Value::as_str);
    match (manifest, r.get("manifestFrom")) {
        (None, None) => out.push(path, "argo/resource", "needs `manifest` or `manifestFrom`"),
        (Some(_), Some(_)) => out.push(path, "argo/resource", "has both `manifest` and `manifestFrom`: keep one"),
        (Some(m), None) => {
            let text = without_tags(m);
            match crate::lint::read::yaml_documents(&text) {
                Err(e) => out.push(format!("{path}.manifest"), "argo/resource", format!("not valid YAML: {e}")),
                Ok(docs) => {
                    for d in docs.iter().filter(|d| !d.is_null()) {
                        if d.get("apiVersion").is_none() || d.get("kind").is_none() {
                            out.push(
                                format!("{path}.manifest"),
                                "argo/resource",
                                "the manifest needs `apiVersion` and `kind`",
                            );
                        }
                    }
                }
            }
        }
        (None, Some(_)) => {}
    }
    for key in ["successCondition", "failureCondition"] {
        if let Some(Value::String(c)) = r.get(key)
            && let Err(why) = selector(&without_tags(c))
        {
            out.push(
                format!("{path}.{key}"),
                "argo/resource",
                format!("`{c}` is not a label-selector condition: {why}"),
            );
        }
    }
}

/// `s` with each `{{...}}` tag replaced by a plain word, as Argo does before parsing a manifest.
fn without_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(open) = rest.find("{{") {
        let Some(close) = rest[open..].find("}}") else { break };
        out.push_str(&rest[..open]);
        out.push_str("placeholder");
        rest = &rest[open + close + 2..];
    }
    out.push_str(rest);
    out
}

/// A Kubernetes label-selector-style condition: `a.b == x, c in (y, z), !d`.
fn selector(s: &str) -> Result<(), String> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 0 => return Err("unbalanced `)`".into()),
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    if depth != 0 {
        return Err("unbalanced `(`".into());
    }
    parts.push(&s[start..]);
    for p in parts.iter().map(|p| p.trim()) {
        let key_ok = |k: &str| !k.is_empty() && !k.contains(char::is_whitespace);
        let ok = if let Some(k) = p.strip_prefix('!') {
            key_ok(k.trim())
        } else if let Some(op) = ["==", "!=", ">", "<", "="].iter().find(|op| p.contains(**op)) {
            let (k, v) = p.split_once(op).unwrap_or_default();
            key_ok(k.trim()) && !v.trim().contains(char::is_whitespace)
        } else if let Some((k, set)) = p.split_once(" in ").or_else(|| p.split_once(" notin ")) {
            key_ok(k.trim()) && set.trim().starts_with('(') && set.trim().ends_with(')')
        } else {
            key_ok(p)
        };
        if !ok {
            return Err(format!("`{p}` is not `key op value`"));
        }
    }
    Ok(())
}

fn pod_spec_patch(path: &str, p: &str, out: &mut Out) {
    if p.contains("{{") {
        return;
    }
    match crate::lint::read::yaml_documents(p).map(|mut d| (d.len(), d.pop())) {
        Ok((1, Some(Value::Object(m)))) => {
            for k in m.keys().filter(|k| !POD_SPEC.contains(&k.as_str())) {
                out.push(path, "argo/pod-spec-patch", format!("`{k}` is not a field of a pod spec"));
            }
        }
        Ok(_) => out.push(path, "argo/pod-spec-patch", "must be one YAML or JSON object (a partial pod spec)"),
        Err(e) => out.push(path, "argo/pod-spec-patch", format!("not valid YAML or JSON: {e}")),
    }
}

/// Whether `w` parses as a govaluate expression, once its `{{...}}` tags are values.
pub(crate) fn expression(w: &str) -> Result<(), String> {
    #[derive(PartialEq, Clone, Copy)]
    enum Tok {
        Operand,
        Binary,
        Unary,
        Open,
        Close,
    }
    let text = without_tags(w);
    let chars: Vec<char> = text.chars().collect();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let two: String = chars[i..chars.len().min(i + 2)].iter().collect();
        if c.is_whitespace() {
            i += 1;
        } else if c == '\'' || c == '"' {
            let Some(end) = chars[i + 1..].iter().position(|&d| d == c) else {
                return Err(format!("unterminated string starting with {c}"));
            };
            toks.push(Tok::Operand);
            i += end + 2;
        } else if c.is_alphanumeric() || matches!(c, '_' | '.' | '$' | '[' | ']') {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || matches!(chars[i], '_' | '.' | '-' | '$' | '[' | ']' | ':'))
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            toks.push(if matches!(word.as_str(), "in" | "IN") { Tok::Binary } else { Tok::Operand });
        } else if ["==", "!=", ">=", "<=", "&&", "||", "=~", "!~", "**", "<<", ">>", "??"].contains(&two.as_str()) {
            toks.push(Tok::Binary);
            i += 2;
        } else if "<>+*/%&|^?:,".contains(c) {
            toks.push(Tok::Binary);
            i += 1;
        } else if c == '-' {
            let unary = matches!(toks.last(), None | Some(Tok::Binary | Tok::Unary | Tok::Open));
            toks.push(if unary { Tok::Unary } else { Tok::Binary });
            i += 1;
        } else if c == '!' || c == '~' {
            toks.push(Tok::Unary);
            i += 1;
        } else if c == '(' {
            toks.push(Tok::Open);
            i += 1;
        } else if c == ')' {
            toks.push(Tok::Close);
            i += 1;
        } else {
            return Err(format!("unknown symbol `{c}`"));
        }
    }
    if toks.is_empty() {
        return Err("it is empty".into());
    }
    let mut depth = 0i32;
    let mut prev: Option<Tok> = None;
    for &t in &toks {
        let after_operand = matches!(prev, Some(Tok::Operand | Tok::Close));
        match t {
            Tok::Operand | Tok::Open | Tok::Unary if after_operand => {
                return Err("two values without an operator between them".into());
            }
            Tok::Binary | Tok::Close if !after_operand => return Err("an operator without a value on its left".into()),
            _ => {}
        }
        depth += match t {
            Tok::Open => 1,
            Tok::Close => -1,
            _ => 0,
        };
        if depth < 0 {
            return Err("unbalanced `)`".into());
        }
        prev = Some(t);
    }
    if depth != 0 {
        return Err("unbalanced `(`".into());
    }
    if !matches!(prev, Some(Tok::Operand | Tok::Close)) {
        return Err("it ends with an operator".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{expression, selector};

    #[test]
    fn conditions() {
        assert!(expression("{{tasks.a.outputs.result}} == heads").is_ok());
        assert!(expression("'{{inputs.parameters.x}}' != 'b' && ({{item}} < 3 || !true)").is_ok());
        assert!(expression("-1 < {{x}}").is_ok());
        assert!(expression("(a == b").is_err());
        assert!(expression("a == == b").is_err());
        assert!(expression("a = b").is_err(), "govaluate has no `=`");
    }

    #[test]
    fn selectors() {
        assert!(selector("status.phase == Succeeded").is_ok());
        assert!(selector("status.a in (x, y), !b").is_ok());
        assert!(selector("status.a is ok").is_err());
    }
}
