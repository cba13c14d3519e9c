//! A lock's name and a cache key are literals: a value of the run (a parameter, a task's output)
//! cannot choose which mutex a step takes or which cached result it reuses.
use kfp::prelude::*;

#[container_component(image = "alpine:3.20")]
fn step(name: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["echo"]).arg(name)
}

#[pipeline(name = "locks")]
fn locks(p: &Dag, name: Param<String>) {
    p.mutex(name);
    step(p, name).semaphore("limits", name);
    step(p, name).cache_key(name);
}

fn main() {}
