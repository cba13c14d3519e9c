//! The KFP v2 IR's rules, as the KFP 2.x API server checks a `PipelineSpec` and its `PlatformSpec`
//! (and as `shared/tools/ir-validate` checks them, without the kfp SDK: its `--load` stays Python's job).
//!
//! ```text
//! document 0 --parse--> unknown fields, JSON types, enums, oneofs  (the project's structs + tables)
//!            --spec---> schemaVersion, pipelineInfo.name, component and task names, executors
//!            --dag----> references, types, iterators, conditions, exit tasks, cycles, DAG outputs
//!            --exec---> placeholders in command/args, resources, importers
//! document 1 --platform--> KubernetesExecutorConfig parse, executor labels, parameter references
//! ```
//!
//! The strict parse runs node by node (each task, parameter definition, executor, Kubernetes executor
//! config...) through the project's own serde mirrors in `kfp_v2` (`PipelineTaskSpec`,
//! `ParameterDefinition`, `Executor`, `KubernetesExecutorConfig`, ...), so a problem names the node
//! it is in. Where those structs do not refuse what the server refuses (the messages they flatten:
//! the top level, `ComponentSpec`, `DagSpec`'s shell, a task input's `kind` oneof, `PlatformSpec`'s
//! shell), a compact table of field names in [`parse`] does. Fields kfp-pipeline-spec has but the
//! structs do not model are reported as unknown (kfp's own reference IR uses none of them).
//!
//! Every rule id starts with `ir/`; the list is in the module's files, one `const` a rule.

mod control;
mod dag;
mod executors;
mod parse;
mod platform;
mod spec;
mod tasks;
mod util;

use serde_json::Value;

use super::Problem;

/// Checks a `PipelineSpec` (`spec`, the IR's first document as JSON) and its `PlatformSpec`
/// (`platform`, the second, `platforms: ...`, if any) as the KFP 2.x API server, its compiler and
/// driver would. Problems in the platform spec carry `document: 1`.
#[must_use]
pub fn lint(spec: &Value, platform: Option<&Value>) -> Vec<Problem> {
    let mut report = util::Report::new(0);
    let parsed = parse::check(&mut report, spec);
    let view = parsed.then(|| spec::Spec::new(spec));
    if let Some(view) = &view {
        spec::check(&mut report, view);
        dag::check(&mut report, view);
        executors::check(&mut report, view);
    }
    let mut problems = report.into_problems();
    if let Some(platform) = platform {
        let mut report = util::Report::new(1);
        platform::check(&mut report, platform, view.as_ref());
        problems.extend(report.into_problems());
    }
    problems
}
