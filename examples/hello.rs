//! The smallest pipeline: one container component, one parameter.
//!
//!     cargo run --example hello -- compile

use kfp::prelude::*;

/// Prints a greeting.
#[container_component(image = "alpine:3.20")]
fn say_hello(
    /// Who to greet.
    name: Param<String>,
) -> ContainerSpec {
    ContainerSpec::new(["echo"]).arg(fmt_arg!("Hello, {}!", name))
}

/// Greets someone.
#[pipeline(name = "hello")]
fn hello(
    p: &Dag,
    /// Who to greet.
    #[default("world")]
    name: Param<String>,
) {
    say_hello(p, name);
}

fn main() {
    kfp::main(hello);
}
