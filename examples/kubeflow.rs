//! Kubeflow services as steps: a Katib hyperparameter search, then a PyTorch training job with the
//! best learning rate it found, then a KServe `InferenceService` serving the trained model.
//!
//!     cargo run --example kubeflow -- compile

use kfp::kubeflow::{InferenceService, KatibExperiment, TrainingJob};
use kfp::prelude::*;

#[pipeline(name = "Katib, train, serve")]
fn kubeflow_services(
    p: &Dag,
    /// Where the trained model is written and served from.
    #[default("gs://example-bucket/models/mnist")]
    model_uri: Param<String>,
    #[default(10)] epochs: Param<u32>,
) {
    let image = "registry.example.com/ml/mnist:1.0";
    let search = p.katib_experiment(
        KatibExperiment::maximize("tune", "accuracy")
            .algorithm("random")
            .double("lr", 0.001, 0.1)
            .categorical("optimizer", &["sgd", "adam"])
            .trials(12, 3, 3)
            .goal(0.99) // stop early once a trial reaches 99 % accuracy
            .trial(
                image,
                [
                    "python3",
                    "train.py",
                    "--epochs=1",
                    "--lr=${trialParameters.lr}",
                    "--optimizer=${trialParameters.optimizer}",
                ],
            ),
    );
    let train = p.training_job(
        TrainingJob::pytorch(
            "train",
            image,
            [
                "python3".into(),
                "train.py".into(),
                "--lr".into(),
                search.best("lr").into(),
                "--optimizer".into(),
                search.best("optimizer").into(),
                "--epochs".into(),
                epochs.into(),
                "--model-dir".into(),
                model_uri.into(),
            ],
        )
        .workers(2)
        .gpus(1),
    );
    let serve = p.inference_service(InferenceService::new("mnist", "pytorch", model_uri).min_replicas(1));
    serve.task.after(&train);
}

fn main() {
    kfp::main(kubeflow_services);
}
