//! Emits a hand-built IR, validates it with ir-validate and compares it with the reference file.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use kfp_compiler::kfp_v2::{PipelineSpec, PlatformSpec, from_yaml, to_json, to_yaml};
use serde_json::Value;

/// Emits `spec` (and `platform`), then checks it against `reference/kfp-v2/<name>.yaml`: same values
/// but `sdkVersion`, read as YAML 1.2 and, when python is here, as YAML 1.1; accepted by
/// ir-validate.
pub(crate) fn check(name: &str, spec: &PipelineSpec, platform: Option<&PlatformSpec>) {
    let reference_file = shared_dir().join("reference/kfp-v2").join(format!("{name}.yaml"));
    if need("../shared/reference/kfp-v2 (or $KFP_SHARED_DIR)", reference_file.exists()) {
        check_against(&reference_file, name, spec, platform);
    }
}

/// [`check`] against `tests/ir_reference/extra/<name>.yaml` (compiled by kfp 2.17.3 from the `.py`
/// beside it).
pub(crate) fn check_extra(name: &str, spec: &PipelineSpec, platform: Option<&PlatformSpec>) {
    check_against(&extra_dir().join(format!("{name}.yaml")), name, spec, platform);
}

fn check_against(reference_file: &Path, name: &str, spec: &PipelineSpec, platform: Option<&PlatformSpec>) {
    let ours = to_yaml(spec, platform).expect("emit yaml");
    assert!(ours.starts_with("components:") || ours.starts_with("deploymentSpec:"), "{ours}");
    let json: Value = serde_json::from_str(&to_json(spec, platform).expect("emit json")).expect("json parses");

    let reference = std::fs::read_to_string(reference_file)
        .unwrap_or_else(|e| panic!("{}: {e} (set KFP_SHARED_DIR)", reference_file.display()));

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

    if let Some(keep) = std::env::var_os("KFP_IR_OUT") {
        // For a look at the bytes: `KFP_IR_OUT=/tmp/ir cargo test --test ir_reference`.
        std::fs::create_dir_all(&keep).expect("KFP_IR_OUT");
        std::fs::write(Path::new(&keep).join(format!("{name}.yaml")), &ours).expect("write KFP_IR_OUT");
    }
    let dir = std::env::temp_dir().join(format!("kfp-rs-ir-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join(format!("{name}.yaml"));
    std::fs::write(&file, &ours).expect("write yaml");

    if need("python3 with PyYAML (`pip install pyyaml`)", python_has("yaml")) {
        let ours11 = without_sdk_version(read_yaml11(&file));
        let ref11 = without_sdk_version(read_yaml11(reference_file));
        assert_same(name, "YAML 1.1 (PyYAML, as the kfp SDK reads it)", &ours11, &ref11);
    }
    ir_validate(name, &file, &ours, Load::IfInstalled);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Emits `spec` and `platform` and checks that the YAML reads back, as YAML 1.2 and (when python is
/// here) as YAML 1.1, as the same values as the JSON form; and that ir-validate accepts it.
pub(crate) fn check_round_trip(name: &str, spec: &PipelineSpec, platform: Option<&PlatformSpec>) {
    let ours = to_yaml(spec, platform).expect("emit yaml");
    let json: Value = serde_json::from_str(&to_json(spec, platform).expect("emit json")).expect("json parses");
    let expected = match platform {
        Some(_) => vec![json["pipeline_spec"].clone(), json["platform_spec"].clone()],
        None => vec![json],
    };
    assert_same(name, "YAML 1.2", &read_yaml12(&ours), &expected);
    let dir = std::env::temp_dir().join(format!("kfp-rs-ir-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join(format!("{name}.yaml"));
    std::fs::write(&file, &ours).expect("write yaml");
    if need("python3 with PyYAML (`pip install pyyaml`)", python_has("yaml")) {
        assert_same(name, "YAML 1.1 (PyYAML, as the kfp SDK reads it)", &read_yaml11(&file), &expected);
    }
    // Not `--load`: the kfp SDK writes its wrapper with PyYAML, which leaves `1e3` and `0o17` plain
    // (strings in YAML 1.1, numbers in YAML 1.2), so kfp's own output fails there, not ours.
    ir_validate(name, &file, &ours, Load::No);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Whether ir-validate also runs `--load`.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Load {
    /// When kfp is installed.
    IfInstalled,
    /// Never.
    No,
}

/// Runs `ir-validate --werror` (and `--load` if asked and kfp is installed) on `file`.
fn ir_validate(name: &str, file: &Path, text: &str, load: Load) {
    let tool = shared_dir().join("tools/ir-validate");
    let have = tool.exists() && python_has("yaml, kfp.pipeline_spec.pipeline_spec_pb2, kfp.kubernetes");
    if need("../shared/tools/ir-validate with its packages (see its --help)", have) {
        let mut cmd = Command::new("python3");
        cmd.arg(&tool).arg("--werror");
        if load == Load::IfInstalled && python_has("kfp.compiler") {
            cmd.arg("--load");
        }
        let out = cmd.arg(file).output().expect("run ir-validate");
        let report = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        eprint!("{report}");
        assert!(out.status.success(), "ir-validate rejected {name}:\n{report}\n--- emitted ---\n{text}");
    }
}

/// Reads `file` into the structs and writes it again: the same values (YAML 1.2), so the structs hold
/// every field and shape of it.
pub(crate) fn check_read_back(file: &Path) {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e} (set KFP_SHARED_DIR)", file.display()));
    let (spec, platform) = from_yaml(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let again = to_yaml(&spec, platform.as_ref()).expect("emit yaml");
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    assert_same(&name, "YAML 1.2 after a read and a write", &read_yaml12(&again), &read_yaml12(&text));
}

/// The reference files of `../shared/reference/kfp-v2/`; none (the test skips, or fails under `CI`)
/// when the folder is missing.
pub(crate) fn reference_files() -> Vec<PathBuf> {
    let dir = shared_dir().join("reference/kfp-v2");
    if need("../shared/reference/kfp-v2 (or $KFP_SHARED_DIR)", dir.is_dir()) { yaml_files(&dir) } else { Vec::new() }
}

/// The files of `tests/ir_reference/extra/`, compiled by kfp 2.17.3 from the `.py` files there.
pub(crate) fn extra_files() -> Vec<PathBuf> {
    yaml_files(&extra_dir())
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e} (set KFP_SHARED_DIR)", dir.display()))
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

/// Whether missing tools must fail the tests rather than skip them.
fn required() -> bool {
    std::env::var_os("CI").is_some() || std::env::var_os("KFP_REQUIRE_TOOLS").is_some()
}

/// Skips (false) or, under `CI` / `KFP_REQUIRE_TOOLS`, fails when a tool is missing.
fn need(what: &str, ok: bool) -> bool {
    if !ok {
        assert!(!required(), "{what} is required (CI or KFP_REQUIRE_TOOLS is set)");
        eprintln!("SKIPPED: {what} is not available");
    }
    ok
}

fn python_has(modules: &str) -> bool {
    Command::new("python3")
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
    let out = Command::new("python3").args(["-c", script]).arg(file).output().expect("python3");
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
