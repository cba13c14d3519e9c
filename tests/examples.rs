//! Every example: its YAML snapshot, argo-validate against Argo v4.1 and v3.4, determinism, and JSON
//! output that a YAML 1.1 reader sees identically.

mod support;

use support::*;

#[test]
fn every_example_matches_its_snapshot() {
    for name in EXAMPLES {
        let yaml = compile_example(name, &[]);
        insta::assert_snapshot!(*name, yaml);
    }
}

/// Compiled for Argo v4.1 (the default) and with `--argo-version 3.4`, each against its schema.
#[test]
fn every_example_passes_argo_validate_for_both_schemas() {
    let Some(shared) = have_argo_validate() else { return };
    let dir = temp_dir("validate");
    for name in EXAMPLES {
        for (version, schema) in [(None, None), (Some("3.4"), Some("workflow-v3.4.schema.json"))] {
            let file = dir.join(format!("{name}-{}.yaml", version.unwrap_or("default")));
            let mut args = vec!["compile", "-o", file.to_str().unwrap()];
            args.extend(version.iter().flat_map(|v| ["--argo-version", v]));
            let out = run_example(name, &args);
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            argo_validate_with(&shared, &file, schema);
        }
    }
}

#[test]
fn output_is_deterministic() {
    for name in EXAMPLES {
        assert_eq!(compile_example(name, &[]), compile_example(name, &[]), "{name} changed between runs");
    }
}

#[test]
fn yaml_read_as_yaml_1_1_equals_the_json_output() {
    if !have_pyyaml() {
        return;
    }
    for name in EXAMPLES {
        let yaml = read_yaml11(&compile_example(name, &[]));
        let json: serde_json::Value =
            serde_json::from_str(&compile_example(name, &["--format", "json"])).expect("valid JSON");
        assert_eq!(yaml, json, "{name}: YAML and JSON outputs differ");
    }
}

/// The README is the `kfp` crate's documentation, so its Rust blocks are doctests: none may opt out
/// with `ignore` (a block that needs a cluster or files at run time is `no_run`, still compiled).
#[test]
fn every_readme_rust_block_is_compiled() {
    let readme = include_str!("../README.md");
    let ignored: Vec<usize> = readme
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with("```rust") && l.contains("ignore"))
        .map(|(i, _)| i + 1)
        .collect();
    assert!(ignored.is_empty(), "README.md has `rust,ignore` blocks at lines {ignored:?}: make them compile");
    assert!(readme.contains("```rust"), "the README has Rust blocks");
}
