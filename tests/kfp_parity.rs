//! Our examples against the Argo YAML kfp 1.8 compiled the same pipelines to (`tests/fixtures/kfp-v1/`,
//! copies of `../shared/reference/kfp-v1/`): the same steps, the same data flow, the same pipeline
//! parameters.

#[path = "support/canon.rs"]
mod canon;
mod support;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;
use support::*;

/// Per task of the entrypoint DAG: its dependencies and where its arguments come from
/// (`task:X` for another task's output, `param:P` for a pipeline parameter, `literal`).
fn data_flow(doc: &Value) -> BTreeMap<String, (BTreeSet<String>, BTreeSet<String>)> {
    let entry = doc["spec"]["entrypoint"].as_str().expect("entrypoint");
    let root = doc["spec"]["templates"].as_array().unwrap().iter().find(|t| t["name"] == entry).expect("root");
    let mut out = BTreeMap::new();
    for task in root["dag"]["tasks"].as_array().expect("tasks") {
        let deps = task["dependencies"]
            .as_array()
            .map(|d| d.iter().map(|x| x.as_str().unwrap().to_owned()).collect())
            .unwrap_or_default();
        let mut sources = BTreeSet::new();
        for arg in task["arguments"]["parameters"].as_array().into_iter().flatten() {
            let v = arg["value"].as_str().unwrap_or_default();
            if let Some(rest) = v.strip_prefix("{{tasks.") {
                sources.insert(format!("task:{}", rest.split('.').next().unwrap()));
            } else if let Some(rest) = v.strip_prefix("{{inputs.parameters.") {
                sources.insert(format!("param:{}", rest.trim_end_matches("}}")));
            } else {
                sources.insert("literal".to_owned());
            }
        }
        out.insert(task["name"].as_str().unwrap().to_owned(), (deps, sources));
    }
    out
}

fn fixture_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kfp-v1")
}

/// kfp 1.8's workflow `name` (a fixture).
fn reference(name: &str) -> Value {
    let text = std::fs::read_to_string(fixture_dir().join(name)).unwrap_or_else(|e| panic!("fixture {name}: {e}"));
    let doc = read_yaml(&text);
    assert_eq!(doc["metadata"]["annotations"]["pipelines.kubeflow.org/kfp_sdk_version"], "1.8.24", "{name}");
    doc
}

/// Every fixture is a byte-for-byte copy of the shared reference, and every shared reference is here.
#[test]
#[ignore = "needs ../shared (beside the checkout, or KFP_SHARED_DIR); run by .ci/run"]
fn fixtures_are_the_shared_reference_files() {
    let reference = require_shared().join("reference/kfp-v1");
    let yaml_files = |dir: &std::path::Path| -> BTreeSet<String> {
        std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".yaml"))
            .collect()
    };
    let files = yaml_files(&fixture_dir());
    assert_eq!(files, yaml_files(&reference), "tests/fixtures/kfp-v1 holds every YAML file of {}", reference.display());
    for file in &files {
        let copy = std::fs::read(fixture_dir().join(file)).expect("fixture");
        let original = std::fs::read(reference.join(file)).expect("shared reference");
        assert!(copy == original, "tests/fixtures/kfp-v1/{file} differs from {}: copy it again", reference.display());
    }
}

#[test]
fn linear_has_the_steps_data_flow_and_parameters_of_a_linear() {
    let kfp = reference("a_linear.yaml");
    let ours = read_yaml(&compile_example("linear", &[]));

    // Same tasks, dependencies, and argument sources.
    assert_eq!(data_flow(&ours), data_flow(&kfp));

    // Same pipeline parameters, in order, with the same defaults.
    assert_eq!(ours["spec"]["arguments"], kfp["spec"]["arguments"]);

    // The same pipeline_spec annotation (name, description, typed inputs with defaults).
    let spec = |doc: &Value| -> Value {
        let s = doc["metadata"]["annotations"]["pipelines.kubeflow.org/pipeline_spec"].as_str().unwrap();
        serde_json::from_str(s).unwrap()
    };
    assert_eq!(spec(&ours), spec(&kfp));

    // The same containers: image and command of every step.
    let containers = |doc: &Value| -> BTreeMap<String, (Value, Value)> {
        doc["spec"]["templates"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t.get("container").is_some())
            .map(|t| {
                let c = &t["container"];
                (t["name"].as_str().unwrap().to_owned(), (c["image"].clone(), c["command"].clone()))
            })
            .collect()
    };
    assert_eq!(containers(&ours), containers(&kfp));
    assert_eq!(ours["spec"]["serviceAccountName"], "pipeline-runner");
    assert_eq!(ours["metadata"]["generateName"], kfp["metadata"]["generateName"]);
}

/// Our example and kfp's reference have the same steps, in the same loops, conditions and groups, with
/// the same values flowing into them and the same ordering.
fn assert_same_steps(example: &str, reference_file: &str) {
    let kfp = reference(reference_file);
    let ours = read_yaml(&compile_example(example, &[]));
    let (ours, kfp) = (canon::steps(&ours), canon::steps(&kfp));
    assert!(!kfp.is_empty());
    if ours != kfp {
        let show = |v: &[canon::Step]| v.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join("\n");
        panic!("{example} differs from {reference_file}\nours:\n{}\nkfp:\n{}", show(&ours), show(&kfp));
    }
}

#[test]
fn parallel_for_matches_d_parallelfor_static() {
    assert_same_steps("parallel_for", "d_parallelfor_static.yaml");
}

#[test]
fn condition_matches_f_condition() {
    assert_same_steps("condition", "f_condition.yaml");
}

#[test]
fn recursion_matches_g_recursion() {
    assert_same_steps("recursion", "g_recursion.yaml");
}

#[test]
fn exit_handler_matches_h_exit_handler() {
    assert_same_steps("exit_handler", "h_exit_handler.yaml");
}

#[test]
fn control_flow_examples_keep_their_pipeline_parameters() {
    for (example, file) in [
        ("parallel_for", "d_parallelfor_static.yaml"),
        ("condition", "f_condition.yaml"),
        ("recursion", "g_recursion.yaml"),
        ("exit_handler", "h_exit_handler.yaml"),
    ] {
        let kfp = reference(file);
        let ours = read_yaml(&compile_example(example, &[]));
        assert_eq!(ours["spec"]["arguments"], kfp["spec"]["arguments"], "{example}");
    }
}

/// Scalars as strings, and parameter references as `param:NAME` (kfp v1 plumbs pipeline parameters
/// into template inputs; kfp-rs reads them as workflow parameters).
fn normalize(v: &Value) -> Value {
    match v {
        Value::Number(n) => Value::String(n.to_string()),
        Value::Bool(b) => Value::String(b.to_string()),
        Value::String(s) => {
            let mut out = s.clone();
            for prefix in ["{{inputs.parameters.", "{{workflow.parameters."] {
                while let Some(i) = out.find(prefix) {
                    let end = out[i..].find("}}").map_or(out.len(), |e| i + e + 2);
                    let name = out[i + prefix.len()..end - 2].to_owned();
                    out.replace_range(i..end, &format!("param:{name}"));
                }
            }
            Value::String(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(normalize).collect()),
        Value::Object(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), normalize(v))).collect()),
        Value::Null => Value::Null,
    }
}

#[test]
fn pod_settings_has_every_setting_of_k_pod_settings() {
    let kfp = reference("k_pod_settings.yaml");
    let ours = read_yaml(&compile_example("pod_settings", &[]));
    let template = |doc: &Value, name: &str| -> Value {
        doc["spec"]["templates"].as_array().unwrap().iter().find(|t| t["name"] == name).cloned().unwrap()
    };
    let (mut o, k) = (template(&ours, "train"), template(&kfp, "train"));
    // Beyond kfp v1: the example retries only when the exit code is not 2, on another node (kfp v1's
    // `set_retry` has no retry expression or anti-affinity).
    let strategy = o["retryStrategy"].as_object_mut().unwrap();
    assert_eq!(strategy.remove("expression"), Some(Value::from("!(asInt(lastRetry.exitCode) == 2)")));
    assert_eq!(strategy.remove("affinity"), Some(serde_json::json!({"nodeAntiAffinity": {}})));
    for field in [
        "nodeSelector",
        "tolerations",
        "affinity",
        "retryStrategy",
        "activeDeadlineSeconds",
        "initContainers",
        "sidecars",
        "volumes",
    ] {
        assert_eq!(normalize(&o[field]), normalize(&k[field]), "train.{field}");
    }
    for field in ["env", "resources", "imagePullPolicy", "volumeMounts", "image", "command"] {
        assert_eq!(normalize(&o["container"][field]), normalize(&k["container"][field]), "train.container.{field}");
    }
    for (key, value) in k["metadata"]["annotations"].as_object().unwrap() {
        assert_eq!(&o["metadata"]["annotations"][key], value, "annotation {key}");
    }
    for (key, value) in k["metadata"]["labels"].as_object().unwrap() {
        if !key.contains("sdk") {
            assert_eq!(&o["metadata"]["labels"][key], value, "label {key}");
        }
    }
    let (o, k) = (template(&ours, "serve"), template(&kfp, "serve"));
    let caching = "pipelines.kubeflow.org/enable_caching";
    assert_eq!(o["metadata"]["labels"][caching], "false");
    assert_eq!(o["metadata"]["labels"][caching], k["metadata"]["labels"][caching]);
    // kfp v1 splices `{{inputs.parameters.x}}` into the JSON; ours writes each value with an expression
    // tag as a JSON string. Both are filled in as Argo would, with the parameter's name as its value.
    let patch = |t: &Value| {
        let text = t["podSpecPatch"].as_str().unwrap();
        let filled =
            kfp::argo_template::substitute(text, &mut |v| v.rsplit('.').next().map(|n| format!("<{n}>"))).unwrap();
        normalize(&serde_json::from_str::<Value>(&filled).unwrap())
    };
    assert_eq!(patch(&o), patch(&k));
    // kfp v1 left an empty `resources: {}` behind and wrote the GPU count as an integer (not schema-valid).
    assert!(o["container"].get("resources").is_none());
    assert_eq!(template(&ours, "train")["container"]["resources"]["limits"]["nvidia.com/gpu"], "1");
}

fn k_str(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}

#[test]
fn k8s_resources_has_every_step_of_i_resource_volume() {
    let kfp = reference("i_resource_volume.yaml");
    let ours = read_yaml(&compile_example("k8s_resources", &[]));
    // kfp v1 names its two delete steps generically; ours say what they delete.
    let rename = |n: &str| match n {
        "kubernetes-resource-delete" => "delete-job".to_owned(),
        "kubernetes-resource-delete-2" => "delete-work-pvc".to_owned(),
        other => other.to_owned(),
    };
    let (flow_o, flow_k) = (data_flow(&ours), data_flow(&kfp));
    assert_eq!(flow_o.len(), flow_k.len(), "{:?}", flow_o.keys().collect::<Vec<_>>());
    for (name, (deps, _)) in &flow_k {
        let ours_name = rename(name);
        let (our_deps, _) = flow_o.get(&ours_name).unwrap_or_else(|| panic!("no task `{ours_name}`"));
        let theirs: BTreeSet<String> = deps.iter().map(|d| rename(d)).collect();
        assert_eq!(our_deps, &theirs, "dependencies of {ours_name}");
    }
    let task_template = |doc: &Value, task: &str| -> Value {
        let entry = doc["spec"]["entrypoint"].as_str().unwrap();
        let templates = doc["spec"]["templates"].as_array().unwrap();
        let root = templates.iter().find(|t| t["name"] == entry).unwrap();
        let t = root["dag"]["tasks"].as_array().unwrap().iter().find(|t| t["name"] == task).unwrap();
        templates.iter().find(|x| x["name"] == t["template"]).cloned().unwrap()
    };
    // Input names differ (kfp prefixes them with the producing op), so placeholders are compared
    // as `{{input}}`.
    // kfp v1 splices `{{inputs.parameters.x}}` into the YAML; ours writes each value with an
    // expression tag as a JSON literal. Both are filled in as Argo would, every input as `{{input}}`.
    fn manifest(t: &Value) -> Value {
        let text = t["resource"]["manifest"].as_str().unwrap();
        let input = |v: &str| {
            Some(if v.starts_with("inputs.parameters.") { "{{input}}".to_owned() } else { format!("{{{{{v}}}}}") })
        };
        read_yaml(&kfp::argo_template::substitute(text, &mut { input }).unwrap())
    }
    let json_paths = |t: &Value| -> BTreeSet<String> {
        t["outputs"]["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| Some(p["valueFrom"]["jsonPath"].as_str()?.to_owned()))
            .collect()
    };
    for step in ["create-pvc", "restore-pvc", "run-job"] {
        let (o, k) = (task_template(&ours, step), task_template(&kfp, step));
        assert_eq!(manifest(&o), manifest(&k), "{step} manifest");
        assert_eq!(o["resource"]["action"], k["resource"]["action"], "{step} action");
    }
    // kfp v1 waits for the Job with `status.succeeded > 0` / `status.failed > 0`, which fails at the
    // first failed pod of a Job that is still retrying (and fails a Job that succeeded on retry);
    // ours reads the Job's terminal state (tests/resource_waits.rs checks it stage by stage).
    let job = task_template(&ours, "run-job");
    assert_eq!(k_str(&task_template(&kfp, "run-job")["resource"]["failureCondition"]), "status.failed > 0");
    assert_eq!(k_str(&job["resource"]["successCondition"]), kfp::Wait::batch_job().success());
    assert_eq!(Some(k_str(&job["resource"]["failureCondition"])), kfp::Wait::batch_job().failure());
    assert_eq!(job["activeDeadlineSeconds"], "86400");
    // kfp v1 reads `{}` (the whole manifest) and the size of every claim; ours reads what is used.
    assert!(json_paths(&task_template(&kfp, "run-job")).is_superset(&json_paths(&task_template(&ours, "run-job"))));
    assert!(json_paths(&task_template(&ours, "run-job")).contains("{.metadata.uid}"));
    // The snapshot: the same condition and outputs, but the GA API (kfp v1 wrote v1alpha1).
    let (o, k) = (task_template(&ours, "snapshot"), task_template(&kfp, "snapshot"));
    assert_eq!(o["resource"]["successCondition"], k["resource"]["successCondition"]);
    assert_eq!(manifest(&o)["apiVersion"], "snapshot.storage.k8s.io/v1");
    assert_eq!(manifest(&o)["spec"]["source"]["persistentVolumeClaimName"], "{{input}}");
    // kfp v1 reads the size with a JSONPath, which gives "" when the driver reports none; ours fails
    // the step then, with a message, instead of restoring a claim of size "".
    assert!(json_paths(&k).contains("{.status.restoreSize}"));
    assert!(json_paths(&o).contains("{.metadata.name}"));
    let size = o["outputs"]["parameters"].as_array().unwrap().iter().find(|p| p["name"] == "size").unwrap();
    assert!(size["valueFrom"]["jqFilter"].as_str().unwrap().starts_with(".status.restoreSize | if . == null"));
    assert_eq!(o["activeDeadlineSeconds"], "1800");
    for (step, path) in [("write", "/data"), ("read", "/restored")] {
        let (o, k) = (task_template(&ours, step), task_template(&kfp, step));
        assert_eq!(o["container"]["volumeMounts"][0]["mountPath"], path);
        assert_eq!(o["container"]["volumeMounts"][0]["mountPath"], k["container"]["volumeMounts"][0]["mountPath"]);
        assert!(
            o["volumes"][0]["persistentVolumeClaim"]["claimName"].as_str().unwrap().starts_with("{{workflow.name}}-")
        );
    }
    for step in ["delete-job", "delete-work-pvc"] {
        assert_eq!(task_template(&ours, step)["resource"]["action"], "delete");
    }
}
