//! A direct writer for the bulk of the IR document, the DAG tasks, producing the bytes serde-saphyr
//! writes for them.
//!
//! Why: a pipeline of N tasks is mostly N `PipelineTaskSpec`s, about 13 YAML lines each, and
//! serde-saphyr spends about 1,000 instructions on every key and scalar (it formats each key into a
//! fresh `String` and runs the YAML 1.1 lookalike checks over it). Writing the common shapes of a
//! task directly made emitting the IR about 5x faster (profile and figures in the README's
//! Performance section).
//!
//! How it stays byte-identical: only the structure around the tasks (the document's top level, the
//! `components` map, a DAG component, its `dag.tasks`) and a task's common fields are written here,
//! with scalars restricted to [`plain`]'s narrow class, whose YAML spelling is certain. Everything
//! else, and any entry holding a string outside that class, is one map entry serialized by
//! serde-saphyr on its own and indented into place ([`delegate`]): serde-saphyr's block layout is the
//! same at every depth, two spaces a level. `emit.rs`'s tests compare this writer with plain
//! serde-saphyr over specs that exercise every fallback.

use std::fmt::Write as _;

use serde::Serialize;
use serde::ser::SerializeMap;

use super::dag::{DagSpec, PipelineTaskSpec};
use super::inputs::{ParameterSource, TaskInputParameter};
use super::pipeline_spec::{ComponentSpec, Implementation, PipelineSpec};
use super::policies::CachingOptions;
use crate::CompileError;

/// Where the text goes: kept whole ([`super::to_yaml`]), or handed to `flush` in chunks of about
/// [`CHUNK`] bytes ([`super::write_yaml`], which never holds the whole document).
pub(super) struct Out<'a> {
    buf: String,
    flush: Option<&'a mut Sink<'a>>,
    /// Scratch space for [`delegate`], reused.
    scratch: String,
}

/// What a streaming [`Out`] hands its text to.
pub(super) type Sink<'a> = dyn FnMut(&str) -> Result<(), CompileError> + 'a;

/// Bytes buffered before a streaming [`Out`] flushes.
const CHUNK: usize = 1 << 16;

impl<'a> Out<'a> {
    /// Keeps everything in `buf`.
    pub(super) fn string(capacity: usize) -> Self {
        Out { buf: String::with_capacity(capacity), flush: None, scratch: String::new() }
    }

    /// Streams to `flush`.
    pub(super) fn streaming(flush: &'a mut Sink<'a>) -> Self {
        Out { buf: String::with_capacity(CHUNK + 4096), flush: Some(flush), scratch: String::new() }
    }

    /// Hands the buffer to the sink when it is full enough (at task boundaries).
    fn maybe_flush(&mut self) -> Result<(), CompileError> {
        if let Some(flush) = self.flush.as_mut().filter(|_| self.buf.len() >= CHUNK) {
            flush(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    /// Hands over what is left.
    pub(super) fn finish(mut self) -> Result<String, CompileError> {
        if let Some(flush) = self.flush.as_mut() {
            flush(&self.buf)?;
            self.buf.clear();
        }
        Ok(self.buf)
    }

    fn indent(&mut self, indent: usize) {
        self.buf.extend(std::iter::repeat_n(' ', indent));
    }

    /// `key:` opening a nested block at `indent`; `key` is a field's name or in [`plain`]'s class.
    fn open(&mut self, indent: usize, key: &str) {
        self.indent(indent);
        push_plain(&mut self.buf, key);
        self.buf.push_str(":\n");
    }

    /// `key: value`, `key` and `value` both in [`plain`]'s class (checked by the caller).
    fn scalar(&mut self, indent: usize, key: &str, value: &str) {
        self.indent(indent);
        push_plain(&mut self.buf, key);
        self.buf.push_str(": ");
        push_plain(&mut self.buf, value);
        self.buf.push('\n');
    }
}

/// The `PipelineSpec` document.
pub(super) fn write_spec(out: &mut Out<'_>, spec: &PipelineSpec) -> Result<(), CompileError> {
    // The fields in serde's (declaration) order, empty and absent ones skipped as the derive does.
    if !spec.components.is_empty() {
        out.open(0, "components");
        for (name, component) in &spec.components {
            component_entry(out, 2, name, component)?;
        }
    }
    if let Some(root) = &spec.default_pipeline_root {
        delegate(out, 0, "defaultPipelineRoot", root)?;
    }
    delegate(out, 0, "deploymentSpec", &spec.deployment_spec)?;
    delegate(out, 0, "pipelineInfo", &spec.pipeline_info)?;
    component_entry(out, 0, "root", &spec.root)?;
    delegate(out, 0, "schemaVersion", &spec.schema_version)?;
    delegate(out, 0, "sdkVersion", &spec.sdk_version)
}

/// `name: <component>`: a DAG component written here, anything else delegated.
fn component_entry(out: &mut Out<'_>, indent: usize, name: &str, c: &ComponentSpec) -> Result<(), CompileError> {
    let dag = match &c.implementation {
        Implementation::Dag(dag) if plain(name).is_some() && !dag.tasks.is_empty() => dag,
        _ => return delegate(out, indent, name, c),
    };
    out.open(indent, name);
    // `implementation` is flattened: its one key comes first, then the definitions.
    write_dag(out, indent + 2, dag)?;
    if !c.input_definitions.is_empty() {
        delegate(out, indent + 2, "inputDefinitions", &c.input_definitions)?;
    }
    if !c.output_definitions.is_empty() {
        delegate(out, indent + 2, "outputDefinitions", &c.output_definitions)?;
    }
    Ok(())
}

/// `dag:` with its outputs and tasks.
fn write_dag(out: &mut Out<'_>, indent: usize, dag: &DagSpec) -> Result<(), CompileError> {
    out.open(indent, "dag");
    if !dag.outputs.is_empty() {
        delegate(out, indent + 2, "outputs", &dag.outputs)?;
    }
    out.open(indent + 2, "tasks");
    for (name, task) in &dag.tasks {
        write_task(out, indent + 4, name, task)?;
        out.maybe_flush()?;
    }
    Ok(())
}

/// One task: its common fields written here, the others delegated one by one.
fn write_task(out: &mut Out<'_>, indent: usize, name: &str, t: &PipelineTaskSpec) -> Result<(), CompileError> {
    if plain(name).is_none() {
        return delegate(out, indent, name, t);
    }
    out.open(indent, name);
    let indent = indent + 2;
    match &t.caching_options {
        None => {}
        Some(c) if *c == CachingOptions::enabled() => {
            out.open(indent, "cachingOptions");
            out.indent(indent + 2);
            out.buf.push_str("enableCache: true\n");
        }
        Some(c) => delegate(out, indent, "cachingOptions", c)?,
    }
    if plain(&t.component_ref.name).is_some() {
        out.open(indent, "componentRef");
        out.scalar(indent + 2, "name", &t.component_ref.name);
    } else {
        delegate(out, indent, "componentRef", &t.component_ref)?;
    }
    if t.dependent_tasks.iter().all(|d| plain(d).is_some()) {
        if !t.dependent_tasks.is_empty() {
            // A block sequence in a mapping is written at the key's indentation.
            out.open(indent, "dependentTasks");
            for d in &t.dependent_tasks {
                out.indent(indent);
                out.buf.push_str("- ");
                push_plain(&mut out.buf, d);
                out.buf.push('\n');
            }
        }
    } else {
        delegate(out, indent, "dependentTasks", &t.dependent_tasks)?;
    }
    if !t.inputs.is_empty() {
        if t.inputs.artifacts.is_empty() {
            out.open(indent, "inputs");
            out.open(indent + 2, "parameters");
            for (key, p) in &t.inputs.parameters {
                parameter_entry(out, indent + 4, key, p)?;
            }
        } else {
            delegate(out, indent, "inputs", &t.inputs)?;
        }
    }
    if let Some(p) = &t.iterator_policy {
        delegate(out, indent, "iteratorPolicy", p)?;
    }
    if let Some(p) = &t.parameter_iterator {
        delegate(out, indent, "parameterIterator", p)?;
    }
    if let Some(p) = &t.retry_policy {
        delegate(out, indent, "retryPolicy", p)?;
    }
    if plain(&t.task_info.name).is_some() {
        out.open(indent, "taskInfo");
        out.scalar(indent + 2, "name", &t.task_info.name);
    } else {
        delegate(out, indent, "taskInfo", &t.task_info)?;
    }
    if let Some(p) = &t.trigger_policy {
        delegate(out, indent, "triggerPolicy", p)?;
    }
    Ok(())
}

/// `key: <argument>`: another component input or a sibling's output written here, anything else
/// delegated.
fn parameter_entry(out: &mut Out<'_>, indent: usize, key: &str, p: &TaskInputParameter) -> Result<(), CompileError> {
    match (&p.source, &p.parameter_expression_selector) {
        (ParameterSource::ComponentInputParameter(input), None) if plain(key).is_some() && plain(input).is_some() => {
            out.open(indent, key);
            out.scalar(indent + 2, "componentInputParameter", input);
        }
        (ParameterSource::TaskOutputParameter(o), None)
            if plain(key).is_some()
                && plain(&o.output_parameter_key).is_some()
                && plain(&o.producer_task).is_some() =>
        {
            out.open(indent, key);
            out.open(indent + 2, "taskOutputParameter");
            out.scalar(indent + 4, "outputParameterKey", &o.output_parameter_key);
            out.scalar(indent + 4, "producerTask", &o.producer_task);
        }
        _ => delegate(out, indent, key, p)?,
    }
    Ok(())
}

/// How serde-saphyr spells `s`, as a key or a value, when `s` is in the class this writer handles:
/// an ASCII letter, then ASCII letters, digits, `-`, `_` and `.` (task, component and parameter
/// names). Such a string is never numeric, a timestamp, an indicator or in need of escapes, so it
/// is plain unless it is one of the words a YAML 1.1 or 1.2 reader takes for a bool, null or float
/// (`y`, `on`, `null`, `nan`, ...), which serde-saphyr double-quotes, unchanged inside the quotes.
/// `None` for any other string: its entry is delegated.
fn plain(s: &str) -> Option<Spelling> {
    const RETYPED: [&str; 11] = ["y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"];
    let bytes = s.as_bytes();
    // Well under serde-saphyr's 1,024-character limit for a simple key.
    let fits = bytes.len() <= 256 && bytes.first().is_some_and(u8::is_ascii_alphabetic);
    if !fits || !bytes.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')) {
        return None;
    }
    Some(if RETYPED.iter().any(|w| s.eq_ignore_ascii_case(w)) { Spelling::Quoted } else { Spelling::Plain })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Spelling {
    Plain,
    Quoted,
}

/// Writes `s`, which [`plain`] accepted.
fn push_plain(buf: &mut String, s: &str) {
    if plain(s) == Some(Spelling::Quoted) {
        buf.push('"');
        buf.push_str(s);
        buf.push('"');
    } else {
        buf.push_str(s);
    }
}

/// The map entry `key: value` at `indent`, as serde-saphyr writes it: serialized on its own as a
/// one-entry map, each non-empty line then indented.
fn delegate<V: Serialize + ?Sized>(out: &mut Out<'_>, indent: usize, key: &str, value: &V) -> Result<(), CompileError> {
    struct Entry<'a, V: ?Sized>(&'a str, &'a V);
    impl<V: Serialize + ?Sized> Serialize for Entry<'_, V> {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut map = s.serialize_map(Some(1))?;
            map.serialize_entry(self.0, self.1)?;
            map.end()
        }
    }
    let mut text = std::mem::take(&mut out.scratch);
    text.clear();
    serde_saphyr::to_fmt_writer_with_options(&mut text, &Entry(key, value), crate::yaml::options())
        .map_err(|e| CompileError::Emit(e.to_string()))?;
    for line in text.split_inclusive('\n') {
        if line != "\n" {
            out.indent(indent);
        }
        out.buf.push_str(line);
    }
    if !text.ends_with('\n') {
        let _ = writeln!(out.buf);
    }
    out.scratch = text;
    Ok(())
}
