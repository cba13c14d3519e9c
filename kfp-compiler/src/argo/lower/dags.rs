//! The DAG templates: one per scope. Scopes are lowered deepest first, so that by the time a scope's
//! parent builds the group task that calls it, the scope knows every input it needs.
//!
//! Values cross scope boundaries the way Argo needs: a value used inside a nested scope becomes an
//! input of that scope's template and an argument of its group task in the parent, recursively up to
//! where the value exists (kfp v1's plumbing). A loop's collected outputs and a graph's returns leave
//! their scope as template outputs. Anything else leaving a scope is an error.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};

use kfp_dsl::{
    ArgValue, ArtifactSrc, Callee, CmpOp, Cond, DepKind, LoopSource, Operand, Pipeline, ScopeId, ScopeKind,
    SourceLocation, TaskId, ValueSrc,
};

use crate::argo::{
    Arguments, ArtifactRef, DagTask, DagTemplate, Inputs, LifecycleHook, Name, Outputs, Parameter, Template, ValueFrom,
};
use crate::error::CompileError;
use crate::argo::expr;
use crate::passes::naming::{FastMap, Names};

/// The lowered scopes.
pub(crate) struct Lowered {
    /// The root template first, then every scope, wrapper and graph template.
    pub(crate) templates: Vec<Template>,
    /// The exit tasks that became the workflow's `onExit`, if any.
    pub(crate) on_exit: Option<ScopeId>,
}

/// Lowers every scope of the pipeline to a DAG template.
pub(crate) fn lower_scopes(p: &Pipeline, names: &Names<'_>) -> Result<Lowered, CompileError> {
    let mut l = Lowering::new(p, names);
    l.lift_after_edges();
    let mut order: Vec<ScopeId> = (0..p.scopes().len() as u32).map(scope_id).collect();
    order.sort_by_key(|s| (Reverse(l.depth[s.index()]), s.index()));
    let mut templates: Vec<(ScopeId, Vec<Template>)> = Vec::new();
    for s in order {
        let t = l.scope_templates(s);
        templates.push((s, t));
    }
    if !l.errors.is_empty() {
        return Err(CompileError::Scope { errors: l.errors });
    }
    // Conditions export the values read outside them, found while their ancestors were lowered.
    for (s, t) in &mut templates {
        let exports = std::mem::take(&mut l.exports[s.index()]);
        if let Some(t) = t.first_mut() {
            t.outputs.parameters.extend(exports);
        }
    }
    templates.sort_by_key(|(s, _)| s.index());
    Ok(Lowered { templates: templates.into_iter().flat_map(|(_, t)| t).collect(), on_exit: l.on_exit })
}

fn scope_id(i: u32) -> ScopeId {
    // Scope ids are dense indices; the pipeline hands them out in order.
    kfp_dsl::__private::scope_id(i)
}

mod values;

/// A node of a DAG template: a task, or the group task of a child scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Node {
    Task(TaskId),
    Group(ScopeId),
}

/// What a scope's template takes as input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Key {
    Value(ValueSrc),
    Artifact(ArtifactSrc),
}

/// A scope's template inputs, in the order they were first needed.
#[derive(Default)]
struct Frame {
    inputs: Vec<(Key, Name)>,
    index: HashMap<Key, usize>,
    used: HashSet<Name>,
}

struct Lowering<'a, 'p> {
    p: &'p Pipeline,
    names: &'a Names<'p>,
    depth: Vec<u32>,
    /// Per scope: its tasks, in creation order.
    tasks: Vec<Vec<TaskId>>,
    /// Per scope: its child scopes placed as group tasks (exit tasks excluded), in creation order.
    children: Vec<Vec<ScopeId>>,
    frames: Vec<Frame>,
    /// Per scope: `(node, depends on)` from `.after(..)`, lifted to the scope's level.
    after: Vec<Vec<(Node, Node)>>,
    on_exit: Option<ScopeId>,
    errors: Vec<String>,
    /// Per callee: its input names, shared by every call.
    inputs: HashMap<Callee, (std::rc::Rc<[Name]>, usize)>,
    /// Per condition scope: outputs that carry a task output out of it, with a default for when the
    /// condition skipped it (`default_if_skipped`).
    exports: Vec<Vec<Parameter>>,
}

impl<'a, 'p> Lowering<'a, 'p> {
    fn new(p: &'p Pipeline, names: &'a Names<'p>) -> Self {
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
        let mut l = Lowering {
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
            exports: vec![Vec::new(); n],
        };
        l.on_exit = l.find_on_exit();
        l
    }

    /// An exit handler around the whole pipeline becomes the workflow's `onExit`: its body is the only
    /// thing in the root scope.
    fn find_on_exit(&self) -> Option<ScopeId> {
        let root = ScopeId::ROOT;
        if !self.tasks[root.index()].is_empty() || self.children[root.index()].len() != 1 {
            return None;
        }
        match self.p.scope(self.children[root.index()][0]).kind {
            ScopeKind::ExitBody { exit } => Some(exit),
            _ => None,
        }
    }

    fn parent(&self, s: ScopeId) -> Option<ScopeId> {
        self.p.scope(s).parent
    }

    /// Whether `a` is `s` or encloses it.
    fn encloses(&self, a: ScopeId, s: ScopeId) -> bool {
        let mut cur = Some(s);
        while let Some(c) = cur {
            if c == a {
                return true;
            }
            cur = self.parent(c);
        }
        false
    }

    /// The node standing for scope `s` (or something in it) in the DAG of its ancestor `a`.
    fn node_in(&self, a: ScopeId, task: TaskId) -> Option<Node> {
        let mut s = self.p.task(task).scope();
        if s == a {
            return Some(Node::Task(task));
        }
        loop {
            let parent = self.parent(s)?;
            if parent == a {
                return Some(match self.p.scope(s).kind {
                    ScopeKind::ExitTasks { body } => Node::Group(body),
                    _ => Node::Group(s),
                });
            }
            s = parent;
        }
    }

    /// The innermost scope enclosing both.
    fn common_scope(&self, a: ScopeId, b: ScopeId) -> Option<ScopeId> {
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

    fn in_exit_tasks(&self, s: ScopeId) -> bool {
        let mut cur = Some(s);
        while let Some(c) = cur {
            if matches!(self.p.scope(c).kind, ScopeKind::ExitTasks { .. }) {
                return true;
            }
            cur = self.parent(c);
        }
        false
    }

    /// `.after(..)` edges become dependencies between the nodes that contain their ends, in the DAG of
    /// the innermost scope that holds both.
    fn lift_after_edges(&mut self) {
        for v in self.p.task_ids() {
            for (u, dep) in self.p.upstream(v) {
                if dep.kind != DepKind::After {
                    continue;
                }
                let (su, sv) = (self.p.task(u).scope(), self.p.task(v).scope());
                if su == sv {
                    self.after[su.index()].push((Node::Task(v), Node::Task(u)));
                    continue;
                }
                let Some(a) = self.common_scope(su, sv) else {
                    self.errors.push(format!(
                        "{}: `.after(..)` joins a task inside a graph component with one outside it",
                        dep.location
                    ));
                    continue;
                };
                if self.in_exit_tasks(su) && !self.encloses(su, sv) {
                    self.errors.push(format!(
                        "{}: `.after(..)` names an exit task; exit tasks run after everything they wrap and nothing can wait for them",
                        dep.location
                    ));
                    continue;
                }
                if let (Some(nu), Some(nv)) = (self.node_in(a, u), self.node_in(a, v))
                    && nu != nv
                {
                    self.after[a.index()].push((nv, nu));
                }
            }
        }
        for &(v, scope, location) in self.p.after_scopes() {
            let sv = self.p.task(v).scope();
            let Some(home) = self.parent(scope) else { continue };
            let Some(a) = self.common_scope(home, sv) else {
                self.errors.push(format!("{location}: `.after(..)` joins a graph component's body with the outside"));
                continue;
            };
            if self.encloses(scope, sv) {
                self.errors.push(format!(
                    "{location}: a task inside a loop or condition cannot run after that loop or condition"
                ));
                continue;
            }
            // The node standing for `scope` in `a`'s DAG: the scope itself, or its ancestor under `a`.
            let mut s = scope;
            while let Some(parent) = self.parent(s) {
                if parent == a {
                    break;
                }
                s = parent;
            }
            if let Some(nv) = self.node_in(a, v) {
                self.after[a.index()].push((nv, Node::Group(s)));
            }
        }
    }

    fn task_name(&self, t: TaskId) -> &Name {
        &self.names.tasks[t.index()]
    }

    fn group_name(&self, s: ScopeId) -> &Name {
        &self.names.scopes[s.index()].group
    }

    fn output_name(&self, task: TaskId, port: u32) -> &str {
        let i = self.p.interface(self.p.task(task).callee());
        &i.outputs[port as usize].name
    }

    /// The name of a loop's collected output `index` (`<producer>-<output>`).
    fn loop_output_name(&self, scope: ScopeId, index: u32) -> String {
        let ScopeKind::Loop(l) = &self.p.scope(scope).kind else { return format!("output-{index}") };
        match l.outputs.get(index as usize).map(|o| o.value) {
            Some(ValueSrc::TaskOutput { task, port, .. }) => {
                format!("{}-{}", self.task_name(task), self.output_name(task, port))
            }
            _ => format!("output-{index}"),
        }
    }

    fn error(&mut self, location: SourceLocation, msg: String) {
        self.errors.push(format!("{location}: {msg}"));
    }

    /// The templates of scope `s`: its DAG (and, for a loop with `parallelism`, the wrapper).
    fn scope_templates(&mut self, s: ScopeId) -> Vec<Template> {
        let scope = self.p.scope(s).clone();
        let count = self.tasks[s.index()].len() + self.children[s.index()].len();
        let mut dag_tasks: Vec<DagTask> = Vec::with_capacity(count);
        let mut nodes: Vec<(Node, Vec<Node>)> = Vec::with_capacity(count);
        for i in 0..self.tasks[s.index()].len() {
            let t = self.tasks[s.index()][i];
            let mut deps = Vec::new();
            dag_tasks.push(self.task(t, s, &mut deps));
            nodes.push((Node::Task(t), deps));
        }
        for i in 0..self.children[s.index()].len() {
            let c = self.children[s.index()][i];
            let mut deps = Vec::new();
            if let Some(task) = self.group_task(c, s, &mut deps) {
                dag_tasks.push(task);
                nodes.push((Node::Group(c), deps));
            }
        }
        let position: FastMap<Node, usize> = nodes.iter().enumerate().map(|(i, (n, _))| (*n, i)).collect();
        for (node, on) in std::mem::take(&mut self.after[s.index()]) {
            if let Some(&i) = position.get(&node) {
                nodes[i].1.push(on);
            }
        }
        let tasks = self.order(s, dag_tasks, nodes, &position);

        let mut template = Template { name: self.template_name(s).to_owned(), ..Template::default() };
        template.outputs = self.scope_outputs(s);
        template.dag = Some(DagTemplate { tasks });
        template.inputs = self.scope_inputs(s);
        let mut out = vec![template];
        if let (ScopeKind::Loop(l), Some(wrapper)) = (&scope.kind, self.names.scopes[s.index()].wrapper.clone()) {
            out.push(self.wrapper_template(s, l, &wrapper));
        }
        out
    }

    fn template_name(&self, s: ScopeId) -> &str {
        match self.p.scope(s).kind {
            ScopeKind::Root => &self.names.root,
            ScopeKind::Graph(g) => &self.names.graphs[g.index()],
            _ => &self.names.scopes[s.index()].template,
        }
    }

    /// The inputs a scope's template declares.
    fn scope_inputs(&self, s: ScopeId) -> Inputs {
        let mut inputs = Inputs::default();
        match self.p.scope(s).kind {
            ScopeKind::Root => {
                inputs.parameters = self.p.params().iter().map(|p| Parameter::named(p.name.as_str())).collect();
            }
            ScopeKind::Graph(g) => {
                inputs.parameters =
                    self.p.graph_spec(g).interface.inputs.iter().map(|i| Parameter::named(i.name.as_str())).collect();
            }
            _ => {
                let mut declared: Vec<&(Key, Name)> = self.frames[s.index()].inputs.iter().collect();
                declared.sort_by(|a, b| a.1.cmp(&b.1));
                for (key, name) in declared {
                    match key {
                        Key::Artifact(_) => {
                            inputs.artifacts.push(ArtifactRef { name: name.clone(), path: None, from: None })
                        }
                        Key::Value(_) => inputs.parameters.push(Parameter::named(name.clone())),
                    }
                }
            }
        }
        inputs
    }

    /// The outputs a scope's template declares: a loop's collected values, a graph's returns.
    fn scope_outputs(&mut self, s: ScopeId) -> Outputs {
        let mut outputs = Outputs::default();
        let values: Vec<(String, ValueSrc)> = match &self.p.scope(s).kind {
            ScopeKind::Loop(l) => (0..l.outputs.len() as u32)
                .map(|i| (self.loop_output_name(s, i), l.outputs[i as usize].value))
                .collect(),
            ScopeKind::Graph(g) => {
                let spec = self.p.graph_spec(*g);
                spec.interface.outputs.iter().zip(&spec.returns).map(|(o, v)| (o.name.clone(), *v)).collect()
            }
            _ => Vec::new(),
        };
        for (name, v) in values {
            let mut deps = Vec::new();
            match self.resolve(v, s, &mut deps) {
                Ok(e) => outputs.parameters.push(Parameter {
                    name: Name::from(name),
                    value_from: Some(ValueFrom { path: None, parameter: Some(e), default: None, json_path: None }),
                    ..Parameter::default()
                }),
                Err(msg) => {
                    let location = self.p.scope(s).location;
                    self.error(location, format!("returned value `{name}`: {msg}"));
                }
            }
        }
        outputs
    }

    /// A task calling a component or a graph component.
    fn task(&mut self, t: TaskId, s: ScopeId, deps: &mut Vec<Node>) -> DagTask {
        let node = self.p.task(t);
        let template = match node.callee() {
            Callee::Component(_) => {
                self.names.task_variant[t.index()].map(|v| self.names.templates[v].clone()).unwrap_or_default()
            }
            Callee::Graph(g) => self.names.graphs[g.index()].clone(),
            _ => Name::from(""),
        };
        let mut task = DagTask::new(self.task_name(t).clone(), template);
        let (inputs, artifacts) = self.input_names(node.callee());
        task.arguments.parameters.reserve_exact(inputs.len() - artifacts);
        task.arguments.artifacts.reserve_exact(artifacts);
        for (name, arg) in inputs.iter().cloned().zip(node.args()) {
            match arg {
                ArgValue::Const(v) => task.arguments.parameters.push(Parameter::with_value(name, v.as_str())),
                // An optional input left out: its template does not declare it either.
                ArgValue::Absent => {}
                ArgValue::Param(v) => match self.resolve(*v, s, deps) {
                    Ok(e) => task.arguments.parameters.push(Parameter::with_value(name, e)),
                    Err(msg) => self.error(node.location(), format!("input `{name}`: {msg}")),
                },
                ArgValue::Artifact(a) => match self.artifact(*a, s, deps) {
                    Ok(e) => task.arguments.artifacts.push(ArtifactRef::from_output(name, e)),
                    Err(msg) => self.error(node.location(), format!("input `{name}`: {msg}")),
                },
            }
        }
        task
    }

    /// A callee's input names (shared by all its calls) and how many of them are artifacts.
    fn input_names(&mut self, callee: Callee) -> (std::rc::Rc<[Name]>, usize) {
        if let Some(cached) = self.inputs.get(&callee) {
            return cached.clone();
        }
        let interface = self.p.interface(callee);
        let names: std::rc::Rc<[Name]> = interface.inputs.iter().map(|i| Name::from(i.name.as_str())).collect();
        let artifacts = interface.inputs.iter().filter(|i| i.kind.is_artifact()).count();
        self.inputs.insert(callee, (names.clone(), artifacts));
        (names, artifacts)
    }

    /// The arguments a group task passes to the template of child scope `c`, resolved in `s`.
    fn group_arguments(&mut self, c: ScopeId, s: ScopeId, deps: &mut Vec<Node>, items: bool) -> Arguments {
        let mut arguments = Arguments::default();
        let mut declared: Vec<(Key, Name)> = self.frames[c.index()].inputs.clone();
        declared.sort_by(|a, b| a.1.cmp(&b.1));
        let location = self.p.scope(c).location;
        for (key, name) in declared {
            let resolved = match key {
                Key::Value(ValueSrc::LoopItem { scope: l, field, .. }) if l == c => {
                    if !items {
                        // Inside a parallelism wrapper the item is passed by the wrapper's own task.
                        continue;
                    }
                    Ok(match field {
                        Some(f) => format!("{{{{item.{f}}}}}"),
                        None => "{{item}}".to_owned(),
                    })
                }
                Key::Value(v) => self.resolve(v, s, deps),
                Key::Artifact(a) => self.artifact(a, s, deps),
            };
            match (resolved, key) {
                (Ok(e), Key::Artifact(_)) => arguments.artifacts.push(ArtifactRef::from_output(name, e)),
                (Ok(e), Key::Value(_)) => arguments.parameters.push(Parameter::with_value(name, e)),
                (Err(msg), _) => self.error(location, msg),
            }
        }
        arguments
    }

    /// The task in `s`'s DAG that runs child scope `c`.
    fn group_task(&mut self, c: ScopeId, s: ScopeId, deps: &mut Vec<Node>) -> Option<DagTask> {
        let scope = self.p.scope(c).clone();
        let names = self.names.scopes[c.index()].clone();
        match &scope.kind {
            ScopeKind::Loop(l) => {
                if let Some(wrapper) = &names.wrapper {
                    // The wrapper takes the loop's inputs except its own item, and the items if they
                    // come from a value.
                    let mut task = DagTask::new(names.group.clone(), wrapper.clone());
                    task.arguments = self.group_arguments(c, s, deps, false);
                    if let LoopSource::Param(src) = &l.source {
                        match self.resolve(*src, s, deps) {
                            Ok(e) => task.arguments.parameters.push(Parameter::with_value("loop-items", e)),
                            Err(msg) => self.error(scope.location, format!("loop items: {msg}")),
                        }
                    }
                    return Some(task);
                }
                let mut task = DagTask::new(names.group.clone(), names.template.clone());
                task.arguments = self.group_arguments(c, s, deps, true);
                match &l.source {
                    LoopSource::Static(items) => task.with_items = Some(items.clone()),
                    LoopSource::Param(src) => match self.resolve(*src, s, deps) {
                        Ok(e) => task.with_param = Some(e),
                        Err(msg) => self.error(scope.location, format!("loop items: {msg}")),
                    },
                    _ => {}
                }
                Some(task)
            }
            ScopeKind::Condition(cond) => {
                let mut task = DagTask::new(names.group.clone(), names.template.clone());
                match self.render_cond(cond, s, deps) {
                    Ok(w) => task.when = Some(w),
                    Err(msg) => self.error(scope.location, format!("condition: {msg}")),
                }
                task.arguments = self.group_arguments(c, s, deps, true);
                Some(task)
            }
            ScopeKind::ExitBody { exit } => {
                let mut task = DagTask::new(names.group.clone(), names.template.clone());
                task.arguments = self.group_arguments(c, s, deps, true);
                if self.on_exit != Some(*exit) {
                    // The hook's arguments are read when the hook runs, after the body: no dependency.
                    let mut hook_deps = Vec::new();
                    let arguments = self.group_arguments(*exit, s, &mut hook_deps, true);
                    deps.extend(hook_deps.into_iter().filter(|d| *d != Node::Group(c)));
                    let template = self.names.scopes[exit.index()].template.clone();
                    task.hooks.insert("exit".to_owned(), LifecycleHook { template, arguments });
                }
                Some(task)
            }
            _ => None,
        }
    }

    /// The DAG template that runs a loop's iterations with a `parallelism` limit: Argo applies a
    /// template's `parallelism` to the tasks of its DAG, and a looped task expands into one task per
    /// item there.
    fn wrapper_template(&mut self, s: ScopeId, l: &kfp_dsl::LoopScope, wrapper: &Name) -> Template {
        let names = self.names.scopes[s.index()].clone();
        let mut inner = DagTask::new(names.group.clone(), names.template.clone());
        let mut inputs = Inputs::default();
        let mut declared: Vec<(Key, Name)> = self.frames[s.index()].inputs.clone();
        declared.sort_by(|a, b| a.1.cmp(&b.1));
        for (key, name) in declared {
            match key {
                Key::Value(ValueSrc::LoopItem { scope, field, .. }) if scope == s => {
                    let item = match field {
                        Some(f) => format!("{{{{item.{f}}}}}"),
                        None => "{{item}}".to_owned(),
                    };
                    inner.arguments.parameters.push(Parameter::with_value(name, item));
                }
                Key::Artifact(_) => {
                    inputs.artifacts.push(ArtifactRef { name: name.clone(), path: None, from: None });
                    let from = format!("{{{{inputs.artifacts.{name}}}}}");
                    inner.arguments.artifacts.push(ArtifactRef::from_output(name, from));
                }
                Key::Value(_) => {
                    inputs.parameters.push(Parameter::named(name.clone()));
                    inner.arguments.parameters.push(Parameter::with_value(name.clone(), expr::input_param(&name)));
                }
            }
        }
        match &l.source {
            LoopSource::Static(items) => inner.with_items = Some(items.clone()),
            _ => {
                inputs.parameters.push(Parameter::named("loop-items"));
                inner.with_param = Some(expr::input_param("loop-items"));
            }
        }
        let mut outputs = Outputs::default();
        for i in 0..l.outputs.len() as u32 {
            let out = self.loop_output_name(s, i);
            let parameter = expr::task_output_param(&names.group, &out);
            outputs.parameters.push(Parameter {
                name: Name::from(out),
                value_from: Some(ValueFrom { path: None, parameter: Some(parameter), default: None, json_path: None }),
                ..Parameter::default()
            });
        }
        Template {
            name: wrapper.to_string(),
            parallelism: l.parallelism,
            inputs,
            outputs,
            dag: Some(DagTemplate { tasks: vec![inner] }),
            ..Template::default()
        }
    }

    /// A condition as Argo's `when`: one expression tag that reads every value as a variable, so no
    /// value can change the condition. Strings (and booleans) compare as strings; numbers compare as
    /// numbers when both sides are numbers, and a value that is not one compares like NaN (false,
    /// except `!=`) instead of failing the step.
    fn render_cond(&mut self, c: &Cond, s: ScopeId, deps: &mut Vec<Node>) -> Result<String, String> {
        Ok(expr::tag(&self.cond_expr(c, s, deps)?))
    }

    fn cond_expr(&mut self, c: &Cond, s: ScopeId, deps: &mut Vec<Node>) -> Result<String, String> {
        Ok(match c {
            Cond::Cmp { lhs, op, rhs, quoted: true } => {
                let l = self.operand(lhs, true, s, deps)?;
                let r = self.operand(rhs, true, s, deps)?;
                format!("{l} {} {r}", symbol(*op))
            }
            Cond::Cmp { lhs, op, rhs, quoted: false } => {
                let l = self.operand(lhs, false, s, deps)?;
                let r = self.operand(rhs, false, s, deps)?;
                let mut guards = Vec::new();
                let mut number = |side: &Operand, text: String| match side {
                    Operand::Value(_) => {
                        guards.push(expr::is_number(&text));
                        format!("asFloat({text})")
                    }
                    _ => text,
                };
                let (l, r) = (number(lhs, l), number(rhs, r));
                guards.push(match op {
                    CmpOp::Ne => format!("{l} == {r}"),
                    _ => format!("{l} {} {r}", symbol(*op)),
                });
                let all = guards.join(" && ");
                if *op == CmpOp::Ne { format!("!({all})") } else { format!("({all})") }
            }
            Cond::And(a, b) => format!("({}) && ({})", self.cond_expr(a, s, deps)?, self.cond_expr(b, s, deps)?),
            Cond::Or(a, b) => format!("({}) || ({})", self.cond_expr(a, s, deps)?, self.cond_expr(b, s, deps)?),
            Cond::Not(a) => format!("!({})", self.cond_expr(a, s, deps)?),
            _ => return Err("unsupported condition".to_owned()),
        })
    }

    /// One side of a comparison as an expression: a value as a variable (or a sum of text and
    /// variables), a string literal quoted, a number literal as a number.
    fn operand(&mut self, o: &Operand, quoted: bool, s: ScopeId, deps: &mut Vec<Node>) -> Result<String, String> {
        match o {
            Operand::Value(v) => {
                let text = self.resolve(*v, s, deps)?;
                expr::text_expr(&text)
            }
            Operand::Literal(l) if quoted => Ok(expr::str_lit(l)),
            Operand::Literal(l) => match l.trim().parse::<f64>() {
                Ok(x) if x.is_finite() => Ok(format!("{x:?}")),
                _ => Err(format!("`{l}` is not a finite number: a condition compares numbers with numbers")),
            },
            _ => Err("unsupported operand".to_owned()),
        }
    }

    /// The DAG's tasks in topological order, ties broken by name, with their dependencies.
    fn order(
        &mut self,
        s: ScopeId,
        tasks: Vec<DagTask>,
        nodes: Vec<(Node, Vec<Node>)>,
        index: &FastMap<Node, usize>,
    ) -> Vec<DagTask> {
        let n = tasks.len();
        let mut indegree = vec![0u32; n];
        let mut downstream: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut slots: Vec<Option<DagTask>> = tasks.into_iter().map(Some).collect();
        for (i, (_, deps)) in nodes.iter().enumerate() {
            let mut on: Vec<usize> = deps.iter().filter_map(|d| index.get(d).copied()).filter(|&j| j != i).collect();
            on.sort_unstable();
            on.dedup();
            for &j in &on {
                indegree[i] += 1;
                downstream[j].push(i);
            }
            let mut dependencies: Vec<Name> =
                on.iter().filter_map(|&j| slots[j].as_ref().map(|t| t.name.clone())).collect();
            dependencies.sort_unstable();
            if let Some(t) = slots[i].as_mut() {
                t.dependencies = dependencies;
            }
        }
        let names: Vec<Name> = slots.iter().map(|t| t.as_ref().map(|t| t.name.clone()).unwrap_or_default()).collect();
        let mut ready: BinaryHeap<Reverse<(&Name, usize)>> =
            (0..n).filter(|&i| indegree[i] == 0).map(|i| Reverse((&names[i], i))).collect();
        let mut out = Vec::with_capacity(n);
        while let Some(Reverse((_, i))) = ready.pop() {
            if let Some(t) = slots[i].take() {
                out.push(t);
            }
            for &d in &downstream[i] {
                indegree[d] -= 1;
                if indegree[d] == 0 {
                    ready.push(Reverse((&names[d], d)));
                }
            }
        }
        if out.len() < n {
            let stuck: Vec<String> = slots.iter().flatten().map(|t| format!("`{}`", t.name)).collect();
            let location = self.p.scope(s).location;
            let template = self.template_name(s).to_owned();
            self.error(
                location,
                format!(
                    "dependency cycle in `{template}` between {} (`.after(..)` across a loop, condition or exit handler?)",
                    stuck.join(", ")
                ),
            );
            out.extend(slots.into_iter().flatten());
        }
        out
    }
}

fn symbol(op: CmpOp) -> &'static str {
    op.symbol()
}
