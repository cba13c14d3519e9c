//! Concurrency limits across runs: mutexes and semaphores on a task and on the pipeline, written in
//! the shape each Argo version reads (and refused where it cannot hold them), refused by the KFP v2
//! IR (left out with a warning by `--lossy`), checked names naming the line, and mutexes honoured
//! by the local runner within one run.

mod support;

use kfp::argo::ArgoVersion;
use kfp::prelude::*;
use kfp::{CompileError, CompileOptions};
use support::*;

/// Echoes.
#[container_component(image = "alpine:3.20")]
fn echo(msg: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["echo"]).arg(msg)
}

fn yaml(p: &kfp::Pipeline, version: ArgoVersion) -> Result<String, CompileError> {
    let wf = kfp::compile_pipeline(p, &CompileOptions::default().argo_version(version))?;
    kfp::to_yaml(&wf)
}

fn two_locks() -> kfp::Pipeline {
    kfp::Pipeline::build("locks", None, |p| {
        p.mutex("one-run");
        p.semaphore("limits", "runs");
        echo(p, "a").mutex("shared").semaphore("limits", "echo.jobs");
    })
    .unwrap()
}

#[test]
fn every_version_gets_the_shape_it_reads() {
    let p = two_locks();
    let new = yaml(&p, ArgoVersion::V4_1).unwrap();
    assert!(new.contains("synchronization:\n    mutexes:\n    - name: one-run\n    semaphores:\n"), "{new}");
    assert!(new.contains("      mutexes:\n      - name: shared\n"), "{new}");
    assert!(new.contains("          name: limits\n          key: echo.jobs\n"), "{new}");
    for v in [ArgoVersion::V3_6, ArgoVersion::V3_7, ArgoVersion::V4_0] {
        assert_eq!(yaml(&p, v).unwrap(), new, "{v}: the lists");
    }
    let one = kfp::Pipeline::build("lock", None, |p| {
        p.semaphore("limits", "runs");
        echo(p, "a").mutex("shared");
    })
    .unwrap();
    for v in [ArgoVersion::V3_4, ArgoVersion::V3_5] {
        let old = yaml(&one, v).unwrap();
        assert!(
            old.contains("synchronization:\n    semaphore:\n      configMapKeyRef:\n        name: limits\n"),
            "{old}"
        );
        assert!(old.contains("    synchronization:\n      mutex:\n        name: shared\n"), "{old}");
        assert!(!old.contains("mutexes") && !old.contains("semaphores"), "{old}");
    }
    assert_lints_clean("locks new", &new);
    assert_lints_clean_for("locks old", &yaml(&one, ArgoVersion::V3_4).unwrap(), ArgoVersion::V3_4);
}

#[test]
fn two_locks_on_argo_3_4_or_3_5_are_one_error_naming_each_line() {
    let line = line!() + 2;
    let p = kfp::Pipeline::build("locks", None, |p| {
        p.mutex("one-run");
        p.semaphore("limits", "runs");
        echo(p, "a").mutex("shared").semaphore("limits", "echo.jobs");
        echo(p, "b").mutex("shared");
    })
    .unwrap();
    for v in [ArgoVersion::V3_4, ArgoVersion::V3_5] {
        let err = yaml(&p, v).unwrap_err().to_string();
        let lines: Vec<&str> = err.lines().collect();
        assert_eq!(lines[0], format!("2 constructs cannot be compiled to Argo v{v}:"), "{err}");
        assert!(
            lines[1].starts_with(&format!("tests/concurrency.rs:{}:", line + 2))
                && lines[1].contains("task `echo` holds mutex `shared` and semaphore `limits/echo.jobs`")
                && lines[1].contains(&format!("Argo v{v} holds one lock per step"))
                && lines[1].contains("`--argo-version 3.6` or later"),
            "{err}"
        );
        assert!(
            lines[2].starts_with(&format!("tests/concurrency.rs:{line}:"))
                && lines[2].contains(&format!("tests/concurrency.rs:{}:", line + 1))
                && lines[2].contains("the pipeline holds mutex `one-run` and semaphore `limits/runs`"),
            "{err}"
        );
        assert_eq!(lines.len(), 3, "{err}");
    }
}

#[test]
fn bad_lock_names_are_errors_naming_the_line() {
    let line = line!() + 2;
    let err = kfp::Pipeline::build("locks", None, |p| {
        p.mutex("Nightly Run");
        echo(p, "a").semaphore("limits", "a/b");
        echo(p, "b").mutex("{{inputs.parameters.msg}}").mutex("x").mutex("x");
    })
    .unwrap_err()
    .to_string();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 4, "{err}");
    let expected = [
        (line, "`Nightly Run` is not a valid mutex name"),
        (line + 1, "`a/b` is not a valid config map key"),
        (line + 2, "is not a valid mutex name"),
        (line + 2, "mutex `x` is taken twice"),
    ];
    for (got, (l, message)) in lines.iter().zip(expected) {
        assert!(got.starts_with(&format!("tests/concurrency.rs:{l}:")) && got.contains(message), "{got}");
    }
}

#[test]
fn the_ir_refuses_locks_and_lossy_leaves_them_out() {
    let p = two_locks();
    let err = kfp::compile_kfp_v2(&p, &CompileOptions::default()).unwrap_err().to_string();
    assert!(err.starts_with("4 constructs cannot be compiled to the KFP v2 IR:"), "{err}");
    for what in [
        "mutex `shared` of `echo`",
        "semaphore `limits/echo.jobs` of `echo`",
        "mutex `one-run` of the pipeline",
        "semaphore `limits/runs` of the pipeline",
    ] {
        assert!(err.contains(what), "{what} missing from {err}");
    }
    assert!(err.lines().skip(1).all(|l| l.starts_with("tests/concurrency.rs:")), "{err}");
    let lossy = kfp::compile_kfp_v2(&p, &CompileOptions::default().lossy(true)).unwrap();
    assert_eq!(lossy.left_out.len(), 4);
    assert!(lossy.warnings().contains("steps then may run at the same time"), "{}", lossy.warnings());
    let without = kfp::Pipeline::build("locks", None, |p| {
        echo(p, "a");
    })
    .unwrap();
    let plain = kfp::compile_kfp_v2(&without, &CompileOptions::default()).unwrap();
    assert_eq!(lossy.spec.root, plain.spec.root, "only the locks are left out");
}

#[test]
fn the_example_compiles_for_every_target() {
    let new = compile_example("concurrency", &[]);
    insta::assert_snapshot!("concurrency_argo_3_4", compile_example("concurrency", &["--argo-version", "3.4"]));
    assert!(new.contains("mutexes:") && new.contains("semaphores:"), "{new}");
    let out = run_example("concurrency", &["compile", "--target", "kfp-v2"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot be compiled to the KFP v2 IR") && stderr.contains("examples/concurrency.rs:"));
    let ir = compile_example("concurrency", &["--target", "kfp-v2", "--lossy"]);
    assert!(!ir.contains("mutex") && !ir.contains("semaphore"), "{ir}");
    assert_lints_clean("concurrency", &ir);
    let out = run_example("concurrency", &["compile", "--argo-version", "3.3"]);
    assert_eq!(out.status.code(), Some(2), "a version clap refuses");
    assert!(String::from_utf8_lossy(&out.stderr).contains("3.4, 3.5, 3.6, 3.7, 4.0, 4.1"));
    let out = run_example("concurrency", &["compile", "--target", "kfp-v2", "--argo-version", "3.4"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--argo-version: it chooses the shape of an Argo workflow"));
}

/// Holds `lock` (a directory) for a moment; fails if another step holds it.
#[container_component(image = "alpine:3.20")]
fn exclusive(lock: Param<String>, item: Param<u32>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c"])
        .arg(r#"mkdir "$0" || { echo "item $1: another step holds the lock"; exit 7; }; sleep 0.3; rmdir "$0""#)
        .arg(lock)
        .arg(item)
}

#[pipeline(name = "mutexed")]
fn mutexed(p: &Dag, lock: Param<String>) {
    for i in 0..3u32 {
        exclusive(p, lock, i).mutex("the-lock");
    }
}

#[pipeline(name = "unlocked")]
fn unlocked(p: &Dag, lock: Param<String>) {
    for i in 0..3u32 {
        exclusive(p, lock, i);
    }
}

#[test]
fn the_runner_runs_one_step_at_a_time_per_mutex() {
    for (name, pipeline, succeeds) in [("mutexed", &mutexed, true), ("unlocked", &unlocked, false)] {
        let dir = temp_dir(name);
        let lock = dir.with_extension("lock");
        let _ = std::fs::remove_dir(&lock);
        let mut opts = kfp::runner::RunOptions::new(dir.clone());
        opts.host = true;
        opts.parallelism = 3;
        opts.keep_going = true;
        opts.arguments = vec![("lock".to_owned(), lock.to_str().unwrap().to_owned())];
        let report = kfp::runner::run(pipeline, &opts).unwrap();
        assert_eq!(report.succeeded, succeeds, "{name}: {}", report.table());
    }
}

#[test]
fn locks_a_transformer_adds_are_checked_when_compiling() {
    let p = kfp::Pipeline::build("locks", None, |p| {
        p.for_every_task(|s| {
            s.locks.push(kfp::Lock::Mutex("Not A Name".into()));
            s.locks.push(kfp::Lock::Mutex("fine".into()));
        });
        echo(p, "a");
    })
    .unwrap();
    let err = yaml(&p, ArgoVersion::V3_4).unwrap_err().to_string();
    assert!(err.contains("mutex `Not A Name` of `echo`: `Not A Name` is not a valid mutex name"), "{err}");
    assert!(err.contains("task `echo` holds mutex `Not A Name` and mutex `fine`"), "{err}");
}
