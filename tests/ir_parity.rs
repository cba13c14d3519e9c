//! Our KFP v2 IR against the IR kfp 2.17.3 compiled for the same pipelines (`tests/fixtures/kfp-v2/`,
//! copies of `../shared/reference/kfp-v2/`): our examples `linear`, `parallel_for`, `condition`,
//! `exit_handler` and `collected_artifacts` (m_collected_artifacts without its importer; compiled with
//! `--target kfp-v2`) and `pod_settings` (with `--lossy`), and, written
//! with our DSL in this file, f_condition's If/Elif/Else, the settings of k_pod_settings, the importer
//! of m_collected_artifacts and the volumes of i_resource_volume (the example `k8s_resources` does not compile to the IR even with `--lossy`: a
//! step reads an output of the Kubernetes resource step it leaves out).
//!
//! They are compared by structure (`support/ir_canon.rs`), not by bytes: per DAG, the tasks with their
//! kind and their component's inputs and outputs; the loops (items, parallelism), conditions (CEL over
//! the values the channels carry, in one normal form) and exit handlers (strategy, dependencies, final
//! status); where every input comes from and what every task waits for; caching, retry, image, env,
//! resources and the PlatformSpec. Each place where our pipeline or our IR differs from kfp's on
//! purpose is listed in the test, with the reason, as an edit of one side's description ([`intended`],
//! [`only_here`], [`dissolve`]) that fails if the difference goes away; task names that differ are
//! mapped by a table. Where our IR differs from kfp's by mistake, the test asserts kfp's behaviour.

#[path = "support/ir_canon.rs"]
mod ir_canon;
mod support;

use std::path::{Path, PathBuf};

use ir_canon::*;
use serde_json::json;
use support::*;

/// The kfp reference files copied into the fixtures (and checked against `../shared`).
const FIXTURES: &[&str] = &[
    "a_linear.yaml",
    "d_parallelfor_static.yaml",
    "f_condition.yaml",
    "h_exit_handler.yaml",
    "i_resource_volume.yaml",
    "k_pod_settings.yaml",
    "m_collected_artifacts.yaml",
];

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kfp-v2")
}

/// kfp's IR for `file`, described with its task names mapped by `rename` (kfp's name -> ours).
fn kfp(file: &str, rename: &[(&str, &str)]) -> Canon {
    let text = std::fs::read_to_string(fixture_dir().join(file)).expect("fixture");
    let (doc, platform) = read_ir(&text);
    assert_eq!(doc["sdkVersion"], "kfp-2.17.3", "{file}");
    describe(&doc, platform.as_ref(), rename)
}

/// Our IR for example `name` (`extra` added to `compile --target kfp-v2`), described.
fn ours(name: &str, extra: &[&str]) -> Canon {
    let mut args = vec!["--target", "kfp-v2"];
    args.extend_from_slice(extra);
    let canon = describe_ir(&compile_example(name, &args));
    assert_resolved(name, &canon);
    canon
}

/// Our IR for `pipeline` (compiled in-process), described; it must lint clean (`.ci/run` runs
/// ir-validate over the examples' IR).
fn ours_built(pipeline: &kfp::Pipeline) -> Canon {
    let compiled = kfp::compile_kfp_v2(pipeline, &kfp::CompileOptions::default()).expect("compile");
    assert!(compiled.left_out.is_empty(), "{}: nothing is left out without --lossy", pipeline.name());
    let yaml = compiled.to_yaml().expect("yaml");
    assert_lints_clean(pipeline.name(), &yaml);
    let canon = describe_ir(&yaml);
    assert_resolved(pipeline.name(), &canon);
    canon
}

fn describe_ir(yaml: &str) -> Canon {
    let (doc, platform) = read_ir(yaml);
    describe(&doc, platform.as_ref(), &[])
}

/// Intended difference: the channels a nested group receives.
const PASSED_ON: &str = "kfp passes every channel of the enclosing group on to a nested group, used or \
                         not; ours passes only the values the group reads";

/// Intended difference: how a condition reads a number.
const NUMERIC_CAST: &str = "our IR reads every numeric operand with double(), kfp an integer one with \
                            int(): a NUMBER_INTEGER value is a protobuf number (a double) either way, \
                            and integral values compare the same";

/// The YAML files in `tests/fixtures/kfp-v2/` (the ones compared here and the ones only lint reads).
fn every_fixture() -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(fixture_dir())
        .expect("tests/fixtures/kfp-v2")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    files.sort();
    files
}

/// Every fixture is a byte-for-byte copy of the shared reference, and every shared reference is here.
#[test]
#[ignore = "needs ../shared (beside the checkout, or KFP_SHARED_DIR); run by .ci/run"]
fn fixtures_are_the_shared_reference_files() {
    let reference = require_shared().join("reference/kfp-v2");
    let mut shared: Vec<String> = std::fs::read_dir(&reference)
        .expect("reference dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    shared.sort();
    assert_eq!(every_fixture(), shared, "tests/fixtures/kfp-v2 holds every YAML file of {}", reference.display());
    assert!(FIXTURES.iter().all(|f| shared.iter().any(|s| s == f)));
    for file in &shared {
        let copy = std::fs::read(fixture_dir().join(file)).expect("fixture");
        let original = std::fs::read(reference.join(file)).expect("shared reference");
        assert!(copy == original, "tests/fixtures/kfp-v2/{file} differs from {}: copy it again", reference.display());
    }
}

#[test]
fn linear_matches_a_linear() {
    // The same pipeline, the same names: no intended difference.
    let (ours, kfp) = (ours("linear", &[]), kfp("a_linear.yaml", &[]));
    assert_same("linear vs a_linear", &ours, &kfp);
}

#[test]
fn parallel_for_matches_d_parallelfor_static() {
    // kfp numbers its loops after the loop-item channels (`for-loop-2`, `for-loop-4`); ours counts loops.
    let rename = [("for-loop-2", "for-loop-1"), ("for-loop-4", "for-loop-2")];
    let (ours, mut kfp) = (ours("parallel_for", &[]), kfp("d_parallelfor_static.yaml", &rename));
    intended(
        &mut kfp,
        "for-loop-1/train",
        "kfp types every field of a static dict loop item as STRING (the port declares `lr: str`); \
         our struct item keeps the field's type, f64",
        |t| {
            assert_eq!(t.component_inputs["lr"], "STRING");
            t.component_inputs.insert("lr".into(), "NUMBER_DOUBLE".into());
        },
    );
    intended(
        &mut kfp,
        "done",
        "the port passes done's message as an argument (`done(msg='all configs trained')`); our `done` \
         has it in its command, as the v1 pipeline did",
        |t| {
            assert_eq!(t.inputs["msg"], r#"const:"all configs trained""#);
            t.component_inputs.clear();
            t.inputs.clear();
        },
    );
    assert_same("parallel_for vs d_parallelfor_static", &ours, &kfp);
}

#[test]
fn condition_matches_f_condition() {
    let rename = [
        // kfp numbers conditions in creation order counting the if/else groups; ours counts conditions.
        ("condition-3", "condition-1"),
        ("condition-4", "condition-3"),
        ("condition-5", "condition-4"),
        ("condition-7", "condition-5"),
        // kfp keys tasks by component (`flip-2`, `say-2`) and shows `set_display_name`; ours keys
        // them by `task_name`.
        ("flip-2", "flip-again"),
        ("say", "heads-then-tails"),
        ("say-2", "tails"),
        ("say-and-pass", "big"),
    ];
    let (mut ours, mut kfp) = (ours("condition", &[]), kfp("f_condition.yaml", &rename));
    // Our example's `ne("heads")` (`x != 'heads'`) compares equal to kfp's Else (`!(x == 'heads')`):
    // conditions are compared in one normal form (ir_canon::normalize_cel).

    // The if/else on the coin.
    dissolve(
        &mut kfp,
        "condition-branches-1",
        "kfp groups the branches of an If/Else in a condition-branches DAG; our example writes the else \
         as a second condition (`ne(\"heads\")`, as the v1 example did), and our IR has no such group \
         (each branch is a condition DAG of its own, its CEL negating the earlier branches)",
    );
    intended(
        &mut kfp,
        "condition-1",
        "kfp names the If group (`dsl.If(..., name='is-heads')`); our conditions have no name",
        |t| t.display = "condition-1".into(),
    );
    // The number against the threshold: `after-all` waits for it, so our IR runs it inside a DAG that
    // always runs (kfp refuses the `.after()`; the port fans in with OneOf instead).
    dissolve(
        &mut ours,
        "condition-4",
        "a condition group another task waits for runs inside `comp-condition-4-or-skipped`, so the task \
         runs when the condition is false (the KFP backend waits for `.Succeeded`), as on Argo",
    );
    intended(&mut ours, "condition-4/condition-5", NUMERIC_CAST, |t| {
        t.condition = t.condition.as_ref().map(|c| c.replace("double(", "int("))
    });
    for (branch, why) in [
        ("condition-4/condition-branches-6/condition-8", "the port's Elif (`==`): our example has no such branch"),
        ("condition-4/condition-branches-6/condition-9", "the port's Else: our example has no such branch"),
        (
            "condition-4/say-3",
            "the port fans in with dsl.OneOf inside the condition (kfp 2 refuses .after() on a condition \
             from outside it); ours runs `after-all` at the root after the condition, as v1 did",
        ),
    ] {
        only_here(&mut kfp, branch, why);
    }
    only_here(
        &mut ours,
        "after-all",
        "see condition-4/say-3: kfp's `after-all` is inside the condition. That ours waits on the \
         condition from outside is a bug of our IR, asserted by no_task_waits_on_a_condition_it_may_skip",
    );
    dissolve(
        &mut kfp,
        "condition-4/condition-branches-6",
        "kfp's If/Elif/Else group: with the Elif and Else gone, its If is a condition like ours",
    );
    for (group, channel) in
        [("condition-1/condition-2", "output:flip.output"), ("condition-4/condition-5", "param:mode")]
    {
        intended(&mut kfp, group, PASSED_ON, |t| assert!(t.component_inputs.remove(channel).is_some()));
    }
    intended(
        &mut kfp,
        "condition-4/condition-5/big",
        "the port's `big` passes an f-string through say_and_pass (so that dsl.OneOf can collect its \
         output); ours says the number, as v1 did. Both read random-number's output",
        |t| {
            assert_eq!(t.inputs["msg"], "fstring:big: ⟨output:random-number.n⟩");
            t.component_inputs = [("n".to_owned(), "NUMBER_INTEGER".to_owned())].into();
            t.component_outputs.clear();
            t.inputs = [("n".to_owned(), "output:random-number.n".to_owned())].into();
        },
    );
    assert_same("condition vs f_condition", &ours, &kfp);
}

#[test]
fn exit_handler_matches_h_exit_handler() {
    // kfp keys tasks by component (`step`, `step-2`, `step-3`); ours by `task_name`.
    let rename = [("step", "prepare"), ("step-2", "work"), ("step-3", "celebrate")];
    let (ours, mut kfp) = (ours("exit_handler", &[]), kfp("h_exit_handler.yaml", &rename));
    intended(
        &mut kfp,
        "exit-handler-1",
        "kfp names the exit handler (`dsl.ExitHandler(..., name='cleanup-and-notify')`); ours has no name",
        |t| t.display = "exit-handler-1".into(),
    );
    intended(
        &mut kfp,
        "notify",
        "the port's notify takes the run id and the final status and formats the message in its \
         arguments; ours formats the same two values into the message in the pipeline (fmt_param!)",
        |t| {
            assert_eq!(t.inputs["run_id"], r#"const:"{{$.pipeline_job_uuid}}""#);
            assert_eq!(t.inputs["status"], "final-status:exit-handler-1");
            assert_eq!(t.component_inputs["status"], "TASK_FINAL_STATUS optional");
            t.component_inputs =
                [("message".to_owned(), "STRING".to_owned()), ("url".to_owned(), "STRING".to_owned())].into();
            t.inputs = [
                (
                    "message".to_owned(),
                    r#"fstring:run=⟨const:"{{$.pipeline_job_uuid}}"⟩ status=⟨final-status:exit-handler-1⟩"#.to_owned(),
                ),
                ("url".to_owned(), t.inputs["notify_url"].clone()),
            ]
            .into();
        },
    );
    assert_same("exit_handler vs h_exit_handler", &ours, &kfp);
}

#[test]
fn pod_settings_example_matches_k_pod_settings() {
    // `--lossy` leaves out what the IR cannot hold (the sidecar, the init container, the env var from a
    // parameter, the cache staleness: kfp's port has none of them either); the rest is the same.
    let (ours, kfp) = (ours("pod_settings", &["--lossy"]), kfp("k_pod_settings.yaml", &[]));
    assert_same("pod_settings --lossy vs k_pod_settings", &ours, &kfp);
}

#[test]
fn every_input_of_every_kfp_reference_is_resolved() {
    // The describer follows every channel of kfp's files (every fixture, which are all of ../shared's
    // references: pod settings, volumes, artifacts and recursion included) to where it starts: it
    // would otherwise compare channel names.
    let files: Vec<PathBuf> = every_fixture().iter().map(|f| fixture_dir().join(f)).collect();
    assert!(files.len() > FIXTURES.len(), "the lint-only fixtures are read too");
    for file in files {
        let (doc, platform) = read_ir(&std::fs::read_to_string(&file).expect("read"));
        let canon = describe(&doc, platform.as_ref(), &[]);
        assert!(canon.len() > 1, "{}: no tasks", file.display());
        assert_resolved(&file.display().to_string(), &canon);
    }
}

/// kfp never makes a task wait on a condition group from outside it (it refuses `.after()` across a
/// `dsl.If`; the port of f_condition fans in with dsl.OneOf inside the condition instead). The KFP v2
/// backend compiles `dependentTasks` to Argo's enhanced `depends: <task>.Succeeded` and gives a
/// condition task `when: <condition> != false`: when the condition is false the condition task is
/// Skipped and a task waiting on it is Omitted, never run. On Argo (our other target, and kfp v1) the
/// same `.after()` is a plain dependency, which runs once the condition has been evaluated either way.
#[test]
fn no_task_waits_on_a_condition_it_may_skip() {
    for file in FIXTURES {
        assert_eq!(waits_on_skippable(&kfp(file, &[])), Vec::<String>::new(), "{file}");
    }
    let mut found = Vec::new();
    for (example, extra) in [
        ("linear", &[][..]),
        ("parallel_for", &[]),
        ("condition", &[]),
        ("exit_handler", &[]),
        ("pod_settings", &["--lossy"]),
    ] {
        found.extend(waits_on_skippable(&ours(example, extra)).into_iter().map(|w| format!("{example}: {w}")));
    }
    assert!(
        found.is_empty(),
        "our IR makes a task wait on a condition task: on KFP it is skipped whenever the condition is \
         false (kfp 2.17 refuses such a dependency):\n{}",
        found.join("\n")
    );
}

// f_condition.py itself, written with our DSL: If/Else on the coin (with a nested If), and
// If/Elif/Else on a number against a parameter. Only the fan-in with dsl.OneOf has no counterpart.

/// Flips a coin.
#[kfp::container_component(image = "python:3.10-alpine")]
fn flip(output: kfp::OutputParam<String>) -> kfp::ContainerSpec {
    kfp::ContainerSpec::new(["sh", "-c"]).arg("python -c 'print(42)' | tee \"$0\"").arg(output)
}

/// Draws a number.
#[kfp::container_component(image = "python:3.10-alpine", name = "random-number")]
fn random_number(n: kfp::OutputParam<u32>) -> kfp::ContainerSpec {
    kfp::ContainerSpec::new(["sh", "-c"]).arg("python -c 'print(42)' | tee \"$0\"").arg(n)
}

/// Says something.
#[kfp::container_component(image = "alpine:3.18")]
fn say(msg: kfp::Param<String>) -> kfp::ContainerSpec {
    kfp::ContainerSpec::new(["echo"]).arg(msg)
}

/// Says something and passes it on.
#[kfp::container_component(image = "alpine:3.18", name = "say-and-pass")]
fn say_and_pass(msg: kfp::Param<String>, said: kfp::OutputParam<String>) -> kfp::ContainerSpec {
    kfp::ContainerSpec::new(["sh", "-c", "echo \"$0\" | tee \"$1\""]).arg(msg).arg(said)
}

#[test]
fn if_elif_else_matches_f_condition() {
    use kfp::prelude::*;
    let pipeline = kfp::Pipeline::build("Conditions", None, |p| {
        let mode = p.param_with_default::<String>("mode", "full");
        let threshold = p.param_with_default::<u32>("threshold", 50);
        let flipped = flip(p).task_name("flip");
        p.condition(flipped.output.eq("heads"), |p| {
            let again = flip(p).task_name("flip-again");
            p.condition(again.output.eq("tails"), |p| {
                say(p, again.output).task_name("heads-then-tails");
            });
        })
        .otherwise(|p| {
            say(p, flipped.output).task_name("tails");
        });
        p.condition(mode.eq("full"), |p| {
            let num = random_number(p);
            p.condition(num.n.gt(threshold), |p| {
                say_and_pass(p, fmt_param!(p, "big: {}", num.n)).task_name("big");
            })
            .elif(num.n.eq(threshold), |p| {
                say_and_pass(p, "equal").task_name("equal");
            })
            .otherwise(|p| {
                say_and_pass(p, "small").task_name("small");
            });
        });
    })
    .expect("pipeline");
    let mut ours = ours_built(&pipeline);

    // kfp numbers conditions counting the if/else groups and keys tasks by component; ours counts
    // conditions and keys tasks by `task_name` (here kfp's display names).
    let rename = [
        ("condition-3", "condition-1"),
        ("condition-4", "condition-3"),
        ("condition-5", "condition-4"),
        ("condition-7", "condition-5"),
        ("condition-8", "condition-6"),
        ("condition-9", "condition-7"),
        ("flip-2", "flip-again"),
        ("say", "heads-then-tails"),
        ("say-2", "tails"),
        ("say-and-pass", "big"),
        ("say-and-pass-2", "equal"),
        ("say-and-pass-3", "small"),
    ];
    let mut kfp = kfp("f_condition.yaml", &rename);
    for group in ["condition-branches-1", "condition-4/condition-branches-6"] {
        dissolve(
            &mut kfp,
            group,
            "kfp groups the branches of an If/Elif/Else in a condition-branches DAG (which dsl.OneOf \
             reads); our IR makes each branch a condition DAG of the enclosing DAG, its CEL negating \
             the earlier branches. The branches' conditions compare equal (normalize_cel)",
        );
    }
    only_here(
        &mut kfp,
        "condition-4/say-3",
        "`after-all` reads dsl.OneOf over the three branches' outputs: our DSL has no OneOf",
    );
    intended(
        &mut kfp,
        "condition-1",
        "kfp names the If group (`dsl.If(..., name='is-heads')`); our conditions have no name",
        |t| t.display = "condition-1".into(),
    );
    for (group, channel) in [
        ("condition-1/condition-2", "output:flip.output"),
        ("condition-4/condition-5", "param:mode"),
        ("condition-4/condition-6", "param:mode"),
        ("condition-4/condition-7", "param:mode"),
    ] {
        intended(&mut kfp, group, PASSED_ON, |t| assert!(t.component_inputs.remove(channel).is_some()));
    }
    for group in ["condition-4/condition-5", "condition-4/condition-6", "condition-4/condition-7"] {
        intended(&mut ours, group, NUMERIC_CAST, |t| {
            t.condition = t.condition.as_ref().map(|c| c.replace("double(", "int("));
        });
    }
    assert_same("if/elif/else vs f_condition", &ours, &kfp);
}

// The settings of k_pod_settings.py that the KFP v2 IR can hold, written with our DSL, without what
// `--lossy` leaves out of the example `pod_settings` (compared above): checked by ir-validate too.

/// Trains a model and writes where it put it.
#[kfp::container_component(image = "registry.example.com/ml/trainer:1.2.3")]
fn train(epochs: kfp::Param<u32>, model_uri: kfp::OutputParam<String>) -> kfp::ContainerSpec {
    kfp::ContainerSpec::new(["python3", "-m", "trainer"])
        .arg("--epochs")
        .arg(epochs)
        .arg("--model-uri-out")
        .arg(model_uri)
}

/// Serves a model.
#[kfp::container_component(image = "registry.example.com/ml/server:1.0")]
fn serve(model_uri: kfp::Param<String>) -> kfp::ContainerSpec {
    kfp::ContainerSpec::new(["serve", "--model"]).arg(model_uri)
}

#[test]
fn pod_settings_match_k_pod_settings() {
    use kfp::VolumeSource;
    let pipeline = kfp::Pipeline::build("Pod settings", None, |p| {
        let epochs = p.param_with_default::<u32>("epochs", 5);
        let memory = p.param_with_default::<String>("memory", "4G");
        let trained = train(p, epochs)
            .retry_with(3, "OnFailure", "30s", 2, "5m")
            .timeout(3600)
            .cpu_request("2")
            .cpu_limit("4")
            .memory_request("8G")
            .memory_limit("16G")
            .gpu_limit(1)
            .node_selector("cloud.google.com/gke-accelerator", "nvidia-tesla-t4")
            .toleration("nvidia.com/gpu", "Exists", None, "NoSchedule")
            .node_affinity(true, "pool", "In", &["gpu"])
            .env("MODE", "prod")
            .env_from_secret("API_TOKEN", "trainer-secrets", "token")
            .volume("gcp-sa", VolumeSource::Secret("user-gcp-sa".into()), "/secret/gcp")
            .label("team", "ml")
            .annotation("example.com/cost-center", "42")
            .display_name("Train the model")
            .image_pull_policy("Always");
        serve(p, trained.model_uri).caching(false).memory_limit(memory);
    })
    .expect("pipeline");
    let ours = ours_built(&pipeline);
    let kfp = kfp("k_pod_settings.yaml", &[]);
    assert_same("pod settings vs k_pod_settings", &ours, &kfp);
}

// i_resource_volume.py written with our DSL: a claim created, mounted, snapshotted by a kubectl step,
// restored, mounted, deleted; a Job run, shown and deleted by kubectl steps. (The example
// `k8s_resources` makes the snapshot and the Job Kubernetes resources, which the IR cannot hold, and
// `show-job` reads the Job's output, so even `--lossy` refuses it.)

/// Writes a file to the volume.
#[kfp::container_component(image = "alpine:3.18", name = "write")]
fn write_file(msg: kfp::Param<String>) -> kfp::ContainerSpec {
    kfp::ContainerSpec::new(["sh", "-c", "echo \"$0\" > /data/file.txt"]).arg(msg)
}

/// Snapshots a claim (stands in for kfp's kubectl step).
#[kfp::container_component(image = "bitnami/kubectl:1.29", name = "snapshot")]
fn snapshot_claim(
    pvc_name: kfp::Param<String>,
    snapshot_name: kfp::Param<String>,
    size: kfp::OutputParam<String>,
) -> kfp::ContainerSpec {
    kfp::ContainerSpec::new(["sh", "-c"]).arg("kubectl ...").arg(pvc_name).arg(snapshot_name).arg(size)
}

/// Reads the file from the restored volume.
#[kfp::container_component(image = "alpine:3.18", name = "read")]
fn read_file() -> kfp::ContainerSpec {
    kfp::ContainerSpec::new(["cat", "/restored/file.txt"])
}

/// Runs a Job.
#[kfp::container_component(image = "bitnami/kubectl:1.29", name = "run-job")]
fn run_job(
    job_image: kfp::Param<String>,
    name: kfp::OutputParam<String>,
    job_uid: kfp::OutputParam<String>,
) -> kfp::ContainerSpec {
    kfp::ContainerSpec::new(["sh", "-c"]).arg("kubectl ...").arg(job_image).arg(name).arg(job_uid)
}

/// Shows the Job.
#[kfp::container_component(image = "alpine:3.18", name = "show-job")]
fn show_job(name: kfp::Param<String>, job_uid: kfp::Param<String>) -> kfp::ContainerSpec {
    kfp::ContainerSpec::new(["echo"]).arg(name).arg(job_uid)
}

/// Deletes the Job.
#[kfp::container_component(image = "bitnami/kubectl:1.29", name = "delete-job")]
fn delete_job(name: kfp::Param<String>) -> kfp::ContainerSpec {
    kfp::ContainerSpec::new(["kubectl", "delete", "job"]).arg(name)
}

#[test]
fn volumes_match_i_resource_volume() {
    use kfp::prelude::*;
    let pipeline = kfp::Pipeline::build("Resource and volume ops", None, |p| {
        let size = p.param_with_default::<String>("size", "1Gi");
        let job_image = p.param_with_default::<String>("job_image", "alpine:3.18");
        let pvc = p.volume(
            VolumeClaim::new("work-pvc", size).access_mode("ReadWriteOnce").annotation("example.com/owner", "anchors"),
        );
        pvc.task.display_name("create-pvc");
        let writer = write_file(p, "hello").mount(&pvc, "/data");
        let snap = snapshot_claim(p, pvc.claim_name, "work-snap").after(&writer);
        let restored = p.volume(VolumeClaim::new("restored-pvc", snap.size).access_mode("ReadWriteOnce"));
        restored.task.display_name("restore-pvc");
        read_file(p).mount(&restored, "/restored");
        let job = run_job(p, job_image);
        let shown = show_job(p, job.name, job.job_uid);
        delete_job(p, job.name).after(&shown);
        p.delete_volume(&pvc).after(&snap).display_name("delete-pvc");
    })
    .expect("pipeline");
    let ours = ours_built(&pipeline);
    // kfp keys kfp-kubernetes tasks by component (`createpvc`, `createpvc-2`, `deletepvc`); ours by
    // the volume's name.
    let rename = [("createpvc", "work-pvc"), ("createpvc-2", "restored-pvc"), ("deletepvc", "delete-work-pvc")];
    let mut kfp = kfp("i_resource_volume.yaml", &rename);
    intended(
        &mut kfp,
        "restored-pvc",
        "kfp's port restores the claim from the snapshot its kubectl step made (`data_source`); our DSL \
         restores a claim only from a `volume_snapshot`, a Kubernetes resource the IR cannot hold, so \
         this claim (after the same kubectl step) has no data source",
        |t| {
            assert!(t.inputs.remove("data_source").unwrap().contains("\"kind\":\"VolumeSnapshot\""));
        },
    );
    assert_same("volumes vs i_resource_volume", &ours, &kfp);
}

#[test]
fn conditions_compare_in_one_normal_form() {
    let n = normalize_cel;
    // The same condition, written as kfp and as our IR write it.
    assert_eq!(n("!(⟨a⟩ == 'x')"), n("⟨a⟩ != 'x'"));
    assert_eq!(
        n("!(int(⟨a⟩) > int(⟨b⟩)) && int(⟨a⟩) == int(⟨b⟩)"),
        n("(!(int(⟨a⟩) > int(⟨b⟩))) && (int(⟨a⟩) == int(⟨b⟩))")
    );
    assert_eq!(n("!(⟨a⟩ > 1) && !(⟨a⟩ == 1)"), n("!((⟨a⟩ > 1) || (⟨a⟩ == 1))"));
    assert_eq!(n("⟨a⟩ == 'x' && (⟨b⟩ == 'y' && ⟨c⟩ == 'z')"), n("(⟨a⟩ == 'x' && ⟨b⟩ == 'y') && ⟨c⟩ == 'z'"));
    assert_eq!(n("⟨a⟩ == 'it\\'s (x)'"), "⟨a⟩ == 'it\\'s (x)'");
    // Different conditions stay different.
    assert_ne!(n("⟨a⟩ == 'x' && ⟨b⟩ == 'y'"), n("⟨a⟩ == 'x' || ⟨b⟩ == 'y'"));
    assert_ne!(n("!(⟨a⟩ > 1)"), n("⟨a⟩ > 1"));
    assert_ne!(n("!(⟨a⟩ > 1)"), n("⟨a⟩ < 1"));
    assert_ne!(n("⟨a⟩ == 'x' && (⟨b⟩ == 'y' || ⟨c⟩ == 'z')"), n("(⟨a⟩ == 'x' && ⟨b⟩ == 'y') || ⟨c⟩ == 'z'"));
    assert_ne!(n("int(⟨a⟩) > int(⟨b⟩)"), n("double(⟨a⟩) > double(⟨b⟩)"));
    assert_ne!(n("⟨a⟩ == 'x'"), n("⟨b⟩ == 'x'"));
}

#[test]
fn collected_artifacts_matches_m_collected_artifacts() {
    // kfp numbers its loops after the loop-item channels; ours counts loops.
    let rename = [("for-loop-2", "for-loop-1")];
    let (ours, mut kfp) = (ours("collected_artifacts", &[]), kfp("m_collected_artifacts.yaml", &rename));
    // The fan-in itself is the same: the loop DAG's artifact list and LIST of counts, read by `merge`
    // from the loop task (`artifact:for-loop-1/make-shard.shard`, `output:for-loop-1/make-shard.*`).
    only_here(&mut kfp, "importer", "the importer part of m_collected_artifacts is compared on its own below");
    intended(&mut kfp, "<pipeline>", "without the importer, the pipeline has no `vocab_uri` parameter", |t| {
        assert!(t.component_inputs.remove("vocab_uri").is_some());
    });
    intended(
        &mut kfp,
        "for-loop-1",
        "kfp's items are dicts of strings (`'rows': '80'`); ours are a `#[derive(ParamType)]` struct whose \
         `rows` is a u32",
        |t| {
            let items = json!({"parallelism": 2, "raw": [
                {"rows": 80, "split": "train"}, {"rows": 15, "split": "eval"}, {"rows": 5, "split": "test"}
            ]});
            t.iterator = Some(items);
        },
    );
    intended(
        &mut kfp,
        "for-loop-1/make-shard",
        "kfp's make_shard is a shell container with `rows: str` and an int output `count`; ours is a Rust \
         function component taking `rows: u32` and returning the count (its `output`), in the examples' image",
        |t| {
            t.component_inputs.insert("rows".into(), "NUMBER_INTEGER".into());
            let count = t.component_outputs.remove("count").unwrap();
            t.component_outputs.insert("output".into(), count);
            t.image = Some(json!("ghcr.io/kfp-rs/examples:0.1"));
        },
    );
    intended(
        &mut kfp,
        "merge",
        "without the importer, merge has no `vocab` input; kfp names a Python function's return `Output`, \
         ours `output`; ours runs in the examples' image",
        |t| {
            assert!(t.component_inputs.remove("vocab").is_some());
            assert!(t.inputs.remove("vocab").is_some());
            assert!(t.deps.remove("importer"));
            let out = t.component_outputs.remove("Output").unwrap();
            t.component_outputs.insert("output".into(), out);
            assert_eq!(t.inputs["counts"], "output:for-loop-1/make-shard.count");
            t.inputs.insert("counts".into(), "output:for-loop-1/make-shard.output".into());
            t.image = Some(json!("ghcr.io/kfp-rs/examples:0.1"));
        },
    );
    assert_same("collected_artifacts vs m_collected_artifacts", &ours, &kfp);
}

/// Reads an imported vocabulary (the consumer of m_collected_artifacts' importer).
#[kfp::container_component(image = "python:3.11-slim")]
fn merge_vocab(vocab: kfp::Input<kfp::AnyArtifact>) -> kfp::ContainerSpec {
    kfp::ContainerSpec::new(["cat"]).arg(vocab)
}

#[test]
fn importer_matches_m_collected_artifacts_importer() {
    use kfp::prelude::*;
    // The importer part of m_collected_artifacts (its fan-in is `collected_artifacts` above): a URI
    // from the pipeline parameter `vocab_uri`, imported as a `system.Artifact`, read by `merge`.
    let pipeline = kfp::Pipeline::build("Collected artifacts", None, |p| {
        let vocab_uri = p.param_with_default::<String>("vocab_uri", "gs://example-bucket/vocab/v1.txt");
        merge_vocab(p, p.importer::<AnyArtifact>(vocab_uri)).task_name("merge");
    })
    .unwrap();
    let ours = ours_built(&pipeline);
    let kfp = kfp("m_collected_artifacts.yaml", &[]);
    // The importer task, whole: its kind, its `uri` input from `vocab_uri`, its `artifact` output of
    // type `system.Artifact` (the executor's `typeSchema`), caching. (kfp's `metadata: {source:
    // external}` is not in the canonical description: our importer sets none.)
    assert_eq!(ours["importer"], kfp["importer"]);
    assert_eq!(ours["<pipeline>"].component_inputs["vocab_uri"], kfp["<pipeline>"].component_inputs["vocab_uri"]);
    // The consumer reads the importer's `artifact` and waits for it.
    assert_eq!(ours["merge"].inputs["vocab"], kfp["merge"].inputs["vocab"]);
    assert_eq!(ours["merge"].inputs["vocab"], "artifact:importer.artifact");
    assert!(ours["merge"].deps.contains("importer") && kfp["merge"].deps.contains("importer"));
}
