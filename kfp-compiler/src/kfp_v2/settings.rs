//! Task settings of the model as the IR writes them: container resources and literal env (the
//! executor), retries and caching (the task), and the kfp-kubernetes `KubernetesExecutorConfig`
//! (the `PlatformSpec`), each as kfp 2.17.3 / kfp-kubernetes 2.17.3 write them.

#![allow(dead_code, reason = "called by the IR lowering (kfp_v2/lower), written beside this")]

use std::collections::BTreeMap;

use kfp_dsl::model::{
    EnvSource, EphemeralClaim, PipelineSettings, Retry, SettingValue, TaskSettings, VolumeSource, setting_input,
};

use super::placeholder::input_parameter;
use super::{
    AcceleratorConfig, CachingOptions, ConfigMapAsEnv, ConfigMapAsVolume, ConfigMapKeyToEnv, EmptyDirMount, EnvVar,
    FieldPathAsEnv, GenericEphemeralVolume, ImagePullPolicy, ImagePullSecret, KubernetesExecutorConfig,
    NodeAffinityTerm, NodeSelector, PipelineConfig, PodMetadata, PvcMount, PvcReference, ResourceSpec, RetryPolicy,
    SecretAsEnv, SecretAsVolume, SecretKeyToEnv, SecurityContext, SelectorRequirement, Toleration,
};

/// Whether a resource name is an accelerator (an extended resource such as `nvidia.com/gpu`,
/// `amd.com/gpu`): the IR's `accelerator` takes one, any vendor.
pub(crate) fn is_accelerator(resource: &str) -> bool {
    resource.contains('/')
}

/// The accelerator limit kfp can write: the first extended resource among the limits.
pub(crate) fn accelerator(s: &TaskSettings) -> Option<(&str, &SettingValue)> {
    s.limits.iter().find(|(k, _)| is_accelerator(k)).map(|(k, v)| (k.as_str(), v))
}

/// The executor's `resources`: cpu and memory requests and limits and the accelerator, or `None`
/// when the task sets none. A literal quantity fills both the string field and the deprecated
/// number (cores; memory in GB of 10^9 bytes), as kfp 2.17 does; a pipeline parameter becomes
/// `{{$.inputs.parameters['<param_input(name)>']}}` (kfp's `pipelinechannel--<name>`) with no
/// number. The task must then carry the inputs [`resource_inputs`] lists. Other resources
/// (`ephemeral-storage`, a second accelerator) have no IR field: [`unsupported`](super::unsupported)
/// reports them.
pub(crate) fn container_resources(s: &TaskSettings, param_input: impl Fn(&str) -> String) -> Option<ResourceSpec> {
    let quantity = |v: &SettingValue, group: &str, key: &str| match v {
        SettingValue::Literal(q) => (q.clone(), true),
        SettingValue::PipelineParam(p) => (input_parameter(&param_input(p)), false),
        SettingValue::Value(_) => (input_parameter(&setting_input(group, key)), false),
    };
    let mut r = ResourceSpec::default();
    let mut any = false;
    for (limit, map) in [(false, &s.requests), (true, &s.limits)] {
        let group = if limit { "limits" } else { "requests" };
        if let Some(v) = map.get("cpu") {
            let (q, literal) = quantity(v, group, "cpu");
            let number = if literal { cpu_cores(&q) } else { None };
            any = true;
            if limit {
                (r.resource_cpu_limit, r.cpu_limit) = (Some(q), number);
            } else {
                (r.resource_cpu_request, r.cpu_request) = (Some(q), number);
            }
        }
        if let Some(v) = map.get("memory") {
            let (q, literal) = quantity(v, group, "memory");
            let number = if literal { memory_gb(&q) } else { None };
            any = true;
            if limit {
                (r.resource_memory_limit, r.memory_limit) = (Some(q), number);
            } else {
                (r.resource_memory_request, r.memory_request) = (Some(q), number);
            }
        }
    }
    if let Some((kind, count)) = accelerator(s) {
        any = true;
        r.accelerator = Some(match count {
            SettingValue::Literal(n) => match n.trim().parse::<i64>() {
                Ok(n) => AcceleratorConfig::new(kind, n),
                Err(_) => accelerator_config(kind, n.clone()),
            },
            SettingValue::PipelineParam(p) => accelerator_config(kind, input_parameter(&param_input(p))),
            SettingValue::Value(_) => accelerator_config(kind, input_parameter(&setting_input("limits", kind))),
        });
    }
    any.then_some(r)
}

/// An accelerator whose count is a placeholder (kfp leaves the deprecated `count` out).
fn accelerator_config(kind: &str, count: String) -> AcceleratorConfig {
    AcceleratorConfig {
        count: None,
        resource_count: Some(count),
        resource_type: Some(kind.to_owned()),
        kind: Some(kind.to_owned()),
    }
}

/// The extra task inputs kfp adds for resources taken from pipeline parameters: `(key, parameter)`
/// with `key` one of `cpu_request`, `cpu_limit`, `memory_request`, `memory_limit`,
/// `accelerator_count`. For each, the task gets `key: {runtimeValue: {constant:
/// "{{$.inputs.parameters['<input>']}}"}}` and `<input>` (`pipelinechannel--<parameter>`) fed from
/// the parameter, as `k_pod_settings.yaml`'s `serve` task has `memory_limit` and
/// `pipelinechannel--memory`.
pub(crate) fn resource_inputs(s: &TaskSettings) -> Vec<(&'static str, &str)> {
    let mut out = Vec::new();
    fn param(v: Option<&SettingValue>) -> Option<&str> {
        match v {
            Some(SettingValue::PipelineParam(p)) => Some(p),
            _ => None,
        }
    }
    for (key, v) in [
        ("cpu_request", s.requests.get("cpu")),
        ("cpu_limit", s.limits.get("cpu")),
        ("memory_request", s.requests.get("memory")),
        ("memory_limit", s.limits.get("memory")),
        ("accelerator_count", accelerator(s).map(|(_, v)| v)),
    ] {
        if let Some(p) = param(v) {
            out.push((key, p));
        }
    }
    out
}

/// As [`resource_inputs`], for resources taken from a task output or loop item: `(key, input)` with
/// `input` the task input the plan feeds from the value ([`setting_input`]), as kfp writes
/// `cpu_limit: "{{$.inputs.parameters['pipelinechannel--size-Output']}}"` beside that channel.
pub(crate) fn value_resource_inputs(s: &TaskSettings) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    for (key, group, resource, v) in [
        ("cpu_request", "requests", "cpu", s.requests.get("cpu")),
        ("cpu_limit", "limits", "cpu", s.limits.get("cpu")),
        ("memory_request", "requests", "memory", s.requests.get("memory")),
        ("memory_limit", "limits", "memory", s.limits.get("memory")),
        ("accelerator_count", "limits", accelerator(s).map_or("", |(k, _)| k), accelerator(s).map(|(_, v)| v)),
    ] {
        if let Some(SettingValue::Value(_)) = v {
            out.push((key, setting_input(group, resource)));
        }
    }
    // kfp writes the image's placeholder as the task's `base_image` too.
    if let Some(SettingValue::Value(_)) = s.image {
        out.push(("base_image", setting_input("image", "image")));
    }
    out
}

/// The executor's image from the task's: a literal as it is, a value as the placeholder of the
/// task input the plan feeds from it (kfp's `set_container_image(task.output)`, which the KFP driver
/// resolves from 2.5).
pub(crate) fn container_image(s: &TaskSettings) -> Option<String> {
    match s.image.as_ref()? {
        SettingValue::Literal(image) => Some(image.clone()),
        SettingValue::Value(_) | SettingValue::PipelineParam(_) => {
            Some(input_parameter(&setting_input("image", "image")))
        }
    }
}

/// CPU cores of a quantity, as kfp's `_cpu_to_float` (`500m` is 0.5); `None` for a form kfp refuses.
pub(crate) fn cpu_cores(q: &str) -> Option<f64> {
    match q.strip_suffix('m') {
        Some(milli) => plain_number(milli).map(|n| n / 1000.0),
        None => plain_number(q),
    }
}

/// Memory in GB (10^9 bytes) of a quantity, as kfp's `_memory_to_float` (`16G` is 16.0, `1Gi` is
/// 1.073741824, a bare number is bytes); `None` for a form Kubernetes refuses.
pub(crate) fn memory_gb(q: &str) -> Option<f64> {
    const SUFFIXES: [(&str, f64); 13] = [
        ("Ei", 1_152_921_504_606_846_976.0),
        ("Pi", 1_125_899_906_842_624.0),
        ("Ti", 1_099_511_627_776.0),
        ("Gi", 1_073_741_824.0),
        ("Mi", 1_048_576.0),
        ("Ki", 1024.0),
        ("E", 1e18),
        ("P", 1e15),
        ("T", 1e12),
        ("G", 1e9),
        ("M", 1e6),
        ("K", 1e3),
        ("k", 1e3),
    ];
    for (suffix, bytes) in SUFFIXES {
        if let Some(n) = q.strip_suffix(suffix) {
            return plain_number(n).map(|n| if suffix == "G" { n } else { n * bytes / 1e9 });
        }
    }
    plain_number(q).map(|n| n / 1e9)
}

/// A non-negative decimal without exponent or sign (`2`, `0.5`, `.5`).
fn plain_number(s: &str) -> Option<f64> {
    let ok = !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || c == '.') && s.matches('.').count() <= 1;
    if ok { s.parse().ok() } else { None }
}

/// Literal environment variables, for `ContainerSpec.env` (kfp keeps them in a dict: a name set
/// twice keeps its first place and its last value). Variables from secrets, config maps and field
/// paths go to [`platform_config`]; from a pipeline parameter, kfp 2.17 has none (reported by
/// [`unsupported`](super::unsupported)).
pub(crate) fn container_env(s: &TaskSettings) -> Vec<EnvVar> {
    let mut out: Vec<EnvVar> = Vec::new();
    for (name, source) in &s.env {
        if let EnvSource::Value(SettingValue::Literal(value)) = source {
            match out.iter_mut().find(|e| e.name == *name) {
                Some(e) => e.value.clone_from(value),
                None => out.push(EnvVar { name: name.clone(), value: value.clone() }),
            }
        }
    }
    out
}

/// The task's `retryPolicy`, with kfp's defaults filled in as its `RetryPolicy.to_proto` does
/// (`backoffDuration: 0s`, `backoffFactor: 2.0`, `backoffMaxDuration: 3600s`) and durations in
/// seconds (`5m` is `300s`). The policy (`OnFailure`, ...) has no IR field; a duration that does
/// not parse falls back to the default (both are reported by [`unsupported`](super::unsupported)).
pub(crate) fn retry_policy(r: &Retry) -> RetryPolicy {
    let seconds = |d: Option<&str>, default: f64| format_seconds(d.and_then(duration_seconds).unwrap_or(default));
    RetryPolicy {
        backoff_duration: Some(seconds(r.backoff.as_deref(), 0.0)),
        backoff_factor: Some(r.factor.map_or(2.0, f64::from)),
        backoff_max_duration: Some(seconds(r.max_backoff.as_deref(), 3600.0)),
        max_retry_count: r.limit,
    }
}

/// A duration as Argo reads a retry backoff: a number of seconds (`30`), or Go's form (`1m30s`,
/// `1.5h`, `500ms`), plus kfp's `d` and `w`. `None` if it does not parse.
pub(crate) fn duration_seconds(d: &str) -> Option<f64> {
    let d = d.trim();
    if let Some(n) = plain_number(d) {
        return Some(n);
    }
    let mut total = 0.0;
    let mut rest = d;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let number = plain_number(&rest[..digits])?;
        rest = &rest[digits..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let unit = match &rest[..unit_len] {
            "ns" => 1e-9,
            "us" | "µs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            "d" => 86_400.0,
            "w" => 604_800.0,
            _ => return None,
        };
        total += number * unit;
        rest = &rest[unit_len..];
    }
    Some(total)
}

/// Seconds as a protobuf `Duration` string (`30s`, `1.5s`).
fn format_seconds(s: f64) -> String {
    if s.fract() == 0.0 { format!("{}s", s as u64) } else { format!("{s}s") }
}

/// The task's `cachingOptions`: `{enableCache: true}` unless `.caching(false)` (then `{}`), with
/// the `.cache_key(..)` as `cacheKey`, as kfp writes them. Staleness has no IR field (reported by
/// [`unsupported`](super::unsupported)).
pub(crate) fn caching(s: &TaskSettings) -> CachingOptions {
    let mut c = if s.caching.unwrap_or(true) { CachingOptions::enabled() } else { CachingOptions::disabled() };
    c.cache_key = s.cache_key.clone();
    c
}

/// A generic ephemeral volume as kfp-kubernetes' `add_ephemeral_volume` writes it: the cluster's
/// default class when none is named, access modes always listed.
fn ephemeral(volume: &str, path: String, claim: &EphemeralClaim) -> GenericEphemeralVolume {
    let mut v = GenericEphemeralVolume::new(volume, path, &claim.size);
    v.access_modes = claim.modes();
    v.default_storage_class = claim.storage_class.is_none();
    v.storage_class_name.clone_from(&claim.storage_class);
    if !claim.labels.is_empty() || !claim.annotations.is_empty() {
        v.metadata = Some(PodMetadata { annotations: claim.annotations.clone(), labels: claim.labels.clone() });
    }
    v
}

/// The executor's kfp-kubernetes settings, or `None` when there are none: secret and config-map
/// keys as env (one entry per secret or config map, keys in the order set), field paths as env,
/// mounted volumes (secret, config map, PVC, emptyDir, generic ephemeral; each mount with its volume, as
/// kfp-kubernetes writes them; a volume nobody mounts is left out), node selector (the pipeline's
/// default, then the task's), tolerations, node affinity (the required terms together in one term,
/// each preferred one alone with weight 1, as the Argo backend writes them), pod labels and
/// annotations (the pipeline's, then the task's), the pull policy (the task's, else the
/// pipeline's), the pipeline's pull secrets, and the task's timeout as `activeDeadlineSeconds`.
///
/// `claim(name)` resolves a PVC the pipeline creates (`VolumeSource::Pvc("{{workflow.name}}-x")`,
/// see [`pvc::created_claims`](super::pvc::created_claims)) to where its name comes from in this
/// task's DAG: CreatePVC's `name` output (`PvcReference::TaskOutputParameter`), or a
/// `pipelinechannel--...` input of the enclosing DAG component. `None`: an existing claim, mounted
/// by its name.
pub(crate) fn platform_config(
    task: &TaskSettings,
    pipeline: &PipelineSettings,
    claim: impl Fn(&str) -> Option<PvcReference>,
) -> Option<KubernetesExecutorConfig> {
    let mut k = KubernetesExecutorConfig::default();
    env(task, &mut k);
    for m in &task.mounts {
        let Some((_, source)) = task.volumes.iter().find(|(n, _)| *n == m.volume) else { continue };
        let path = m.path.clone();
        match source {
            VolumeSource::Secret(name) => k.secret_as_volume.push(SecretAsVolume::new(name, path)),
            VolumeSource::ConfigMap(name) => k.config_map_as_volume.push(ConfigMapAsVolume::new(name, path)),
            VolumeSource::Pvc(name) => match claim(name) {
                Some(reference) => k.pvc_mount.push(pvc_mount(reference, path)),
                // An Argo placeholder the KFP backend would not fill: refused, or left out by `--lossy`.
                None if name.contains("{{") => {}
                None => k.pvc_mount.push(PvcMount::named(name, path)),
            },
            VolumeSource::EmptyDir(medium) => {
                let mut e = EmptyDirMount::new(&m.volume, path);
                e.medium.clone_from(medium);
                k.empty_dir_mounts.push(e);
            }
            VolumeSource::Ephemeral(claim) => k.generic_ephemeral_volume.push(ephemeral(&m.volume, path, claim)),
            // No kfp-kubernetes field: refused, even with `--lossy` (see `unsupported_pod`).
            VolumeSource::HostPath(_)
            | VolumeSource::Nfs(_)
            | VolumeSource::Csi(_)
            | VolumeSource::Projected(_)
            | VolumeSource::DownwardApi(_) => {}
        }
    }
    let mut selector = pipeline.node_selector.clone();
    selector.extend(task.node_selector.iter().map(|(a, b)| (a.clone(), b.clone())));
    if !selector.is_empty() {
        k.node_selector = Some(NodeSelector::labels(selector));
    }
    k.tolerations = task.tolerations.iter().map(toleration).collect();
    let expr = |a: &kfp_dsl::model::NodeAffinity| SelectorRequirement::new(&a.key, &a.operator, a.values.clone());
    let required: Vec<SelectorRequirement> = task.affinity.iter().filter(|a| a.required).map(expr).collect();
    if !required.is_empty() {
        k.node_affinity.push(NodeAffinityTerm::required(required));
    }
    for a in task.affinity.iter().filter(|a| !a.required) {
        k.node_affinity.push(NodeAffinityTerm::preferred(1, vec![expr(a)]));
    }
    let merged = |p: &BTreeMap<String, String>, t: &BTreeMap<String, String>| {
        let mut m = p.clone();
        m.extend(t.iter().map(|(a, b)| (a.clone(), b.clone())));
        m
    };
    let labels = merged(&pipeline.pod_labels, &task.labels);
    let annotations = merged(&pipeline.pod_annotations, &task.annotations);
    if !labels.is_empty() || !annotations.is_empty() {
        k.pod_metadata = Some(PodMetadata { annotations, labels });
    }
    k.image_pull_policy =
        task.image_pull_policy.as_deref().or(pipeline.image_pull_policy.as_deref()).and_then(pull_policy);
    k.image_pull_secret = pipeline.image_pull_secrets.iter().map(|s| ImagePullSecret::new(s)).collect();
    k.active_deadline_seconds = task.timeout_seconds.and_then(|s| i64::try_from(s).ok());
    if let Some(c) = &task.security_context {
        let identity = SecurityContext {
            run_as_group: c.run_as_group,
            run_as_non_root: c.run_as_non_root,
            run_as_user: c.run_as_user,
        };
        // The other fields have no place in kfp-kubernetes 2.17.3 (refused, or left out by `--lossy`).
        k.security_context = (identity != SecurityContext::default()).then_some(identity);
    }
    (k != KubernetesExecutorConfig::default()).then_some(k)
}

/// The run-wide settings the IR carries (`pipelineConfig`, as kfp 2.17's `dsl.PipelineConfig` writes
/// them): the workflow timeout and the time its resources stay after it ends. A value past int32's
/// range has no IR form (it is refused with the other constructs, or left out by `--lossy`).
pub(crate) fn pipeline_config(p: &PipelineSettings) -> Option<PipelineConfig> {
    let int32 = |v: Option<u64>| v.and_then(|v| i32::try_from(v).ok());
    let config = PipelineConfig {
        active_deadline_seconds: int32(p.timeout_seconds),
        resource_ttl_on_completion: int32(p.ttl_seconds_after_finished),
    };
    (config != PipelineConfig::default()).then_some(config)
}

/// Secret and config-map keys and field paths as env: one entry per secret or config map.
fn env(task: &TaskSettings, k: &mut KubernetesExecutorConfig) {
    for (var, source) in &task.env {
        match source {
            EnvSource::SecretKey { name, key } => {
                let entry = SecretKeyToEnv::new(key, var);
                match k.secret_as_env.iter_mut().find(|e| e.secret_name.as_deref() == Some(name)) {
                    Some(e) => e.key_to_env.push(entry),
                    None => k.secret_as_env.push(SecretAsEnv::new(name, vec![entry])),
                }
            }
            EnvSource::ConfigMapKey { name, key } => {
                let entry = ConfigMapKeyToEnv::new(key, var);
                match k.config_map_as_env.iter_mut().find(|e| e.config_map_name.as_deref() == Some(name)) {
                    Some(e) => e.key_to_env.push(entry),
                    None => k.config_map_as_env.push(ConfigMapAsEnv::new(name, vec![entry])),
                }
            }
            EnvSource::FieldPath(path) => k.field_path_as_env.push(FieldPathAsEnv::new(var, path)),
            EnvSource::Value(_) => {}
        }
    }
}

/// A `pvcMount` of the claim `reference` names, with the deprecated reference beside
/// `pvcNameParameter` as kfp-kubernetes 2.17 writes it.
pub(crate) fn pvc_mount(reference: PvcReference, mount_path: String) -> PvcMount {
    match reference {
        PvcReference::TaskOutputParameter(t) => {
            PvcMount::from_task_output(&t.producer_task, &t.output_parameter_key, mount_path)
        }
        PvcReference::ComponentInputParameter(input) => PvcMount::from_component_input(&input, mount_path),
        PvcReference::Constant(name) => PvcMount::named(&name, mount_path),
    }
}

/// A toleration as kfp-kubernetes' `add_toleration` writes it (empty fields left out).
fn toleration(t: &kfp_dsl::model::Toleration) -> Toleration {
    let some = |s: &str| (!s.is_empty()).then(|| s.to_owned());
    Toleration {
        effect: some(&t.effect),
        key: some(&t.key),
        operator: some(&t.operator),
        value: t.value.as_deref().and_then(some),
        ..Toleration::default()
    }
}

/// The IR's pull policy; `None` for another word (the model checks it when it is set).
fn pull_policy(p: &str) -> Option<ImagePullPolicy> {
    match p {
        "Always" => Some(ImagePullPolicy::Always),
        "IfNotPresent" => Some(ImagePullPolicy::IfNotPresent),
        "Never" => Some(ImagePullPolicy::Never),
        _ => None,
    }
}

#[cfg(test)]
#[path = "settings_tests.rs"]
mod tests;
