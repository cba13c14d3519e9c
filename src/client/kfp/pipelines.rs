//! Pipelines, their versions and experiments.

use serde_json::Value;

use super::{Experiment, Kfp, Pipeline, PipelineVersion, name_filter, v1, v2};
use crate::client::ClientError;
use crate::client::http::{Body, enc};

/// The multipart part's file name: the server picks the format by its extension
/// (`ReadPipelineFile`: `.yaml`/`.yml`, `.json`, or a zip/tarball by content).
fn file_name(file: &str) -> &'static str {
    if file.trim_start().starts_with('{') { "pipeline.json" } else { "pipeline.yaml" }
}

impl Kfp {
    /// Uploads a compiled pipeline as a new pipeline named `name`
    /// (`POST /apis/{v1beta1,v2beta1}/pipelines/upload?name=&description=&namespace=`, multipart
    /// part `uploadfile`). `file` is YAML or JSON text: the IR for `v2beta1`, an Argo Workflow for
    /// `v1beta1`.
    ///
    /// # Errors
    /// A [`ClientError`] when the server refuses it (a name that is taken: 409 or 500 with the
    /// server's message).
    pub fn upload_pipeline(&self, name: &str, description: Option<&str>, file: &str) -> Result<Pipeline, ClientError> {
        let path = self.path(
            "/pipelines/upload",
            &[("name", name), ("description", description.unwrap_or_default()), ("namespace", self.ns())],
        );
        let body = Body::Multipart { field: "uploadfile", filename: file_name(file), content: file.as_bytes() };
        let v = self.http.call("POST", &path, body)?;
        self.decode("POST", &path, || if self.v2() { v2::pipeline(&v) } else { v1::pipeline(&v) })
    }

    /// Uploads a compiled pipeline as a new version named `version_name` of the pipeline
    /// `pipeline_id` (`POST /apis/{v1beta1,v2beta1}/pipelines/upload_version?name=&pipelineid=`,
    /// multipart part `uploadfile`).
    ///
    /// # Errors
    /// A [`ClientError`] when the server refuses it.
    pub fn upload_pipeline_version(
        &self,
        pipeline_id: &str,
        version_name: &str,
        file: &str,
    ) -> Result<PipelineVersion, ClientError> {
        let path = self.path("/pipelines/upload_version", &[("name", version_name), ("pipelineid", pipeline_id)]);
        let body = Body::Multipart { field: "uploadfile", filename: file_name(file), content: file.as_bytes() };
        let v = self.http.call("POST", &path, body)?;
        self.decode(
            "POST",
            &path,
            || {
                if self.v2() { v2::version(&v, pipeline_id) } else { v1::version(&v, pipeline_id) }
            },
        )
    }

    /// Creates a pipeline named `name` with a first version `version_name` holding `spec` (the IR
    /// as JSON): `POST /apis/v2beta1/pipelines/create`. The server answers with the pipeline only,
    /// so the version is then found among the pipeline's versions by name.
    ///
    /// `v1beta1` has no such call (its `POST /pipelines` takes a URL to fetch, not a spec).
    ///
    /// # Errors
    /// [`ClientError::Setup`] with `v1beta1` (use [`Kfp::upload_pipeline`]); a [`ClientError`] when
    /// the server refuses it.
    pub fn create_pipeline_and_version(
        &self,
        name: &str,
        version_name: &str,
        spec: &Value,
    ) -> Result<(Pipeline, PipelineVersion), ClientError> {
        if !self.v2() {
            return Err(ClientError::Setup(
                "the KFP v1beta1 API cannot create a pipeline from a spec in JSON: use upload_pipeline (multipart)"
                    .to_owned(),
            ));
        }
        let path = self.path("/pipelines/create", &[]);
        let body = v2::pipeline_and_version_body(name, version_name, spec, self.namespace.as_deref());
        let v = self.http.post(&path, &body)?;
        let pipeline = self.decode("POST", &path, || v2::pipeline(&v))?;
        let versions = self.list_pipeline_versions(&pipeline.id)?;
        let version =
            versions.iter().find(|v| v.name == version_name).or(versions.first()).cloned().ok_or_else(|| {
                ClientError::Decode {
                    method: "GET",
                    url: self.http.url(&self.path(&format!("/pipelines/{}/versions", enc(&pipeline.id)), &[])),
                    reason: format!("the new pipeline {} lists no version", pipeline.id),
                }
            })?;
        Ok((pipeline, version))
    }

    /// `GET /apis/v2beta1/pipelines/{id}` or `GET /apis/v1beta1/pipelines/{id}`.
    ///
    /// # Errors
    /// A [`ClientError`] (404 when there is no such pipeline).
    pub fn get_pipeline(&self, id: &str) -> Result<Pipeline, ClientError> {
        let path = self.path(&format!("/pipelines/{}", enc(id)), &[]);
        let v = self.http.get(&path)?;
        self.decode("GET", &path, || if self.v2() { v2::pipeline(&v) } else { v1::pipeline(&v) })
    }

    /// Every pipeline (`GET .../pipelines`, following `next_page_token`).
    ///
    /// # Errors
    /// A [`ClientError`] when a page cannot be had.
    pub fn list_pipelines(&self) -> Result<Vec<Pipeline>, ClientError> {
        self.pipelines_where(None)
    }

    fn pipelines_where(&self, filter: Option<&str>) -> Result<Vec<Pipeline>, ClientError> {
        let filter = filter.unwrap_or_default();
        let query =
            if self.v2() { vec![("namespace", self.ns()), ("filter", filter)] } else { vec![("filter", filter)] };
        let items = self.list_all("/pipelines", &query, &["pipelines"])?;
        let path = self.path("/pipelines", &query);
        items
            .iter()
            .map(|v| self.decode("GET", &path, || if self.v2() { v2::pipeline(v) } else { v1::pipeline(v) }))
            .collect()
    }

    /// The pipeline named exactly `name`, if there is one: `v2beta1`
    /// `GET /pipelines/names/{name}` (404: none); `v1beta1` a `name EQUALS` filter on the list.
    ///
    /// # Errors
    /// A [`ClientError`] other than "not found".
    pub fn find_pipeline(&self, name: &str) -> Result<Option<Pipeline>, ClientError> {
        if self.v2() {
            let path = self.path(&format!("/pipelines/names/{}", enc(name)), &[("namespace", self.ns())]);
            return match self.http.get(&path) {
                Ok(v) => self.decode("GET", &path, || v2::pipeline(&v)).map(Some),
                Err(e) if e.status() == Some(404) => Ok(None),
                Err(e) => Err(e),
            };
        }
        let filter = name_filter(self.api, "name", name);
        Ok(self.pipelines_where(Some(&filter))?.into_iter().find(|p| p.name == name))
    }

    /// Every version of the pipeline `pipeline_id`, newest first: `v2beta1`
    /// `GET /pipelines/{id}/versions`; `v1beta1` `GET /pipeline_versions?resource_key.type=PIPELINE`.
    ///
    /// # Errors
    /// A [`ClientError`] when a page cannot be had.
    pub fn list_pipeline_versions(&self, pipeline_id: &str) -> Result<Vec<PipelineVersion>, ClientError> {
        let sort = [("sort_by", "created_at desc")];
        let (path, items) = if self.v2() {
            let path = format!("/pipelines/{}/versions", enc(pipeline_id));
            let items = self.list_all(&path, &sort, &["pipeline_versions"])?;
            (path, items)
        } else {
            let query = [("resource_key.type", "PIPELINE"), ("resource_key.id", pipeline_id), sort[0]];
            ("/pipeline_versions".to_owned(), self.list_all("/pipeline_versions", &query, &["versions"])?)
        };
        let path = self.path(&path, &[]);
        items
            .iter()
            .map(|v| {
                self.decode("GET", &path, || {
                    if self.v2() { v2::version(v, pipeline_id) } else { v1::version(v, pipeline_id) }
                })
            })
            .collect()
    }

    /// Creates an experiment (`POST .../experiments`), in the client's namespace if it has one.
    ///
    /// # Errors
    /// A [`ClientError`] when the server refuses it (a name that is taken).
    pub fn create_experiment(&self, name: &str, description: Option<&str>) -> Result<Experiment, ClientError> {
        let path = self.path("/experiments", &[]);
        let ns = self.namespace.as_deref();
        let body = if self.v2() {
            v2::experiment_body(name, description, ns)
        } else {
            v1::experiment_body(name, description, ns)
        };
        let v = self.http.post(&path, &body)?;
        self.decode("POST", &path, || if self.v2() { v2::experiment(&v) } else { v1::experiment(&v) })
    }

    /// `GET .../experiments/{id}`.
    ///
    /// # Errors
    /// A [`ClientError`] (404 when there is no such experiment).
    pub fn get_experiment(&self, id: &str) -> Result<Experiment, ClientError> {
        let path = self.path(&format!("/experiments/{}", enc(id)), &[]);
        let v = self.http.get(&path)?;
        self.decode("GET", &path, || if self.v2() { v2::experiment(&v) } else { v1::experiment(&v) })
    }

    /// Every experiment (in the client's namespace), following `next_page_token`.
    ///
    /// # Errors
    /// A [`ClientError`] when a page cannot be had.
    pub fn list_experiments(&self) -> Result<Vec<Experiment>, ClientError> {
        self.experiments_where(None)
    }

    fn experiments_where(&self, filter: Option<&str>) -> Result<Vec<Experiment>, ClientError> {
        let filter = filter.unwrap_or_default();
        let query = if self.v2() {
            vec![("namespace", self.ns()), ("filter", filter)]
        } else if let Some(ns) = self.namespace.as_deref() {
            vec![("resource_reference_key.type", "NAMESPACE"), ("resource_reference_key.id", ns), ("filter", filter)]
        } else {
            vec![("filter", filter)]
        };
        let items = self.list_all("/experiments", &query, &["experiments"])?;
        let path = self.path("/experiments", &query);
        items
            .iter()
            .map(|v| self.decode("GET", &path, || if self.v2() { v2::experiment(v) } else { v1::experiment(v) }))
            .collect()
    }

    /// The experiment named exactly `name` (a name filter on the list), created when there is none.
    ///
    /// # Errors
    /// A [`ClientError`] when the list or the create fails.
    pub fn experiment(&self, name: &str) -> Result<Experiment, ClientError> {
        let key = if self.v2() { "display_name" } else { "name" };
        let filter = name_filter(self.api, key, name);
        if let Some(found) = self.experiments_where(Some(&filter))?.into_iter().find(|e| e.name == name) {
            return Ok(found);
        }
        self.create_experiment(name, None)
    }
}
