//! `.after(..)` across scopes: each edge becomes a dependency between the nodes that contain its
//! ends, in the DAG of the innermost scope that holds both.

use kfp_dsl::{DepKind, ScopeId, ScopeKind, TaskId};

use super::build::{Node, Planner};

impl Planner<'_, '_> {
    /// Lifts every `.after(..)` edge to the scope where both ends are nodes; an edge no backend can
    /// run (into a graph component's body, onto exit tasks, from inside a scope onto that scope) is an
    /// error at the user's `.after(..)`.
    pub(super) fn lift_after_edges(&mut self) {
        for v in self.p.task_ids() {
            for (u, dep) in self.p.upstream(v) {
                // Triggers (`after_finished` / `after_failed`) join tasks of one scope, and order them too.
                if dep.kind == DepKind::Data {
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

    /// The node standing for `task` (or the scope holding it) in the DAG of its ancestor `a`.
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
                    ScopeKind::Root
                    | ScopeKind::Loop(_)
                    | ScopeKind::Condition(_)
                    | ScopeKind::ExitBody { .. }
                    | ScopeKind::Graph(_) => Node::Group(s),
                });
            }
            s = parent;
        }
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
}
