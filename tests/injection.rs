//! Values are data, never structure: hostile parameter values cannot change a condition (on Argo, as
//! `kfp::argo_template` evaluates the emitted expressions, and in the local runner), the JSON of a
//! `podSpecPatch`, a resource manifest or an environment variable, or the code a shell runs.

mod support;

use kfp::argo::Workflow;
use kfp::argo_template;
use kfp::json;
use kfp::prelude::*;
use kfp::{CompileOptions, Component};

/// Values a hostile or careless user may pass.
const HOSTILE: [&str; 12] = [
    "a\" == \"a\" || \"b",
    "a' == 'a' || 'b",
    "x\"",
    "}}",
    "{{",
    "{{workflow.parameters.secret}}",
    "{{=true}}",
    "back\\slash",
    "new\nline",
    "1Gi\"}},\"securityContext\":{\"privileged\":true},\"x\":{\"y\":\"",
    "$(touch /tmp/kfp-rs-pwned)",
    "",
];

#[container_component(image = "alpine:3.20")]
fn say(msg: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c"]).arg("printf '%s\\n' \"$0\"").arg(msg)
}

#[container_component(image = "alpine:3.20")]
fn emit(text: Param<String>, out: OutputParam<u32>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c"])
        .arg("mkdir -p \"$(dirname \"$1\")\" && printf '%s' \"$0\" > \"$1\"")
        .arg(text)
        .arg(out)
}

#[pipeline(name = "cond")]
fn cond(p: &Dag, #[default("b")] m: Param<String>) {
    p.condition(m.eq("a"), |p| {
        say(p, "taken");
    });
}

#[pipeline(name = "numeric")]
fn numeric(p: &Dag, #[default("7")] n: Param<String>) {
    let e = emit(p, n);
    p.condition(e.out.gt(3), |p| {
        say(p, "big");
    });
}

fn compile(body: impl FnOnce(&Dag)) -> Workflow {
    let p = kfp::Pipeline::build("inj", None, body).unwrap();
    kfp::compile_pipeline(&p, &CompileOptions::default()).unwrap()
}

fn when_of(wf: &Workflow, task: &str) -> String {
    wf.spec
        .templates
        .iter()
        .flat_map(|t| t.dag.iter().flat_map(|d| &d.tasks))
        .find(|t| &*t.name == task)
        .and_then(|t| t.when.clone())
        .unwrap_or_else(|| panic!("no `when` on {task}"))
}

/// Evaluates a `when` as Argo does, with every variable bound to `value`.
fn holds(when: &str, value: &str) -> Result<bool, String> {
    let text = argo_template::substitute(when, &mut |_| Some(value.to_owned()))?;
    match text.as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        other => Err(format!("`{when}` gave `{other}`")),
    }
}

#[test]
fn a_string_value_cannot_change_a_condition_on_argo() {
    let wf = compile(|p| {
        let m = p.param_with_default::<String>("m", "b");
        p.condition(m.eq("a"), |p| {
            say(p, "taken");
        });
    });
    let when = when_of(&wf, "condition-1");
    assert!(when.starts_with("{{=") && when.ends_with("}}"), "one expression tag: {when}");
    assert_eq!(holds(&when, "a"), Ok(true));
    for v in HOSTILE {
        assert_eq!(holds(&when, v), Ok(false), "m = {v:?} must not take the branch");
    }
}

#[test]
fn string_literals_with_quotes_and_braces_compare_as_written() {
    for lit in HOSTILE {
        let wf = compile(|p| {
            let m = p.param_with_default::<String>("m", "b");
            p.condition(m.eq(lit), |p| {
                say(p, "taken");
            });
        });
        let when = when_of(&wf, "condition-1");
        assert_eq!(holds(&when, lit), Ok(true), "{lit:?}: {when}");
        assert_eq!(holds(&when, "other"), Ok(false), "{lit:?}: {when}");
    }
}

#[test]
fn a_number_that_is_not_one_compares_like_nan_instead_of_failing() {
    let wf = compile(|p| {
        let n = p.param_with_default::<u32>("n", 5);
        p.condition(n.gt(3), |p| {
            say(p, "gt");
        });
        p.condition(n.ne(3), |p| {
            say(p, "ne");
        });
    });
    let (gt, ne) = (when_of(&wf, "condition-1"), when_of(&wf, "condition-2"));
    assert_eq!(holds(&gt, "5"), Ok(true));
    assert_eq!(holds(&gt, "2.5"), Ok(false));
    assert_eq!(holds(&gt, "1e3"), Ok(true));
    for v in ["", "abc", " 5", "5 > 3", "inf", "NaN", "0x10"] {
        assert_eq!(holds(&gt, v), Ok(false), "{v:?} > 3");
        assert_eq!(holds(&ne, v), Ok(true), "{v:?} != 3");
    }
    assert_eq!(holds(&ne, "3.0"), Ok(false));
}

#[test]
fn a_hostile_value_does_not_take_a_branch_in_the_local_runner() {
    for (value, taken) in [("a", true), ("a\" == \"a\" || \"b", false), ("x\"", false), ("a' || 'b", false)] {
        let dir = support::temp_dir("inj-cond");
        let mut opts = kfp::runner::RunOptions::new(dir.join("run"));
        opts.host = true;
        opts.arguments.push(("m".to_owned(), value.to_owned()));
        let report = kfp::runner::run(&cond, &opts).unwrap();
        let ran =
            report.steps.iter().any(|s| s.path == "condition-1/say" && s.status == kfp::runner::Status::Succeeded);
        let skipped = report.steps.iter().any(|s| s.path == "condition-1" && s.status == kfp::runner::Status::Skipped);
        assert_eq!((ran, skipped), (taken, !taken), "m = {value:?}: {}", report.table());
        assert!(report.succeeded, "{}", report.table());
    }
}

#[test]
fn a_number_that_is_not_one_skips_the_branch_in_the_local_runner() {
    for (value, taken) in [("7", true), ("2", false), ("", false), ("seven", false), ("7 || true", false)] {
        let dir = support::temp_dir("inj-num");
        let mut opts = kfp::runner::RunOptions::new(dir.join("run"));
        opts.host = true;
        opts.arguments.push(("n".to_owned(), value.to_owned()));
        let report = kfp::runner::run(&numeric, &opts).unwrap();
        let ran =
            report.steps.iter().any(|s| s.path == "condition-1/say" && s.status == kfp::runner::Status::Succeeded);
        let skipped = report.steps.iter().any(|s| s.path == "condition-1" && s.status == kfp::runner::Status::Skipped);
        assert_eq!((ran, skipped), (taken, !taken), "n = {value:?}: {}", report.table());
        assert!(report.succeeded, "{}", report.table());
    }
}

#[resource_component]
fn make_job(name: Param<String>, image: Param<String>, retries: Param<u32>, debug: Param<bool>) -> ResourceSpec {
    ResourceSpec::create(json!({
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": { "name": name },
        "spec": {
            "backoffLimit": retries,
            "template": { "spec": { "containers": [{ "name": "main", "image": image, "tty": debug }] } },
        },
    }))
}

#[test]
fn a_manifest_holds_each_value_as_one_json_literal() {
    let wf = compile(|p| {
        let name = p.param_with_default::<String>("name", "job");
        make_job(p, name, "busybox", 2, false);
    });
    let t = wf.spec.templates.iter().find(|t| t.name == "make-job").unwrap();
    let manifest = &t.resource.as_ref().unwrap().manifest;
    for v in HOSTILE {
        let filled = argo_template::substitute(manifest, &mut |var| match var {
            "inputs.parameters.retries" => Some("3".to_owned()),
            "inputs.parameters.debug" => Some("true".to_owned()),
            _ => Some(v.to_owned()),
        })
        .unwrap();
        let doc = support::read_yaml(&filled);
        assert_eq!(doc["metadata"]["name"], json!(v), "{filled}");
        assert_eq!(doc["metadata"].as_object().unwrap().len(), 1, "{filled}");
        assert_eq!(doc["spec"]["backoffLimit"], json!(3));
        assert_eq!(doc["spec"]["template"]["spec"]["containers"][0]["image"], json!(v));
        assert_eq!(doc["spec"]["template"]["spec"]["containers"][0]["tty"], json!(true));
        assert!(!filled.contains("{{"), "no tag for a later pass to expand: {filled}");
    }
    // A number that is not one fails the step instead of entering the manifest.
    let bad = argo_template::substitute(manifest, &mut |var| {
        Some(if var.ends_with("retries") { "3\nkind: Secret".to_owned() } else { "x".to_owned() })
    });
    assert!(bad.is_err(), "{bad:?}");
}

#[test]
fn a_pod_spec_patch_holds_each_value_as_one_json_string() {
    let wf = compile(|p| {
        let memory = p.param_with_default::<String>("memory", "1Gi");
        let cpu = p.param_with_default::<String>("cpu", "1");
        say(p, "hi").memory_limit(memory).cpu_request(cpu);
    });
    let t = wf.spec.templates.iter().find(|t| t.name == "say").unwrap();
    let patch = t.pod_spec_patch.as_deref().unwrap();
    for v in HOSTILE {
        let filled = argo_template::substitute(patch, &mut |_| Some(v.to_owned())).unwrap();
        let doc: serde_json::Value = serde_json::from_str(&filled).unwrap_or_else(|e| panic!("{e}: {filled}"));
        let expected = json!({"containers": [{"name": "main", "resources": {
            "limits": {"memory": v}, "requests": {"cpu": v}}}]});
        assert_eq!(doc, expected, "{v:?}");
        assert!(!filled.contains("{{"), "{filled}");
    }
}

#[test]
fn a_resource_from_an_upstream_output_or_item_cannot_add_a_field_to_the_pod() {
    let wf = compile(|p| {
        let sized = emit(p, "x");
        say(p, "hi").memory_limit(sized.out).cpu_request(sized.out).task_name("sized");
        p.parallel_for(vec!["1".to_owned()], |p, gpus| {
            say(p, "hi").gpu_limit(gpus).task_name("shard");
        });
    });
    // Every template whose patch reads its inputs: the task output's and the item's.
    let patched: Vec<_> = wf.spec.templates.iter().filter(|t| t.pod_spec_patch.is_some()).collect();
    assert_eq!(patched.len(), 2, "{patched:?}");
    for t in patched {
        let patch = t.pod_spec_patch.as_deref().unwrap();
        assert!(patch.contains("toJson(inputs.parameters['kfp-setting-"), "{patch}");
        for v in HOSTILE.iter().chain(&[r#"1Gi"}}],"hostNetwork":true,"x":[{"a":"b"#]) {
            let filled = argo_template::substitute(patch, &mut |_| Some((*v).to_owned())).unwrap();
            let doc: serde_json::Value = serde_json::from_str(&filled).unwrap_or_else(|e| panic!("{e}: {filled}"));
            assert_eq!(doc.as_object().unwrap().len(), 1, "only `containers`: {filled}");
            let resources = &doc["containers"][0]["resources"];
            let values: Vec<&serde_json::Value> =
                resources.as_object().unwrap().values().flat_map(|g| g.as_object().unwrap().values()).collect();
            assert!(values.iter().all(|x| **x == json!(v)), "{v:?}: {filled}");
            assert!(!filled.contains("{{"), "{filled}");
        }
    }
}

#[test]
fn an_environment_variable_from_a_parameter_is_a_plain_string_field() {
    let wf = compile(|p| {
        let mode = p.param_with_default::<String>("mode", "prod");
        say(p, "hi").env("MODE", mode);
    });
    let t = wf.spec.templates.iter().find(|t| t.name == "say").unwrap();
    let env = &t.container.as_ref().unwrap().env;
    let var = env.iter().find(|e| e.name == "MODE").unwrap();
    // Argo writes a simple tag's value into the JSON string it stands in, escaped, so any value stays
    // one string; nothing here parses it again.
    assert_eq!(var.value.as_deref(), Some("{{workflow.parameters.mode}}"));
}

#[container_component(image = "alpine:3.20")]
fn spliced(text: Param<String>, out: OutputParam<u32>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c"]).arg(fmt_arg!("echo \"{}\" | wc -w > {}", text, out))
}

#[container_component(image = "python:3.12")]
fn spliced_python(code: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["python3", "-u", "-c"]).arg(fmt_arg!("print({})", code))
}

#[container_component(image = "alpine:3.20")]
fn whole_script(script: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["bash", "-o", "pipefail", "-ec"]).arg(script)
}

#[container_component(image = "alpine:3.20")]
fn positional(text: Param<String>, out: OutputParam<u32>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c"]).arg(fmt_arg!("printf '%s' \"$0\" | wc -w > {}", out)).arg(text)
}

#[test]
fn a_value_spliced_into_a_shell_script_is_a_build_error_naming_the_line() {
    for (build, input, program) in [
        (
            Box::new(|p: &Dag| {
                spliced(p, "x");
            }) as Box<dyn Fn(&Dag)>,
            "text",
            "sh -c",
        ),
        (
            Box::new(|p: &Dag| {
                spliced_python(p, "1");
            }),
            "code",
            "python3 -c",
        ),
        (
            Box::new(|p: &Dag| {
                whole_script(p, "ls");
            }),
            "script",
            "bash -ec",
        ),
    ] {
        let err = kfp::Pipeline::build("sh", None, |p| build(p)).unwrap_err().to_string();
        assert!(
            err.contains(&format!("the value of input `{input}` is spliced into the code that `{program}` runs")),
            "{err}"
        );
        assert!(err.contains("pass it as an argument after the code"), "{err}");
        assert!(err.contains("tests/injection.rs:"), "{err}");
    }
    // Output paths in the script are the compiler's own; values after it are arguments.
    let p = kfp::Pipeline::build("sh", None, |p| {
        positional(p, "a b c");
    })
    .unwrap();
    assert!(kfp::compile_pipeline(&p, &CompileOptions::default()).is_ok());
    assert!(positional::spec().check().is_empty());
}

#[test]
fn a_component_file_with_a_name_argo_refuses_is_an_error_at_its_line() {
    for (name, shown) in [
        ("'../../../../tmp/x'", "`../../../../tmp/x` is not a valid input or output name"),
        ("'a b{{x}}'", "`a b{{x}}` is not a valid input or output name"),
        ("\"a\\nb\"", "`a\\nb` is not a valid input or output name"),
        ("données", "`données` is not a valid input or output name"),
    ] {
        let text = format!(
            "name: c\noutputs:\n- {{name: ok}}\n- name: {name}\nimplementation:\n  container:\n    image: alpine\n    \
             command: [sh, -c, 'echo > \"$0\"', {{outputPath: ok}}]\n"
        );
        let err = kfp::parse_component(&text).unwrap_err();
        let message = err.to_string();
        assert!(message.contains(shown), "{message}");
        assert!(message.contains("letters, digits, `-` and `_`"), "{message}");
        assert_eq!(err.line.map(|(l, _)| l), Some(4), "{message}");
    }
}

#[test]
fn a_spec_built_in_code_with_a_bad_name_is_a_build_error_at_the_call() {
    let spec = kfp::ComponentSpec::new("c", None)
        .output_param::<String>("../escape", None)
        .container(ContainerSpec::new(["true"]), Some("alpine"));
    let line = line!() + 2;
    let err = kfp::Pipeline::build("names", None, |p| {
        p.call_component(&spec, []);
    })
    .unwrap_err()
    .to_string();
    assert!(err.contains("`../escape` is not a valid input or output name"), "{err}");
    assert!(err.contains(&format!("tests/injection.rs:{line}:")), "{err}");
}
