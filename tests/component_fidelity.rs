//! component.yaml fidelity (issue 11, item 13): the `component_spec` annotation of a loaded component
//! is the file as kfp v1 1.8 writes it (`json.dumps(spec.to_dict(), sort_keys=True)`: every field as
//! written, defaults, `optional` and `metadata` included); the file's `metadata.labels/annotations` go
//! on the template's pod as kfp v1's `add_pod_label/annotation` put them; a type kfp has no kind for
//! (`CSV`) is a plain `system.Artifact` in the IR, as kfp 2.17 compiles it.

mod support;

use kfp::CompileOptions;
use kfp::prelude::*;
use serde_json::Value;

fn path(file: &str) -> String {
    format!("{}/examples/components/{file}", env!("CARGO_MANIFEST_DIR"))
}

/// The component file as the JSON kfp v1's `ComponentSpec.to_dict()` gives: the mapping as written.
fn file_as_json(file: &str) -> Value {
    serde_saphyr::from_str::<Value>(&std::fs::read_to_string(path(file)).unwrap()).unwrap()
}

fn template<'a>(wf: &'a kfp::argo::Workflow, name: &str) -> &'a kfp::argo::Template {
    wf.spec.templates.iter().find(|t| *t.name == *name).unwrap_or_else(|| panic!("no template `{name}`"))
}

fn compile(files: &[&str]) -> kfp::argo::Workflow {
    let specs: Vec<kfp::ComponentSpec> = files.iter().map(|f| kfp::load_component_file(path(f)).unwrap()).collect();
    let p = kfp::Pipeline::build("fidelity", None, |p| {
        let data = p.call_component(&specs[0], []);
        for s in &specs[1..] {
            p.call_component(s, [("data", data.artifact::<Dataset>("data").into())]);
        }
    })
    .unwrap();
    kfp::compile_pipeline(&p, &CompileOptions::default()).unwrap()
}

#[test]
fn the_component_spec_annotation_is_the_file_as_kfp_v1_writes_it() {
    let wf = compile(&["make_data.yaml", "train.yaml", "csv/export_csv.yaml"]);
    for (file, name) in
        [("make_data.yaml", "make-data"), ("train.yaml", "train"), ("csv/export_csv.yaml", "export-csv")]
    {
        let t = template(&wf, name);
        let text = &t.metadata.annotations["pipelines.kubeflow.org/component_spec"];
        let written: Value = serde_json::from_str(text).unwrap();
        assert_eq!(written, file_as_json(file), "{file}: the annotation keeps every field of the file");
        // kfp v1 sorts the keys (`sort_keys=True`).
        let keys: Vec<&String> = written.as_object().unwrap().keys().collect();
        assert!(keys.is_sorted(), "{keys:?}");
    }
    let make = &file_as_json("make_data.yaml");
    assert_eq!(make["inputs"][0]["default"], "100");
    assert_eq!(make["inputs"][1]["optional"], true);
    assert_eq!(make["metadata"]["labels"]["stage"], "data");
}

#[test]
fn the_files_metadata_goes_on_the_pod() {
    let wf = compile(&["make_data.yaml", "csv/export_csv.yaml"]);
    let make = template(&wf, "make-data");
    assert_eq!(make.metadata.labels.get("stage").map(String::as_str), Some("data"));
    assert_eq!(make.metadata.annotations.get("author").map(String::as_str), Some("kfp-rs examples"));
    let export = template(&wf, "export-csv");
    assert_eq!(export.metadata.labels.get("team").map(String::as_str), Some("data-eng"));
    assert_eq!(export.metadata.annotations.get("docs.example.com/owner").map(String::as_str), Some("data team"));
    // Each template gets its own file's metadata only; the project's own label is still there.
    assert_eq!(export.metadata.labels["stage"], "export");
    assert!(!export.metadata.annotations.contains_key("author"));
    assert_eq!(export.metadata.labels.get("pipelines.kubeflow.org/enable_caching").map(String::as_str), Some("true"));
}

#[test]
fn a_task_label_wins_over_the_files() {
    let spec = kfp::load_component_file(path("make_data.yaml")).unwrap();
    let p = kfp::Pipeline::build("fidelity", None, |p| {
        p.call_component(&spec, []).label("stage", "override");
    })
    .unwrap();
    let wf = kfp::compile_pipeline(&p, &CompileOptions::default()).unwrap();
    let t = wf.spec.templates.iter().find(|t| t.container.is_some()).unwrap();
    assert_eq!(t.metadata.labels["stage"], "override");
}

#[test]
fn a_type_kfp_has_no_kind_for_is_a_plain_artifact_in_the_ir() {
    let spec = kfp::load_component_file(path("csv/csv_stats.yaml")).unwrap();
    assert_eq!(spec.inputs[0].kind.type_name(), "CSV");
    assert_eq!(spec.inputs[1].kind.type_name(), "Artifact", "untyped");
    assert_eq!(spec.inputs[2].kind.type_name(), "GCSPath", "`{{GCSPath: {{...}}}}` is named by its key");
    let yaml = support::compile_example("component_yaml", &["--target", "kfp-v2"]);
    let ir: Value = serde_saphyr::from_str(&yaml).unwrap();
    let inputs = &ir["components"]["comp-csv-stats"]["inputDefinitions"]["artifacts"];
    // `sample` is left out by the example's call, so its variant has no such input.
    for name in ["table", "note"] {
        assert_eq!(inputs[name]["artifactType"]["schemaTitle"], "system.Artifact", "{name}: {inputs}");
    }
    let out = &ir["components"]["comp-export-csv"]["outputDefinitions"]["artifacts"]["table"];
    assert_eq!(out["artifactType"]["schemaTitle"], "system.Artifact");
}
