//! Kubeflow services as steps: what each helper creates and waits for, and its mistakes as errors
//! naming the line.

use kfp::kubeflow::{InferenceService, JobArg, KatibExperiment, TrainingJob};
use kfp::{CompileOptions, argo::Workflow};

fn compile(f: impl FnOnce(&kfp::Dag)) -> Workflow {
    let pipeline = kfp::Pipeline::build("kf", None, f).unwrap();
    kfp::compile_pipeline(&pipeline, &CompileOptions::default()).unwrap()
}

fn resource<'w>(wf: &'w Workflow, name: &str) -> &'w kfp::argo::ResourceTemplate {
    wf.spec.templates.iter().find(|t| t.name == name).and_then(|t| t.resource.as_ref()).unwrap()
}

#[test]
fn katib_best_values_feed_a_tensorflow_job() {
    let wf = compile(|p| {
        let search = p.katib_experiment(
            KatibExperiment::minimize("search", "loss")
                .int("layers", 1, 4)
                .trials(4, 2, 1)
                .trial("img:1", ["run", "--layers=${trialParameters.layers}"]),
        );
        p.training_job(
            TrainingJob::tensorflow("fit", "img:1", [JobArg::from("--layers"), search.best("layers").into()])
                .workers(3),
        );
    });
    let katib = resource(&wf, "search");
    let wait = kfp::Wait::katib_experiment();
    assert_eq!(katib.success_condition.as_deref(), Some(wait.success()));
    assert_eq!(katib.failure_condition.as_deref(), wait.failure());
    assert!(katib.manifest.contains("type: minimize") && katib.manifest.contains("parameterType: int"));
    let fit = resource(&wf, "fit");
    assert_eq!(fit.success_condition.as_deref(), Some(kfp::Wait::training_job().success()));
    assert!(fit.manifest.contains("backoffLimit: 3") && fit.manifest.contains("activeDeadlineSeconds: 86400"));
    assert!(fit.manifest.contains("tfReplicaSpecs:") && fit.manifest.contains("replicas: 3"), "{}", fit.manifest);
    let root = wf.spec.templates.iter().find(|t| t.dag.is_some()).unwrap();
    let task = root.dag.as_ref().unwrap().tasks.iter().find(|t| &*t.name == "fit").unwrap();
    assert_eq!(task.arguments.parameters[0].value.as_deref(), Some("{{tasks.search.outputs.parameters.best-layers}}"));
}

#[test]
fn an_inference_service_waits_for_the_model() {
    let wf = compile(|p| {
        let uri = p.param::<String>("uri");
        let d = p.inference_service(InferenceService::new("iris", "sklearn", uri));
        let _: kfp::Param<String> = d.url;
    });
    let s = resource(&wf, "iris");
    assert_eq!(s.action, "apply");
    assert_eq!(s.success_condition.as_deref(), Some(kfp::Wait::inference_service().success()));
    let t = wf.spec.templates.iter().find(|t| t.name == "iris").unwrap();
    assert_eq!(t.active_deadline_seconds.as_deref(), Some("3600"));
    let wf = compile(|p| {
        p.inference_service(InferenceService::new("iris", "sklearn", "gs://m").create_only().timeout(600));
    });
    assert_eq!(resource(&wf, "iris").action, "create");
    let t = wf.spec.templates.iter().find(|t| t.name == "iris").unwrap();
    assert_eq!(t.active_deadline_seconds.as_deref(), Some("600"));
    assert!(s.manifest.contains("storageUri: \"{{inputs.parameters.arg0}}\""), "{}", s.manifest);
}

#[test]
fn kubeflow_mistakes_name_their_line() {
    let at = std::cell::Cell::new([0u32; 3]);
    let err = kfp::Pipeline::build("kf", None, |p| {
        let (l0, search) = (
            line!(),
            p.katib_experiment(
                KatibExperiment::maximize("search", "acc")
                    .algorithm("guess")
                    .double("lr", 1.0, 0.5)
                    .trial(" ", ["run"]),
            ),
        );
        let l1 = line!();
        search.best("momentum");
        let l2 = line!();
        p.training_job(TrainingJob::pytorch("Fit", "", []));
        at.set([l0, l1 + 1, l2 + 1]);
    })
    .unwrap_err()
    .to_string();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    let at = at.get();
    // The katib call spans lines; rustc reports the line where the call starts.
    assert!(lines[0].starts_with(&format!("tests/kubeflow.rs:{}:", at[0] + 1)), "{err}");
    for expected in [
        "`search`: `guess` is not a Katib algorithm",
        "parameter `lr`: min 1 is not below max 0.5",
        "the trial has no image",
        "the trial command never uses `${trialParameters.lr}`",
    ] {
        assert!(lines[0].contains(expected), "{} lacks {expected}", lines[0]);
    }
    assert!(lines[1].starts_with(&format!("tests/kubeflow.rs:{}:", at[1])), "{err}");
    assert!(lines[1].contains("`search`: `momentum` is not a searched parameter (searched: lr)"), "{err}");
    assert!(lines[2].starts_with(&format!("tests/kubeflow.rs:{}:", at[2])), "{err}");
    assert!(lines[2].contains("`Fit` is not a valid object name"), "{err}");
    assert!(lines[2].contains("the job has an empty image"), "{err}");
}
