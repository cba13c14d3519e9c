//! `lint::ir`, the KFP v2 IR rules: kfp's own reference IR, every example's IR output and scale-1000
//! lint clean; each breakage in `lint_ir/cases.rs` is reported with its rule and path; and
//! `shared/tools/ir-validate` agrees on the same good and broken documents.

mod support;

#[path = "lint_ir/cases.rs"]
mod cases;

use std::path::Path;

use kfp::lint::{Problem, ir};
use serde_json::Value;
use support::*;

/// kfp 2.17.3's output for the pipelines in `shared/reference/kfp-v2/`.
const REFERENCES: &[&str] = &[
    "a_linear",
    "d_parallelfor_static",
    "f_condition",
    "g_recursion",
    "h_exit_handler",
    "i_resource_volume",
    "k_pod_settings",
    "m_collected_artifacts",
    "n_lightweight",
];

/// The documents of an IR file as JSON (YAML 1.2, as the API server reads it).
fn documents(yaml: &str) -> Vec<Value> {
    let mut docs = Vec::new();
    let mut rest = yaml.strip_prefix("---\n").unwrap_or(yaml);
    loop {
        let (doc, next) = match rest.find("\n---\n") {
            Some(i) => (&rest[..=i], Some(&rest[i + 5..])),
            None => (rest, None),
        };
        if !doc.trim().is_empty() {
            let mut options = serde_saphyr::Options::default();
            options.strict_booleans = true; // YAML 1.2: `n` and `on` stay strings
            docs.push(serde_saphyr::from_str_with_options::<Value>(doc, options).expect("an IR document"));
        }
        match next {
            Some(n) => rest = n,
            None => return docs,
        }
    }
}

fn reference(name: &str) -> Vec<Value> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/kfp-v2/{name}.yaml"));
    documents(&std::fs::read_to_string(path).expect("a reference file"))
}

fn lint(docs: &[Value]) -> Vec<Problem> {
    ir::lint(&docs[0], docs.get(1))
}

fn listing(problems: &[Problem]) -> String {
    problems.iter().map(|p| format!("  {p}\n")).collect()
}

#[test]
fn kfp_reference_ir_lints_clean() {
    for name in REFERENCES {
        let docs = reference(name);
        let problems = lint(&docs);
        assert!(problems.is_empty(), "{name}:\n{}", listing(&problems));
    }
}

#[test]
#[ignore = "needs ../shared (beside the checkout, or KFP_SHARED_DIR); run by .ci/run"]
fn reference_fixtures_are_the_shared_files() {
    let shared = require_shared();
    for name in REFERENCES {
        let file = format!("{name}.yaml");
        let copy = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kfp-v2").join(&file));
        let original = std::fs::read(shared.join("reference/kfp-v2").join(&file));
        assert!(copy.expect("fixture") == original.expect("shared"), "tests/fixtures/kfp-v2/{file}: copy it again");
    }
}

/// Each example's IR (`--lossy` where the plain compile is refused; neither, for the ones the IR
/// cannot express at all), as the CI's `compile --target kfp-v2` loop writes it.
fn example_irs() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for name in EXAMPLES {
        for extra in [&[][..], &["--lossy"][..]] {
            let mut args = vec!["compile", "--target", "kfp-v2"];
            args.extend(extra);
            let run = run_example(name, &args);
            if run.status.success() {
                out.push((format!("{name} {}", extra.join(" ")), String::from_utf8(run.stdout).expect("utf-8")));
                break;
            }
            let stderr = String::from_utf8_lossy(&run.stderr);
            assert!(stderr.contains("cannot be compiled to the KFP v2 IR"), "{name}: {stderr}");
        }
    }
    out
}

#[test]
fn every_example_ir_and_scale_1000_lint_clean() {
    let mut irs = example_irs();
    // 18 compile as they are, 5 with --lossy (tests/ir_examples.rs lists them).
    assert!(irs.len() >= 23, "only {} examples compiled to the IR", irs.len());
    let file = temp_dir("lint-ir-scale").join("scale-1000.yaml");
    let run = run_example("scale", &["--tasks", "1000", "--target", "kfp-v2", "-o", file.to_str().expect("utf-8")]);
    assert!(run.status.success(), "scale: {}", String::from_utf8_lossy(&run.stderr));
    irs.push(("scale --tasks 1000".to_owned(), std::fs::read_to_string(&file).expect("scale's IR")));
    for (name, yaml) in irs {
        let docs = documents(&yaml);
        assert!(!docs.is_empty() && docs.len() <= 2, "{name}: {} documents", docs.len());
        let problems = lint(&docs);
        assert!(problems.is_empty(), "{name}:\n{}", listing(&problems));
    }
}

/// The broken documents of `case`.
fn broken(case: &cases::Case) -> Vec<Value> {
    let mut docs = reference(case.file);
    (case.break_it)(&mut docs);
    docs
}

/// The breakage `name` (one test each, in `cases::each`) is reported with its rule and path.
fn check_case(name: &str) {
    let case = cases::CASES.iter().find(|c| c.name == name).expect("the case");
    let problems = lint(&broken(case));
    let (document, path) = case.path.strip_prefix("document 2: ").map_or((0, case.path), |p| (1, p));
    let hit = problems.iter().any(|p| p.rule == case.rule && p.path == path && p.document == document);
    assert!(hit, "wanted [{}] at {}; got:\n{}", case.rule, case.path, listing(&problems));
}

#[test]
fn a_breakage_does_not_cascade_into_unrelated_problems() {
    // The misspelled field is one problem (the field) plus what its absence means: the task runs no
    // component, so the one it ran is left unused.
    let case = cases::CASES.iter().find(|c| c.name == "misspelled_field").expect("the case");
    let problems = lint(&broken(case));
    let rules: Vec<&str> = problems.iter().map(|p| p.rule).collect();
    assert_eq!(rules, ["ir/unknown-field", "ir/unused-component", "ir/unknown-component"], "{}", listing(&problems));
    assert!(problems[0].message.contains("did you mean 'componentRef'"), "{}", problems[0].message);
}

/// Every node of a document, as a JSON pointer.
fn pointers(v: &Value, at: &str, out: &mut Vec<String>) {
    out.push(at.to_owned());
    match v {
        Value::Object(o) => {
            o.iter().for_each(|(k, x)| pointers(x, &format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")), out))
        }
        Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| pointers(x, &format!("{at}/{i}"), out)),
        _ => {}
    }
}

#[test]
fn any_node_of_any_shape_gives_problems_not_a_panic() {
    // Every node of three references (one with a PlatformSpec) replaced by each JSON kind in turn.
    let odd =
        [Value::Null, serde_json::json!(-7), serde_json::json!("x"), serde_json::json!([]), serde_json::json!({})];
    let (mut linted, mut flagged) = (0, 0);
    for name in ["a_linear", "h_exit_handler", "i_resource_volume"] {
        let docs = reference(name);
        for (d, doc) in docs.iter().enumerate() {
            let mut all = Vec::new();
            pointers(doc, "", &mut all);
            for at in all.iter().filter(|p| !p.is_empty()) {
                for v in &odd {
                    let mut broken = docs.clone();
                    *broken[d].pointer_mut(at).expect("the node") = v.clone();
                    if broken[d] != docs[d] {
                        linted += 1;
                        flagged += usize::from(!lint(&broken).is_empty());
                    }
                }
            }
        }
    }
    // Most are wrong somehow (a string for a string, or an empty list for an optional one, is not).
    assert!(linted > 1000 && flagged * 10 > linted * 8, "{flagged} of {linted} documents have problems");
}

#[test]
fn the_rule_ids_are_the_ir_ones_and_every_case_has_its_own_breakage() {
    let mut names: Vec<&str> = cases::CASES.iter().map(|c| c.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), cases::CASES.len(), "case names are unique");
    assert!(cases::CASES.iter().all(|c| c.rule.starts_with("ir/")));
}

/// Breakages lint reports and ir-validate does not check: a schema title not of the `ns.Name` form
/// the SDK writes, and an input artifact fed one of another type (the kfp SDK refuses both at
/// compile time; the backend does not look); a spec without `sdkVersion`, which the backend does
/// not need but every SDK writes and `kfp_v2::from_yaml` requires.
const LINT_ONLY: &[&str] = &["artifact_schema_title", "artifact_type_mismatch", "missing_sdk_version"];

/// Breakages both report, at different places: of two exit tasks of one task, ir-validate names the
/// first in the protobuf map's order, lint the second by name; a task without `taskInfo` is a
/// missing field of the task for lint (the project's struct requires it), an empty `taskInfo.name`
/// for ir-validate (the protobuf does not).
const SAME_DEFECT_ELSEWHERE: &[&str] = &["two_exit_tasks_one_task", "missing_task_info"];

/// Breakages ir-validate crashes on (a Python traceback, exit status 1): with an executor label on
/// root, its executor check looks the root up by name (`KeyError: None`).
const IR_VALIDATE_CRASHES: &[&str] = &["root_not_dag"];

/// ir-validate passes every reference and fails every broken document `lint` reports (but the
/// [`LINT_ONLY`] ones, which it passes), naming the same path as lint.
#[test]
#[ignore = "needs ../shared/tools/ir-validate with python3 and `pip install pyyaml kfp-pipeline-spec==2.17.3 googleapis-common-protos`; run by .ci/run"]
fn ir_validate_agrees_on_the_good_and_the_broken_documents() {
    let tool = have_ir_validate();
    let dir = temp_dir("lint-ir-agreement");
    let write = |name: &str, docs: &[Value]| {
        let text: Vec<String> = docs.iter().map(|d| serde_json::to_string_pretty(d).expect("json")).collect();
        let file = dir.join(format!("{name}.yaml"));
        std::fs::write(&file, text.join("\n---\n") + "\n").expect("write");
        file
    };
    // The originals pass without --werror: kfp's own g_recursion has an executor no component uses,
    // which ir-validate warns about and lint does not report.
    let good: Vec<_> = REFERENCES.iter().map(|n| write(n, &reference(n))).collect();
    let out = python().arg(&tool).arg("-q").args(&good).output().expect("ir-validate");
    assert!(out.status.success(), "ir-validate: {}", String::from_utf8_lossy(&out.stdout));
    let mut disagree = String::new();
    for case in cases::CASES.iter().filter(|c| !IR_VALIDATE_CRASHES.contains(&c.name)) {
        let file = write(case.name, &broken(case));
        let mut cmd = python();
        cmd.arg(&tool).arg("-q");
        if case.warning {
            cmd.arg("--werror");
        }
        let out = cmd.arg(&file).output().expect("run ir-validate");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("Traceback"), "{}: ir-validate crashed:\n{stderr}", case.name);
        let lint_only = LINT_ONLY.contains(&case.name);
        // The same place: ir-validate prints `error: doc N: PATH: message` (N from 1).
        let (document, path) = case.path.strip_prefix("document 2: ").map_or((1, case.path), |p| (2, p));
        let at = if path.is_empty() { format!("doc {document}: ") } else { format!("doc {document}: {path}: ") };
        if !lint_only
            && !SAME_DEFECT_ELSEWHERE.contains(&case.name)
            && !String::from_utf8_lossy(&out.stdout).contains(&at)
        {
            disagree += &format!(
                "{}: lint reports [{}] at {}, ir-validate elsewhere:\n{}",
                case.name,
                case.rule,
                case.path,
                String::from_utf8_lossy(&out.stdout)
            );
        }
        match out.status.code() {
            Some(1) if !lint_only => {}
            Some(0) if lint_only => {}
            Some(0) => disagree += &format!("{}: lint reports [{}], ir-validate passes it\n", case.name, case.rule),
            Some(1) => disagree += &format!("{}: now ir-validate fails it too: take it out of LINT_ONLY\n", case.name),
            _ => panic!("ir-validate could not run: {}", String::from_utf8_lossy(&out.stderr)),
        }
    }
    assert!(disagree.is_empty(), "{disagree}");
}
