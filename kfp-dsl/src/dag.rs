//! The builder: `&Dag` is what a pipeline function receives; calling a component on it adds a task.
//!
//! RefCell discipline: the inner state is borrowed only inside this module's own short functions,
//! never while user code (a component body, a loop body, a pipeline function) runs. Scopes are pushed
//! before a closure runs and popped by a guard after it, even if it panics.

use std::any::TypeId;
use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Deref;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use petgraph::stable_graph::StableDiGraph;

use crate::artifact::ArtifactKind;
use crate::error::{BuildError, BuildErrors, SourceLocation};
use crate::handles::{Artifact, Param};
use crate::model::{
    ArgValue, ArtifactSrc, Callee, ComponentId, ComponentSpec, DagId, Defaulted, Dep, DepKind, FmtPart, GraphId,
    GraphSpec, Pipeline, PipelineParamSpec, Scope, ScopeId, ScopeKind, TaskId, TaskNode, ValueSrc,
};
use crate::types::{self, ParamType};

mod caching;
mod control;
mod derived;
mod library;
mod patches;
mod pipeline_settings;
mod pod_surface;
mod run_values;
mod suspend;
mod sync;
pub(crate) mod task_settings;
mod triggers;

pub use control::{Branches, Upstream, UpstreamRef};
pub use triggers::TriggerUpstream;

/// How deeply scopes may nest: a backstop for a recursive Rust helper that opens scopes forever.
const MAX_SCOPE_DEPTH: usize = 256;

/// A component: implemented by `#[container_component]` (and later macros) on the function's
/// same-named twin struct.
pub trait Component: 'static {
    /// The task handle's output fields (`Param<T>` / `Artifact<K>`).
    type Outputs;

    /// The component's spec. For container components this runs the body with placeholders.
    fn spec() -> ComponentSpec;

    /// Builds the output handles of a task.
    #[doc(hidden)]
    fn __outputs(f: &OutputFactory) -> Self::Outputs;
}

/// Makes the output handles of one task (used by generated code).
#[doc(hidden)]
pub struct OutputFactory {
    dag: DagId,
    task: TaskId,
}

impl OutputFactory {
    /// The parameter output number `port`.
    pub fn param<T: ParamType>(&self, port: u32) -> Param<T> {
        Param::from_src(ValueSrc::TaskOutput { dag: self.dag, task: self.task, port })
    }

    /// The artifact output number `port`.
    pub fn artifact<K: ArtifactKind>(&self, port: u32) -> Artifact<K> {
        Artifact::from_src(ArtifactSrc { dag: self.dag, task: self.task, port })
    }
}

static NEXT_DAG: AtomicU32 = AtomicU32::new(1);

/// A pipeline under construction. Pipeline functions take `p: &Dag`; calling a component with it adds
/// a task to the current scope; `parallel_for`, `condition` and `exit_handler` open nested scopes.
pub struct Dag {
    id: DagId,
    inner: RefCell<Builder>,
}

struct Builder {
    name: String,
    description: Option<String>,
    graph: StableDiGraph<TaskNode, Dep, u32>,
    components: Vec<Arc<ComponentSpec>>,
    by_type: HashMap<TypeId, ComponentId>,
    params: Vec<PipelineParamSpec>,
    errors: Vec<BuildError>,
    scopes: Vec<Scope>,
    current: ScopeId,
    depth: usize,
    graphs: Vec<GraphSpec>,
    graph_by_type: HashMap<TypeId, GraphId>,
    expanding: Vec<GraphId>,
    formatted: Vec<Vec<FmtPart>>,
    after_scopes: Vec<(TaskId, ScopeId, SourceLocation)>,
    defaults: Vec<Defaulted>,
    default_image: Option<String>,
    binary: Option<String>,
    settings: crate::model::PipelineSettings,
    transformers: Vec<Transformer>,
    outputs: Vec<crate::model::OutputSpec>,
    returns: Vec<ValueSrc>,
    returns_location: Option<SourceLocation>,
    libraries: Vec<(ComponentId, crate::model::TemplateLibrary, SourceLocation)>,
}

/// A `for_every_task` transformer: a closure that may hold values of its own.
type Transformer = Box<dyn Fn(&mut crate::model::TaskSettings)>;

/// Pops the scope pushed by [`Dag::enter`] when dropped, even if the user's closure panics.
struct ScopeGuard<'d> {
    dag: &'d Dag,
    previous: ScopeId,
}

impl Drop for ScopeGuard<'_> {
    fn drop(&mut self) {
        let mut b = self.dag.inner.borrow_mut();
        b.current = self.previous;
        b.depth -= 1;
    }
}

impl Dag {
    pub(crate) fn new(name: String, description: Option<String>) -> Dag {
        Dag {
            id: DagId(NEXT_DAG.fetch_add(1, Ordering::Relaxed)),
            inner: RefCell::new(Builder {
                name,
                description,
                graph: StableDiGraph::default(),
                components: Vec::new(),
                by_type: HashMap::new(),
                params: Vec::new(),
                errors: Vec::new(),
                scopes: vec![Scope { kind: ScopeKind::Root, parent: None, location: SourceLocation::caller() }],
                current: ScopeId::ROOT,
                depth: 0,
                graphs: Vec::new(),
                graph_by_type: HashMap::new(),
                expanding: Vec::new(),
                formatted: Vec::new(),
                after_scopes: Vec::new(),
                defaults: Vec::new(),
                default_image: None,
                binary: None,
                settings: Default::default(),
                transformers: Vec::new(),
                outputs: Vec::new(),
                returns: Vec::new(),
                returns_location: None,
                libraries: Vec::new(),
            }),
        }
    }

    pub(crate) fn finish(self) -> Result<Pipeline, BuildErrors> {
        let mut b = self.inner.into_inner();
        if !b.transformers.is_empty() {
            for i in 0..b.graph.node_count() {
                let node = &mut b.graph[petgraph::stable_graph::NodeIndex::new(i)];
                if matches!(node.callee, Callee::Component(_)) {
                    for f in &b.transformers {
                        f(node.settings_mut());
                    }
                }
            }
        }
        if !b.errors.is_empty() {
            return Err(BuildErrors(b.errors));
        }
        Ok(Pipeline {
            name: b.name,
            description: b.description,
            params: b.params,
            components: b.components,
            graph: b.graph,
            scopes: b.scopes,
            graphs: b.graphs,
            formatted: b.formatted,
            after_scopes: b.after_scopes,
            defaults: b.defaults,
            default_image: b.default_image,
            binary: b.binary,
            settings: b.settings,
            outputs: b.outputs,
            returns: b.returns,
            returns_location: b.returns_location,
            libraries: b.libraries,
        })
    }

    /// Records what the pipeline function returned as the run's outputs (used by `#[pipeline]` and
    /// [`Pipeline::build`]).
    #[doc(hidden)]
    #[track_caller]
    pub fn __returns<R: crate::GraphReturn>(&self, returned: &R) {
        let mut values = Vec::new();
        returned.__values(&mut values);
        let mut b = self.inner.borrow_mut();
        b.outputs = crate::graph::output_specs::<R>();
        b.returns = values;
        b.returns_location = Some(SourceLocation::caller());
    }

    /// Sets the image Rust function components run in when they name none (it must hold the pipeline
    /// binary).
    pub fn set_default_image(&self, image: impl Into<String>) {
        self.inner.borrow_mut().default_image = Some(image.into());
    }

    /// Sets the pipeline binary's name in the image (default: the Cargo binary's name).
    pub fn set_binary(&self, binary: impl Into<String>) {
        self.inner.borrow_mut().binary = Some(binary.into());
    }

    /// Used by `#[pipeline]`: the default image and the binary's name.
    #[doc(hidden)]
    pub fn __configure(&self, image: Option<&str>, binary: Option<&str>) {
        let mut b = self.inner.borrow_mut();
        b.default_image = image.map(str::to_owned);
        b.binary = binary.map(str::to_owned);
    }

    /// Declares a pipeline parameter with no default (it must be given when the run is submitted).
    #[track_caller]
    pub fn param<T: ParamType>(&self, name: &str) -> Param<T> {
        self.__input(name, None, None, SourceLocation::caller())
    }

    /// Declares a pipeline parameter with a default.
    #[track_caller]
    pub fn param_with_default<T: ParamType>(&self, name: &str, default: impl crate::Literal<T>) -> Param<T> {
        self.__input(name, Some(default.__into_value()), None, SourceLocation::caller())
    }

    /// Declares a pipeline parameter (used by `#[pipeline]`).
    #[doc(hidden)]
    pub fn __input<T: ParamType>(
        &self,
        name: &str,
        default: Option<T>,
        description: Option<&str>,
        location: SourceLocation,
    ) -> Param<T> {
        let default = default.map(|d| types::render(&d));
        let mut b = self.inner.borrow_mut();
        if let Err(reason) = check_param_name(name) {
            b.errors.push(BuildError::InvalidName {
                location,
                what: "pipeline parameter",
                name: name.to_owned(),
                reason,
            });
        } else if b.params.iter().any(|p| p.name == name) {
            b.errors.push(BuildError::DuplicateParam { location, name: name.to_owned() });
        }
        let index = b.params.len() as u32;
        b.params.push(PipelineParamSpec {
            name: name.to_owned(),
            type_name: T::KFP_TYPE,
            default,
            description: description.map(str::to_owned),
            location,
            parse: types::normalize::<T>,
        });
        Param::from_src(ValueSrc::PipelineParam { dag: self.id, index })
    }

    /// Opens a scope of `kind` under the current one; the guard closes it.
    fn enter(&self, kind: ScopeKind, location: SourceLocation) -> Option<(ScopeId, ScopeGuard<'_>)> {
        let mut b = self.inner.borrow_mut();
        if b.depth >= MAX_SCOPE_DEPTH {
            b.errors.push(BuildError::TooDeep { location, depth: MAX_SCOPE_DEPTH });
            return None;
        }
        let parent = match kind {
            ScopeKind::Graph(_) => None,
            _ => Some(b.current),
        };
        let id = ScopeId(b.scopes.len() as u32);
        b.scopes.push(Scope { kind, parent, location });
        let previous = b.current;
        b.current = id;
        b.depth += 1;
        Some((id, ScopeGuard { dag: self, previous }))
    }

    /// Whether tasks added now are inside a loop (at any depth).
    pub(crate) fn in_loop(&self) -> bool {
        let b = self.inner.borrow();
        let mut scope = Some(b.current);
        while let Some(s) = scope {
            let s = &b.scopes[s.index()];
            if matches!(s.kind, ScopeKind::Loop(_)) {
                return true;
            }
            scope = s.parent;
        }
        false
    }

    pub(crate) fn push_error(&self, e: BuildError) {
        self.inner.borrow_mut().errors.push(e);
    }

    fn check_foreign(&self, v: &ValueSrc, location: SourceLocation, component: &str, input: &str) {
        if v.dag().is_some_and(|d| d != self.id) {
            self.push_error(BuildError::ForeignHandle {
                location,
                component: component.to_owned(),
                input: input.to_owned(),
            });
        }
    }

    fn component_id<C: Component>(&self, location: SourceLocation) -> ComponentId {
        let key = TypeId::of::<C>();
        if let Some(&id) = self.inner.borrow().by_type.get(&key) {
            return id;
        }
        // The spec runs the user's component body: no borrow is held here.
        let spec = C::spec();
        let problems = spec.check();
        let mut b = self.inner.borrow_mut();
        if !problems.is_empty() {
            b.errors.push(BuildError::InvalidComponent { location, component: spec.name.clone(), problems });
        }
        let id = ComponentId(b.components.len() as u32);
        b.components.push(Arc::new(spec));
        b.by_type.insert(key, id);
        id
    }

    /// Adds a task calling component `C` (used by the component macros' generated functions).
    #[doc(hidden)]
    pub fn __add_task<C: Component>(&self, location: SourceLocation, args: Vec<ArgValue>) -> Task<'_, C::Outputs> {
        let component = self.component_id::<C>(location);
        let task = self.add_call(Callee::Component(component), location, args);
        let outputs = C::__outputs(&OutputFactory { dag: self.id, task });
        Task { dag: self, id: task, outputs }
    }

    /// Registers a component known only at run time (once per distinct spec).
    pub(crate) fn dynamic_component(&self, spec: &ComponentSpec, location: SourceLocation) -> ComponentId {
        let mut b = self.inner.borrow_mut();
        if let Some(i) = b.components.iter().position(|c| **c == *spec) {
            return ComponentId(i as u32);
        }
        let problems = spec.check();
        if !problems.is_empty() {
            b.errors.push(BuildError::InvalidComponent { location, component: spec.name.clone(), problems });
        }
        b.components.push(Arc::new(spec.clone()));
        ComponentId(b.components.len() as u32 - 1)
    }

    pub(crate) fn add_component_call(&self, c: ComponentId, location: SourceLocation, args: Vec<ArgValue>) -> TaskId {
        self.add_call(Callee::Component(c), location, args)
    }

    pub(crate) fn task_handle<O>(&self, id: TaskId, outputs: O) -> Task<'_, O> {
        Task { dag: self, id, outputs }
    }

    pub(crate) fn with_component<R>(&self, c: ComponentId, f: impl FnOnce(&ComponentSpec) -> R) -> R {
        let b = self.inner.borrow();
        f(&b.components[c.index()])
    }

    pub(crate) fn id(&self) -> DagId {
        self.id
    }

    pub(crate) fn with_pipeline_settings(
        &self,
        f: impl FnOnce(&mut crate::model::PipelineSettings) -> Result<(), String>,
    ) -> Result<(), String> {
        f(&mut self.inner.borrow_mut().settings)
    }

    pub(crate) fn add_transformer(&self, f: Transformer) {
        self.inner.borrow_mut().transformers.push(f);
    }

    pub(crate) fn param_name(&self, index: u32) -> String {
        self.inner.borrow().params[index as usize].name.clone()
    }

    fn add_call(&self, callee: Callee, location: SourceLocation, mut args: Vec<ArgValue>) -> TaskId {
        let mut b = self.inner.borrow_mut();
        let b = &mut *b;
        // An optional input left out takes its default, if it has one.
        if let Callee::Component(c) = callee {
            for (arg, input) in args.iter_mut().zip(&b.components[c.index()].inputs) {
                if let (ArgValue::Absent, Some(d)) = (&*arg, &input.default) {
                    *arg = ArgValue::Const(d.clone());
                }
            }
        }
        let task = TaskId(b.graph.node_count() as u32);
        let mut producers: Vec<TaskId> = Vec::new();
        for (i, arg) in args.iter().enumerate() {
            let src = match arg {
                ArgValue::Const(_) | ArgValue::Absent => continue,
                ArgValue::Param(src) | ArgValue::ArtifactList(src) => *src,
                ArgValue::Artifact(a) => {
                    if a.dag == self.id {
                        producers.push(a.task);
                    } else {
                        let err = b.foreign(callee, i, location);
                        b.errors.push(err);
                    }
                    continue;
                }
            };
            if let ValueSrc::ComponentInput(_) = src {
                let (component, input) = b.names(callee, i);
                b.errors.push(BuildError::PlaceholderArgument { location, component, input });
            } else if src.dag().is_some_and(|d| d != self.id) {
                let err = b.foreign(callee, i, location);
                b.errors.push(err);
            } else {
                b.producers(src, &mut producers);
            }
        }
        let node = b.graph.add_node(TaskNode { callee, scope: b.current, args, location, settings: None });
        debug_assert_eq!(node.index(), task.index());
        producers.sort_unstable();
        producers.dedup();
        for p in producers {
            b.graph.add_edge(p.node(), task.node(), Dep { kind: DepKind::Data, location });
        }
        task
    }

    fn after(&self, task: TaskId, other: UpstreamRef, location: SourceLocation) {
        let mut b = self.inner.borrow_mut();
        match other {
            UpstreamRef::Task(dag, _) | UpstreamRef::Scope(dag, _) if dag != self.id => {
                b.errors.push(BuildError::ForeignTask { location });
            }
            UpstreamRef::Task(_, other)
                if b.graph
                    .edges_connecting(other.node(), task.node())
                    .any(|e| matches!(e.weight().kind, DepKind::Trigger(_))) =>
            {
                let reason =
                    "the task already runs `after_finished` or `after_failed` this task: remove one".to_owned();
                b.errors.push(BuildError::InvalidSetting { location, reason });
            }
            UpstreamRef::Task(_, other) => {
                b.graph.add_edge(other.node(), task.node(), Dep { kind: DepKind::After, location });
            }
            UpstreamRef::Scope(_, scope) => b.after_scopes.push((task, scope, location)),
            UpstreamRef::Nothing => b.errors.push(BuildError::NotUpstream { location }),
        }
    }

    fn with_task(&self, task: TaskId, f: impl FnOnce(&mut TaskNode, &mut Vec<BuildError>)) {
        let mut b = self.inner.borrow_mut();
        let b = &mut *b;
        f(&mut b.graph[task.node()], &mut b.errors);
    }
}

impl Builder {
    fn names(&self, callee: Callee, input: usize) -> (String, String) {
        let (name, inputs) = match callee {
            Callee::Component(c) => (&self.components[c.index()].name, &self.components[c.index()].inputs),
            Callee::Graph(g) => (&self.graphs[g.index()].interface.name, &self.graphs[g.index()].interface.inputs),
        };
        (name.clone(), inputs.get(input).map_or_else(String::new, |i| i.name.clone()))
    }

    fn foreign(&self, callee: Callee, input: usize, location: SourceLocation) -> BuildError {
        let (component, input) = self.names(callee, input);
        BuildError::ForeignHandle { location, component, input }
    }

    /// The tasks whose outputs `src` reads (for the task graph's data edges).
    fn producers(&self, src: ValueSrc, out: &mut Vec<TaskId>) {
        match src {
            ValueSrc::TaskOutput { task, .. } => out.push(task),
            ValueSrc::LoopOutput { scope, index, .. } => {
                if let ScopeKind::Loop(l) = &self.scopes[scope.index()].kind
                    && let Some(o) = l.outputs.get(index as usize)
                {
                    self.producers(o.value, out);
                }
            }
            ValueSrc::Defaulted { index, .. } => self.producers(self.defaults[index as usize].value, out),
            ValueSrc::Formatted { index, .. } => {
                for part in &self.formatted[index as usize] {
                    if let FmtPart::Value(v) = part {
                        self.producers(*v, out);
                    }
                }
            }
            _ => {}
        }
    }

    /// Whether a condition lies between the current scope and `graph_scope` (recursion must be
    /// guarded by one, or it never ends).
    fn guarded_by_condition(&self, graph_scope: ScopeId) -> bool {
        let mut s = Some(self.current);
        while let Some(id) = s {
            if id == graph_scope {
                return false;
            }
            if matches!(self.scopes[id.index()].kind, ScopeKind::Condition(_)) {
                return true;
            }
            s = self.scopes[id.index()].parent;
        }
        false
    }
}

impl std::fmt::Debug for Dag {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Dag").field("id", &self.id).finish_non_exhaustive()
    }
}

/// Argo parameter names: `[-a-zA-Z0-9_]+`.
pub(crate) fn check_param_name(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("a name cannot be empty".to_owned());
    }
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_')) {
        return Err(format!("`{c}` is not allowed (use letters, digits, `-` and `_`)"));
    }
    Ok(())
}

/// A task: one call of a component. Its output fields (`t.model`, `t.accuracy`, ...) are reached
/// through `Deref`. A task is a small `Copy` handle: settings are methods that take it by value and
/// return it, so they chain (`let t = train(p, d).display_name("Train");`) and also work as statements
/// (`t.after(&other);`).
pub struct Task<'a, O> {
    dag: &'a Dag,
    id: TaskId,
    outputs: O,
}

impl<O: Copy> Clone for Task<'_, O> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<O: Copy> Copy for Task<'_, O> {}

impl<'a, O> Task<'a, O> {
    pub(crate) fn dag_id(&self) -> DagId {
        self.dag.id()
    }

    pub(crate) fn dag_ref(&self) -> &'a Dag {
        self.dag
    }

    pub(crate) fn outputs_ref(&self) -> &O {
        &self.outputs
    }
}

impl<O> Task<'_, O> {
    /// Changes the task's settings; returns `f`'s complaint, if any.
    pub(crate) fn with_settings(
        &self,
        f: impl FnOnce(&mut crate::model::TaskSettings) -> Result<(), String>,
    ) -> Option<String> {
        let mut problem = None;
        let mut callee = None;
        self.dag.with_task(self.id, |t, _| {
            let before = t.settings.as_deref().map_or(0, crate::model::container_settings);
            problem = f(t.settings_mut()).err();
            if problem.is_none() && crate::model::container_settings(t.settings_mut()) > before {
                callee = Some(t.callee);
            }
        });
        if let Some(Callee::Component(c)) = callee
            && self.dag.with_component(c, |spec| spec.resource_spec().is_some())
        {
            problem = Some(
                "this is a resource step: Argo runs no container of yours, so container settings \
                 (resources, env, volumes, extra containers, pull policy, security context) do not apply"
                    .to_owned(),
            );
        }
        problem
    }

    pub(crate) fn push_setting_error(&self, location: SourceLocation, reason: String) {
        self.dag.push_error(BuildError::InvalidSetting { location, reason });
    }

    /// The name of the pipeline parameter `src` is, if it is one of this pipeline's.
    pub(crate) fn pipeline_param_name(&self, src: ValueSrc) -> Option<String> {
        match src {
            ValueSrc::PipelineParam { dag, index } if dag == self.dag.id() => Some(self.dag.param_name(index)),
            _ => None,
        }
    }
}

impl<O: Copy> Task<'_, O> {
    /// The task's id in the pipeline graph.
    pub fn id(&self) -> TaskId {
        self.id
    }

    /// Runs this task only after `other` has finished, even though no data flows between them.
    /// `other` is a task, a finished loop (what `parallel_for` returns), a condition's branches (what
    /// `condition` returns), or a value (after the task or loop producing it). A task after something
    /// inside a loop or condition runs after the whole loop or condition, as in kfp. A cycle made this
    /// way is reported when the pipeline is compiled, with this call's location.
    #[track_caller]
    pub fn after(self, other: &impl Upstream) -> Self {
        let location = SourceLocation::caller();
        for u in other.__upstream() {
            self.dag.after(self.id, u, location);
        }
        self
    }

    /// The name shown for the task in the Kubeflow Pipelines UI.
    pub fn display_name(self, name: impl Into<String>) -> Self {
        let name = name.into();
        self.dag.with_task(self.id, |t, _| t.settings_mut().display_name = Some(name));
        self
    }

    /// Sets the task's name in the workflow (by default the component's name, made unique with
    /// `-2`, `-3`, ...). Two explicit names that are equal after sanitising are an error.
    #[track_caller]
    pub fn task_name(self, name: impl Into<String>) -> Self {
        let name = name.into();
        let location = SourceLocation::caller();
        self.dag.with_task(self.id, |t, errors| {
            if !name.chars().any(|c| c.is_ascii_alphanumeric()) {
                errors.push(BuildError::InvalidName {
                    location,
                    what: "task name",
                    name: name.clone(),
                    reason: "it needs at least one letter or digit".to_owned(),
                });
            }
            t.settings_mut().explicit_name = Some((name, location));
        });
        self
    }
}

impl<O> Deref for Task<'_, O> {
    type Target = O;
    fn deref(&self) -> &O {
        &self.outputs
    }
}

impl<O> std::fmt::Debug for Task<'_, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Task").field("id", &self.id).finish_non_exhaustive()
    }
}
