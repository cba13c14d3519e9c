//! Values across scope boundaries: how a value is read in a given scope's DAG, and the DAG inputs
//! and outputs that carry it there.

use kfp_dsl::{ArtifactSrc, FmtPart, ScopeId, ScopeKind, TaskId, ValueSrc};

use super::build::{Key, Node, Planner};
use super::{DagOutput, ValueRef};
use crate::passes::naming::Name;

impl Planner<'_, '_> {
    /// Registers `key` as an input of scope `s` and returns the reference that reads it there.
    pub(super) fn input(&mut self, s: ScopeId, key: Key, stem: &str) -> ValueRef {
        let artifact = matches!(key, Key::Artifact(_));
        let frame = &mut self.frames[s.index()];
        let name = match frame.index.get(&key) {
            Some(&i) => frame.inputs[i].1.clone(),
            None => {
                let base: String = stem
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' })
                    .collect();
                let mut name = base.clone();
                let mut n = 2;
                while frame.used.contains(name.as_str()) {
                    name = format!("{base}-{n}");
                    n += 1;
                }
                let name = Name::from(name);
                frame.used.insert(name.clone());
                frame.index.insert(key, frame.inputs.len());
                frame.inputs.push((key, name.clone()));
                name
            }
        };
        if artifact { ValueRef::InputArtifact(name) } else { ValueRef::Input(name) }
    }

    /// Whether values from outside may flow into scope `s` as inputs.
    pub(super) fn plumbable(&self, s: ScopeId) -> Result<(), String> {
        match self.p.scope(s).kind {
            ScopeKind::Graph(_) => Err("a graph component's body can only use its own inputs".to_owned()),
            ScopeKind::ExitTasks { .. } if self.on_exit == Some(s) => Err(
                "the exit handler of the whole pipeline runs as the workflow's `onExit`, where only pipeline parameters, the exit status and workflow values are available".to_owned(),
            ),
            ScopeKind::Root
            | ScopeKind::Loop(_)
            | ScopeKind::Condition(_)
            | ScopeKind::ExitBody { .. }
            | ScopeKind::ExitTasks { .. } => Ok(()),
        }
    }

    /// The reference reading value `v` in the DAG of scope `s`; `deps` gets the nodes of `s`'s DAG it
    /// reads from.
    pub(super) fn resolve(&mut self, v: ValueSrc, s: ScopeId, deps: &mut Vec<Node>) -> Result<ValueRef, String> {
        match v {
            ValueSrc::PipelineParam { index, .. } => {
                let name = &self.p.params()[index as usize].name;
                if s == ScopeId::ROOT {
                    return Ok(ValueRef::Input(Name::from(name.as_str())));
                }
                if self.on_exit.is_some_and(|e| self.encloses(e, s)) {
                    return Ok(ValueRef::PipelineParam(Name::from(name.as_str())));
                }
                if !self.encloses(ScopeId::ROOT, s) {
                    return Err(format!(
                        "pipeline parameter `{name}` is used in a graph component's body; pass it as an input"
                    ));
                }
                self.plumbable(s)?;
                let name = name.clone();
                Ok(self.input(s, Key::Value(v), &name))
            }
            ValueSrc::TaskOutput { task, port, .. } => {
                let ts = self.p.task(task).scope();
                if ts == s {
                    deps.push(Node::Task(task));
                    let port = self.output_port(task, port);
                    return Ok(ValueRef::TaskOutput { task: self.task_name(task).clone(), port });
                }
                if self.encloses(ts, s) {
                    self.plumbable(s)?;
                    let stem = format!("{}-{}", self.task_name(task), self.output_name(task, port));
                    return Ok(self.input(s, Key::Value(v), &stem));
                }
                Err(self.escape_message(task, port))
            }
            ValueSrc::LoopItem { scope: l, field, nested, .. } => {
                // TODO(kfp-v2): an Argo limit, checked here for every backend until the IR backend
                // addresses nested fields.
                if nested {
                    return Err(
                        "Argo addresses one level of an item's fields (`{{item.field}}`), not a field of a field"
                            .to_owned(),
                    );
                }
                if !self.encloses(l, s) {
                    return Err("a loop item is used outside its loop".to_owned());
                }
                let stem = match field {
                    Some(f) => format!("{}-item-{f}", self.group_name(l)),
                    None => format!("{}-item", self.group_name(l)),
                };
                Ok(self.input(s, Key::Value(v), &stem))
            }
            ValueSrc::LoopOutput { scope: l, index, .. } => {
                let Some(home) = self.parent(l) else { return Err("a loop without a parent".to_owned()) };
                if self.encloses(l, s) {
                    return Err("a loop's collected outputs are used inside the loop itself".to_owned());
                }
                let out = self.loop_output_name(l, index);
                if home == s {
                    deps.push(Node::Group(l));
                    return Ok(ValueRef::LoopOutput { group: self.group_name(l).clone(), port: Name::from(out) });
                }
                if self.encloses(home, s) {
                    self.plumbable(s)?;
                    let stem = format!("{}-{out}", self.group_name(l));
                    return Ok(self.input(s, Key::Value(v), &stem));
                }
                Err("a loop's collected outputs are used outside the scope that holds the loop".to_owned())
            }
            ValueSrc::GraphInput { scope: g, index, .. } => {
                let ScopeKind::Graph(graph) = self.p.scope(g).kind else { return Err("not a graph".to_owned()) };
                let name = self.p.graph_spec(graph).interface.inputs[index as usize].name.clone();
                if g == s {
                    return Ok(ValueRef::Input(Name::from(name)));
                }
                if self.encloses(g, s) {
                    self.plumbable(s)?;
                    return Ok(self.input(s, Key::Value(v), &name));
                }
                Err(format!("input `{name}` of a graph component is used outside its body"))
            }
            ValueSrc::ExitStatus { scope: body, .. } => {
                let ScopeKind::ExitBody { exit } = self.p.scope(body).kind else {
                    return Err("not an exit handler".to_owned());
                };
                if Some(s) == self.parent(body) {
                    deps.push(Node::Group(body));
                    return Ok(ValueRef::TaskStatus(self.group_name(body).clone()));
                }
                if !self.encloses(exit, s) {
                    return Err("an exit handler's status is used outside its exit tasks".to_owned());
                }
                if self.on_exit == Some(exit) {
                    return Ok(ValueRef::RunStatus);
                }
                Ok(self.input(s, Key::Value(v), "status"))
            }
            ValueSrc::Defaulted { index, .. } => self.resolve_defaulted(v, index, s, deps),
            ValueSrc::Formatted { index, .. } => {
                let parts = self.p.formatted(index).to_vec();
                let mut out = Vec::with_capacity(parts.len());
                for part in parts {
                    out.push(match part {
                        FmtPart::Lit(t) => ValueRef::Literal(t),
                        FmtPart::Value(v) => self.resolve(v, s, deps)?,
                    });
                }
                Ok(ValueRef::Concat(out))
            }
            ValueSrc::Global(g) => Ok(ValueRef::Global(g)),
            ValueSrc::ComponentInput(name) => {
                Err(format!("`{name}` is a component-body placeholder, not a pipeline value"))
            }
        }
    }

    /// A task output read outside the conditions around its task: each condition on the way out
    /// declares it as an output with the default, and the reader's scope reads the outermost one.
    pub(super) fn resolve_defaulted(
        &mut self,
        v: ValueSrc,
        index: u32,
        s: ScopeId,
        deps: &mut Vec<Node>,
    ) -> Result<ValueRef, String> {
        let d = self.p.defaulted(index).clone();
        let ValueSrc::TaskOutput { task, port, .. } = d.value else {
            return Err("`default_if_skipped` takes a task's output".to_owned());
        };
        let ts = self.p.task(task).scope();
        if self.encloses(ts, s) {
            return self.resolve(d.value, s, deps);
        }
        let Some(home) = self.common_scope(ts, s) else {
            return Err(self.escape_message(task, port));
        };
        if home != s {
            self.plumbable(s)?;
            let stem = format!("{}-{}", self.task_name(task), self.output_name(task, port));
            return Ok(self.input(s, Key::Value(v), &stem));
        }
        // Export the value from each condition between the task and `s`, innermost first.
        let name = Name::from(format!("{}-{}", self.task_name(task), self.output_name(task, port)));
        let mut value = ValueRef::TaskOutput { task: self.task_name(task).clone(), port: self.output_port(task, port) };
        let mut c = ts;
        loop {
            if !matches!(self.p.scope(c).kind, ScopeKind::Condition(_)) {
                return Err(self.escape_message(task, port));
            }
            if !self.exports[c.index()].iter().any(|p| p.name == name) {
                self.exports[c.index()].push(DagOutput { name: name.clone(), value, default: Some(d.default.clone()) });
            }
            value = ValueRef::ConditionOutput { group: self.group_name(c).clone(), port: name.clone() };
            match self.parent(c) {
                Some(parent) if parent == s => {
                    deps.push(Node::Group(c));
                    return Ok(value);
                }
                Some(parent) => c = parent,
                None => return Err(self.escape_message(task, port)),
            }
        }
    }

    pub(super) fn escape_message(&self, task: TaskId, port: u32) -> String {
        let t = self.p.task(task);
        let what = match self.p.scope(t.scope()).kind {
            ScopeKind::Loop(_) => "a loop; collect it by returning it from the loop body",
            ScopeKind::Condition(_) => {
                "a condition, whose branch may be skipped; give it a value for that case with `p.default_if_skipped(..)`, or only wait for it with `.after(..)`"
            }
            ScopeKind::Graph(_) => "a graph component's body; return it from the graph component",
            ScopeKind::ExitTasks { .. } => "an exit handler's exit tasks",
            ScopeKind::ExitBody { .. } => {
                "the body of an exit handler (its exit tasks run even when the body fails, so they cannot read its outputs)"
            }
            ScopeKind::Root => "a nested scope",
        };
        format!(
            "output `{}` of `{}` (called at {}) is used outside {what}",
            self.output_name(task, port),
            self.p.interface(t.callee()).name,
            t.location()
        )
    }

    /// The reference reading the artifacts loop output `v` collected, in the DAG of scope `s`: only in
    /// the DAG that holds the loop (both backends read them from the loop's group task).
    pub(super) fn artifact_list(&mut self, v: ValueSrc, s: ScopeId, deps: &mut Vec<Node>) -> Result<ValueRef, String> {
        let ValueSrc::LoopOutput { scope: l, index, .. } = v else {
            return Err("a list of artifacts comes only from a loop".to_owned());
        };
        let is_artifact = matches!(&self.p.scope(l).kind, ScopeKind::Loop(lp) if lp.outputs.get(index as usize).is_some_and(|o| o.artifact));
        if !is_artifact {
            return Err("a loop's collected parameters are not artifacts".to_owned());
        }
        if self.encloses(l, s) {
            return Err("a loop's collected artifacts are used inside the loop itself".to_owned());
        }
        if self.parent(l) != Some(s) {
            return Err("a loop's collected artifacts can only be used by tasks beside the loop (in the scope that \
                 holds it), not in a nested or enclosing scope"
                .to_owned());
        }
        deps.push(Node::Group(l));
        let port = Name::from(self.loop_output_name(l, index));
        Ok(ValueRef::LoopArtifacts { group: self.group_name(l).clone(), port, dag: self.template_name(l) })
    }

    pub(super) fn artifact(&mut self, a: ArtifactSrc, s: ScopeId, deps: &mut Vec<Node>) -> Result<ValueRef, String> {
        let ts = self.p.task(a.task).scope();
        let out = self.output_port(a.task, a.port);
        if ts == s {
            deps.push(Node::Task(a.task));
            return Ok(ValueRef::TaskArtifact { task: self.task_name(a.task).clone(), port: out });
        }
        if self.encloses(ts, s) {
            self.plumbable(s)?;
            let stem = format!("{}-{out}", self.task_name(a.task));
            return Ok(self.input(s, Key::Artifact(a), &stem));
        }
        Err(self.escape_message(a.task, a.port))
    }
}
