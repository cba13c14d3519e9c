//! Lists of artifacts at run time: what an `Input<Vec<K>>` reads.
//!
//! On Argo and in the local runner a list input is a directory with one entry per iteration of the
//! loop that collected it (named by iteration index locally, by pod on Argo). The KFP v2 launcher has
//! no path placeholder for a list, so a Rust function component gets the whole executor input (`{{$}}`)
//! instead: [`list_dir_from_executor_input`] maps each artifact's uri to the path where the launcher
//! puts it (as kfp's `LocalPathForURI`) and links them, in list order, into a directory of the same
//! shape.

use std::path::{Path, PathBuf};

use crate::artifact::ConcreteKind;
use crate::handles::Input;

impl<K: ConcreteKind> Input<Vec<K>> {
    /// The artifacts of the list, one per iteration: the entries of [`path`](Self::path), in iteration
    /// order where the backend knows it (entries named by number are sorted by number, others by name).
    ///
    /// # Errors
    /// The directory cannot be read.
    pub fn paths(&self) -> Result<Vec<PathBuf>, String> {
        list_entries(&self.path())
    }
}

/// The entries of a list directory: numbered entries (`0`, `1`, ..., `10`) by number first, then the
/// others by name.
///
/// # Errors
/// The directory cannot be read.
pub fn list_entries(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let read = std::fs::read_dir(dir).map_err(|e| format!("cannot read the artifact list `{}`: {e}", dir.display()))?;
    let mut entries: Vec<(Option<u64>, String, PathBuf)> = Vec::new();
    for e in read {
        let e = e.map_err(|e| format!("cannot read the artifact list `{}`: {e}", dir.display()))?;
        let name = e.file_name().to_string_lossy().into_owned();
        entries.push((name.parse().ok(), name, e.path()));
    }
    entries.sort_by(|a, b| match (a.0, b.0) {
        (Some(x), Some(y)) => x.cmp(&y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.1.cmp(&b.1),
    });
    Ok(entries.into_iter().map(|(_, _, p)| p).collect())
}

/// The local path where the KFP v2 launcher puts the artifact at `uri` (kfp's `LocalPathForURI`):
/// `gs://b/k` is `/gcs/b/k`, `s3://b/k` is `/s3/b/k`, `minio://b/k` is `/minio/b/k`.
///
/// # Errors
/// Another scheme.
pub fn local_path_for_uri(uri: &str) -> Result<PathBuf, String> {
    for (scheme, root) in [("gs://", "/gcs/"), ("minio://", "/minio/"), ("s3://", "/s3/")] {
        if let Some(rest) = uri.strip_prefix(scheme) {
            return Ok(PathBuf::from(format!("{root}{rest}")));
        }
    }
    if let Some(rest) = uri.strip_prefix("oci://") {
        return Ok(PathBuf::from(format!("/oci/{}/models", rest.replace('/', "_"))));
    }
    Err(format!("artifact uri `{uri}` has a storage scheme the KFP launcher does not mount (gs, s3, minio, oci)"))
}

/// The local paths of list input `name` in a KFP v2 executor input (the JSON the launcher substitutes
/// for `{{$}}`): `inputs.artifacts.<name>.artifacts[].uri`, in list order.
///
/// # Errors
/// Text that is not an executor input, an input that is not there, or a uri with an unknown scheme.
pub fn list_paths_from_executor_input(executor_input: &str, name: &str) -> Result<Vec<PathBuf>, String> {
    let v: serde_json::Value =
        serde_json::from_str(executor_input).map_err(|e| format!("the executor input is not JSON: {e}"))?;
    let list = v
        .pointer(&format!("/inputs/artifacts/{}/artifacts", name.replace('~', "~0").replace('/', "~1")))
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| format!("the executor input has no artifact list `{name}`"))?;
    list.iter()
        .map(|a| {
            let uri = a.get("uri").and_then(serde_json::Value::as_str);
            local_path_for_uri(uri.ok_or_else(|| format!("an artifact of list `{name}` has no uri"))?)
        })
        .collect()
}

/// A directory under `parent` holding one link per artifact of list input `name` of the executor
/// input, named by position (`0`, `1`, ...), so the list reads as on the other backends.
///
/// # Errors
/// As [`list_paths_from_executor_input`], or links that cannot be made.
pub fn list_dir_from_executor_input(executor_input: &str, name: &str, parent: &Path) -> Result<PathBuf, String> {
    let paths = list_paths_from_executor_input(executor_input, name)?;
    let dir = parent.join(name);
    // Made afresh each time the input is read (the links of an earlier read would be in the way).
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    for (i, p) in paths.iter().enumerate() {
        let link = dir.join(i.to_string());
        link_path(p, &link).map_err(|e| format!("cannot link `{}` to `{}`: {e}", link.display(), p.display()))?;
    }
    Ok(dir)
}

#[cfg(unix)]
fn link_path(target: &Path, link: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
fn link_path(target: &Path, link: &Path) -> std::io::Result<()> {
    if target.is_dir() { std::fs::create_dir_all(link) } else { std::fs::copy(target, link).map(|_| ()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_map_to_the_launchers_paths() {
        assert_eq!(local_path_for_uri("gs://b/k/shard").unwrap(), PathBuf::from("/gcs/b/k/shard"));
        assert_eq!(local_path_for_uri("s3://b/k").unwrap(), PathBuf::from("/s3/b/k"));
        assert_eq!(local_path_for_uri("minio://mlpipeline/v2/x").unwrap(), PathBuf::from("/minio/mlpipeline/v2/x"));
        assert_eq!(local_path_for_uri("oci://reg/m:1").unwrap(), PathBuf::from("/oci/reg_m:1/models"));
        assert_eq!(
            local_path_for_uri("file:///tmp/x").unwrap_err(),
            "artifact uri `file:///tmp/x` has a storage scheme the KFP launcher does not mount (gs, s3, minio, oci)"
        );
    }

    #[test]
    fn executor_input_lists_parse_in_order() {
        let input = r#"{"inputs": {"artifacts": {"shards": {"artifacts": [
            {"name": "a", "uri": "minio://mlpipeline/v2/run/make-shard-1/shard"},
            {"name": "b", "uri": "gs://b/run/make-shard-2/shard"}]}},
            "parameterValues": {"counts": [1, 2]}}}"#;
        assert_eq!(
            list_paths_from_executor_input(input, "shards").unwrap(),
            vec![
                PathBuf::from("/minio/mlpipeline/v2/run/make-shard-1/shard"),
                PathBuf::from("/gcs/b/run/make-shard-2/shard")
            ]
        );
        assert_eq!(
            list_paths_from_executor_input(input, "other").unwrap_err(),
            "the executor input has no artifact list `other`"
        );
        assert!(
            list_paths_from_executor_input("{{$}}", "shards")
                .unwrap_err()
                .starts_with("the executor input is not JSON")
        );
        let empty = r#"{"inputs": {"artifacts": {"shards": {"artifacts": []}}}}"#;
        assert_eq!(list_paths_from_executor_input(empty, "shards").unwrap(), Vec::<PathBuf>::new());
    }

    #[test]
    fn list_directories_read_in_iteration_order() {
        let dir = std::env::temp_dir().join(format!("kfp-list-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for name in ["10", "2", "0", "pod-b", "pod-a"] {
            std::fs::create_dir_all(dir.join(name)).unwrap();
        }
        let names: Vec<String> =
            list_entries(&dir).unwrap().iter().map(|p| p.file_name().unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["0", "2", "10", "pod-a", "pod-b"]);
        let input = Input::<Vec<crate::Dataset>>::at(&dir);
        assert_eq!(input.paths().unwrap().len(), 5);
        let linked = list_dir_from_executor_input(
            r#"{"inputs": {"artifacts": {"xs": {"artifacts": [{"uri": "s3://b/one"}, {"uri": "s3://b/two"}]}}}}"#,
            "xs",
            &dir.join("links"),
        )
        .unwrap();
        let targets: Vec<PathBuf> =
            list_entries(&linked).unwrap().iter().map(|p| std::fs::read_link(p).unwrap()).collect();
        assert_eq!(targets, [PathBuf::from("/s3/b/one"), PathBuf::from("/s3/b/two")]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
