//! `compile --split` and `--max-size`: the bundle of a split workflow, and the size argument.

use kfp_compiler::CompileError;
use kfp_compiler::argo::split::{self, SplitOptions};

use super::CliError;

/// The limit without `--max-size` or the pipeline's `max_object_size`: 1 MiB.
pub(super) const DEFAULT: usize = split::size::DEFAULT_MAX_BYTES;

/// `--max-size BYTES`: `1500000`, `512KiB`, `1MiB`.
pub(super) fn parse(s: &str) -> Result<usize, String> {
    split::size::parse_size(s)
}

/// The split bundle of `workflow` as text (`other_kind`: `--kind` other than workflow, or `--name`).
pub(super) fn split_text(
    workflow: kfp_compiler::argo::Workflow,
    other_kind: bool,
    limit: usize,
    json: bool,
) -> Result<String, CliError> {
    if other_kind {
        return Err(CliError::Compile(CompileError::InvalidOption {
            option: "--split",
            reason: "a split pipeline is a Workflow with its parts' WorkflowTemplates: give `--kind workflow` without `--name`, or drop `--split`".to_owned(),
        }));
    }
    let bundle = split::split(workflow, &SplitOptions::with_max_bytes(limit)).map_err(CliError::Compile)?;
    if json { bundle.to_json() } else { bundle.to_yaml() }.map_err(CliError::Compile)
}

/// The split bundle of `workflow` (compiled from `pipeline`) for `run --split`: the limit is
/// `max_size`, else the pipeline's `max_object_size`, else 1 MiB.
pub(super) fn bundle(
    pipeline: &kfp_dsl::PipelineDef,
    workflow: kfp_compiler::argo::Workflow,
    max_size: Option<usize>,
) -> Result<split::Bundle, CliError> {
    let limit = match max_size {
        Some(n) => n,
        None => {
            let built = pipeline.build().map_err(|e| CliError::Compile(e.into()))?;
            built.settings().max_object_bytes.unwrap_or(DEFAULT)
        }
    };
    split::split(workflow, &SplitOptions::with_max_bytes(limit)).map_err(CliError::Compile)
}
