//! Typed ids: a dag under construction, a task, a scope, a graph component, a component.

use petgraph::stable_graph::NodeIndex;

/// Identifies a `Dag` under construction; handles carry it so a handle from another pipeline is
/// caught.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DagId(pub(crate) u32);

/// Identifies a task in a pipeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TaskId(pub(crate) u32);

impl TaskId {
    /// A dense index (0, 1, 2, ... in creation order), for side tables.
    pub fn index(self) -> usize {
        self.0 as usize
    }

    pub(crate) fn node(self) -> NodeIndex<u32> {
        NodeIndex::new(self.0 as usize)
    }
}

/// Identifies a scope (the root, a loop, a condition, ...) in a pipeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScopeId(pub(crate) u32);

impl ScopeId {
    /// The pipeline's root scope.
    pub const ROOT: ScopeId = ScopeId(0);

    /// A dense index (0 is the root), for side tables.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

pub(crate) fn scope_from_index(i: u32) -> ScopeId {
    ScopeId(i)
}

/// Identifies a graph component in a pipeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct GraphId(pub(crate) u32);

impl GraphId {
    /// A dense index, for side tables.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Identifies a component in a pipeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ComponentId(pub(crate) u32);

impl ComponentId {
    /// A dense index, for side tables.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}
