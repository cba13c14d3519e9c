//! IR file -> model -> `--target kfp-v2`: a loaded component, called in a pipeline, runs the same
//! command line the original file would have (its `IfPresent` and `Concat` resolved for that call,
//! as the KFP v2 launcher resolves them) and keeps the file's input and output definitions.

use kfp_dsl::{Dag, Dataset, Model, Pipeline};
use serde_json::Value;

use crate::kfp_v2::{self, Executor, Implementation, PipelineSpec};
use crate::{CompileOptions, parse_component};

fn file(path: &str) -> String {
    let path = format!("{}/../examples/components/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn compiled(body: impl FnOnce(&Dag)) -> PipelineSpec {
    let p = Pipeline::build("round-trip", None, body).unwrap_or_else(|e| panic!("{e}"));
    crate::compile_kfp_v2(&p, &CompileOptions::default()).unwrap_or_else(|e| panic!("{e}")).spec
}

/// The one component of an IR file, and its container.
fn only(ir: &PipelineSpec, component: &str) -> (kfp_v2::ComponentSpec, kfp_v2::ContainerSpec) {
    let c = ir.components.get(component).unwrap_or_else(|| panic!("no `{component}`: {:?}", ir.components.keys()));
    let Implementation::ExecutorLabel(label) = &c.implementation else { panic!("`{component}` is a DAG") };
    let Some(Executor::Container(e)) = ir.deployment_spec.executors.get(label) else { panic!("no `{label}`") };
    (c.clone(), e.clone())
}

/// One command-line element as the KFP v2 launcher resolves it, for a call passing `present`.
fn resolve(element: &str, present: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    if element.starts_with("{\"Concat\"") || element.starts_with("{\"IfPresent\"") {
        resolve_json(&serde_json::from_str(element).unwrap(), present, &mut out);
    } else {
        out.push(element.to_owned());
    }
    out
}

fn resolve_json(v: &Value, present: &[&str], out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Object(m) if m.contains_key("Concat") => {
            let mut joined = String::new();
            for part in m["Concat"].as_array().unwrap() {
                let mut inner = Vec::new();
                resolve_json(part, present, &mut inner);
                joined.push_str(&inner.concat());
            }
            out.push(joined);
        }
        Value::Object(m) => {
            let body = &m["IfPresent"];
            let given = present.contains(&body["InputName"].as_str().unwrap());
            let branch = body.get(if given { "Then" } else { "Else" });
            for item in branch.and_then(Value::as_array).into_iter().flatten() {
                resolve_json(item, present, out);
            }
        }
        other => panic!("{other}"),
    }
}

/// `compiled`'s component `component` against the file's one component, for a call passing `present`.
fn assert_same(file_name: &str, compiled: &PipelineSpec, component: &str, present: &[&str]) {
    let (original, _) = kfp_v2::from_yaml(&file(file_name)).unwrap();
    let key = original.components.keys().next().unwrap().clone();
    let (want_comp, want) = only(&original, &key);
    let (got_comp, got) = only(compiled, component);
    let all = |list: &[String]| list.iter().flat_map(|e| resolve(e, present)).collect::<Vec<_>>();
    assert_eq!(got.image, want.image, "{file_name}");
    assert_eq!(got.command, all(&want.command), "{file_name}: command");
    assert_eq!(got.args, all(&want.args), "{file_name}: args with {present:?}");
    assert_eq!(got_comp.output_definitions, want_comp.output_definitions, "{file_name}");
    let (got_in, want_in) = (&got_comp.input_definitions, &want_comp.input_definitions);
    for (name, d) in &got_in.parameters {
        assert_eq!(Some(d), want_in.parameters.get(name), "{file_name}: input `{name}`");
    }
    for (name, d) in &got_in.artifacts {
        assert_eq!(Some(d), want_in.artifacts.get(name), "{file_name}: input `{name}`");
    }
    for name in present {
        assert!(got_in.parameters.contains_key(*name) || got_in.artifacts.contains_key(*name), "{name}");
    }
}

#[test]
fn every_parameter_type_round_trips_with_and_without_the_optional_input() {
    let table = parse_component(&file("ir/all_parameters.yaml")).unwrap();
    let all = compiled(|p| {
        p.call_component(
            &table,
            [
                ("name", "t".into()),
                ("rows", 3i64.into()),
                ("scale", 2.5f64.into()),
                ("header", false.into()),
                ("columns", r#"["a","b"]"#.into()),
                ("options", r#"{"sep":";"}"#.into()),
                ("note", "hello".into()),
            ],
        );
    });
    let given = ["name", "rows", "scale", "header", "columns", "options", "note"];
    assert_same("ir/all_parameters.yaml", &all, "comp-make-table", &given);
    let least = compiled(|p| {
        p.call_component(&table, [("name", "t".into())]);
    });
    assert_same("ir/all_parameters.yaml", &least, "comp-make-table", &["name"]);
}

#[test]
fn artifacts_round_trip_between_loaded_components() {
    let (table, evaluate) = (
        parse_component(&file("ir/all_parameters.yaml")).unwrap(),
        parse_component(&file("ir/artifacts.yaml")).unwrap(),
    );
    let (summarize, train) =
        (parse_component(&file("ir/summarize.yaml")).unwrap(), parse_component(&file("train.yaml")).unwrap());
    let ir = compiled(|p| {
        let made = p.call_component(&table, [("name", "t".into())]);
        let data = made.artifact::<Dataset>("table");
        let fit = p.call_component(&train, [("data", data.into())]);
        let model = fit.artifact::<Model>("model");
        p.call_component(&evaluate, [("table", data.into()), ("model", model.into())]);
        p.call_component(&summarize, [("data", data.into()), ("limit", 5i64.into())]);
    });
    assert_same("ir/artifacts.yaml", &ir, "comp-evaluate", &["table", "model"]);
    assert_same("ir/summarize.yaml", &ir, "comp-summarize", &["data", "limit"]);
}
