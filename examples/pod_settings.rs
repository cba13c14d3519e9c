//! Per-task pod settings: the Rust version of kfp v1's `k_pod_settings.py`
//! (`../shared/reference/kfp-v1/`). A sidecar, an init container, retries with backoff, a timeout,
//! CPU / memory / GPU requests and limits, a node selector, a toleration, node affinity, environment
//! variables (literal, from a secret, from a pipeline parameter), a secret volume, pod labels and
//! annotations, a display name, caching options, the image pull policy, and a memory limit taken from
//! a pipeline parameter (through `podSpecPatch`).
//!
//!     cargo run --example pod_settings -- compile

use kfp::prelude::*;
use kfp::{ExtraContainer, VolumeSource};

/// Trains a model and writes where it put it.
#[container_component(image = "registry.example.com/ml/trainer:1.2.3")]
fn train(epochs: Param<u32>, model_uri: OutputParam<String>) -> ContainerSpec {
    ContainerSpec::new(["python3", "-m", "trainer"]).args([
        Arg::from("--epochs"),
        epochs.into(),
        "--model-uri".into(),
        model_uri.into(),
    ])
}

/// Serves a model.
#[container_component(image = "registry.example.com/ml/server:1.0")]
fn serve(model_uri: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["serve", "--model"]).arg(model_uri)
}

#[pipeline(name = "Pod settings")]
fn pod_settings(p: &Dag, #[default(5)] epochs: Param<u32>, #[default("4G")] memory: Param<String>) {
    let trained = train(p, epochs)
        .sidecar(ExtraContainer::new("metrics-agent", "registry.example.com/agent:2").args(["--port", "9100"]))
        .init_container(ExtraContainer::new("warm-cache", "alpine:3.18").command(["sh", "-c", "echo warm"]))
        .retry_with(3, "OnFailure", "30s", 2, "5m")
        // Exit code 2 means bad arguments: retrying cannot help. A retry runs on another node.
        .retry_if(!RetryIf::exit_code_in([2]))
        .retry_on_other_node()
        .timeout(3600)
        .cpu_request("2")
        .cpu_limit("4")
        .memory_request("8G")
        .memory_limit("16G")
        .gpu_limit(1)
        .node_selector("cloud.google.com/gke-accelerator", "nvidia-tesla-t4")
        .toleration("nvidia.com/gpu", "Exists", None, "NoSchedule")
        .node_affinity(true, "pool", "In", &["gpu"])
        .env("MODE", "prod")
        .env_from_secret("API_TOKEN", "trainer-secrets", "token")
        .env("EPOCHS", epochs)
        .volume("gcp-sa", VolumeSource::Secret("user-gcp-sa".into()), "/secret/gcp")
        .label("team", "ml")
        .annotation("example.com/cost-center", "42")
        .display_name("Train the model")
        .image_pull_policy("Always")
        .max_cache_staleness("P7D");
    serve(p, trained.model_uri).caching(false).memory_limit(memory);
}

fn main() {
    kfp::main(pod_settings);
}
