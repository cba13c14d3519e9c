//! Clients of the servers that run pipelines (feature `client`): the Kubeflow Pipelines API server
//! ([`Kfp`], `v2beta1` for the IR and `v1beta1` for Argo YAML) and the Argo Server ([`Argo`]).
//! Blocking calls over HTTP(S) (ureq with rustls, no async runtime); one typed [`ClientError`] that
//! names the request, the status and the server's message.
//!
//! Why a feature: a clean debug build of a small pipeline crate (`examples/linear.rs` as its
//! `main.rs`, depending on `kfp` by path) took 89.9 s and 91.6 s with default features, 103.3 s and
//! 107.9 s with `client` (ureq 3, rustls, ring): +16 %, over the 15 % the issue allows by default.
//! Measured 2026-12-02 on the 2-core, 24 GiB machine, two runs each with fresh target directories.

mod argo;
mod endpoint;
mod error;
mod http;
mod kfp;
mod status;

pub use argo::{Argo, TemplateKind};
pub use endpoint::{Endpoint, Token};
pub use error::ClientError;
pub use kfp::{
    Experiment, Kfp, KfpApi, NewRecurringRun, NewRun, Pipeline, PipelineSource, PipelineVersion, RecurringRun, Trigger,
};
pub use status::{RunStatus, State, Step, Wait, argo_steps};
