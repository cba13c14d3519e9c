//! component.yaml files at run time: loading (with the broken specs of `tests/ui/specs` as clear
//! errors), calling with named arguments checked when the pipeline is built, and export: every
//! component of every example exports a spec that imports with the same interface.

mod support;

use kfp::CompileOptions;
use kfp::prelude::*;
use support::*;

fn spec(file: &str) -> kfp::ComponentSpec {
    kfp::load_component_file(format!("{}/examples/components/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn build(body: impl FnOnce(&Dag)) -> Result<kfp::Pipeline, kfp::BuildErrors> {
    kfp::Pipeline::build("files", None, body)
}

#[test]
fn a_loaded_component_is_called_with_named_arguments() {
    let (make, train) = (spec("make_data.yaml"), spec("train.yaml"));
    let p = build(|p| {
        let rows = p.param_with_default::<i64>("rows", 20);
        let data = p.call_component(&make, [("rows", rows.into()), ("seed", 5i64.into())]);
        let fit = p.call_component(&train, [("data", data.artifact::<Dataset>("data").into()), ("epochs", "7".into())]);
        let _: Param<f64> = fit.output::<f64>("accuracy");
    })
    .unwrap();
    let wf = kfp::compile_pipeline(&p, &CompileOptions::default()).unwrap();
    let yaml = kfp::to_yaml(&wf).unwrap();
    assert!(yaml.contains("- --seed\n      - \"{{inputs.parameters.seed}}\""), "{yaml}");
    assert!(yaml.contains("--default-logging"), "verbose was left out: {yaml}");
    let root = wf.spec.templates[0].dag.as_ref().unwrap();
    let make_task = &root.tasks[0];
    let prefix = make_task.arguments.parameters.iter().find(|p| &*p.name == "prefix").unwrap();
    assert_eq!(prefix.value.as_deref(), Some("x"), "the default of a left-out input applies");
    let train_task = &root.tasks[1];
    assert_eq!(train_task.arguments.artifacts[0].from.as_deref(), Some("{{tasks.make-data.outputs.artifacts.data}}"));
}

#[test]
fn wrong_calls_are_errors_with_their_line() {
    let (make, train) = (spec("make_data.yaml"), spec("train.yaml"));
    let line = line!() + 3;
    let err = build(|p| {
        let name = p.param::<String>("name");
        let data = p.call_component(&make, [("rows", name.into()), ("colour", "red".into())]);
        p.call_component(&train, [("epochs", "ten".into())]);
        p.call_component(&train, [("data", data.output::<i64>("count").into())]);
        let _ = data.output::<f64>("count");
        let _ = data.output::<String>("nothing");
        let _ = data.artifact::<Model>("data");
    })
    .unwrap_err()
    .to_string();
    let lines: Vec<&str> = err.lines().collect();
    let at = |n: u32| format!("tests/component_files.rs:{n}:");
    assert!(lines[0].starts_with(&at(line)), "{err}");
    assert!(lines[0].ends_with("`Make data`: input `rows` is Integer, but gets a String; unknown input `colour` (inputs: `rows`, `seed`, `prefix`)"), "{err}");
    assert!(lines[1].starts_with(&at(line + 1)), "{err}");
    assert!(
        lines[1].ends_with("`Train`: missing required input `data`; input `epochs` is Integer: `ten` is not one"),
        "{err}"
    );
    assert!(
        lines[2].ends_with(
            "`Train`: input `data` is a file (Dataset): pass an artifact; input `data` is Dataset, but gets a Integer"
        ),
        "{err}"
    );
    assert!(lines[3].ends_with("`Make data`: output `count` is Integer, not Float"), "{err}");
    assert!(lines[4].ends_with("`Make data`: no output `nothing` (outputs: `data`, `count`)"), "{err}");
    assert!(lines[5].ends_with("`Make data`: output `data` is Dataset, not Model"), "{err}");
    assert_eq!(lines.len(), 6, "{err}");
}

#[test]
fn an_argument_given_twice_is_named_as_such() {
    let make = spec("make_data.yaml");
    let line = line!() + 2;
    let err = build(|p| {
        p.call_component(&make, [("rows", 1i64.into()), ("seed", 2i64.into()), ("rows", 3i64.into())]);
    })
    .unwrap_err()
    .to_string();
    assert!(err.starts_with(&format!("tests/component_files.rs:{line}:")), "{err}");
    assert!(err.ends_with("`Make data`: input `rows` given twice: give each input once"), "{err}");
    assert!(!err.contains("unknown input"), "{err}");
}

#[test]
fn broken_specs_are_clear_errors_at_run_time_too() {
    let dir = format!("{}/tests/ui/specs", env!("CARGO_MANIFEST_DIR"));
    let expected = [
        ("not_yaml.yaml", ":1:7: unclosed bracket '['"),
        ("top_level_list.yaml", ":1:1: expected mapping start"),
        ("missing_name.yaml", ":1:1: the component has no `name`"),
        ("duplicate_input.yaml", ":4:3: `a` is declared twice in `inputs`"),
        ("unknown_placeholder.yaml", ": unknown placeholder `inputFile`"),
        ("unknown_input.yaml", ": `inputValue: b` names no input (inputs: `a`)"),
        ("output_path_on_input.yaml", ": `outputPath: a` names an input"),
        ("non_string_default.yaml", ":3:3: `num`: `default` must be a string"),
        ("if_without_cond.yaml", ": `if` without `cond`"),
        ("graph_implementation.yaml", ": implementation `graph` is not supported"),
    ];
    for (file, message) in expected {
        let path = format!("{dir}/{file}");
        let err = kfp::load_component_file(&path).unwrap_err();
        assert!(err.starts_with(&path) && err.contains(message), "{file}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    let missing = kfp::load_component_file(format!("{dir}/nope.yaml")).unwrap_err();
    assert!(missing.starts_with("cannot read `") && missing.contains("nope.yaml"), "{missing}");
}

/// kfp 2.x IR component files load at run time too, typed the same, and what kfp-rs cannot run is an
/// error starting with the file's path and naming the field.
#[test]
fn ir_component_files_load_at_run_time() {
    let (make, summarize) = (spec("make_data.yaml"), spec("ir/summarize.yaml"));
    let inputs: Vec<(&str, &str)> = summarize.inputs.iter().map(|i| (&*i.name, i.kind.type_name())).collect();
    assert_eq!(inputs, [("data", "Dataset"), ("limit", "Integer"), ("title", "String")]);
    let line = line!() + 4;
    let p = build(|p| {
        let data = p.call_component(&make, []);
        let summary = p.call_component(&summarize, [("data", data.artifact::<Dataset>("data").into())]);
        let _ = summary.output::<String>("lines");
    });
    let err = p.unwrap_err().to_string();
    assert!(err.starts_with(&format!("tests/component_files.rs:{line}:")), "{err}");
    assert!(err.ends_with("`summarize`: output `lines` is Integer, not String"), "{err}");
    let dir = format!("{}/examples/components/ir", env!("CARGO_MANIFEST_DIR"));
    for (file, field) in [
        ("lightweight.yaml", "`deploymentSpec.executors.exec-add.container.args[1]`: `{{$}}` is the executor input"),
        ("two_steps.yaml", "`components` holds 2 components"),
        ("importer.yaml", "`deploymentSpec.executors.exec-importer` is an importer"),
        (
            "artifact_uri.yaml",
            "`deploymentSpec.executors.exec-upload.container.args[0]`: the placeholder `{{$.inputs.artifacts['data'].uri}}`",
        ),
    ] {
        let path = format!("{dir}/{file}");
        let err = kfp::load_component_file(&path).unwrap_err();
        assert!(err.starts_with(&format!("{path}: {field}")), "{file}: {err}");
    }
}

/// The interface of every component of every example, as compiled (the `component_spec`
/// annotation), equals the interface of its exported component.yaml read back.
#[test]
fn every_component_exports_a_spec_that_imports_with_the_same_interface() {
    let mut checked = 0;
    for example in EXAMPLES {
        let names = String::from_utf8(run_example(example, &["component-spec"]).stdout).unwrap();
        // Every template, also those a cluster takes from a library (`template_library`).
        let wf: serde_json::Value =
            serde_json::from_str(&compile_example(example, &["--format", "json", "--inline-libraries"])).unwrap();
        for name in names.lines() {
            let out = run_example(example, &["component-spec", name]);
            let stderr = String::from_utf8_lossy(&out.stderr);
            if stderr.contains("is a resource step: kfp's component.yaml has no way to write one") {
                continue;
            }
            // A list input (`Input<Vec<K>>`, collected_artifacts' `merge`) has no component.yaml form either.
            if stderr.contains("is a list of artifacts: kfp's component.yaml has no way to write one") {
                assert_eq!((*example, name), ("collected_artifacts", "merge"), "{stderr}");
                continue;
            }
            assert!(out.status.success(), "{example} {name}: {}", String::from_utf8_lossy(&out.stderr));
            let text = String::from_utf8(out.stdout).unwrap();
            let imported = kfp::parse_component(&text).unwrap_or_else(|e| panic!("{example} {name}: {e}\n{text}"));
            let interface = |io: Vec<(String, String)>| io;
            let ours = interface(
                imported
                    .inputs
                    .iter()
                    .map(|i| (i.name.clone(), i.kind.type_name().to_owned()))
                    .chain(imported.outputs.iter().map(|o| (format!("out:{}", o.name), o.kind.type_name().to_owned())))
                    .collect(),
            );
            let annotation = wf["spec"]["templates"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|t| t["metadata"]["annotations"]["pipelines.kubeflow.org/component_spec"].as_str())
                .map(|s| serde_json::from_str::<serde_json::Value>(s).unwrap())
                .find(|s| s["name"] == name)
                .unwrap_or_else(|| panic!("{example}: no template for {name}"));
            let list = |key: &str, prefix: &str| -> Vec<(String, String)> {
                annotation[key]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|i| {
                        (format!("{prefix}{}", i["name"].as_str().unwrap()), i["type"].as_str().unwrap().to_owned())
                    })
                    .collect()
            };
            let mut compiled = list("inputs", "");
            compiled.extend(list("outputs", "out:"));
            assert_eq!(ours, compiled, "{example} {name}");
            // And once more: export of the import is the same text.
            let again = kfp::component_to_yaml(&imported, "unused", None).unwrap();
            assert_eq!(kfp::parse_component(&again).unwrap().inputs, imported.inputs);
            checked += 1;
        }
    }
    assert!(checked >= 20, "only {checked} components checked");
}
