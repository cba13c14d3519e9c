//! Nothing assumes `./target`: shared target directories and CI caches set `CARGO_TARGET_DIR` to a
//! directory outside the checkout, and a pipeline binary is copied anywhere (an image, `/usr/local/bin`).
//! The example-binary locator finds the binaries where cargo put them, and a binary copied outside
//! any checkout or target directory compiles and runs its pipeline from there.

mod support;

use std::path::{Path, PathBuf};
use std::process::Command;

use support::*;

/// Cargo's target directory for this workspace, as `cargo metadata` reports it (it follows
/// `CARGO_TARGET_DIR` and `build.target-dir`); no build.
fn cargo_target_dir() -> PathBuf {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--offline", "--no-deps", "--format-version", "1"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run cargo metadata");
    assert!(out.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&out.stderr));
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("cargo metadata is JSON");
    PathBuf::from(meta["target_directory"].as_str().expect("target_directory"))
}

fn canonical(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn example_binaries_are_found_in_cargos_target_directory() {
    let target = canonical(&cargo_target_dir());
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        // Relative to where cargo ran, which is not always here: compare what cargo resolved.
        let dir = PathBuf::from(dir);
        if dir.is_absolute() {
            assert_eq!(target, canonical(&dir), "cargo metadata follows CARGO_TARGET_DIR");
        }
    }
    let bin = canonical(&example_bin("hello"));
    assert!(bin.starts_with(&target), "{} is not under cargo's target directory {}", bin.display(), target.display());
    let exe = canonical(&std::env::current_exe().unwrap());
    assert!(exe.starts_with(&target), "this test runs from {}, outside {}", exe.display(), target.display());
}

#[test]
fn a_pipeline_binary_copied_outside_the_checkout_compiles_and_runs_there() {
    let dir = temp_dir("outside-target");
    assert!(!dir.starts_with(env!("CARGO_MANIFEST_DIR")));
    let bin = dir.join(format!("train_eval{}", std::env::consts::EXE_SUFFIX));
    std::fs::copy(example_bin("train_eval"), &bin).expect("copy the example binary");
    let here = |args: &[&str]| Command::new(&bin).args(args).current_dir(&dir).output().expect("run the copy");

    let out = here(&["compile", "-o", "wf.yaml"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let yaml = std::fs::read_to_string(dir.join("wf.yaml")).expect("compile wrote wf.yaml in its directory");
    assert_eq!(yaml, compile_example("train_eval", &[]));
    assert_lints_clean("train_eval", &yaml);

    // The runner starts each function component as this binary again, wherever it is.
    let out = here(&["run", "--workdir", "runs"]);
    assert!(out.status.success(), "{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let best = std::fs::read_to_string(dir.join("runs/pick-best/outputs/output/data")).expect("pick-best ran");
    assert!(best.parse::<f64>().is_ok_and(|r2| r2 > 0.9), "{best}");
}
