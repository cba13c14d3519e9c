//! Group tasks: the task in a DAG that runs a child scope's DAG — a loop over its items, a condition's
//! branch when the condition holds, an exit handler's body with its exit tasks as a hook — and the
//! arguments that carry values into the child.

use kfp_dsl::{Cond, LoopSource, ScopeId, ScopeKind, SequenceCount, ValueSrc};

use super::build::{Key, Node, Planner};
use super::{Args, Calls, Condition, Count, ExitHook, Items, Iteration, Operand, OperandKind, TaskPlan, ValueRef};

impl Planner<'_, '_> {
    /// The arguments a group task passes to the DAG of child scope `c`, read in `s`: parameters, then
    /// artifacts, each sorted by name.
    fn group_arguments(&mut self, c: ScopeId, s: ScopeId, deps: &mut Vec<Node>) -> (Args, Args) {
        let (mut parameters, mut artifacts) = (Vec::new(), Vec::new());
        let location = self.p.scope(c).location;
        for (key, name) in self.frames[c.index()].sorted_inputs() {
            let resolved = match key {
                Key::Value(ValueSrc::LoopItem { scope: l, field, .. }) if l == c => Ok(ValueRef::Item(field)),
                Key::Value(v) => self.resolve(v, s, deps),
                Key::Artifact(a) => self.artifact(a, s, deps),
            };
            match (resolved, key) {
                (Ok(e), Key::Artifact(_)) => artifacts.push((name, e)),
                (Ok(e), Key::Value(_)) => parameters.push((name, e)),
                (Err(msg), _) => self.error(location, msg),
            }
        }
        (parameters, artifacts)
    }

    /// The task in `s`'s DAG that runs child scope `c`.
    pub(super) fn group_task(&mut self, c: ScopeId, s: ScopeId, deps: &mut Vec<Node>) -> Option<TaskPlan> {
        let scope = self.p.scope(c).clone();
        let mut task = self.task_plan(self.group_name(c).clone(), Calls::Scope(c), scope.location);
        match &scope.kind {
            ScopeKind::Loop(l) => {
                (task.parameters, task.artifacts) = self.group_arguments(c, s, deps);
                let items = match &l.source {
                    LoopSource::Static(items) => Some(Items::Static(items.clone())),
                    LoopSource::Param(src) => match self.resolve(*src, s, deps) {
                        Ok(e) => Some(Items::Value(e)),
                        Err(msg) => {
                            self.error(scope.location, format!("loop items: {msg}"));
                            None
                        }
                    },
                    LoopSource::Sequence { start, count: SequenceCount::Literal(n) } => {
                        Some(Items::Sequence { start: *start, count: Count::Literal(*n) })
                    }
                    LoopSource::Sequence { start, count: SequenceCount::Value(src) } => {
                        match self.resolve(*src, s, deps) {
                            Ok(e) => Some(Items::Sequence { start: *start, count: Count::Value(e) }),
                            Err(msg) => {
                                self.error(scope.location, format!("range end: {msg}"));
                                None
                            }
                        }
                    }
                };
                task.for_each = items.map(|items| Box::new(Iteration { items, parallelism: l.parallelism }));
            }
            ScopeKind::Condition(cond) => {
                match self.condition(cond, s, deps) {
                    Ok(w) => task.when = Some(Box::new(w)),
                    Err(msg) => self.error(scope.location, format!("condition: {msg}")),
                }
                (task.parameters, task.artifacts) = self.group_arguments(c, s, deps);
            }
            ScopeKind::ExitBody { exit } => {
                (task.parameters, task.artifacts) = self.group_arguments(c, s, deps);
                if self.on_exit != Some(*exit) {
                    // The hook's arguments are read when the hook runs, after the body: no dependency.
                    let mut hook_deps = Vec::new();
                    let (parameters, artifacts) = self.group_arguments(*exit, s, &mut hook_deps);
                    deps.extend(hook_deps.into_iter().filter(|d| *d != Node::Group(c)));
                    task.exit_hook = Some(Box::new(ExitHook { calls: *exit, parameters, artifacts }));
                }
            }
            ScopeKind::Root | ScopeKind::ExitTasks { .. } | ScopeKind::Graph(_) => return None,
        }
        Some(task)
    }

    /// A condition over values read in `s`.
    fn condition(&mut self, c: &Cond, s: ScopeId, deps: &mut Vec<Node>) -> Result<Condition, String> {
        Ok(match c {
            Cond::Cmp { lhs, op, rhs, quoted } => {
                let kind = if *quoted { OperandKind::Text } else { OperandKind::Number };
                let lhs = self.operand(lhs, kind, s, deps)?;
                let rhs = self.operand(rhs, kind, s, deps)?;
                Condition::Compare { lhs, op: *op, rhs, kind }
            }
            Cond::And(a, b) => {
                Condition::And(Box::new(self.condition(a, s, deps)?), Box::new(self.condition(b, s, deps)?))
            }
            Cond::Or(a, b) => {
                Condition::Or(Box::new(self.condition(a, s, deps)?), Box::new(self.condition(b, s, deps)?))
            }
            Cond::Not(a) => Condition::Not(Box::new(self.condition(a, s, deps)?)),
        })
    }

    /// One side of a comparison: a value, or a literal of the comparison's kind.
    fn operand(
        &mut self,
        o: &kfp_dsl::Operand,
        kind: OperandKind,
        s: ScopeId,
        deps: &mut Vec<Node>,
    ) -> Result<Operand, String> {
        match (o, kind) {
            (kfp_dsl::Operand::Value(v), _) => Ok(Operand::Value(self.resolve(*v, s, deps)?)),
            (kfp_dsl::Operand::Literal(l), OperandKind::Text) => Ok(Operand::Text(l.clone())),
            (kfp_dsl::Operand::Literal(l), OperandKind::Number) => match l.trim().parse::<f64>() {
                Ok(x) if x.is_finite() => Ok(Operand::Number(x)),
                _ => Err(format!("`{l}` is not a finite number: a condition compares numbers with numbers")),
            },
        }
    }
}
