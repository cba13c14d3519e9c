//! The Kubeflow Pipelines v1 backend's rules for an Argo workflow it runs.
//!
//! * `kubeflow/parameter-size`: the API server refuses a run whose parameters, as the JSON list
//!   `[{"name":..,"value":..}]` it stores, are longer than 10000 bytes (`MAX_PARAMETER_BYTES`,
//!   `backend/src/common/util/consts.go`).
//! * `kubeflow/cache-staleness`: the cache server reads `pipelines.kubeflow.org/max_cache_staleness`
//!   as an ISO-8601 duration (`P30D`, `PT1H`; github.com/peterhellberg/duration) and silently
//!   ignores anything else; `kubeflow/cache-label`: the caching labels are `"true"` or `"false"`.
//! * `kubeflow/metrics-artifact`: the UI shows `mlpipeline-metrics` and `mlpipeline-ui-metadata`
//!   only as output artifacts of exactly those names, with a `path`, as kfp v1 emits them.

use serde_json::Value;

use super::Problem;
use super::argo::Out;

/// The API server's default limit on a run's parameters, in bytes.
pub const MAX_PARAMETER_BYTES: usize = 10_000;
const STALENESS: &str = "pipelines.kubeflow.org/max_cache_staleness";
const CACHE_LABELS: &[&str] = &["pipelines.kubeflow.org/enable_caching", "pipelines.kubeflow.org/cache_enabled"];
const UI_ARTIFACTS: &[&str] = &["mlpipeline-metrics", "mlpipeline-ui-metadata"];

/// Every problem the Kubeflow Pipelines v1 backend would have with `doc`, an Argo object.
pub fn lint(doc: &Value) -> Vec<Problem> {
    let mut out = Out::default();
    let (spec, at) = match doc.get("kind").and_then(Value::as_str) {
        Some("CronWorkflow") => (doc.pointer("/spec/workflowSpec"), "spec.workflowSpec"),
        _ => (doc.get("spec"), "spec"),
    };
    let spec = spec.unwrap_or(&Value::Null);
    parameter_size(at, spec, &mut out);
    metadata("metadata", doc.get("metadata"), &mut out);
    for (i, t) in spec.get("templates").and_then(Value::as_array).into_iter().flatten().enumerate() {
        let path = format!("{at}.templates[{i}]");
        metadata(&format!("{path}.metadata"), t.get("metadata"), &mut out);
        ui_artifacts(&path, t, &mut out);
    }
    out.into_problems()
}

fn parameter_size(at: &str, spec: &Value, out: &mut Out) {
    let Some(Value::Array(params)) = spec.pointer("/arguments/parameters") else { return };
    let stored: Vec<Value> = params
        .iter()
        .map(|p| serde_json::json!({"name": p.get("name"), "value": p.get("value").or_else(|| p.get("default"))}))
        .collect();
    let len = serde_json::to_string(&stored).map_or(0, |s| s.len());
    if len > MAX_PARAMETER_BYTES {
        out.push(
            format!("{at}.arguments.parameters"),
            "kubeflow/parameter-size",
            format!("the parameters are {len} bytes as Kubeflow Pipelines stores them; its API server refuses more than {MAX_PARAMETER_BYTES}: pass large values as artifacts"),
        );
    }
}

fn metadata(path: &str, meta: Option<&Value>, out: &mut Out) {
    let Some(meta) = meta else { return };
    for field in ["annotations", "labels"] {
        let Some(Value::Object(map)) = meta.get(field) else { continue };
        if let Some(v) = map.get(STALENESS) {
            let text = v.as_str().unwrap_or_default();
            if !iso_duration(text) {
                out.push(
                    format!("{path}.{field}.{STALENESS}"),
                    "kubeflow/cache-staleness",
                    format!("{v} is not an ISO-8601 duration such as `P30D` or `PT12H`; the cache server ignores it"),
                );
            }
        }
        for key in CACHE_LABELS {
            if let Some(v) = map.get(*key)
                && !matches!(v.as_str(), Some("true" | "false"))
            {
                out.push(
                    format!("{path}.{field}.{key}"),
                    "kubeflow/cache-label",
                    format!("{v} must be the string \"true\" or \"false\""),
                );
            }
        }
    }
}

/// Whether the cache server reads `s` as a duration: `P[nY][nM][nW][nD][T[nH][nM][nS]]`, whole numbers.
pub(crate) fn iso_duration(s: &str) -> bool {
    let Some(rest) = s.strip_prefix('P') else { return false };
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (rest, None),
    };
    units(date, "YMWD") && time.is_none_or(|t| units(t, "HMS"))
}

/// Whether `s` is a sequence of `<digits><unit>` with units in the order of `order`, each at most once.
fn units(s: &str, order: &str) -> bool {
    let mut allowed = order;
    let mut digits = 0;
    for c in s.chars() {
        if c.is_ascii_digit() {
            digits += 1;
            continue;
        }
        let Some(at) = allowed.find(c) else { return false };
        if digits == 0 {
            return false;
        }
        allowed = &allowed[at + 1..];
        digits = 0;
    }
    digits == 0
}

fn ui_artifacts(path: &str, t: &Value, out: &mut Out) {
    let outputs = t.get("outputs").unwrap_or(&Value::Null);
    let leaf = t.get("container").is_some() || t.get("script").is_some();
    for (i, p) in outputs.get("parameters").and_then(Value::as_array).into_iter().flatten().enumerate() {
        if let Some(name) = p.get("name").and_then(Value::as_str).filter(|n| UI_ARTIFACTS.contains(n)) {
            out.push(
                format!("{path}.outputs.parameters[{i}]"),
                "kubeflow/metrics-artifact",
                format!("the Kubeflow Pipelines UI reads `{name}` only as an output artifact, not a parameter"),
            );
        }
    }
    for (i, a) in outputs.get("artifacts").and_then(Value::as_array).into_iter().flatten().enumerate() {
        let Some(name) = a.get("name").and_then(Value::as_str) else { continue };
        let at = format!("{path}.outputs.artifacts[{i}]");
        if let Some(ui) = UI_ARTIFACTS.iter().find(|ui| name != **ui && name.ends_with(&format!("-{ui}"))) {
            out.push(
                &at,
                "kubeflow/metrics-artifact",
                format!("the Kubeflow Pipelines UI reads only an artifact named exactly `{ui}`, not `{name}`"),
            );
        } else if UI_ARTIFACTS.contains(&name) && leaf && a.get("path").is_none() {
            out.push(
                &at,
                "kubeflow/metrics-artifact",
                format!("`{name}` needs the `path` of the JSON file the step writes"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::iso_duration;

    #[test]
    fn durations_as_the_cache_server_reads_them() {
        for ok in ["P0D", "P30D", "PT1H", "P1DT12H30M5S", "P2W", "P1Y2M"] {
            assert!(iso_duration(ok), "{ok}");
        }
        for bad in ["30d", "P1H", "PT1D", "1 day", "", "P1.5D", "PT5S1M", "P-1D"] {
            assert!(!iso_duration(bad), "{bad}");
        }
    }
}
