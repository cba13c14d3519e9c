//! Artifact locations outside the workflow's artifact repository, on a task's artifact argument:
//! `raw` (the text itself), `http`, `gcs`, `git`, and the full `s3` location (`S3Key` with an
//! endpoint and a bucket). Fields as in Argo's `RawArtifact`, `HTTPArtifact`, `GCSArtifact`,
//! `GitArtifact` (v3.4 to v4.1).

use serde::{Deserialize, Serialize};

/// The locations an artifact argument may have besides `from` and a repository key (flattened into
/// the artifact).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct ExternalLocation {
    /// `raw: {data}`: the file's content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw: Option<RawArtifact>,
    /// `http: {url}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http: Option<HttpArtifact>,
    /// `gcs: {bucket, key}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gcs: Option<GcsArtifact>,
    /// `git: {repo, revision}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub git: Option<GitArtifact>,
}

/// `raw: {data}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RawArtifact {
    /// The content.
    pub data: String,
}

/// `http: {url}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HttpArtifact {
    /// The URL.
    pub url: String,
}

/// `gcs: {bucket, key}`: credentials are the pod's (workload identity or the node's service account).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GcsArtifact {
    /// The bucket.
    pub bucket: String,
    /// The object's key.
    pub key: String,
}

/// `git: {repo, revision}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GitArtifact {
    /// The repository URL.
    pub repo: String,
    /// A branch, tag or commit (`None`: the default branch).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<String>,
}

impl ExternalLocation {
    /// `raw: {data}`.
    pub fn raw(data: String) -> Self {
        ExternalLocation { raw: Some(RawArtifact { data }), ..Self::default() }
    }

    /// `http: {url}`.
    pub fn http(url: String) -> Self {
        ExternalLocation { http: Some(HttpArtifact { url }), ..Self::default() }
    }

    /// `gcs: {bucket, key}`.
    pub fn gcs(bucket: String, key: String) -> Self {
        ExternalLocation { gcs: Some(GcsArtifact { bucket, key }), ..Self::default() }
    }

    /// `git: {repo, revision}`.
    pub fn git(repo: String, revision: Option<String>) -> Self {
        ExternalLocation { git: Some(GitArtifact { repo, revision }), ..Self::default() }
    }

    /// Whether no location is set.
    pub fn is_empty(&self) -> bool {
        self.raw.is_none() && self.http.is_none() && self.gcs.is_none() && self.git.is_none()
    }
}
