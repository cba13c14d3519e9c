//! The KFP v2 IR structs rebuild kfp 2.17's own output: each reference pipeline of
//! `../shared/reference/kfp-v2/` built by hand with `kfp_compiler::kfp_v2`, emitted, accepted by
//! `ir-validate --werror` (with `--load` when kfp is installed), and equal to the reference file as
//! parsed values (everything but `sdkVersion`), read both as YAML 1.2 and as the kfp SDK's YAML 1.1.
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

use ir_reference::support::{check, check_extra, check_read_back, check_round_trip, extra_files, reference_files};

#[test]
fn a_linear() {
    check("a_linear", &ir_reference::a_linear::spec(), None);
}

#[test]
fn k_pod_settings() {
    let (spec, platform) = ir_reference::k_pod_settings::spec();
    check("k_pod_settings", &spec, Some(&platform));
}

#[test]
fn f_condition() {
    check("f_condition", &ir_reference::f_condition::spec(), None);
}

#[test]
fn h_exit_handler() {
    check("h_exit_handler", &ir_reference::h_exit_handler::spec(), None);
}

#[test]
fn d_parallelfor_static() {
    check("d_parallelfor_static", &ir_reference::d_parallelfor_static::spec(), None);
}

#[test]
fn m_collected_artifacts() {
    check("m_collected_artifacts", &ir_reference::m_collected_artifacts::spec(), None);
}

#[test]
fn platform_coverage() {
    let (spec, platform) = ir_reference::platform_coverage::spec();
    check_extra("platform_coverage", &spec, Some(&platform));
}

#[test]
fn yaml11_lookalikes_read_back_as_written() {
    let (spec, platform) = ir_reference::yaml11::spec();
    check_round_trip("yaml11", &spec, Some(&platform));
}

/// Every reference file, including those not rebuilt by hand (`g_recursion`, `i_resource_volume`,
/// `n_lightweight`), and every extra file (kfp-compiled single components too) reads into the
/// structs and writes back as the same values.
#[test]
fn every_reference_reads_back() {
    let files = reference_files();
    assert!(files.is_empty() || files.len() >= 9, "{files:?}");
    let extra = extra_files();
    assert!(extra.len() >= 3, "{extra:?}");
    for file in files.iter().chain(&extra) {
        check_read_back(file);
    }
}
