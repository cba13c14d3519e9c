//! Every example: its YAML snapshot, `kfp::lint` against Argo v4.1 and v3.4 (`.ci/run` runs
//! argo-validate over them too), determinism, and JSON output that a YAML 1.1 reader sees identically.

mod support;

use support::*;

#[test]
fn every_example_matches_its_snapshot() {
    for name in EXAMPLES {
        let yaml = compile_example(name, &[]);
        insta::assert_snapshot!(*name, yaml);
    }
}

/// Compiled for Argo v4.1 (the default) and with `--argo-version 3.4`, each linted against its schema.
#[test]
fn every_example_lints_clean_for_both_argo_versions() {
    use kfp_compiler::argo::ArgoVersion;
    for name in EXAMPLES {
        assert_lints_clean(name, &compile_example(name, &[]));
        assert_lints_clean_for(name, &compile_example(name, &["--argo-version", "3.4"]), ArgoVersion::V3_4);
    }
}

#[test]
fn output_is_deterministic() {
    for name in EXAMPLES {
        assert_eq!(compile_example(name, &[]), compile_example(name, &[]), "{name} changed between runs");
    }
}

#[test]
fn yaml_output_reads_as_the_json_output() {
    for name in EXAMPLES {
        let yaml = read_yaml(&compile_example(name, &[]));
        let json: serde_json::Value =
            serde_json::from_str(&compile_example(name, &["--format", "json"])).expect("valid JSON");
        assert_eq!(yaml, json, "{name}: YAML and JSON outputs differ");
    }
}

#[test]
#[ignore = "needs python3 with PyYAML (`pip install pyyaml`), an independent YAML 1.1 reader; run by .ci/run"]
fn yaml_read_as_yaml_1_1_equals_the_json_output() {
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
