//! `kfp::main`: the command line of a pipeline binary.

use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use kfp_compiler::{CompileError, CompileOptions};
use kfp_dsl::PipelineDef;

mod graph;
mod lint;
mod remote;
mod size;
mod write;
use remote::args::{RunsArgs, ScheduleArgs, SubmitArgs, UploadArgs};
use write::write_atomically;

/// What the pipeline binary's command line can fail with.
#[derive(Debug)]
#[non_exhaustive]
pub enum CliError {
    /// The command line itself (also `--help` and `--version`, which are not failures).
    Usage(clap::Error),
    /// The pipeline did not build or compile.
    Compile(CompileError),
    /// A `--param` that is not `NAME=VALUE`.
    BadParam(String),
    /// A `--param NAME=...` given more than once.
    DuplicateParam(String),
    /// A function component that could not run, or failed.
    Component(String),
    /// A server command could not reach the server, or the server refused it (one line: the
    /// request, the status, the server's message).
    Server(String),
    /// The run the command waited for did not succeed.
    RunFailed(String),
    /// `lint` found problems, or could not read a file (one line: which files, how many problems).
    Lint(String),
    /// The output could not be written.
    Write {
        /// Where.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CliError::Usage(e) => write!(f, "{}", e.to_string().trim_end()),
            CliError::Compile(e) => write!(f, "{e}"),
            CliError::BadParam(p) => write!(f, "`--param {p}` is not `NAME=VALUE`"),
            CliError::DuplicateParam(p) => {
                write!(f, "`--param {p}=...` is given twice: give each parameter once")
            }
            CliError::Component(e) | CliError::Server(e) | CliError::RunFailed(e) | CliError::Lint(e) => {
                write!(f, "{e}")
            }
            CliError::Write { path, source } => write!(f, "cannot write `{}`: {source}", path.display()),
        }
    }
}

impl std::error::Error for CliError {}

#[derive(Parser, Debug)]
#[command(about = "A Kubeflow pipeline built with kfp-rs", disable_version_flag = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Compile the pipeline to an Argo Workflow (YAML on stdout by default).
    Compile(CompileArgs),
    /// Run one Rust function component (what the compiled workflow runs in the container).
    Component(ComponentArgs),
    /// Run the whole pipeline on this machine (no cluster needed); the steps' files stay in the run
    /// directory.
    Run(RunArgs),
    /// Write a component's kfp v1 component.yaml (stdout by default).
    ComponentSpec(SpecArgs),
    /// Compile the pipeline and run it on a Kubeflow Pipelines or Argo server (`--wait` follows it
    /// to the end).
    Submit(SubmitArgs),
    /// Upload the pipeline to a Kubeflow Pipelines server (a new version if it is there), or as a
    /// WorkflowTemplate to an Argo Server.
    Upload(UploadArgs),
    /// Run the pipeline on a schedule: a KFP recurring run, or an Argo CronWorkflow.
    Schedule(ScheduleArgs),
    /// List the newest runs, or show one (`--wait` follows it to the end).
    Runs(RunsArgs),
    /// Check Argo workflows or KFP v2 specs as their servers would (FILE..., or the pipeline's own
    /// output): one line per problem, exit status 1 if any.
    Lint(lint::LintArgs),
    /// Draw the pipeline: tasks, dependencies and the values passed, loops, conditions, exit handlers
    /// and graph components as nested boxes (SVG by default; Mermaid or Graphviz DOT text).
    Graph(graph::GraphArgs),
}

#[derive(clap::Args, Debug)]
struct SpecArgs {
    /// The component's name (as in the workflow's `component_spec`; the function's name for Rust
    /// components). Without it, the names are listed.
    name: Option<String>,
    /// Write the spec to FILE instead of stdout (written whole or not at all, as `compile -o`).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
struct RunArgs {
    /// Set a pipeline parameter's value (replaces its default); checked against the parameter's type.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    params: Vec<String>,
    /// Where the steps' files go: a new or empty directory, or one that holds an earlier run with
    /// `--clean` [default: a new kfp-runs/<pipeline>-<time>-<suffix>].
    #[arg(long, value_name = "DIR")]
    workdir: Option<PathBuf>,
    /// Remove the `--workdir` first if it holds an earlier kfp-rs run (it has a `.kfp-run` file).
    #[arg(long, requires = "workdir")]
    clean: bool,
    /// At most this many steps at once [default: the number of cores].
    #[arg(long, value_name = "N")]
    parallelism: Option<usize>,
    /// Run container components' commands on this machine instead of in docker or podman.
    #[arg(long)]
    host: bool,
    /// After a step fails, still start the tasks that do not depend on it (Argo stops scheduling new
    /// tasks of the DAG: failFast).
    #[arg(long)]
    keep_going: bool,
    /// Approve the approval step NAME (`p.approval(NAME)`) ahead, without asking; repeatable.
    #[arg(long = "approve", value_name = "NAME")]
    approve: Vec<String>,
    /// Approve every approval step ahead, without asking.
    #[arg(long)]
    approve_all: bool,
    /// How long an approval asked on the terminal waits for an answer before it fails.
    #[arg(long, value_name = "SECONDS", default_value_t = 600)]
    approval_timeout: u64,
    /// Pauses (`p.pause(..)`) last at most this long here.
    #[arg(long, value_name = "SECONDS")]
    max_pause: Option<u64>,
    /// Run the pipeline as `compile --split` writes it: a parent whose steps run its parts as child
    /// workflows (here, in this run), to check a split gives the same outputs.
    #[arg(long)]
    split: bool,
    /// With `--split`: the size limit of one part [default: the pipeline's, or 1MiB].
    #[arg(long, value_name = "BYTES", value_parser = size::parse, requires = "split")]
    max_size: Option<usize>,
    /// Write the run's events to stdout as JSON, one object per line (see `kfp::runner::progress`),
    /// and nothing else.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args, Debug)]
struct ComponentArgs {
    /// The component's name.
    name: String,
    /// `--param NAME VALUE`, `--input NAME PATH`, `--output NAME PATH`, `--output-param NAME PATH`.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true, value_name = "ARGS")]
    args: Vec<String>,
}

#[derive(clap::Args, Debug)]
struct CompileArgs {
    /// Write the workflow to FILE instead of stdout (written whole or not at all; a device or fifo
    /// is written in place; a read-only file or a link to a regular file is refused).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Yaml)]
    format: Format,
    /// Set a pipeline parameter's value (replaces its default); checked against the parameter's type.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    params: Vec<String>,
    /// The service account the pods run as [default: the pipeline's, or pipeline-runner].
    #[arg(long, value_name = "NAME")]
    service_account: Option<String>,
    /// Write no service account (use the namespace's default).
    #[arg(long, conflicts_with = "service_account")]
    no_service_account: bool,
    /// What to compile to: an Argo Workflow (the Kubeflow Pipelines v1 format, and plain Argo) or
    /// the KFP v2 pipeline IR (Kubeflow Pipelines 2.x, Vertex AI).
    #[arg(long, value_enum, default_value_t = Target::Argo)]
    target: Target,
    /// With `--target kfp-v2`: leave out what the IR cannot express (sidecars, resource steps, Argo-only
    /// settings, ...) with a warning for each, instead of refusing the pipeline.
    #[arg(long)]
    lossy: bool,
    /// The Argo Workflows version the workflow is for (3.4, 3.5, 3.6, 3.7, 4.0, 4.1): it chooses the
    /// shape of locks (`synchronization`) and of memoization's cache [default: 4.1].
    #[arg(long, value_name = "VERSION")]
    argo_version: Option<kfp_compiler::argo::ArgoVersion>,
    /// No step reuses a cached result (kfp's `--disable-execution-caching-by-default`): the
    /// `enable_caching: "false"` label on every Argo step, `enableCache` off on every IR task.
    #[arg(long)]
    no_cache: bool,
    /// With the Argo target, what to emit: a Workflow (one run), a WorkflowTemplate or
    /// ClusterWorkflowTemplate (run later with `argo submit --from workflowtemplate/NAME`), or a
    /// CronWorkflow (needs `--schedule`).
    #[arg(long, value_enum, default_value_t = KindArg::Workflow)]
    kind: KindArg,
    /// Carry every component's template, also those the pipeline takes from a WorkflowTemplate
    /// library (`from_library`): with `--kind workflow-template`, this writes the library itself.
    #[arg(long)]
    inline_libraries: bool,
    /// The object's name [default: the pipeline's; a Workflow gets a generated one].
    #[arg(long, value_name = "NAME")]
    name: Option<String>,
    /// With `--kind cron-workflow`: when it runs, a cron expression (`"0 3 * * *"`, `@daily`,
    /// `"@every 6h"`); repeat it for several (Argo v3.6 and later).
    #[arg(long, value_name = "CRON")]
    schedule: Vec<String>,
    /// With `--kind cron-workflow`: the time zone of the schedule (`Europe/Paris`) [default: the
    /// controller's].
    #[arg(long, value_name = "ZONE")]
    timezone: Option<String>,
    /// With `--kind cron-workflow`: when a run is due while the last one runs, run both (allow), skip
    /// the new one (forbid) or stop the old one (replace) [default: allow].
    #[arg(long, value_enum)]
    concurrency_policy: Option<PolicyArg>,
    /// With `--kind cron-workflow`: skip a run missed by more than SECONDS (while the controller was
    /// down).
    #[arg(long, value_name = "SECONDS")]
    starting_deadline: Option<u64>,
    /// Split a pipeline too big for one Kubernetes object: a parent Workflow plus one WorkflowTemplate
    /// per part (multi-document YAML, or a JSON array), each under `--max-size`.
    #[arg(long)]
    split: bool,
    /// The most bytes an Argo object may have (`1500000`, `512KiB`, `1MiB`); bigger output is refused
    /// with what takes the room [default: 1MiB].
    #[arg(long, value_name = "BYTES", value_parser = size::parse)]
    max_size: Option<usize>,
    /// Leave out `--lossy`'s warnings (a server command that compiles more than once prints them once).
    #[arg(skip)]
    quiet: bool,
    /// Write the output without linting it first (a debug build of the pipeline binary, as `cargo
    /// run` makes, lints what it writes and refuses output its servers would refuse).
    #[arg(long)]
    no_lint: bool,
}

/// `--kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum KindArg {
    Workflow,
    WorkflowTemplate,
    ClusterWorkflowTemplate,
    CronWorkflow,
}

/// `--concurrency-policy`.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum PolicyArg {
    Allow,
    Forbid,
    Replace,
}

impl CompileArgs {
    /// The object `--kind` and the schedule options ask for; schedule options without a CronWorkflow
    /// are an error rather than ignored.
    fn kind(&self) -> Result<kfp_compiler::argo::Kind, CompileError> {
        use kfp_compiler::argo::{ConcurrencyPolicy, Kind, Schedule};
        let cron_only = [
            ("--schedule", !self.schedule.is_empty()),
            ("--timezone", self.timezone.is_some()),
            ("--concurrency-policy", self.concurrency_policy.is_some()),
            ("--starting-deadline", self.starting_deadline.is_some()),
        ];
        if self.kind != KindArg::CronWorkflow
            && let Some((option, _)) = cron_only.iter().find(|(_, given)| *given)
        {
            return Err(CompileError::InvalidOption {
                option,
                reason: "it belongs to a CronWorkflow: add `--kind cron-workflow`, or drop it".to_owned(),
            });
        }
        Ok(match self.kind {
            KindArg::Workflow => Kind::Workflow,
            KindArg::WorkflowTemplate => Kind::WorkflowTemplate,
            KindArg::ClusterWorkflowTemplate => Kind::ClusterWorkflowTemplate,
            KindArg::CronWorkflow => {
                let mut s = Schedule::default();
                s.crons = self.schedule.clone();
                s.timezone = self.timezone.clone();
                s.concurrency_policy = self.concurrency_policy.map(|p| match p {
                    PolicyArg::Allow => ConcurrencyPolicy::Allow,
                    PolicyArg::Forbid => ConcurrencyPolicy::Forbid,
                    PolicyArg::Replace => ConcurrencyPolicy::Replace,
                });
                s.starting_deadline_seconds = self.starting_deadline;
                Kind::CronWorkflow(s)
            }
        })
    }
}

/// The output format family.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum Target {
    /// An Argo Workflow.
    Argo,
    /// The KFP v2 pipeline IR (`PipelineSpec`, and a kfp-kubernetes `PlatformSpec` document).
    #[value(name = "kfp-v2")]
    KfpV2,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Yaml,
    Json,
}

/// Runs the command line `args` (the first is the program name) for `pipeline`, writing to `stdout`.
///
/// # Errors
/// A [`CliError`] that says what went wrong, in one line where it can.
pub fn run<I, T>(pipeline: PipelineDef, args: I, stdout: &mut dyn Write) -> Result<(), CliError>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = Cli::try_parse_from(args).map_err(CliError::Usage)?;
    match cli.command {
        Command::Compile(c) => compile(pipeline, c, stdout),
        Command::Component(c) => run_component(pipeline, &c),
        Command::Run(r) => run_local(pipeline, r, stdout),
        Command::ComponentSpec(a) => component_spec(pipeline, &a, stdout),
        Command::Submit(a) => remote::run(pipeline, remote::Remote::Submit(a), stdout),
        Command::Upload(a) => remote::run(pipeline, remote::Remote::Upload(a), stdout),
        Command::Schedule(a) => remote::run(pipeline, remote::Remote::Schedule(a), stdout),
        Command::Runs(a) => remote::run(pipeline, remote::Remote::Runs(a), stdout),
        Command::Lint(a) => lint::run(pipeline, a, stdout),
        Command::Graph(a) => graph::run(pipeline, &a, stdout),
    }
}

fn component_spec(pipeline: PipelineDef, a: &SpecArgs, stdout: &mut dyn Write) -> Result<(), CliError> {
    let built = pipeline.build().map_err(|e| CliError::Compile(e.into()))?;
    // Importers and values passed as files, approvals and pauses are no components of the user's.
    let components = || built.components().filter(|(_, c)| c.import_spec().is_none() && c.suspend_spec().is_none());
    let names: Vec<String> = components().map(|(_, c)| format!("`{}`", c.name)).collect();
    let write = |e| CliError::Write { path: PathBuf::from("<stdout>"), source: e };
    let Some(name) = &a.name else {
        for (_, c) in components() {
            writeln!(stdout, "{}", c.name).map_err(write)?;
        }
        return Ok(());
    };
    let Some((_, spec)) = components().find(|(_, c)| c.name == *name) else {
        return Err(CliError::Component(format!(
            "pipeline `{}` has no component `{name}`; it has {}",
            built.name(),
            names.join(", ")
        )));
    };
    let binary = built.binary().unwrap_or(built.name());
    let text = kfp_compiler::component_to_yaml(spec, binary, built.default_image()).map_err(CliError::Component)?;
    match &a.output {
        Some(path) => write_atomically(path, text.as_bytes()),
        None => stdout.write_all(text.as_bytes()).map_err(write),
    }
}

fn run_local(pipeline: PipelineDef, r: RunArgs, stdout: &mut dyn Write) -> Result<(), CliError> {
    let write = |e| CliError::Write { path: PathBuf::from("<stdout>"), source: e };
    let mut arguments: Vec<(String, String)> = Vec::new();
    for p in &r.params {
        let Some((name, value)) = p.split_once('=') else { return Err(CliError::BadParam(p.clone())) };
        let name = name.trim();
        if arguments.iter().any(|(n, _)| n == name) {
            return Err(CliError::Component(format!("`--param {name}` given twice")));
        }
        arguments.push((name.to_owned(), value.to_owned()));
    }
    if r.parallelism == Some(0) {
        return Err(CliError::Component("`--parallelism` must be at least 1".to_owned()));
    }
    let (wf, binary) = crate::runner::compile_for_run(&pipeline, &arguments).map_err(CliError::Component)?;
    let workdir = match r.workdir {
        Some(dir) => dir,
        None => crate::runner::new_run_dir(std::path::Path::new("kfp-runs"), pipeline.name())
            .map_err(CliError::Component)?,
    };
    if !r.json {
        writeln!(stdout, "run directory: {}", workdir.display()).and_then(|()| stdout.flush()).map_err(write)?;
    }
    let mut opts = crate::runner::RunOptions::new(workdir);
    opts.host = r.host;
    opts.clean = r.clean;
    opts.keep_going = r.keep_going;
    opts.approve = r.approve;
    opts.approve_all = r.approve_all;
    opts.approval_timeout = std::time::Duration::from_secs(r.approval_timeout);
    opts.max_pause = r.max_pause.map(std::time::Duration::from_secs);
    if let Some(n) = r.parallelism {
        opts.parallelism = n;
    }
    let report = {
        // JSON events on stdout; otherwise a live view or plain lines on stderr, the table on stdout.
        let (mut json, mut text);
        let progress: &mut dyn crate::runner::progress::Progress = if r.json {
            json = crate::runner::progress::Json::new(&mut *stdout);
            &mut json
        } else {
            text = crate::runner::progress::for_stderr();
            text.as_mut()
        };
        if r.split {
            let bundle = size::bundle(&pipeline, wf, r.max_size)?;
            crate::runner::run_split_with(&bundle, &binary, &opts, progress)
        } else {
            crate::runner::run_workflow_with(&wf, &binary, &opts, progress)
        }
        .map_err(CliError::Component)?
    };
    if !r.json {
        stdout.write_all(report.table().as_bytes()).map_err(write)?;
        writeln!(stdout, "run directory: {}", report.workdir.display()).map_err(write)?;
    }
    if let Some(sig) = report.interrupted_by {
        // Exit as a shell reports a process ended by the signal (130 for SIGINT, 143 for SIGTERM),
        // after the summary: `main` would exit with 1.
        stdout.flush().map_err(write)?;
        eprintln!("error: the run was interrupted (signal {sig})");
        std::process::exit(128 + sig);
    }
    if report.succeeded {
        Ok(())
    } else {
        let failed: Vec<&str> = report
            .steps
            .iter()
            .filter(|s| s.status == crate::runner::Status::Failed)
            .map(|s| s.path.as_str())
            .collect();
        Err(CliError::Component(format!("the run failed: {}", failed.join(", "))))
    }
}

/// Runs function component `c.name` of `pipeline` with the values in `c.args`.
fn run_component(pipeline: PipelineDef, c: &ComponentArgs) -> Result<(), CliError> {
    let built = pipeline.build().map_err(|e| CliError::Compile(e.into()))?;
    let Some(run) = built.executor(&c.name) else {
        let known: Vec<String> =
            built.components().filter(|(_, s)| s.executor().is_some()).map(|(_, s)| format!("`{}`", s.name)).collect();
        return Err(CliError::Component(format!(
            "pipeline `{}` has no Rust function component `{}`; it has {}",
            built.name(),
            c.name,
            if known.is_empty() { "none".to_owned() } else { known.join(", ") }
        )));
    };
    let inv = kfp_dsl::Invocation::parse(&c.args).map_err(CliError::Component)?;
    if let Some((_, spec)) = built.components().find(|(_, s)| s.name == c.name) {
        inv.check_inputs(spec).map_err(CliError::Component)?;
    }
    run(&inv).map_err(|e| CliError::Component(format!("component `{}` failed: {e}", c.name)))
}

fn compile(pipeline: PipelineDef, c: CompileArgs, stdout: &mut dyn Write) -> Result<(), CliError> {
    let text = compile_text(pipeline, &c)?;
    if cfg!(debug_assertions) && !c.no_lint {
        lint::own_output(&text, c.argo_version)?;
    }
    match &c.output {
        Some(path) => write_atomically(path, text.as_bytes()),
        None => stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(|source| CliError::Write { path: PathBuf::from("<stdout>"), source }),
    }
}

/// The text `compile` writes for `c`.
fn compile_text(pipeline: PipelineDef, c: &CompileArgs) -> Result<String, CliError> {
    let mut opts = CompileOptions::default();
    if c.no_service_account {
        opts = opts.service_account(None);
    } else if let Some(name) = c.service_account.clone() {
        opts = opts.service_account(Some(name));
    }
    for (name, value) in parse_params(&c.params)? {
        opts = opts.argument(name, value);
    }
    opts = opts.no_cache(c.no_cache);
    opts.inline_libraries = c.inline_libraries;
    match (c.argo_version, c.target) {
        (Some(_), Target::KfpV2) => {
            return Err(CliError::Compile(CompileError::InvalidOption {
                option: "--argo-version",
                reason: "it chooses the shape of an Argo workflow; the KFP v2 IR has none: drop it, or give \
                         `--target argo`"
                    .to_owned(),
            }));
        }
        (Some(v), Target::Argo) => opts = opts.argo_version(v),
        (None, _) => {}
    }
    match c.target {
        Target::Argo if c.lossy => Err(CompileError::InvalidOption {
            option: "--lossy",
            reason: "the Argo target expresses every construct, so there is nothing to leave out: give \
                     `--target kfp-v2` with it, or drop it"
                .to_owned(),
        }),
        Target::Argo => {
            let kind = c.kind().map_err(CliError::Compile)?;
            let built = pipeline.build().map_err(|e| CliError::Compile(e.into()))?;
            let workflow = kfp_compiler::compile(&built, &opts).map_err(CliError::Compile)?;
            // `--max-size`, else the pipeline's `max_object_size`, else 1 MiB.
            let limit = c.max_size.or(built.settings().max_object_bytes).unwrap_or(size::DEFAULT);
            drop(built);
            if c.split {
                return size::split_text(
                    workflow,
                    c.kind != KindArg::Workflow || c.name.is_some(),
                    limit,
                    matches!(c.format, Format::Json),
                );
            }
            kfp_compiler::argo::split::size::check(&workflow, limit).map_err(CliError::Compile)?;
            let object = kfp_compiler::argo::into_kind(workflow, &kind, c.name.as_deref(), opts.argo_version)
                .map_err(CliError::Compile)?;
            match c.format {
                Format::Yaml => kfp_compiler::argo::object_to_yaml(&object),
                Format::Json => kfp_compiler::argo::object_to_json(&object),
            }
        }
        Target::KfpV2 if c.split || c.max_size.is_some() => Err(CompileError::InvalidOption {
            option: if c.split { "--split" } else { "--max-size" },
            reason: "it splits or limits an Argo workflow; the KFP v2 IR is none: drop it, or give `--target argo`"
                .to_owned(),
        }),
        Target::KfpV2 if c.kind != KindArg::Workflow || c.name.is_some() => Err(CompileError::InvalidOption {
            option: if c.name.is_some() { "--name" } else { "--kind" },
            reason: "it names an Argo object; the KFP v2 IR is uploaded as a pipeline (its name is the \
                     pipeline's): drop it, or give `--target argo`"
                .to_owned(),
        }),
        Target::KfpV2 => {
            let built = pipeline.build().map_err(|e| CliError::Compile(e.into()))?;
            let compiled = kfp_compiler::compile_kfp_v2(&built, &opts.lossy(c.lossy)).map_err(CliError::Compile)?;
            // What `--lossy` left out goes to stderr, before the output is written.
            if !c.quiet {
                eprint!("{}", compiled.warnings());
            }
            match c.format {
                Format::Yaml => compiled.to_yaml(),
                Format::Json => compiled.to_json(),
            }
        }
    }
    .map_err(CliError::Compile)
}

/// `--param NAME=VALUE` arguments as `(name, value)`; a name given twice is an error, not a silent
/// "last one wins".
fn parse_params(params: &[String]) -> Result<Vec<(&str, &str)>, CliError> {
    let mut out: Vec<(&str, &str)> = Vec::with_capacity(params.len());
    for p in params {
        let Some((name, value)) = p.split_once('=') else { return Err(CliError::BadParam(p.clone())) };
        let name = name.trim();
        if out.iter().any(|(n, _)| *n == name) {
            return Err(CliError::DuplicateParam(name.to_owned()));
        }
        out.push((name, value));
    }
    Ok(out)
}

/// The entry point of a pipeline binary: `fn main() { kfp::main(my_pipeline) }`.
///
/// Subcommands: `compile [-o FILE] [--format yaml|json] [--param NAME=VALUE ...]`; `--help` on each.
/// On bad input it prints one `error: ...` line to stderr and exits with status 1 (2 for a malformed
/// command line).
pub fn main(pipeline: PipelineDef) {
    let mut stdout = std::io::stdout().lock();
    match run(pipeline, std::env::args_os(), &mut stdout) {
        Ok(()) => {}
        Err(CliError::Usage(e)) => e.exit(),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
