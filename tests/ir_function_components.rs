//! Rust function components under the KFP v2 IR: the executor command lines the IR holds, run here
//! exactly as the KFP v2 launcher runs them in the container, with every `{{$...}}` placeholder filled
//! as the launcher fills it (parameters as text, numbers as Go's `FormatFloat(v, 'f', -1, 64)`,
//! artifact paths and output-parameter files as local paths; output files read back by type).
//! Tasks run in the root DAG's dependency order, each reading what the earlier ones wrote.

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use support::*;

/// A parameter value as the launcher substitutes it into a command line.
fn as_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => {
            let f = n.as_f64().expect("a number");
            if f.fract() == 0.0 && f.abs() < 1e15 { format!("{f:.0}") } else { f.to_string() }
        }
        other => other.to_string(),
    }
}

/// A written output parameter as the launcher reads it back: by its declared type.
fn read_back(text: &str, parameter_type: &str) -> Value {
    match parameter_type {
        "STRING" => Value::String(text.to_owned()),
        "NUMBER_INTEGER" | "NUMBER_DOUBLE" => {
            serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("`{text}` is not a number: {e}"))
        }
        "BOOLEAN" => Value::Bool(text.trim() == "true"),
        _ => serde_json::from_str(text).unwrap_or_else(|e| panic!("`{text}` is not JSON: {e}")),
    }
}

struct Launcher<'a> {
    doc: &'a Value,
    dir: PathBuf,
    /// Output parameters by (task, name).
    params: BTreeMap<(String, String), Value>,
    /// Output artifact paths by (task, name).
    artifacts: BTreeMap<(String, String), PathBuf>,
}

impl Launcher<'_> {
    fn run_task(&mut self, name: &str, task: &Value, binary: &Path) {
        let component = &self.doc["components"][task["componentRef"]["name"].as_str().unwrap()];
        let executor = &self.doc["deploymentSpec"]["executors"][component["executorLabel"].as_str().unwrap()];
        let root = &self.doc["root"]["inputDefinitions"]["parameters"];
        let mut fill: BTreeMap<String, String> = BTreeMap::new();
        for (input, source) in task["inputs"]["parameters"].as_object().into_iter().flatten() {
            let value = if let Some(p) = source["componentInputParameter"].as_str() {
                root[p]["defaultValue"].clone()
            } else if let Some(c) = source.get("runtimeValue") {
                c["constant"].clone()
            } else {
                let out = &source["taskOutputParameter"];
                let key = (
                    out["producerTask"].as_str().unwrap().to_owned(),
                    out["outputParameterKey"].as_str().unwrap().to_owned(),
                );
                self.params.get(&key).unwrap_or_else(|| panic!("{name}: no output {key:?} yet")).clone()
            };
            fill.insert(format!("{{{{$.inputs.parameters['{input}']}}}}"), as_text(&value));
        }
        for (input, source) in task["inputs"]["artifacts"].as_object().into_iter().flatten() {
            let out = &source["taskOutputArtifact"];
            let key = (
                out["producerTask"].as_str().unwrap().to_owned(),
                out["outputArtifactKey"].as_str().unwrap().to_owned(),
            );
            let path = self.artifacts.get(&key).unwrap_or_else(|| panic!("{name}: no artifact {key:?} yet"));
            fill.insert(format!("{{{{$.inputs.artifacts['{input}'].path}}}}"), path.display().to_string());
        }
        let outputs = &component["outputDefinitions"];
        for out in outputs["parameters"].as_object().into_iter().flatten().map(|(k, _)| k) {
            let file = self.dir.join(name).join("params").join(out);
            fill.insert(format!("{{{{$.outputs.parameters['{out}'].output_file}}}}"), file.display().to_string());
        }
        for out in outputs["artifacts"].as_object().into_iter().flatten().map(|(k, _)| k) {
            let path = self.dir.join(name).join("artifacts").join(out);
            fill.insert(format!("{{{{$.outputs.artifacts['{out}'].path}}}}"), path.display().to_string());
            self.artifacts.insert((name.to_owned(), out.clone()), path);
        }
        let container = &executor["container"];
        let command: Vec<&str> = container["command"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect();
        let args: Vec<String> = container["args"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| {
                let a = a.as_str().unwrap();
                // Every placeholder is a whole argument: the launcher fills it, nothing else is left.
                let filled = fill.get(a).cloned().unwrap_or_else(|| a.to_owned());
                assert!(!filled.contains("{{$"), "{name}: placeholder `{a}` the launcher would fill is unknown here");
                filled
            })
            .collect();
        // The image runs the pipeline binary by name (`lightweight component NAME`); here it is the
        // example's own binary.
        assert_eq!(command[0], binary.file_name().unwrap().to_str().unwrap(), "{name}: {command:?}");
        let out = Command::new(binary).args(&command[1..]).args(&args).output().expect("run the component");
        assert!(
            out.status.success(),
            "{name}: `{} {}` failed:\n{}",
            command.join(" "),
            args.join(" "),
            String::from_utf8_lossy(&out.stderr)
        );
        for (out, def) in outputs["parameters"].as_object().into_iter().flatten() {
            let file = self.dir.join(name).join("params").join(out);
            let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{name}: output `{out}`: {e}"));
            let value = read_back(&text, def["parameterType"].as_str().unwrap());
            self.params.insert((name.to_owned(), out.clone()), value);
        }
    }
}

/// The root DAG's tasks in an order where every task follows those it depends on.
fn dependency_order(tasks: &serde_json::Map<String, Value>) -> Vec<String> {
    let mut done: Vec<String> = Vec::new();
    while done.len() < tasks.len() {
        let before = done.len();
        for (name, task) in tasks {
            let deps = task["dependentTasks"].as_array().into_iter().flatten();
            if !done.contains(name) && deps.map(|d| d.as_str().unwrap()).all(|d| done.iter().any(|x| x == d)) {
                done.push(name.clone());
            }
        }
        assert!(done.len() > before, "a cycle among {tasks:?}");
    }
    done
}

#[test]
fn the_irs_command_lines_run_the_rust_components() {
    let doc: Value = serde_json::from_str(&compile_example("lightweight", &["--target", "kfp-v2", "--format", "json"]))
        .expect("IR as JSON");
    let dir = temp_dir("ir-function-components");
    let mut launcher = Launcher { doc: &doc, dir, params: BTreeMap::new(), artifacts: BTreeMap::new() };
    let tasks = doc["root"]["dag"]["tasks"].as_object().unwrap();
    let binary = example_bin("lightweight");
    for name in dependency_order(tasks) {
        launcher.run_task(&name, &tasks[&name], &binary);
    }
    let param = |task: &str, out: &str| launcher.params[&(task.to_owned(), out.to_owned())].clone();
    // rows = 10 at scale 0.5: 0.5, 1.0, ..., 5.0.
    assert_eq!(param("make-numbers", "output"), Value::from(10));
    assert_eq!(param("summarise", "count"), Value::from(10));
    assert_eq!(param("summarise", "max"), Value::from(5.0));
    assert_eq!(param("report", "output"), Value::from("numbers: 10 numbers, mean 2.750, max 5.000"));
    // The baseline branch: 3 rows at scale 2.0 (a constant `2.0` the launcher passes as `2`).
    assert_eq!(param("summarise-2", "max"), Value::from(6.0));
    let numbers = std::fs::read_to_string(&launcher.artifacts[&("make-numbers".to_owned(), "numbers".to_owned())]);
    assert_eq!(numbers.unwrap().lines().count(), 10);
}
