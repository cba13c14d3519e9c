//! Every kind of volume a pod takes, the main container's ports, probes and lifecycle hooks, and a
//! `for_every_task` transformer that captures values: a feature step reads raw data from an NFS
//! export, a node's cache directory (host path) and a secrets-store CSI volume, gets credentials,
//! a service account token for a vault and its own pod labels in one projected directory, and works
//! in a generic ephemeral volume made for its pod; a model server step declares its port, is
//! watched by startup, readiness and liveness probes, and drains before it stops.
//!
//!     cargo run --example pod_volumes -- compile
//!
//! The KFP v2 IR (kfp-kubernetes 2.17) mounts secrets, config maps, PVCs, emptyDirs and generic
//! ephemeral volumes only: `--target kfp-v2` names the NFS, host path, CSI, projected and downward
//! API volumes and the lifecycle hook, even with `--lossy`, as the step would not compute the same
//! without them.

use kfp::prelude::*;
use kfp::{Action, Csi, DownwardApiFile, EphemeralClaim, HostPathType, Nfs, Port, Probe, Projected, VolumeSource};

/// Builds features from the raw data into `features`.
#[container_component(image = "registry.example.com/ml/features:2.0")]
fn build_features(day: Param<String>, features: Output<Dataset>) -> ContainerSpec {
    ContainerSpec::new(["features", "--raw", "/data/raw", "--cache", "/cache", "--scratch", "/scratch", "--day"])
        .arg(day)
        .arg("--out")
        .arg(features)
}

/// Serves the features on port 8080 for a while so that a load test can read them.
#[container_component(image = "registry.example.com/ml/feature-server:2.0")]
fn serve_features(features: Input<Dataset>) -> ContainerSpec {
    ContainerSpec::new(["feature-server", "--port", "8080", "--for", "10m", "--data"]).arg(features)
}

#[pipeline(name = "Pod volumes")]
fn pod_volumes(p: &Dag, #[default("2026-01-01")] day: Param<String>) {
    // A transformer that captures a value: every task gets the team's label and cost annotation.
    let team = String::from("features");
    let cost_center = 42;
    p.for_every_task(move |s| {
        s.labels.insert("team".into(), team.clone());
        s.annotations.insert("example.com/cost-center".into(), cost_center.to_string());
    });

    let built = build_features(p, day)
        .volume("raw", Nfs::new("nfs.example.com", "/exports/raw").read_only(), "/data/raw")
        .volume("cache", VolumeSource::host_path("/var/cache/features", HostPathType::DirectoryOrCreate), "/cache")
        .volume(
            "vault",
            Csi::new("secrets-store.csi.k8s.io")
                .read_only()
                .attribute("secretProviderClass", "feature-store")
                .node_publish_secret("secrets-store-creds"),
            "/mnt/vault",
        )
        .volume(
            "identity",
            Projected::new()
                .secret_items("feature-store-creds", [("token", "store/token")])
                .config_map("feature-store-config")
                .service_account_token("vault/token", Some("vault"), Some(3600))
                .downward_api([DownwardApiFile::pod_field("labels", "metadata.labels")])
                .default_mode(0o440),
            "/var/run/identity",
        )
        .volume(
            "limits",
            VolumeSource::DownwardApi(vec![DownwardApiFile::resource("memory", "limits.memory")]),
            "/etc/limits",
        )
        .volume(
            "scratch",
            EphemeralClaim::new("50Gi")
                .storage_class("fast-ssd")
                .access_mode("ReadWriteOnce")
                .label("purpose", "scratch"),
            "/scratch",
        )
        .memory_limit("8Gi");

    serve_features(p, built.features)
        .port(Port::tcp(8080).named("http"))
        .port(Port::tcp(9090).named("metrics"))
        .startup_probe(Probe::http_get("/healthz", 8080).period(2).failure_threshold(30))
        .readiness_probe(Probe::http_get("/ready", 8080).period(5))
        .liveness_probe(Probe::tcp_socket(8080).initial_delay(10).period(10).timeout(2).failure_threshold(3))
        .pre_stop(Action::http_get("/drain", 8080).header("X-Reason", "shutdown"));
}

fn main() {
    kfp::main(pod_volumes);
}
