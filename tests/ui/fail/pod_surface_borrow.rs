//! A `for_every_task` transformer runs when the pipeline is built, after the pipeline function
//! returned: it may capture values, but must own them (`move`).
use kfp::prelude::*;
use kfp::{Port, Probe};

#[container_component(image = "alpine:3.20")]
fn step() -> ContainerSpec {
    ContainerSpec::new(["true"])
}

#[pipeline(name = "pod surface")]
fn pod_surface(p: &Dag) {
    let team = String::from("ml");
    p.for_every_task(|s| {
        s.labels.insert("team".into(), team.clone());
    });
    step(p).port(Port::tcp(8080)).readiness_probe(Probe::tcp_socket(8080));
}

fn main() {}
