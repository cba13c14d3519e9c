//! The command line of `submit`, `upload`, `schedule` and `runs`: where the server is, how to
//! compile the pipeline for it, and what each command does.

use std::path::PathBuf;

use clap::ValueEnum;

use super::super::{KindArg, Target};

/// Which server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ServerKind {
    /// The Kubeflow Pipelines API server.
    Kfp,
    /// The Argo Server (`argo server`).
    Argo,
}

/// Which KFP API.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ApiArg {
    /// `/apis/v1beta1`: takes Argo YAML.
    #[value(name = "v1beta1")]
    V1beta1,
    /// `/apis/v2beta1`: takes the KFP v2 IR.
    #[value(name = "v2beta1")]
    V2beta1,
}

/// Where the server is and how to reach it. Each option can also come from an environment variable
/// or the config file (`$KFP_CONFIG`, or `~/.config/kfp-rs/config`); the option wins, then the
/// variable, then the file.
#[derive(clap::Args, Debug, Clone, Default)]
pub(crate) struct ServerArgs {
    /// The server's base URL (`http://127.0.0.1:8888`, `https://kubeflow.example.com/pipeline`)
    /// [env: KFP_ENDPOINT].
    #[arg(long, value_name = "URL")]
    pub(crate) endpoint: Option<String>,
    /// The Kubeflow Pipelines API server, or the Argo Server [env: KFP_SERVER] [default: kfp].
    #[arg(long, value_enum)]
    pub(crate) server: Option<ServerKind>,
    /// With `--server kfp`: the API to call [default: v1beta1 for `--target argo`, v2beta1 for
    /// `--target kfp-v2`].
    #[arg(long, value_enum)]
    pub(crate) api: Option<ApiArg>,
    /// The namespace: the Argo namespace, or the Kubeflow profile of a multi-user install
    /// [env: KFP_NAMESPACE] [default: argo with `--server argo`].
    #[arg(long, value_name = "NS")]
    pub(crate) namespace: Option<String>,
    /// Read the bearer token from FILE at each request (a projected service-account token)
    /// [env: KFP_TOKEN_FILE; KFP_TOKEN holds a token itself].
    #[arg(long, value_name = "FILE")]
    pub(crate) token_file: Option<PathBuf>,
    /// Send this header with every request, `NAME: VALUE` (a session cookie for Kubeflow's Dex auth:
    /// `Cookie: authservice_session=...`); repeatable.
    #[arg(long = "header", value_name = "NAME: VALUE")]
    pub(crate) headers: Vec<String>,
    /// Trust the CA certificates in this PEM file (a self-signed cluster) [env: KFP_CA_CERT].
    #[arg(long, value_name = "FILE")]
    pub(crate) ca_cert: Option<PathBuf>,
    /// Do not verify the server's TLS certificate.
    #[arg(long)]
    pub(crate) insecure: bool,
    /// How long one request may take, in seconds [default: 30].
    #[arg(long, value_name = "SECONDS")]
    pub(crate) timeout: Option<f64>,
    /// How many times a connection error or 5xx answer is retried, with backoff [default: 3].
    #[arg(long, value_name = "N")]
    pub(crate) retries: Option<u32>,
    /// The config file to read instead of `$KFP_CONFIG` or `~/.config/kfp-rs/config`.
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
}

/// How to compile the pipeline for the server.
#[derive(clap::Args, Debug, Clone)]
pub(crate) struct BuildArgs {
    /// What to compile to and send: an Argo Workflow (KFP's v1beta1 API, or the Argo Server) or the
    /// KFP v2 IR (KFP's v2beta1 API).
    #[arg(long, value_enum, default_value_t = Target::Argo)]
    pub(crate) target: Target,
    /// With `--target kfp-v2`: leave out what the IR cannot express, with a warning each.
    #[arg(long)]
    pub(crate) lossy: bool,
    /// The Argo Workflows version of the cluster (3.4 ... 4.1) [default: 4.1].
    #[arg(long, value_name = "VERSION")]
    pub(crate) argo_version: Option<kfp_compiler::argo::ArgoVersion>,
    /// No step reuses a cached result.
    #[arg(long)]
    pub(crate) no_cache: bool,
    /// The service account the pods run as [default: the pipeline's, or pipeline-runner].
    #[arg(long, value_name = "NAME")]
    pub(crate) service_account: Option<String>,
}

/// `submit`.
#[derive(clap::Args, Debug, Clone)]
pub(crate) struct SubmitArgs {
    #[command(flatten)]
    pub(crate) server: ServerArgs,
    #[command(flatten)]
    pub(crate) build: BuildArgs,
    /// A value for a pipeline parameter (checked against its type); repeatable.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub(crate) params: Vec<String>,
    /// The KFP experiment the run goes in, created if missing [env: KFP_EXPERIMENT] [default: the
    /// server's].
    #[arg(long, value_name = "NAME")]
    pub(crate) experiment: Option<String>,
    /// The run's name [default: the pipeline's and the time].
    #[arg(long, value_name = "NAME")]
    pub(crate) run_name: Option<String>,
    /// With `--server kfp`: create the run from the compiled spec, without uploading the pipeline
    /// (by default the pipeline is uploaded, or a new version of it, and the run made from that).
    #[arg(long)]
    pub(crate) no_upload: bool,
    /// Wait for the run to finish, showing each step as it starts and ends; exit with the run's
    /// outcome.
    #[arg(long)]
    pub(crate) wait: bool,
    /// With `--wait`: how often to ask the KFP server, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0)]
    pub(crate) poll: f64,
    /// With `--wait`: give up after this many seconds (the run goes on).
    #[arg(long, value_name = "SECONDS")]
    pub(crate) wait_timeout: Option<f64>,
}

/// `upload`.
#[derive(clap::Args, Debug, Clone)]
pub(crate) struct UploadArgs {
    #[command(flatten)]
    pub(crate) server: ServerArgs,
    #[command(flatten)]
    pub(crate) build: BuildArgs,
    /// The version's name [default: the pipeline's and the time].
    #[arg(long, value_name = "NAME")]
    pub(crate) version: Option<String>,
    /// With `--server argo`: upload a ClusterWorkflowTemplate instead of a WorkflowTemplate.
    #[arg(long)]
    pub(crate) cluster: bool,
}

/// `schedule`.
#[derive(clap::Args, Debug, Clone)]
pub(crate) struct ScheduleArgs {
    #[command(flatten)]
    pub(crate) server: ServerArgs,
    #[command(flatten)]
    pub(crate) build: BuildArgs,
    /// A value for a pipeline parameter, for every run; repeatable.
    #[arg(long = "param", value_name = "NAME=VALUE")]
    pub(crate) params: Vec<String>,
    /// The KFP experiment the runs go in, created if missing [env: KFP_EXPERIMENT].
    #[arg(long, value_name = "NAME")]
    pub(crate) experiment: Option<String>,
    /// When to run: a cron expression. KFP takes six fields with seconds (`"0 0 3 * * *"`); Argo
    /// five (`"0 3 * * *"`), `@daily`, `"@every 6h"`.
    #[arg(long, value_name = "CRON", required_unless_present = "every")]
    pub(crate) schedule: Option<String>,
    /// With `--server kfp`: run every SECONDS instead of on a cron schedule.
    #[arg(long, value_name = "SECONDS", conflicts_with = "schedule")]
    pub(crate) every: Option<u64>,
    /// The schedule's name [default: the pipeline's].
    #[arg(long, value_name = "NAME")]
    pub(crate) name: Option<String>,
    /// At most this many runs at once [default: 1].
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub(crate) max_concurrency: u32,
    /// With `--server kfp`: after a pause, make up the runs that were missed.
    #[arg(long)]
    pub(crate) catchup: bool,
    /// With `--server kfp`: no run before this time (RFC 3339).
    #[arg(long, value_name = "TIME")]
    pub(crate) start: Option<String>,
    /// With `--server kfp`: no run after this time (RFC 3339).
    #[arg(long, value_name = "TIME")]
    pub(crate) end: Option<String>,
    /// With `--server argo`: the time zone of the schedule (`Europe/Paris`).
    #[arg(long, value_name = "ZONE")]
    pub(crate) timezone: Option<String>,
    /// Create it disabled (KFP) or suspended (Argo).
    #[arg(long)]
    pub(crate) disabled: bool,
}

/// `runs`.
#[derive(clap::Args, Debug, Clone)]
pub(crate) struct RunsArgs {
    #[command(flatten)]
    pub(crate) server: ServerArgs,
    /// A run's id (KFP) or workflow's name (Argo): show it and its steps. Without it, list the
    /// newest runs.
    pub(crate) id: Option<String>,
    /// With a run: wait for it to finish, showing its steps; exit with its outcome.
    #[arg(long, requires = "id")]
    pub(crate) wait: bool,
    /// List the runs of this KFP experiment.
    #[arg(long, value_name = "NAME", conflicts_with = "id")]
    pub(crate) experiment: Option<String>,
    /// How many runs to list.
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub(crate) limit: u32,
    /// With `--wait`: how often to ask the KFP server, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 5.0)]
    pub(crate) poll: f64,
    /// With `--wait`: give up after this many seconds.
    #[arg(long, value_name = "SECONDS")]
    pub(crate) wait_timeout: Option<f64>,
}

impl BuildArgs {
    /// The `compile` options these stand for, with `params` baked in and the object `kind` (JSON).
    pub(crate) fn compile_args(&self, params: &[String], kind: KindArg) -> super::super::CompileArgs {
        super::super::CompileArgs {
            output: None,
            format: super::super::Format::Json,
            params: params.to_vec(),
            service_account: self.service_account.clone(),
            no_service_account: false,
            target: self.target,
            lossy: self.lossy,
            argo_version: self.argo_version,
            no_cache: self.no_cache,
            kind,
            inline_libraries: false,
            name: None,
            schedule: Vec::new(),
            timezone: None,
            concurrency_policy: None,
            starting_deadline: None,
            split: false,
            max_size: None,
            quiet: false,
            no_lint: false,
        }
    }
}
