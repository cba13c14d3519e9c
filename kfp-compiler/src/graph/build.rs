//! Builds the [`Graph`] to draw from the model: one node per task, one box per scope that holds a
//! task, and arrows for dependencies (data, `.after(..)`, triggers), exit handlers and graph calls.

use std::collections::BTreeMap;

use kfp_dsl::{
    ArgValue, Callee, CmpOp, Cond, DepKind, FmtPart, LoopSource, Operand, Pipeline, ScopeId, ScopeKind, SequenceCount,
    TaskId, Trigger, ValueSrc,
};

use super::{Cluster, Edge, EdgeKind, Graph, Node};
use crate::error::CompileError;
use crate::passes;

/// The longest scope label drawn; longer ones end in `…`.
const MAX_LABEL: usize = 72;

/// Builds the graph of `p`.
pub(crate) fn build(p: &Pipeline) -> Result<Graph, CompileError> {
    let names = task_names(p)?;
    let b = Builder { p, names: &names };
    let scope_cluster = b.clusters();
    let mut clusters = Vec::new();
    for (s, c) in scope_cluster.iter().enumerate() {
        if c.is_some() {
            let scope = &p.scopes()[s];
            let parent = scope.parent.and_then(|ps| scope_cluster[ps.index()]);
            clusters.push(Cluster { label: b.scope_label(&scope.kind), parent });
        }
    }
    let nodes = p
        .task_ids()
        .map(|t| {
            let task = p.task(t);
            let iface = p.interface(task.callee());
            let calls_graph = matches!(task.callee(), Callee::Graph(_));
            let detail = match (task.display_name(), calls_graph) {
                (Some(d), _) => d.to_owned(),
                (None, true) => format!("graph {}", iface.name),
                (None, false) => iface.name.to_owned(),
            };
            Node { name: names[t.index()].clone(), detail, cluster: scope_cluster[task.scope().index()], calls_graph }
        })
        .collect();
    let mut graph = Graph { title: p.name().to_owned(), nodes, clusters, edges: Vec::new() };
    graph.edges = b.edges();
    Ok(graph)
}

/// The tasks' names in the compiled workflow (unique DNS-1123 labels), by `TaskId::index`.
fn task_names(p: &Pipeline) -> Result<Vec<String>, CompileError> {
    let validated = passes::validate::validate(p)?;
    let none = |_: TaskId| false;
    let variants = passes::variants::variants(&validated, &passes::variants::Split::ByTask(&none))?;
    let names = passes::naming::name(&validated, variants)?;
    Ok(names.tasks.iter().map(|n| n.to_string()).collect())
}

struct Builder<'p> {
    p: &'p Pipeline,
    names: &'p [String],
}

impl Builder<'_> {
    /// Per scope: its cluster index, when it holds a task (the root has none). Parents come first:
    /// a scope is made inside its parent, after it.
    fn clusters(&self) -> Vec<Option<usize>> {
        let scopes = self.p.scopes();
        let mut holds = vec![false; scopes.len()];
        for t in self.p.task_ids() {
            let mut at = Some(self.p.task(t).scope());
            while let Some(s) = at {
                if std::mem::replace(&mut holds[s.index()], true) {
                    break;
                }
                at = scopes[s.index()].parent;
            }
        }
        let mut next = 0;
        (0..scopes.len())
            .map(|s| {
                (s != ScopeId::ROOT.index() && holds[s]).then(|| {
                    next += 1;
                    next - 1
                })
            })
            .collect()
    }

    /// Whether task `t` is in scope `s` or below it.
    fn inside(&self, t: TaskId, s: ScopeId) -> bool {
        let mut at = Some(self.p.task(t).scope());
        while let Some(x) = at {
            if x == s {
                return true;
            }
            at = self.p.scope(x).parent;
        }
        false
    }

    /// The tasks of scope `s` (and below) that nothing else there waits for (`last`), or that wait
    /// for nothing there (`!last`), counting the arrows in `also` (from, to) as dependencies too.
    fn ends(&self, s: ScopeId, last: bool, also: &[(TaskId, TaskId)]) -> Vec<TaskId> {
        let member: Vec<bool> = self.p.task_ids().map(|t| self.inside(t, s)).collect();
        self.p
            .task_ids()
            .filter(|&t| member[t.index()])
            .filter(|&t| {
                if last {
                    !self
                        .p
                        .downstream(t)
                        .chain(also.iter().filter(|a| a.0 == t).map(|a| a.1))
                        .any(|d| member[d.index()])
                } else {
                    !self
                        .p
                        .upstream(t)
                        .map(|(u, _)| u)
                        .chain(also.iter().filter(|a| a.1 == t).map(|a| a.0))
                        .any(|u| member[u.index()])
                }
            })
            .collect()
    }

    fn edges(&self) -> Vec<Edge> {
        let p = self.p;
        // (from, to, kind) -> label parts
        let mut found: BTreeMap<(usize, usize, EdgeKind), Vec<String>> = BTreeMap::new();
        let mut add = |from: TaskId, to: TaskId, kind, label: Option<String>| {
            let parts = found.entry((from.index(), to.index(), kind)).or_default();
            if let Some(l) = label
                && !parts.contains(&l)
            {
                parts.push(l);
            }
        };
        for t in p.task_ids() {
            for (u, dep) in p.upstream(t) {
                match dep.kind {
                    DepKind::Data => {
                        let passed = self.passed(u, t);
                        if passed.is_empty() {
                            add(u, t, EdgeKind::Data, None);
                        }
                        for l in passed {
                            add(u, t, EdgeKind::Data, Some(l));
                        }
                    }
                    DepKind::After => add(u, t, EdgeKind::After, None),
                    DepKind::Trigger(Trigger::Finished) => add(u, t, EdgeKind::Trigger, Some("finished".into())),
                    DepKind::Trigger(Trigger::Failed) => add(u, t, EdgeKind::Trigger, Some("failed".into())),
                }
            }
            if let Callee::Graph(g) = p.task(t).callee() {
                for first in self.ends(p.graph_spec(g).scope, false, &[]) {
                    add(t, first, EdgeKind::Calls, Some("calls".into()));
                }
            }
        }
        let mut tested = Vec::new();
        for (i, scope) in p.scopes().iter().enumerate() {
            let here = kfp_dsl::__private::scope_id(i as u32);
            // What a condition tests, and what a loop iterates over, flow into the scope's first tasks.
            let mut read = Vec::new();
            match &scope.kind {
                ScopeKind::Condition(c) => c.visit_values(&mut |v| self.refs(v, &mut read)),
                ScopeKind::Loop(l) => match &l.source {
                    LoopSource::Param(v) | LoopSource::Sequence { count: SequenceCount::Value(v), .. } => {
                        self.refs(v, &mut read)
                    }
                    LoopSource::Static(_) | LoopSource::Sequence { .. } => {}
                },
                _ => {}
            }
            for (producer, port) in read {
                for first in self.ends(here, false, &[]) {
                    tested.push((producer, first, self.port_name(producer, port)));
                }
            }
        }
        let also: Vec<(TaskId, TaskId)> = tested.iter().map(|(a, b, _)| (*a, *b)).collect();
        for &(t, s, _) in p.after_scopes() {
            for last in self.ends(s, true, &also) {
                add(last, t, EdgeKind::After, None);
            }
        }
        for (i, scope) in p.scopes().iter().enumerate() {
            if let ScopeKind::ExitBody { exit } = scope.kind {
                let body = kfp_dsl::__private::scope_id(i as u32);
                for last in self.ends(body, true, &also) {
                    for first in self.ends(exit, false, &also) {
                        add(last, first, EdgeKind::Exit, Some("on exit".into()));
                    }
                }
            }
        }
        // A task that reads the value already has its arrow, labelled with what it reads.
        for (producer, first, port) in tested {
            found.entry((producer.index(), first.index(), EdgeKind::Data)).or_insert_with(|| vec![port]);
        }
        found.into_iter().map(|((from, to, kind), parts)| Edge { from, to, kind, label: parts.join(", ") }).collect()
    }

    /// What task `to` reads from task `from`: `port`, or `port→input` when the input is named
    /// otherwise.
    fn passed(&self, from: TaskId, to: TaskId) -> Vec<String> {
        let p = self.p;
        let task = p.task(to);
        let inputs = p.interface(task.callee()).inputs;
        let mut out = Vec::new();
        for (arg, input) in task.args().iter().zip(inputs) {
            let mut refs = Vec::new();
            match arg {
                ArgValue::Param(v) | ArgValue::ArtifactList(v) => self.refs(v, &mut refs),
                ArgValue::Artifact(a) => refs.push((a.task, a.port)),
                ArgValue::Const(_) | ArgValue::Absent => {}
            }
            for (t, port) in refs {
                if t == from {
                    let port = self.port_name(t, port);
                    let l = if port == input.name { port } else { format!("{port}→{}", input.name) };
                    if !out.contains(&l) {
                        out.push(l);
                    }
                }
            }
        }
        out
    }

    /// The task outputs value `v` is made from.
    fn refs(&self, v: &ValueSrc, out: &mut Vec<(TaskId, u32)>) {
        match *v {
            ValueSrc::TaskOutput { task, port, .. } => out.push((task, port)),
            ValueSrc::Formatted { index, .. } => {
                for part in self.p.formatted(index) {
                    if let FmtPart::Value(v) = part {
                        self.refs(v, out);
                    }
                }
            }
            ValueSrc::Defaulted { index, .. } => self.refs(&self.p.defaulted(index).value, out),
            ValueSrc::LoopOutput { scope, index, .. } => {
                if let ScopeKind::Loop(l) = &self.p.scope(scope).kind
                    && let Some(o) = l.outputs.get(index as usize)
                {
                    self.refs(&o.value, out);
                }
            }
            _ => {}
        }
    }

    fn port_name(&self, t: TaskId, port: u32) -> String {
        let outputs = self.p.interface(self.p.task(t).callee()).outputs;
        outputs.get(port as usize).map_or_else(|| format!("output-{port}"), |o| o.name.clone())
    }

    fn scope_label(&self, kind: &ScopeKind) -> String {
        let label = match kind {
            ScopeKind::Root => self.p.name().to_owned(),
            ScopeKind::Loop(l) => {
                let over = match &l.source {
                    LoopSource::Static(items) => {
                        format!("for each in {}", serde_json::Value::Array(items.clone()))
                    }
                    LoopSource::Param(v) => format!("for each in {}", self.describe(v)),
                    LoopSource::Sequence { start, count: SequenceCount::Literal(n) } => {
                        format!("for each in {start}..{}", *start as i128 + i128::from(*n))
                    }
                    LoopSource::Sequence { start, count: SequenceCount::Value(v) } => {
                        format!("for each in {start}.. ({} items)", self.describe(v))
                    }
                };
                match l.parallelism {
                    Some(n) => format!("{over}, {n} at once"),
                    None => over,
                }
            }
            ScopeKind::Condition(c) => format!("if {}", self.cond(c)),
            ScopeKind::ExitBody { .. } => "exit handler".to_owned(),
            ScopeKind::ExitTasks { .. } => "on exit".to_owned(),
            ScopeKind::Graph(g) => format!("graph {}", self.p.graph_spec(*g).interface.name),
        };
        shorten(label, MAX_LABEL)
    }

    fn cond(&self, c: &Cond) -> String {
        let nested = |c: &Cond| match c {
            Cond::And(..) | Cond::Or(..) => format!("({})", self.cond(c)),
            _ => self.cond(c),
        };
        match c {
            Cond::Cmp { lhs, op, rhs, quoted } => {
                let side = |o: &Operand| match o {
                    Operand::Value(v) => self.describe(v),
                    Operand::Literal(s) if *quoted => format!("\"{s}\""),
                    Operand::Literal(s) => s.clone(),
                };
                format!("{} {} {}", side(lhs), op_text(*op), side(rhs))
            }
            Cond::And(a, b) => format!("{} && {}", nested(a), nested(b)),
            Cond::Or(a, b) => format!("{} || {}", nested(a), nested(b)),
            Cond::Not(a) => format!("!({})", self.cond(a)),
        }
    }

    /// A value as the picture names it: `task.output`, a parameter's name, `item.field`, ...
    fn describe(&self, v: &ValueSrc) -> String {
        let p = self.p;
        match *v {
            ValueSrc::PipelineParam { index, .. } => {
                p.params().get(index as usize).map_or_else(|| "parameter".to_owned(), |s| s.name.clone())
            }
            ValueSrc::TaskOutput { task, port, .. } => {
                format!("{}.{}", self.names[task.index()], self.port_name(task, port))
            }
            ValueSrc::ComponentInput(n) => n.to_owned(),
            ValueSrc::LoopItem { field: Some(f), .. } => format!("item.{f}"),
            ValueSrc::LoopItem { field: None, .. } => "item".to_owned(),
            ValueSrc::LoopOutput { scope, index, .. } => match &p.scope(scope).kind {
                ScopeKind::Loop(l) if (index as usize) < l.outputs.len() => {
                    format!("all {}", self.describe(&l.outputs[index as usize].value))
                }
                _ => "loop outputs".to_owned(),
            },
            ValueSrc::GraphInput { scope, index, .. } => match p.scope(scope).kind {
                ScopeKind::Graph(g) => p
                    .graph_spec(g)
                    .interface
                    .inputs
                    .get(index as usize)
                    .map_or_else(|| "input".to_owned(), |i| i.name.clone()),
                _ => "input".to_owned(),
            },
            ValueSrc::Formatted { index, .. } => p
                .formatted(index)
                .iter()
                .map(|part| match part {
                    FmtPart::Lit(s) => s.clone(),
                    FmtPart::Value(v) => format!("{{{}}}", self.describe(v)),
                })
                .collect(),
            ValueSrc::Defaulted { index, .. } => self.describe(&p.defaulted(index).value),
            ValueSrc::ExitStatus { .. } => "status".to_owned(),
            ValueSrc::Global(g) => g.call().to_owned(),
        }
    }
}

fn op_text(op: CmpOp) -> &'static str {
    op.symbol()
}

/// `s` cut to `max` characters, ending in `…` when cut.
pub(crate) fn shorten(s: String, max: usize) -> String {
    if s.chars().count() <= max {
        return s;
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}
