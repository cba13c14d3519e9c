//! The local runner: executes a compiled workflow on this machine, with Argo's semantics (DAG
//! dependencies, `when`, `withItems`/`withParam` with aggregated outputs, exit hooks and `onExit`,
//! recursion through templates), no cluster needed.
//!
//! Rust function components run as this same binary's `component` subcommand, the command the cluster
//! runs; other containers run with docker or podman, or directly on the host with `--host`. Every
//! step's files live under the run directory, which stays after the run.

mod container;
mod engine;
mod expr;
mod report;

use std::collections::HashMap;
use std::path::PathBuf;

use kfp_compiler::CompileOptions;
use kfp_dsl::PipelineDef;

use engine::Engine;
pub use report::{RunReport, Status, StepReport};

/// How to run.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RunOptions {
    /// Where the steps' files go.
    pub workdir: PathBuf,
    /// At most this many steps run at once.
    pub parallelism: usize,
    /// Run container components' commands directly on this machine instead of in docker or podman.
    pub host: bool,
    /// Pipeline parameter values (`NAME`, `VALUE`), checked against their types.
    pub arguments: Vec<(String, String)>,
}

impl RunOptions {
    /// Defaults: `kfp-runs/<pipeline>-<time>`, one step per core, containers in docker or podman.
    pub fn new(workdir: PathBuf) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        RunOptions { workdir, parallelism: cores, host: false, arguments: Vec::new() }
    }
}

/// Compiles `pipeline` and runs it on this machine.
///
/// # Errors
/// The pipeline does not compile, a parameter has no value, or the run directory cannot be made. A
/// failing step is not an error: it is in the report.
pub fn run(pipeline: &PipelineDef, opts: &RunOptions) -> Result<RunReport, String> {
    let built = pipeline.build().map_err(|e| e.to_string())?;
    let mut copts = CompileOptions::default();
    for (k, v) in &opts.arguments {
        copts = copts.argument(k.clone(), v.clone());
    }
    let wf = kfp_compiler::compile(&built, &copts).map_err(|e| e.to_string())?;
    std::fs::create_dir_all(&opts.workdir).map_err(|e| format!("cannot create `{}`: {e}", opts.workdir.display()))?;
    let engine = Engine::new(&wf, opts, built.binary().unwrap_or(built.name()))?;
    let params: HashMap<String, String> = wf
        .spec
        .arguments
        .parameters
        .iter()
        .map(|p| match &p.value {
            Some(v) => Ok((p.name.to_string(), v.clone())),
            None => Err(format!("parameter `{}` has no default: give it with `--param {}=VALUE`", p.name, p.name)),
        })
        .collect::<Result<_, _>>()?;
    let main = engine.template(&wf.spec.entrypoint, &params, &HashMap::new(), "", &HashMap::new());
    let mut succeeded = main.status == Status::Succeeded;
    if let Some(exit) = &wf.spec.on_exit {
        let status: HashMap<String, String> =
            [("workflow.status".to_owned(), if succeeded { "Succeeded" } else { "Failed" }.to_owned())].into();
        let r = engine.template(exit, &HashMap::new(), &HashMap::new(), "onExit", &status);
        succeeded &= r.status == Status::Succeeded;
    }
    let steps = engine.steps.into_inner().unwrap_or_else(|e| e.into_inner());
    Ok(RunReport { succeeded, workdir: opts.workdir.clone(), steps })
}

/// Parameter values by name.
type Params = HashMap<String, String>;
/// Artifact paths by name.
type Artifacts = HashMap<String, PathBuf>;

/// What a template produced.
#[derive(Clone, Debug)]
struct Outcome {
    status: Status,
    params: HashMap<String, String>,
    artifacts: HashMap<String, PathBuf>,
}

impl Outcome {
    pub(super) fn of(status: Status) -> Self {
        Outcome { status, params: HashMap::new(), artifacts: HashMap::new() }
    }
}
