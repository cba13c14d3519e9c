//! Helpers shared by the integration tests: example binaries, the shared tools, a YAML 1.1 reader.

#![allow(dead_code, missing_docs, unreachable_pub)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The examples that compile a pipeline with `compile` (every example but the benchmark).
pub const EXAMPLES: &[&str] = &[
    "hello",
    "linear",
    "parallel_for",
    "parallel_for_outputs",
    "condition",
    "recursion",
    "exit_handler",
    "lightweight",
    "train_eval",
    "component_yaml",
    "pod_settings",
    "pipeline_conf",
    "metrics",
    "k8s_resources",
    "kubeflow",
    "many_steps",
    "collected_artifacts",
    "cleanup",
    "release",
    "concurrency",
    "caching",
    "shards",
    "importer",
    "file_from",
    "pod_volumes",
    "pipeline_outputs",
    "template_library",
    "run_info",
    "sized",
    "escape_hatch",
];

/// Whether missing tools must fail the tests (in CI) rather than skip them.
pub fn required() -> bool {
    std::env::var_os("CI").is_some() || std::env::var_os("KFP_REQUIRE_TOOLS").is_some()
}

/// The built example binary `name` (cargo builds examples before it runs integration tests).
pub fn example_bin(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    // target/<profile>/deps/<test>-<hash>  ->  target/<profile>/examples/<name>
    let profile_dir = exe.parent().and_then(Path::parent).expect("target/<profile>");
    let bin = profile_dir.join("examples").join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(bin.exists(), "example binary {} is missing: run `cargo test` (which builds examples)", bin.display());
    bin
}

/// Runs example `name` with `args`.
pub fn run_example(name: &str, args: &[&str]) -> Output {
    Command::new(example_bin(name)).args(args).output().expect("run example")
}

/// `compile` output of example `name`.
pub fn compile_example(name: &str, extra: &[&str]) -> String {
    let mut args = vec!["compile"];
    args.extend_from_slice(extra);
    let out = run_example(name, &args);
    assert!(out.status.success(), "{name} compile failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// `../shared` beside the checkout, or `$KFP_SHARED_DIR`.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("KFP_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("shared"));
    dir.join("tools").join("argo-validate").exists().then_some(dir)
}

fn python_has(modules: &str) -> bool {
    Command::new("python3")
        .args(["-c", &format!("import {modules}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Skips (returns false) or, in CI, fails when a tool is missing.
pub fn need(what: &str, ok: bool) -> bool {
    if !ok {
        if required() {
            panic!("{what} is required in CI");
        }
        eprintln!("SKIPPED: {what} is not available");
    }
    ok
}

/// Whether `python3` with PyYAML is here (skips the test, or fails it in CI, when not).
pub fn have_pyyaml() -> bool {
    need("python3 with PyYAML (`pip install pyyaml`)", python_has("yaml"))
}

/// Whether argo-validate can run (skips the test, or fails it in CI, when not).
pub fn have_argo_validate() -> Option<PathBuf> {
    let dir = shared_dir();
    let ok = dir.is_some() && python_has("yaml, jsonschema");
    need("../shared/tools/argo-validate with `pip install pyyaml jsonschema`", ok).then(|| dir.unwrap())
}

/// `../shared/tools/ir-validate`, when it and its Python packages are here (skips the test, or fails
/// it in CI, when not).
pub fn have_ir_validate() -> Option<PathBuf> {
    let tool = shared_dir().map(|d| d.join("tools/ir-validate")).filter(|t| t.exists());
    let ok = tool.is_some() && python_has("yaml, google.rpc; from kfp.pipeline_spec import pipeline_spec_pb2");
    need("ir-validate with kfp-pipeline-spec, googleapis-common-protos and pyyaml", ok).then(|| tool.unwrap())
}

/// Runs `ir-validate --werror` on `files`, failing the test with its report when it rejects one.
pub fn ir_validate(tool: &Path, files: &[PathBuf]) {
    let out = Command::new("python3").arg(tool).arg("--werror").args(files).output().expect("run ir-validate");
    assert!(
        out.status.success(),
        "ir-validate rejected the IR:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Writes the IR `yaml` of pipeline `name` to a file and checks it with `ir-validate --werror` (when
/// the tool is here; in CI it must be).
pub fn ir_validate_text(name: &str, yaml: &str) {
    let Some(tool) = have_ir_validate() else { return };
    let file =
        temp_dir(&format!("ir-validate-{}", name.replace(' ', "-"))).join(format!("{}.yaml", name.replace(' ', "-")));
    std::fs::write(&file, yaml).expect("write the IR");
    ir_validate(&tool, &[file]);
}

/// Parses YAML the way a YAML 1.1 reader (Argo, kubectl) does, returned as JSON.
pub fn read_yaml11(yaml: &str) -> serde_json::Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/yaml11_to_json.py");
    let mut child = Command::new("python3")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3");
    use std::io::Write;
    child.stdin.take().expect("stdin").write_all(yaml.as_bytes()).expect("write yaml");
    let out = child.wait_with_output().expect("python3 output");
    assert!(out.status.success(), "YAML 1.1 reader failed: {}", String::from_utf8_lossy(&out.stderr));
    let mut docs: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(docs.len(), 1, "one document");
    docs.remove(0)
}

/// Runs argo-validate on `file` against the default (v4.1) and the v3.4 schema.
pub fn argo_validate(shared: &Path, file: &Path) {
    for schema in [None, Some("workflow-v3.4.schema.json")] {
        argo_validate_with(shared, file, schema);
    }
}

/// Runs argo-validate on `file` against one schema (`None`: v4.1).
pub fn argo_validate_with(shared: &Path, file: &Path, schema: Option<&str>) {
    {
        let mut cmd = Command::new("python3");
        cmd.arg(shared.join("tools/argo-validate"));
        if let Some(s) = schema {
            cmd.arg("--schema").arg(shared.join("argo").join(s));
        }
        let out = cmd.arg(file).output().expect("run argo-validate");
        assert!(
            out.status.success(),
            "argo-validate ({}) rejected {}:\n{}{}",
            schema.unwrap_or("v4.1"),
            file.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A fresh temporary directory under the target directory.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kfp-rs-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}
