//! Artifacts from outside the run, in the local runner: an artifact argument with a location (an
//! importer's `http`, `s3`, `gcs` or `git`, or the `raw` text of a value passed as a file) becomes a
//! file of the run directory, or the local path itself.
//!
//! The runner reads local paths (`file://PATH` or a plain path, given in place of an `http(s)` URL)
//! and `http://` URLs, with a plain HTTP/1.0 GET over `std::net` (no redirects, no TLS: no HTTP client
//! is linked in for this). `https://`, `s3://`, `gs://` and git repositories need credentials or TLS
//! the runner does not have: they are a clear error naming the URI; download the object and give its
//! path instead.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use kfp_compiler::argo::ArtifactRef;

use super::expr;

/// Numbers the files this run writes (one directory per argument read).
static NEXT: AtomicUsize = AtomicUsize::new(0);

/// The local file of argument `a` when it has a location outside the run (`None`: it has none).
pub(super) fn external(
    workdir: &Path,
    a: &ArtifactRef,
    scope: &dyn Fn(&str) -> Option<String>,
) -> Option<Result<PathBuf, String>> {
    let sub = |text: &str| expr::substitute(text, &mut |x| scope(x));
    let unreadable = |uri: String| {
        Err(format!(
            "the local runner cannot read `{uri}`: it reads local paths and http:// URLs; download the object \
             and pass its path (or an http:// URL), or run the pipeline on a cluster"
        ))
    };
    let result = if let Some(raw) = &a.external.raw {
        sub(&raw.data).and_then(|text| write(workdir, &a.name, text.as_bytes()))
    } else if let Some(http) = &a.external.http {
        sub(&http.url).and_then(|url| read(workdir, &a.name, &url))
    } else if let Some(gcs) = &a.external.gcs {
        unreadable(format!("gs://{}/{}", gcs.bucket, gcs.key))
    } else if let Some(git) = &a.external.git {
        unreadable(format!("git+{}", git.repo))
    } else if let Some(s3) = a.s3.as_ref().filter(|s| s.is_external()) {
        unreadable(format!("s3://{}/{}", s3.bucket.as_deref().unwrap_or_default(), s3.key))
    } else {
        return None;
    };
    Some(result.map_err(|e| format!("artifact `{}`: {e}", a.name)))
}

/// Reads `uri` (an `http://` URL or a local path) into a file of the run, or gives the local path.
fn read(workdir: &Path, name: &str, uri: &str) -> Result<PathBuf, String> {
    if let Some(rest) = uri.strip_prefix("http://") {
        return write(workdir, name, &get(rest, uri)?);
    }
    let path = match uri.strip_prefix("file://") {
        Some(p) => p,
        None if uri.contains("://") => {
            return Err(format!(
                "the local runner cannot read `{uri}`: it reads local paths and http:// URLs (https needs TLS, \
                 which the runner does not include); download the file and pass its path"
            ));
        }
        None => uri,
    };
    let path = PathBuf::from(path);
    if !path.exists() {
        return Err(format!("`{}` does not exist", path.display()));
    }
    Ok(path)
}

/// Writes `data` to a new file of the run.
fn write(workdir: &Path, name: &str, data: &[u8]) -> Result<PathBuf, String> {
    let dir = workdir.join("imports").join(format!("{}-{name}", NEXT.fetch_add(1, Ordering::Relaxed)));
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    let file = dir.join("data");
    std::fs::write(&file, data).map_err(|e| format!("cannot write `{}`: {e}", file.display()))?;
    Ok(file)
}

/// `GET` of `http://{rest}` (HTTP/1.0: the body ends when the server closes the connection).
fn get(rest: &str, url: &str) -> Result<Vec<u8>, String> {
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let host_port = if authority.contains(':') { authority.to_owned() } else { format!("{authority}:80") };
    let fail = |e: std::io::Error| format!("cannot read `{url}`: {e}");
    let mut s = TcpStream::connect(&host_port).map_err(fail)?;
    s.set_read_timeout(Some(Duration::from_secs(300))).map_err(fail)?;
    let request = format!("GET {path} HTTP/1.0\r\nHost: {authority}\r\nConnection: close\r\n\r\n");
    s.write_all(request.as_bytes()).map_err(fail)?;
    let mut response = Vec::new();
    s.read_to_end(&mut response).map_err(fail)?;
    let Some(end) = response.windows(4).position(|w| w == b"\r\n\r\n") else {
        return Err(format!("cannot read `{url}`: the response has no header"));
    };
    let head = String::from_utf8_lossy(&response[..end]);
    let status = head.lines().next().unwrap_or_default();
    let code = status.split_whitespace().nth(1).unwrap_or_default();
    if !code.starts_with('2') {
        return Err(format!("cannot read `{url}`: the server answered `{status}`"));
    }
    Ok(response[end + 4..].to_vec())
}
