//! Every example compiled with `--target kfp-v2`: the ones the KFP v2 IR can express match their IR
//! snapshot and pass `ir-validate` (the checks the KFP 2.x API server and driver apply); the others
//! fail with one line per construct the IR has no form for, naming the user's line.

mod support;

use support::*;

/// Examples whose every construct the IR can express.
const IR_EXAMPLES: &[&str] = &[
    "hello",
    "linear",
    "parallel_for",
    "parallel_for_outputs",
    "condition",
    "exit_handler",
    "lightweight",
    "train_eval",
    "component_yaml",
    "many_steps",
    "collected_artifacts",
    "importer",
    "cleanup",
    "caching",
    "pipeline_outputs",
    "run_info",
    "sized",
    "escape_hatch",
];

/// Examples the IR cannot express, with what each must name.
const NOT_IR: &[(&str, &[&str])] = &[
    ("recursion", &["examples/recursion.rs:", "recursive call of graph component `flip_until_tails`"]),
    ("pod_settings", &["sidecar `metrics-agent`", "init container `warm-cache`", "from parameter `epochs`"]),
    ("pipeline_conf", &["pipeline setting `pod_gc`", "pipeline setting `max_parallelism`"]),
    ("metrics", &["output `mlpipeline-metrics` of `evaluate`", "declare `Output<Metrics>`"]),
    ("k8s_resources", &["volume snapshot `work-snap`", "examples/k8s_resources.rs:"]),
    ("kubeflow", &["Katib experiment `tune`", "training job `train`"]),
    (
        "release",
        &[
            "examples/release.rs:47:5: `after_failed` on `notify`",
            "approval `deploy-ok`",
            "pause of 60s",
            "the attempt number (`p.retry_count()`) passed to `deploy`",
        ],
    ),
    ("concurrency", &["mutex `nightly-retrain` of the pipeline", "semaphore `ml-limits/gpu-jobs` of `train`"]),
    ("shards", &["examples/shards.rs:40:", "a range loop whose end is known only at run time (`..n`)"]),
    ("file_from", &["examples/file_from.rs:27:", "`file_from` (a value passed to a step as a file)"]),
    (
        "pod_volumes",
        &[
            "examples/pod_volumes.rs:",
            "nfs volume `raw` of `build_features`",
            "hostPath volume `cache`",
            "csi volume `vault`",
            "projected volume `identity`",
            "downwardAPI volume `limits`",
            "lifecycle hook `pre_stop` of `serve_features`",
            "port 8080 (`http`) of `serve_features`",
            "`liveness_probe` of `serve_features`",
        ],
    ),
    (
        "template_library",
        &["examples/template_library.rs:40:", "the template of `tokenize` from library `text-components-v1`"],
    ),
];

#[test]
fn every_example_the_ir_can_express_matches_its_ir_snapshot() {
    for name in IR_EXAMPLES {
        let yaml = compile_example(name, &["--target", "kfp-v2"]);
        insta::assert_snapshot!(format!("ir_{name}"), yaml);
    }
}

#[test]
fn every_ir_example_lints_clean() {
    for name in IR_EXAMPLES {
        assert_lints_clean(name, &compile_example(name, &["--target", "kfp-v2"]));
    }
}

#[test]
fn examples_the_ir_cannot_express_name_every_construct() {
    for (name, expected) in NOT_IR {
        let out = run_example(name, &["compile", "--target", "kfp-v2"]);
        assert_eq!(out.status.code(), Some(1), "{name} compiled to the IR");
        assert!(out.stdout.is_empty(), "{name}: nothing is written");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(stderr.contains("cannot be compiled to the KFP v2 IR"), "{stderr}");
        for e in *expected {
            assert!(stderr.contains(e), "{name}: `{e}` missing from:\n{stderr}");
        }
    }
}

/// With `--lossy`, what the IR can express of each, and the warning naming what it leaves out.
const LOSSY: &[(&str, &[&str])] = &[
    ("pod_settings", &["sidecar `metrics-agent` of `train`", "init container `warm-cache`", "(left out)"]),
    ("pipeline_conf", &["pipeline setting `max_parallelism`", "pipeline setting `dns_config`"]),
    ("metrics", &["output `mlpipeline-metrics` of `evaluate`", "kept as a plain system.Artifact"]),
    ("concurrency", &["mutex `model-registry` of `publish`", "(left out)"]),
    ("template_library", &["the template of `count` from library `text-components-v1`", "(left out)"]),
];

/// With `--lossy`, what cannot be left out.
const LOSSY_ERRORS: &[(&str, &str)] = &[
    ("recursion", "recursive call of graph component `flip_until_tails`"),
    ("k8s_resources", "task `show-job` reads an output of `run-job`, which --lossy leaves out"),
    ("kubeflow", "has no task left once --lossy leaves out"),
    ("shards", "a range loop whose end is known only at run time"),
    ("pod_volumes", "nfs volume `raw` of `build_features` cannot be expressed in the KFP v2 IR"),
];

#[test]
fn lossy_leaves_out_what_the_ir_cannot_express_and_says_what() {
    let dir = temp_dir("ir-lossy");
    let mut files = Vec::new();
    for (name, expected) in LOSSY {
        let file = dir.join(format!("{name}.yaml"));
        let out = run_example(name, &["compile", "--target", "kfp-v2", "--lossy", "-o", file.to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{name}: {stderr}");
        assert!(stderr.starts_with("warning: --lossy: the KFP v2 IR leaves out "), "{name}: {stderr}");
        for e in *expected {
            assert!(stderr.contains(e), "{name}: `{e}` missing from:\n{stderr}");
        }
        insta::assert_snapshot!(format!("ir_lossy_{name}"), std::fs::read_to_string(&file).unwrap());
        files.push(file);
    }
    for (name, expected) in LOSSY_ERRORS {
        let out = run_example(name, &["compile", "--target", "kfp-v2", "--lossy"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name} compiled with --lossy: {stderr}");
        assert!(out.stdout.is_empty(), "{name}: nothing is written");
        assert!(stderr.contains(expected), "{name}: `{expected}` missing from:\n{stderr}");
    }
    for file in &files {
        assert_lints_clean(&file.display().to_string(), &std::fs::read_to_string(file).unwrap());
    }
}

#[test]
fn lossy_is_for_the_ir_only() {
    let out = run_example("linear", &["compile", "--lossy"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--lossy: the Argo target expresses every construct"), "{stderr}");
    // On a pipeline the IR expresses whole, `--lossy` changes nothing and warns of nothing.
    let out = run_example("linear", &["compile", "--target", "kfp-v2", "--lossy"]);
    assert!(out.status.success() && out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), compile_example("linear", &["--target", "kfp-v2"]));
}

#[test]
fn every_example_is_in_one_list() {
    for name in EXAMPLES {
        let listed = IR_EXAMPLES.contains(name) || NOT_IR.iter().any(|(n, _)| n == name);
        assert!(listed, "example `{name}` is in neither IR_EXAMPLES nor NOT_IR");
    }
}

#[test]
fn ir_output_is_deterministic_and_params_set_defaults() {
    let a = compile_example("linear", &["--target", "kfp-v2", "--param", "min_len=5"]);
    assert_eq!(a, compile_example("linear", &["--target", "kfp-v2", "--param", "min_len=5"]));
    let doc: serde_json::Value = serde_json::from_str(&compile_example(
        "linear",
        &["--target", "kfp-v2", "--format", "json", "--param", "min_len=5"],
    ))
    .unwrap();
    assert_eq!(doc["root"]["inputDefinitions"]["parameters"]["min_len"]["defaultValue"], serde_json::json!(5.0));
    let out = run_example("linear", &["compile", "--target", "kfp-v2", "--param", "min_len=abc"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_service_account_has_no_place_in_the_ir() {
    let out = run_example("linear", &["compile", "--target", "kfp-v2", "--service-account", "robot"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--service-account: the KFP v2 IR has no service account (`robot`)"), "{stderr}");
}

#[kfp::container_component(image = "alpine:3.18")]
fn write_to_volume() -> kfp::ContainerSpec {
    kfp::ContainerSpec::new(["sh", "-c", "echo hello > /data/file.txt"])
}

/// A volume the pipeline creates, mounts and deletes: kfp-kubernetes' CreatePVC / DeletePVC steps and
/// a `pvcMount` reading the claim's name from the CreatePVC task, as kfp 2.17 writes them
/// (`shared/reference/kfp-v2/i_resource_volume.yaml`).
#[test]
fn a_volume_becomes_create_pvc_mount_and_delete_pvc() {
    use kfp::prelude::*;
    let pipeline = kfp::Pipeline::build("volumes", None, |p| {
        let size = p.param_with_default::<String>("size", "1Gi");
        let vol = p.volume(VolumeClaim::new("work-pvc", size).access_mode("ReadWriteOnce"));
        vol.task.task_name("create-pvc");
        let writer = write_to_volume(p).mount(&vol, "/data");
        p.delete_volume(&vol).after(&writer);
    })
    .unwrap();
    let yaml = kfp::compile_kfp_v2(&pipeline, &kfp::CompileOptions::default()).unwrap().to_yaml().unwrap();
    let doc: Vec<&str> = yaml.split("\n---\n").collect();
    assert_eq!(doc.len(), 2, "a PlatformSpec follows:\n{yaml}");
    assert!(yaml.contains("image: argostub/createpvc") && yaml.contains("image: argostub/deletepvc"), "{yaml}");
    assert!(yaml.contains("pvcNameParameter:") && yaml.contains("producerTask: create-pvc"), "{yaml}");
    assert!(yaml.contains("outputParameterKey: name"), "{yaml}");
    assert_lints_clean("volumes", &yaml);
}
