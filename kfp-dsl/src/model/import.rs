//! Artifacts that come from outside the pipeline: an external object imported by its URI (kfp's
//! `dsl.importer`), or a literal or parameter passed to a step as a file (kfp v1's
//! `InputArgumentPath`). Such a "task" runs nothing: the Argo backend puts the location on the
//! consuming task's artifact argument, the KFP v2 IR has an `importer` task for a URI.

/// What an import task brings in. Its component has one parameter input (the URI or the text, the
/// task's only argument) and one artifact output, `artifact`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ImportSource {
    /// An object at a URI written in the pipeline, parsed when the pipeline is built.
    Uri(Location),
    /// An object at an `http(s)` URL that a pipeline value holds (its scheme is not known when the
    /// pipeline is compiled, and Argo needs it: a parameter is read as an `http(s)` URL).
    HttpParam,
    /// The value itself (a literal or a parameter) is the file's content.
    Text,
}

impl ImportSource {
    /// The name of the import component's one input.
    pub fn input_name(&self) -> &'static str {
        match self {
            ImportSource::Uri(_) | ImportSource::HttpParam => "uri",
            ImportSource::Text => "text",
        }
    }
}

/// Where an external object is: a URI split into the fields Argo's artifact locations have.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Location {
    /// `s3://bucket/key` (Amazon S3).
    S3 {
        /// The bucket.
        bucket: String,
        /// The key.
        key: String,
    },
    /// `gs://bucket/key` (Google Cloud Storage).
    Gcs {
        /// The bucket.
        bucket: String,
        /// The key.
        key: String,
    },
    /// `http://...` or `https://...`.
    Http {
        /// The URL.
        url: String,
    },
    /// `git+https://host/repo.git` or `git+https://host/repo.git@revision`: a git repository's checkout.
    Git {
        /// The repository's URL (`https://...`).
        repo: String,
        /// A branch, tag or commit.
        revision: Option<String>,
    },
}

impl Location {
    /// Parses a URI: `s3://bucket/key`, `gs://bucket/key`, `http(s)://host/...` or
    /// `git+https://host/repo.git[@revision]`.
    ///
    /// # Errors
    /// What is wrong with the URI and how to write it, in one line.
    pub fn parse(uri: &str) -> Result<Location, String> {
        const FORMS: &str = "write `s3://BUCKET/KEY`, `gs://BUCKET/KEY`, `https://HOST/PATH` or \
                             `git+https://HOST/REPO.git[@REVISION]`";
        if uri.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(format!("the URI `{}` contains white space or a control character", uri.escape_debug()));
        }
        let Some((scheme, rest)) = uri.split_once("://") else {
            return Err(format!("the URI `{uri}` has no scheme: {FORMS}"));
        };
        let bucket_key = |what: &str| -> Result<(String, String), String> {
            let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
            if bucket.is_empty() {
                return Err(format!("the {what} URI `{uri}` has no bucket: {FORMS}"));
            }
            if key.is_empty() {
                return Err(format!("the {what} URI `{uri}` has no key (the object's path in the bucket): {FORMS}"));
            }
            Ok((bucket.to_owned(), key.to_owned()))
        };
        let host = |rest: &str| rest.split('/').next().unwrap_or_default().is_empty();
        match scheme {
            "s3" => bucket_key("s3").map(|(bucket, key)| Location::S3 { bucket, key }),
            "gs" => bucket_key("gs").map(|(bucket, key)| Location::Gcs { bucket, key }),
            "http" | "https" if host(rest) => Err(format!("the URL `{uri}` has no host: {FORMS}")),
            "http" | "https" => Ok(Location::Http { url: uri.to_owned() }),
            "git+https" | "git+http" => {
                let url = &uri["git+".len()..];
                // `@revision` after the last `/` (an `@` before the host is a user name).
                let last = url.rfind('/').unwrap_or(0);
                let (repo, revision) = match url[last..].rfind('@') {
                    Some(at) => (&url[..last + at], Some(&url[last + at + 1..])),
                    None => (url, None),
                };
                if host(&repo[repo.find("://").map_or(0, |i| i + 3)..]) {
                    return Err(format!("the git URI `{uri}` has no host: {FORMS}"));
                }
                if revision.is_some_and(str::is_empty) {
                    return Err(format!("the git URI `{uri}` ends in `@` with no revision: {FORMS}"));
                }
                Ok(Location::Git { repo: repo.to_owned(), revision: revision.map(str::to_owned) })
            }
            other => Err(format!("the URI scheme `{other}` is not one the importer reads: {FORMS}")),
        }
    }

    /// The URI, as written.
    pub fn uri(&self) -> String {
        match self {
            Location::S3 { bucket, key } => format!("s3://{bucket}/{key}"),
            Location::Gcs { bucket, key } => format!("gs://{bucket}/{key}"),
            Location::Http { url } => url.clone(),
            Location::Git { repo, revision: None } => format!("git+{repo}"),
            Location::Git { repo, revision: Some(r) } => format!("git+{repo}@{r}"),
        }
    }
}

/// An import component's implementation.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct ImportSpec {
    /// What it brings in.
    pub source: ImportSource,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_split_into_location_fields() {
        assert_eq!(
            Location::parse("s3://b/dir/x.csv"),
            Ok(Location::S3 { bucket: "b".into(), key: "dir/x.csv".into() })
        );
        assert_eq!(Location::parse("gs://b/k"), Ok(Location::Gcs { bucket: "b".into(), key: "k".into() }));
        assert_eq!(Location::parse("https://h/p?q=1"), Ok(Location::Http { url: "https://h/p?q=1".into() }));
        assert_eq!(
            Location::parse("git+https://u@github.com/o/r.git@v1.2"),
            Ok(Location::Git { repo: "https://u@github.com/o/r.git".into(), revision: Some("v1.2".into()) })
        );
        assert_eq!(
            Location::parse("git+https://github.com/o/r.git"),
            Ok(Location::Git { repo: "https://github.com/o/r.git".into(), revision: None })
        );
        for uri in ["s3://b/k", "gs://b/k/l", "https://h/x", "git+https://h/r.git@main"] {
            assert_eq!(Location::parse(uri).unwrap().uri(), uri);
        }
    }

    #[test]
    fn bad_uris_say_what_is_missing() {
        let err = |u: &str| Location::parse(u).unwrap_err();
        assert!(err("data.csv").contains("has no scheme"), "{}", err("data.csv"));
        assert!(err("s3:///k").contains("has no bucket"));
        assert!(err("gs://b").contains("has no key"));
        assert!(err("gs://b/").contains("has no key"));
        assert!(err("https:///x").contains("has no host"));
        assert!(err("ftp://h/x").contains("scheme `ftp`"));
        assert!(err("git+https://h/r.git@").contains("no revision"));
        assert!(err("s3://b/k\nx").contains("control character"));
        assert!(err("https://h/a b").contains("white space"));
    }
}
