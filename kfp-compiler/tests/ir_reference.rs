//! The KFP v2 IR structs rebuild kfp 2.17's own output: each reference pipeline of
//! `../shared/reference/kfp-v2/` (copied to the workspace's `tests/fixtures/kfp-v2/`) built by hand
//! with `kfp_compiler::kfp_v2`, emitted, clean for `kfp_compiler::lint`, and equal to the reference
//! file as parsed values (everything but `sdkVersion`), read as YAML 1.2; and, in an ignored test
//! `.ci/run` runs, as the kfp SDK's YAML 1.1 (PyYAML), and accepted by `ir-validate --werror --load`.
//!
//! The builders in the submodules double as documentation of the IR each construct maps to.

mod ir_reference {
    pub(crate) mod a_linear;
    pub(crate) mod d_parallelfor_static;
    pub(crate) mod f_condition;
    pub(crate) mod h_exit_handler;
    pub(crate) mod k_pod_settings;
    pub(crate) mod m_collected_artifacts;
    pub(crate) mod platform_coverage;
    pub(crate) mod support;
    pub(crate) mod yaml11;
}

use std::path::PathBuf;

use ir_reference::support::{check_against, check_outside, check_read_back, check_round_trip, extra_file, extra_files};
use ir_reference::support::{reference_file, reference_files};
use kfp_compiler::kfp_v2::{PipelineSpec, PlatformSpec};

/// Each spec built by hand: its name, the spec (and platform spec), and the file it must equal
/// (`None`: it must read back as its JSON form).
fn case(name: &str) -> (PipelineSpec, Option<PlatformSpec>, Option<PathBuf>) {
    use ir_reference::*;
    match name {
        "a_linear" => (a_linear::spec(), None, Some(reference_file(name))),
        "k_pod_settings" => {
            let (spec, platform) = k_pod_settings::spec();
            (spec, Some(platform), Some(reference_file(name)))
        }
        "f_condition" => (f_condition::spec(), None, Some(reference_file(name))),
        "h_exit_handler" => (h_exit_handler::spec(), None, Some(reference_file(name))),
        "d_parallelfor_static" => (d_parallelfor_static::spec(), None, Some(reference_file(name))),
        "m_collected_artifacts" => (m_collected_artifacts::spec(), None, Some(reference_file(name))),
        "platform_coverage" => {
            let (spec, platform) = platform_coverage::spec();
            (spec, Some(platform), Some(extra_file(name)))
        }
        "yaml11" => {
            let (spec, platform) = yaml11::spec();
            (spec, Some(platform), None)
        }
        _ => panic!("no case {name}"),
    }
}

const CASES: &[&str] = &[
    "a_linear",
    "k_pod_settings",
    "f_condition",
    "h_exit_handler",
    "d_parallelfor_static",
    "m_collected_artifacts",
    "platform_coverage",
    "yaml11",
];

/// The in-process checks of case `name`: the same values as its file (YAML 1.2), and lint-clean.
fn check(name: &str) {
    let (spec, platform, file) = case(name);
    match file {
        Some(file) => check_against(&file, name, &spec, platform.as_ref()),
        None => check_round_trip(name, &spec, platform.as_ref()),
    }
}

#[test]
fn a_linear() {
    check("a_linear");
}

#[test]
fn k_pod_settings() {
    check("k_pod_settings");
}

#[test]
fn f_condition() {
    check("f_condition");
}

#[test]
fn h_exit_handler() {
    check("h_exit_handler");
}

#[test]
fn d_parallelfor_static() {
    check("d_parallelfor_static");
}

#[test]
fn m_collected_artifacts() {
    check("m_collected_artifacts");
}

#[test]
fn platform_coverage() {
    check("platform_coverage");
}

#[test]
fn yaml11_lookalikes_read_back_as_written() {
    check("yaml11");
}

/// Every case read by PyYAML as the kfp SDK reads it (YAML 1.1: the same values as its file, or as
/// its JSON form), and accepted by `ir-validate --werror` (`--load` too, where kfp wrote the file).
#[test]
#[ignore = "needs python3 with PyYAML and the kfp packages, and ../shared/tools/ir-validate; run by .ci/run"]
fn pyyaml_reads_and_ir_validate_accepts_every_case() {
    for name in CASES {
        let (spec, platform, file) = case(name);
        check_outside(name, &spec, platform.as_ref(), file.as_deref());
    }
}

/// Every reference file, including those not rebuilt by hand (`g_recursion`, `i_resource_volume`,
/// `n_lightweight`), and every extra file (kfp-compiled single components too) reads into the
/// structs and writes back as the same values.
#[test]
fn every_reference_reads_back() {
    let files = reference_files();
    assert!(files.len() >= 9, "{files:?}");
    let extra = extra_files();
    assert!(extra.len() >= 3, "{extra:?}");
    for file in files.iter().chain(&extra) {
        check_read_back(file);
    }
}
