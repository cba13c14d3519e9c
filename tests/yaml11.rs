//! Strings that a YAML 1.1 reader (Argo, kubectl) would take for a bool, number, null or date, fed
//! through pipeline parameter defaults and task arguments, must read back as the same strings.

mod support;

use kfp::prelude::*;
use support::*;

/// Echoes its input.
#[container_component(image = "alpine:3.20")]
fn echo(msg: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["echo"]).arg(msg)
}

const TRICKY: &[&str] = &[
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "~",
    "null",
    "1_000",
    "1e3",
    "0x1F",
    "0o17",
    ".inf",
    "2024-01-01",
    "12:30",
    "",
    " padded ",
    "{{x}}",
    // more of the same families
    "Yes",
    "NO",
    "Y",
    "N",
    "True",
    "false",
    "OFF",
    "Null",
    "NULL",
    "-.inf",
    ".NaN",
    "+1",
    "-1",
    "0.5",
    "1:20:30",
    "0b101",
    "017",
    "1,000",
    "2024-01-01T10:00:00Z",
    "2001-12-14 21:59:43.10 -5",
    // YAML syntax
    "- item",
    "key: value",
    "# not a comment",
    "&anchor",
    "*alias",
    "!tag",
    "%directive",
    "@at",
    "`tick",
    "|",
    ">",
    "[a, b]",
    "{a: b}",
    "'single'",
    "\"double\"",
    "a #b",
    "trailing ",
    "\ttab",
    "=",
    "<<",
    "back\\slash",
    "ünïcödé",
    "line one\nline two\n  indented line three\n",
];

/// Read in-process (YAML 1.1 booleans, as Go's reader), in plain `cargo test`.
#[test]
fn yaml_1_1_lookalikes_survive_as_strings() {
    lookalikes_survive(read_yaml);
}

/// Read by PyYAML, an independent YAML 1.1 reader (dates and sexagesimal numbers too).
#[test]
#[ignore = "needs python3 with PyYAML (`pip install pyyaml`), an independent YAML 1.1 reader; run by .ci/run"]
fn yaml_1_1_lookalikes_survive_as_strings_for_pyyaml() {
    lookalikes_survive(read_yaml11);
}

fn lookalikes_survive(read: fn(&str) -> serde_json::Value) {
    let pipeline = kfp::Pipeline::build("yaml11", None, |p| {
        for (i, s) in TRICKY.iter().enumerate() {
            let param = p.param_with_default::<String>(&format!("p{i}"), *s);
            echo(p, param);
            echo(p, *s); // the same string as a literal task argument
        }
    })
    .expect("builds");
    let wf = kfp::compile_pipeline(&pipeline, &Default::default()).expect("compiles");
    let yaml = kfp::to_yaml(&wf).expect("emits");
    let doc = read(&yaml);

    // Pipeline parameter defaults, in spec.arguments.
    let args = doc["spec"]["arguments"]["parameters"].as_array().expect("arguments");
    assert_eq!(args.len(), TRICKY.len());
    for (i, s) in TRICKY.iter().enumerate() {
        assert_eq!(args[i]["name"], format!("p{i}"));
        assert_eq!(args[i]["value"], serde_json::Value::String((*s).to_owned()), "default of p{i} ({s:?})");
    }

    // Literal task arguments, in the DAG.
    let root = &doc["spec"]["templates"][0];
    let mut literals: Vec<String> = root["dag"]["tasks"]
        .as_array()
        .expect("tasks")
        .iter()
        .map(|t| {
            let v = &t["arguments"]["parameters"][0]["value"];
            v.as_str().unwrap_or_else(|| panic!("task {} argument is not a string: {v}", t["name"])).to_owned()
        })
        .filter(|v| !v.starts_with("{{inputs."))
        .collect();
    let mut expected: Vec<String> = TRICKY.iter().map(|s| (*s).to_owned()).collect();
    literals.sort();
    expected.sort();
    assert_eq!(literals, expected);

    // The pipeline_spec annotation is a JSON string carrying the same defaults.
    let spec = doc["metadata"]["annotations"]["pipelines.kubeflow.org/pipeline_spec"].as_str().expect("annotation");
    let spec: serde_json::Value = serde_json::from_str(spec).expect("annotation is JSON");
    for (i, s) in TRICKY.iter().enumerate() {
        assert_eq!(spec["inputs"][i]["default"], serde_json::Value::String((*s).to_owned()));
    }
}

#[test]
fn non_string_defaults_are_written_as_strings() {
    defaults_are_strings(read_yaml);
}

#[test]
#[ignore = "needs python3 with PyYAML (`pip install pyyaml`), an independent YAML 1.1 reader; run by .ci/run"]
fn non_string_defaults_are_written_as_strings_for_pyyaml() {
    defaults_are_strings(read_yaml11);
}

fn defaults_are_strings(read: fn(&str) -> serde_json::Value) {
    let pipeline = kfp::Pipeline::build("typed", None, |p| {
        p.param_with_default::<u32>("count", 1000u32);
        p.param_with_default::<f64>("rate", 0.5);
        p.param_with_default::<bool>("flag", true);
        p.param_with_default::<Vec<String>>("list", vec!["yes".to_owned(), "no".to_owned()]);
        echo(p, "x");
    })
    .expect("builds");
    let yaml = kfp::to_yaml(&kfp::compile_pipeline(&pipeline, &Default::default()).unwrap()).unwrap();
    let doc = read(&yaml);
    let values: Vec<&serde_json::Value> =
        doc["spec"]["arguments"]["parameters"].as_array().unwrap().iter().map(|p| &p["value"]).collect();
    assert_eq!(values, ["1000", "0.5", "true", r#"["yes","no"]"#]);
}
