//! The backend-neutral plan: every DAG of the pipeline (the root, loops, conditions, exit handlers,
//! graph components) with its tasks in order, their arguments as typed [`ValueRef`]s, their
//! dependencies, conditions, loops and exit hooks, and the inputs and outputs each DAG needs so that
//! values cross scope boundaries. Planning decides everything any backend needs; a backend only
//! spells it (Argo as `{{...}}` in `argo::expr`, the KFP v2 IR as `componentInputParameter`,
//! `taskOutputParameter`, `parameterIterator`, `triggerPolicy.condition`, ...).
//!
//! Values cross scope boundaries as kfp plumbs them: a value used inside a nested scope becomes an
//! input of that scope's DAG and an argument of its group task in the parent, recursively up to where
//! the value exists. A loop's collected outputs and a graph's returns leave their scope as DAG
//! outputs; a task output read outside the conditions around it (`default_if_skipped`) leaves each
//! condition as an output with its default. Anything else leaving a scope is a planning error.

mod after;
mod build;
mod groups;
mod order;
mod values;

use kfp_dsl::{CmpOp, GlobalValue, GraphId, ScopeId, SourceLocation};

pub(crate) use build::plan;

use crate::passes::naming::Name;

/// The planned pipeline.
pub(crate) struct Plan {
    /// One DAG per scope, by `ScopeId::index`: the root first.
    pub(crate) dags: Vec<DagPlan>,
    /// Exit tasks that wrap the whole pipeline (its only root task is their exit handler): they run
    /// after the run (Argo's `onExit`), and see only pipeline parameters ([`ValueRef::PipelineParam`]),
    /// the run's status ([`ValueRef::RunStatus`]) and globals; the body's group task has no
    /// [`ExitHook`]. (KFP v2 puts them in the root DAG after the body, `ALL_UPSTREAM_TASKS_COMPLETED`.)
    pub(crate) on_exit: Option<ScopeId>,
}

impl Plan {
    /// The DAG of scope `s`.
    pub(crate) fn dag(&self, s: ScopeId) -> &DagPlan {
        &self.dags[s.index()]
    }
}

/// What a DAG is the body of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DagKind {
    /// The pipeline; its inputs are the pipeline parameters.
    Root,
    /// One iteration of a loop; its outputs are collected over the iterations.
    Loop,
    /// A condition's branch; its outputs carry `default_if_skipped` values out.
    Condition,
    /// What an exit handler wraps.
    ExitBody,
    /// An exit handler's exit tasks.
    ExitTasks,
    /// A graph component's body; its inputs are the graph's, its outputs the values it returns.
    Graph(GraphId),
}

/// One DAG: a template on Argo, a component with a `dag` on KFP v2.
#[derive(Debug)]
pub(crate) struct DagPlan {
    #[allow(dead_code, reason = "for the KFP v2 backend, which names and shapes components by kind")]
    pub(crate) scope: ScopeId,
    #[allow(dead_code, reason = "for the KFP v2 backend, which names and shapes components by kind")]
    pub(crate) kind: DagKind,
    /// Its template name.
    pub(crate) name: Name,
    /// Sorted by name, except the root's and a graph's, which keep their declared order.
    pub(crate) inputs: Vec<DagInput>,
    pub(crate) outputs: Vec<DagOutput>,
    /// In topological order, ties broken by name.
    pub(crate) tasks: Vec<TaskPlan>,
}

/// An input of a DAG.
#[derive(Debug)]
pub(crate) struct DagInput {
    pub(crate) name: Name,
    pub(crate) kind: InputKind,
}

/// What a DAG input carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum InputKind {
    /// A parameter (a pipeline parameter, a graph input, or a value plumbed from an enclosing scope).
    Parameter,
    /// An artifact plumbed from an enclosing scope.
    Artifact,
    /// The DAG's own loop item, or one field of it: a parameter its group task passes per iteration.
    Item(Option<&'static str>),
}

/// An output of a DAG: a value read inside it.
#[derive(Debug)]
pub(crate) struct DagOutput {
    pub(crate) name: Name,
    /// As read inside the DAG.
    pub(crate) value: ValueRef,
    /// The value when the condition skipped its producer (`default_if_skipped`).
    pub(crate) default: Option<String>,
}

/// Arguments by input name.
pub(crate) type Args = Vec<(Name, ValueRef)>;

/// A task of a DAG: a component or graph call, or the group task that runs a child scope's DAG. (The
/// group tasks' parts are boxed: a large pipeline holds many more calls than groups, and moves them.)
#[derive(Debug)]
pub(crate) struct TaskPlan {
    pub(crate) name: Name,
    pub(crate) calls: Calls,
    pub(crate) location: SourceLocation,
    /// Parameter arguments, by input name, in the callee's input order (child DAGs: by name).
    pub(crate) parameters: Args,
    /// Artifact arguments, likewise.
    pub(crate) artifacts: Args,
    /// Names of the tasks of the same DAG it waits for (data and `.after(..)`), sorted.
    pub(crate) after: Vec<Name>,
    /// A condition's group task runs when this holds.
    pub(crate) when: Option<Box<Condition>>,
    /// A loop's group task runs its DAG once per item.
    pub(crate) for_each: Option<Box<Iteration>>,
    /// An exit handler's group task: the exit tasks to run when it ends, however it ends.
    pub(crate) exit_hook: Option<Box<ExitHook>>,
}

/// What a task runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Calls {
    /// A component variant (index into `Names::variants`).
    Variant(usize),
    /// A graph component's DAG.
    Graph(GraphId),
    /// A child scope's DAG.
    Scope(ScopeId),
}

/// A loop's items and how many iterations may run at once.
#[derive(Debug)]
pub(crate) struct Iteration {
    pub(crate) items: Items,
    pub(crate) parallelism: Option<u32>,
}

/// Where a loop's items come from.
#[derive(Debug)]
pub(crate) enum Items {
    /// Written in the pipeline.
    Static(Vec<serde_json::Value>),
    /// A JSON list value, read in the DAG that holds the loop.
    Value(ValueRef),
    /// `count` integers from `start`.
    Sequence {
        /// The first item.
        start: i64,
        /// How many.
        count: Count,
    },
}

/// How many items a sequence loop has.
#[derive(Debug)]
pub(crate) enum Count {
    /// Known when the pipeline is built.
    Literal(u64),
    /// An integer value, read in the DAG that holds the loop.
    Value(ValueRef),
}

/// The exit tasks of an exit handler, run after its body with arguments read when they run.
#[derive(Debug)]
pub(crate) struct ExitHook {
    /// The exit tasks' scope.
    pub(crate) calls: ScopeId,
    pub(crate) parameters: Args,
    pub(crate) artifacts: Args,
}

/// A value as read in one DAG.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum ValueRef {
    /// A constant.
    Literal(String),
    /// A parameter input of this DAG.
    Input(Name),
    /// An artifact input of this DAG.
    InputArtifact(Name),
    /// A pipeline parameter read from the run itself (in the pipeline-wide exit tasks, which have no
    /// DAG inputs).
    PipelineParam(Name),
    /// A parameter output of a task of this DAG.
    TaskOutput { task: Name, port: Name },
    /// An artifact output of a task of this DAG.
    TaskArtifact { task: Name, port: Name },
    /// A loop's collected output (a JSON list), from its group task in this DAG.
    LoopOutput { group: Name, port: Name },
    /// A loop's collected artifacts (one per iteration), from its group task in this DAG: feeds a list
    /// input (`Input<Vec<K>>`).
    LoopArtifacts { group: Name, port: Name, dag: Name },
    /// A value a condition's group task in this DAG exports, or its default if the branch was skipped.
    ConditionOutput { group: Name, port: Name },
    /// How the exit handler body's group task in this DAG ended.
    TaskStatus(Name),
    /// How the whole run ended (the pipeline-wide exit tasks).
    RunStatus,
    /// The current loop item, or one field of it (given to the loop DAG by its group task).
    Item(Option<&'static str>),
    /// A value of the run.
    Global(GlobalValue),
    /// Text built from parts.
    Concat(Vec<ValueRef>),
}

/// A condition over values.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Condition {
    Compare { lhs: Operand, op: CmpOp, rhs: Operand, kind: OperandKind },
    And(Box<Condition>, Box<Condition>),
    Or(Box<Condition>, Box<Condition>),
    Not(Box<Condition>),
}

/// How a comparison compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OperandKind {
    /// As strings (strings and booleans).
    Text,
    /// As numbers when both sides are numbers; a value that is not one compares like NaN.
    Number,
}

/// One side of a comparison.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Operand {
    Value(ValueRef),
    Text(String),
    /// A finite number.
    Number(f64),
}
