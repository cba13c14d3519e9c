//! Scopes: the nested groups of a pipeline (loops, conditions, exit handlers, graph component bodies).
//! Each becomes a DAG template in the compiled workflow.

use crate::cond::Cond;
use crate::error::SourceLocation;
use crate::handles::ValueSrc;
use crate::pipeline::{GraphId, ScopeId};

/// What a loop iterates over.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum LoopSource {
    /// A list known when the pipeline is built (Argo `withItems`).
    Static(Vec<serde_json::Value>),
    /// A JSON list known at run time: a parameter, a task output, an item's field (Argo `withParam`).
    Param(ValueSrc),
}

/// One loop.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct LoopScope {
    /// The items.
    pub source: LoopSource,
    /// At most this many iterations run at once.
    pub parallelism: Option<u32>,
    /// The values the body returned, collected into lists after the loop.
    pub outputs: Vec<LoopOutputSpec>,
}

/// A value a loop body returns.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct LoopOutputSpec {
    /// The value, in the loop body.
    pub value: ValueSrc,
    /// The kfp type of one element.
    pub type_name: &'static str,
}

/// What a scope is.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum ScopeKind {
    /// The pipeline itself.
    Root,
    /// A `parallel_for` body.
    Loop(LoopScope),
    /// A `condition` branch: runs when `cond` holds.
    Condition(Cond),
    /// What an `exit_handler` wraps; `exit` is the scope of its exit tasks.
    ExitBody {
        /// The scope holding the exit tasks.
        exit: ScopeId,
    },
    /// The tasks that run when an exit handler's body finishes, however it ends.
    ExitTasks {
        /// The body they follow.
        body: ScopeId,
    },
    /// A graph component's body.
    Graph(GraphId),
}

/// A scope: its kind, its parent, and where the user opened it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Scope {
    /// What it is.
    pub kind: ScopeKind,
    /// The enclosing scope (`None` for the root and for graph bodies, which are templates of their own).
    pub parent: Option<ScopeId>,
    /// The `parallel_for` / `condition` / ... call.
    pub location: SourceLocation,
}
