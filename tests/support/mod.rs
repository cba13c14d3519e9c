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

/// `../shared` beside the checkout, or `$KFP_SHARED_DIR`, when it is there.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("KFP_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("shared"));
    dir.join("tools").join("argo-validate").exists().then_some(dir)
}

/// `../shared` (or `$KFP_SHARED_DIR`); fails the test saying so when it is not there.
pub fn require_shared() -> PathBuf {
    let dir = shared_dir();
    need("the project's shared directory (`../shared` beside the checkout, or set KFP_SHARED_DIR)", dir.is_some());
    dir.unwrap()
}

/// The Python interpreter the tools run with: `$KFP_PYTHON`, or `python3`.
pub fn python() -> Command {
    Command::new(std::env::var_os("KFP_PYTHON").unwrap_or_else(|| "python3".into()))
}

fn python_has(modules: &str) -> bool {
    python()
        .args(["-c", &format!("import {modules}")])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Fails the test, saying what to install, when `ok` is false. A test that needs something outside
/// the repository is `#[ignore]`d (`.ci/run` runs it with `--ignored`); run, it checks or fails.
pub fn need(what: &str, ok: bool) {
    assert!(ok, "this test needs {what}; install it, or run the whole suite with `.ci/run`, which installs it");
}

/// Fails the test unless `python3` with PyYAML is here.
pub fn have_pyyaml() {
    need("python3 with PyYAML (`pip install pyyaml`)", python_has("yaml"));
}

/// `../shared`, where argo-validate is; fails the test unless it and its Python packages are here.
pub fn have_argo_validate() -> PathBuf {
    let dir = require_shared();
    need(
        "python3 with `pip install pyyaml jsonschema` for ../shared/tools/argo-validate",
        python_has("yaml, jsonschema"),
    );
    dir
}

/// `../shared/tools/ir-validate`; fails the test unless it and its Python packages are here.
pub fn have_ir_validate() -> PathBuf {
    let tool = require_shared().join("tools/ir-validate");
    need(&format!("{}", tool.display()), tool.exists());
    need(
        "python3 with `pip install pyyaml kfp-pipeline-spec==2.17.3 googleapis-common-protos` for ir-validate",
        python_has("yaml, google.rpc; from kfp.pipeline_spec import pipeline_spec_pb2"),
    );
    tool
}

/// `yaml` (an Argo document, a `compile --split` bundle, or KFP v2 IR) passes `kfp::lint` for the
/// default Argo version, or the test fails listing every problem.
pub fn assert_lints_clean(name: &str, yaml: &str) {
    assert_lints_clean_for(name, yaml, kfp_compiler::argo::ArgoVersion::default());
}

/// [`assert_lints_clean`] against Argo `version`'s schema.
pub fn assert_lints_clean_for(name: &str, yaml: &str, version: kfp_compiler::argo::ArgoVersion) {
    let problems =
        kfp::lint::lint_str_for(yaml, version).unwrap_or_else(|e| panic!("{name}: lint cannot read it: {e}"));
    let lines: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
    let shown = if yaml.len() < 20_000 { yaml } else { "(too long to show)" };
    assert!(lines.is_empty(), "{name} ({version:?}) has lint problems:\n{}\n{shown}", lines.join("\n"));
}

/// [`assert_lints_clean`] for Argo v4.1 (the default) and v3.4, as `.ci/run` checks with argo-validate.
pub fn assert_lints_clean_both(name: &str, yaml: &str) {
    use kfp_compiler::argo::ArgoVersion;
    for version in [ArgoVersion::default(), ArgoVersion::V3_4] {
        assert_lints_clean_for(name, yaml, version);
    }
}

/// One YAML document (YAML 1.1 booleans as the Go reader Argo and kubectl use reads them), as JSON,
/// read in-process.
pub fn read_yaml(yaml: &str) -> serde_json::Value {
    let mut docs: Vec<serde_json::Value> =
        serde_saphyr::from_multiple(yaml).unwrap_or_else(|e| panic!("not YAML: {e}\n{yaml}"));
    docs.retain(|d| !d.is_null());
    assert_eq!(docs.len(), 1, "one document");
    docs.remove(0)
}

/// Parses YAML the way PyYAML, an independent YAML 1.1 reader, does (dates and sexagesimal numbers
/// included), returned as JSON. Fails the test unless python3 with PyYAML is here.
pub fn read_yaml11(yaml: &str) -> serde_json::Value {
    have_pyyaml();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/yaml11_to_json.py");
    let mut child = python()
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
        let mut cmd = python();
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

/// A fresh temporary directory under the system's temporary directory.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kfp-rs-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}
