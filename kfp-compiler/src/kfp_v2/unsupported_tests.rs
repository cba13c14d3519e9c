//! Tests of `unsupported`: each construct the IR cannot express gives one entry naming the line
//! of the call it belongs to; what the IR can express gives none.

use kfp_dsl::__private::{ArgValue, GraphInputs, OutputFactory};
use kfp_dsl::kubeflow::{InferenceService, JobArg, KatibExperiment, TrainingJob};
use kfp_dsl::model::{ComponentSpec, ContainerSpec, GraphInterface, ResourceSpec, SecurityContext, ValueSrc};
use kfp_dsl::{Dag, DynOutputs, ExtraContainer, GraphComponent, KfpMetrics, KfpUiMetadata, Param, Task, VolumeClaim};
use serde_json::json;

use super::*;

fn echo() -> ComponentSpec {
    ComponentSpec::new("echo", None).body(ContainerSpec::new(["echo"]), Some("alpine:3.20"))
}

#[track_caller]
fn call(p: &Dag) -> Task<'_, DynOutputs> {
    p.call_component(&echo(), [])
}

/// `(line, what)` of each entry.
fn found(body: impl FnOnce(&Dag)) -> Vec<(Option<u32>, String)> {
    let p = Pipeline::build("u", None, body).unwrap();
    let file = file!();
    unsupported(&p)
        .into_iter()
        .map(|u| {
            let line = u.location.map(|l| {
                let text = l.to_string();
                assert!(text.starts_with(file), "{text}");
                text.split(':').nth(1).unwrap().parse().unwrap()
            });
            (line, u.what)
        })
        .collect()
}

#[test]
fn what_the_ir_expresses_gives_nothing() {
    let none = found(|p| {
        let memory = p.param::<String>("memory");
        let v = p.volume(VolumeClaim::new("work", "1Gi"));
        call(p)
            .cpu_limit("2")
            .memory_limit(memory)
            .gpu_limit("1")
            .env("A", "b")
            .env_from_secret("T", "s", "k")
            .env_from_field("N", "metadata.name")
            .volume("cfg", VolumeSource::ConfigMap("c".into()), "/cfg")
            .node_selector("a", "b")
            .toleration("gpu", "Exists", None, "NoSchedule")
            .node_affinity(false, "zone", "In", &["a"])
            .retry_with(2, "OnFailure", "30s", 2, "5m")
            .timeout(60)
            .caching(false)
            .label("a", "b")
            .image_pull_policy("Always")
            .mount(&v, "/work");
        p.delete_volume(&v);
        p.image_pull_secrets(["regcred"]);
        p.default_node_selector("pool", "cpu");
        p.pod_label("team", "ml");
    });
    assert_eq!(none, []);
}

#[test]
fn each_unsupported_setting_names_its_task_call() {
    let mut context = SecurityContext::default();
    (context.run_as_user, context.privileged) = (Some(1000), Some(true));
    let line = line!() + 3;
    let got = found(|p| {
        let n = p.param::<String>("n");
        call(p)
            .sidecar(ExtraContainer::new("agent", "busybox"))
            .init_container(ExtraContainer::new("setup", "busybox"))
            .env("EPOCHS", n)
            .env_from_all_of_secret("creds")
            .security_context(context)
            .retry_with(2, "Always", "30s", 2, "5m")
            .retry_if(!kfp_dsl::RetryIf::exit_code_in([1]))
            .retry_on_other_node()
            .max_cache_staleness("P7D")
            .ephemeral_storage_request("1Gi")
            .volume("old", VolumeSource::Pvc("{{workflow.name}}-old".into()), "/old");
    });
    let whats: Vec<&str> = got.iter().map(|(l, w)| (assert_eq!(*l, Some(line)), w.as_str()).1).collect();
    assert_eq!(
        whats,
        [
            "sidecar `agent` of `echo`",
            "init container `setup` of `echo`",
            "request of `ephemeral-storage` of `echo`",
            "environment variable `EPOCHS` of `echo` from parameter `n`",
            "every key of secret `creds` as environment variables of `echo`",
            "volume `old` of `echo` on claim `{{workflow.name}}-old`",
            "security context `privileged` of `echo`",
            "retry policy `Always` of `echo`",
            "retry condition (`retry_if`) of `echo`",
            "retry on another node of `echo`",
            "max cache staleness `P7D` of `echo`",
        ]
    );
}

#[test]
fn steps_the_ir_has_no_kind_of_are_listed_with_their_line() {
    let search = KatibExperiment::maximize("search", "acc")
        .double("lr", 0.01, 0.1)
        .trial("t", ["run", "--lr=${trialParameters.lr}"]);
    let train = TrainingJob::pytorch("train", "img", [JobArg::from("run")]);
    let job = json!({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": "j"}});
    let job = ComponentSpec::new("job", None).body(ResourceSpec::create(job), None);
    let first = line!() + 3;
    let got = found(|p| {
        let v = p.volume(VolumeClaim::new("work", "1Gi"));
        let snap = p.volume_snapshot("snap", &v, None);
        p.volume(VolumeClaim::new("restored", snap.size).from_snapshot(&snap));
        p.katib_experiment(search);
        p.training_job(train);
        p.inference_service(InferenceService::new("serve", "sklearn", "gs://m"));
        p.call_component(&job, []);
    });
    let lines: Vec<Option<u32>> = got.iter().map(|(l, _)| *l).collect();
    let whats: Vec<&str> = got.iter().map(|(_, w)| w.as_str()).collect();
    assert_eq!(
        whats,
        [
            "volume snapshot `snap` (`kubectl create` of a VolumeSnapshot)",
            "a claim restored from a snapshot the pipeline takes (volume step `restored`)",
            "Katib experiment `search` (`kubectl create` of a Experiment)",
            "training job `train` (`kubectl create` of a PyTorchJob)",
            "KServe inference service `serve` (`kubectl apply` of a InferenceService)",
            "resource step `job` (`kubectl create` of a Job)",
        ],
        "{got:?}"
    );
    assert_eq!(lines, [first, first + 1, first + 2, first + 3, first + 4, first + 5].map(Some));
}

#[test]
fn the_namespace_has_no_ir_placeholder() {
    let echo_msg = ComponentSpec::new("say", None)
        .input_param::<String>("msg", None)
        .body(ContainerSpec::new(["echo"]), Some("alpine:3.20"));
    let line = line!() + 3;
    let got = found(|p| {
        let ns = kfp_dsl::fmt_param!(p, "in {}", p.namespace());
        p.call_component(&echo_msg, [("msg", ns.into())]);
        p.call_component(&echo_msg, [("msg", p.run_id().into())]);
    });
    assert_eq!(got, [(Some(line), "the namespace (`p.namespace()`) passed to `say`".to_owned())]);
}

#[test]
fn the_attempt_number_has_no_ir_placeholder_and_the_others_do() {
    let echo_msg = ComponentSpec::new("say", None)
        .input_param::<String>("msg", None)
        .body(ContainerSpec::new(["echo"]), Some("alpine:3.20"));
    let line = line!() + 3;
    let got = found(|p| {
        let n = kfp_dsl::fmt_param!(p, "attempt {}", p.retry_count());
        p.call_component(&echo_msg, [("msg", n.into())]);
        for v in [p.job_resource_name(), p.create_time(), p.schedule_time(), p.current_task_name(), p.current_task_id()]
        {
            p.call_component(&echo_msg, [("msg", v.into())]);
        }
    });
    assert_eq!(got, [(Some(line), "the attempt number (`p.retry_count()`) passed to `say`".to_owned())]);
}

#[test]
fn v1_ui_outputs_and_argo_pipeline_settings_are_listed() {
    let line = line!() + 6;
    let got = found(|p| {
        let ui = ComponentSpec::new("report", None)
            .output_artifact::<KfpMetrics>("metrics", None)
            .output_artifact::<KfpUiMetadata>("ui", None)
            .body(ContainerSpec::new(["report"]), Some("alpine:3.20"));
        p.call_component(&ui, []);
        p.max_parallelism(2);
        p.ttl_after_finished(60);
        p.workflow_timeout(u64::from(u32::MAX));
        p.service_account("runner");
    });
    assert_eq!(
        got,
        [
            (Some(line), "output `mlpipeline-metrics` of `report` (a Kubeflow v1 UI file)".to_owned()),
            (Some(line), "output `mlpipeline-ui-metadata` of `report` (a Kubeflow v1 UI file)".to_owned()),
            (None, "pipeline setting `workflow_timeout`".to_owned()),
            (None, "pipeline setting `max_parallelism`".to_owned()),
            (None, "pipeline setting `service_account`".to_owned()),
        ]
    );
}

/// Calls itself inside a condition (the recursion `#[graph_component]` allows).
struct Countdown;

impl GraphComponent for Countdown {
    type Outputs = ();

    fn interface() -> GraphInterface {
        GraphInterface::new::<()>("countdown", None).input_param::<u32>("n", None)
    }

    fn __body(dag: &Dag, inputs: &GraphInputs) -> Vec<ValueSrc> {
        let n: Param<u32> = inputs.param(0);
        dag.condition(n.gt(0u32), |p| {
            p.__call_graph::<Countdown>(SourceLocation::caller(), vec![ArgValue::Const("0".into())]);
        });
        Vec::new()
    }

    fn __outputs(_: &OutputFactory) {}
}

#[test]
fn recursion_is_an_entry_that_cannot_be_left_out() {
    let p = Pipeline::build("r", None, |p| {
        p.__call_graph::<Countdown>(SourceLocation::caller(), vec![ArgValue::Const("3".into())]);
    })
    .unwrap();
    let got = unsupported(&p);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].what, "recursive call of graph component `countdown`");
    assert_eq!(got[0].leave_out, LeaveOut::Never);
    assert_eq!(describe_lossy(&got), "");
}

#[test]
fn lossy_warnings_list_each_construct() {
    let p = Pipeline::build("w", None, |p| {
        call(p).sidecar(ExtraContainer::new("agent", "busybox"));
        p.pod_gc("OnPodCompletion");
    })
    .unwrap();
    let text = describe_lossy(&unsupported(&p));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].starts_with("warning: --lossy: the KFP v2 IR leaves out 2 constructs"), "{text}");
    assert!(lines[1].contains("unsupported_tests.rs:") && lines[1].contains("sidecar `agent` of `echo`"));
    assert!(lines[1].ends_with("(left out)"), "{text}");
    assert!(lines[2].starts_with("  pipeline setting `pod_gc` cannot be expressed"), "{text}");
    assert_eq!(describe_lossy(&[]), "");
}
