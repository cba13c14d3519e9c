//! The escape hatch: JSON merge patches (RFC 7396) on what a backend emits, for fields kfp-rs does not
//! model yet. Each call names its backend (`argo_*`, `ir_*`): compiling for the other one ignores it.
//! A patch is applied last, then the document is checked again; a patch that breaks it is an error
//! naming the call.

use serde_json::Value;

use crate::dag::Dag;
use crate::dag::Task;
use crate::error::SourceLocation;
use crate::model::{Patch, PatchTarget};

impl<O: Copy> Task<'_, O> {
    fn patch(self, target: PatchTarget, patch: &Value, at: SourceLocation) -> Self {
        self.set(at, |s| {
            s.patches.push(Patch::new(target, patch, at)?);
            Ok(())
        })
    }

    /// Argo: merges `patch` into the template this task runs (its container template; the task gets a
    /// template of its own): `json!({"activeDeadlineSeconds": 600, "metadata": {"labels": {"tier": "gpu"}}})`.
    #[track_caller]
    pub fn argo_template_patch(self, patch: Value) -> Self {
        self.patch(PatchTarget::ArgoTemplate, &patch, SourceLocation::caller())
    }

    /// Argo: merges `patch` into the task's entry in its DAG (`dag.tasks[]`):
    /// `json!({"continueOn": {"failed": true}})`.
    #[track_caller]
    pub fn argo_task_patch(self, patch: Value) -> Self {
        self.patch(PatchTarget::ArgoTask, &patch, SourceLocation::caller())
    }

    /// KFP v2 IR: merges `patch` into the task's executor (`deploymentSpec.executors.exec-*`, whose
    /// `container` has `image`, `command`, `args`, `env`, `resources`). The result must still be IR.
    #[track_caller]
    pub fn ir_executor_patch(self, patch: Value) -> Self {
        self.patch(PatchTarget::IrExecutor, &patch, SourceLocation::caller())
    }

    /// KFP v2 IR: merges `patch` into the task's kfp-kubernetes executor config
    /// (`platforms.kubernetes.deploymentSpec.executors.exec-*`: `nodeSelector`, `tolerations`,
    /// `podMetadata`, ...), made if the task has none. The result must still be a `PlatformSpec`.
    #[track_caller]
    pub fn ir_platform_executor_patch(self, patch: Value) -> Self {
        self.patch(PatchTarget::IrPlatformExecutor, &patch, SourceLocation::caller())
    }
}

impl Dag {
    fn document_patch(&self, target: PatchTarget, patch: &Value, at: SourceLocation) {
        self.pipeline_setting(at, |s| {
            s.patches.push(Patch::new(target, patch, at)?);
            Ok(())
        });
    }

    /// Argo: merges `patch` into the whole `Workflow`, after everything else:
    /// `json!({"spec": {"podMetadata": {"labels": {"team": "ml"}}}})`.
    #[track_caller]
    pub fn argo_patch(&self, patch: Value) {
        self.document_patch(PatchTarget::ArgoWorkflow, &patch, SourceLocation::caller());
    }

    /// KFP v2 IR: merges `patch` into the `PipelineSpec` (`pipelineInfo`, `defaultPipelineRoot`, ...).
    /// The result must still be IR.
    #[track_caller]
    pub fn ir_patch(&self, patch: Value) {
        self.document_patch(PatchTarget::IrPipelineSpec, &patch, SourceLocation::caller());
    }

    /// KFP v2 IR: merges `patch` into the kfp-kubernetes `PlatformSpec` document (made if the pipeline
    /// has none). The result must still be a `PlatformSpec`.
    #[track_caller]
    pub fn ir_platform_patch(&self, patch: Value) {
        self.document_patch(PatchTarget::IrPlatformSpec, &patch, SourceLocation::caller());
    }
}
