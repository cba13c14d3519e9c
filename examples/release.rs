//! A release with a person in the loop: `test` runs the checks; when it fails, `notify` tells the
//! team (`after_failed`: Argo `depends: test.Failed || test.Errored`); when it passes, the run waits
//! for a person to approve (`p.approval`, an Argo `suspend`: `argo resume` or the UI's Resume), then
//! deploys, pauses a minute for the rollout to settle (`p.pause`, a suspend with a `duration`), and
//! checks the deployment; a failed deploy is retried twice, and knows its attempt (`p.retry_count()`,
//! Argo's `{{retries}}`). Argo only: the KFP v2 IR has no form for `after_failed`, approvals or
//! pauses, and `compile --target kfp-v2` says so, naming each line.
//!
//!     cargo run --example release -- compile
//!     cargo run --example release -- run --approve deploy-ok     # approve ahead, for scripts and CI
//!     cargo run --example release -- run                         # asks on the terminal

use std::time::Duration;

use kfp::prelude::*;

/// Runs the release checks on `version`; fails when `broken` is true.
#[component]
fn test(version: String, broken: bool) -> Result<String, String> {
    if broken {
        return Err(format!("checks of {version} failed"));
    }
    Ok(format!("{version} passed"))
}

/// Tells the team.
#[component]
fn notify(message: String) -> String {
    message
}

/// Deploys `version`; `attempt` is 0, then 1 on the first retry.
#[component]
fn deploy(version: String, attempt: i64) -> String {
    format!("deployed {version} (attempt {attempt})")
}

/// Checks the deployment.
#[component]
fn smoke_check(version: String) -> String {
    format!("{version} is up")
}

#[pipeline(name = "release", image = "ghcr.io/kfp-rs/examples:0.1")]
fn release(p: &Dag, #[default("1.4.2")] version: Param<String>, #[default(false)] broken: Param<bool>) {
    let tested = test(p, version, broken);
    notify(p, fmt_param!(p, "release {} failed its checks", version)).after_failed(&tested);
    let approved = p.approval("deploy-ok").after(&tested);
    let deployed = deploy(p, version, p.retry_count()).retry(2).after(&approved);
    let settled = p.pause(Duration::from_secs(60)).after(&deployed);
    smoke_check(p, version).after(&settled);
}

fn main() {
    kfp::main(release);
}
