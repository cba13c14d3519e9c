//! Ports, probes, hooks and volume sources are typed: a bare number is not a port, a URL string is
//! not a probe, a string is not a volume source, a port number fits in a `u16`, and a transformer
//! that borrows a local value cannot outlive it (move the value in).
use kfp::prelude::*;
use kfp::{Probe, VolumeSource};

#[container_component(image = "alpine:3.20")]
fn step() -> ContainerSpec {
    ContainerSpec::new(["true"])
}

#[pipeline(name = "pod surface")]
fn pod_surface(p: &Dag) {
    step(p).port(8080);
    step(p).liveness_probe("http://localhost:8080/healthz");
    step(p).volume("data", "nfs.example.com:/exports", "/data");
    step(p).readiness_probe(Probe::tcp_socket(70000));
    let team = String::from("ml");
    p.for_every_task(|s| {
        s.labels.insert("team".into(), team.clone());
    });
    let _ = VolumeSource::ephemeral("1Gi");
}

fn main() {}
