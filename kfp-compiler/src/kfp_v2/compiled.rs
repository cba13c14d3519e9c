//! What compiling to the KFP v2 IR gives: the `PipelineSpec`, the `PlatformSpec` when a task has
//! Kubernetes settings, and (with `--lossy`) what was left out.

use super::pipeline_spec::PipelineSpec;
use super::platform::PlatformSpec;
use super::unsupported::{Unsupported, describe_lossy};
use crate::CompileError;

/// A pipeline compiled to the KFP v2 IR.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Compiled {
    /// The pipeline.
    pub spec: PipelineSpec,
    /// The kfp-kubernetes settings, when any task has some.
    pub platform: Option<PlatformSpec>,
    /// What the IR cannot express and [`CompileOptions::lossy`](crate::CompileOptions::lossy) left
    /// out; empty without it (such constructs are errors then).
    pub left_out: Vec<Unsupported>,
}

impl Compiled {
    /// The IR as YAML ([`super::to_yaml`]).
    ///
    /// # Errors
    /// [`CompileError::Emit`] if the serializer fails.
    pub fn to_yaml(&self) -> Result<String, CompileError> {
        super::to_yaml(&self.spec, self.platform.as_ref())
    }

    /// The IR as JSON ([`super::to_json`]).
    ///
    /// # Errors
    /// [`CompileError::Emit`] if the serializer fails.
    pub fn to_json(&self) -> Result<String, CompileError> {
        super::to_json(&self.spec, self.platform.as_ref())
    }

    /// The warning to print for what was left out (empty when nothing was), one line per construct.
    #[must_use]
    pub fn warnings(&self) -> String {
        describe_lossy(&self.left_out)
    }
}
