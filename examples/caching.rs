//! Caching: a cache key of the user's own on the steps whose results may be reused (the KFP v2 IR's
//! `cachingOptions.cacheKey`; on Argo, memoization by that key in the `kfp-memo` config map), and a
//! step that never reuses a result. `compile --no-cache` turns caching off for every step of one
//! compilation (`p.disable_caching()` does it in the pipeline).
//!
//!     cargo run --example caching -- compile
//!     cargo run --example caching -- compile --target kfp-v2
//!     cargo run --example caching -- compile --no-cache

use kfp::prelude::*;

/// Computes features from a table.
#[container_component(image = "registry.example.com/ml/features:3.0")]
fn featurize(table: Param<String>, features: Output<Dataset>) -> ContainerSpec {
    ContainerSpec::new(["featurize", "--table"]).arg(table).arg("--out").arg(features)
}

/// Trains on the features.
#[container_component(image = "registry.example.com/ml/trainer:1.2.3")]
fn train(features: Input<Dataset>, model: Output<Model>) -> ContainerSpec {
    ContainerSpec::new(["train", "--features"]).arg(features).arg("--model").arg(model)
}

/// Reports on a model; always runs.
#[container_component(image = "registry.example.com/ml/report:1.0")]
fn report(model: Input<Model>) -> ContainerSpec {
    ContainerSpec::new(["report", "--model"]).arg(model)
}

#[pipeline(name = "Caching")]
fn caching(p: &Dag) {
    p.memoize_cache("kfp-memo");
    // The key alone decides a hit: it names what decides the result (the table, the code's
    // version), and changes with it.
    let features = featurize(p, "events").cache_key("events-features-v3");
    let model = train(p, features.features).cache_key("events-features-v3-trainer-1-2-3");
    report(p, model.model).caching(false);
}

fn main() {
    kfp::main(caching);
}
