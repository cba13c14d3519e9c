//! Projected and downward API volumes: several secrets, config maps, pod fields and service account
//! tokens in one directory, and the pod's own fields and resources as files.

use crate::checks::{check_label_key, check_object_name};

use super::volume_source::{VolumeSource, check_relative};

/// A projected volume: several sources in one directory.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Projected {
    /// The sources, in order.
    pub sources: Vec<Projection>,
    /// The files' mode (`0o440`).
    pub default_mode: Option<u32>,
}

/// One source of a projected volume.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Projection {
    /// Keys of a secret: `items` as `(key, relative path)`, or every key when empty.
    Secret {
        /// The secret.
        name: String,
        /// `(key, path)` pairs.
        items: Vec<(String, String)>,
    },
    /// Keys of a config map, as for a secret.
    ConfigMap {
        /// The config map.
        name: String,
        /// `(key, path)` pairs.
        items: Vec<(String, String)>,
    },
    /// Fields of the pod.
    DownwardApi(Vec<DownwardApiFile>),
    /// A token of the pod's service account for `audience` (the API server's when `None`), valid
    /// `expiration_seconds` (at least 600; an hour when `None`), at `path`.
    ServiceAccountToken {
        /// The relative path of the token file.
        path: String,
        /// Who the token is for.
        audience: Option<String>,
        /// How long it is valid.
        expiration_seconds: Option<u32>,
    },
}

fn items<K: Into<String>, P: Into<String>>(items: impl IntoIterator<Item = (K, P)>) -> Vec<(String, String)> {
    items.into_iter().map(|(k, p)| (k.into(), p.into())).collect()
}

impl Projected {
    /// An empty projected volume; add sources.
    pub fn new() -> Self {
        Projected::default()
    }

    /// Every key of secret `name`, one file each.
    #[must_use]
    pub fn secret(mut self, name: impl Into<String>) -> Self {
        self.sources.push(Projection::Secret { name: name.into(), items: Vec::new() });
        self
    }

    /// Some keys of secret `name`, each at a relative path: `[("token", "auth/token")]`.
    #[must_use]
    pub fn secret_items<K: Into<String>, P: Into<String>>(
        mut self,
        name: impl Into<String>,
        keys: impl IntoIterator<Item = (K, P)>,
    ) -> Self {
        self.sources.push(Projection::Secret { name: name.into(), items: items(keys) });
        self
    }

    /// Every key of config map `name`, one file each.
    #[must_use]
    pub fn config_map(mut self, name: impl Into<String>) -> Self {
        self.sources.push(Projection::ConfigMap { name: name.into(), items: Vec::new() });
        self
    }

    /// Some keys of config map `name`, each at a relative path.
    #[must_use]
    pub fn config_map_items<K: Into<String>, P: Into<String>>(
        mut self,
        name: impl Into<String>,
        keys: impl IntoIterator<Item = (K, P)>,
    ) -> Self {
        self.sources.push(Projection::ConfigMap { name: name.into(), items: items(keys) });
        self
    }

    /// Fields of the pod as files.
    #[must_use]
    pub fn downward_api(mut self, files: impl IntoIterator<Item = DownwardApiFile>) -> Self {
        self.sources.push(Projection::DownwardApi(files.into_iter().collect()));
        self
    }

    /// A service account token for `audience`, valid `expiration_seconds`, at relative `path`.
    #[must_use]
    pub fn service_account_token(
        mut self,
        path: impl Into<String>,
        audience: Option<&str>,
        expiration_seconds: Option<u32>,
    ) -> Self {
        self.sources.push(Projection::ServiceAccountToken {
            path: path.into(),
            audience: audience.map(str::to_owned),
            expiration_seconds,
        });
        self
    }

    /// The files' mode (`0o440`; at most `0o777`).
    #[must_use]
    pub fn default_mode(mut self, mode: u32) -> Self {
        self.default_mode = Some(mode);
        self
    }

    pub(crate) fn check(&self) -> Result<(), String> {
        if self.sources.is_empty() {
            return Err("a projected volume needs at least one source".to_owned());
        }
        if let Some(m) = self.default_mode.filter(|m| *m > 0o777) {
            return Err(format!("mode `{m:#o}` is not a file mode (at most `0o777`)"));
        }
        for s in &self.sources {
            match s {
                Projection::Secret { name, items } | Projection::ConfigMap { name, items } => {
                    let what = if matches!(s, Projection::Secret { .. }) { "secret" } else { "config map" };
                    check_object_name(what, name)?;
                    for (key, path) in items {
                        if key.is_empty() {
                            return Err(format!("a key of {what} `{name}` is empty"));
                        }
                        check_relative("projected file path", path)?;
                    }
                }
                Projection::DownwardApi(files) => files.iter().try_for_each(DownwardApiFile::check)?,
                Projection::ServiceAccountToken { path, expiration_seconds, .. } => {
                    check_relative("service account token path", path)?;
                    if let Some(s) = expiration_seconds.filter(|s| *s < 600) {
                        return Err(format!(
                            "a service account token must be valid at least 600 seconds (10 minutes), not {s}"
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

impl From<Projected> for VolumeSource {
    fn from(p: Projected) -> Self {
        VolumeSource::Projected(p)
    }
}

/// A file of a downward API volume: a field of the pod or a resource of the main container.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct DownwardApiFile {
    /// The file's path, relative to the mount.
    pub path: String,
    /// What it holds.
    pub field: DownwardField,
}

/// What a downward API file holds.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DownwardField {
    /// A field of the pod (`metadata.labels`, `metadata.annotations['x']`).
    Pod(String),
    /// A resource of the main container (`limits.memory`).
    Resource(String),
}

const POD_FIELDS: [&str; 5] =
    ["metadata.name", "metadata.namespace", "metadata.uid", "metadata.labels", "metadata.annotations"];
const RESOURCES: [&str; 6] = [
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
];

impl DownwardApiFile {
    /// A field of the pod at `path`: `metadata.name`, `metadata.namespace`, `metadata.uid`,
    /// `metadata.labels`, `metadata.annotations`, or one label or annotation
    /// (`metadata.labels['team']`).
    pub fn pod_field(path: impl Into<String>, field: impl Into<String>) -> Self {
        DownwardApiFile { path: path.into(), field: DownwardField::Pod(field.into()) }
    }

    /// A resource of the main container at `path`: `limits.cpu`, `limits.memory`,
    /// `requests.ephemeral-storage`, ...
    pub fn resource(path: impl Into<String>, resource: impl Into<String>) -> Self {
        DownwardApiFile { path: path.into(), field: DownwardField::Resource(resource.into()) }
    }

    pub(crate) fn check(&self) -> Result<(), String> {
        check_relative("downward API file path", &self.path)?;
        match &self.field {
            DownwardField::Pod(f) => {
                let one = |prefix: &str| {
                    f.strip_prefix(prefix)
                        .and_then(|r| r.strip_prefix("['"))
                        .and_then(|r| r.strip_suffix("']"))
                        .is_some_and(|k| check_label_key(k).is_ok())
                };
                if POD_FIELDS.contains(&f.as_str()) || one("metadata.labels") || one("metadata.annotations") {
                    Ok(())
                } else {
                    Err(format!(
                        "`{}` is not a pod field a volume can hold; expected one of {}, or \
                         `metadata.labels['<key>']` / `metadata.annotations['<key>']`",
                        f.escape_debug(),
                        POD_FIELDS.map(|f| format!("`{f}`")).join(", ")
                    ))
                }
            }
            DownwardField::Resource(r) if RESOURCES.contains(&r.as_str()) => Ok(()),
            DownwardField::Resource(r) => Err(format!(
                "`{}` is not a container resource; expected one of {}",
                r.escape_debug(),
                RESOURCES.map(|f| format!("`{f}`")).join(", ")
            )),
        }
    }
}
