//! Resource and volume steps: what they emit, and their mistakes as errors naming the line.

use kfp::json;
use kfp::prelude::*;
use kfp::{CompileOptions, Component};

/// Scales a deployment.
#[resource_component]
fn scale(name: Param<String>, replicas: Param<u32>, ready: OutputParam<u32>) -> ResourceSpec {
    ResourceSpec::patch(json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": { "name": name },
        "spec": { "replicas": replicas },
    }))
    .merge_strategy("merge")
    .success_condition("status.readyReplicas > 0")
    .output(ready, "{.status.readyReplicas}")
    .owned_by_workflow()
}

/// Everything wrong at once.
#[resource_component]
fn broken(name: Param<String>, data: Input<Dataset>, forgotten: OutputParam<String>) -> ResourceSpec {
    let _ = (data, forgotten);
    ResourceSpec::new("launch", json!({ "kind": "Job", "metadata": { "generateName": name } })).merge_strategy("json")
}

#[test]
fn a_resource_step_is_an_argo_resource_template() {
    let pipeline = kfp::Pipeline::build("r", None, |p| {
        let s = scale(p, "web", 3);
        let _: Param<u32> = s.ready;
    })
    .unwrap();
    let wf = kfp::compile_pipeline(&pipeline, &CompileOptions::default()).unwrap();
    let t = wf.spec.templates.iter().find(|t| t.name == "scale").unwrap();
    assert!(t.container.is_none());
    let r = t.resource.as_ref().unwrap();
    assert_eq!(r.action, "patch");
    assert_eq!(r.merge_strategy.as_deref(), Some("merge"));
    assert!(r.set_owner_reference);
    assert_eq!(r.success_condition.as_deref(), Some("status.readyReplicas > 0"));
    // Each input becomes one JSON literal of its type when Argo fills it in (tests/injection.rs has
    // the hostile values): a string as a JSON string, a number as a number.
    assert!(
        r.manifest.contains("name: {{=sprig.replace('{', '\\\\u007b', toJson(inputs.parameters.name))}}"),
        "{}",
        r.manifest
    );
    assert!(r.manifest.contains("replicas: {{=toJson(asInt(inputs.parameters.replicas))}}"), "{}", r.manifest);
    assert_eq!(
        t.outputs.parameters[0].value_from.as_ref().unwrap().json_path.as_deref(),
        Some("{.status.readyReplicas}")
    );
    // Not cached unless asked: a cache hit would skip the change to the cluster.
    assert_eq!(t.metadata.labels["pipelines.kubeflow.org/enable_caching"], "false");
    let yaml = kfp::to_yaml(&wf).unwrap();
    assert!(yaml.contains("setOwnerReference: true") && yaml.contains("mergeStrategy: merge"), "{yaml}");
    // No component.yaml can describe it.
    let err = kfp::component_to_yaml(&scale::spec(), "bin", None).unwrap_err();
    assert!(err.contains("resource step"), "{err}");
}

/// Makes a dataset.
#[container_component(image = "alpine:3.20")]
fn make(data: Output<Dataset>) -> ContainerSpec {
    ContainerSpec::new(["touch"]).arg(data)
}

/// Writes to /data.
#[container_component(image = "alpine:3.20")]
fn use_data() -> ContainerSpec {
    ContainerSpec::new(["ls", "/data"])
}

#[test]
fn resource_step_mistakes_are_listed() {
    let line = line!() + 3;
    let err = kfp::Pipeline::build("r", None, |p| {
        let d = make(p);
        broken(p, "x", d.data);
    })
    .unwrap_err()
    .to_string();
    assert!(err.starts_with(&format!("tests/resources.rs:{line}:")), "{err}");
    for expected in [
        "`launch` is not a resource action; expected one of `create`, `apply`, `patch`, `replace`, `delete`, `get`",
        "the manifest has no `apiVersion`",
        "`launch` needs `metadata.name`; `generateName` only works with `create`",
        "a merge strategy only applies to `patch`",
        "output `forgotten` is not read from the object",
        "input `data` is an artifact; a resource step takes only parameters",
    ] {
        assert!(err.contains(expected), "{err} lacks {expected}");
    }
}

/// Waits Argo could not run.
#[resource_component]
fn bad_wait(n: Param<u32>) -> ResourceSpec {
    let _ = n; // read by Argo's placeholder in the failure condition
    ResourceSpec::create(json!({ "apiVersion": "batch/v1", "kind": "Job", "metadata": { "name": "j" } }))
        .success_condition(r#"status.conditions.#(type=="Complete").status == True"#)
        .failure_condition("status.failed > {{inputs.parameters.n}},status.phase == Bad Value")
        .timeout(0)
}

/// Fails, but never says when it succeeds.
#[resource_component]
fn failure_only() -> ResourceSpec {
    ResourceSpec::create(json!({ "apiVersion": "batch/v1", "kind": "Job", "metadata": { "name": "j" } }))
        .failure_condition("status.failed > 0")
}

#[test]
fn waits_argo_cannot_run_are_refused_at_their_line() {
    let line = line!() + 2;
    let err = kfp::Pipeline::build("r", None, |p| {
        bad_wait(p, 2);
        failure_only(p);
    })
    .unwrap_err()
    .to_string();
    assert!(err.starts_with(&format!("tests/resources.rs:{line}:")), "{err}");
    assert!(err.contains(&format!("tests/resources.rs:{}:", line + 1)), "{err}");
    for expected in [
        r#"success condition `status.conditions.#(type=="Complete").status == True`: `status.conditions.#` is not a path Argo can read"#,
        // The placeholder is a value Argo fills in before it parses: only the second requirement is wrong.
        "failure condition `status.failed > {{inputs.parameters.n}},status.phase == Bad Value`: found `Value`, expected `,` or the end",
        "a timeout of 0 seconds would fail the step at once",
        "a failure condition alone ends the step at its first check",
    ] {
        assert!(err.contains(expected), "{err}\nlacks {expected}");
    }
}

#[test]
fn volumes_make_mounting_tasks_depend_on_them() {
    let pipeline = kfp::Pipeline::build("v", None, |p| {
        let size = p.param::<String>("size");
        let vol = p.volume(VolumeClaim::new("scratch", size).storage_class("fast"));
        use_data(p).mount(&vol, "/data");
    })
    .unwrap();
    let wf = kfp::compile_pipeline(&pipeline, &CompileOptions::default()).unwrap();
    let root = wf.spec.templates.iter().find(|t| t.dag.is_some()).unwrap();
    let task = root.dag.as_ref().unwrap().tasks.iter().find(|t| &*t.name == "use-data").unwrap();
    assert_eq!(task.dependencies.iter().map(|d| &**d).collect::<Vec<_>>(), ["scratch"]);
    let t = wf.spec.templates.iter().find(|t| &*t.name == "use-data").unwrap();
    assert_eq!(t.volumes[0]["persistentVolumeClaim"]["claimName"], "{{workflow.name}}-scratch");
    assert_eq!(t.container.as_ref().unwrap().volume_mounts[0]["mountPath"], "/data");
    let pvc = wf.spec.templates.iter().find(|t| t.name == "scratch").unwrap().resource.as_ref().unwrap();
    assert!(pvc.manifest.contains("storageClassName: fast"), "{}", pvc.manifest);
    assert!(pvc.manifest.contains("storage: \"{{inputs.parameters.size}}\""), "{}", pvc.manifest);
}

#[test]
fn volume_mistakes_name_their_line() {
    let line = line!() + 3;
    let err = kfp::Pipeline::build("v", None, |p| {
        p.parallel_for([1u32, 2], |p, _item| {
            p.volume(VolumeClaim::new("Bad_Name", "4 gigs").access_mode("ReadWriteSometimes"));
        });
    })
    .unwrap_err()
    .to_string();
    let first = err.lines().next().unwrap();
    assert!(first.starts_with(&format!("tests/resources.rs:{line}:")), "{err}");
    for expected in [
        "`4 gigs` is not a Kubernetes quantity",
        "`ReadWriteSometimes` is not an access mode",
        "`Bad_Name` is not a valid object name",
        "a volume made inside a loop would have the same name in every iteration",
    ] {
        assert!(err.contains(expected), "{err} lacks {expected}");
    }
}

#[pipeline(name = "scale it")]
fn scale_it(p: &Dag) {
    scale(p, "web", 1);
}

#[test]
fn the_local_runner_refuses_resource_steps_clearly() {
    let dir = std::env::temp_dir().join(format!("kfp-resources-{}", std::process::id()));
    let report = kfp::runner::run(&scale_it, &kfp::runner::RunOptions::new(dir.clone())).unwrap();
    assert!(!report.succeeded);
    let text = format!("{report:?}");
    assert!(text.contains("needs a Kubernetes cluster"), "{text}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn container_settings_on_a_resource_step_are_refused() {
    let line = line!() + 2;
    let err = kfp::Pipeline::build("r", None, |p| {
        scale(p, "web", 2).timeout(600).retry(2).memory_limit("1Gi").label("team", "ml");
    })
    .unwrap_err()
    .to_string();
    assert_eq!(err.lines().count(), 1, "timeout, retry and labels apply: {err}");
    assert!(err.starts_with(&format!("tests/resources.rs:{line}:")), "{err}");
    assert!(err.contains("this is a resource step"), "{err}");
}

#[test]
fn a_transformer_adds_no_container_settings_to_resource_steps() {
    let pipeline = kfp::Pipeline::build("r", None, |p| {
        p.for_every_task(|s| {
            s.annotations.insert("sidecar.istio.io/inject".into(), "false".into());
            s.env.push(("MODE".into(), kfp::EnvSource::Value(kfp::SettingValue::Literal("prod".into()))));
            s.sidecars.push(kfp::ExtraContainer::new("agent", "agent:1"));
        });
        scale(p, "web", 2);
        use_data(p);
    })
    .unwrap();
    let wf = kfp::compile_pipeline(&pipeline, &CompileOptions::default()).unwrap();
    let scale_t = wf.spec.templates.iter().find(|t| t.name == "scale").unwrap();
    assert_eq!(scale_t.metadata.annotations["sidecar.istio.io/inject"], "false");
    assert!(scale_t.container.is_none() && scale_t.sidecars.is_empty());
    let use_t = wf.spec.templates.iter().find(|t| t.name == "use-data").unwrap();
    assert_eq!(use_t.container.as_ref().unwrap().env[0].name, "MODE");
    assert_eq!(use_t.sidecars.len(), 1);
}

#[test]
fn a_resource_step_is_cached_only_when_asked() {
    let pipeline = kfp::Pipeline::build("r", None, |p| {
        scale(p, "web", 2).caching(true);
    })
    .unwrap();
    let wf = kfp::compile_pipeline(&pipeline, &CompileOptions::default()).unwrap();
    let t = wf.spec.templates.iter().find(|t| t.name == "scale").unwrap();
    assert_eq!(t.metadata.labels["pipelines.kubeflow.org/enable_caching"], "true");
}

#[test]
fn caching_off_is_said_the_way_the_kubeflow_v1_backend_reads_it() {
    let staleness = "pipelines.kubeflow.org/max_cache_staleness";
    let pipeline = kfp::Pipeline::build("r", None, |p| {
        scale(p, "web", 2); // a resource step: off unless asked
        scale(p, "api", 2).caching(true);
        make(p).caching(false);
        make(p).caching(false).max_cache_staleness("P7D"); // off wins
        make(p).max_cache_staleness("P1D");
    })
    .unwrap();
    let wf = kfp::compile_pipeline(&pipeline, &CompileOptions::default()).unwrap();
    let mut seen = Vec::new();
    for t in wf.spec.templates.iter().filter(|t| t.dag.is_none()) {
        let label = t.metadata.labels.get("pipelines.kubeflow.org/enable_caching").map(String::as_str);
        seen.push((label, t.metadata.annotations.get(staleness).map(String::as_str)));
    }
    seen.sort();
    assert_eq!(
        seen,
        [
            (Some("false"), Some("P0D")),
            (Some("false"), Some("P0D")),
            (Some("false"), Some("P0D")),
            (Some("true"), None),
            (Some("true"), Some("P1D"))
        ],
        "{:?}",
        wf.spec.templates.iter().map(|t| &t.name).collect::<Vec<_>>()
    );
}
