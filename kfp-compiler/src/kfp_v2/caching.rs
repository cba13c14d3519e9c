//! Caching off for every task of the IR (`compile --no-cache`, `Dag::disable_caching`): kfp's
//! `enable_caching=False`, each task's `cachingOptions` without `enableCache` (a cache key stays,
//! as kfp writes it).

use super::pipeline_spec::{Implementation, PipelineSpec};

/// Turns caching off on every task of every DAG of `spec`.
pub(crate) fn disable(spec: &mut PipelineSpec) {
    let dags = std::iter::once(&mut spec.root).chain(spec.components.values_mut());
    for component in dags {
        if let Implementation::Dag(dag) = &mut component.implementation {
            for task in dag.tasks.values_mut() {
                if let Some(c) = &mut task.caching_options {
                    c.enable_cache = false;
                }
            }
        }
    }
}
