//! An exit handler: the Rust version of kfp v1's `h_exit_handler.py` (`../shared/reference/kfp-v1/`).
//! `notify` runs when the wrapped steps finish, whatever happens to them (Argo `onExit`), and reads the
//! status, the run id and a pipeline parameter, all passed to it as explicit arguments (kfp v1 left
//! them out and broke on newer Argo: kubeflow/pipelines#7009). The body has a small DAG with a
//! condition.
//!
//!     cargo run --example exit_handler -- compile

use kfp::prelude::*;

/// Posts the run's outcome to a URL.
#[container_component(image = "curlimages/curl:8.5.0")]
fn notify(message: Param<String>, url: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["curl", "-X", "POST", "-d"]).arg(message).arg(url)
}

/// Echoes its input and keeps it as output.
#[container_component(image = "alpine:3.18")]
fn step(msg: Param<String>, o: OutputParam<String>) -> ContainerSpec {
    // Values reach the script as positional arguments ("$0", "$1"), never inside its text.
    ContainerSpec::new(["sh", "-c"])
        .arg("mkdir -p \"$(dirname \"$1\")\" && printf '%s\\n' \"$0\" | tee \"$1\"")
        .arg(msg)
        .arg(o)
}

#[pipeline(name = "Exit handler")]
fn exit_handler(p: &Dag, #[default("http://hooks.example.com/x")] notify_url: Param<String>
) {
    p.exit_handler(
        |p, status| {
            notify(p, fmt_param!(p, "run={} status={}", p.run_id(), status), notify_url);
        },
        |p| {
            let a = step(p, "ok").task_name("prepare");
            let b = step(p, a.o).task_name("work");
            p.condition(b.o.eq("ok"), |p| {
                step(p, "yay").task_name("celebrate");
            });
        },
    );
}

fn main() {
    kfp::main(exit_handler);
}
