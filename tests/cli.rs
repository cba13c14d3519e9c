//! The command line every pipeline binary gets from `kfp::main`.

mod support;

use support::*;

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn compile_prints_yaml_on_stdout() {
    let out = run_example("linear", &["compile"]);
    assert!(out.status.success());
    assert!(stderr(&out).is_empty());
    let yaml = String::from_utf8(out.stdout).unwrap();
    assert!(yaml.starts_with("apiVersion: argoproj.io/v1alpha1\nkind: Workflow\n"), "{yaml}");
}

#[test]
fn compile_writes_the_file_given_with_o() {
    let dir = temp_dir("cli-o");
    let file = dir.join("linear.yaml");
    let out = run_example("linear", &["compile", "-o", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), compile_example("linear", &[]));
    // Only the file: no temporary left beside it.
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
}

#[test]
fn param_replaces_the_default_after_checking_its_type() {
    let yaml = compile_example("linear", &["--param", "min_len=5", "--param", "label=yes"]);
    assert!(yaml.contains("- name: min_len\n      value: \"5\"\n"), "{yaml}");
    assert!(yaml.contains("- name: label\n      value: \"yes\"\n"), "{yaml}");
}

#[test]
fn bad_input_gives_one_clear_line_and_a_failure_status() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["compile", "--param", "nope=1"],
            "error: unknown parameter `nope`; pipeline `Linear three step` has `url`, `min_len`, `label`\n",
        ),
        (
            &["compile", "--param", "min_len=abc"],
            "error: parameter `min_len` is Integer: `abc` is not valid: invalid digit found in string (expected `u32`)\n",
        ),
        (
            &["compile", "--param", "min_len=-1"],
            "error: parameter `min_len` is Integer: `-1` is not valid: invalid digit found in string (expected `u32`)\n",
        ),
        (&["compile", "--param", "min_len"], "error: `--param min_len` is not `NAME=VALUE`\n"),
    ];
    for (args, expected) in cases {
        let out = run_example("linear", args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert_eq!(stderr(&out), *expected, "{args:?}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn an_unwritable_path_is_an_error_and_nothing_is_written() {
    let dir = temp_dir("cli-unwritable");
    let blocker = dir.join("file");
    std::fs::write(&blocker, "x").unwrap();
    // A path under a regular file cannot be created, even by root.
    let target = blocker.join("out.yaml");
    let out = run_example("linear", &["compile", "-o", target.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.starts_with(&format!("error: cannot write `{}`: ", target.display())), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "nothing else was written");
}

#[test]
fn json_format_is_json() {
    let text = compile_example("hello", &["--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(v["kind"], "Workflow");
    assert_eq!(v["spec"]["entrypoint"], "hello");
}

#[test]
fn service_account_can_be_changed_or_left_out() {
    let yaml = compile_example("hello", &["--service-account", "robot"]);
    assert!(yaml.contains("serviceAccountName: robot\n"));
    let yaml = compile_example("hello", &["--no-service-account"]);
    assert!(!yaml.contains("serviceAccountName"));
}

#[test]
fn every_subcommand_has_help() {
    for args in [&["--help"][..], &["compile", "--help"], &["help", "compile"]] {
        let out = run_example("linear", args);
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains("Usage:"), "{args:?}: {text}");
    }
    let text = String::from_utf8(run_example("linear", &["compile", "--help"]).stdout).unwrap();
    for flag in ["--output", "--format", "--param"] {
        assert!(text.contains(flag), "compile --help lacks {flag}");
    }
}

#[test]
fn a_malformed_command_line_exits_with_usage_status() {
    for args in [&["compile", "--format", "xml"][..], &["launch"], &["compile", "-o"]] {
        let out = run_example("linear", args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).starts_with("error: "), "{args:?}: {}", stderr(&out));
    }
    // No subcommand: the usage, on stderr.
    let out = run_example("linear", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("Usage: linear <COMMAND>"), "{}", stderr(&out));
}
