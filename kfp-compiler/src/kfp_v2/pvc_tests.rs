//! Tests of `pvc`: the model's volume steps as CreatePVC / DeletePVC, against
//! `i_resource_volume.yaml` (the copy in `tests/fixtures/kfp-v2/`).

use kfp_dsl::model::{ComponentSpec as ModelComponent, ResourceSpec};
use kfp_dsl::{Pipeline, VolumeClaim};
use serde_json::json;

use super::*;

type Recognised = Option<Result<PvcStep, Vec<String>>>;

fn steps(p: &Pipeline) -> Vec<(TaskId, Recognised)> {
    p.task_ids()
        .filter_map(|id| match p.task(id).callee() {
            Callee::Component(c) => p.component(c).resource_spec().map(|r| (id, recognise(r))),
            Callee::Graph(_) => None,
        })
        .collect()
}

fn echo() -> ModelComponent {
    ModelComponent::new("echo", None).body(kfp_dsl::ContainerSpec::new(["echo"]), Some("alpine:3.20"))
}

#[test]
fn a_volume_and_its_deletion_are_createpvc_and_deletepvc() {
    let p = Pipeline::build("v", None, |p| {
        let v = p.volume(VolumeClaim::new("work", "1Gi").annotation("example.com/owner", "anchors"));
        let _ = p.call_component(&echo(), []).mount(&v, "/data");
        p.delete_volume(&v);
    })
    .unwrap();
    let found = steps(&p);
    let [(create_id, Some(Ok(create))), (_, Some(Ok(delete)))] = found.as_slice() else { panic!("{found:?}") };
    assert_eq!(create.action, PvcAction::Create);
    assert_eq!(create.inputs, [("size".to_owned(), "size")]);
    assert_eq!(
        create.constants,
        [
            ("pvc_name_suffix", json!("-work")),
            ("annotations", json!({"example.com/owner": "anchors"})),
            ("access_modes", json!(["ReadWriteOnce"])),
        ]
    );
    assert_eq!(create.outputs, [("name".to_owned(), "name")]);
    assert_eq!(delete.action, PvcAction::Delete);
    assert_eq!(delete.inputs, [("claim".to_owned(), "pvc_name")]);
    assert!(delete.constants.is_empty() && delete.outputs.is_empty());
    assert_eq!(created_claims(&p).into_iter().collect::<Vec<_>>(), [("{{workflow.name}}-work".to_owned(), *create_id)]);
    assert_eq!(
        claim_reference("createpvc"),
        PvcReference::TaskOutputParameter(TaskOutputParameterSpec::new("createpvc", "name"))
    );
    assert_eq!(create.executor(), ContainerSpec::new("argostub/createpvc").into());
    assert_eq!(delete.executor(), ContainerSpec::new("argostub/deletepvc").into());
}

#[test]
fn the_components_are_kfp_kubernetes_own() {
    // kfp's file, as the workspace's tests carry it (a copy of ../shared/reference/kfp-v2/).
    let text = include_str!("../../../tests/fixtures/kfp-v2/i_resource_volume.yaml");
    let (spec, _) = crate::kfp_v2::from_yaml(text).unwrap();
    let step = |action| PvcStep { action, inputs: Vec::new(), constants: Vec::new(), outputs: Vec::new() };
    assert_eq!(step(PvcAction::Create).component("exec-createpvc"), spec.components["comp-createpvc"]);
    assert_eq!(step(PvcAction::Delete).component("exec-deletepvc"), spec.components["comp-deletepvc"]);
    assert_eq!(step(PvcAction::Create).executor(), spec.deployment_spec.executors["exec-createpvc"]);
}

#[test]
fn storage_class_and_literal_names_are_constants() {
    let create = ResourceSpec::create(json!({
        "apiVersion": "v1", "kind": "PersistentVolumeClaim",
        "metadata": {"name": "shared"},
        "spec": {"accessModes": ["ReadWriteMany"], "storageClassName": "nfs", "resources": {"requests": {"storage": "5Gi"}}},
    }));
    let step = pvc_component(&create).unwrap();
    assert_eq!(
        step.constants,
        [
            ("pvc_name", json!("shared")),
            ("access_modes", json!(["ReadWriteMany"])),
            ("size", json!("5Gi")),
            ("storage_class_name", json!("nfs")),
        ]
    );
}

#[test]
fn what_createpvc_cannot_say_is_listed() {
    let p = Pipeline::build("v", None, |p| {
        let v = p.volume(VolumeClaim::new("work", "1Gi"));
        let snap = p.volume_snapshot("snap", &v, None);
        p.volume(VolumeClaim::new("restored", snap.size).from_snapshot(&snap));
    })
    .unwrap();
    let found = steps(&p);
    assert!(matches!(found[0].1, Some(Ok(_))), "{found:?}");
    assert_eq!(found[1].1, None, "a snapshot is not a claim step");
    assert_eq!(found[2].1, Some(Err(vec!["a claim restored from a snapshot the pipeline takes".to_owned()])));
    let labelled = ResourceSpec::create(json!({
        "apiVersion": "v1", "kind": "PersistentVolumeClaim",
        "metadata": {"generateName": "x-", "labels": {"a": "b"}},
        "spec": {"volumeMode": "Block", "resources": {"requests": {"storage": "1Gi"}, "limits": {"storage": "2Gi"}}},
    }))
    .owned_by_workflow();
    let Some(Err(problems)) = recognise(&labelled) else { panic!() };
    assert_eq!(
        problems,
        [
            "the claim's name (kfp takes a constant, an input, or `<run>-<suffix>`)",
            "deleting the claim with the run (`owned_by_workflow`)",
            "`metadata.generateName` of the claim",
            "`metadata.labels` of the claim",
            "`spec.resources` of the claim other than a storage request",
            "`spec.volumeMode` of the claim",
            "a claim without access modes",
            "a claim without a storage request",
        ]
    );
    let job = ResourceSpec::create(json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"}}));
    assert_eq!(recognise(&job), None);
}
