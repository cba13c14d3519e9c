//! Volume sources of a task's pod: the kinds of Kubernetes core/v1 `Volume` a pipeline step uses
//! (secret, config map, claim, emptyDir, host path, NFS, CSI, projected, downward API, generic
//! ephemeral), as plain data, with the checks a value must pass before a backend writes it. Every
//! name and path is a value in a value position: none of them shapes the pod beyond its own field.

use std::collections::BTreeMap;

use crate::checks::{check_label_key, check_label_value, check_object_name, check_quantity};

use super::projected::{DownwardApiFile, Projected};

/// A volume of the pod. Add it with `task.volume(name, source, mount_path)`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum VolumeSource {
    /// A secret's keys as files.
    Secret(String),
    /// A config map's keys as files.
    ConfigMap(String),
    /// An existing persistent volume claim.
    Pvc(String),
    /// A scratch directory; `Some("Memory")` for tmpfs.
    EmptyDir(Option<String>),
    /// A file or directory of the node the pod runs on ([`VolumeSource::host_path`]).
    HostPath(HostPath),
    /// An NFS export ([`VolumeSource::nfs`]).
    Nfs(Nfs),
    /// A volume a CSI driver provides inline ([`Csi`]).
    Csi(Csi),
    /// Secrets, config maps, pod fields and service account tokens in one directory ([`Projected`]).
    Projected(Projected),
    /// Fields of the pod and resources of the main container as files.
    DownwardApi(Vec<DownwardApiFile>),
    /// A claim made for the pod and deleted with it ([`EphemeralClaim`]).
    Ephemeral(EphemeralClaim),
}

impl VolumeSource {
    /// A path of the node (`type` checked by the kubelet when the pod starts).
    pub fn host_path(path: impl Into<String>, kind: HostPathType) -> Self {
        VolumeSource::HostPath(HostPath { path: path.into(), kind })
    }

    /// The export `path` of NFS server `server`, read-write.
    pub fn nfs(server: impl Into<String>, path: impl Into<String>) -> Self {
        VolumeSource::Nfs(Nfs::new(server, path))
    }

    /// A claim of `size` (a quantity, `"10Gi"`) made for the pod, in the default storage class,
    /// `ReadWriteOnce`.
    pub fn ephemeral(size: impl Into<String>) -> Self {
        VolumeSource::Ephemeral(EphemeralClaim::new(size))
    }

    /// What kind of volume this is, as Kubernetes names the field (`nfs`, `hostPath`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            VolumeSource::Secret(_) => "secret",
            VolumeSource::ConfigMap(_) => "configMap",
            VolumeSource::Pvc(_) => "persistentVolumeClaim",
            VolumeSource::EmptyDir(_) => "emptyDir",
            VolumeSource::HostPath(_) => "hostPath",
            VolumeSource::Nfs(_) => "nfs",
            VolumeSource::Csi(_) => "csi",
            VolumeSource::Projected(_) => "projected",
            VolumeSource::DownwardApi(_) => "downwardAPI",
            VolumeSource::Ephemeral(_) => "ephemeral",
        }
    }

    /// Whether every value is one Kubernetes accepts: names, quantities, paths, modes.
    pub(crate) fn check(&self) -> Result<(), String> {
        match self {
            VolumeSource::Secret(n) => check_object_name("secret", n),
            VolumeSource::ConfigMap(n) => check_object_name("config map", n),
            VolumeSource::Pvc(_) => Ok(()),
            VolumeSource::EmptyDir(medium) => match medium.as_deref() {
                None | Some("" | "Memory") => Ok(()),
                Some(m) => Err(format!("`{}` is not an emptyDir medium; expected `Memory`", m.escape_debug())),
            },
            VolumeSource::HostPath(h) => check_absolute("host path", &h.path),
            VolumeSource::Nfs(n) => {
                if n.server.trim().is_empty() {
                    return Err("the NFS server is empty".to_owned());
                }
                check_absolute("NFS export path", &n.path)
            }
            VolumeSource::Csi(c) => c.check(),
            VolumeSource::Projected(p) => p.check(),
            VolumeSource::DownwardApi(files) => {
                if files.is_empty() {
                    return Err("a downward API volume needs at least one file".to_owned());
                }
                files.iter().try_for_each(DownwardApiFile::check)
            }
            VolumeSource::Ephemeral(e) => e.check(),
        }
    }
}

/// What a host path must be when the pod starts (`hostPath.type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HostPathType {
    /// No check (the field is left out).
    Any,
    /// A directory, created if missing.
    DirectoryOrCreate,
    /// An existing directory.
    ExistingDirectory,
    /// A file, created if missing.
    FileOrCreate,
    /// An existing file.
    ExistingFile,
    /// An existing UNIX socket.
    Socket,
    /// An existing character device.
    CharDevice,
    /// An existing block device.
    BlockDevice,
}

impl HostPathType {
    /// The `type` field's value, or `None` for [`HostPathType::Any`].
    pub fn as_str(self) -> Option<&'static str> {
        Some(match self {
            HostPathType::Any => return None,
            HostPathType::DirectoryOrCreate => "DirectoryOrCreate",
            HostPathType::ExistingDirectory => "Directory",
            HostPathType::FileOrCreate => "FileOrCreate",
            HostPathType::ExistingFile => "File",
            HostPathType::Socket => "Socket",
            HostPathType::CharDevice => "CharDevice",
            HostPathType::BlockDevice => "BlockDevice",
        })
    }
}

/// A path of the node.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct HostPath {
    /// The absolute path on the node.
    pub path: String,
    /// What it must be.
    pub kind: HostPathType,
}

/// An NFS export.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Nfs {
    /// The server's host name or address.
    pub server: String,
    /// The exported path.
    pub path: String,
    /// Mount it read-only.
    pub read_only: bool,
}

impl Nfs {
    /// The export `path` of `server`, read-write.
    pub fn new(server: impl Into<String>, path: impl Into<String>) -> Self {
        Nfs { server: server.into(), path: path.into(), read_only: false }
    }

    /// Mounts it read-only.
    #[must_use]
    pub fn read_only(mut self) -> Self {
        self.read_only = true;
        self
    }
}

impl From<Nfs> for VolumeSource {
    fn from(n: Nfs) -> Self {
        VolumeSource::Nfs(n)
    }
}

/// An inline CSI volume (`csi`): a secrets store, an image, a bucket, ... as its driver provides.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Csi {
    /// The driver's name (`secrets-store.csi.k8s.io`).
    pub driver: String,
    /// Mount it read-only.
    pub read_only: bool,
    /// The filesystem type (`ext4`), if the driver takes one.
    pub fs_type: Option<String>,
    /// The driver's attributes.
    pub attributes: BTreeMap<String, String>,
    /// The secret passed to the driver's `NodePublishVolume` call.
    pub node_publish_secret: Option<String>,
}

impl Csi {
    /// A volume of `driver`.
    pub fn new(driver: impl Into<String>) -> Self {
        Csi {
            driver: driver.into(),
            read_only: false,
            fs_type: None,
            attributes: BTreeMap::new(),
            node_publish_secret: None,
        }
    }

    /// Mounts it read-only.
    #[must_use]
    pub fn read_only(mut self) -> Self {
        self.read_only = true;
        self
    }

    /// The filesystem type.
    #[must_use]
    pub fn fs_type(mut self, fs_type: impl Into<String>) -> Self {
        self.fs_type = Some(fs_type.into());
        self
    }

    /// An attribute for the driver (`volumeAttributes`).
    #[must_use]
    pub fn attribute(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.attributes.insert(key.into(), value.into());
        self
    }

    /// The secret the driver gets (`nodePublishSecretRef`).
    #[must_use]
    pub fn node_publish_secret(mut self, secret: impl Into<String>) -> Self {
        self.node_publish_secret = Some(secret.into());
        self
    }

    fn check(&self) -> Result<(), String> {
        check_object_name("CSI driver", &self.driver)?;
        if self.driver.len() > 63 {
            return Err(format!("CSI driver name `{}` is longer than 63 characters", self.driver));
        }
        if let Some(s) = &self.node_publish_secret {
            check_object_name("secret", s)?;
        }
        if self.attributes.keys().any(|k| k.is_empty()) {
            return Err("a CSI volume attribute has an empty key".to_owned());
        }
        Ok(())
    }
}

impl From<Csi> for VolumeSource {
    fn from(c: Csi) -> Self {
        VolumeSource::Csi(c)
    }
}

/// A generic ephemeral volume: a claim made when the pod starts and deleted with it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct EphemeralClaim {
    /// The size (`"10Gi"`).
    pub size: String,
    /// The storage class (the cluster's default when `None`).
    pub storage_class: Option<String>,
    /// Access modes (`ReadWriteOnce` when empty).
    pub access_modes: Vec<String>,
    /// Labels of the claim.
    pub labels: BTreeMap<String, String>,
    /// Annotations of the claim.
    pub annotations: BTreeMap<String, String>,
}

/// The access modes a claim may ask for.
pub const ACCESS_MODES: [&str; 4] = ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"];

impl EphemeralClaim {
    /// A claim of `size`.
    pub fn new(size: impl Into<String>) -> Self {
        EphemeralClaim {
            size: size.into(),
            storage_class: None,
            access_modes: Vec::new(),
            labels: BTreeMap::new(),
            annotations: BTreeMap::new(),
        }
    }

    /// The storage class.
    #[must_use]
    pub fn storage_class(mut self, class: impl Into<String>) -> Self {
        self.storage_class = Some(class.into());
        self
    }

    /// Adds an access mode (`ReadWriteOnce`, `ReadOnlyMany`, `ReadWriteMany`, `ReadWriteOncePod`).
    #[must_use]
    pub fn access_mode(mut self, mode: impl Into<String>) -> Self {
        self.access_modes.push(mode.into());
        self
    }

    /// A label of the claim.
    #[must_use]
    pub fn label(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.labels.insert(key.into(), value.into());
        self
    }

    /// An annotation of the claim.
    #[must_use]
    pub fn annotation(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.annotations.insert(key.into(), value.into());
        self
    }

    /// The access modes, `ReadWriteOnce` when none was set.
    pub fn modes(&self) -> Vec<String> {
        if self.access_modes.is_empty() { vec!["ReadWriteOnce".to_owned()] } else { self.access_modes.clone() }
    }

    fn check(&self) -> Result<(), String> {
        check_quantity(&self.size)?;
        if let Some(c) = &self.storage_class {
            check_object_name("storage class", c)?;
        }
        for m in &self.access_modes {
            if !ACCESS_MODES.contains(&m.as_str()) {
                return Err(format!(
                    "`{}` is not an access mode; expected one of {}",
                    m.escape_debug(),
                    ACCESS_MODES.map(|m| format!("`{m}`")).join(", ")
                ));
            }
        }
        for (k, v) in &self.labels {
            check_label_key(k)?;
            check_label_value(v)?;
        }
        self.annotations.keys().try_for_each(|k| check_label_key(k))
    }
}

impl From<EphemeralClaim> for VolumeSource {
    fn from(e: EphemeralClaim) -> Self {
        VolumeSource::Ephemeral(e)
    }
}

pub(crate) fn check_absolute(what: &str, path: &str) -> Result<(), String> {
    if path.starts_with('/') && !path.split('/').any(|c| c == "..") {
        Ok(())
    } else {
        Err(format!("{what} `{}` is not an absolute path without `..`", path.escape_debug()))
    }
}

/// A path inside a volume: relative, no `..` component (Kubernetes refuses both).
pub(crate) fn check_relative(what: &str, path: &str) -> Result<(), String> {
    if !path.is_empty() && !path.starts_with('/') && !path.split('/').any(|c| c == "..") {
        Ok(())
    } else {
        Err(format!("{what} `{}` must be relative, without `..`", path.escape_debug()))
    }
}

#[cfg(test)]
#[path = "volume_source_tests.rs"]
mod tests;
