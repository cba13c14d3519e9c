//! Planning: one DAG per scope. Scopes are planned deepest first, so that by the time a scope's parent
//! plans the group task that runs it, the scope knows every input it needs.

use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use kfp_dsl::{
    ArgValue, ArtifactSrc, Callee, Pipeline, ScopeId, ScopeKind, SettingValue, SourceLocation, TaskId, ValueSrc,
    setting_input,
};

use super::{Calls, DagInput, DagKind, DagOutput, DagPlan, InputKind, Plan, TaskPlan, ValueRef};
use crate::error::CompileError;
use crate::passes::naming::{FastMap, Name, Names};

/// Plans every scope of the pipeline.
///
/// # Errors
/// [`CompileError::Scope`] with every value or dependency that crosses a scope boundary the way no
/// backend can run, each with the user's source location.
pub(crate) fn plan(p: &Pipeline, names: &Names) -> Result<Plan, CompileError> {
    let mut l = Planner::new(p, names);
    l.lift_after_edges();
    let n = p.scopes().len();
    let mut order: Vec<ScopeId> = (0..n as u32).map(scope_id).collect();
    order.sort_by_key(|s| (Reverse(l.depth[s.index()]), s.index()));
    let mut dags: Vec<Option<DagPlan>> = (0..n).map(|_| None).collect();
    for s in order {
        dags[s.index()] = Some(l.scope_dag(s));
    }
    if !l.errors.is_empty() {
        return Err(CompileError::Scope { errors: l.errors });
    }
    // Conditions export the values read outside them, found while their ancestors were planned.
    let mut dags: Vec<DagPlan> = dags.into_iter().flatten().collect();
    for (dag, exports) in dags.iter_mut().zip(l.exports) {
        dag.outputs.extend(exports);
    }
    Ok(Plan { dags, on_exit: l.on_exit })
}

fn scope_id(i: u32) -> ScopeId {
    // Scope ids are dense indices; the pipeline hands them out in order.
    kfp_dsl::__private::scope_id(i)
}

/// A node of a DAG: a task, or the group task of a child scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(super) enum Node {
    Task(TaskId),
    Group(ScopeId),
}

/// What a scope's DAG takes as input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(super) enum Key {
    Value(ValueSrc),
    Artifact(ArtifactSrc),
}

/// A scope's DAG inputs, in the order they were first needed.
#[derive(Default)]
pub(super) struct Frame {
    pub(super) inputs: Vec<(Key, Name)>,
    pub(super) index: HashMap<Key, usize>,
    pub(super) used: HashSet<Name>,
}

impl Frame {
    /// The inputs sorted by name, as every backend declares and passes them.
    pub(super) fn sorted_inputs(&self) -> Vec<(Key, Name)> {
        let mut declared = self.inputs.clone();
        declared.sort_by(|a, b| a.1.cmp(&b.1));
        declared
    }
}

pub(super) struct Planner<'a, 'p> {
    pub(super) p: &'p Pipeline,
    pub(super) names: &'a Names,
    depth: Vec<u32>,
    /// Per scope: its tasks, in creation order.
    pub(super) tasks: Vec<Vec<TaskId>>,
    /// Per scope: its child scopes placed as group tasks (exit tasks excluded), in creation order.
    pub(super) children: Vec<Vec<ScopeId>>,
    pub(super) frames: Vec<Frame>,
    /// Per scope: `(node, depends on)` from `.after(..)`, lifted to the scope's level.
    pub(super) after: Vec<Vec<(Node, Node)>>,
    pub(super) on_exit: Option<ScopeId>,
    pub(super) errors: Vec<String>,
    /// Per callee: its input names, shared by every call, and how many are artifacts.
    inputs: HashMap<Callee, (Rc<[Name]>, usize)>,
    /// Per callee: its output names, shared by every reference to them.
    outputs: HashMap<Callee, Rc<[Name]>>,
    /// Per condition scope: outputs that carry a task output out of it, with a default for when the
    /// condition skipped it (`default_if_skipped`).
    pub(super) exports: Vec<Vec<DagOutput>>,
}

impl<'a, 'p> Planner<'a, 'p> {
    fn new(p: &'p Pipeline, names: &'a Names) -> Self {
        let n = p.scopes().len();
        let mut depth = vec![0u32; n];
        let mut children = vec![Vec::new(); n];
        for (i, s) in p.scopes().iter().enumerate() {
            if let Some(parent) = s.parent {
                depth[i] = depth[parent.index()] + 1;
                if !matches!(s.kind, ScopeKind::ExitTasks { .. }) {
                    children[parent.index()].push(scope_id(i as u32));
                }
            }
        }
        let mut tasks = vec![Vec::new(); n];
        for id in p.task_ids() {
            tasks[p.task(id).scope().index()].push(id);
        }
        let mut l = Planner {
            p,
            names,
            depth,
            tasks,
            children,
            frames: (0..n).map(|_| Frame::default()).collect(),
            after: vec![Vec::new(); n],
            on_exit: None,
            errors: Vec::new(),
            inputs: HashMap::new(),
            outputs: HashMap::new(),
            exports: (0..n).map(|_| Vec::new()).collect(),
        };
        l.on_exit = l.find_on_exit();
        l
    }

    /// An exit handler around the whole pipeline runs after the run: its body is the only thing in the
    /// root scope.
    fn find_on_exit(&self) -> Option<ScopeId> {
        let root = ScopeId::ROOT;
        if !self.tasks[root.index()].is_empty() || self.children[root.index()].len() != 1 {
            return None;
        }
        match self.p.scope(self.children[root.index()][0]).kind {
            ScopeKind::ExitBody { exit } => Some(exit),
            ScopeKind::Root
            | ScopeKind::Loop(_)
            | ScopeKind::Condition(_)
            | ScopeKind::ExitTasks { .. }
            | ScopeKind::Graph(_) => None,
        }
    }

    pub(super) fn parent(&self, s: ScopeId) -> Option<ScopeId> {
        self.p.scope(s).parent
    }

    /// Whether `a` is `s` or encloses it.
    pub(super) fn encloses(&self, a: ScopeId, s: ScopeId) -> bool {
        let mut cur = Some(s);
        while let Some(c) = cur {
            if c == a {
                return true;
            }
            cur = self.parent(c);
        }
        false
    }

    /// The innermost scope enclosing both.
    pub(super) fn common_scope(&self, a: ScopeId, b: ScopeId) -> Option<ScopeId> {
        let mut ancestors = HashSet::new();
        let mut cur = Some(a);
        while let Some(c) = cur {
            ancestors.insert(c);
            cur = self.parent(c);
        }
        let mut cur = Some(b);
        while let Some(c) = cur {
            if ancestors.contains(&c) {
                return Some(c);
            }
            cur = self.parent(c);
        }
        None
    }

    pub(super) fn task_name(&self, t: TaskId) -> &Name {
        &self.names.tasks[t.index()]
    }

    pub(super) fn group_name(&self, s: ScopeId) -> &Name {
        &self.names.scopes[s.index()].group
    }

    pub(super) fn output_name(&self, task: TaskId, port: u32) -> &str {
        let i = self.p.interface(self.p.task(task).callee());
        &i.outputs[port as usize].name
    }

    /// Output `port` of `task`, as a shared name: every reference to it clones one allocation.
    pub(super) fn output_port(&mut self, task: TaskId, port: u32) -> Name {
        let callee = self.p.task(task).callee();
        if let Some(names) = self.outputs.get(&callee) {
            return names[port as usize].clone();
        }
        let interface = self.p.interface(callee);
        let names: Rc<[Name]> = interface.outputs.iter().map(|o| Name::from(o.name.as_str())).collect();
        let name = names[port as usize].clone();
        self.outputs.insert(callee, names);
        name
    }

    /// The name of a loop's collected output `index` (`<producer>-<output>`).
    pub(super) fn loop_output_name(&self, scope: ScopeId, index: u32) -> String {
        let ScopeKind::Loop(l) = &self.p.scope(scope).kind else { return format!("output-{index}") };
        match l.outputs.get(index as usize).map(|o| o.value) {
            Some(ValueSrc::TaskOutput { task, port, .. }) => {
                format!("{}-{}", self.task_name(task), self.output_name(task, port))
            }
            _ => format!("output-{index}"),
        }
    }

    pub(super) fn error(&mut self, location: SourceLocation, msg: String) {
        self.errors.push(format!("{location}: {msg}"));
    }

    pub(super) fn template_name(&self, s: ScopeId) -> Name {
        match self.p.scope(s).kind {
            ScopeKind::Root => Name::from(self.names.root.as_str()),
            ScopeKind::Graph(g) => self.names.graphs[g.index()].clone(),
            ScopeKind::Loop(_) | ScopeKind::Condition(_) | ScopeKind::ExitBody { .. } | ScopeKind::ExitTasks { .. } => {
                self.names.scopes[s.index()].template.clone()
            }
        }
    }

    /// The DAG of scope `s`.
    fn scope_dag(&mut self, s: ScopeId) -> DagPlan {
        let count = self.tasks[s.index()].len() + self.children[s.index()].len();
        let mut tasks: Vec<TaskPlan> = Vec::with_capacity(count);
        let mut nodes: Vec<(Node, Vec<Node>)> = Vec::with_capacity(count);
        for i in 0..self.tasks[s.index()].len() {
            let t = self.tasks[s.index()][i];
            let mut deps = Vec::new();
            tasks.push(self.task(t, s, &mut deps));
            nodes.push((Node::Task(t), deps));
        }
        for i in 0..self.children[s.index()].len() {
            let c = self.children[s.index()][i];
            let mut deps = Vec::new();
            if let Some(task) = self.group_task(c, s, &mut deps) {
                tasks.push(task);
                nodes.push((Node::Group(c), deps));
            }
        }
        let position: FastMap<Node, usize> = nodes.iter().enumerate().map(|(i, (n, _))| (*n, i)).collect();
        for (node, on) in std::mem::take(&mut self.after[s.index()]) {
            if let Some(&i) = position.get(&node) {
                nodes[i].1.push(on);
            }
        }
        let name = self.template_name(s);
        let mut tasks = self.order(s, &name, tasks, nodes, &position);
        self.set_triggers(s, &mut tasks);
        let outputs = self.scope_outputs(s);
        let kind = match self.p.scope(s).kind {
            ScopeKind::Root => DagKind::Root,
            ScopeKind::Loop(_) => DagKind::Loop,
            ScopeKind::Condition(_) => DagKind::Condition,
            ScopeKind::ExitBody { .. } => DagKind::ExitBody,
            ScopeKind::ExitTasks { .. } => DagKind::ExitTasks,
            ScopeKind::Graph(g) => DagKind::Graph(g),
        };
        DagPlan { scope: s, kind, name, inputs: self.scope_inputs(s), outputs, tasks }
    }

    /// The inputs a scope's DAG declares.
    fn scope_inputs(&self, s: ScopeId) -> Vec<DagInput> {
        let parameter = |name: &str| DagInput { name: Name::from(name), kind: InputKind::Parameter };
        match self.p.scope(s).kind {
            ScopeKind::Root => self.p.params().iter().map(|p| parameter(&p.name)).collect(),
            ScopeKind::Graph(g) => self.p.graph_spec(g).interface.inputs.iter().map(|i| parameter(&i.name)).collect(),
            // The others declare what was plumbed into them.
            ScopeKind::Loop(_) | ScopeKind::Condition(_) | ScopeKind::ExitBody { .. } | ScopeKind::ExitTasks { .. } => {
                self.frames[s.index()]
                    .sorted_inputs()
                    .into_iter()
                    .map(|(key, name)| {
                        let kind = match key {
                            Key::Artifact(_) => InputKind::Artifact,
                            Key::Value(ValueSrc::LoopItem { scope, field, .. }) if scope == s => InputKind::Item(field),
                            Key::Value(_) => InputKind::Parameter,
                        };
                        DagInput { name, kind }
                    })
                    .collect()
            }
        }
    }

    /// The outputs a scope's DAG declares: a loop's collected values, a graph's returns.
    fn scope_outputs(&mut self, s: ScopeId) -> Vec<DagOutput> {
        let values: Vec<(String, ValueSrc)> = match &self.p.scope(s).kind {
            ScopeKind::Loop(l) => (0..l.outputs.len() as u32)
                .map(|i| (self.loop_output_name(s, i), l.outputs[i as usize].value))
                .collect(),
            ScopeKind::Graph(g) => {
                let spec = self.p.graph_spec(*g);
                spec.interface.outputs.iter().zip(&spec.returns).map(|(o, v)| (o.name.clone(), *v)).collect()
            }
            // The run's outputs: what the pipeline function returned.
            ScopeKind::Root => {
                self.p.outputs().iter().zip(self.p.returns()).map(|(o, v)| (o.name.clone(), *v)).collect()
            }
            // Conditions' outputs are the exports added after planning.
            ScopeKind::Condition(_) | ScopeKind::ExitBody { .. } | ScopeKind::ExitTasks { .. } => Vec::new(),
        };
        let mut outputs = Vec::with_capacity(values.len());
        for (i, (name, v)) in values.into_iter().enumerate() {
            let mut deps = Vec::new();
            let resolved = match (v, self.output_is_artifact(s, i)) {
                (ValueSrc::TaskOutput { dag, task, port }, true) => {
                    self.artifact(ArtifactSrc { dag, task, port }, s, &mut deps)
                }
                _ => self.resolve(v, s, &mut deps),
            };
            match resolved {
                Ok(value) => outputs.push(DagOutput { name: Name::from(name), value, default: None }),
                Err(msg) => {
                    let location = match self.p.scope(s).kind {
                        ScopeKind::Root => self.p.returns_location().unwrap_or(self.p.scope(s).location),
                        _ => self.p.scope(s).location,
                    };
                    self.error(location, format!("returned value `{name}`: {msg}"));
                }
            }
        }
        outputs
    }

    /// Whether output `index` of scope `s` is an artifact: one a loop collects, or one a graph or the
    /// pipeline returns.
    fn output_is_artifact(&self, s: ScopeId, index: usize) -> bool {
        let declared = |outputs: &[kfp_dsl::OutputSpec]| {
            outputs.get(index).is_some_and(|o| matches!(o.kind, kfp_dsl::IoKind::Artifact { .. }))
        };
        match &self.p.scope(s).kind {
            ScopeKind::Loop(l) => l.outputs.get(index).is_some_and(|o| o.artifact),
            ScopeKind::Graph(g) => declared(&self.p.graph_spec(*g).interface.outputs),
            ScopeKind::Root => declared(self.p.outputs()),
            _ => false,
        }
    }

    /// A task calling a component or a graph component.
    fn task(&mut self, t: TaskId, s: ScopeId, deps: &mut Vec<Node>) -> TaskPlan {
        let node = self.p.task(t);
        let calls = match node.callee() {
            Callee::Component(_) => match self.names.task_variant[t.index()] {
                Some(v) => Calls::Variant(v),
                None => {
                    self.error(node.location(), "internal: a component call without a template".to_owned());
                    Calls::Variant(0)
                }
            },
            Callee::Graph(g) => Calls::Graph(g),
        };
        let mut task = self.task_plan(self.task_name(t).clone(), calls, node.location());
        let (inputs, artifacts) = self.input_names(node.callee());
        task.parameters.reserve_exact(inputs.len() - artifacts);
        task.artifacts.reserve_exact(artifacts);
        for (name, arg) in inputs.iter().cloned().zip(node.args()) {
            match arg {
                ArgValue::Const(v) => task.parameters.push((name, ValueRef::Literal(v.clone()))),
                // An optional input left out: its template does not declare it either.
                ArgValue::Absent => {}
                ArgValue::Param(v) => match self.resolve(*v, s, deps) {
                    Ok(e) => task.parameters.push((name, e)),
                    Err(msg) => self.error(node.location(), format!("input `{name}`: {msg}")),
                },
                ArgValue::Artifact(a) => match self.artifact(*a, s, deps) {
                    Ok(e) => task.artifacts.push((name, e)),
                    Err(msg) => self.error(node.location(), format!("input `{name}`: {msg}")),
                },
                ArgValue::ArtifactList(v) => match self.artifact_list(*v, s, deps) {
                    Ok(e) => task.artifacts.push((name, e)),
                    Err(msg) => self.error(node.location(), format!("input `{name}`: {msg}")),
                },
            }
        }
        // Resources and the image from values of the run: inputs of their own, which the pod's
        // settings read.
        let settings = node.settings();
        let resources = settings.iter().flat_map(|s| [("requests", &s.requests), ("limits", &s.limits)]);
        let values = resources.flat_map(|(group, map)| map.iter().map(move |(key, v)| (group, key.as_str(), v)));
        let image = settings.and_then(|s| s.image.as_ref()).map(|v| ("image", "image", v));
        for (group, key, v) in values.chain(image) {
            let SettingValue::Value(v) = v else { continue };
            let name = Name::from(setting_input(group, key));
            match self.resolve(*v, s, deps) {
                Ok(e) => task.parameters.push((name, e)),
                Err(msg) => self.error(node.location(), format!("{key} setting: {msg}")),
            }
        }
        task
    }

    pub(super) fn task_plan(&self, name: Name, calls: Calls, location: SourceLocation) -> TaskPlan {
        TaskPlan {
            name,
            calls,
            location,
            parameters: Vec::new(),
            artifacts: Vec::new(),
            after: Vec::new(),
            when: None,
            for_each: None,
            exit_hook: None,
            triggers: Vec::new(),
        }
    }

    /// A callee's input names (shared by all its calls) and how many of them are artifacts.
    fn input_names(&mut self, callee: Callee) -> (Rc<[Name]>, usize) {
        if let Some(cached) = self.inputs.get(&callee) {
            return cached.clone();
        }
        let interface = self.p.interface(callee);
        let names: Rc<[Name]> = interface.inputs.iter().map(|i| Name::from(i.name.as_str())).collect();
        let artifacts = interface.inputs.iter().filter(|i| i.kind.is_artifact()).count();
        self.inputs.insert(callee, (names.clone(), artifacts));
        (names, artifacts)
    }
}
