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

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[cfg(unix)]
#[test]
fn o_keeps_the_mode_of_the_file_it_replaces() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("cli-o-mode");
    let file = dir.join("linear.yaml");
    std::fs::write(&file, "old").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).unwrap();
    let out = run_example("linear", &["compile", "-o", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), compile_example("linear", &[]));
    assert_eq!(mode(&file), 0o640, "the replaced file's mode is kept");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "no temporary left");
}

#[cfg(unix)]
#[test]
fn o_refuses_a_read_only_file_and_leaves_it_alone() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("cli-o-readonly");
    let file = dir.join("linear.yaml");
    std::fs::write(&file, "keep me").unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
    let out = run_example("linear", &["compile", "-o", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!(
            "error: cannot write `{}`: the file is read-only: make it writable (`chmod u+w`) or choose another file\n",
            file.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
    assert_eq!(mode(&file), 0o444);
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "no temporary left");
}

#[test]
fn o_into_a_missing_directory_says_so() {
    let dir = temp_dir("cli-o-nodir");
    let target = dir.join("missing").join("out.yaml");
    let out = run_example("linear", &["compile", "-o", target.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        format!(
            "error: cannot write `{}`: the directory `{}` does not exist: create it first (`mkdir -p`)\n",
            target.display(),
            dir.join("missing").display()
        )
    );
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
}

/// A fifo is written through, not replaced by a regular file (before: the reader waited forever).
#[cfg(unix)]
#[test]
fn o_writes_through_a_fifo() {
    use std::os::unix::fs::FileTypeExt;
    let dir = temp_dir("cli-o-fifo");
    let fifo = dir.join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    need("`mkfifo` (coreutils)", made.is_ok_and(|s| s.success()));
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = fifo.clone();
    std::thread::spawn(move || tx.send(std::fs::read_to_string(reader)));
    let out = run_example("linear", &["compile", "-o", fifo.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let read = rx.recv_timeout(std::time::Duration::from_secs(20)).expect("the fifo's reader got the workflow");
    assert_eq!(read.unwrap(), compile_example("linear", &[]));
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(), "still a fifo");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "no temporary left");
}

/// A link to a device (`/dev/null`, `/dev/stdout`) is written through; neither the link nor the
/// device is replaced.
#[cfg(unix)]
#[test]
fn o_writes_through_a_link_to_a_device() {
    use std::os::unix::fs::FileTypeExt;
    let dir = temp_dir("cli-o-device");
    let null = dir.join("null");
    std::os::unix::fs::symlink("/dev/null", &null).unwrap();
    let out = run_example("linear", &["compile", "-o", null.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::symlink_metadata(&null).unwrap().file_type().is_symlink(), "the link stays");
    assert!(std::fs::metadata("/dev/null").unwrap().file_type().is_char_device(), "/dev/null stays a device");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "no temporary left");

    // `/dev/stdout` (a link to the process's fd 1, here a pipe): the workflow arrives on stdout.
    let stdout = dir.join("stdout");
    std::os::unix::fs::symlink("/dev/stdout", &stdout).unwrap();
    let out = run_example("linear", &["compile", "-o", stdout.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), compile_example("linear", &[]));
    assert!(std::fs::symlink_metadata(&stdout).unwrap().file_type().is_symlink(), "the link stays");
}

/// A link to a regular file is refused: renaming would replace the link, writing through it would
/// not be atomic. Neither the link nor its target changes.
#[cfg(unix)]
#[test]
fn o_refuses_a_link_to_a_regular_file() {
    let dir = temp_dir("cli-o-link");
    let real = dir.join("real.yaml");
    std::fs::write(&real, "keep me").unwrap();
    let link = dir.join("link.yaml");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let out = run_example("linear", &["compile", "-o", link.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(
        err,
        format!(
            "error: cannot write `{}`: it is a symbolic link to `{}`, and `-o` does not replace links: give `{}` itself, or remove the link\n",
            link.display(),
            real.display(),
            real.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&real).unwrap(), "keep me");
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 2, "no temporary left");
}

#[test]
fn component_spec_o_is_written_the_same_way() {
    let dir = temp_dir("cli-spec-o");
    let file = dir.join("spec.yaml");
    std::fs::write(&file, "old").unwrap();
    let out = run_example("component_yaml", &["component-spec", "Train", "-o", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(std::fs::read_to_string(&file).unwrap().starts_with("name: "), "the spec was written");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "no temporary left");
}

#[test]
fn a_param_given_twice_is_an_error_naming_it() {
    let out = run_example("linear", &["compile", "--param", "min_len=5", "--param", "min_len=6"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "error: `--param min_len=...` is given twice: give each parameter once\n");
    assert!(out.stdout.is_empty());

    let out = run_example("lightweight", &["component", "report", "--param", "count", "1", "--param", "count", "2"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "error: `--param count` is given twice: give each name once\n");
}

#[test]
fn component_refuses_a_param_it_does_not_have() {
    let out = run_example("lightweight", &["component", "report", "--param", "cuont", "1"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stderr(&out),
        "error: unknown `--param cuont`: component `report` has inputs `count`, `mean`, `max`, `label`\n"
    );
    let out = run_example("lightweight", &["component", "summarise", "--param", "numbers", "x"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "error: input `numbers` is an artifact: give its path with `--input numbers PATH`\n");
}
