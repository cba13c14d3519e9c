//! Serialization: the only module that knows the YAML library.

use serde_saphyr::SerializerOptions;

use crate::argo::Workflow;
use crate::error::CompileError;

/// The workflow as YAML. Every string that a YAML 1.1 reader (Argo, kubectl) would take for a bool,
/// number, null or date is quoted; multi-line strings are double-quoted with escapes; long lines are
/// never folded.
///
/// # Errors
/// [`CompileError::Emit`] if the serializer fails.
pub fn to_yaml(w: &Workflow) -> Result<String, CompileError> {
    let mut options = SerializerOptions::default();
    options.prefer_block_scalars = false;
    serde_saphyr::to_string_with_options(w, options).map_err(|e| CompileError::Emit(e.to_string()))
}

/// The workflow as pretty-printed JSON.
///
/// # Errors
/// [`CompileError::Emit`] if the serializer fails.
pub fn to_json(w: &Workflow) -> Result<String, CompileError> {
    let mut s = serde_json::to_string_pretty(w).map_err(|e| CompileError::Emit(e.to_string()))?;
    s.push('\n');
    Ok(s)
}
