//! Tests of `settings`: each setting of the model, built with `kfp_dsl`, against what kfp 2.17 and
//! kfp-kubernetes 2.17 write (`k_pod_settings.yaml`, `platform_coverage.yaml`).

use kfp_dsl::model::{ComponentSpec, ContainerSpec, Pipeline, TaskSettings, VolumeSource};
use kfp_dsl::{Dag, DynOutputs, Task};

use super::*;
use crate::kfp_v2::TaskOutputParameterSpec;

fn echo() -> ComponentSpec {
    ComponentSpec::new("echo", None).body(ContainerSpec::new(["echo"]), Some("alpine:3.20"))
}

/// The settings of the one task `body` makes, and the pipeline's.
fn built(body: impl FnOnce(&Dag, Task<'_, DynOutputs>)) -> (TaskSettings, Pipeline) {
    let p = Pipeline::build("s", None, |p| {
        let t = p.call_component(&echo(), []);
        body(p, t);
    })
    .unwrap();
    let id = p.task_ids().next().unwrap();
    (p.task(id).settings().cloned().unwrap_or_default(), p)
}

fn settings(body: impl FnOnce(Task<'_, DynOutputs>)) -> TaskSettings {
    built(|_, t| body(t)).0
}

#[test]
fn resources_as_k_pod_settings_writes_them() {
    let s = settings(|t| {
        t.cpu_request("2").cpu_limit("4").memory_request("8G").memory_limit("16G").gpu_limit("1");
    });
    let r = container_resources(&s, |p| format!("pipelinechannel--{p}")).unwrap();
    let want = ResourceSpec {
        accelerator: Some(AcceleratorConfig::new("nvidia.com/gpu", 1)),
        cpu_limit: Some(4.0),
        cpu_request: Some(2.0),
        memory_limit: Some(16.0),
        memory_request: Some(8.0),
        resource_cpu_limit: Some("4".into()),
        resource_cpu_request: Some("2".into()),
        resource_memory_limit: Some("16G".into()),
        resource_memory_request: Some("8G".into()),
    };
    assert_eq!(r, want);
    assert!(resource_inputs(&s).is_empty());
    assert_eq!(container_resources(&TaskSettings::default(), |p| p.to_owned()), None);
}

#[test]
fn a_resource_from_a_parameter_is_a_placeholder_without_the_number() {
    let (s, _) = built(|p, t| {
        let memory = p.param::<String>("memory");
        let gpus = p.param::<String>("gpus");
        t.memory_limit(memory).cpu_limit("500m").gpu_limit_of("amd.com/gpu", gpus);
    });
    let r = container_resources(&s, |p| format!("pipelinechannel--{p}")).unwrap();
    assert_eq!(r.resource_memory_limit.as_deref(), Some("{{$.inputs.parameters['pipelinechannel--memory']}}"));
    assert_eq!(r.memory_limit, None);
    assert_eq!((r.resource_cpu_limit.as_deref(), r.cpu_limit), (Some("500m"), Some(0.5)));
    let a = r.accelerator.unwrap();
    assert_eq!(a.resource_count.as_deref(), Some("{{$.inputs.parameters['pipelinechannel--gpus']}}"));
    assert_eq!(
        (a.count, a.resource_type.as_deref(), a.kind.as_deref()),
        (None, Some("amd.com/gpu"), Some("amd.com/gpu"))
    );
    assert_eq!(resource_inputs(&s), [("memory_limit", "memory"), ("accelerator_count", "gpus")]);
}

#[test]
fn quantities_convert_as_kfp_does() {
    assert_eq!(cpu_cores("250m"), Some(0.25));
    assert_eq!(cpu_cores("1.5"), Some(1.5));
    assert_eq!(cpu_cores("2k"), None);
    assert_eq!(memory_gb("16G"), Some(16.0));
    assert_eq!(memory_gb("1Gi"), Some(1.073_741_824));
    assert_eq!(memory_gb("512Mi"), Some(0.536_870_912));
    assert_eq!(memory_gb("1000000"), Some(0.001));
    assert_eq!(memory_gb("1e3"), None);
}

#[test]
fn literal_env_goes_on_the_container_the_rest_on_the_platform() {
    let s = settings(|t| {
        t.env("MODE", "dev")
            .env("MODE", "prod")
            .env_from_secret("API_TOKEN", "trainer-secrets", "token")
            .env_from_secret("USER", "trainer-secrets", "user")
            .env_from_config_map("LOG_LEVEL", "settings", "level")
            .env_from_field("POD_NAME", "metadata.name");
    });
    assert_eq!(container_env(&s), [EnvVar { name: "MODE".into(), value: "prod".into() }]);
    let k = platform_config(&s, &PipelineSettings::default(), |_| None).unwrap();
    assert_eq!(
        k.secret_as_env,
        [SecretAsEnv::new(
            "trainer-secrets",
            vec![SecretKeyToEnv::new("token", "API_TOKEN"), SecretKeyToEnv::new("user", "USER")]
        )]
    );
    assert_eq!(
        k.config_map_as_env,
        [ConfigMapAsEnv::new("settings", vec![ConfigMapKeyToEnv::new("level", "LOG_LEVEL")])]
    );
    assert_eq!(k.field_path_as_env, [FieldPathAsEnv::new("POD_NAME", "metadata.name")]);
}

#[test]
fn retry_fills_kfps_defaults_in_seconds() {
    let s = settings(|t| {
        t.retry_with(3, "OnFailure", "30s", 2, "5m");
    });
    let r = retry_policy(s.retry.as_ref().unwrap());
    assert_eq!(r, RetryPolicy::new(3).backoff(30, 2.0, 300));
    let s = settings(|t| {
        t.retry(2);
    });
    assert_eq!(retry_policy(s.retry.as_ref().unwrap()), RetryPolicy::new(2).backoff(0, 2.0, 3600));
    assert_eq!(duration_seconds("1m30s"), Some(90.0));
    assert_eq!(duration_seconds("1.5s").map(format_seconds).as_deref(), Some("1.5s"));
    assert_eq!(duration_seconds("500ms"), Some(0.5));
    assert_eq!(duration_seconds("45"), Some(45.0));
    assert_eq!(duration_seconds("soon"), None);
}

#[test]
fn caching_is_on_unless_turned_off() {
    assert_eq!(caching(&TaskSettings::default()), CachingOptions::enabled());
    assert_eq!(
        caching(&settings(|t| {
            let _ = t.caching(false);
        })),
        CachingOptions::disabled()
    );
}

#[test]
fn pod_settings_as_k_pod_settings_writes_them() {
    let s = settings(|t| {
        t.node_selector("cloud.google.com/gke-accelerator", "nvidia-tesla-t4")
            .toleration("nvidia.com/gpu", "Exists", None, "NoSchedule")
            .node_affinity(true, "pool", "In", &["gpu"])
            .volume("gcp", VolumeSource::Secret("user-gcp-sa".into()), "/secret/gcp")
            .label("team", "ml")
            .annotation("example.com/cost-center", "42")
            .image_pull_policy("Always")
            .timeout(3600);
    });
    let k = platform_config(&s, &PipelineSettings::default(), |_| None).unwrap();
    let want = KubernetesExecutorConfig {
        active_deadline_seconds: Some(3600),
        image_pull_policy: Some(ImagePullPolicy::Always),
        node_affinity: vec![NodeAffinityTerm::required(vec![SelectorRequirement::new("pool", "In", ["gpu"])])],
        node_selector: Some(NodeSelector::labels([("cloud.google.com/gke-accelerator", "nvidia-tesla-t4")])),
        pod_metadata: Some(PodMetadata::default().annotation("example.com/cost-center", "42").label("team", "ml")),
        secret_as_volume: vec![SecretAsVolume::new("user-gcp-sa", "/secret/gcp")],
        tolerations: vec![Toleration::exists("nvidia.com/gpu", "NoSchedule")],
        ..KubernetesExecutorConfig::default()
    };
    assert_eq!(k, want);
    assert_eq!(platform_config(&TaskSettings::default(), &PipelineSettings::default(), |_| None), None);
}

#[test]
fn affinity_tolerations_and_volumes_as_platform_coverage_writes_them() {
    let s = settings(|t| {
        t.node_affinity(true, "pool", "In", &["gpu"])
            .node_affinity(true, "arch", "In", &["amd64"])
            .node_affinity(false, "zone", "In", &["a"])
            .toleration("spot", "Equal", Some("true"), "NoExecute")
            .volume("settings", VolumeSource::ConfigMap("settings".into()), "/etc/settings")
            .volume("scratch", VolumeSource::EmptyDir(Some("Memory".into())), "/scratch")
            .volume("data", VolumeSource::Pvc("shared-data".into()), "/data")
            .volume("work", VolumeSource::Pvc("{{workflow.name}}-work".into()), "/work");
    });
    let claim = |name: &str| {
        (name == "{{workflow.name}}-work")
            .then(|| PvcReference::TaskOutputParameter(TaskOutputParameterSpec::new("createpvc", "name")))
    };
    let k = platform_config(&s, &PipelineSettings::default(), claim).unwrap();
    assert_eq!(
        k.node_affinity,
        [
            NodeAffinityTerm::required(vec![
                SelectorRequirement::new("pool", "In", ["gpu"]),
                SelectorRequirement::new("arch", "In", ["amd64"])
            ]),
            NodeAffinityTerm::preferred(1, vec![SelectorRequirement::new("zone", "In", ["a"])]),
        ]
    );
    assert_eq!(k.tolerations, [Toleration::equal("spot", "true", "NoExecute")]);
    assert_eq!(k.config_map_as_volume, [ConfigMapAsVolume::new("settings", "/etc/settings")]);
    let mut scratch = EmptyDirMount::new("scratch", "/scratch");
    scratch.medium = Some("Memory".into());
    assert_eq!(k.empty_dir_mounts, [scratch]);
    assert_eq!(
        k.pvc_mount,
        [PvcMount::named("shared-data", "/data"), PvcMount::from_task_output("createpvc", "name", "/work")]
    );
}

#[test]
fn pipeline_defaults_reach_every_task_and_the_task_wins() {
    let (s, p) = built(|p, t| {
        p.default_node_selector("pool", "cpu");
        p.default_node_selector("disk", "ssd");
        p.default_image_pull_policy("IfNotPresent");
        p.image_pull_secrets(["regcred"]);
        p.pod_label("team", "data");
        p.pod_label("env", "prod");
        p.pod_annotation("owner", "x");
        t.node_selector("pool", "gpu").label("team", "ml");
    });
    let k = platform_config(&s, p.settings(), |_| None).unwrap();
    assert_eq!(k.node_selector, Some(NodeSelector::labels([("disk", "ssd"), ("pool", "gpu")])));
    assert_eq!(k.image_pull_policy, Some(ImagePullPolicy::IfNotPresent));
    assert_eq!(k.image_pull_secret, [ImagePullSecret::new("regcred")]);
    assert_eq!(
        k.pod_metadata,
        Some(PodMetadata::default().annotation("owner", "x").label("env", "prod").label("team", "ml"))
    );
    let own = settings(|t| {
        let _ = t.image_pull_policy("Never");
    });
    let k = platform_config(&own, p.settings(), |_| None).unwrap();
    assert_eq!(k.image_pull_policy, Some(ImagePullPolicy::Never));
}

/// The identity fields of a security context as kfp-kubernetes' `securityContext` (the rest is
/// `unsupported`'s), and the run's timeout and TTL as kfp 2.17's `dsl.PipelineConfig` writes them.
#[test]
fn security_context_and_pipeline_config_as_kfp_writes_them() {
    let mut context = kfp_dsl::model::SecurityContext::default();
    (context.run_as_user, context.run_as_non_root, context.privileged) = (Some(1000), Some(true), Some(true));
    let (s, p) = built(|p, t| {
        let _ = t.security_context(context);
        p.ttl_after_finished(300);
        p.workflow_timeout(3600);
    });
    let k = platform_config(&s, p.settings(), |_| None).unwrap();
    let json = serde_json::to_value(k.security_context).unwrap();
    assert_eq!(json, serde_json::json!({"runAsNonRoot": true, "runAsUser": "1000"}));
    let config = pipeline_config(p.settings()).unwrap();
    let json = serde_json::to_value(config).unwrap();
    assert_eq!(json, serde_json::json!({"activeDeadlineSeconds": 3600, "resourceTtlOnCompletion": 300}));
    let (_, p) = built(|p, _| p.ttl_after_finished(1 << 40));
    assert_eq!(pipeline_config(p.settings()), None, "past int32: refused by `unsupported`, never wrapped");
}

/// `k_pod_settings.py`'s two tasks, built with the model, give what kfp wrote for them.
#[test]
fn k_pod_settings_parity_with_the_reference_file() {
    // kfp's file, as the workspace's tests carry it (a copy of ../shared/reference/kfp-v2/).
    let text = include_str!("../../../tests/fixtures/kfp-v2/k_pod_settings.yaml");
    let (spec, platform) = crate::kfp_v2::from_yaml(text).unwrap();
    let p = Pipeline::build("pod-settings", None, |p| {
        let memory = p.param::<String>("memory");
        let _ = p
            .call_component(&echo(), [])
            .retry_with(3, "OnFailure", "30s", 2, "300s")
            .timeout(3600)
            .cpu_request("2")
            .cpu_limit("4")
            .memory_request("8G")
            .memory_limit("16G")
            .gpu_limit("1")
            .node_selector("cloud.google.com/gke-accelerator", "nvidia-tesla-t4")
            .toleration("nvidia.com/gpu", "Exists", None, "NoSchedule")
            .node_affinity(true, "pool", "In", &["gpu"])
            .env("MODE", "prod")
            .env_from_secret("API_TOKEN", "trainer-secrets", "token")
            .volume("gcp", VolumeSource::Secret("user-gcp-sa".into()), "/secret/gcp")
            .label("team", "ml")
            .annotation("example.com/cost-center", "42")
            .image_pull_policy("Always")
            .caching(true);
        let _ = p.call_component(&echo(), []).caching(false).memory_limit(memory);
    })
    .unwrap();
    let mut ids = p.task_ids();
    let (train, serve) = (ids.next().unwrap(), ids.next().unwrap());
    let (train, serve) = (p.task(train).settings().unwrap(), p.task(serve).settings().unwrap());
    let container = |label: &str| match &spec.deployment_spec.executors[label] {
        crate::kfp_v2::Executor::Container(c) => c.clone(),
        other => panic!("{other:?}"),
    };
    let channel = |p: &str| format!("pipelinechannel--{p}");
    assert_eq!(container_resources(train, channel), container("exec-train").resources);
    assert_eq!(container_env(train), container("exec-train").env);
    assert_eq!(container_resources(serve, channel), container("exec-serve").resources);
    assert_eq!(resource_inputs(serve), [("memory_limit", "memory")]);
    let crate::kfp_v2::Implementation::Dag(dag) = &spec.root.implementation else { panic!() };
    assert_eq!(Some(retry_policy(train.retry.as_ref().unwrap())), dag.tasks["train"].retry_policy);
    assert_eq!(Some(caching(train)), dag.tasks["train"].caching_options);
    assert_eq!(Some(caching(serve)), dag.tasks["serve"].caching_options);
    let executors = &platform.unwrap().platforms.kubernetes.deployment_spec.executors;
    assert_eq!(platform_config(train, p.settings(), |_| None).as_ref(), executors.get("exec-train"));
    assert_eq!(platform_config(serve, p.settings(), |_| None).as_ref(), executors.get("exec-serve"));
}
