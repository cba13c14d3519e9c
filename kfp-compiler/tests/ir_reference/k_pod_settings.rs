//! `k_pod_settings`: retry with backoff, cpu/memory/GPU resources (with the deprecated numeric
//! fields kfp 2.17 writes beside the quantities), a memory limit from a pipeline parameter (an
//! extra `pipelinechannel--memory` task input feeding the executor's placeholder), caching off, a
//! display name, a literal env var; and the `PlatformSpec` (secret as env and as volume, node
//! selector, toleration, node affinity, pod metadata, pull policy, timeout).

use kfp_compiler::kfp_v2::placeholder::{input_parameter, output_parameter_file};
use kfp_compiler::kfp_v2::{
    AcceleratorConfig, CachingOptions, ComponentSpec, ContainerSpec, DagSpec, ImagePullPolicy,
    KubernetesExecutorConfig, NodeAffinityTerm, NodeSelector, ParameterType, PipelineInfo, PipelineSpec,
    PipelineTaskSpec, PlatformSpec, PodMetadata, ResourceSpec, RetryPolicy, SecretAsEnv, SecretAsVolume,
    SecretKeyToEnv, SelectorRequirement, TaskInputParameter, Toleration,
};
use serde_json::json;

use super::a_linear::{out, p, task};
use ParameterType::{NumberInteger, Text as Str};

pub(crate) fn spec() -> (PipelineSpec, PlatformSpec) {
    let memory = input_parameter("pipelinechannel--memory");
    let root = ComponentSpec::dag(
        DagSpec::default()
            .task(
                "serve",
                PipelineTaskSpec::new("comp-serve", "serve")
                    .caching(CachingOptions::disabled())
                    .after("train")
                    .parameter("memory_limit", TaskInputParameter::constant(memory.clone()))
                    .parameter("model_uri", TaskInputParameter::task_output("train", "model_uri"))
                    .parameter("pipelinechannel--memory", TaskInputParameter::component_input("memory")),
            )
            .task(
                "train",
                task("comp-train", "Train the model")
                    .parameter("epochs", TaskInputParameter::component_input("epochs"))
                    .retry(RetryPolicy::new(3).backoff(30, 2.0, 300)),
            ),
    )
    .input_parameter("epochs", p(NumberInteger).default_value(json!(5.0)))
    .input_parameter("memory", p(Str).default_value(json!("4G")));

    let mut serve_resources = ResourceSpec::default();
    serve_resources.resource_memory_limit = Some(memory);
    let mut train_resources = ResourceSpec::default();
    train_resources.accelerator = Some(AcceleratorConfig::new("nvidia.com/gpu", 1));
    train_resources.cpu_limit = Some(4.0);
    train_resources.cpu_request = Some(2.0);
    train_resources.memory_limit = Some(16.0);
    train_resources.memory_request = Some(8.0);
    train_resources.resource_cpu_limit = Some("4".into());
    train_resources.resource_cpu_request = Some("2".into());
    train_resources.resource_memory_limit = Some("16G".into());
    train_resources.resource_memory_request = Some("8G".into());

    let spec = PipelineSpec::new(PipelineInfo::new("pod-settings"), root)
        .component("comp-serve", ComponentSpec::executor("exec-serve").input_parameter("model_uri", p(Str)))
        .component(
            "comp-train",
            ComponentSpec::executor("exec-train")
                .input_parameter("epochs", p(NumberInteger))
                .output_parameter("model_uri", out(Str)),
        )
        .executor(
            "exec-serve",
            ContainerSpec::new("registry.example.com/ml/server:1.0")
                .command(["serve".to_owned(), "--model".to_owned(), input_parameter("model_uri")])
                .resources(serve_resources)
                .into(),
        )
        .executor(
            "exec-train",
            ContainerSpec::new("registry.example.com/ml/trainer:1.2.3")
                .command(["python3", "-m", "trainer"])
                .args([
                    "--epochs".to_owned(),
                    input_parameter("epochs"),
                    "--model-uri-out".to_owned(),
                    output_parameter_file("model_uri"),
                ])
                .env("MODE", "prod")
                .resources(train_resources)
                .into(),
        );

    let mut train = KubernetesExecutorConfig::default();
    train.active_deadline_seconds = Some(3600);
    train.image_pull_policy = Some(ImagePullPolicy::Always);
    train.node_affinity = vec![NodeAffinityTerm::required(vec![SelectorRequirement::new("pool", "In", ["gpu"])])];
    train.node_selector = Some(NodeSelector::labels([("cloud.google.com/gke-accelerator", "nvidia-tesla-t4")]));
    train.pod_metadata = Some(PodMetadata::default().annotation("example.com/cost-center", "42").label("team", "ml"));
    train.secret_as_env = vec![SecretAsEnv::new("trainer-secrets", vec![SecretKeyToEnv::new("token", "API_TOKEN")])];
    train.secret_as_volume = vec![SecretAsVolume::new("user-gcp-sa", "/secret/gcp")];
    train.tolerations = vec![Toleration::exists("nvidia.com/gpu", "NoSchedule")];
    (spec, PlatformSpec::default().executor("exec-train", train))
}
