//! kfp-compiler: validates a [`Pipeline`] and lowers it to an Argo [`Workflow`](argo::Workflow) that
//! the Kubeflow Pipelines v1 backend and plain Argo Workflows (v3.4 to v4.1) run.
//!
//! ```text
//! model (kfp_dsl::Pipeline)
//!   --validate--> Validated        passes/validate.rs: tasks exist, no cycle
//!   --variants--> Variants         passes/variants.rs: one template per component variant
//!   --name------> Names            passes/naming.rs: unique DNS-1123 names
//!   --plan------> Plan             plan/: DAGs, tasks, typed value references, scope plumbing
//!   --backend---> argo::Workflow   argo/: Argo structs, `{{...}}` expressions --emit--> YAML / JSON
//! ```
//!
//! Everything before the backend is shared by every backend; `front/` reads kfp's component.yaml
//! into the model.

pub mod argo;
mod error;
mod front;
pub mod graph;
pub mod kfp_v2;
pub mod lint;
mod passes;
mod plan;
mod yaml;

use kfp_dsl::Pipeline;

/// What Argo does with the `{{...}}` tags the compiler writes (the local runner's evaluator).
pub use argo::template as argo_template;
pub use argo::{to_json, to_yaml, write_yaml};
pub use error::CompileError;
pub use front::component_yaml::{ComponentFileError, component_to_yaml, is_parameter_type, parse_component};

/// Settings for one compilation.
#[derive(Clone, Debug, Default)]
#[non_exhaustive]
pub struct CompileOptions {
    /// The service account the pods run as: `None` (the default) takes the pipeline's setting, or
    /// `pipeline-runner` as Kubeflow Pipelines installs it; `Some(None)` writes none (the namespace's
    /// default); `Some(Some(name))` names one.
    pub service_account: Option<Option<String>>,
    /// Values for pipeline parameters, replacing their defaults in `spec.arguments`: `(name, value)`,
    /// each value checked against the parameter's type.
    pub arguments: Vec<(String, String)>,
    /// For the KFP v2 IR: leave out what the IR cannot express (with a warning for each, in
    /// [`kfp_v2::Compiled::left_out`]) instead of refusing the pipeline. Recursion, and a value read
    /// from a task left out, stay errors.
    pub lossy: bool,
    /// The Argo version the workflow is written for (default: the newest, v4.1): it chooses the
    /// shape of `synchronization` and of memoization's config map.
    pub argo_version: argo::ArgoVersion,
    /// No step reuses a cached result: on Argo the `enable_caching: "false"` label and
    /// `max_cache_staleness: P0D` on every step (and no memoization); in the IR `enableCache` off
    /// on every task.
    pub no_cache: bool,
    /// Carry every component's template in the workflow, also those `Dag::from_library` takes from a
    /// WorkflowTemplate library (the local runner runs the code's definition).
    pub inline_libraries: bool,
}

impl CompileOptions {
    /// Sets a parameter's value.
    #[must_use]
    pub fn argument(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.arguments.push((name.into(), value.into()));
        self
    }

    /// Sets [`lossy`](Self::lossy).
    #[must_use]
    pub fn lossy(mut self, lossy: bool) -> Self {
        self.lossy = lossy;
        self
    }

    /// Sets [`argo_version`](Self::argo_version).
    #[must_use]
    pub fn argo_version(mut self, version: argo::ArgoVersion) -> Self {
        self.argo_version = version;
        self
    }

    /// Sets [`no_cache`](Self::no_cache).
    #[must_use]
    pub fn no_cache(mut self, no_cache: bool) -> Self {
        self.no_cache = no_cache;
        self
    }

    /// Sets the service account.
    #[must_use]
    pub fn service_account(mut self, account: Option<String>) -> Self {
        self.service_account = Some(account);
        self
    }
}

/// Compiles a built pipeline to an Argo workflow.
///
/// # Errors
/// A dependency cycle, a task-name clash, an empty pipeline, or a bad parameter value, each naming the
/// user's source location where there is one.
pub fn compile(pipeline: &Pipeline, opts: &CompileOptions) -> Result<argo::Workflow, CompileError> {
    let validated = passes::validate::validate(pipeline)?;
    // A task whose output a loop collects as artifacts writes it under a key of its own: a template of
    // its own.
    let collected = argo::lower::fan_in::collected(pipeline);
    argo::lower::fan_in::check(pipeline, &collected)?;
    let apart = |t: kfp_dsl::TaskId| collected.contains_key(&t);
    let variants = passes::variants::variants(&validated, &passes::variants::Split::ByTask(&apart))?;
    let names = passes::naming::name(&validated, variants)?;
    let plan = plan::plan(pipeline, &names)?;
    argo::lower::lower(pipeline, &names, plan, opts, &collected)
}

/// Compiles a built pipeline to the KFP v2 pipeline IR (what Kubeflow Pipelines 2.x and Vertex AI
/// run): the `PipelineSpec` and, when a task has Kubernetes settings, the kfp-kubernetes
/// `PlatformSpec`. Write them with [`kfp_v2::Compiled::to_yaml`].
///
/// # Errors
/// What [`compile`] refuses, and every construct the IR cannot express, one line each (with
/// [`CompileOptions::lossy`], only those that cannot be left out).
pub fn compile_kfp_v2(pipeline: &Pipeline, opts: &CompileOptions) -> Result<kfp_v2::Compiled, CompileError> {
    let validated = passes::validate::validate(pipeline)?;
    let mounts_created_claim = kfp_v2::lower::mounts_created_claim(pipeline);
    let split = passes::variants::Split::ByScope(&mounts_created_claim);
    let variants = passes::variants::variants(&validated, &split)?;
    let names = passes::naming::name(&validated, variants)?;
    let plan = plan::plan(pipeline, &names)?;
    if let Some(Some(account)) = &opts.service_account {
        return Err(CompileError::InvalidOption {
            option: "--service-account",
            reason: format!(
                "the KFP v2 IR has no service account (`{account}`): Kubeflow Pipelines 2.x sets it when a run is \
                 created; leave it out for `--target kfp-v2`"
            ),
        });
    }
    let mut compiled = kfp_v2::lower::lower(pipeline, &names, plan, opts.lossy)?;
    if opts.no_cache || pipeline.settings().caching_disabled {
        kfp_v2::disable_caching(&mut compiled.spec);
    }
    // `--param` values become the root inputs' defaults, checked as on Argo.
    for (name, value) in &opts.arguments {
        let Some(param) = pipeline.params().iter().find(|s| s.name == *name) else {
            return Err(CompileError::UnknownParam {
                name: name.clone(),
                pipeline: pipeline.name().to_owned(),
                known: pipeline.params().iter().map(|s| s.name.clone()).collect(),
            });
        };
        let parsed = param.parse_value(value).map_err(|reason| CompileError::InvalidParamValue {
            name: param.name.clone(),
            type_name: param.type_name,
            value: value.clone(),
            reason,
        })?;
        if let Some(d) = compiled.spec.root.input_definitions.parameters.get_mut(name.as_str()) {
            d.default_value = Some(kfp_v2::lower::typed_constant(&parsed, d.parameter_type));
            d.is_optional = true;
        }
    }
    // Last: the author's merge patches, each checked by reading the document back.
    kfp_v2::apply_patches(pipeline, &names, &mut compiled)?;
    Ok(compiled)
}
