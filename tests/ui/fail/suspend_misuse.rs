//! A pause takes a `Duration` (no bare number whose unit a reader must guess), an approval a name;
//! neither has outputs to wire.
use kfp::prelude::*;

#[container_component(image = "alpine:3.20")]
fn deploy(version: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["deploy"]).arg(version)
}

#[pipeline(name = "suspends")]
fn suspends(p: &Dag) {
    p.pause(60);
    let ok = p.approval("deploy-ok");
    deploy(p, ok.approved);
}

fn main() {}
