//! Concurrency limits across runs (Argo `synchronization`): the whole pipeline holds a mutex, so
//! only one run of it (or of any pipeline taking the same mutex) goes at a time; the training step
//! holds a semaphore whose limit is a key of a config map (how many GPU jobs may run at once in the
//! namespace); publishing holds a mutex of its own.
//!
//!     cargo run --example concurrency -- compile                      # Argo v4.1: `mutexes`, `semaphores`
//!     cargo run --example concurrency -- compile --argo-version 3.4   # Argo v3.4: `mutex`, `semaphore`
//!
//! The KFP v2 IR has no such limit: `--target kfp-v2` refuses it, and `--lossy` leaves the locks out
//! (the steps then may run at the same time; what they compute is the same).

use kfp::prelude::*;

/// Trains on a GPU.
#[container_component(image = "registry.example.com/ml/trainer:1.2.3")]
fn train(epochs: Param<u32>, model_uri: OutputParam<String>) -> ContainerSpec {
    ContainerSpec::new(["python3", "-m", "trainer"]).args([
        Arg::from("--epochs"),
        epochs.into(),
        "--model-uri".into(),
        model_uri.into(),
    ])
}

/// Publishes a model to the registry.
#[container_component(image = "registry.example.com/ml/publish:1.0")]
fn publish(model_uri: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["publish", "--model"]).arg(model_uri)
}

#[pipeline(name = "Concurrency")]
fn concurrency(p: &Dag, #[default(5)] epochs: Param<u32>) {
    // One nightly retrain at a time.
    p.mutex("nightly-retrain");
    let trained = train(p, epochs).semaphore("ml-limits", "gpu-jobs").gpu_limit(1);
    publish(p, trained.model_uri).mutex("model-registry");
}

fn main() {
    kfp::main(concurrency);
}
