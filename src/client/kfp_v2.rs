//! The KFP API server's `v2beta1` calls: health, uploading a pipeline (the IR), runs.

use super::{Client, ClientError};

/// An uploaded pipeline.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PipelineRef {
    /// The server's id.
    pub pipeline_id: String,
    /// Its name.
    pub display_name: String,
}

/// A run.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RunRef {
    /// The server's id.
    pub run_id: String,
    /// `PENDING`, `RUNNING`, `SUCCEEDED`, `FAILED`, ...
    pub state: String,
}

/// `s` as a query-string value.
fn query(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn field(v: &serde_json::Value, name: &str) -> String {
    v[name].as_str().unwrap_or_default().to_owned()
}

impl Client {
    /// `GET /apis/v2beta1/healthz`: whether the server answers.
    ///
    /// # Errors
    /// A [`ClientError`] when it does not.
    pub fn healthz(&self) -> Result<serde_json::Value, ClientError> {
        self.request("GET", "/apis/v2beta1/healthz", None)
    }

    /// Uploads `yaml` (the IR `compile --target kfp-v2` writes) as a new pipeline named `name`
    /// (`POST /apis/v2beta1/pipelines/upload`, multipart).
    ///
    /// # Errors
    /// A [`ClientError`] when the server refuses it.
    pub fn upload_pipeline(&self, name: &str, yaml: &str) -> Result<PipelineRef, ClientError> {
        let boundary = "kfp-rs-boundary-7d1e0c2a9b";
        let mut body = Vec::with_capacity(yaml.len() + 256);
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        body.extend_from_slice(
            b"Content-Disposition: form-data; name=\"uploadfile\"; filename=\"pipeline.yaml\"\r\nContent-Type: application/x-yaml\r\n\r\n",
        );
        body.extend_from_slice(yaml.as_bytes());
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let path = format!("/apis/v2beta1/pipelines/upload?name={}&display_name={}", query(name), query(name));
        let content_type = format!("multipart/form-data; boundary={boundary}");
        let v = self.request("POST", &path, Some((&content_type, body)))?;
        Ok(PipelineRef { pipeline_id: field(&v, "pipeline_id"), display_name: field(&v, "display_name") })
    }

    /// Creates a run of `pipeline_spec` (the IR, as JSON) with `parameters`
    /// (`POST /apis/v2beta1/runs`).
    ///
    /// # Errors
    /// A [`ClientError`] when the server refuses it.
    pub fn create_run(
        &self,
        display_name: &str,
        pipeline_spec: serde_json::Value,
        parameters: &[(String, serde_json::Value)],
    ) -> Result<RunRef, ClientError> {
        let params: serde_json::Map<String, serde_json::Value> = parameters.iter().cloned().collect();
        let run = serde_json::json!({
            "display_name": display_name,
            "pipeline_spec": pipeline_spec,
            "runtime_config": {"parameters": params},
        });
        let body = serde_json::to_vec(&run).map_err(|e| ClientError::Decode {
            method: "POST",
            url: "/apis/v2beta1/runs".to_owned(),
            reason: e.to_string(),
        })?;
        let v = self.request("POST", "/apis/v2beta1/runs", Some(("application/json", body)))?;
        Ok(RunRef { run_id: field(&v, "run_id"), state: field(&v, "state") })
    }

    /// `GET /apis/v2beta1/runs/{id}`.
    ///
    /// # Errors
    /// A [`ClientError`] when the server refuses it.
    pub fn get_run(&self, run_id: &str) -> Result<RunRef, ClientError> {
        let v = self.request("GET", &format!("/apis/v2beta1/runs/{}", query(run_id)), None)?;
        Ok(RunRef { run_id: field(&v, "run_id"), state: field(&v, "state") })
    }
}
