//! Pictures of a pipeline: its tasks, their dependencies (labelled with the values passed), and its
//! scopes (loops, conditions, exit handlers, graph components) as nested boxes, written as Mermaid,
//! Graphviz DOT, or a standalone SVG laid out here (no Graphviz or browser needed).
//!
//! Everything is drawn from the type-erased model ([`Pipeline`]) and the task names the compiler
//! gives (the names a run shows), never from a backend's output. [`build`] makes the [`Graph`] to
//! draw; `mermaid`, `dot` and `svg` (with `layout`) write it. Names and labels are the user's text:
//! each writer escapes them for its format.

mod build;
mod dot;
mod layout;
mod mermaid;
mod svg;
#[cfg(test)]
mod tests;

use kfp_dsl::Pipeline;

use crate::error::CompileError;

/// The pipeline as Mermaid flowchart text (`flowchart TB`), for Markdown renderers that draw it.
///
/// # Errors
/// What compilation refuses before planning: an empty pipeline, a dependency cycle, a task-name clash.
pub fn to_mermaid(pipeline: &Pipeline) -> Result<String, CompileError> {
    Ok(mermaid::write(&build::build(pipeline)?))
}

/// The pipeline as Graphviz DOT text (`dot -Tsvg` draws it), scopes as `cluster_` subgraphs.
///
/// # Errors
/// As [`to_mermaid`].
pub fn to_dot(pipeline: &Pipeline) -> Result<String, CompileError> {
    Ok(dot::write(&build::build(pipeline)?))
}

/// The pipeline as a standalone SVG document, laid out in layers (no Graphviz or browser needed).
///
/// # Errors
/// As [`to_mermaid`].
pub fn to_svg(pipeline: &Pipeline) -> Result<String, CompileError> {
    let graph = build::build(pipeline)?;
    let placed = layout::layout(&graph);
    Ok(svg::write(&graph, &placed))
}

/// What to draw: boxes for tasks, nested boxes for scopes, arrows between tasks.
#[derive(Debug)]
pub(crate) struct Graph {
    /// The pipeline's name.
    pub(crate) title: String,
    /// Tasks, in creation order.
    pub(crate) nodes: Vec<Node>,
    /// Scopes that hold a task (directly or below), parents before children.
    pub(crate) clusters: Vec<Cluster>,
    /// Dependencies, sorted and without duplicates.
    pub(crate) edges: Vec<Edge>,
}

/// A task.
#[derive(Debug)]
pub(crate) struct Node {
    /// Its name in the compiled workflow.
    pub(crate) name: String,
    /// What it calls (a component, or `graph NAME`), or its display name when it has one.
    pub(crate) detail: String,
    /// The innermost scope it is in (`None`: the pipeline's root).
    pub(crate) cluster: Option<usize>,
    /// It calls a graph component.
    pub(crate) calls_graph: bool,
}

/// A scope drawn as a box around its tasks.
#[derive(Debug)]
pub(crate) struct Cluster {
    /// What it is: `for each ...`, `if ...`, `exit handler`, `on exit`, `graph NAME`.
    pub(crate) label: String,
    /// The enclosing box (`None`: the pipeline's root).
    pub(crate) parent: Option<usize>,
}

/// Why an arrow is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum EdgeKind {
    /// Values flow along it.
    Data,
    /// An ordering only (`.after(..)`, or after a whole scope).
    After,
    /// `.after_finished(..)` / `.after_failed(..)`.
    Trigger,
    /// An exit handler's body, then its exit tasks.
    Exit,
    /// A graph component call, to the body's first tasks.
    Calls,
}

/// An arrow between two tasks.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Edge {
    /// The upstream task (index into [`Graph::nodes`]).
    pub(crate) from: usize,
    /// The downstream task.
    pub(crate) to: usize,
    /// Why.
    pub(crate) kind: EdgeKind,
    /// The values passed (`model`, `out→data`), or the trigger; empty for none.
    pub(crate) label: String,
}

impl Graph {
    /// The chain of clusters from `c` up to the root, innermost first.
    pub(crate) fn ancestors(&self, c: Option<usize>) -> Vec<usize> {
        let mut out = Vec::new();
        let mut at = c;
        while let Some(i) = at {
            out.push(i);
            at = self.clusters[i].parent;
        }
        out
    }
}
