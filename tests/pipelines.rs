//! Building and compiling pipelines through the library: template sharing, naming, data flow, and the
//! mistakes rustc cannot see, each reported with the user's source line.

use kfp::prelude::*;
use kfp::{BuildError, CompileError, CompileOptions};

/// Makes a dataset.
#[container_component(image = "alpine:3.20")]
fn make_data(rows: Param<u32>, data: Output<Dataset>, n: OutputParam<u32>) -> ContainerSpec {
    ContainerSpec::new(["gen"]).arg(rows).arg(data).arg(n)
}

/// Trains on a dataset.
#[container_component(image = "alpine:3.20")]
fn train(data: Input<Dataset>, lr: Param<f64>, model: Output<Model>) -> ContainerSpec {
    ContainerSpec::new(["train"]).args([Arg::from(data), lr.into(), model.into()])
}

/// Inspects any artifact.
#[container_component(image = "alpine:3.20", name = "Inspect Anything")]
fn inspect(thing: Input<AnyArtifact>) -> ContainerSpec {
    ContainerSpec::new(["ls"]).arg(thing)
}

/// Has no image.
#[container_component]
fn imageless(x: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["echo"]).arg(x)
}

fn compile(p: &kfp::Pipeline) -> Result<kfp::argo::Workflow, CompileError> {
    kfp::compile_pipeline(p, &CompileOptions::default())
}

fn build(body: impl FnOnce(&Dag)) -> kfp::Pipeline {
    kfp::Pipeline::build("test", None, body).expect("builds")
}

fn task<'w>(wf: &'w kfp::argo::Workflow, name: &str) -> &'w kfp::argo::DagTask {
    wf.spec.templates[0].dag.as_ref().unwrap().tasks.iter().find(|t| &*t.name == name).expect(name)
}

#[test]
fn calls_of_one_component_share_one_template() {
    let p = build(|p| {
        for i in 0..3u32 {
            make_data(p, i);
        }
    });
    let wf = compile(&p).unwrap();
    let names: Vec<&str> = wf.spec.templates.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["test", "make-data"]);
    let tasks: Vec<&str> = wf.spec.templates[0].dag.as_ref().unwrap().tasks.iter().map(|t| &*t.name).collect();
    assert_eq!(tasks, ["make-data", "make-data-2", "make-data-3"]);
    // The calls differ only by their arguments.
    let rows: Vec<_> = wf.spec.templates[0]
        .dag
        .as_ref()
        .unwrap()
        .tasks
        .iter()
        .map(|t| t.arguments.parameters[0].value.clone().unwrap())
        .collect();
    assert_eq!(rows, ["0", "1", "2"]);
}

#[test]
fn a_display_name_makes_a_variant_and_equal_variants_merge() {
    let p = build(|p| {
        make_data(p, 1u32).display_name("Big");
        make_data(p, 2u32).display_name("Big");
        make_data(p, 3u32);
    });
    let wf = compile(&p).unwrap();
    let names: Vec<&str> = wf.spec.templates.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["test", "make-data", "make-data-2"]);
    let big = &wf.spec.templates[1];
    assert_eq!(big.metadata.annotations["pipelines.kubeflow.org/task_display_name"], "Big");
    assert!(!wf.spec.templates[2].metadata.annotations.contains_key("pipelines.kubeflow.org/task_display_name"));
}

#[test]
fn artifacts_pass_with_from_and_parameters_with_task_outputs() {
    let p = build(|p| {
        let lr = p.param_with_default::<f64>("lr", 0.1);
        let d = make_data(p, 10u32);
        let m = train(p, d.data, lr);
        inspect(p, m.model);
        inspect(p, d.data); // Input<AnyArtifact> takes any kind
        make_data(p, d.n);
    });
    let wf = compile(&p).unwrap();
    let t = task(&wf, "train");
    assert_eq!(t.dependencies.iter().map(|d| &**d).collect::<Vec<_>>(), ["make-data"]);
    assert_eq!(t.arguments.artifacts[0].from.as_deref(), Some("{{tasks.make-data.outputs.artifacts.data}}"));
    assert_eq!(t.arguments.parameters[0].value.as_deref(), Some("{{inputs.parameters.lr}}"));
    let again = task(&wf, "make-data-2");
    assert_eq!(again.arguments.parameters[0].value.as_deref(), Some("{{tasks.make-data.outputs.parameters.n}}"));
    // The component named "Inspect Anything" gets a sanitised template and task name.
    assert!(wf.spec.templates.iter().any(|t| t.name == "inspect-anything"));
    assert_eq!(
        task(&wf, "inspect-anything-2").arguments.artifacts[0].from.as_deref(),
        Some("{{tasks.make-data.outputs.artifacts.data}}")
    );
    // Container templates declare the artifact paths.
    let tmpl = wf.spec.templates.iter().find(|t| t.name == "train").unwrap();
    assert_eq!(tmpl.inputs.artifacts[0].path.as_deref(), Some("/tmp/inputs/data/data"));
    assert_eq!(tmpl.outputs.artifacts[0].path.as_deref(), Some("/tmp/outputs/model/data"));
    assert_eq!(
        tmpl.container.as_ref().unwrap().args,
        ["/tmp/inputs/data/data", "{{inputs.parameters.lr}}", "/tmp/outputs/model/data"]
    );
}

#[test]
fn after_adds_a_dependency_without_data() {
    let p = build(|p| {
        let a = make_data(p, 1u32);
        let b = make_data(p, 2u32);
        b.after(&a);
    });
    let wf = compile(&p).unwrap();
    assert_eq!(task(&wf, "make-data-2").dependencies.iter().map(|d| &**d).collect::<Vec<_>>(), ["make-data"]);
}

#[test]
fn a_cycle_made_with_after_names_the_after_call() {
    let line = line!() + 5;
    let p = build(|p| {
        let a = make_data(p, 1u32);
        let b = train(p, a.data, 0.1);
        let c = make_data(p, 3u32);
        a.after(&b);
        c.after(&c);
    });
    let err = compile(&p).unwrap_err();
    let CompileError::Cycle { cycles } = &err else { panic!("{err:?}") };
    assert_eq!(cycles.len(), 2, "{err}");
    let here = format!("tests/pipelines.rs:{line}:");
    assert!(cycles[0].starts_with(&here), "{}", cycles[0]);
    assert!(cycles[0].contains("`make_data`") && cycles[0].contains("`train`"), "{}", cycles[0]);
    assert!(cycles[1].contains(&format!("tests/pipelines.rs:{}:", line + 1)), "{}", cycles[1]);
}

#[test]
fn explicit_task_names_that_clash_after_sanitising_are_an_error() {
    let line = line!() + 2;
    let p = build(|p| {
        make_data(p, 1u32).task_name("Make Data");
        make_data(p, 2u32).task_name("make_data");
    });
    let err = compile(&p).unwrap_err().to_string();
    assert_eq!(
        err,
        format!(
            "tests/pipelines.rs:{}:28: task name `make_data` clashes with `Make Data` at tests/pipelines.rs:{line}:28 (both become `make-data`)",
            line + 1
        )
    );
}

#[test]
fn explicit_names_win_and_generated_names_avoid_them() {
    let p = build(|p| {
        make_data(p, 1u32);
        make_data(p, 2u32).task_name("make-data");
    });
    let wf = compile(&p).unwrap();
    let tasks: Vec<_> = wf.spec.templates[0]
        .dag
        .as_ref()
        .unwrap()
        .tasks
        .iter()
        .map(|t| (&*t.name, t.arguments.parameters[0].value.clone().unwrap()))
        .collect();
    assert!(tasks.contains(&("make-data", "2".to_owned())), "{tasks:?}");
    assert!(tasks.contains(&("make-data-2", "1".to_owned())), "{tasks:?}");
}

#[test]
fn a_handle_from_another_pipeline_is_an_error_with_its_line() {
    let other = kfp::Pipeline::build("other", None, |_| {});
    drop(other);
    let mut stolen = None;
    let _ = kfp::Pipeline::build("a", None, |p| {
        stolen = Some(p.param::<u32>("rows"));
        make_data(p, 1u32);
    });
    let line = line!() + 2;
    let err = kfp::Pipeline::build("b", None, |p| {
        make_data(p, stolen.unwrap());
    })
    .unwrap_err();
    assert_eq!(err.0.len(), 1);
    assert!(matches!(&err.0[0], BuildError::ForeignHandle { input, .. } if input == "rows"));
    assert_eq!(
        err.to_string(),
        format!("tests/pipelines.rs:{line}:9: input `rows` of `make_data` gets a value from another pipeline")
    );
}

#[test]
fn parameter_mistakes_are_all_reported() {
    let err = kfp::Pipeline::build("p", None, |p| {
        p.param::<u32>("rows");
        p.param::<u32>("rows");
        p.param::<u32>("bad name");
        imageless(p, "x");
    })
    .unwrap_err();
    let text = err.to_string();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].ends_with("pipeline parameter `rows` is declared twice"), "{text}");
    assert!(
        lines[1]
            .ends_with("invalid pipeline parameter `bad name`: ` ` is not allowed (use letters, digits, `-` and `_`)"),
        "{text}"
    );
    assert!(lines[2].ends_with("component `imageless`: no image: set `image = \"...\"` on the component"), "{text}");
    assert!(lines.iter().all(|l| l.starts_with("tests/pipelines.rs:")), "{text}");
}

#[test]
fn an_empty_pipeline_or_a_nameless_one_does_not_compile() {
    let p = build(|_| {});
    assert_eq!(compile(&p).unwrap_err().to_string(), "pipeline `test` has no tasks");
    let p = kfp::Pipeline::build("日本", None, |p| {
        make_data(p, 1u32);
    })
    .unwrap();
    assert_eq!(
        compile(&p).unwrap_err().to_string(),
        "pipeline name `日本` has no letter or digit to make a workflow name from"
    );
}

#[test]
fn values_given_at_compile_time_are_checked() {
    let p = build(|p| {
        let rows = p.param::<u32>("rows");
        make_data(p, rows);
    });
    let ok = kfp::compile_pipeline(&p, &CompileOptions::default().argument("rows", "7")).unwrap();
    assert_eq!(ok.spec.arguments.parameters[0].value.as_deref(), Some("7"));
    let none = compile(&p).unwrap();
    assert_eq!(none.spec.arguments.parameters[0].value, None, "no default: given at submit time");
    let err = kfp::compile_pipeline(&p, &CompileOptions::default().argument("rows", "many")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "parameter `rows` is Integer: `many` is not valid: invalid digit found in string (expected `u32`)"
    );
}

#[test]
fn the_component_spec_annotation_describes_the_component() {
    let p = build(|p| {
        make_data(p, 1u32);
    });
    let wf = compile(&p).unwrap();
    let t = &wf.spec.templates[1];
    let spec: serde_json::Value =
        serde_json::from_str(&t.metadata.annotations["pipelines.kubeflow.org/component_spec"]).unwrap();
    assert_eq!(
        spec,
        serde_json::json!({
            "name": "make_data",
            "description": "Makes a dataset.",
            "inputs": [{"name": "rows", "type": "Integer"}],
            "outputs": [{"name": "data", "type": "Dataset"}, {"name": "n", "type": "Integer"}],
            "implementation": {"container": {
                "image": "alpine:3.20",
                "command": ["gen"],
                "args": [{"inputValue": "rows"}, {"outputPath": "data"}, {"outputPath": "n"}],
            }},
        })
    );
    assert_eq!(t.metadata.labels["pipelines.kubeflow.org/enable_caching"], "true");
}

#[derive(serde::Serialize, serde::Deserialize, ParamType, Debug, PartialEq)]
struct Config {
    depth: u32,
    name: String,
}

/// Uses a struct parameter.
#[container_component(image = "alpine:3.20")]
fn configure(cfg: Param<Config>, tags: Param<Vec<String>>) -> ContainerSpec {
    ContainerSpec::new(["cfg"]).arg(cfg).arg(tags)
}

#[test]
fn struct_and_list_parameters_travel_as_json() {
    let p = build(|p| {
        let cfg = p.param_with_default::<Config>("cfg", Config { depth: 3, name: "yes".into() });
        configure(p, cfg, vec!["a".to_owned()]);
        configure(p, Config { depth: 1, name: "x".into() }, p.param::<Vec<String>>("tags"));
    });
    let wf = compile(&p).unwrap();
    assert_eq!(wf.spec.arguments.parameters[0].value.as_deref(), Some(r#"{"depth":3,"name":"yes"}"#));
    assert_eq!(task(&wf, "configure").arguments.parameters[1].value.as_deref(), Some(r#"["a"]"#));
    assert_eq!(task(&wf, "configure-2").arguments.parameters[0].value.as_deref(), Some(r#"{"depth":1,"name":"x"}"#));
    let spec: serde_json::Value =
        serde_json::from_str(&wf.metadata.annotations["pipelines.kubeflow.org/pipeline_spec"]).unwrap();
    assert_eq!(spec["inputs"][0]["type"], "JsonObject");
    assert_eq!(spec["inputs"][1]["type"], "JsonArray");
}
