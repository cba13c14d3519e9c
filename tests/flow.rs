//! Failure handlers (`after_finished` / `after_failed`), approvals and pauses on both targets: Argo's
//! `depends` (every edge of a DAG with a trigger, so that it never mixes `depends` and
//! `dependencies`) and `suspend`; the KFP v2 IR's `ALL_UPSTREAM_TASKS_COMPLETED`, and one error per
//! construct it has no form for; the mistakes rustc cannot see, each with the user's line.

mod support;

use std::time::Duration;

use kfp::argo::{DagTask, Workflow};
use kfp::prelude::*;
use kfp::{CompileError, CompileOptions};
use support::*;

/// Scores a learning rate.
#[container_component(image = "alpine:3.20")]
fn train(lr: Param<f64>, score: OutputParam<f64>) -> ContainerSpec {
    ContainerSpec::new(["train"]).arg(lr).arg(score)
}

/// Echoes a string.
#[container_component(image = "alpine:3.20")]
fn echo(msg: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["echo"]).arg(msg)
}

fn build(body: impl FnOnce(&Dag)) -> Result<kfp::Pipeline, String> {
    kfp::Pipeline::build("flow", None, body).map_err(|e| e.to_string())
}

fn compile(body: impl FnOnce(&Dag)) -> Workflow {
    let p = build(body).unwrap();
    kfp::compile_pipeline(&p, &CompileOptions::default()).unwrap()
}

fn ir_error(body: impl FnOnce(&Dag), lossy: bool) -> String {
    let p = build(body).unwrap();
    match kfp::compile_kfp_v2(&p, &CompileOptions::default().lossy(lossy)) {
        Ok(_) => panic!("compiled to the IR"),
        Err(e) => e.to_string(),
    }
}

fn tasks<'w>(wf: &'w Workflow, template: &str) -> &'w [DagTask] {
    let t = wf.spec.templates.iter().find(|t| t.name == template).unwrap_or_else(|| panic!("no {template}"));
    &t.dag.as_ref().unwrap().tasks
}

fn task<'w>(wf: &'w Workflow, template: &str, name: &str) -> &'w DagTask {
    let all = tasks(wf, template);
    all.iter().find(|t| *t.name == *name).unwrap_or_else(|| {
        panic!("no task {name} in {template}: {:?}", all.iter().map(|t| t.name.to_string()).collect::<Vec<_>>())
    })
}

fn validate(wf: &Workflow) {
    assert_lints_clean_both("flow", &kfp::argo::to_yaml(wf).unwrap());
}

const FINISHED: &str = "(train.Succeeded || train.Skipped || train.Daemoned || train.Failed || train.Errored)";

#[test]
fn a_dag_with_a_trigger_spells_every_edge_with_depends_keeping_the_others_meaning() {
    let wf = compile(|p| {
        let first = train(p, 0.1).task_name("first");
        let t = train(p, 0.2).task_name("train").after(&first);
        echo(p, "clean").task_name("cleanup").after_finished(&t);
        echo(p, "alert").task_name("alert").after_failed(&t);
        let branch = p.condition(t.score.gt(0.5), |p| {
            let a = echo(p, "a").task_name("in-branch");
            echo(p, "b").task_name("in-branch-2").after(&a);
        });
        echo(p, "then").task_name("then").after(&branch);
        p.exit_handler(
            |p, _| {
                echo(p, "bye").task_name("bye");
            },
            |p| {
                echo(p, "body").task_name("body");
            },
        );
    });
    let root = &wf.spec.entrypoint;
    for t in tasks(&wf, root) {
        assert!(t.dependencies.is_empty(), "{}: a DAG with `depends` has no `dependencies`", t.name);
    }
    assert_eq!(task(&wf, root, "cleanup").depends.as_deref(), Some(FINISHED));
    assert_eq!(task(&wf, root, "alert").depends.as_deref(), Some("(train.Failed || train.Errored)"));
    // A plain edge is the bare name: Argo reads it as `Succeeded || Skipped || Daemoned`, what
    // `dependencies` meant (a skipped condition lets `then` run).
    assert_eq!(task(&wf, root, "train").depends.as_deref(), Some("first"));
    assert_eq!(task(&wf, root, "condition-1").depends.as_deref(), Some("train"));
    assert_eq!(task(&wf, root, "then").depends.as_deref(), Some("condition-1"));
    assert!(task(&wf, root, "condition-1").when.is_some());
    assert!(task(&wf, root, "exit-handler-2").hooks.contains_key("exit"));
    // Other DAGs keep `dependencies`.
    let inner = task(&wf, "condition-1", "in-branch-2");
    assert_eq!(inner.dependencies.len(), 1);
    assert!(inner.depends.is_none());
    validate(&wf);
}

#[test]
fn a_trigger_inside_a_loop_uses_depends_in_the_loop_dag_only() {
    let wf = compile(|p| {
        p.parallel_for([1u32, 2], |p, _| {
            let t = train(p, 0.1).task_name("train");
            echo(p, "clean").task_name("cleanup").after_finished(&t);
        });
        echo(p, "x").task_name("x");
    });
    assert_eq!(task(&wf, "for-loop-1", "cleanup").depends.as_deref(), Some(FINISHED));
    assert!(tasks(&wf, &wf.spec.entrypoint).iter().all(|t| t.depends.is_none()));
    validate(&wf);
}

#[test]
fn the_cleanup_example_compiles_for_both_targets() {
    let wf: serde_json::Value = serde_json::from_str(&compile_example("cleanup", &["--format", "json"])).unwrap();
    let root = wf["spec"]["templates"].as_array().unwrap().iter().find(|t| t["dag"].is_object()).unwrap();
    let cleanup = root["dag"]["tasks"].as_array().unwrap().iter().find(|t| t["name"] == "cleanup").unwrap();
    assert_eq!(cleanup["depends"], FINISHED);
    let ir = compile_example("cleanup", &["--target", "kfp-v2"]);
    assert!(ir.contains("        dependentTasks:\n        - train\n"), "{ir}");
    assert!(ir.contains("        triggerPolicy:\n          strategy: ALL_UPSTREAM_TASKS_COMPLETED\n"), "{ir}");
    assert_eq!(ir.matches("ALL_UPSTREAM_TASKS_COMPLETED").count(), 1);
}

#[test]
fn approvals_and_pauses_are_suspend_templates() {
    let wf = compile(|p| {
        let ok = p.approval("deploy-ok");
        let wait = p.pause(Duration::from_secs(90)).after(&ok);
        echo(p, "go").after(&wait);
    });
    let yaml = kfp::argo::to_yaml(&wf).unwrap();
    assert!(yaml.contains("  - name: deploy-ok\n    suspend: {}\n"), "{yaml}");
    assert!(yaml.contains("  - name: pause\n    suspend:\n      duration: 90s\n"), "{yaml}");
    let root = &wf.spec.entrypoint;
    assert_eq!(task(&wf, root, "pause").dependencies.iter().map(|d| &**d).collect::<Vec<&str>>(), ["deploy-ok"]);
    validate(&wf);
}

#[test]
fn the_release_example_is_refused_by_the_ir_naming_each_line_even_with_lossy() {
    for lossy in [false, true] {
        let mut args = vec!["compile", "--target", "kfp-v2"];
        if lossy {
            args.push("--lossy");
        }
        let out = run_example("release", &args);
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("4 constructs cannot be compiled to the KFP v2 IR"), "{err}");
        for what in [
            "examples/release.rs:47:5: `after_failed` on `notify` cannot be expressed in the KFP v2 IR",
            "examples/release.rs:48:22: approval `deploy-ok` (`p.approval(..)`) cannot be expressed",
            "examples/release.rs:49:20: the attempt number (`p.retry_count()`) passed to `deploy` cannot be expressed",
            "examples/release.rs:50:21: pause of 60s (`p.pause(..)`) cannot be expressed",
        ] {
            assert!(err.contains(what), "{what}\n{err}");
        }
    }
}

#[test]
fn the_ir_refuses_an_after_finished_its_backend_would_not_run_as_written() {
    let err = ir_error(
        |p| {
            let a = train(p, 0.1).task_name("a");
            let b = train(p, 0.2).task_name("b");
            echo(p, "x").task_name("x").after_finished(&a).after(&b);
        },
        true,
    );
    assert!(err.contains("`after_finished` on `echo`, which also waits for other tasks"), "{err}");
    let err = ir_error(
        |p| {
            let a = train(p, 0.1).task_name("a");
            let c = echo(p, "x").task_name("cleanup").after_finished(&a);
            echo(p, "y").after(&c);
        },
        false,
    );
    assert!(err.contains("a task after `echo`, which runs `after_finished`"), "{err}");
    assert!(err.contains("make it the last step of its branch"), "{err}");
}

#[test]
fn an_after_finished_in_a_condition_compiles_to_the_ir() {
    let p = build(|p| {
        let flag = p.param_with_default::<String>("flag", "on");
        p.condition(flag.eq("on"), |p| {
            let t = train(p, 0.1);
            echo(p, "clean").after_finished(&t);
        });
    })
    .unwrap();
    let c = kfp::compile_kfp_v2(&p, &CompileOptions::default()).unwrap();
    let yaml = c.to_yaml().unwrap();
    assert_eq!(yaml.matches("strategy: ALL_UPSTREAM_TASKS_COMPLETED").count(), 1, "{yaml}");
    assert_lints_clean("after-finished-in-condition", &yaml);
}

#[test]
fn reading_an_output_of_the_watched_task_is_an_error() {
    let line = line!() + 3;
    let err = build(|p| {
        let t = train(p, 0.1);
        echo(p, fmt_param!(p, "{}", t.score)).after_finished(&t);
    })
    .unwrap_err();
    assert!(err.contains(&format!("tests/flow.rs:{line}:")), "{err}");
    assert!(err.contains("reads an output of the task it runs `after_finished`, which may have failed"), "{err}");
}

#[test]
fn triggers_across_scopes_on_itself_or_twice_are_errors() {
    let err = build(|p| {
        let t = train(p, 0.1);
        p.parallel_for([1u32], |p, _| {
            echo(p, "x").after_failed(&t);
        });
    })
    .unwrap_err();
    assert!(err.contains("`after_failed` joins tasks of different scopes"), "{err}");

    let err = build(|p| {
        let t = train(p, 0.1);
        t.after_finished(&t);
    })
    .unwrap_err();
    assert!(err.contains("`after_finished` names the task itself"), "{err}");

    let err = build(|p| {
        let t = train(p, 0.1);
        echo(p, "x").after(&t).after_failed(&t);
    })
    .unwrap_err();
    assert!(err.contains("already runs `.after(..)` this task"), "{err}");

    let err = build(|p| {
        let t = train(p, 0.1);
        echo(p, "x").after_failed(&t).after(&t);
    })
    .unwrap_err();
    assert!(err.contains("already runs `after_finished` or `after_failed` this task"), "{err}");

    let err = build(|p| {
        let t = train(p, 0.1);
        echo(p, "x").after_failed(&t).after_finished(&t);
    })
    .unwrap_err();
    assert!(err.contains("already has an `after_finished` or `after_failed` on this task"), "{err}");
}

#[test]
fn a_cycle_through_a_trigger_names_the_call() {
    let line = line!() + 4;
    let p = build(|p| {
        let a = echo(p, "a");
        let b = echo(p, "b").after(&a);
        a.after_finished(&b);
    })
    .unwrap();
    let err = kfp::compile_pipeline(&p, &CompileOptions::default()).unwrap_err();
    assert!(matches!(err, CompileError::Cycle { .. }), "{err:?}");
    assert!(err.to_string().contains(&format!("tests/flow.rs:{line}:")), "{err}");
}

#[test]
fn pauses_of_no_time_or_fractions_and_bad_approval_names_are_errors() {
    let line = line!() + 2;
    let err = build(|p| {
        p.pause(Duration::from_millis(1500));
        p.pause(Duration::ZERO);
        p.approval("deploy ok");
    })
    .unwrap_err();
    assert!(err.contains(&format!("tests/flow.rs:{line}:")), "{err}");
    assert!(err.contains("`pause(1.5s)`: Argo pauses for whole seconds, at least one"), "{err}");
    assert!(err.contains("`pause(0ns)`"), "{err}");
    assert!(err.contains("invalid approval `deploy ok`"), "{err}");
}

#[test]
fn the_examples_run_here_with_their_handlers_approvals_and_pauses() {
    let dir = temp_dir("flow-cleanup-run");
    let out = run_example("cleanup", &["run", "--param", "fail=true", "--workdir", dir.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "`evaluate` was left out after the failure: {stdout}");
    let line = |step: &str| stdout.lines().find(|l| l.split_whitespace().next() == Some(step)).unwrap_or("").to_owned();
    assert!(line("train").contains("Failed") && line("evaluate").contains("Omitted"), "{stdout}");
    assert!(line("cleanup").contains("Succeeded") && line("cleanup").contains("released /scratch/run"), "{stdout}");

    let dir = temp_dir("flow-release-run");
    let args = ["run", "--approve", "deploy-ok", "--max-pause", "0", "--workdir", dir.to_str().unwrap()];
    let out = run_example("release", &args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("1.4.2 is up"), "{stdout}");
    assert!(stdout.contains("deployed 1.4.2 (attempt 0)"), "{stdout}");

    // No terminal (the test's stdin is closed) and no `--approve`: the approval fails, saying how.
    let dir = temp_dir("flow-release-unapproved");
    let out = run_example("release", &["run", "--workdir", dir.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("approval `deploy-ok` waits for a person, and this run has no terminal"), "{stderr}");
    assert!(stderr.trim_end().ends_with("error: the run failed: deploy-ok"), "{stderr}");
}
