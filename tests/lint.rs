//! `lint`: Argo's testdata, every example's output (each Argo version's shape and each kind), a
//! 1000-task pipeline, the `lint` command line, and agreement with `argo-validate`.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use kfp::lint::{lint_file, lint_str, lint_str_for};
use kfp_compiler::argo::ArgoVersion;
use serde_json::{Value, json};
use support::{EXAMPLES, compile_example, example_bin, have_argo_validate, python, temp_dir};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/argo-testdata").join(name)
}

/// `text` lints clean, or the test fails with the problems.
fn assert_clean(what: &str, text: &str, version: ArgoVersion) {
    let problems = lint_str_for(text, version).unwrap_or_else(|e| panic!("{what}: {e}"));
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert!(lines.is_empty(), "{what} has lint problems:\n{}", lines.join("\n"));
}

#[test]
fn argo_valid_testdata_is_clean() {
    assert_eq!(lint_file(&fixture("valid.yaml")).unwrap(), []);
}

#[test]
fn argo_broken_testdata_reports_every_marked_line() {
    let text = std::fs::read_to_string(fixture("broken.yaml")).unwrap();
    // The lines with YAML and a comment after it are the marked ones.
    let marked = text.lines().filter(|l| !l.trim_start().starts_with('#') && l.contains(" # ")).count();
    let mut got: Vec<(&str, String)> = lint_str(&text).unwrap().into_iter().map(|p| (p.rule, p.path)).collect();
    got.sort();
    let t = "spec.templates[0]";
    let mut want = vec![
        ("argo/name", format!("{t}.name")),                  // my_pipeline
        ("argo/unknown-template", "spec.onExit".to_owned()), // cleanup
        ("argo/unknown-parameter", format!("{t}.dag.tasks[0].arguments.parameters[0].value")), // nope
        ("argo/unknown-field", format!("{t}.dag.tasks[1].dependecies")), // typo
        ("argo/out-of-scope", format!("{t}.dag.tasks[1].arguments.parameters[0].value")), // c
        ("argo/dag-dependency", format!("{t}.dag.tasks[2].dependencies[2]")), // ghost
        ("argo/missing-input", format!("{t}.dag.tasks[2].template")), // msg
        ("argo/dag-cycle", format!("{t}.dag")),              // c -> d -> c
        ("argo/unknown-output", format!("{t}.dag.tasks[3].arguments.parameters[0].value")), // missing
        ("argo/unknown-input", "spec.templates[1].container.command[1]".to_owned()), // mesage
        ("argo/template-type", "spec.templates[1]".to_owned()), // two types
    ];
    want.sort();
    assert_eq!(marked, want.len(), "the fixture's marked lines");
    assert_eq!(got, want);
}

#[test]
fn every_example_output_lints_clean() {
    let kinds: &[&[&str]] = &[
        &[],
        &["--kind", "workflow-template"],
        &["--kind", "cluster-workflow-template"],
        &["--kind", "cron-workflow", "--schedule", "0 2 * * *"],
    ];
    for ex in EXAMPLES {
        for kind in kinds {
            assert_clean(&format!("{ex} {kind:?}"), &compile_example(ex, kind), ArgoVersion::V4_1);
        }
        for v in ArgoVersion::ALL {
            let out = compile_example(ex, &["--argo-version", v.as_str()]);
            assert_clean(&format!("{ex} --argo-version {v}"), &out, v);
        }
    }
}

#[test]
fn a_split_bundle_and_a_1000_task_pipeline_lint_clean() {
    let dir = temp_dir("lint-scale");
    let file = dir.join("scale.yaml");
    let out = Command::new(example_bin("scale")).args(["--tasks", "1000", "-o"]).arg(&file).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let problems = lint_file(&file).unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    let split = compile_example("many_steps", &["--split", "--max-size", "20KiB"]);
    assert!(split.matches("\n---").count() >= 1, "a bundle of several documents");
    assert_clean("many_steps --split", &split, ArgoVersion::V4_1);
    assert_clean("hello --format json", &compile_example("hello", &["--format", "json"]), ArgoVersion::V4_1);
}

#[test]
fn lint_command_lines_exit_status_and_errors() {
    let dir = temp_dir("lint-cli");
    let bad = dir.join("bad.yaml");
    std::fs::write(&bad, std::fs::read_to_string(fixture("broken.yaml")).unwrap()).unwrap();
    let good = fixture("valid.yaml");
    let run = |args: &[&Path]| Command::new(example_bin("hello")).arg("lint").args(args).output().unwrap();

    let out = run(&[&good]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("{}: ok\n", good.display()));

    let out = run(&[&good, &bad]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 12, "{stdout}");
    let prefix = format!("{}: ", bad.display());
    assert!(lines[1..].iter().all(|l| l.starts_with(&prefix) && l.ends_with(']')), "{stdout}");
    assert!(
        lines.contains(&format!("{prefix}spec.onExit: template `cleanup` not found [argo/unknown-template]").as_str())
    );
    assert_eq!(String::from_utf8_lossy(&out.stderr), "error: 11 problems in 1 of 2 files\n");

    let missing = dir.join("missing.yaml");
    let out = run(&[&missing]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with(&format!("error: {}: cannot read: ", missing.display())), "{stderr}");

    let out = Command::new(example_bin("hello")).args(["lint", "-o", "x.yaml"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "error: `lint` writes no file: drop `--output`\n");

    // Without FILE: the pipeline's own output, for both targets.
    for target in ["argo", "kfp-v2"] {
        let out = Command::new(example_bin("hello")).args(["lint", "--target", target]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(String::from_utf8_lossy(&out.stdout), format!("<{target} compiled>: ok\n"));
    }
}

/// Documents derived from an example's output, each breaking one rule both tools check.
fn mutations(base: &Value) -> Vec<(&'static str, Value)> {
    let main = base["spec"]["entrypoint"].as_str().unwrap().to_owned();
    let i = base["spec"]["templates"].as_array().unwrap().iter().position(|t| t["name"] == json!(main)).unwrap();
    let edit = |f: &dyn Fn(&mut Value)| {
        let mut d = base.clone();
        f(&mut d);
        d
    };
    // Sets `key` of the entrypoint DAG's first task.
    let set = |d: &mut Value, key: &str, v: Value| d["spec"]["templates"][i]["dag"]["tasks"][0][key] = v;
    vec![
        ("unknown field", edit(&|d| set(d, "dependecies", json!([])))),
        ("unknown template", edit(&|d| set(d, "template", json!("no-such-template")))),
        ("bad task name", edit(&|d| set(d, "name", json!("bad_name")))),
        ("undeclared parameter", edit(&|d| set(d, "when", json!("'{{workflow.parameters.nope}}' == 'x'")))),
        ("unknown dependency", edit(&|d| set(d, "depends", json!("ghost")))),
        (
            "self cycle",
            edit(&|d| {
                let name = d["spec"]["templates"][i]["dag"]["tasks"][0]["name"].clone();
                set(d, "dependencies", json!([name]))
            }),
        ),
        ("wrong type", edit(&|d| d["spec"]["parallelism"] = json!("many"))),
        ("no entrypoint", edit(&|d| d["spec"]["entrypoint"] = json!("nowhere"))),
    ]
}

#[test]
#[ignore = "needs ../shared/tools/argo-validate with python3 and `pip install pyyaml jsonschema`; run by .ci/run"]
fn agrees_with_argo_validate() {
    let shared = have_argo_validate();
    let dir = temp_dir("lint-agree");
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    let mut add = |name: String, text: &str| {
        let path = dir.join(format!("{}.yaml", name.replace([' ', '/'], "-")));
        std::fs::write(&path, text).unwrap();
        files.push((name, path));
    };
    for ex in ["hello", "condition", "parallel_for_outputs", "recursion", "exit_handler", "kubeflow", "metrics"] {
        let text = compile_example(ex, &[]);
        add(ex.to_owned(), &text);
        add(format!("{ex} template"), &compile_example(ex, &["--kind", "workflow-template"]));
        let doc: Value = serde_saphyr::from_str(&text).unwrap();
        for (what, bad) in mutations(&doc) {
            add(format!("{ex} {what}"), &serde_json::to_string_pretty(&bad).unwrap());
        }
    }
    for f in ["valid.yaml", "broken.yaml"] {
        add(f.to_owned(), &std::fs::read_to_string(fixture(f)).unwrap());
    }
    // One run of argo-validate over every file: it prints `OK   FILE` or `FAIL FILE` for each.
    let theirs = python().arg(shared.join("tools/argo-validate")).args(files.iter().map(|(_, p)| p)).output().unwrap();
    let report = String::from_utf8_lossy(&theirs.stdout);
    let mut disagree = Vec::new();
    for (name, path) in &files {
        let ours = lint_file(path).unwrap();
        let passes = report.lines().any(|l| l.starts_with(&format!("OK   {} (", path.display())));
        let fails = report.lines().any(|l| l == format!("FAIL {}", path.display()));
        assert!(passes != fails, "argo-validate said nothing clear about {name}:\n{report}");
        if ours.is_empty() != passes {
            disagree.push(format!(
                "{name}: lint {}, argo-validate {}\n  lint: {ours:?}",
                if ours.is_empty() { "passes" } else { "fails" },
                if passes { "passes" } else { "fails" },
            ));
        }
    }
    if !disagree.is_empty() {
        panic!("lint and argo-validate disagree:\n{}\nargo-validate:\n{report}", disagree.join("\n"));
    }
    let failing = files.iter().filter(|(_, p)| !lint_file(p).unwrap().is_empty()).count();
    assert!(failing >= 7 * 8, "the mutated documents fail ({failing} of {})", files.len());
}

/// A pipeline whose merge patch leaves a workflow Argo refuses (a `podGC` strategy it does not know).
#[kfp::pipeline(name = "bad patch")]
fn bad_patch(p: &kfp::Dag) {
    p.argo_patch(kfp::json!({"spec": {"podGC": {"strategy": "Sometimes"}}}));
    let _ = hello_step(p);
}

#[kfp::container_component(image = "alpine:3.20")]
fn hello_step() -> kfp::ContainerSpec {
    kfp::ContainerSpec::new(["echo", "hi"])
}

#[test]
fn a_debug_compile_lints_its_own_output_and_writes_nothing_it_would_refuse() {
    let dir = temp_dir("lint-own-output");
    let file = dir.join("out.yaml");
    let mut out = Vec::new();
    let args = ["bad-patch", "compile", "-o", file.to_str().unwrap()];
    let err = kfp::run(bad_patch, args, &mut out).expect_err("a debug build refuses the output").to_string();
    assert!(err.contains("breaks 1 lint rule(s)"), "{err}");
    assert!(err.contains("spec.podGC.strategy") && err.contains("[argo/pod-gc]"), "{err}");
    assert!(err.contains("`compile --no-lint` writes it anyway"), "{err}");
    assert!(!err.contains('\n'), "one line: {err}");
    assert!(!file.exists(), "nothing is written");
    // `--no-lint` writes it as it is.
    kfp::run(bad_patch, ["bad-patch", "compile", "--no-lint", "-o", file.to_str().unwrap()], &mut out).unwrap();
    assert!(std::fs::read_to_string(&file).unwrap().contains("strategy: Sometimes"));
}
