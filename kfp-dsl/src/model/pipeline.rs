//! The finished, type-erased pipeline: parameters, components and the task graph.

use std::sync::Arc;

use petgraph::Direction;
use petgraph::stable_graph::StableDiGraph;

use crate::error::SourceLocation;
use crate::model::{
    ArgValue, ComponentId, ComponentSpec, FmtPart, GraphId, InputSpec, OutputSpec, Scope, ScopeId, TaskId,
    TaskSettings, ValueSrc,
};

/// What a task calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Callee {
    /// A component (a container template).
    Component(ComponentId),
    /// A graph component (a DAG template).
    Graph(GraphId),
}

/// A graph component as built: its interface, the scope holding its body, and what it returns.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct GraphSpec {
    /// Name, inputs, outputs.
    pub interface: GraphInterface,
    /// The body's scope.
    pub scope: ScopeId,
    /// The returned values, one per output.
    pub returns: Vec<ValueSrc>,
    /// Where it was first called.
    pub location: SourceLocation,
}

/// A pipeline parameter.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct PipelineParamSpec {
    /// The name.
    pub name: String,
    /// The kfp type name.
    pub type_name: &'static str,
    /// The default, as a parameter string.
    pub default: Option<String>,
    /// From the doc comment.
    pub description: Option<String>,
    /// Where it was declared.
    pub location: SourceLocation,
    /// Checks a command-line value against the type and renders it canonically.
    pub(crate) parse: fn(&str) -> Result<String, String>,
}

impl PipelineParamSpec {
    /// Parses a value given as text (on the command line) into the parameter's canonical string.
    ///
    /// # Errors
    /// The reason, when `value` is not a valid value of the parameter's type.
    pub fn parse_value(&self, value: &str) -> Result<String, String> {
        (self.parse)(value)
    }
}

/// Why a task depends on another.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DepKind {
    /// It consumes an output of the other.
    Data,
    /// `.after(...)` says so.
    After,
    /// `.after_finished(..)` / `.after_failed(..)`: it runs when the other ended in a way the trigger
    /// names, not only when it succeeded.
    Trigger(crate::model::Trigger),
}

/// A dependency edge, with the call that made it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dep {
    /// Why.
    pub kind: DepKind,
    /// The call that made it.
    pub location: SourceLocation,
}

/// One call of a component or graph component.
#[derive(Clone, Debug)]
pub struct TaskNode {
    pub(crate) callee: Callee,
    pub(crate) scope: ScopeId,
    pub(crate) args: Vec<ArgValue>,
    pub(crate) location: SourceLocation,
    /// Per-task settings; boxed because most tasks have none, and the node stays small.
    pub(crate) settings: Option<Box<TaskSettings>>,
}

impl TaskNode {
    pub(crate) fn settings_mut(&mut self) -> &mut TaskSettings {
        self.settings.get_or_insert_with(Box::default)
    }

    /// What the task calls.
    pub fn callee(&self) -> Callee {
        self.callee
    }

    /// The scope the task is in.
    pub fn scope(&self) -> ScopeId {
        self.scope
    }

    /// The arguments, one per input of the callee, in its input order.
    pub fn args(&self) -> &[ArgValue] {
        &self.args
    }

    /// Where the component was called.
    pub fn location(&self) -> SourceLocation {
        self.location
    }

    /// The name set with `.task_name(..)`, and where.
    pub fn explicit_name(&self) -> Option<(&str, SourceLocation)> {
        self.settings.as_ref()?.explicit_name.as_ref().map(|(n, l)| (n.as_str(), *l))
    }

    /// The task's settings, if it has any.
    pub fn settings(&self) -> Option<&TaskSettings> {
        self.settings.as_deref()
    }

    /// The name set with `.display_name(..)`.
    pub fn display_name(&self) -> Option<&str> {
        self.settings.as_ref()?.display_name.as_deref()
    }
}

/// A built pipeline: what the compiler consumes. Type-erased: the types were checked by rustc when
/// the pipeline was written.
#[derive(Clone, Debug)]
pub struct Pipeline {
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) params: Vec<PipelineParamSpec>,
    pub(crate) components: Vec<Arc<ComponentSpec>>,
    pub(crate) graph: StableDiGraph<TaskNode, Dep, u32>,
    pub(crate) scopes: Vec<Scope>,
    pub(crate) graphs: Vec<GraphSpec>,
    pub(crate) formatted: Vec<Vec<FmtPart>>,
    pub(crate) after_scopes: Vec<(TaskId, ScopeId, SourceLocation)>,
    pub(crate) defaults: Vec<Defaulted>,
    pub(crate) default_image: Option<String>,
    pub(crate) binary: Option<String>,
    pub(crate) settings: crate::model::PipelineSettings,
    pub(crate) outputs: Vec<OutputSpec>,
    pub(crate) returns: Vec<ValueSrc>,
    pub(crate) returns_location: Option<SourceLocation>,
    pub(crate) libraries: Vec<(ComponentId, crate::model::TemplateLibrary, SourceLocation)>,
}

/// A task output with a value for when its condition skipped it (`Dag::default_if_skipped`).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Defaulted {
    /// The task output.
    pub value: ValueSrc,
    /// The parameter string to use when the task did not run.
    pub default: String,
    /// Where the default was given.
    pub location: SourceLocation,
}

/// The name, inputs and outputs of what a task calls.
#[derive(Clone, Copy, Debug)]
pub struct Interface<'p> {
    /// The callee's name.
    pub name: &'p str,
    /// Its inputs.
    pub inputs: &'p [InputSpec],
    /// Its outputs.
    pub outputs: &'p [OutputSpec],
}

impl Pipeline {
    /// The pipeline's name as the user wrote it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The description.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// The pipeline parameters, in declaration order.
    pub fn params(&self) -> &[PipelineParamSpec] {
        &self.params
    }

    /// The run's outputs: what the pipeline function returned (`output`, or `output_0`, `output_1`,
    /// ... for a tuple), declared on the entry DAG.
    pub fn outputs(&self) -> &[OutputSpec] {
        &self.outputs
    }

    /// The values returned, one per output.
    pub fn returns(&self) -> &[ValueSrc] {
        &self.returns
    }

    /// The library component `c`'s template comes from (`Dag::from_library`), and where that was said.
    pub fn template_library(&self, c: ComponentId) -> Option<(&crate::model::TemplateLibrary, SourceLocation)> {
        self.libraries.iter().find(|(id, _, _)| *id == c).map(|(_, l, at)| (l, *at))
    }

    /// Every component taken from a library.
    pub fn template_libraries(
        &self,
    ) -> impl Iterator<Item = (ComponentId, &crate::model::TemplateLibrary, SourceLocation)> {
        self.libraries.iter().map(|(c, l, at)| (*c, l, *at))
    }

    /// Where the pipeline returned its outputs: the pipeline function's return type.
    pub fn returns_location(&self) -> Option<SourceLocation> {
        self.returns_location
    }

    /// The components used, in first-use order.
    pub fn components(&self) -> impl ExactSizeIterator<Item = (ComponentId, &ComponentSpec)> {
        self.components.iter().enumerate().map(|(i, c)| (ComponentId(i as u32), &**c))
    }

    /// One component.
    pub fn component(&self, id: ComponentId) -> &ComponentSpec {
        &self.components[id.index()]
    }

    /// The name, inputs and outputs of a callee.
    pub fn interface(&self, callee: Callee) -> Interface<'_> {
        match callee {
            Callee::Component(c) => {
                let c = self.component(c);
                Interface { name: &c.name, inputs: &c.inputs, outputs: &c.outputs }
            }
            Callee::Graph(g) => {
                let g = &self.graphs[g.index()].interface;
                Interface { name: &g.name, inputs: &g.inputs, outputs: &g.outputs }
            }
        }
    }

    /// Every scope; index 0 is the root.
    pub fn scopes(&self) -> &[Scope] {
        &self.scopes
    }

    /// One scope.
    pub fn scope(&self, id: ScopeId) -> &Scope {
        &self.scopes[id.index()]
    }

    /// The graph components, in first-use order.
    pub fn graphs(&self) -> impl ExactSizeIterator<Item = (GraphId, &GraphSpec)> {
        self.graphs.iter().enumerate().map(|(i, g)| (GraphId(i as u32), g))
    }

    /// One graph component.
    pub fn graph_spec(&self, id: GraphId) -> &GraphSpec {
        &self.graphs[id.index()]
    }

    /// The parts of a string built with `fmt_param!`.
    pub fn formatted(&self, index: u32) -> &[FmtPart] {
        &self.formatted[index as usize]
    }

    /// `.after(..)` dependencies of a task on a whole scope (a loop, a condition's branch):
    /// `(task, scope, location)`.
    pub fn after_scopes(&self) -> &[(TaskId, ScopeId, SourceLocation)] {
        &self.after_scopes
    }

    /// The pipeline-wide settings.
    pub fn settings(&self) -> &crate::model::PipelineSettings {
        &self.settings
    }

    /// The image Rust function components run in when they name none.
    pub fn default_image(&self) -> Option<&str> {
        self.default_image.as_deref()
    }

    /// The pipeline binary's name in the image (the command Rust function components run).
    pub fn binary(&self) -> Option<&str> {
        self.binary.as_deref()
    }

    /// The executor of the function component named `name`.
    pub fn executor(&self, name: &str) -> Option<crate::model::Executor> {
        self.components.iter().find(|c| c.name == name).and_then(|c| c.executor())
    }

    /// A value made by `default_if_skipped`.
    pub fn defaulted(&self, index: u32) -> &Defaulted {
        &self.defaults[index as usize]
    }

    /// How many tasks.
    pub fn task_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Every task, in creation order.
    pub fn task_ids(&self) -> impl ExactSizeIterator<Item = TaskId> + use<'_> {
        (0..self.graph.node_count() as u32).map(TaskId)
    }

    /// One task.
    pub fn task(&self, id: TaskId) -> &TaskNode {
        &self.graph[id.node()]
    }

    /// The tasks `id` depends on, with the reason (one entry per edge; may repeat a task).
    pub fn upstream(&self, id: TaskId) -> impl Iterator<Item = (TaskId, &Dep)> {
        self.graph
            .edges_directed(id.node(), Direction::Incoming)
            .map(|e| (TaskId(petgraph::visit::EdgeRef::source(&e).index() as u32), e.weight()))
    }

    /// The tasks that depend on `id` (one entry per edge).
    pub fn downstream(&self, id: TaskId) -> impl Iterator<Item = TaskId> + use<'_> {
        self.graph.neighbors_directed(id.node(), Direction::Outgoing).map(|n| TaskId(n.index() as u32))
    }

    /// The dependency cycles, each as the edges that close it: every strongly connected set of more
    /// than one task, and every task that depends on itself.
    pub fn cycles(&self) -> Vec<Vec<(TaskId, TaskId, Dep)>> {
        let mut out = Vec::new();
        for scc in petgraph::algo::tarjan_scc(&self.graph) {
            let members: std::collections::HashSet<_> = scc.iter().copied().collect();
            let self_loop = scc.len() == 1 && self.graph.contains_edge(scc[0], scc[0]);
            if scc.len() < 2 && !self_loop {
                continue;
            }
            let mut edges = Vec::new();
            for &n in &scc {
                for e in self.graph.edges_directed(n, Direction::Outgoing) {
                    let t = petgraph::visit::EdgeRef::target(&e);
                    if members.contains(&t) {
                        edges.push((TaskId(n.index() as u32), TaskId(t.index() as u32), *e.weight()));
                    }
                }
            }
            edges.sort_by_key(|(a, b, _)| (*a, *b));
            out.push(edges);
        }
        out.sort_by_key(|c| c.first().map(|e| e.0));
        out
    }
}

/// The interface of a graph component: name, description, typed inputs and outputs.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct GraphInterface {
    /// The name (the function's).
    pub name: String,
    /// From the doc comment.
    pub description: Option<String>,
    /// Inputs, in signature order (parameters only).
    pub inputs: Vec<InputSpec>,
    /// Outputs: `output` for a single returned value, `output_0`, `output_1`, ... for a tuple.
    pub outputs: Vec<OutputSpec>,
}
