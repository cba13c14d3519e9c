//! The builder: `&Dag` is what a pipeline function receives; calling a component on it adds a task.
//!
//! RefCell discipline: the inner state is borrowed only inside this module's own short functions,
//! never while user code (a component body, a pipeline function) runs.

use std::any::TypeId;
use std::cell::RefCell;
use std::collections::HashMap;
use std::ops::Deref;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use petgraph::stable_graph::StableDiGraph;

use crate::artifact::ArtifactKind;
use crate::error::{BuildError, BuildErrors, SourceLocation};
use crate::handles::{Artifact, ArtifactSrc, Param, ValueSrc};
use crate::pipeline::{
    ComponentId, DagId, Dep, DepKind, Pipeline, PipelineParamSpec, TaskId, TaskNode,
};
use crate::spec::ComponentSpec;
use crate::types::{self, ParamType};
use crate::wire::ArgValue;

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
/// a task.
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
            }),
        }
    }

    pub(crate) fn finish(self) -> Result<Pipeline, BuildErrors> {
        let b = self.inner.into_inner();
        if !b.errors.is_empty() {
            return Err(BuildErrors(b.errors));
        }
        Ok(Pipeline {
            name: b.name,
            description: b.description,
            params: b.params,
            components: b.components,
            graph: b.graph,
        })
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
        let task = {
            let mut b = self.inner.borrow_mut();
            let b = &mut *b;
            let task = TaskId(b.graph.node_count() as u32);
            let mut producers: Vec<TaskId> = Vec::new();
            for (i, arg) in args.iter().enumerate() {
                let input = || b.components[component.index()].inputs.get(i).map_or_else(String::new, |s| s.name.clone());
                let (dag, producer) = match arg {
                    ArgValue::Const(_) => continue,
                    ArgValue::Param(ValueSrc::PipelineParam { dag, .. }) => (*dag, None),
                    ArgValue::Param(ValueSrc::TaskOutput { dag, task, .. }) => (*dag, Some(*task)),
                    ArgValue::Artifact(a) => (a.dag, Some(a.task)),
                    ArgValue::Param(ValueSrc::ComponentInput(_)) => {
                        let err = BuildError::PlaceholderArgument {
                            location,
                            component: b.components[component.index()].name.clone(),
                            input: input(),
                        };
                        b.errors.push(err);
                        continue;
                    }
                };
                if dag != self.id {
                    let err = BuildError::ForeignHandle {
                        location,
                        component: b.components[component.index()].name.clone(),
                        input: input(),
                    };
                    b.errors.push(err);
                } else if let Some(p) = producer {
                    producers.push(p);
                }
            }
            let node = b.graph.add_node(TaskNode { component, args, location, settings: None });
            debug_assert_eq!(node.index(), task.index());
            producers.sort_unstable();
            producers.dedup();
            for p in producers {
                b.graph.add_edge(p.node(), task.node(), Dep { kind: DepKind::Data, location });
            }
            task
        };
        let outputs = C::__outputs(&OutputFactory { dag: self.id, task });
        Task { dag: self, id: task, outputs }
    }

    fn after(&self, task: TaskId, other: TaskId, other_dag: DagId, location: SourceLocation) {
        let mut b = self.inner.borrow_mut();
        if other_dag != self.id {
            b.errors.push(BuildError::ForeignTask { location });
            return;
        }
        b.graph.add_edge(other.node(), task.node(), Dep { kind: DepKind::After, location });
    }

    fn with_task(&self, task: TaskId, f: impl FnOnce(&mut TaskNode, &mut Vec<BuildError>)) {
        let mut b = self.inner.borrow_mut();
        let b = &mut *b;
        f(&mut b.graph[task.node()], &mut b.errors);
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
/// through `Deref`; settings are methods that take `&self` and chain.
pub struct Task<'a, O> {
    dag: &'a Dag,
    id: TaskId,
    outputs: O,
}

impl<O> Task<'_, O> {
    /// The task's id in the pipeline graph.
    pub fn id(&self) -> TaskId {
        self.id
    }

    /// Runs this task only after `other` has finished, even though no data flows between them.
    /// A cycle made this way is reported when the pipeline is compiled, with this call's location.
    #[track_caller]
    pub fn after<P>(&self, other: &Task<'_, P>) -> &Self {
        self.dag.after(self.id, other.id, other.dag.id, SourceLocation::caller());
        self
    }

    /// The name shown for the task in the Kubeflow Pipelines UI.
    pub fn display_name(&self, name: impl Into<String>) -> &Self {
        let name = name.into();
        self.dag.with_task(self.id, |t, _| t.settings_mut().display_name = Some(name));
        self
    }

    /// Sets the task's name in the workflow (by default the component's name, made unique with
    /// `-2`, `-3`, ...). Two explicit names that are equal after sanitising are an error.
    #[track_caller]
    pub fn task_name(&self, name: impl Into<String>) -> &Self {
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
