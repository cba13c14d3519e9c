//! Per-task settings: resources, scheduling, environment, volumes, extra containers, retries,
//! timeouts, caching, pod metadata. Set with methods on a task handle; each is checked when set
//! (a bad quantity, label key or toleration operator is an error naming the line).

use crate::model::{
    EnvSource, ExtraContainer, Mount, NodeAffinity, Retry, RetryIf, SecurityContext, SettingValue, TaskSettings,
    Toleration, ValueSrc, VolumeSource,
};

pub use crate::checks::{
    check_dns_label, check_duration, check_env_name, check_iso_duration, check_label_key, check_label_value,
    check_object_name, check_quantity,
};
use crate::dag::Task;
use crate::error::SourceLocation;
use crate::handles::Param;
use crate::types::ParamType;

/// A value a setting accepts: a literal (`"4Gi"`, `2`) or a pipeline parameter; resources (cpu,
/// memory, GPUs, scratch space) also take a task output or a loop item.
#[diagnostic::on_unimplemented(
    message = "a task setting cannot be `{Self}`",
    label = "not a setting's value",
    note = "a setting takes a literal (`\"4Gi\"`, `2`), a `Param<T>` (a pipeline parameter or a task's output) or a loop item; an artifact is a file, not a value"
)]
pub trait IntoSetting {
    /// The value, or why it cannot be one.
    #[doc(hidden)]
    fn __setting(self) -> Result<Setting, String>;
}

/// A setting's value before the pipeline resolves parameter names.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub enum Setting {
    /// A literal.
    Literal(String),
    /// A parameter handle.
    Value(ValueSrc),
}

impl IntoSetting for &str {
    fn __setting(self) -> Result<Setting, String> {
        Ok(Setting::Literal(self.to_owned()))
    }
}

impl IntoSetting for String {
    fn __setting(self) -> Result<Setting, String> {
        Ok(Setting::Literal(self))
    }
}

macro_rules! number_setting {
    ($($t:ty),*) => {$(
        impl IntoSetting for $t {
            fn __setting(self) -> Result<Setting, String> {
                Ok(Setting::Literal(self.to_string()))
            }
        }
    )*};
}
number_setting!(u8, u16, u32, u64, usize, i32, i64, f64);

impl<T: ParamType> IntoSetting for Param<T> {
    fn __setting(self) -> Result<Setting, String> {
        Ok(Setting::Value(self.src))
    }
}

impl<T: ParamType> IntoSetting for crate::loops::LoopItem<'_, T> {
    fn __setting(self) -> Result<Setting, String> {
        Ok(Setting::Value(self.src()))
    }
}

fn one_of(what: &str, value: &str, allowed: &[&str]) -> Result<(), String> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(format!(
            "`{value}` is not a valid {what}; expected one of {}",
            allowed.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", ")
        ))
    }
}

impl<O: Copy> Task<'_, O> {
    pub(super) fn set(self, location: SourceLocation, f: impl FnOnce(&mut TaskSettings) -> Result<(), String>) -> Self {
        let problem = self.with_settings(f);
        if let Some(reason) = problem {
            self.push_setting_error(location, reason);
        }
        self
    }

    fn value(self, v: impl IntoSetting) -> Result<SettingValue, String> {
        match v.__setting()? {
            Setting::Literal(s) => Ok(SettingValue::Literal(s)),
            Setting::Value(src) => self.pipeline_param_name(src).map(SettingValue::PipelineParam).ok_or_else(|| {
                "a setting takes a literal or a pipeline parameter (not a task output or loop item)".to_owned()
            }),
        }
    }

    /// A resource's value: also a task output, loop item or other value of the task's dag, which the
    /// task then reads as an input.
    fn resource_value(self, v: impl IntoSetting) -> Result<SettingValue, String> {
        match v.__setting()? {
            Setting::Literal(s) => Ok(SettingValue::Literal(s)),
            Setting::Value(src) => match self.pipeline_param_name(src) {
                Some(name) => Ok(SettingValue::PipelineParam(name)),
                None if src.dag().is_none_or(|d| d == self.dag.id()) => Ok(SettingValue::Value(src)),
                None => Err("the value is of another pipeline or graph component than the task: pass it as an \
                             input of the graph component the task is in"
                    .to_owned()),
            },
        }
    }

    fn resource(self, limit: bool, name: &str, v: impl IntoSetting, location: SourceLocation) -> Self {
        let value = self.resource_value(v);
        self.set(location, |s| {
            let value = value?;
            if let SettingValue::Literal(q) = &value {
                check_quantity(q)?;
            }
            let map = if limit { &mut s.limits } else { &mut s.requests };
            map.insert(name.to_owned(), value);
            Ok(())
        })
    }

    /// Requests this much CPU (`"500m"`, `2`, or a pipeline parameter).
    #[track_caller]
    pub fn cpu_request(self, cpu: impl IntoSetting) -> Self {
        self.resource(false, "cpu", cpu, SourceLocation::caller())
    }

    /// Limits CPU.
    #[track_caller]
    pub fn cpu_limit(self, cpu: impl IntoSetting) -> Self {
        self.resource(true, "cpu", cpu, SourceLocation::caller())
    }

    /// Requests memory (`"4Gi"`).
    #[track_caller]
    pub fn memory_request(self, memory: impl IntoSetting) -> Self {
        self.resource(false, "memory", memory, SourceLocation::caller())
    }

    /// Limits memory (`"16Gi"`, or a pipeline parameter: then the limit is set through
    /// `podSpecPatch` when the step starts).
    #[track_caller]
    pub fn memory_limit(self, memory: impl IntoSetting) -> Self {
        self.resource(true, "memory", memory, SourceLocation::caller())
    }

    /// Requests local scratch space.
    #[track_caller]
    pub fn ephemeral_storage_request(self, size: impl IntoSetting) -> Self {
        self.resource(false, "ephemeral-storage", size, SourceLocation::caller())
    }

    /// Limits local scratch space.
    #[track_caller]
    pub fn ephemeral_storage_limit(self, size: impl IntoSetting) -> Self {
        self.resource(true, "ephemeral-storage", size, SourceLocation::caller())
    }

    /// Limits (and so reserves) `count` NVIDIA GPUs.
    #[track_caller]
    pub fn gpu_limit(self, count: impl IntoSetting) -> Self {
        self.resource(true, "nvidia.com/gpu", count, SourceLocation::caller())
    }

    /// Limits GPUs of a vendor (`"nvidia.com/gpu"`, `"amd.com/gpu"`).
    #[track_caller]
    pub fn gpu_limit_of(self, vendor: &str, count: impl IntoSetting) -> Self {
        self.resource(true, vendor, count, SourceLocation::caller())
    }

    /// Runs only on nodes with this label.
    #[track_caller]
    pub fn node_selector(self, key: &str, value: &str) -> Self {
        let (key, value) = (key.to_owned(), value.to_owned());
        self.set(SourceLocation::caller(), |s| {
            check_label_key(&key)?;
            check_label_value(&value)?;
            s.node_selector.insert(key, value);
            Ok(())
        })
    }

    /// Tolerates a node taint: `operator` is `Exists` or `Equal`; `effect` is `NoSchedule`,
    /// `PreferNoSchedule`, `NoExecute`, or `""` for every effect.
    #[track_caller]
    pub fn toleration(self, key: &str, operator: &str, value: Option<&str>, effect: &str) -> Self {
        let t = Toleration {
            key: key.to_owned(),
            operator: operator.to_owned(),
            value: value.map(str::to_owned),
            effect: effect.to_owned(),
        };
        self.set(SourceLocation::caller(), |s| {
            one_of("toleration operator", &t.operator, &["Exists", "Equal"])?;
            one_of("taint effect", &t.effect, &["NoSchedule", "PreferNoSchedule", "NoExecute", ""])?;
            if t.operator == "Exists" && t.value.is_some() {
                return Err("a toleration with `Exists` takes no value".to_owned());
            }
            s.tolerations.push(t);
            Ok(())
        })
    }

    /// Requires (or, with `required = false`, prefers) nodes whose label `key` relates to `values` by
    /// `operator` (`In`, `NotIn`, `Exists`, `DoesNotExist`, `Gt`, `Lt`).
    #[track_caller]
    pub fn node_affinity(self, required: bool, key: &str, operator: &str, values: &[&str]) -> Self {
        let a = NodeAffinity {
            required,
            key: key.to_owned(),
            operator: operator.to_owned(),
            values: values.iter().map(|v| (*v).to_owned()).collect(),
        };
        self.set(SourceLocation::caller(), |s| {
            one_of("node selector operator", &a.operator, &["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"])?;
            check_label_key(&a.key)?;
            s.affinity.push(a);
            Ok(())
        })
    }

    fn add_env(self, name: &str, source: Result<EnvSource, String>, location: SourceLocation) -> Self {
        let name = name.to_owned();
        self.set(location, |s| {
            let source = source?;
            check_env_name(&name)?;
            s.env.push((name, source));
            Ok(())
        })
    }

    /// Sets an environment variable to a literal or a pipeline parameter.
    #[track_caller]
    pub fn env(self, name: &str, value: impl IntoSetting) -> Self {
        let source = self.value(value).map(EnvSource::Value);
        self.add_env(name, source, SourceLocation::caller())
    }

    /// Sets an environment variable from a key of a secret.
    #[track_caller]
    pub fn env_from_secret(self, name: &str, secret: &str, key: &str) -> Self {
        let source = Ok(EnvSource::SecretKey { name: secret.to_owned(), key: key.to_owned() });
        self.add_env(name, source, SourceLocation::caller())
    }

    /// Sets an environment variable from a key of a config map.
    #[track_caller]
    pub fn env_from_config_map(self, name: &str, config_map: &str, key: &str) -> Self {
        let source = Ok(EnvSource::ConfigMapKey { name: config_map.to_owned(), key: key.to_owned() });
        self.add_env(name, source, SourceLocation::caller())
    }

    /// Sets an environment variable from a field of the pod (`metadata.name`, `status.podIP`).
    #[track_caller]
    pub fn env_from_field(self, name: &str, field_path: &str) -> Self {
        self.add_env(name, Ok(EnvSource::FieldPath(field_path.to_owned())), SourceLocation::caller())
    }

    /// Makes every key of a secret an environment variable.
    #[track_caller]
    pub fn env_from_all_of_secret(self, secret: &str) -> Self {
        let secret = secret.to_owned();
        self.set(SourceLocation::caller(), |s| {
            s.env_from.push((true, secret));
            Ok(())
        })
    }

    /// Makes every key of a config map an environment variable.
    #[track_caller]
    pub fn env_from_all_of_config_map(self, config_map: &str) -> Self {
        let name = config_map.to_owned();
        self.set(SourceLocation::caller(), |s| {
            s.env_from.push((false, name));
            Ok(())
        })
    }

    /// Adds a volume to the pod and mounts it in the main container at `path`: a secret, a config
    /// map, a claim, an emptyDir, a host path, NFS, CSI, a projected or downward API volume, or a
    /// generic ephemeral claim (`VolumeSource::ephemeral("10Gi")`, or any of `Nfs`, `Csi`,
    /// `Projected`, `EphemeralClaim` with `.into()`). `name` is a DNS-1123 label.
    #[track_caller]
    pub fn volume(self, name: &str, source: impl Into<VolumeSource>, path: &str) -> Self {
        let (name, path, source) = (name.to_owned(), path.to_owned(), source.into());
        self.set(SourceLocation::caller(), |s| {
            if !path.starts_with('/') {
                return Err(format!("mount path `{path}` is not absolute"));
            }
            crate::checks::check_dns_label("volume", &name)?;
            source.check().map_err(|e| format!("volume `{name}`: {e}"))?;
            if s.volumes.iter().any(|(n, _)| *n == name) {
                return Err(format!("volume `{name}` is added twice"));
            }
            s.mounts.push(Mount { volume: name.clone(), path, read_only: false });
            s.volumes.push((name, source));
            Ok(())
        })
    }

    fn extra(self, sidecar: bool, c: ExtraContainer, location: SourceLocation) -> Self {
        self.set(location, |s| {
            if c.image.trim().is_empty() {
                return Err(format!("container `{}` has an empty image", c.name));
            }
            if c.name.is_empty()
                || !c.name.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
            {
                return Err(format!("`{}` is not a container name (lower-case letters, digits, `-`)", c.name));
            }
            if sidecar {
                s.sidecars.push(c)
            } else {
                s.init_containers.push(c)
            }
            Ok(())
        })
    }

    /// Runs a sidecar beside the step.
    #[track_caller]
    pub fn sidecar(self, c: ExtraContainer) -> Self {
        self.extra(true, c, SourceLocation::caller())
    }

    /// Runs an init container before the step.
    #[track_caller]
    pub fn init_container(self, c: ExtraContainer) -> Self {
        self.extra(false, c, SourceLocation::caller())
    }

    /// Runs the main container in this image instead of the component's: a literal
    /// (`"ghcr.io/org/train:1.4"`), or a pipeline parameter, task output or loop item, read when the
    /// step starts (Argo: a template input; the IR: kfp's `set_container_image`).
    #[track_caller]
    pub fn image(self, image: impl IntoSetting) -> Self {
        let value = match image.__setting() {
            Ok(Setting::Literal(s)) if s.trim().is_empty() || s.starts_with('-') => {
                Err(format!("`{s}` is not an image reference"))
            }
            Ok(Setting::Literal(s)) => Ok(SettingValue::Literal(s)),
            // Every value, a pipeline parameter too, is an input of the task.
            Ok(Setting::Value(src)) if src.dag().is_none_or(|d| d == self.dag.id()) => Ok(SettingValue::Value(src)),
            Ok(Setting::Value(_)) => Err("the image is a value of another pipeline or graph component than the \
                                          task: pass it as an input of the graph component the task is in"
                .to_owned()),
            Err(e) => Err(e),
        };
        self.set(SourceLocation::caller(), |s| {
            s.image = Some(value?);
            Ok(())
        })
    }

    /// `Always`, `IfNotPresent` or `Never`.
    #[track_caller]
    pub fn image_pull_policy(self, policy: &str) -> Self {
        let policy = policy.to_owned();
        self.set(SourceLocation::caller(), |s| {
            one_of("image pull policy", &policy, &["Always", "IfNotPresent", "Never"])?;
            s.image_pull_policy = Some(policy);
            Ok(())
        })
    }

    /// The main container's security context.
    #[track_caller]
    pub fn security_context(self, context: SecurityContext) -> Self {
        self.set(SourceLocation::caller(), |s| {
            s.security_context = Some(context);
            Ok(())
        })
    }

    /// Retries a failed step up to `limit` times.
    #[track_caller]
    pub fn retry(self, limit: u32) -> Self {
        self.set(SourceLocation::caller(), |s| {
            s.retry = Some(Retry {
                limit,
                policy: None,
                backoff: None,
                factor: None,
                max_backoff: None,
                when: None,
                other_node: false,
            });
            Ok(())
        })
    }

    /// Retries with a policy (`Always`, `OnFailure`, `OnError`, `OnTransientError`) and a backoff
    /// (`"30s"`, doubled by `factor` each time, at most `max`).
    #[track_caller]
    pub fn retry_with(self, limit: u32, policy: &str, backoff: &str, factor: u32, max: &str) -> Self {
        let r = Retry {
            limit,
            policy: Some(policy.to_owned()),
            backoff: Some(backoff.to_owned()),
            factor: Some(factor),
            max_backoff: Some(max.to_owned()),
            when: None,
            other_node: false,
        };
        self.set(SourceLocation::caller(), |s| {
            one_of("retry policy", policy, &["Always", "OnFailure", "OnError", "OnTransientError"])?;
            for d in [backoff, max] {
                check_duration(d)?;
            }
            s.retry = Some(r);
            Ok(())
        })
    }

    /// Retries only the failed attempts `when` holds for (Argo `retryStrategy.expression`), for
    /// example `RetryIf::exit_code_in([137, 143]) | RetryIf::errored()`, or `!RetryIf::exit_code_in([1])`.
    /// Call it after `.retry(n)` or `.retry_with(..)`, which set how often.
    #[track_caller]
    pub fn retry_if(self, when: RetryIf) -> Self {
        self.set(SourceLocation::caller(), |s| {
            when.check()?;
            let retry = s.retry.as_mut().ok_or_else(|| {
                "`.retry_if(..)` needs a retry count: call `.retry(n)` or `.retry_with(..)` before it".to_owned()
            })?;
            retry.when = Some(when);
            Ok(())
        })
    }

    /// Runs each retry on a node other than the failed attempts' (Argo's `nodeAntiAffinity` in the
    /// retry strategy): for failures a bad node causes. Call it after `.retry(n)` or `.retry_with(..)`.
    #[track_caller]
    pub fn retry_on_other_node(self) -> Self {
        self.set(SourceLocation::caller(), |s| {
            let retry = s.retry.as_mut().ok_or_else(|| {
                "`.retry_on_other_node()` needs a retry count: call `.retry(n)` or `.retry_with(..)` before it"
                    .to_owned()
            })?;
            retry.other_node = true;
            Ok(())
        })
    }

    /// Fails the step after `seconds`.
    #[track_caller]
    pub fn timeout(self, seconds: u64) -> Self {
        self.set(SourceLocation::caller(), |s| {
            s.timeout_seconds = Some(seconds);
            Ok(())
        })
    }

    /// Whether Kubeflow's cache may reuse the step's results.
    #[track_caller]
    pub fn caching(self, enabled: bool) -> Self {
        self.set(SourceLocation::caller(), |s| {
            s.caching = Some(enabled);
            Ok(())
        })
    }

    /// How old a reused result may be (ISO 8601: `P7D`, `PT12H`).
    #[track_caller]
    pub fn max_cache_staleness(self, staleness: &str) -> Self {
        let st = staleness.to_owned();
        self.set(SourceLocation::caller(), |s| {
            check_iso_duration(&st)?;
            s.max_cache_staleness = Some(st);
            Ok(())
        })
    }

    /// Adds a pod label.
    #[track_caller]
    pub fn label(self, key: &str, value: &str) -> Self {
        let (key, value) = (key.to_owned(), value.to_owned());
        self.set(SourceLocation::caller(), |s| {
            check_label_key(&key)?;
            check_label_value(&value)?;
            s.labels.insert(key, value);
            Ok(())
        })
    }

    /// Adds a pod annotation (`sidecar.istio.io/inject: "false"` keeps istio out of a step).
    #[track_caller]
    pub fn annotation(self, key: &str, value: &str) -> Self {
        let (key, value) = (key.to_owned(), value.to_owned());
        self.set(SourceLocation::caller(), |s| {
            check_label_key(&key)?;
            s.annotations.insert(key, value);
            Ok(())
        })
    }
}
