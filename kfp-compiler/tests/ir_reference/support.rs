//! Emits a hand-built IR, lints it, and compares it with the reference file; and, in the ignored
//! test that `.ci/run` runs, reads it with PyYAML and validates it with `ir-validate`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use kfp_compiler::kfp_v2::{PipelineSpec, PlatformSpec, from_yaml, to_json, to_yaml};
use serde_json::Value;

/// `tests/fixtures/kfp-v2/<name>.yaml` of the workspace: kfp 2.17.3's IR, copied from
/// `../shared/reference/kfp-v2/` (the workspace's `tests/ir_parity.rs` checks the copies).
pub(crate) fn reference_file(name: &str) -> PathBuf {
    reference_dir().join(format!("{name}.yaml"))
}

fn reference_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/kfp-v2")
}

/// `tests/ir_reference/extra/<name>.yaml` (compiled by kfp 2.17.3 from the `.py` beside it).
pub(crate) fn extra_file(name: &str) -> PathBuf {
    extra_dir().join(format!("{name}.yaml"))
}

/// Emits `spec` (and `platform`), then checks it against the reference file: the same values but
/// `sdkVersion`, read as YAML 1.2; the JSON form the same values; and clean for `kfp_compiler::lint`.
pub(crate) fn check_against(reference_file: &Path, name: &str, spec: &PipelineSpec, platform: Option<&PlatformSpec>) {
    let ours = to_yaml(spec, platform).expect("emit yaml");
    assert!(ours.starts_with("components:") || ours.starts_with("deploymentSpec:"), "{ours}");
    let json: Value = serde_json::from_str(&to_json(spec, platform).expect("emit json")).expect("json parses");

    let reference =
        std::fs::read_to_string(reference_file).unwrap_or_else(|e| panic!("{}: {e}", reference_file.display()));

    let ours_docs = without_sdk_version(read_yaml12(&ours));
    let ref_docs = without_sdk_version(read_yaml12(&reference));
    assert_same(name, "YAML 1.2", &ours_docs, &ref_docs);
    match &ours_docs[..] {
        [one] => assert_eq!(without_sdk_version(vec![json]), vec![one.clone()], "{name}: JSON differs from YAML"),
        [spec_doc, platform_doc] => {
            assert_eq!(without_sdk_version(vec![json["pipeline_spec"].clone()])[0], *spec_doc, "{name}: JSON spec");
            assert_eq!(json["platform_spec"], *platform_doc, "{name}: JSON platform spec");
        }
        _ => panic!("{name}: {} documents", ours_docs.len()),
    }
    assert_lints_clean(name, &ours);

    if let Some(keep) = std::env::var_os("KFP_IR_OUT") {
        // For a look at the bytes: `KFP_IR_OUT=/tmp/ir cargo test --test ir_reference`.
        std::fs::create_dir_all(&keep).expect("KFP_IR_OUT");
        std::fs::write(Path::new(&keep).join(format!("{name}.yaml")), &ours).expect("write KFP_IR_OUT");
    }
}

/// Emits `spec` and `platform` and checks that the YAML reads back, as YAML 1.2, as the same values
/// as the JSON form; and that it lints clean.
pub(crate) fn check_round_trip(name: &str, spec: &PipelineSpec, platform: Option<&PlatformSpec>) {
    let ours = to_yaml(spec, platform).expect("emit yaml");
    assert_same(name, "YAML 1.2", &read_yaml12(&ours), &json_docs(spec, platform));
    assert_lints_clean(name, &ours);
}

/// The documents of `spec`'s JSON form (the spec, and the platform spec when there is one).
fn json_docs(spec: &PipelineSpec, platform: Option<&PlatformSpec>) -> Vec<Value> {
    let json: Value = serde_json::from_str(&to_json(spec, platform).expect("emit json")).expect("json parses");
    match platform {
        Some(_) => vec![json["pipeline_spec"].clone(), json["platform_spec"].clone()],
        None => vec![json],
    }
}

/// `yaml` has no `kfp_compiler::lint` problem, or the test fails listing them.
fn assert_lints_clean(name: &str, yaml: &str) {
    let problems = kfp_compiler::lint::lint_str(yaml).unwrap_or_else(|e| panic!("{name}: lint cannot read it: {e}"));
    let lines: Vec<String> = problems.iter().map(|p| format!("  {p}")).collect();
    assert!(lines.is_empty(), "{name} has lint problems:\n{}", lines.join("\n"));
}

/// The outside checks of an emitted spec, for the ignored test: read by PyYAML (YAML 1.1, as the kfp
/// SDK reads it) as the same values as `reference` (or, without one, as its JSON form), and accepted
/// by `ir-validate --werror` (with `--load` when there is a reference: the kfp SDK writes its wrapper
/// with PyYAML, which leaves `1e3` and `0o17` plain, so kfp's own output fails there, not ours).
/// Fails, saying what to install, when python3, PyYAML or ir-validate are missing.
pub(crate) fn check_outside(
    name: &str,
    spec: &PipelineSpec,
    platform: Option<&PlatformSpec>,
    reference: Option<&Path>,
) {
    let ours = to_yaml(spec, platform).expect("emit yaml");
    let dir = std::env::temp_dir().join(format!("kfp-rs-ir-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join(format!("{name}.yaml"));
    std::fs::write(&file, &ours).expect("write yaml");
    need("python3 with PyYAML (`pip install pyyaml`)", python_has("yaml"));
    let reader = "YAML 1.1 (PyYAML, as the kfp SDK reads it)";
    match reference {
        Some(r) => {
            assert_same(name, reader, &without_sdk_version(read_yaml11(&file)), &without_sdk_version(read_yaml11(r)))
        }
        None => assert_same(name, reader, &read_yaml11(&file), &json_docs(spec, platform)),
    }
    let tool = shared_dir().join("tools/ir-validate");
    need(&format!("{} (the project's shared directory: set KFP_SHARED_DIR)", tool.display()), tool.exists());
    need(
        "python3 with `pip install pyyaml kfp==2.17.3 kfp-pipeline-spec==2.17.3 googleapis-common-protos` and \
         `pip install --no-deps kfp-kubernetes==2.17.3` for ir-validate",
        python_has("yaml, kfp.compiler, kfp.pipeline_spec.pipeline_spec_pb2, kfp.kubernetes"),
    );
    let mut cmd = python();
    cmd.arg(&tool).arg("--werror");
    if reference.is_some() {
        cmd.arg("--load");
    }
    let out = cmd.arg(&file).output().expect("run ir-validate");
    let report = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "ir-validate rejected {name}:\n{report}\n--- emitted ---\n{ours}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Reads `file` into the structs and writes it again: the same values (YAML 1.2), so the structs hold
/// every field and shape of it.
pub(crate) fn check_read_back(file: &Path) {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let (spec, platform) = from_yaml(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let again = to_yaml(&spec, platform.as_ref()).expect("emit yaml");
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    assert_same(&name, "YAML 1.2 after a read and a write", &read_yaml12(&again), &read_yaml12(&text));
}

/// The reference files (the workspace's `tests/fixtures/kfp-v2/`).
pub(crate) fn reference_files() -> Vec<PathBuf> {
    yaml_files(&reference_dir())
}

/// The files of `tests/ir_reference/extra/`, compiled by kfp 2.17.3 from the `.py` files there.
pub(crate) fn extra_files() -> Vec<PathBuf> {
    yaml_files(&extra_dir())
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    files
}

/// `tests/ir_reference/extra/`.
fn extra_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ir_reference/extra")
}

/// `$KFP_SHARED_DIR`, or `shared/` beside the checkout.
fn shared_dir() -> PathBuf {
    std::env::var_os("KFP_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"))
}

/// Fails the test, saying what to install, when `ok` is false.
fn need(what: &str, ok: bool) {
    assert!(ok, "this test needs {what}; install it, or run the whole suite with `.ci/run`, which installs it");
}

/// The Python interpreter the tools run with: `$KFP_PYTHON`, or `python3`.
fn python() -> Command {
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

/// Every document of a YAML stream, read by serde-saphyr as YAML 1.2 (as the API server reads it:
/// only `true`/`false` are booleans, so `n` and `on` stay strings).
fn read_yaml12(text: &str) -> Vec<Value> {
    let mut options = serde_saphyr::Options::default();
    options.strict_booleans = true;
    text.split("\n---\n")
        .map(|doc| serde_saphyr::from_str_with_options::<Value>(doc, options.clone()).expect("yaml parses"))
        .collect()
}

/// Every document of a YAML file, read by PyYAML (YAML 1.1, as the kfp SDK reads it).
fn read_yaml11(file: &Path) -> Vec<Value> {
    let script = "import json, sys, yaml\n\
                  print(json.dumps(list(yaml.safe_load_all(open(sys.argv[1]))), default=str))";
    let out = python().args(["-c", script]).arg(file).output().expect("python3");
    assert!(out.status.success(), "PyYAML: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("json")
}

fn without_sdk_version(mut docs: Vec<Value>) -> Vec<Value> {
    if let Some(Value::Object(first)) = docs.first_mut() {
        first.remove("sdkVersion");
    }
    docs
}

/// Equal, or a panic listing every path where they differ.
fn assert_same(name: &str, reader: &str, ours: &[Value], reference: &[Value]) {
    let mut diffs = Vec::new();
    if ours.len() != reference.len() {
        diffs.push(format!("{} documents, reference has {}", ours.len(), reference.len()));
    }
    for (i, (a, b)) in ours.iter().zip(reference).enumerate() {
        diff(&format!("doc{}", i + 1), a, b, &mut diffs);
    }
    assert!(diffs.is_empty(), "{name} differs from the reference, read as {reader}:\n{}", diffs.join("\n"));
}

fn diff(path: &str, ours: &Value, reference: &Value, out: &mut Vec<String>) {
    match (ours, reference) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, va) in a {
                match b.get(k) {
                    Some(vb) => diff(&format!("{path}.{k}"), va, vb, out),
                    None => out.push(format!("{path}.{k}: extra (ours: {va})")),
                }
            }
            for k in b.keys().filter(|k| !a.contains_key(*k)) {
                out.push(format!("{path}.{k}: missing (reference: {})", b[k]));
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (va, vb)) in a.iter().zip(b).enumerate() {
                diff(&format!("{path}[{i}]"), va, vb, out);
            }
        }
        (a, b) if a == b => {}
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() && a.is_f64() == b.is_f64() => {}
        (a, b) => out.push(format!("{path}: ours {a}, reference {b}")),
    }
}
