//! Every wait kfp-rs emits, checked against each operator's lifecycle: the objects in
//! `tests/fixtures/lifecycle/` (built from the operators' controller code, one file per service, each
//! stage with the outcome a correct step gives) are evaluated with Argo's rules for resource
//! conditions (`kfp::wait_condition`), then the step's jq outputs are run on them as Argo runs them
//! after a success (a filter's `error(..)` fails the step).

use std::collections::BTreeMap;
use std::path::Path;

use kfp::kubeflow::{InferenceService, KatibExperiment, TrainingJob};
use kfp::wait_condition::{Condition, Outcome, decide};
use kfp::{CompileOptions, json};
use serde_json::Value;

/// What one resource step of the compiled workflow waits for.
#[derive(Debug)]
struct Step {
    success: Option<Condition>,
    failure: Option<Condition>,
    jq: Vec<(String, String)>,
    timeout: Option<String>,
}

#[kfp::resource_component]
fn batch_job(
    /// The Job's name.
    name: kfp::OutputParam<String>,
) -> kfp::ResourceSpec {
    kfp::ResourceSpec::create(json!({
        "apiVersion": "batch/v1", "kind": "Job", "metadata": { "generateName": "j-" },
        "spec": { "backoffLimit": 2, "template": { "spec": { "restartPolicy": "Never",
            "containers": [{ "name": "main", "image": "alpine:3.20" }] } } },
    }))
    .wait(kfp::Wait::batch_job())
    .output(name, "{.metadata.name}")
}

/// The steps of a pipeline that uses every wait, by the kind of object each makes (`PyTorchJob`
/// and `TFJob` both).
fn steps() -> BTreeMap<String, Step> {
    let pipeline = kfp::Pipeline::build("waits", None, |p| {
        let search = p.katib_experiment(
            KatibExperiment::maximize("tune", "accuracy")
                .double("lr", 0.01, 0.1)
                .goal(0.99)
                .trial("img:1", ["train", "--lr=${trialParameters.lr}"]),
        );
        p.training_job(TrainingJob::pytorch("torch", "img:1", ["train".into(), search.best("lr").into()]));
        p.training_job(TrainingJob::tensorflow("tf", "img:1", ["train".into()]));
        p.inference_service(InferenceService::new("iris", "sklearn", "gs://models/iris"));
        batch_job(p);
        let v = p.volume(kfp::VolumeClaim::new("data", "1Gi"));
        p.volume_snapshot("snap", &v, None);
    })
    .unwrap();
    let wf = kfp::compile_pipeline(&pipeline, &CompileOptions::default()).unwrap();
    let mut out = BTreeMap::new();
    for t in &wf.spec.templates {
        let Some(r) = &t.resource else { continue };
        let kind = r.manifest.lines().find_map(|l| l.strip_prefix("kind: ")).unwrap().trim().to_owned();
        let parse = |c: &Option<String>| c.as_deref().map(|c| Condition::parse(c).unwrap());
        let jq = t
            .outputs
            .parameters
            .iter()
            .filter_map(|p| {
                let v = serde_json::to_value(p).unwrap();
                Some((p.name.to_string(), v["valueFrom"]["jqFilter"].as_str()?.to_owned()))
            })
            .collect();
        let step = Step {
            success: parse(&r.success_condition),
            failure: parse(&r.failure_condition),
            jq,
            timeout: t.active_deadline_seconds.clone(),
        };
        out.insert(kind, step);
    }
    out
}

/// Runs a jq filter as Argo's executor does: its error, or its output.
fn jq(filter: &str, input: &Value) -> Result<Value, String> {
    use jaq_core::load::{Arena, File, Loader};
    use jaq_core::{Compiler, Ctx, RcIter};
    let loader = Loader::new(jaq_std::defs().chain(jaq_json::defs()));
    let arena = Arena::default();
    let modules = loader.load(&arena, File { code: filter, path: () }).map_err(|e| format!("{e:?}"))?;
    let filter = Compiler::default()
        .with_funs(jaq_std::funs().chain(jaq_json::funs()))
        .compile(modules)
        .map_err(|e| format!("{e:?}"))?;
    let inputs = RcIter::new(core::iter::empty());
    let mut out = filter.run((Ctx::new([], &inputs), jaq_json::Val::from(input.clone())));
    match out.next() {
        Some(Ok(v)) => Ok(Value::from(v)),
        Some(Err(e)) => Err(e.to_string()),
        None => Err("no output".to_owned()),
    }
}

/// What the step does on `object`: its conditions, then (on success) its jq outputs.
fn outcome(step: &Step, object: &Value) -> (&'static str, String) {
    match decide(step.success.as_ref(), step.failure.as_ref(), object) {
        Outcome::Wait => ("wait", String::new()),
        Outcome::Fail(why) => ("fail", why),
        Outcome::Succeed => match step.jq.iter().find_map(|(n, f)| jq(f, object).err().map(|e| format!("{n}: {e}"))) {
            Some(e) => ("fail", e),
            None => ("succeed", String::new()),
        },
    }
}

/// The stages where the step's answer differs from the operator's truth, each named in the README
/// (Kubeflow services: "What ends each step"): (file, stage prefix, what the step does, why).
const DOCUMENTED: [(&str, &str, &str, &str); 6] = [
    (
        "inference-service.json",
        "re-applied with a new model (generation 2), controller has NOT reconciled yet",
        "succeed",
        "undecidable: the status names no generation of the InferenceService; `create_only()` avoids it",
    ),
    (
        "inference-service.json",
        "re-applied (generation 2) after generation 1 failed, not reconciled yet",
        "fail",
        "undecidable, as above",
    ),
    (
        "inference-service.json",
        "ready, then scaled to zero by Knative",
        "wait",
        "undecidable without the Ready condition, which has no fixed index: with min_replicas(0), an unchanged \
         re-apply to a service at zero ends at the timeout",
    ),
    ("inference-service.json", "v0.16+: stopped via annotation", "wait", "ends at the timeout: fails, later"),
    (
        "volume-snapshot.json",
        "was ready, bound VolumeSnapshotContent deleted",
        "wait",
        "ends at the timeout: fails, later (the step succeeded when the snapshot was first ready)",
    ),
    (
        "katib-experiment.json",
        "restarting: LongRunning experiment",
        "succeed",
        "out of reach: the step's experiment says resumePolicy Never and a maxTrialCount, and Katib restarts only \
         LongRunning/FromVolume experiments or those without maxTrialCount",
    ),
];

#[test]
fn every_wait_ends_right_in_every_lifecycle_stage() {
    let steps = steps();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lifecycle");
    let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    files.sort();
    let names: Vec<_> = files.iter().map(|f| f.file_name().unwrap().to_string_lossy().into_owned()).collect();
    assert_eq!(
        names,
        [
            "batch-job.json",
            "inference-service.json",
            "katib-experiment.json",
            "training-job.json",
            "volume-snapshot.json"
        ]
    );
    let (mut wrong, mut checked, mut documented) = (Vec::new(), 0, 0);
    for file in &files {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let stages = doc["stages"].as_array().unwrap();
        assert!(stages.len() >= 4, "{}: too few stages", file.display());
        for stage in stages {
            let object = &stage["object"];
            let kind = object["kind"].as_str().unwrap();
            let step = steps.get(kind).unwrap_or_else(|| panic!("no step makes a {kind}"));
            let expect = stage["expect"].as_str().unwrap();
            let (got, why) = outcome(step, object);
            checked += 1;
            let name = stage["stage"].as_str().unwrap();
            let file_name = file.file_name().unwrap().to_string_lossy();
            if let Some((.., does, reason)) =
                DOCUMENTED.iter().find(|(f, s, ..)| *f == file_name && name.starts_with(s))
            {
                // Still the documented answer, and still not the operator's: the list cannot go stale.
                assert_eq!(got, *does, "{file_name}: `{name}` ({reason})");
                assert_ne!(got, expect, "{file_name}: `{name}` is right now: take it off DOCUMENTED");
                if *does == "wait" && !reason.starts_with("undecidable") {
                    assert_eq!(expect, "fail", "only a failure may be left to the timeout");
                }
                documented += 1;
            } else if got != expect {
                wrong.push(format!("{file_name}: `{name}`: expected {expect}, the step would {got} {why}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{} of {checked} stages end wrong:\n{}", wrong.len(), wrong.join("\n"));
    assert!(checked >= 70, "only {checked} stages");
    assert_eq!(documented, DOCUMENTED.len(), "a documented stage is missing from the fixtures");
}

#[test]
fn every_waiting_step_has_a_timeout() {
    for (kind, step) in steps() {
        if step.success.is_some() || step.failure.is_some() {
            let secs: u64 = step.timeout.as_deref().unwrap_or_else(|| panic!("{kind} waits forever")).parse().unwrap();
            assert!((60..=2 * 86_400).contains(&secs), "{kind}: {secs} s");
        }
    }
}

#[test]
fn a_task_timeout_wins_over_the_wait_and_a_step_that_does_not_wait_has_none() {
    let pipeline = kfp::Pipeline::build("t", None, |p| {
        let v = p.volume(kfp::VolumeClaim::new("data", "1Gi"));
        p.volume_snapshot("snap", &v, None).task.timeout(120);
        batch_job(p);
    })
    .unwrap();
    let wf = kfp::compile_pipeline(&pipeline, &CompileOptions::default()).unwrap();
    let deadline = |name: &str| {
        let t = wf.spec.templates.iter().find(|t| t.name == name).unwrap();
        t.active_deadline_seconds.clone()
    };
    assert_eq!(deadline("snap").as_deref(), Some("120"));
    assert_eq!(deadline("batch-job").as_deref(), Some("86400"));
    assert_eq!(deadline("data"), None, "creating a claim waits for nothing");
}
