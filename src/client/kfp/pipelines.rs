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
    /// as JSON), `v2beta1` only.
    ///
    /// Not through `POST /apis/v2beta1/pipelines/create`: the server (2.2.0 through 2.17.0,
    /// `CreatePipelineAndVersion`) reads only `pipeline_version.package_url` there and downloads the
    /// spec from that URL; a `pipeline_spec` in the body is ignored, and so is it by
    /// `POST /pipelines/{id}/versions`. So this is `POST /apis/v2beta1/pipelines` (JSON: the pipeline,
    /// no version) and then the multipart `upload_version` of `spec` as JSON text, named
    /// `version_name`; when the upload fails the new, empty pipeline is deleted again.
    ///
    /// `v1beta1` has no way either (its `POST /pipelines` takes a URL to fetch, not a spec).
    ///
    /// # Errors
    /// [`ClientError::Setup`] with `v1beta1` (use [`Kfp::upload_pipeline`]); a [`ClientError`] when
    /// the server refuses the pipeline or the version (the version's error when both fail).
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
        let path = self.path("/pipelines", &[]);
        let v = self.http.post(&path, &v2::pipeline_body(name, self.namespace.as_deref()))?;
        let pipeline = self.decode("POST", &path, || v2::pipeline(&v))?;
        let file = serde_json::to_string(spec).map_err(|e| ClientError::Setup(format!("the pipeline spec: {e}")))?;
        match self.upload_pipeline_version(&pipeline.id, version_name, &file) {
            Ok(version) => Ok((pipeline, version)),
            Err(e) => {
                let _ = self.http.delete(&self.path(&format!("/pipelines/{}", enc(&pipeline.id)), &[]));
                Err(e)
            }
        }
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
