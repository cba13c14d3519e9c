//! The size guard and `compile --split`: a pipeline over the limit fails with the guard's message
//! unless split; a split bundle's documents each fit and pass argo-validate (v4.1 and v3.4); values of
//! other parts are read from the child's arguments; hostile values stay values; the same input gives
//! the same bytes; a root task too big alone is one error.

mod support;

use std::collections::BTreeSet;

use kfp::argo::split::{self, SplitOptions};
use kfp::argo::{ArgoVersion, Object, Workflow};
use kfp::argo_template;
use kfp::prelude::*;
use kfp::{CompileOptions, json};

#[container_component(image = "alpine:3.20")]
fn step(x: Param<String>, y: OutputParam<String>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c"]).arg("printf '%s' \"$0\" > \"$1\"").arg(x).arg(y)
}

/// The shape of `examples/scale.rs`: blocks of 10 chains of 10 steps; each chain's head reads its
/// chain's tail in the block before and runs after the other nine tails.
fn blocks(p: &Dag, seed: Param<String>, n: usize) {
    let mut tails: Vec<Task<'_, <step as kfp::Component>::Outputs>> = Vec::new();
    let mut made = 0;
    while made < n {
        let mut new_tails = Vec::new();
        for chain in 0..10 {
            let mut last = step(p, tails.get(chain).map_or(seed, |t| t.y));
            for (other, t) in tails.iter().enumerate() {
                if other != chain {
                    last.after(t);
                }
            }
            made += 1;
            for _ in 1..10 {
                if made >= n {
                    break;
                }
                last = step(p, last.y);
                made += 1;
            }
            new_tails.push(last);
            if made >= n {
                break;
            }
        }
        tails = new_tails;
    }
}

fn generated(n: usize) -> Workflow {
    let p = kfp::Pipeline::build("big", None, |p| {
        let seed = p.param_with_default::<String>("seed", "s");
        blocks(p, seed, n);
    })
    .unwrap();
    kfp::compile_pipeline(&p, &CompileOptions::default()).unwrap()
}

#[pipeline(name = "big")]
fn big(p: &Dag, #[default("s")] seed: Param<String>) {
    blocks(p, seed, 8000);
}

fn cli(args: &[&str]) -> Result<String, String> {
    let mut out = Vec::new();
    let mut all = vec!["big"];
    all.extend_from_slice(args);
    kfp::run(big, all, &mut out).map_err(|e| e.to_string())?;
    Ok(String::from_utf8(out).unwrap())
}

#[test]
fn a_pipeline_over_the_limit_fails_with_the_guard_unless_split() {
    let err = cli(&["compile"]).unwrap_err();
    for part in [
        "`big` is",
        "over the limit of 1.0 MiB",
        "template `big`",
        "arguments",
        "annotations",
        "`--split`",
        "`--max-size`",
        "node status offloading",
    ] {
        assert!(err.contains(part), "`{part}` missing from: {err}");
    }
    assert!(!err.contains('\n'), "one line: {err}");
    // Every kind is guarded.
    let err = cli(&["compile", "--kind", "workflow-template"]).unwrap_err();
    assert!(err.contains("over the limit"), "{err}");
    // A raised limit lets it through, unchanged.
    let raised = cli(&["compile", "--max-size", "64MiB"]).unwrap();
    assert_eq!(raised, kfp::compile_yaml(&big, &CompileOptions::default()).unwrap());
    // Split: several documents, the parent first.
    let text = cli(&["compile", "--split"]).unwrap();
    let docs: Vec<&str> = text.split("\n---\n").collect();
    assert!(docs.len() >= 3, "{} documents", docs.len());
    assert!(docs[0].starts_with("apiVersion: argoproj.io/v1alpha1\nkind: Workflow\n"));
    assert!(docs[1..].iter().all(|d| d.contains("kind: WorkflowTemplate\n")));
    let json_text = cli(&["compile", "--split", "--format", "json"]).unwrap();
    let arr: serde_json::Value = serde_json::from_str(&json_text).unwrap();
    assert_eq!(arr.as_array().unwrap().len(), docs.len());
    // `--split` is for Argo Workflows only; a bad size is one error.
    let err = cli(&["compile", "--split", "--kind", "workflow-template"]).unwrap_err();
    assert!(err.contains("--split") && err.contains("--kind workflow"), "{err}");
    let err = cli(&["compile", "--split", "--target", "kfp-v2"]).unwrap_err();
    assert!(err.contains("--split") && err.contains("--target argo"), "{err}");
    let err = cli(&["compile", "--max-size", "lots"]).unwrap_err();
    assert!(err.contains("not a size"), "{err}");
}

#[pipeline(name = "small")]
fn small(p: &Dag, #[default("s")] seed: Param<String>) {
    p.max_object_size(20_000);
    blocks(p, seed, 60);
}

#[test]
fn the_pipeline_setting_sets_the_limit_and_the_flag_overrides_it() {
    let run = |args: &[&str]| {
        let mut out = Vec::new();
        let mut all = vec!["small", "compile"];
        all.extend_from_slice(args);
        kfp::run(small, all, &mut out).map(|()| String::from_utf8(out).unwrap()).map_err(|e| e.to_string())
    };
    // 60 tasks: about 10 KB of spec and 50 KB of status, over 1.5 times the pipeline's 20,000 bytes.
    let err = run(&[]).unwrap_err();
    assert!(err.contains("`small` is") && err.contains("status") && err.contains("30000 bytes"), "{err}");
    run(&["--max-size", "1MiB"]).unwrap();
    let text = run(&["--split"]).unwrap();
    assert!(text.matches("kind: WorkflowTemplate").count() >= 2, "{text}");
}

#[test]
fn under_the_limit_nothing_changes() {
    let wf = generated(50);
    split::size::check(&wf, split::size::DEFAULT_MAX_BYTES).unwrap();
    let r = split::size::measure(&wf);
    assert!(r.spec_bytes > 5_000 && r.nodes == 51 && r.status_bytes > 50 * 700, "{r:?}");
    assert!(split::size::check(&wf, r.spec_bytes - 1).is_err());
}

fn child_json(p: &split::Part) -> serde_json::Value {
    match &p.template {
        Object::Patched(v) => v.clone(),
        other => serde_json::from_str(&kfp::argo::object_to_json(other).unwrap()).unwrap(),
    }
}

/// Checks the bundle: every object under the limit, no `tasks.X` of another part left in a child,
/// and `kfp::lint` on every document (for each of `versions`).
fn check_bundle(n: usize, versions: &[ArgoVersion]) {
    let wf = generated(n);
    let opts = SplitOptions::default();
    let bundle = split::split(wf, &opts).unwrap();
    let sizes = bundle.sizes();
    assert!(sizes.len() > n / 2000, "{n} tasks in {} objects", sizes.len());
    assert!(sizes.iter().all(|&s| s <= opts.max_bytes), "{sizes:?}");
    let mut seen = 0;
    for p in &bundle.parts {
        let doc = child_json(p);
        let templates = doc["spec"]["templates"].as_array().unwrap();
        let entry = doc["spec"]["entrypoint"].as_str().unwrap();
        assert_eq!(doc["metadata"]["name"], json!(p.name));
        assert!(p.name.len() <= 63 && p.name.starts_with("big-"), "{}", p.name);
        let body = templates.iter().find(|t| t["name"] == json!(format!("{entry}-body"))).unwrap();
        let tasks = body["dag"]["tasks"].as_array().unwrap();
        seen += tasks.len();
        let own: BTreeSet<&str> = tasks.iter().map(|t| t["name"].as_str().unwrap()).collect();
        let text = serde_json::to_string(tasks).unwrap();
        for (i, _) in text.match_indices("{{tasks.") {
            let name: String = text[i + 8..].chars().take_while(|c| *c != '.').collect();
            assert!(own.contains(name.as_str()), "{} reads `{name}` of another part", p.name);
        }
    }
    assert_eq!(seen, n, "every task in exactly one part");
    let yaml = bundle.to_yaml().unwrap();
    for v in versions {
        support::assert_lints_clean_for(&format!("split {n}"), &yaml, *v);
    }
}

#[test]
fn twenty_thousand_tasks_split_into_valid_documents_under_the_limit() {
    check_bundle(20_000, &[ArgoVersion::V4_1, ArgoVersion::V3_4]);
}

#[test]
fn a_hundred_thousand_tasks_split_into_valid_documents_under_the_limit() {
    // One version: linting 100,000 tasks takes a minute in a debug build; the 20,000 checks both.
    check_bundle(100_000, &[ArgoVersion::V4_1]);
}

#[test]
fn the_same_pipeline_gives_the_same_bundle() {
    let a = split::split(generated(5000), &SplitOptions::default()).unwrap().to_yaml().unwrap();
    let b = split::split(generated(5000), &SplitOptions::default()).unwrap().to_yaml().unwrap();
    assert!(a == b, "two splits differ");
}

const HOSTILE: [&str; 8] = [
    "a\" == \"a\" || \"b",
    "}}",
    "{{",
    "{{workflow.parameters.secret}}",
    "{{=true}}",
    "back\\slash",
    "new\nline",
    "x\"}],\"serviceAccountName\":\"admin\",\"y\":[{\"",
];

#[test]
fn hostile_values_stay_values_in_a_child_manifest() {
    let bundle = split::split(generated(40), &SplitOptions::with_max_bytes(16 << 10)).unwrap();
    assert!(bundle.parts.len() >= 2, "{} parts", bundle.parts.len());
    let resources: Vec<_> = bundle.parent.spec.templates.iter().filter_map(|t| t.resource.as_ref()).collect();
    assert_eq!(resources.len(), bundle.parts.len());
    for (k, r) in resources.iter().enumerate() {
        assert_eq!(r.action, "create");
        assert!(r.set_owner_reference);
        assert_eq!(r.success_condition.as_deref(), Some("status.phase == Succeeded"));
        assert_eq!(r.failure_condition.as_deref(), Some("status.phase in (Failed, Error)"));
        for v in HOSTILE {
            let filled = argo_template::substitute(&r.manifest, &mut |var| match var {
                "workflow.name" => Some("run-1".to_owned()),
                _ => Some(v.to_owned()),
            })
            .unwrap();
            let doc: serde_json::Value = serde_json::from_str(&filled).unwrap_or_else(|e| panic!("{e}: {filled}"));
            assert_eq!(doc["metadata"], json!({"generateName": format!("run-1-part-{}-", k + 1)}));
            assert_eq!(doc["spec"].as_object().unwrap().len(), 2, "{filled}");
            assert_eq!(doc["spec"]["workflowTemplateRef"], json!({"name": bundle.parts[k].name}));
            for p in doc["spec"]["arguments"]["parameters"].as_array().unwrap() {
                assert_eq!(p["value"], json!(v), "{filled}");
                assert_eq!(p.as_object().unwrap().len(), 2);
            }
            assert!(!filled.contains("{{"), "no tag for a later pass: {filled}");
        }
    }
}

#[test]
fn a_root_task_too_big_alone_is_one_error() {
    let p = kfp::Pipeline::build("scoped", None, |p| {
        let seed = p.param_with_default::<String>("seed", "s");
        step(p, seed);
        p.condition(seed.eq("s"), |p| blocks(p, seed, 200));
    })
    .unwrap();
    let wf = kfp::compile_pipeline(&p, &CompileOptions::default()).unwrap();
    let err = split::split(wf, &SplitOptions::with_max_bytes(64 << 10)).unwrap_err().to_string();
    for part in ["task `condition-1`", "bytes", "--max-size 65536", "split the scope", "raise `--max-size`"] {
        assert!(err.contains(part), "`{part}` missing from: {err}");
    }
}

#[test]
fn the_exit_handler_stays_in_the_parent_and_children_see_their_run() {
    let docs: serde_json::Value =
        serde_json::from_str(&support::compile_example("exit_handler", &["--split", "--format", "json"])).unwrap();
    let (parent, child) = (&docs[0], &docs[1]);
    let on_exit = parent["spec"]["onExit"].as_str().unwrap();
    let names = |d: &serde_json::Value| -> Vec<String> {
        d["spec"]["templates"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap().to_owned()).collect()
    };
    assert!(names(parent).iter().any(|n| n == on_exit), "{:?}", names(parent));
    assert!(child["spec"].get("onExit").is_none());
    assert!(!names(child).iter().any(|n| n == on_exit), "{:?}", names(child));
    assert_eq!(child["kind"], json!("WorkflowTemplate"));

    let docs: serde_json::Value =
        serde_json::from_str(&support::compile_example("run_info", &["--split", "--format", "json"])).unwrap();
    let child_text = docs[1].to_string();
    for v in ["workflow.name", "workflow.uid", "workflow.creationTimestamp"] {
        assert!(!child_text.contains(&format!("{{{{{v}}}}}")), "`{v}` of the child's own run left in it");
    }
    let args = docs[1]["spec"]["arguments"]["parameters"].as_array().unwrap();
    assert!(args.iter().any(|a| a["name"] == json!("kfp-workflow-name")), "{args:?}");
    let step = &docs[0]["spec"]["templates"][0]["dag"]["tasks"][0]["arguments"]["parameters"];
    assert!(
        step.as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == json!("kfp-workflow-name") && p["value"] == json!("{{workflow.name}}")),
        "{step}"
    );
}

/// Whether a part creates children of its own (a level below the parent): its templates hold
/// resource steps.
fn creates_children(p: &split::Part) -> bool {
    child_json(p)["spec"]["templates"].as_array().unwrap().iter().any(|t| t.get("resource").is_some())
}

#[test]
fn a_parent_with_too_many_children_for_one_object_is_split_in_turn() {
    // 8000 tasks at 64 KiB: about 90 parts, whose parent steps alone are several times the limit.
    let opts = SplitOptions::with_max_bytes(64 << 10);
    let bundle = split::split(generated(8000), &opts).unwrap();
    let sizes = bundle.sizes();
    assert!(sizes.iter().all(|&s| s <= opts.max_bytes), "{sizes:?}");
    split::size::check(&bundle.parent, opts.max_bytes).unwrap();
    let upper: Vec<&split::Part> = bundle.parts.iter().filter(|p| creates_children(p)).collect();
    assert!(upper.len() >= 2 && upper.len() * 10 < bundle.parts.len(), "{} of {}", upper.len(), bundle.parts.len());
    // The parent creates only the upper level; together they create every lower part once.
    let parent = serde_json::to_string(&bundle.parent).unwrap();
    let created = |text: &str, p: &split::Part| text.matches(&format!("\\\"name\\\":\\\"{}\\\"", p.name)).count();
    for p in &bundle.parts {
        let by_upper: usize = upper.iter().map(|u| created(&serde_json::to_string(&child_json(u)).unwrap(), p)).sum();
        let expected = if upper.iter().any(|u| u.name == p.name) { (1, 0) } else { (0, 1) };
        assert_eq!((created(&parent, p), by_upper), expected, "{}", p.name);
    }
    support::assert_lints_clean_both("two-level bundle", &bundle.to_yaml().unwrap());
}
