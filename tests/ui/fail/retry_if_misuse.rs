//! A retry condition is a typed `RetryIf`, never an expression string (no text reaches Argo's
//! expression), and exit codes are integers.
use kfp::prelude::*;

#[container_component(image = "alpine:3.20")]
fn step() -> ContainerSpec {
    ContainerSpec::new(["true"])
}

#[pipeline(name = "retry if")]
fn retry_if(p: &Dag) {
    step(p).retry(2).retry_if("asInt(lastRetry.exitCode) != 1");
    step(p).retry(2).retry_if(RetryIf::exit_code_in(["1"]));
}

fn main() {}
