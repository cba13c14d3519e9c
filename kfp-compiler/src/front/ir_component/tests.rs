//! The reader on real files kfp 2.17.3 wrote (`examples/components/ir/`, see its `generate.sh`).

use kfp_dsl::Arg;

use crate::parse_component;

fn fixture(name: &str) -> String {
    let path = format!("{}/../examples/components/ir/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn lit(s: &str) -> Arg {
    Arg::Lit(s.to_owned())
}

#[test]
fn every_parameter_type_reads_with_its_default() {
    let spec = parse_component(&fixture("all_parameters.yaml")).unwrap();
    assert_eq!(spec.name, "make-table");
    assert_eq!(spec.description.as_deref(), Some("Writes a CSV table of `rows` rows."));
    let inputs: Vec<(&str, &str, Option<&str>, bool, bool)> = spec
        .inputs
        .iter()
        .map(|i| (&*i.name, i.kind.type_name(), i.default.as_deref(), i.optional, i.kind.is_artifact()))
        .collect();
    assert_eq!(
        inputs,
        [
            ("columns", "JsonArray", Some(r#"["name","value"]"#), true, false),
            ("header", "Boolean", Some("true"), true, false),
            ("name", "String", None, false, false),
            ("note", "String", None, true, false),
            ("options", "JsonObject", Some(r#"{"sep":","}"#), true, false),
            ("rows", "Integer", Some("10"), true, false),
            ("scale", "Float", Some("1.5"), true, false),
        ]
    );
    let outputs: Vec<(&str, &str, bool)> =
        spec.outputs.iter().map(|o| (&*o.name, o.kind.type_name(), o.kind.is_artifact())).collect();
    assert_eq!(outputs, [("count", "Integer", false), ("table", "Dataset", true)]);
    let c = spec.container_spec().unwrap();
    assert_eq!(c.image_ref(), Some("python:3.12-alpine"));
    assert_eq!(&c.command()[..2], &[lit("python3"), lit("-c")]);
    let value = |n: &str| Arg::InputValue(n.to_owned());
    assert_eq!(
        c.arguments(),
        &[
            value("name"),
            value("rows"),
            value("scale"),
            value("header"),
            value("columns"),
            value("options"),
            Arg::OutputPath("table".into()),
            Arg::OutputPath("count".into()),
            Arg::If {
                cond: Box::new(Arg::IsPresent("note".into())),
                then: vec![lit("--note"), value("note")],
                otherwise: vec![lit("--no-note")],
            },
            Arg::Concat(vec![lit("--label="), value("name"), lit("-"), value("rows")]),
            Arg::Concat(vec![lit("--scale="), value("scale")]),
        ]
    );
}

#[test]
fn artifacts_read_as_paths_typed_by_schema_title() {
    let spec = parse_component(&fixture("artifacts.yaml")).unwrap();
    assert_eq!(spec.name, "evaluate");
    let inputs: Vec<(&str, &str, bool, bool)> =
        spec.inputs.iter().map(|i| (&*i.name, i.kind.type_name(), i.optional, i.kind.is_artifact())).collect();
    assert_eq!(
        inputs,
        [
            ("baseline", "Artifact", true, true),
            ("model", "Model", false, true),
            ("table", "Dataset", false, true),
            ("threshold", "Float", true, false),
        ]
    );
    let outputs: Vec<(&str, &str, bool)> =
        spec.outputs.iter().map(|o| (&*o.name, o.kind.type_name(), o.kind.is_artifact())).collect();
    assert_eq!(
        outputs,
        [
            ("best", "Model", true),
            ("metrics", "Metrics", true),
            ("other", "Artifact", true),
            ("report", "Markdown", true),
            ("score", "Float", false),
        ]
    );
    let args = spec.container_spec().unwrap().arguments();
    assert_eq!(args[0], Arg::InputPath("table".into()));
    assert_eq!(args[2], Arg::OutputPath("report".into()));
    assert_eq!(
        args[8],
        Arg::If {
            cond: Box::new(Arg::IsPresent("baseline".into())),
            then: vec![lit("--baseline"), Arg::InputPath("baseline".into())],
            otherwise: vec![],
        }
    );
}

#[test]
fn the_format_is_told_apart_and_json_ir_reads_too() {
    let yaml = fixture("all_parameters.yaml");
    assert!(super::looks_like_ir(&yaml));
    for v1 in ["make_data.yaml", "train.yaml"] {
        let path = format!("{}/../examples/components/{v1}", env!("CARGO_MANIFEST_DIR"));
        assert!(!super::looks_like_ir(&std::fs::read_to_string(path).unwrap()), "{v1}");
    }
    // A component.yaml written as JSON, whose values say `root`, is not the IR.
    assert!(!super::looks_like_ir(r#"{"name": "root", "description": "root: deploymentSpec"}"#));
    // kfp also compiles to JSON (`compile(c, 'x.json')`).
    let (ir, _) = crate::kfp_v2::from_yaml(&yaml).unwrap();
    let json = serde_json::to_string_pretty(&ir).unwrap();
    assert!(super::looks_like_ir(&json));
    let (mut from_json, from_yaml) = (parse_component(&json).unwrap(), parse_component(&yaml).unwrap());
    // The description is only in the YAML's header comment.
    assert_eq!(from_json.description, None);
    from_json.description.clone_from(&from_yaml.description);
    assert_eq!(from_json, from_yaml);
}

/// `fixture` with `from` replaced by `to` (which must be there).
fn edited(name: &str, from: &str, to: &str) -> String {
    let text = fixture(name);
    assert!(text.contains(from), "{name} has no `{from}`");
    text.replacen(from, to, 1)
}

/// Each refusal, in full: what, where (the field) and how to fix.
#[test]
fn what_the_model_cannot_express_is_refused_clearly() {
    let cases: Vec<(String, &str)> = vec![
        (
            fixture("lightweight.yaml"),
            r#"`deploymentSpec.executors.exec-add.container.args[1]`: `{{$}}` is the executor input of a lightweight Python component (`@dsl.component`): kfp's own executor reads it to call the function, and only the KFP v2 launcher writes it; kfp-rs components also run on Argo, where nothing writes it, so kfp-rs cannot load this component: write it as a `@dsl.container_component` (or in Rust, as a `#[component]`) and compile that"#,
        ),
        (
            fixture("two_steps.yaml"),
            r#"`components` holds 2 components (`comp-echo`, `comp-echo-2`): this is a pipeline, and a component file holds one component; compile each `@dsl.container_component` by itself: `kfp.compiler.Compiler().compile(my_component, 'component.yaml')`"#,
        ),
        (
            fixture("importer.yaml"),
            r#"`deploymentSpec.executors.exec-importer` is an importer (`dsl.importer`), not a container: kfp-rs loads container components and has no importer: pass the artifact from the task that writes it instead"#,
        ),
        (
            edited(
                "summarize.yaml",
                "    tasks:\n      summarize:\n",
                "    tasks:\n      again:\n        componentRef:\n          name: comp-summarize\n        taskInfo:\n          name: again\n      summarize:\n",
            ),
            r#"`root.dag` has 2 tasks: this is a pipeline, and a component file's root runs its one component once; compile each `@dsl.container_component` by itself: `kfp.compiler.Compiler().compile(my_component, 'component.yaml')`"#,
        ),
        (
            fixture("artifact_uri.yaml"),
            r#"`deploymentSpec.executors.exec-upload.container.args[0]`: the placeholder `{{$.inputs.artifacts['data'].uri}}` has no counterpart in kfp-rs's component model, which passes input values and the paths of input and output files: pass the value or the file's path instead (`x` or `x.path` in the `@dsl.container_component`) and compile the component again"#,
        ),
        (
            edited(
                "summarize.yaml",
                "        image: alpine:3.20\n",
                "        image: alpine:3.20\n        resources:\n          resourceCpuLimit: '2'\n",
            ),
            r#"`deploymentSpec.executors.exec-summarize.container.resources`: kfp-rs sets CPU, memory and accelerators on each task, not in the component: delete `resources` and set them on the task in Rust (`.cpu_limit("2")`, `.memory_limit("4Gi")`)"#,
        ),
        (
            format!(
                "{}---\nplatforms:\n  kubernetes:\n    deploymentSpec:\n      executors: {{}}\n",
                fixture("summarize.yaml")
            ),
            r#"the file has a second YAML document, a kfp-kubernetes `PlatformSpec` (secrets, volumes, node selectors ...), which kfp-rs does not read from component files: delete it (from the `---` on) and set those on the task in Rust"#,
        ),
        (
            edited("summarize.yaml", "'{{$.inputs.parameters[''title'']}}'", "'{{$.inputs.parameters[''titel'']}}'"),
            r#"`deploymentSpec.executors.exec-summarize.container.args[2]`: the placeholder `{{$.inputs.parameters['titel']}}` names `titel`, which is not an input parameter of the component (input parameters: `limit`, `title`)"#,
        ),
        (
            edited(
                "summarize.yaml",
                "'{{$.inputs.parameters[''title'']}}'",
                "'{{$.inputs.artifacts[''title''].path}}'",
            ),
            r#"`deploymentSpec.executors.exec-summarize.container.args[2]`: the placeholder `{{$.inputs.artifacts['title'].path}}` names `title`, which is not an input artifact of the component (input artifacts: `data`)"#,
        ),
        (
            edited("summarize.yaml", "defaultValue: Summary", "defaultValue: 3.0"),
            r#"`components.comp-summarize.inputDefinitions.parameters.title.defaultValue` is `3.0`, not a value of its type STRING: fix the default in the component's source and compile it again"#,
        ),
        (
            edited("summarize.yaml", "parameterType: STRING", "parameterType: TASK_FINAL_STATUS"),
            r#"`components.comp-summarize.inputDefinitions.parameters.title.parameterType` is TASK_FINAL_STATUS, which the KFP v2 backend fills in for an exit handler's or a task's settings; kfp-rs cannot pass it: remove that input from the component and compile it again"#,
        ),
        (
            edited("artifacts.yaml", "          isOptional: true\n", "          isArtifactList: true\n"),
            r#"`components.comp-evaluate.inputDefinitions.artifacts.baseline` is a list of artifacts (`isArtifactList`), which a container component cannot read (the KFP launcher fills no placeholder for a list; in kfp-rs only a Rust `#[component]` takes `Input<Vec<K>>`): declare one artifact and compile the component again"#,
        ),
        (
            edited(
                "summarize.yaml",
                "{\"IfPresent\": {\"InputName\": \"limit\"",
                "{\"IfPresent\": {\"InputName\": \"limits\"",
            ),
            r#"`deploymentSpec.executors.exec-summarize.container.args[5]`: `IfPresent` names `limits`, which is not an input (inputs: `limit`, `title`, `data`)"#,
        ),
        (
            edited(
                "summarize.yaml",
                "{\"IfPresent\": {\"InputName\": \"limit\"",
                "{\"IfPresent\": {\"Input\": \"limit\"",
            ),
            r#"`deploymentSpec.executors.exec-summarize.container.args[5]`: unknown field `Input` in `IfPresent`; expected `InputName`, `Then`, `Else`"#,
        ),
        (
            edited("summarize.yaml", "'{{$.inputs.parameters[''title'']}}'", "'--run={{$.pipeline_job_name}}'"),
            r#"`deploymentSpec.executors.exec-summarize.container.args[2]`: the placeholder `{{$.pipeline_job_name}}` has no counterpart in kfp-rs's component model, which passes input values and the paths of input and output files: pass the value or the file's path instead (`x` or `x.path` in the `@dsl.container_component`) and compile the component again"#,
        ),
        (
            edited("summarize.yaml", "pipelineInfo:\n  name: summarize\n", "pipelineInfo:\n  nam: summarize\n"),
            r#"line 63, column 3: unknown field `nam`, expected one of displayName, description, name (reading a kfp 2.x IR component file)"#,
        ),
    ];
    for (text, expected) in &cases {
        let e = parse_component(text).expect_err(expected).to_string();
        assert_eq!(&e, expected);
    }
}
