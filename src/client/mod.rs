//! Clients of the servers that run pipelines (feature `client`): the Kubeflow Pipelines API server
//! ([`Kfp`], `v2beta1` for the IR and `v1beta1` for Argo YAML) and the Argo Server ([`Argo`]).
//! Blocking calls over HTTP(S) (ureq with rustls, no async runtime); one typed [`ClientError`] that
//! names the request, the status and the server's message.
//!
//! Why a feature: a clean debug build of a small pipeline crate (`.ci/build-cost 3`) took a median of
//! 53.9 s with default features and 67.2 s with `client` (ureq 3, rustls, ring): +25 %, over the 15 %
//! a default may cost. Measured 2026-12-02 on the 2-core, 24 GiB machine.

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
