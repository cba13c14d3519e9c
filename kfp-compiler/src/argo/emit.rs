//! Workflow emission: the only module besides the component.yaml front end that knows the YAML library.

use std::io;

use crate::argo::Workflow;
use crate::error::CompileError;

/// The workflow as YAML, its merge patches applied last (a patched workflow is written from its JSON,
/// keys sorted). Every string that a YAML 1.1 reader (Argo, kubectl) would take for a bool,
/// number, null or date is quoted; multi-line strings are double-quoted with escapes; long lines are
/// never folded.
///
/// # Errors
/// [`CompileError::Emit`] if the serializer fails; [`CompileError::Patch`] for a patch that breaks the workflow.
pub fn to_yaml(w: &Workflow) -> Result<String, CompileError> {
    let options = crate::yaml::options();
    // Sized up front from the task count: growing a multi-megabyte string by doubling copies it
    // several times.
    let tasks: usize = w.spec.templates.iter().filter_map(|t| t.dag.as_ref()).map(|d| d.tasks.len()).sum();
    let mut out = String::with_capacity(4096 + 256 * tasks);
    let written = match super::patch::patched(w)? {
        None => serde_saphyr::to_fmt_writer_with_options(&mut out, w, options),
        Some(doc) => serde_saphyr::to_fmt_writer_with_options(&mut out, &doc, options),
    };
    written.map_err(|e| CompileError::Emit(e.to_string()))?;
    Ok(out)
}

/// The workflow as pretty-printed JSON.
///
/// # Errors
/// [`CompileError::Emit`] if the serializer fails.
pub fn to_json(w: &Workflow) -> Result<String, CompileError> {
    let written = match super::patch::patched(w)? {
        None => serde_json::to_string_pretty(w),
        Some(doc) => serde_json::to_string_pretty(&doc),
    };
    let mut s = written.map_err(|e| CompileError::Emit(e.to_string()))?;
    s.push('\n');
    Ok(s)
}

/// A compiled object (a workflow, a workflow template, a cron workflow) as YAML, written as
/// [`to_yaml`] writes a workflow.
///
/// # Errors
/// [`CompileError::Emit`] if the serializer fails.
pub fn object_to_yaml(o: &crate::argo::Object) -> Result<String, CompileError> {
    match o {
        crate::argo::Object::Workflow(w) if w.kind == "Workflow" => to_yaml(w),
        other => serde_saphyr::to_string_with_options(other, crate::yaml::options())
            .map_err(|e| CompileError::Emit(e.to_string())),
    }
}

/// A compiled object as pretty-printed JSON.
///
/// # Errors
/// [`CompileError::Emit`] if the serializer fails.
pub fn object_to_json(o: &crate::argo::Object) -> Result<String, CompileError> {
    let mut s = serde_json::to_string_pretty(o).map_err(|e| CompileError::Emit(e.to_string()))?;
    s.push('\n');
    Ok(s)
}

/// Streams the workflow as YAML (the same bytes as [`to_yaml`]) into `out`, without holding the whole
/// document in memory. Wrap files in a `BufWriter`.
///
/// # Errors
/// [`CompileError::Emit`] if the serializer or the writer fails.
pub fn write_yaml<W: io::Write>(w: &Workflow, out: W) -> Result<(), CompileError> {
    let written = match super::patch::patched(w)? {
        None => serde_saphyr::to_io_writer_with_options(&mut { out }, w, crate::yaml::options()),
        Some(doc) => serde_saphyr::to_io_writer_with_options(&mut { out }, &doc, crate::yaml::options()),
    };
    written.map_err(|e| CompileError::Emit(e.to_string()))
}

/// A Kubernetes manifest as YAML text, for a resource template.
pub(crate) fn manifest_text(v: &serde_json::Value) -> Result<String, CompileError> {
    serde_saphyr::to_string_with_options(v, crate::yaml::options()).map_err(|e| CompileError::Emit(e.to_string()))
}

/// Writes a multi-line string as a YAML literal block (`|`), as kubectl users read manifests; JSON
/// gets a plain string.
pub(crate) fn literal_block<S: serde::Serializer>(text: &str, s: S) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&serde_saphyr::LitStr(text), s)
}
