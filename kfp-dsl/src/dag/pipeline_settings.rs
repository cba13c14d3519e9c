//! Pipeline-wide settings: what Argo's workflow spec carries for the whole run.

use crate::model::{DnsConfig, PipelineSettings, TaskSettings};

use crate::checks::{check_label_key, check_label_value, check_object_name};
use crate::dag::Dag;
use crate::error::{BuildError, SourceLocation};

impl Dag {
    pub(super) fn pipeline_setting(
        &self,
        location: SourceLocation,
        f: impl FnOnce(&mut PipelineSettings) -> Result<(), String>,
    ) {
        if let Err(reason) = self.with_pipeline_settings(f) {
            self.push_error(BuildError::InvalidSetting { location, reason });
        }
    }

    /// Pulls images with these secrets (`imagePullSecrets`).
    #[track_caller]
    pub fn image_pull_secrets<S: Into<String>>(&self, secrets: impl IntoIterator<Item = S>) {
        let secrets: Vec<String> = secrets.into_iter().map(Into::into).collect();
        self.pipeline_setting(SourceLocation::caller(), |s| {
            s.image_pull_secrets.extend(secrets);
            Ok(())
        });
    }

    /// Deletes the workflow `seconds` after it finishes (`ttlStrategy`).
    #[track_caller]
    pub fn ttl_after_finished(&self, seconds: u64) {
        self.pipeline_setting(SourceLocation::caller(), |s| {
            s.ttl_seconds_after_finished = Some(seconds);
            Ok(())
        });
    }

    /// Runs at most `n` pods at once (`parallelism`).
    #[track_caller]
    pub fn max_parallelism(&self, n: u32) {
        self.pipeline_setting(SourceLocation::caller(), |s| {
            if n == 0 {
                return Err("`max_parallelism` must be at least 1".to_owned());
            }
            s.parallelism = Some(n);
            Ok(())
        });
    }

    /// Deletes pods by `strategy` (`OnPodCompletion`, `OnPodSuccess`, `OnWorkflowCompletion`,
    /// `OnWorkflowSuccess`).
    #[track_caller]
    pub fn pod_gc(&self, strategy: &str) {
        let strategy = strategy.to_owned();
        self.pipeline_setting(SourceLocation::caller(), |s| {
            let allowed = ["OnPodCompletion", "OnPodSuccess", "OnWorkflowCompletion", "OnWorkflowSuccess"];
            if !allowed.contains(&strategy.as_str()) {
                return Err(format!("`{strategy}` is not a pod GC strategy; expected one of {}", allowed.join(", ")));
            }
            s.pod_gc = Some(strategy);
            Ok(())
        });
    }

    /// The largest Kubernetes object `compile` may write for this pipeline, in bytes (default 1 MiB):
    /// above it, compiling fails with the size guard's message unless the pipeline is split
    /// (`compile --split`). Raise it only for a cluster whose etcd takes bigger objects
    /// (`--max-request-bytes`); `compile --max-size` overrides it.
    #[track_caller]
    pub fn max_object_size(&self, bytes: usize) {
        self.pipeline_setting(SourceLocation::caller(), |s| {
            if bytes < 16 * 1024 {
                return Err(format!(
                    "`max_object_size({bytes})` is below 16 KiB, smaller than a workflow's fixed parts: give at least 16384"
                ));
            }
            s.max_object_bytes = Some(bytes);
            Ok(())
        });
    }

    /// Fails the whole workflow after `seconds` (`activeDeadlineSeconds`).
    #[track_caller]
    pub fn workflow_timeout(&self, seconds: u64) {
        self.pipeline_setting(SourceLocation::caller(), |s| {
            s.timeout_seconds = Some(seconds);
            Ok(())
        });
    }

    /// Runs pods as this service account (instead of `pipeline-runner`).
    #[track_caller]
    pub fn service_account(&self, name: &str) {
        let name = name.to_owned();
        self.pipeline_setting(SourceLocation::caller(), |s| {
            check_object_name("service account", &name)?;
            s.service_account = Some(name);
            Ok(())
        });
    }

    /// Runs every pod on nodes with this label.
    #[track_caller]
    pub fn default_node_selector(&self, key: &str, value: &str) {
        let (key, value) = (key.to_owned(), value.to_owned());
        self.pipeline_setting(SourceLocation::caller(), |s| {
            check_label_key(&key)?;
            check_label_value(&value)?;
            s.node_selector.insert(key, value);
            Ok(())
        });
    }

    /// The image pull policy of every container that sets none (`Always`, `IfNotPresent`, `Never`).
    #[track_caller]
    pub fn default_image_pull_policy(&self, policy: &str) {
        let policy = policy.to_owned();
        self.pipeline_setting(SourceLocation::caller(), |s| {
            if !matches!(policy.as_str(), "Always" | "IfNotPresent" | "Never") {
                return Err(format!(
                    "`{policy}` is not an image pull policy; expected `Always`, `IfNotPresent` or `Never`"
                ));
            }
            s.image_pull_policy = Some(policy);
            Ok(())
        });
    }

    /// Keeps at least `min_available` (a number or a percentage) of the workflow's pods up during
    /// voluntary disruptions (`podDisruptionBudget`).
    #[track_caller]
    pub fn pod_disruption_budget(&self, min_available: &str) {
        let m = min_available.to_owned();
        self.pipeline_setting(SourceLocation::caller(), |s| {
            let ok = m.parse::<u32>().is_ok()
                || m.strip_suffix('%').is_some_and(|p| p.parse::<u8>().is_ok_and(|p| p <= 100));
            if !ok {
                return Err(format!("`{m}` is not a count or a percentage"));
            }
            s.pod_disruption_budget_min_available = Some(m);
            Ok(())
        });
    }

    /// DNS settings of every pod: nameservers, search domains, options (`("ndots", Some("2"))`).
    #[track_caller]
    pub fn dns_config(&self, nameservers: &[&str], searches: &[&str], options: &[(&str, Option<&str>)]) {
        let dns = DnsConfig {
            nameservers: nameservers.iter().map(|s| (*s).to_owned()).collect(),
            searches: searches.iter().map(|s| (*s).to_owned()).collect(),
            options: options.iter().map(|(k, v)| ((*k).to_owned(), v.map(str::to_owned))).collect(),
        };
        self.pipeline_setting(SourceLocation::caller(), |s| {
            s.dns = Some(dns);
            Ok(())
        });
    }

    /// Stores artifacts in the repository described by `key` of config map `config_map`.
    #[track_caller]
    pub fn artifact_repository(&self, config_map: &str, key: &str) {
        let r = (config_map.to_owned(), key.to_owned());
        self.pipeline_setting(SourceLocation::caller(), |s| {
            s.artifact_repository = Some(r);
            Ok(())
        });
    }

    /// Adds a label to every pod.
    #[track_caller]
    pub fn pod_label(&self, key: &str, value: &str) {
        let (key, value) = (key.to_owned(), value.to_owned());
        self.pipeline_setting(SourceLocation::caller(), |s| {
            check_label_key(&key)?;
            check_label_value(&value)?;
            s.pod_labels.insert(key, value);
            Ok(())
        });
    }

    /// Adds an annotation to every pod.
    #[track_caller]
    pub fn pod_annotation(&self, key: &str, value: &str) {
        let (key, value) = (key.to_owned(), value.to_owned());
        self.pipeline_setting(SourceLocation::caller(), |s| {
            check_label_key(&key)?;
            s.pod_annotations.insert(key, value);
            Ok(())
        });
    }

    /// Changes the settings of every task of the pipeline, when it is built (kfp's op transformers):
    /// `p.for_every_task(|s| { s.annotations.insert("sidecar.istio.io/inject".into(), "false".into()); })`.
    /// The closure may hold values of its own (`move |s| { s.labels.insert("team".into(), team.clone()); }`);
    /// transformers run in the order given, after every task is added.
    pub fn for_every_task(&self, f: impl Fn(&mut TaskSettings) + 'static) {
        self.add_transformer(Box::new(f));
    }
}
