//! The public face of the KFP v2 backend's unsupported-construct check: what `compile --target
//! kfp-v2` prints as errors (one line per construct, naming the user's line) and, with `--lossy`,
//! as warnings.

use kfp_compiler::kfp_v2::unsupported::{LeaveOut, describe_lossy, unsupported};
use kfp_dsl::model::{ComponentSpec, ContainerSpec};
use kfp_dsl::{ExtraContainer, Pipeline};

fn echo() -> ComponentSpec {
    ComponentSpec::new("echo", None).body(ContainerSpec::new(["echo"]), Some("alpine:3.20"))
}

#[test]
fn errors_name_the_line_and_say_what_to_do() {
    let line = line!() + 3;
    let p = Pipeline::build("e", None, |p| {
        let agent = ExtraContainer::new("agent", "busybox");
        let _ = p.call_component(&echo(), []).sidecar(agent).max_cache_staleness("P7D");
        p.dns_config(&["1.1.1.1"], &[], &[]);
    })
    .unwrap();
    let found = unsupported(&p);
    let lines: Vec<String> = found.iter().map(ToString::to_string).collect();
    assert_eq!(lines.len(), 3, "{lines:#?}");
    let at = format!("kfp-compiler/tests/ir_settings.rs:{line}:");
    assert!(lines[0].starts_with(&at), "{}", lines[0]);
    assert!(
        lines[0].contains("sidecar `agent` of `echo` cannot be expressed in the KFP v2 IR: the IR has no sidecars")
    );
    assert!(lines[1].starts_with(&at) && lines[1].contains("max cache staleness `P7D`"), "{}", lines[1]);
    assert!(lines[1].contains("use `.caching(false)`"), "{}", lines[1]);
    assert_eq!(
        lines[2],
        "pipeline setting `dns_config` cannot be expressed in the KFP v2 IR: an Argo workflow setting with no place \
         in the IR: compile for Argo"
    );
    assert!(found.iter().all(|u| u.leave_out == LeaveOut::Construct));
    let warning = describe_lossy(&found);
    assert!(warning.starts_with("warning: --lossy: the KFP v2 IR leaves out 3 constructs"), "{warning}");
    assert_eq!(warning.lines().count(), 4, "{warning}");
}

#[test]
fn a_pipeline_the_ir_expresses_has_nothing_to_report() {
    let p = Pipeline::build("ok", None, |p| {
        let _ = p.call_component(&echo(), []).cpu_limit("1").env("A", "b").retry(2).caching(false);
    })
    .unwrap();
    assert!(unsupported(&p).is_empty());
    assert_eq!(describe_lossy(&[]), "");
}
