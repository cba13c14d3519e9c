//! Volume steps of the model (`Dag::volume`, `Dag::delete_volume`: resource steps creating and
//! deleting a `PersistentVolumeClaim`) as kfp-kubernetes 2.17's `CreatePVC` / `DeletePVC`
//! components: their interface, their `argostub/createpvc` / `argostub/deletepvc` executors (the
//! KFP backend recognises these images), and the task inputs that carry the claim's settings.
//! Mounts of such a claim become `pvcMount`s on CreatePVC's `name` output (see
//! [`settings::platform_config`](super::settings::platform_config)).

#![allow(dead_code, reason = "called by the IR lowering (kfp_v2/lower), written beside this")]

use std::collections::BTreeMap;

use kfp_dsl::model::{Callee, Implementation, Pipeline, ResourceSpec, TaskId};
use serde_json::Value;

use super::{
    ComponentSpec, ContainerSpec, Executor, OutputParameterDefinition, ParameterDefinition, ParameterType,
    PvcReference, TaskOutputParameterSpec,
};

/// Which kfp-kubernetes component a volume step is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PvcAction {
    /// `kubernetes.CreatePVC`.
    Create,
    /// `kubernetes.DeletePVC`.
    Delete,
}

/// A volume step as kfp-kubernetes' component: what the lowering writes for a task calling it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PvcStep {
    /// Create or delete.
    pub(crate) action: PvcAction,
    /// `(model input, kfp input)`: the task's argument for the model's input goes to the kfp input
    /// (`size` -> `size`, the claim to delete -> `pvc_name`).
    pub(crate) inputs: Vec<(String, &'static str)>,
    /// `(kfp input, value)`: constants the task passes (`runtimeValue.constant`), from the manifest
    /// (`access_modes`, `annotations`, `pvc_name_suffix`, `storage_class_name`, ...).
    pub(crate) constants: Vec<(&'static str, Value)>,
    /// `(model output, kfp output)`: the claim's name read from the object is CreatePVC's `name`.
    pub(crate) outputs: Vec<(String, &'static str)>,
}

impl PvcStep {
    /// The name kfp gives the component, its executor and the task (`comp-createpvc`,
    /// `exec-createpvc`, `createpvc`, with `-2`, ... when called again).
    pub(crate) fn name(&self) -> &'static str {
        match self.action {
            PvcAction::Create => "createpvc",
            PvcAction::Delete => "deletepvc",
        }
    }

    /// The component, as kfp-kubernetes 2.17 declares it (descriptions included).
    pub(crate) fn component(&self, executor_label: &str) -> ComponentSpec {
        let c = ComponentSpec::executor(executor_label);
        match self.action {
            PvcAction::Create => CREATE_INPUTS
                .iter()
                .fold(c, |c, (name, ty, optional, description)| {
                    let mut d = ParameterDefinition::new(*ty).description(*description);
                    d.is_optional = *optional;
                    if *name == "storage_class_name" {
                        d = d.default_value(Value::String(String::new()));
                    }
                    c.input_parameter(*name, d)
                })
                .output_parameter("name", OutputParameterDefinition::new(ParameterType::Text)),
            PvcAction::Delete => c.input_parameter(
                "pvc_name",
                ParameterDefinition::new(ParameterType::Text).description(DELETE_PVC_NAME),
            ),
        }
    }

    /// The executor: a container of the stub image the KFP backend replaces by its own step.
    pub(crate) fn executor(&self) -> Executor {
        ContainerSpec::new(format!("argostub/{}", self.name())).into()
    }
}

/// CreatePVC's inputs: name, type, optional, description (kfp-kubernetes 2.17.3's docstrings).
const CREATE_INPUTS: [(&str, ParameterType, bool, &str); 8] = [
    ("access_modes", ParameterType::List, false, ACCESS_MODES),
    ("annotations", ParameterType::Struct, true, ANNOTATIONS),
    ("data_source", ParameterType::Struct, true, DATA_SOURCE),
    ("pvc_name", ParameterType::Text, true, PVC_NAME),
    ("pvc_name_suffix", ParameterType::Text, true, PVC_NAME_SUFFIX),
    ("size", ParameterType::Text, false, SIZE),
    ("storage_class_name", ParameterType::Text, true, STORAGE_CLASS_NAME),
    ("volume_name", ParameterType::Text, true, VOLUME_NAME),
];

const ACCESS_MODES: &str = "Values for ``PersistentVolumeClaim.spec.accessModes``.";

const ANNOTATIONS: &str = concat!(
    "Annotations for the PVC's metadata. Corresponds to\n",
    "`PersistentVolumeClaim.metadata.annotations\n",
    "<https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/persistent-volume-claim-v1/#PersistentVolumeClaim>`_.",
);

const DATA_SOURCE: &str = concat!(
    "Specifies the data source for the PVC. This can be used to\n",
    "create a PVC from a VolumeSnapshot or to clone an existing PVC.\n",
    "Should be a dictionary with ``'apiGroup'``, ``'kind'``, and\n",
    "``'name'`` keys. For example:\n",
    "``{'apiGroup': 'snapshot.storage.k8s.io', 'kind': 'VolumeSnapshot', 'name': 'my-snapshot'}``.\n",
    "Corresponds to `PersistentVolumeClaim.spec.dataSource\n",
    "<https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/persistent-volume-claim-v1/#PersistentVolumeClaimSpec>`_.",
);

const PVC_NAME: &str = concat!(
    "Name of the PVC. Corresponds to\n",
    "`PersistentVolumeClaim.metadata.name\n",
    "<https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/persistent-volume-claim-v1/#PersistentVolumeClaim>`_.\n",
    "Only one of ``pvc_name`` and ``pvc_name_suffix`` can be provided.",
);

const PVC_NAME_SUFFIX: &str = concat!(
    "Prefix to use for a dynamically generated name, which\n",
    "will take the form ``<argo-workflow-name>-<pvc_name_suffix>``. Only\n",
    "one of ``pvc_name`` and ``pvc_name_suffix`` can be provided.",
);

const SIZE: &str = concat!(
    "The size of storage requested by the PVC that will be\n",
    "provisioned. For example, ``'5Gi'``. Corresponds to\n",
    "`PersistentVolumeClaim.spec.resources.requests.storage\n",
    "<https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/persistent-volume-claim-v1/#PersistentVolumeClaimSpec>`_.",
);

const STORAGE_CLASS_NAME: &str = concat!(
    "Name of StorageClass from which to provision the PV\n",
    "to back the PVC. ``None`` indicates to use the cluster's default\n",
    "storage_class_name. Set to ``''`` for a statically specified PVC.",
);

const VOLUME_NAME: &str = concat!(
    "Pre-existing PersistentVolume that should back the\n",
    "provisioned PersistentVolumeClaim. Used for statically\n",
    "specified PV only. Corresponds to\n",
    "`PersistentVolumeClaim.spec.volumeName\n",
    "<https://kubernetes.io/docs/reference/kubernetes-api/config-and-storage-resources/persistent-volume-claim-v1/#PersistentVolumeClaimSpec>`_.",
);

const DELETE_PVC_NAME: &str = "Name of the PVC to delete. Supports passing a runtime-generated name, such as a name provided by ``kubernetes.CreatePvcOp().outputs['name']``.";

/// The volume step a resource step is, if it is one kfp-kubernetes can express: `create` (or
/// `apply`) of a `v1` `PersistentVolumeClaim`, or its `delete`.
pub(crate) fn pvc_component(r: &ResourceSpec) -> Option<PvcStep> {
    recognise(r)?.ok()
}

/// `None`: not a claim step. `Some(Err(problems))`: a claim step with parts CreatePVC / DeletePVC
/// cannot say (each a phrase: "`metadata.labels` of the claim").
pub(crate) fn recognise(r: &ResourceSpec) -> Option<Result<PvcStep, Vec<String>>> {
    let m = r.manifest()?;
    let is_pvc = m.get("kind").and_then(Value::as_str) == Some("PersistentVolumeClaim")
        && m.get("apiVersion").and_then(Value::as_str) == Some("v1");
    let action = match r.action() {
        "create" | "apply" if is_pvc => PvcAction::Create,
        "delete" if is_pvc => PvcAction::Delete,
        _ => return None,
    };
    let mut step = PvcStep { action, inputs: Vec::new(), constants: Vec::new(), outputs: Vec::new() };
    let mut problems = Vec::new();
    let text = |v: &Value| v.as_str().map(normalise);
    let name = m.pointer("/metadata/name").and_then(text);
    match (action, name.as_deref().map(classify)) {
        (_, Some(Text::Input(i))) => step.inputs.push((i, "pvc_name")),
        (_, Some(Text::Literal(n))) => step.constants.push(("pvc_name", Value::String(n))),
        (PvcAction::Create, Some(Text::RunPrefixed(suffix))) => {
            step.constants.push(("pvc_name_suffix", Value::String(suffix)))
        }
        _ => problems.push("the claim's name (kfp takes a constant, an input, or `<run>-<suffix>`)".to_owned()),
    }
    if !r.json_path_outputs().iter().all(|(_, path)| path == "{.metadata.name}" && action == PvcAction::Create) {
        problems.push("outputs other than the claim's name".to_owned());
    }
    step.outputs = r.json_path_outputs().iter().map(|(n, _)| (n.clone(), "name")).collect();
    if r.success().is_some() || r.failure().is_some() {
        problems.push("success or failure conditions".to_owned());
    }
    if r.owner_reference() {
        problems.push("deleting the claim with the run (`owned_by_workflow`)".to_owned());
    }
    let flags_ok = |f: &String| action == PvcAction::Delete && matches!(f.as_str(), "--ignore-not-found" | "--wait");
    if let Some(f) = r.kubectl_flags().iter().find(|f| !flags_ok(f)) {
        problems.push(format!("kubectl flag `{f}`"));
    }
    if action == PvcAction::Create {
        create_fields(m, &mut step, &mut problems);
    }
    Some(if problems.is_empty() { Ok(step) } else { Err(problems) })
}

/// The claim's metadata and spec as CreatePVC's inputs.
fn create_fields(m: &Value, step: &mut PvcStep, problems: &mut Vec<String>) {
    let object = |v: Option<&Value>| v.and_then(Value::as_object).cloned().unwrap_or_default();
    for (key, v) in object(m.get("metadata")) {
        match key.as_str() {
            "name" => {}
            "annotations" if literal(&v) => step.constants.push(("annotations", v)),
            _ => problems.push(format!("`metadata.{key}` of the claim")),
        }
    }
    for (key, v) in object(m.get("spec")) {
        let field = match key.as_str() {
            "accessModes" => "access_modes",
            "dataSource" => "data_source",
            "storageClassName" => "storage_class_name",
            "volumeName" => "volume_name",
            "resources" => {
                let storage = v.pointer("/requests/storage").and_then(Value::as_str).map(normalise);
                let only_storage = object(Some(&v)).len() == 1 && object(v.get("requests")).len() == 1;
                match storage.as_deref().map(classify) {
                    Some(Text::Input(i)) if only_storage => step.inputs.push((i, "size")),
                    Some(Text::Literal(q)) if only_storage => step.constants.push(("size", Value::String(q))),
                    _ => problems.push("`spec.resources` of the claim other than a storage request".to_owned()),
                }
                continue;
            }
            _ => {
                problems.push(format!("`spec.{key}` of the claim"));
                continue;
            }
        };
        match v.as_str().map(|s| classify(&normalise(s))) {
            Some(Text::Input(i)) if key == "storageClassName" => step.inputs.push((i, field)),
            _ if literal(&v) => step.constants.push((field, v)),
            _ if key == "dataSource" => problems.push("a claim restored from a snapshot the pipeline takes".to_owned()),
            _ => problems.push(format!("`spec.{key}` of the claim from a value")),
        }
    }
    let has =
        |field: &str| step.constants.iter().any(|(f, _)| *f == field) || step.inputs.iter().any(|(_, f)| *f == field);
    for (field, what) in [("access_modes", "access modes"), ("size", "a storage request")] {
        if !has(field) {
            problems.push(format!("a claim without {what}"));
        }
    }
}

/// A manifest string with the model's typed-input markers written as Argo placeholders.
fn normalise(s: &str) -> String {
    ResourceSpec::raw_placeholders(s, |name, _| format!("{{{{inputs.parameters.{name}}}}}"))
}

/// What a manifest string is.
enum Text {
    /// Exactly one input.
    Input(String),
    /// No placeholder.
    Literal(String),
    /// `{{workflow.name}}` and a literal suffix (the claim `Dag::volume` names).
    RunPrefixed(String),
    /// Anything else.
    Mixed,
}

fn classify(s: &str) -> Text {
    if let Some(name) = s.strip_prefix("{{inputs.parameters.").and_then(|r| r.strip_suffix("}}"))
        && !name.contains(['{', '}'])
    {
        return Text::Input(name.to_owned());
    }
    match s.strip_prefix("{{workflow.name}}") {
        Some(suffix) if !suffix.is_empty() && !suffix.contains("{{") => Text::RunPrefixed(suffix.to_owned()),
        _ if !s.contains("{{") => Text::Literal(s.to_owned()),
        _ => Text::Mixed,
    }
}

/// Whether a manifest value holds no placeholder.
fn literal(v: &Value) -> bool {
    match v {
        Value::String(s) => !normalise(s).contains("{{"),
        Value::Array(a) => a.iter().all(literal),
        Value::Object(o) => o.values().all(literal),
        _ => true,
    }
}

/// The claims the pipeline creates, by the name tasks mount them with (`{{workflow.name}}-work`,
/// as `VolumeSource::Pvc` holds it): the CreatePVC task for each. The lowering resolves a mount to
/// that task's `name` output with [`claim_reference`] (or to the `pipelinechannel--<task>-name`
/// input of a sub-DAG).
pub(crate) fn created_claims(p: &Pipeline) -> BTreeMap<String, TaskId> {
    let mut out = BTreeMap::new();
    for id in p.task_ids() {
        let Callee::Component(c) = p.task(id).callee() else { continue };
        let Implementation::Resource(r) = &p.component(c).implementation else { continue };
        if let Some(Ok(step)) = recognise(r) {
            let name = r.manifest().and_then(|m| m.pointer("/metadata/name")).and_then(Value::as_str);
            if let (PvcAction::Create, Some(name)) = (step.action, name) {
                out.insert(name.to_owned(), id);
            }
        }
    }
    out
}

/// The claim made by the CreatePVC task `producer_task` (its IR name), for a mount in the same DAG.
pub(crate) fn claim_reference(producer_task: &str) -> PvcReference {
    PvcReference::TaskOutputParameter(TaskOutputParameterSpec::new(producer_task, "name"))
}

#[cfg(test)]
#[path = "pvc_tests.rs"]
mod tests;
