//! Volume steps: a persistent volume claim created by the pipeline, mounted by later tasks (which then
//! run after it), snapshotted (`snapshot.storage.k8s.io/v1`), restored from a snapshot, deleted.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::dag::{Dag, Task};
use crate::dynamic::{DynArg, DynOutputs};
use crate::error::{BuildError, SourceLocation};
use crate::handles::{OutputParam, Param};
use crate::model::{ComponentSpec, ResourceSpec, VolumeSource};

const ACCESS_MODES: [&str; 4] = ["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"];

/// A persistent volume claim for [`Dag::volume`]: its name (the claim is `<workflow name>-<name>`,
/// so each run gets its own), size, access modes, storage class, annotations, and optionally the
/// snapshot it starts from.
#[derive(Clone, Debug)]
pub struct VolumeClaim {
    name: String,
    size: DynArg,
    modes: Vec<String>,
    storage_class: Option<String>,
    annotations: BTreeMap<String, String>,
    snapshot: Option<Param<String>>,
    problems: Vec<String>,
}

impl VolumeClaim {
    /// A claim called `name` of `size` (a quantity such as `"1Gi"`, or a `Param<String>`: a pipeline
    /// parameter or a task output such as a snapshot's size); `ReadWriteOnce` unless set.
    pub fn new(name: &str, size: impl Into<DynArg>) -> Self {
        let size = size.into();
        let mut problems = Vec::new();
        if let Some(Err(e)) = size.literal_text().map(crate::checks::check_quantity) {
            problems.push(e);
        }
        VolumeClaim {
            name: name.to_owned(),
            size,
            modes: Vec::new(),
            storage_class: None,
            annotations: BTreeMap::new(),
            snapshot: None,
            problems,
        }
    }

    /// Adds an access mode (`ReadWriteOnce`, `ReadOnlyMany`, `ReadWriteMany`, `ReadWriteOncePod`).
    #[must_use]
    pub fn access_mode(mut self, mode: &str) -> Self {
        if !ACCESS_MODES.contains(&mode) {
            self.problems.push(format!(
                "`{mode}` is not an access mode; expected one of {}",
                ACCESS_MODES.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ")
            ));
        }
        self.modes.push(mode.to_owned());
        self
    }

    /// The storage class (the cluster's default if unset).
    #[must_use]
    pub fn storage_class(mut self, class: &str) -> Self {
        self.storage_class = Some(class.to_owned());
        self
    }

    /// An annotation on the claim.
    #[must_use]
    pub fn annotation(mut self, key: &str, value: &str) -> Self {
        if let Err(e) = crate::checks::check_label_key(key) {
            self.problems.push(e);
        }
        self.annotations.insert(key.to_owned(), value.to_owned());
        self
    }

    /// Starts the volume as a copy of `snapshot`.
    #[must_use]
    pub fn from_snapshot(mut self, snapshot: &Snapshot<'_>) -> Self {
        self.snapshot = Some(snapshot.name);
        self
    }
}

/// A volume made by [`Dag::volume`]. Mount it with [`Task::mount`]: the mounting task then runs
/// after the claim exists.
#[derive(Clone, Debug)]
pub struct Volume<'a> {
    /// The step that creates the claim.
    pub task: Task<'a, DynOutputs>,
    /// The claim's name, as the step reports it.
    pub claim_name: Param<String>,
    name: String,
    claim: String,
}

impl Volume<'_> {
    /// The claim's name as a template (`{{workflow.name}}-<name>`).
    pub fn claim(&self) -> &str {
        &self.claim
    }
}

/// A snapshot made by [`Dag::volume_snapshot`].
#[derive(Clone, Copy, Debug)]
pub struct Snapshot<'a> {
    /// The step that takes the snapshot (it succeeds once the snapshot is ready to use, and fails
    /// if it is not after 30 minutes or has no size; `.task.timeout(..)` changes the limit).
    pub task: Task<'a, DynOutputs>,
    /// The snapshot's name.
    pub name: Param<String>,
    /// Its size (`status.restoreSize`), enough for a volume restored from it (never empty: the step
    /// fails if the snapshot reports none).
    pub size: Param<String>,
}

/// The snapshot's size, or the step fails: a CSI driver may report none (or 0, unknown), and a
/// claim restored with that size would ask for `storage: ""`.
const SNAPSHOT_SIZE: &str = r#".status.restoreSize | if . == null or . == "" or . == "0" then error("the snapshot is ready but its CSI driver reports no restoreSize; restore it with a size of your own: VolumeClaim::new(name, size).from_snapshot(..)") else . end"#;

pub(crate) fn check_name(name: &str) -> Option<String> {
    let ok = !name.is_empty()
        && name.len() <= 40
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !name.starts_with('-')
        && !name.ends_with('-');
    (!ok).then(|| format!("`{name}` is not a valid object name (lower-case letters, digits and `-`, at most 40)"))
}

pub(crate) fn spec(
    name: &str,
    description: &str,
    inputs: &[&str],
    outputs: &[&str],
    body: ResourceSpec,
) -> ComponentSpec {
    let mut s = ComponentSpec::new(name, Some(description));
    for i in inputs {
        s = s.input_param::<String>(i, None);
    }
    for o in outputs {
        s = s.output_param::<String>(o, None);
    }
    s.body(body, None)
}

pub(crate) fn slot(name: &'static str) -> OutputParam<String> {
    OutputParam::__component_slot(name)
}

impl Dag {
    /// Creates a persistent volume claim (an Argo resource step) and returns its handle. Tasks that
    /// [`mount`](Task::mount) it run after it; its name is `<workflow name>-<claim name>`, so every run
    /// has its own. Inside a loop this is an error: every iteration would make the same claim.
    #[track_caller]
    pub fn volume(&self, claim: VolumeClaim) -> Volume<'_> {
        let location = SourceLocation::caller();
        let mut problems = claim.problems.clone();
        problems.extend(check_name(&claim.name));
        if self.in_loop() {
            problems.push("a volume made inside a loop would have the same name in every iteration".to_owned());
        }
        let full = format!("{{{{workflow.name}}}}-{}", claim.name);
        let modes = if claim.modes.is_empty() { vec!["ReadWriteOnce".to_owned()] } else { claim.modes.clone() };
        let mut metadata = json!({ "name": full });
        if !claim.annotations.is_empty() {
            metadata["annotations"] = json!(claim.annotations);
        }
        let mut pvc_spec = json!({
            "accessModes": modes,
            "resources": { "requests": { "storage": "{{inputs.parameters.size}}" } },
        });
        if let Some(class) = &claim.storage_class {
            pvc_spec["storageClassName"] = json!(class);
        }
        let mut inputs = vec!["size"];
        let mut args = vec![("size", claim.size.clone())];
        if let Some(snapshot) = claim.snapshot {
            pvc_spec["dataSource"] = json!({
                "apiGroup": "snapshot.storage.k8s.io",
                "kind": "VolumeSnapshot",
                "name": "{{inputs.parameters.snapshot}}",
            });
            inputs.push("snapshot");
            args.push(("snapshot", snapshot.into()));
        }
        let manifest = json!({
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": metadata,
            "spec": pvc_spec,
        });
        let body = ResourceSpec::create(manifest).output(slot("name"), "{.metadata.name}");
        let spec = spec(&claim.name, "Creates a persistent volume claim.", &inputs, &["name"], body);
        if !problems.is_empty() {
            self.push_error(BuildError::InvalidCall { location, component: claim.name.clone(), problems });
        }
        let task = self.call_component_at(&spec, args, location);
        let claim_name = task.output_at::<String>("name", location);
        Volume { task, claim_name, name: claim.name, claim: full }
    }

    /// Takes a snapshot (`snapshot.storage.k8s.io/v1` `VolumeSnapshot`, in `class` or the cluster's
    /// default class) of `volume`. It runs after the volume exists; make it run after the tasks that
    /// write the volume with `.task.after(..)`. The step succeeds once the snapshot is ready to use.
    #[track_caller]
    pub fn volume_snapshot(&self, name: &str, volume: &Volume<'_>, class: Option<&str>) -> Snapshot<'_> {
        let location = SourceLocation::caller();
        let mut problems: Vec<String> = check_name(name).into_iter().collect();
        if self.in_loop() {
            problems.push("a snapshot made inside a loop would have the same name in every iteration".to_owned());
        }
        let mut snap_spec = json!({ "source": { "persistentVolumeClaimName": "{{inputs.parameters.claim}}" } });
        if let Some(class) = class {
            snap_spec["volumeSnapshotClassName"] = Value::String(class.to_owned());
        }
        let manifest = json!({
            "apiVersion": "snapshot.storage.k8s.io/v1",
            "kind": "VolumeSnapshot",
            "metadata": { "name": format!("{{{{workflow.name}}}}-{name}") },
            "spec": snap_spec,
        });
        let body = ResourceSpec::create(manifest)
            .wait(crate::Wait::volume_snapshot())
            .output(slot("name"), "{.metadata.name}")
            .output_jq(slot("size"), SNAPSHOT_SIZE);
        let spec = spec(name, "Takes a volume snapshot.", &["claim"], &["name", "size"], body);
        if !problems.is_empty() {
            self.push_error(BuildError::InvalidCall { location, component: name.to_owned(), problems });
        }
        let task = self.call_component_at(&spec, [("claim", volume.claim_name.into())], location);
        Snapshot {
            task,
            name: task.output_at::<String>("name", location),
            size: task.output_at::<String>("size", location),
        }
    }

    /// Deletes a volume's claim (after the tasks given with `.after(..)` on the returned task).
    #[track_caller]
    pub fn delete_volume(&self, volume: &Volume<'_>) -> Task<'_, DynOutputs> {
        let location = SourceLocation::caller();
        let manifest = json!({
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": { "name": "{{inputs.parameters.claim}}" },
        });
        let body = ResourceSpec::delete(manifest).flags(["--ignore-not-found"]);
        let spec =
            spec(&format!("delete-{}", volume.name), "Deletes a persistent volume claim.", &["claim"], &[], body);
        self.call_component_at(&spec, [("claim", volume.claim_name.into())], location)
    }
}

impl<O: Copy> Task<'_, O> {
    /// Mounts `volume` at `path` in this task's container; the task runs after the volume is made.
    #[track_caller]
    pub fn mount(self, volume: &Volume<'_>, path: &str) -> Self {
        self.volume(&volume.name, VolumeSource::Pvc(volume.claim.clone()), path).after(&volume.task)
    }
}
