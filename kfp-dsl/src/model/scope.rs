//! Scopes: the nested groups of a pipeline (loops, conditions, exit handlers, graph component bodies).
//! Each becomes a DAG template in the compiled workflow.

use std::ops::{BitAnd, BitOr, Not};

use crate::error::SourceLocation;
use crate::model::{GraphId, ScopeId, ValueSrc};

/// What a loop iterates over.
#[derive(Clone, Debug, PartialEq)]
pub enum LoopSource {
    /// A list known when the pipeline is built (Argo `withItems`).
    Static(Vec<serde_json::Value>),
    /// A JSON list known at run time: a parameter, a task output, an item's field (Argo `withParam`).
    Param(ValueSrc),
    /// `count` integers from `start` (Argo `withSequence`): a range, whose length may be known only at
    /// run time.
    Sequence {
        /// The first item.
        start: i64,
        /// How many items.
        count: SequenceCount,
    },
}

/// How many items a [`LoopSource::Sequence`] has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SequenceCount {
    /// Known when the pipeline is built.
    Literal(u64),
    /// An integer known at run time (a parameter, a task output, an item): the items are `0..n`.
    Value(ValueSrc),
}

/// One loop.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct LoopScope {
    /// The items.
    pub source: LoopSource,
    /// At most this many iterations run at once.
    pub parallelism: Option<u32>,
    /// The values the body returned, collected into lists after the loop.
    pub outputs: Vec<LoopOutputSpec>,
}

/// A value a loop body returns.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct LoopOutputSpec {
    /// The value, in the loop body.
    pub value: ValueSrc,
    /// The kfp type of one element.
    pub type_name: &'static str,
    /// An output artifact (collected into a list of artifacts), not a parameter.
    pub artifact: bool,
}

/// What a scope is.
#[derive(Clone, Debug)]
pub enum ScopeKind {
    /// The pipeline itself.
    Root,
    /// A `parallel_for` body.
    Loop(LoopScope),
    /// A `condition` branch: runs when `cond` holds.
    Condition(Cond),
    /// What an `exit_handler` wraps; `exit` is the scope of its exit tasks.
    ExitBody {
        /// The scope holding the exit tasks.
        exit: ScopeId,
    },
    /// The tasks that run when an exit handler's body finishes, however it ends.
    ExitTasks {
        /// The body they follow.
        body: ScopeId,
    },
    /// A graph component's body.
    Graph(GraphId),
}

/// A scope: its kind, its parent, and where the user opened it.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Scope {
    /// What it is.
    pub kind: ScopeKind,
    /// The enclosing scope (`None` for the root and for graph bodies, which are templates of their own).
    pub parent: Option<ScopeId>,
    /// The `parallel_for` / `condition` / ... call.
    pub location: SourceLocation,
}

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `<`
    Lt,
    /// `<=`
    Le,
}

impl CmpOp {
    /// The operator as Argo's `when` writes it.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
        }
    }
}

/// One side of a comparison.
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    /// A value known at run time.
    Value(ValueSrc),
    /// A literal, as its parameter string.
    Literal(String),
}

/// A condition: what `p.condition(..)` takes.
#[derive(Clone, Debug, PartialEq)]
pub enum Cond {
    /// `lhs op rhs`; `quoted` says whether the operands are compared as strings (quoted in Argo's
    /// expression) or as numbers.
    Cmp {
        /// Left side.
        lhs: Operand,
        /// Operator.
        op: CmpOp,
        /// Right side.
        rhs: Operand,
        /// Strings (and booleans) are quoted; numbers are not.
        quoted: bool,
    },
    /// Both hold.
    And(Box<Cond>, Box<Cond>),
    /// Either holds.
    Or(Box<Cond>, Box<Cond>),
    /// It does not hold.
    Not(Box<Cond>),
}

impl Cond {
    /// Calls `f` on every value the condition reads.
    pub fn visit_values(&self, f: &mut impl FnMut(&ValueSrc)) {
        match self {
            Cond::Cmp { lhs, rhs, .. } => {
                for side in [lhs, rhs] {
                    if let Operand::Value(v) = side {
                        f(v);
                    }
                }
            }
            Cond::And(a, b) | Cond::Or(a, b) => {
                a.visit_values(f);
                b.visit_values(f);
            }
            Cond::Not(a) => a.visit_values(f),
        }
    }
}

impl BitAnd for Cond {
    type Output = Cond;
    fn bitand(self, rhs: Cond) -> Cond {
        Cond::And(Box::new(self), Box::new(rhs))
    }
}

impl BitOr for Cond {
    type Output = Cond;
    fn bitor(self, rhs: Cond) -> Cond {
        Cond::Or(Box::new(self), Box::new(rhs))
    }
}

impl Not for Cond {
    type Output = Cond;
    fn not(self) -> Cond {
        Cond::Not(Box::new(self))
    }
}
