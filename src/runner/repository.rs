//! Key-only artifacts (`s3: {key: ...}`, how Argo fans artifacts in from a loop) in the local runner:
//! a directory of the run stands for the cluster's artifact repository. A step writes such an output
//! to its key there; an argument read from a key is the directory of what was written under it. The
//! runner's `{{pod.name}}` is the step's iteration index in its loop, so a collected list reads in
//! iteration order (`0`, `1`, ...).

use std::path::{Component, Path, PathBuf};

use super::expr;

/// The directory standing for the artifact repository.
pub(super) fn root(workdir: &Path) -> PathBuf {
    workdir.join("artifact-repository")
}

/// The local path of `key` (substituted with `lookup`) in the repository of `workdir`.
///
/// # Errors
/// A reference that cannot be substituted, or a key that would leave the repository.
pub(super) fn key_path(
    workdir: &Path,
    key: &str,
    lookup: &mut dyn FnMut(&str) -> Option<String>,
) -> Result<PathBuf, String> {
    let key = expr::substitute(key, lookup)?;
    let rel = Path::new(&key);
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err(format!("artifact key `{key}` is not a relative path inside the artifact repository"));
    }
    Ok(root(workdir).join(rel))
}

/// The runner's `{{pod.name}}` for the step at `path`: its iteration index in the innermost loop
/// around it (`3` for `root/for-loop-1(3)/make`), or its path's last part outside loops.
pub(super) fn pod_name(path: &str) -> String {
    if let Some(end) = path.rfind(')')
        && let Some(start) = path[..end].rfind('(')
        && path[start + 1..end].bytes().all(|b| b.is_ascii_digit())
        && end > start + 1
    {
        return path[start + 1..end].to_owned();
    }
    path.rsplit('/').next().unwrap_or("step").to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pod_names_are_iteration_indices() {
        assert_eq!(pod_name("p/for-loop-1(3)/make"), "3");
        assert_eq!(pod_name("p/for-loop-1/for-loop-1(12)/make"), "12");
        assert_eq!(pod_name("p/make"), "make");
    }

    #[test]
    fn keys_stay_inside_the_repository() {
        let mut lookup = |x: &str| (x == "workflow.uid").then(|| "run".to_owned());
        let p = key_path(Path::new("/w"), "{{workflow.uid}}/kfp-fan-in/l/o", &mut lookup).unwrap();
        assert_eq!(p, PathBuf::from("/w/artifact-repository/run/kfp-fan-in/l/o"));
        assert!(key_path(Path::new("/w"), "../x", &mut lookup).unwrap_err().contains("not a relative path"));
        assert!(key_path(Path::new("/w"), "/x", &mut lookup).is_err());
    }
}
