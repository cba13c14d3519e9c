//! Ports, probes and volume sources are typed: a bare number is not a port, a URL string is not a
//! probe, a string is not a volume source.
use kfp::prelude::*;
use kfp::VolumeSource;

#[container_component(image = "alpine:3.20")]
fn step() -> ContainerSpec {
    ContainerSpec::new(["true"])
}

#[pipeline(name = "pod surface")]
fn pod_surface(p: &Dag) {
    step(p).port(8080);
    step(p).liveness_probe("http://localhost:8080/healthz");
    step(p).volume("data", "nfs.example.com:/exports", "/data");
    let _ = VolumeSource::ephemeral("1Gi");
}

fn main() {}
