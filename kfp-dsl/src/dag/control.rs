//! Control flow on `&Dag`: loops, conditions, exit handlers, graph components, and what a task can
//! run after.

use std::any::TypeId;

use super::{Dag, OutputFactory, Task};
use crate::cond::IntoCond;
use crate::error::{BuildError, SourceLocation};
use crate::graph::{GraphComponent, GraphInputs};
use crate::handles::Param;
use crate::loops::{FanIn, IntoLoopItems, LoopDone, LoopItem};
use crate::model::{
    ArgValue, Callee, Cond, DagId, GraphId, GraphSpec, LoopOutputSpec, LoopScope, ScopeId, ScopeKind, TaskId, ValueSrc,
};
use crate::types::ParamType;

impl Dag {
    /// Runs `body` once per item of `items`, in parallel (Argo `withItems` for a list known now,
    /// `withParam` for a `Param<Vec<T>>` known at run time). The body gets the item as a
    /// [`LoopItem`], which cannot leave the loop; what it returns is collected: a `Param<T>` becomes a
    /// `Param<Vec<T>>` usable after the loop (typed fan-in), `()` gives `()`.
    ///
    /// `let accs = p.parallel_for([0.1, 0.01], |p, lr| train(p, lr).accuracy);` gives a
    /// `Param<Vec<f64>>` a task after the loop can take (see the `kfp` crate's README).
    #[track_caller]
    pub fn parallel_for<T, R>(
        &self,
        items: impl IntoLoopItems<T>,
        body: impl for<'s> FnOnce(&Dag, LoopItem<'s, T>) -> R,
    ) -> R::Collected
    where
        T: ParamType,
        R: FanIn,
    {
        self.run_loop(items, None, body, SourceLocation::caller())
    }

    /// [`parallel_for`](Self::parallel_for) with at most `parallelism` iterations running at once.
    /// The limit applies to the iterations themselves (kfp v1 put it where Argo does not apply it:
    /// kubeflow/pipelines#6588).
    #[track_caller]
    pub fn parallel_for_limit<T, R>(
        &self,
        items: impl IntoLoopItems<T>,
        parallelism: u32,
        body: impl for<'s> FnOnce(&Dag, LoopItem<'s, T>) -> R,
    ) -> R::Collected
    where
        T: ParamType,
        R: FanIn,
    {
        self.run_loop(items, Some(parallelism), body, SourceLocation::caller())
    }

    fn run_loop<T, R>(
        &self,
        items: impl IntoLoopItems<T>,
        parallelism: Option<u32>,
        body: impl for<'s> FnOnce(&Dag, LoopItem<'s, T>) -> R,
        location: SourceLocation,
    ) -> R::Collected
    where
        T: ParamType,
        R: FanIn,
    {
        let source = items.__source();
        match &source {
            crate::model::LoopSource::Param(src) => self.check_foreign(src, location, "parallel_for", "items"),
            crate::model::LoopSource::Sequence { count: crate::model::SequenceCount::Value(src), .. } => {
                self.check_foreign(src, location, "parallel_for", "range end");
            }
            _ => {}
        }
        if parallelism == Some(0) {
            self.push_error(BuildError::InvalidLoop {
                location,
                reason: "`parallelism` must be at least 1".to_owned(),
            });
        }
        let kind = ScopeKind::Loop(LoopScope { source, parallelism, outputs: Vec::new() });
        let Some((scope, guard)) = self.enter(kind, location) else {
            return R::__collected(LoopDone { dag: self.id, scope: ScopeId::ROOT }, &mut 0);
        };
        let item = LoopItem::<T>::__new(ValueSrc::LoopItem { dag: self.id, scope, field: None, nested: false });
        let returned = body(self, item);
        drop(guard);
        let mut values = Vec::new();
        returned.__values(&mut values);
        {
            let mut b = self.inner.borrow_mut();
            let mut outputs = Vec::with_capacity(values.len());
            for crate::loops::LoopValue { value, type_name, artifact } in values {
                let produced_here = match value {
                    ValueSrc::TaskOutput { dag, task, .. } if dag == self.id => b.graph[task.node()].scope == scope,
                    _ => false,
                };
                if !produced_here {
                    b.errors.push(BuildError::InvalidLoop {
                        location,
                        reason: "a loop body can only return outputs of tasks called directly in it".to_owned(),
                    });
                }
                outputs.push(LoopOutputSpec { value, type_name, artifact });
            }
            if let ScopeKind::Loop(l) = &mut b.scopes[scope.index()].kind {
                l.outputs = outputs;
            }
        }
        R::__collected(LoopDone { dag: self.id, scope }, &mut 0)
    }

    /// Runs the tasks `body` adds only when `cond` holds at run time (Argo `when`). Chain
    /// `.elif(cond, body)` and `.otherwise(body)` for the other branches.
    #[track_caller]
    pub fn condition(&self, cond: impl IntoCond, body: impl FnOnce(&Dag)) -> Branches<'_> {
        let cond = cond.__cond();
        let location = SourceLocation::caller();
        let scopes = self.branch(cond.clone(), body, location).into_iter().collect();
        Branches { dag: self, taken: cond, scopes }
    }

    fn branch(&self, cond: Cond, body: impl FnOnce(&Dag), location: SourceLocation) -> Option<ScopeId> {
        cond.visit_values(&mut |v| self.check_foreign(v, location, "condition", "operand"));
        let (scope, guard) = self.enter(ScopeKind::Condition(cond), location)?;
        body(self);
        drop(guard);
        Some(scope)
    }

    /// Runs `exit` after the tasks `body` adds have finished, whether they succeeded or not (an
    /// Argo exit handler). `exit` gets the body's status (`Succeeded`, `Failed` or `Error`) as a
    /// parameter. Wrapping the whole pipeline, this is the workflow's `onExit`; wrapping part of it,
    /// an exit hook on that part.
    #[track_caller]
    pub fn exit_handler(&self, exit: impl FnOnce(&Dag, Param<String>), body: impl FnOnce(&Dag)) {
        let location = SourceLocation::caller();
        // The exit scope is made after the body's, which points to it once it exists.
        let Some((body_scope, guard)) = self.enter(ScopeKind::ExitBody { exit: ScopeId::ROOT }, location) else {
            return;
        };
        body(self);
        drop(guard);
        let Some((exit_scope, guard)) = self.enter(ScopeKind::ExitTasks { body: body_scope }, location) else {
            return;
        };
        self.inner.borrow_mut().scopes[body_scope.index()].kind = ScopeKind::ExitBody { exit: exit_scope };
        exit(self, Param::from_src(ValueSrc::ExitStatus { dag: self.id, scope: body_scope }));
        drop(guard);
    }

    /// Adds a task calling graph component `G`, building its body the first time.
    #[doc(hidden)]
    pub fn __call_graph<G: GraphComponent>(
        &self,
        location: SourceLocation,
        args: Vec<ArgValue>,
    ) -> Task<'_, G::Outputs> {
        let (graph, new) = self.graph_id::<G>(location);
        // The call comes before the body's tasks, so it gets the plain name (`flip-until-tails`).
        let task = self.add_call(Callee::Graph(graph), location, args);
        if new {
            self.expand_graph::<G>(graph, location);
        }
        let outputs = G::__outputs(&OutputFactory { dag: self.id, task });
        Task { dag: self, id: task, outputs }
    }

    /// The id of graph component `G`, and whether it was just registered (its body not yet built).
    fn graph_id<G: GraphComponent>(&self, location: SourceLocation) -> (GraphId, bool) {
        let key = TypeId::of::<G>();
        let known = self.inner.borrow().graph_by_type.get(&key).copied();
        if let Some(id) = known {
            let mut b = self.inner.borrow_mut();
            if b.expanding.contains(&id) && !b.guarded_by_condition(b.graphs[id.index()].scope) {
                let name = b.graphs[id.index()].interface.name.clone();
                b.errors.push(BuildError::UnguardedRecursion { location, graph: name });
            }
            return (id, false);
        }
        let interface = G::interface();
        let mut b = self.inner.borrow_mut();
        let id = GraphId(b.graphs.len() as u32);
        b.graphs.push(GraphSpec { interface, scope: ScopeId::ROOT, returns: Vec::new(), location });
        b.graph_by_type.insert(key, id);
        (id, true)
    }

    /// Builds the body of graph component `G` in a scope of its own. A recursive call inside only adds
    /// a task referencing the graph.
    fn expand_graph<G: GraphComponent>(&self, id: GraphId, location: SourceLocation) {
        self.inner.borrow_mut().expanding.push(id);
        if let Some((scope, guard)) = self.enter(ScopeKind::Graph(id), location) {
            self.inner.borrow_mut().graphs[id.index()].scope = scope;
            let returns = G::__body(self, &GraphInputs { dag: self.id, scope });
            drop(guard);
            self.inner.borrow_mut().graphs[id.index()].returns = returns;
        }
        self.inner.borrow_mut().expanding.retain(|g| *g != id);
    }
}

/// The branches of a condition: `p.condition(c1, ..).elif(c2, ..).otherwise(..)`.
pub struct Branches<'d> {
    dag: &'d Dag,
    /// The disjunction of the conditions of the branches so far.
    taken: Cond,
    /// The branches' scopes.
    scopes: Vec<ScopeId>,
}

impl Branches<'_> {
    /// Runs `body` when no earlier branch ran and `cond` holds.
    #[track_caller]
    pub fn elif(mut self, cond: impl IntoCond, body: impl FnOnce(&Dag)) -> Self {
        let cond = cond.__cond();
        let location = SourceLocation::caller();
        self.scopes.extend(self.dag.branch(!self.taken.clone() & cond.clone(), body, location));
        Branches { dag: self.dag, taken: self.taken | cond, scopes: self.scopes }
    }

    /// Runs `body` when no earlier branch ran.
    #[track_caller]
    pub fn otherwise(mut self, body: impl FnOnce(&Dag)) -> Self {
        let location = SourceLocation::caller();
        self.scopes.extend(self.dag.branch(!self.taken.clone(), body, location));
        self
    }
}

/// Something a task can run after: a task, a finished loop, a condition's branches, or a value
/// (after the task or loop that produces it).
pub trait Upstream {
    /// What to wait for.
    #[doc(hidden)]
    fn __upstream(&self) -> Vec<UpstreamRef>;
}

/// One thing to wait for.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub enum UpstreamRef {
    /// A task.
    Task(DagId, TaskId),
    /// Everything in a scope.
    Scope(DagId, ScopeId),
    /// Nothing that runs (a pipeline parameter, a literal): an error.
    Nothing,
}

impl<O> Upstream for Task<'_, O> {
    fn __upstream(&self) -> Vec<UpstreamRef> {
        vec![UpstreamRef::Task(self.dag.id, self.id)]
    }
}

impl Upstream for LoopDone {
    fn __upstream(&self) -> Vec<UpstreamRef> {
        vec![UpstreamRef::Scope(self.dag, self.scope)]
    }
}

impl Upstream for Branches<'_> {
    fn __upstream(&self) -> Vec<UpstreamRef> {
        self.scopes.iter().map(|s| UpstreamRef::Scope(self.dag.id, *s)).collect()
    }
}

impl<T> Upstream for Param<T> {
    fn __upstream(&self) -> Vec<UpstreamRef> {
        vec![match self.src {
            ValueSrc::TaskOutput { dag, task, .. } => UpstreamRef::Task(dag, task),
            ValueSrc::LoopOutput { dag, scope, .. } => UpstreamRef::Scope(dag, scope),
            _ => UpstreamRef::Nothing,
        }]
    }
}

impl std::fmt::Debug for Branches<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Branches").finish_non_exhaustive()
    }
}
