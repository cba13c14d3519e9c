//! Merge patches on the IR: the `PipelineSpec` (`ir_patch`), the kfp-kubernetes `PlatformSpec`
//! (`ir_platform_patch`), a task's executor (`ir_executor_patch`) and its kfp-kubernetes executor
//! config (`ir_platform_executor_patch`). Each is applied last, on the JSON of the compiled document,
//! which is then read back into the IR structs: they mirror the protobuf messages the KFP API server
//! parses strictly, so a patch may set any field the IR has and a field it has not is an error naming
//! the call (the server would refuse the pipeline).

use kfp_dsl::model::{Patch, PatchTarget};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{Compiled, PlatformSpec};
use crate::error::CompileError;
use crate::passes::naming::Names;

fn error(patch: &Patch, reason: String) -> CompileError {
    CompileError::Patch { location: patch.at, call: patch.target.call(), reason }
}

/// Applies the IR patches of the pipeline to `compiled`: the tasks' first, in template order, then
/// the pipeline's, in call order.
///
/// # Errors
/// A patch on a task with no executor, or one that leaves a document that is not IR.
pub(crate) fn apply(p: &kfp_dsl::Pipeline, names: &Names, compiled: &mut Compiled) -> Result<(), CompileError> {
    let mut patches: Vec<(&Patch, Option<String>)> = Vec::new();
    for (i, var) in names.variants.iter().enumerate() {
        for patch in var.settings.iter().flat_map(|s| &s.patches).filter(|x| !x.target.is_argo()) {
            patches.push((patch, Some(format!("exec-{}", names.templates[i]))));
        }
    }
    patches.extend(p.settings().patches.iter().filter(|x| !x.target.is_argo()).map(|x| (x, None)));
    for (patch, label) in patches {
        match (patch.target, label) {
            (PatchTarget::IrExecutor, Some(label)) => {
                if !compiled.spec.deployment_spec.executors.contains_key(&label) {
                    return Err(no_executor(patch));
                }
                compiled.spec = patched(&compiled.spec, patch, "PipelineSpec", |doc| {
                    doc.pointer_mut("/deploymentSpec/executors").and_then(|e| e.get_mut(label.as_str()))
                })?;
            }
            (PatchTarget::IrPlatformExecutor, Some(label)) => {
                if !compiled.spec.deployment_spec.executors.contains_key(&label) {
                    return Err(no_executor(patch));
                }
                let platform = compiled.platform.take().unwrap_or_default();
                let platform = platform.executor_or_default(&label);
                compiled.platform = Some(patched(&platform, patch, "PlatformSpec", |doc| {
                    doc.pointer_mut("/platforms/kubernetes/deploymentSpec/executors")
                        .and_then(|e| e.get_mut(label.as_str()))
                })?);
            }
            (PatchTarget::IrPipelineSpec, None) => {
                compiled.spec = patched(&compiled.spec, patch, "PipelineSpec", |d| Some(d))?;
            }
            (PatchTarget::IrPlatformSpec, None) => {
                let platform = compiled.platform.take().unwrap_or_default();
                compiled.platform = Some(patched(&platform, patch, "PlatformSpec", |d| Some(d))?);
            }
            // The typed API gives task targets to tasks and document targets to the pipeline only.
            _ => {}
        }
    }
    Ok(())
}

fn no_executor(patch: &Patch) -> CompileError {
    error(
        patch,
        "applies to a task with no executor in the KFP v2 IR (an importer or a DAG): patch a container task".to_owned(),
    )
}

/// `doc` with `patch` merged into the part `at` finds, read back into its struct.
fn patched<T: Serialize + DeserializeOwned>(
    doc: &T,
    patch: &Patch,
    what: &str,
    at: impl FnOnce(&mut Value) -> Option<&mut Value>,
) -> Result<T, CompileError> {
    let mut value = serde_json::to_value(doc).map_err(|e| CompileError::Emit(e.to_string()))?;
    let Some(target) = at(&mut value) else {
        return Err(error(patch, "found no place to apply: an earlier patch removed what it patches".to_owned()));
    };
    patch.apply(target);
    serde_json::from_value(value).map_err(|e| {
        error(
            patch,
            format!(
                "leaves a {what} the KFP API server would refuse: {e}; the IR has a fixed schema (kfp's \
                 pipeline_spec.proto and kubernetes_executor_config.proto): patch fields it has"
            ),
        )
    })
}

impl PlatformSpec {
    /// The spec with an (empty) executor config for `label` if it had none.
    fn executor_or_default(mut self, label: &str) -> Self {
        self.platforms.kubernetes.deployment_spec.executors.entry(label.to_owned()).or_default();
        self
    }
}
