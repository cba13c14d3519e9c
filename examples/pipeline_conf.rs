//! Pipeline-wide settings: image pull secrets, TTL after finish, parallelism, pod GC, a workflow
//! timeout, the service account, a default node selector and image pull policy, a pod disruption
//! budget, DNS config, an artifact repository, pod metadata, caching off for every task, and a
//! transformer applied to every task (here: keep istio's sidecar out, as some Kubeflow steps need).
//!
//!     cargo run --example pipeline_conf -- compile

use kfp::prelude::*;

/// Says something.
#[container_component(image = "registry.example.com/tools:1")]
fn say(msg: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["echo"]).arg(msg)
}

#[pipeline(name = "Pipeline conf")]
fn pipeline_conf(p: &Dag) {
    p.image_pull_secrets(["regcred"]);
    p.ttl_after_finished(86_400);
    p.max_parallelism(4);
    p.pod_gc("OnPodSuccess");
    p.workflow_timeout(7_200);
    p.service_account("ml-pipelines");
    p.default_node_selector("pool", "cpu");
    p.default_image_pull_policy("IfNotPresent");
    p.pod_disruption_budget("1");
    p.dns_config(&["10.0.0.10"], &["ns1.svc.cluster.local"], &[("ndots", Some("2"))]);
    p.artifact_repository("artifact-repositories", "minio");
    p.pod_label("team", "ml");
    p.pod_annotation("example.com/owner", "ml-platform");
    p.disable_caching();
    p.for_every_task(|s| {
        s.annotations.insert("sidecar.istio.io/inject".into(), "false".into());
    });

    let first = say(p, "hello");
    say(p, "world").after(&first).image_pull_policy("Always");
}

fn main() {
    kfp::main(pipeline_conf);
}
