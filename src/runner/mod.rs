//! The local runner: executes a compiled workflow on this machine, with Argo's semantics (DAG
//! dependencies, `when`, `withItems`/`withParam` with aggregated outputs, exit hooks and `onExit`,
//! recursion through templates), no cluster needed.
//!
//! Rust function components run as this same binary's `component` subcommand, the command the cluster
//! runs; other containers run with docker or podman, or directly on the host with `--host`. Every
//! step's files live under the run directory, which stays after the run. While it runs, the engine
//! emits [`progress::Event`]s: a live view on a terminal, plain lines or JSON lines show them.

mod child;
pub(crate) mod clock;
mod container;
mod dag;
mod depends;
mod engine;
mod expr;
mod import;
mod locks;
mod loops;
mod pod_surface;
pub mod progress;
mod report;
mod repository;
mod retry;
mod signals;
mod status;
mod suspend;
mod workdir;

use std::collections::HashMap;
use std::path::PathBuf;

use kfp_compiler::CompileOptions;
use kfp_compiler::argo::split::Bundle;
use kfp_compiler::argo::{Object, Workflow};
use kfp_dsl::PipelineDef;

use engine::{Engine, Stop};
pub use report::{RunReport, Status, StepReport};
pub use workdir::{MARKER, new_run_dir};

/// How to run.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RunOptions {
    /// The run directory: where the steps' files go. It must not exist, be empty, or (with `clean`)
    /// hold an earlier run; [`new_run_dir`] makes a fresh one.
    pub workdir: PathBuf,
    /// At most this many steps run at once.
    pub parallelism: usize,
    /// Run container components' commands directly on this machine instead of in docker or podman.
    pub host: bool,
    /// Pipeline parameter values (`NAME`, `VALUE`), checked against their types.
    pub arguments: Vec<(String, String)>,
    /// Remove `workdir` first if it holds an earlier run (a directory with a [`MARKER`] file).
    pub clean: bool,
    /// After a step fails, let independent tasks of its DAG start (instead of Argo's `failFast`).
    pub keep_going: bool,
    /// Approvals (`p.approval(NAME)`) given ahead: they pass without asking.
    pub approve: Vec<String>,
    /// Every approval passes without asking.
    pub approve_all: bool,
    /// How long an approval asked on the terminal waits for an answer before it fails.
    pub approval_timeout: std::time::Duration,
    /// Pauses (`p.pause(..)`) last at most this long here.
    pub max_pause: Option<std::time::Duration>,
}

impl RunOptions {
    /// Defaults: one step per core, containers in docker or podman, Argo's failFast.
    pub fn new(workdir: PathBuf) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        RunOptions {
            workdir,
            parallelism: cores,
            host: false,
            arguments: Vec::new(),
            clean: false,
            keep_going: false,
            approve: Vec::new(),
            approve_all: false,
            approval_timeout: std::time::Duration::from_secs(600),
            max_pause: None,
        }
    }
}

/// Compiles `pipeline` and runs it on this machine.
///
/// # Errors
/// The pipeline does not compile, a parameter has no value, or the run directory cannot be made or
/// holds something else. A failing step is not an error: it is in the report.
pub fn run(pipeline: &PipelineDef, opts: &RunOptions) -> Result<RunReport, String> {
    let (wf, binary) = compile_for_run(pipeline, &opts.arguments)?;
    run_workflow(&wf, &binary, opts)
}

/// Compiles `pipeline` with parameter values `arguments` for [`run_workflow`], and the program name
/// of its function components.
///
/// # Errors
/// The pipeline does not compile, or a parameter has no value.
pub fn compile_for_run(pipeline: &PipelineDef, arguments: &[(String, String)]) -> Result<(Workflow, String), String> {
    let built = pipeline.build().map_err(|e| e.to_string())?;
    let mut copts = CompileOptions::default();
    // The run uses each component as the code defines it, also one a cluster takes from a library.
    copts.inline_libraries = true;
    for (k, v) in arguments {
        copts = copts.argument(k.clone(), v.clone());
    }
    let wf = kfp_compiler::compile(&built, &copts).map_err(|e| e.to_string())?;
    parameters(&wf)?;
    Ok((wf, built.binary().unwrap_or(built.name()).to_owned()))
}

/// What the local run does with the workflow's merge patches (`argo_patch`, ...): they are for the
/// cluster's Argo, which reads fields the runner does not, so it leaves them out and says so.
pub fn patches_note(wf: &Workflow) -> Option<String> {
    if wf.patches.is_empty() {
        return None;
    }
    let mut calls: Vec<String> =
        wf.patches.iter().map(|p| format!("{} ({})", p.patch.target.call(), p.patch.at)).collect();
    calls.dedup();
    Some(format!(
        "note: the local run leaves out {} merge patch{} (they are for the cluster): {}",
        calls.len(),
        if calls.len() == 1 { "" } else { "es" },
        calls.join(", ")
    ))
}

/// The workflow's parameter values by name.
fn parameters(wf: &Workflow) -> Result<HashMap<String, String>, String> {
    wf.spec
        .arguments
        .parameters
        .iter()
        .map(|p| match &p.value {
            Some(v) => Ok((p.name.to_string(), v.clone())),
            None => Err(format!("parameter `{}` has no default: give it with `--param {}=VALUE`", p.name, p.name)),
        })
        .collect()
}

/// Runs an already compiled workflow on this machine. `binary` is the program name whose
/// `component` subcommand marks a Rust function component: those steps run as this program.
///
/// # Errors
/// As [`run`].
pub fn run_workflow(wf: &Workflow, binary: &str, opts: &RunOptions) -> Result<RunReport, String> {
    run_parts(wf, &[], binary, opts, &mut progress::Plain::new(std::io::stderr()))
}

/// As [`run_workflow`], showing the run's events on `progress` (the others print [`progress::Plain`]
/// lines on stderr).
///
/// # Errors
/// As [`run`].
pub fn run_workflow_with(
    wf: &Workflow,
    binary: &str,
    opts: &RunOptions,
    progress: &mut dyn progress::Progress,
) -> Result<RunReport, String> {
    run_parts(wf, &[], binary, opts, progress)
}

/// Runs a split pipeline (`compile --split`): the parent workflow `parent`, whose resource steps
/// create child Workflows from the WorkflowTemplates `parts` (each `(its metadata.name, it)`); each
/// child runs here, in this run, when its step runs. Its steps are reported under the step's path
/// (`part-1/...`) and their files are under that directory of the run; artifacts cross parts through
/// the run's artifact repository. The run's outputs are the parent's.
///
/// # Errors
/// As [`run`]; also two parts of the same name, or a part with no name.
pub fn run_bundle(
    parent: &Workflow,
    parts: &[(String, Workflow)],
    binary: &str,
    opts: &RunOptions,
) -> Result<RunReport, String> {
    check_parts(parts)?;
    run_parts(parent, parts, binary, opts, &mut progress::Plain::new(std::io::stderr()))
}

/// The parts of a bundle have names, each its own.
fn check_parts(parts: &[(String, Workflow)]) -> Result<(), String> {
    for (i, (name, _)) in parts.iter().enumerate() {
        if name.is_empty() {
            return Err(format!(
                "part {} of the bundle has no name: give each WorkflowTemplate its metadata.name",
                i + 1
            ));
        }
        if parts[..i].iter().any(|(n, _)| n == name) {
            return Err(format!(
                "the bundle has two parts named `{name}`: each WorkflowTemplate needs its own name (compile the bundle again)"
            ));
        }
    }
    Ok(())
}

/// Runs a split pipeline as `compile --split` makes it (see [`run_bundle`]).
///
/// # Errors
/// As [`run_bundle`]; also a part that is not a WorkflowTemplate the runner can read.
pub fn run_split(bundle: &Bundle, binary: &str, opts: &RunOptions) -> Result<RunReport, String> {
    run_bundle(&bundle.parent, &bundle_parts(bundle)?, binary, opts)
}

/// As [`run_split`], showing the run's events on `progress`.
///
/// # Errors
/// As [`run_split`].
pub fn run_split_with(
    bundle: &Bundle,
    binary: &str,
    opts: &RunOptions,
    progress: &mut dyn progress::Progress,
) -> Result<RunReport, String> {
    let parts = bundle_parts(bundle)?;
    check_parts(&parts)?;
    run_parts(&bundle.parent, &parts, binary, opts, progress)
}

/// The parts of `bundle` as workflows the runner runs: `(WorkflowTemplate name, it)`.
///
/// # Errors
/// A part that is not a WorkflowTemplate, or whose document does not read as one.
pub fn bundle_parts(bundle: &Bundle) -> Result<Vec<(String, Workflow)>, String> {
    let mut parts = Vec::with_capacity(bundle.parts.len());
    for part in &bundle.parts {
        let wf = match &part.template {
            Object::Workflow(wf) => wf.clone(),
            Object::Patched(doc) => serde_json::from_value::<Workflow>(doc.clone())
                .map_err(|e| format!("part `{}` of the bundle does not read as a WorkflowTemplate: {e}", part.name))?,
            _ => return Err(format!("part `{}` of the bundle is not a WorkflowTemplate", part.name)),
        };
        if wf.kind != "WorkflowTemplate" {
            return Err(format!("part `{}` of the bundle is a {}, not a WorkflowTemplate", part.name, wf.kind));
        }
        parts.push((part.name.clone(), wf));
    }
    Ok(parts)
}

fn run_parts(
    wf: &Workflow,
    parts: &[(String, Workflow)],
    binary: &str,
    opts: &RunOptions,
    progress: &mut dyn progress::Progress,
) -> Result<RunReport, String> {
    let params = parameters(wf)?;
    let out = std::rc::Rc::new(progress::Emitter::new(progress));
    if let Some(note) = patches_note(wf) {
        out.emit(&progress::Event::Note(&note));
    }
    let mut approvals = suspend::approvals(wf);
    approvals.extend(parts.iter().flat_map(|(_, p)| suspend::approvals(p)));
    if let Some(unknown) = opts.approve.iter().find(|a| !approvals.iter().any(|n| suspend::same_name(a, n))) {
        let known = if approvals.is_empty() {
            "it has none".to_owned()
        } else {
            format!("its approvals are {}", approvals.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "))
        };
        return Err(format!("`--approve {unknown}`: the pipeline has no approval of that name; {known}"));
    }
    let name = wf.metadata.name.as_deref().or(wf.metadata.generate_name.as_deref()).unwrap_or(binary);
    workdir::claim(&opts.workdir, opts.clean, name)?;
    let _signals = signals::catch();
    let mut engine = Engine::new(wf, opts, binary, std::rc::Rc::clone(&out))?;
    engine.parts = parts.iter().map(|(n, p)| (n.as_str(), p)).collect();
    let main = engine.template(&wf.spec.entrypoint, &params, &HashMap::new(), "", &HashMap::new());
    let main = engine.drive(main);
    let mut succeeded = main.status == Status::Succeeded;
    let signal = |e: &Engine<'_>| match e.stop {
        Some(Stop::Signal(sig)) => Some(sig),
        _ => None,
    };
    if let Some(exit) = &wf.spec.on_exit
        && signal(&engine).is_none()
    {
        // As in Argo, the exit handler runs after the workflow's deadline too.
        engine.stop = None;
        engine.deadline = None;
        let status: HashMap<String, String> =
            [("workflow.status".to_owned(), if succeeded { "Succeeded" } else { "Failed" }.to_owned())].into();
        let node = engine.template(exit, &HashMap::new(), &HashMap::new(), "onExit", &status);
        succeeded &= engine.drive(node).status == Status::Succeeded;
    }
    let interrupted_by = signal(&engine);
    let report = RunReport {
        succeeded: succeeded && interrupted_by.is_none(),
        workdir: opts.workdir.clone(),
        steps: engine.steps,
        interrupted_by,
        outputs: main.params.into_iter().collect(),
        artifacts: main.artifacts.into_iter().collect(),
        duration: out.elapsed(),
    };
    out.emit(&progress::Event::RunFinished(&report));
    Ok(report)
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
