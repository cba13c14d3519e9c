//! The Kubeflow Pipelines API server: `v2beta1` (takes the IR) and `v1beta1` (takes Argo YAML).

use super::http::Http;
use super::{ClientError, Endpoint};

/// Which API of the KFP server to call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum KfpApi {
    /// `/apis/v1beta1`: pipelines are Argo Workflows (`compile --target argo`).
    V1beta1,
    /// `/apis/v2beta1`: pipelines are the KFP IR (`compile --target kfp-v2`).
    V2beta1,
}

/// A client of a Kubeflow Pipelines API server.
#[derive(Debug)]
pub struct Kfp {
    http: Http,
    api: KfpApi,
}

impl Kfp {
    /// A client of the server at `endpoint`, calling `api`.
    ///
    /// # Errors
    /// [`ClientError::Setup`] when the endpoint's CA file cannot be read or parsed.
    pub fn new(endpoint: Endpoint, api: KfpApi) -> Result<Self, ClientError> {
        Ok(Kfp { http: Http::new(endpoint)?, api })
    }

    /// The API this client calls.
    pub fn api(&self) -> KfpApi {
        self.api
    }

    fn prefix(&self) -> &'static str {
        match self.api {
            KfpApi::V1beta1 => "/apis/v1beta1",
            KfpApi::V2beta1 => "/apis/v2beta1",
        }
    }

    /// `GET /apis/{v1beta1,v2beta1}/healthz`: whether the server answers.
    ///
    /// # Errors
    /// A [`ClientError`] when it does not.
    pub fn healthz(&self) -> Result<(), ClientError> {
        self.http.get(&format!("{}/healthz", self.prefix())).map(drop)
    }
}
