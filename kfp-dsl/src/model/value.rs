//! Values: where a parameter or artifact comes from, a task's arguments, and strings built from values.

use crate::model::{DagId, ScopeId, TaskId};

/// Where a parameter value comes from. Type-erased; the typed handles wrap it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[doc(hidden)]
pub enum ValueSrc {
    /// The pipeline's parameter number `index`.
    PipelineParam {
        /// Which dag made the handle.
        dag: DagId,
        /// Index into the pipeline's parameters.
        index: u32,
    },
    /// Output number `port` of a task.
    TaskOutput {
        /// Which dag made the handle.
        dag: DagId,
        /// The producing task.
        task: TaskId,
        /// Index into the component's outputs.
        port: u32,
    },
    /// A component's own input, inside the component body (renders as a placeholder).
    ComponentInput(&'static str),
    /// The current item of a loop, or one field of it.
    LoopItem {
        /// Which dag made the handle.
        dag: DagId,
        /// The loop's scope.
        scope: ScopeId,
        /// The field, for `item.field`.
        field: Option<&'static str>,
        /// A field of a field: Argo cannot address it.
        nested: bool,
    },
    /// The values a loop body returned, collected over all iterations (a JSON list).
    LoopOutput {
        /// Which dag made the handle.
        dag: DagId,
        /// The loop's scope.
        scope: ScopeId,
        /// Which of the loop's returned values.
        index: u32,
    },
    /// An input of a graph component, inside its body.
    GraphInput {
        /// Which dag made the handle.
        dag: DagId,
        /// The graph's scope.
        scope: ScopeId,
        /// Which input.
        index: u32,
    },
    /// A string built from text and other values with `fmt_param!`.
    Formatted {
        /// Which dag made the handle.
        dag: DagId,
        /// Index into the dag's formatted values.
        index: u32,
    },
    /// A task output with a value to use when the condition around the task skipped it.
    Defaulted {
        /// Which dag made the handle.
        dag: DagId,
        /// Index into the dag's defaulted values.
        index: u32,
    },
    /// The status of what an exit handler wraps (`Succeeded`, `Failed`, `Error`).
    ExitStatus {
        /// Which dag made the handle.
        dag: DagId,
        /// The exit handler's body scope.
        scope: ScopeId,
    },
    /// A workflow-wide value.
    Global(GlobalValue),
}

impl ValueSrc {
    /// The dag that made the handle, if any.
    pub fn dag(&self) -> Option<DagId> {
        match *self {
            ValueSrc::PipelineParam { dag, .. }
            | ValueSrc::TaskOutput { dag, .. }
            | ValueSrc::LoopItem { dag, .. }
            | ValueSrc::LoopOutput { dag, .. }
            | ValueSrc::GraphInput { dag, .. }
            | ValueSrc::Formatted { dag, .. }
            | ValueSrc::Defaulted { dag, .. }
            | ValueSrc::ExitStatus { dag, .. } => Some(dag),
            ValueSrc::ComponentInput(_) | ValueSrc::Global(_) => None,
        }
    }
}

/// Values of the run (and of the task reading them) every task can read: kfp's placeholders.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum GlobalValue {
    /// The run's unique id (`{{workflow.uid}}`; kfp's `RUN_ID_PLACEHOLDER`).
    RunId,
    /// The workflow's name (`{{workflow.name}}`).
    WorkflowName,
    /// The workflow's namespace (`{{workflow.namespace}}`).
    Namespace,
    /// The run's Kubernetes object name (kfp's `PIPELINE_JOB_RESOURCE_NAME_PLACEHOLDER`).
    JobResourceName,
    /// When the run was created, RFC 3339 in UTC (kfp's `PIPELINE_JOB_CREATE_TIME_UTC_PLACEHOLDER`).
    CreateTime,
    /// When a schedule started the run, RFC 3339 in UTC (kfp's
    /// `PIPELINE_JOB_SCHEDULE_TIME_UTC_PLACEHOLDER`).
    ScheduleTime,
    /// The name of the task that reads the value (kfp's `PIPELINE_TASK_NAME_PLACEHOLDER`).
    TaskName,
    /// An id of the task that reads the value (kfp's `PIPELINE_TASK_ID_PLACEHOLDER`).
    TaskId,
    /// Which attempt of the reading task this is: 0, then 1 for the first retry, ...
    RetryCount,
}

impl GlobalValue {
    /// The builder call that makes the value, for messages (`p.task_name()`).
    pub fn call(self) -> &'static str {
        match self {
            GlobalValue::RunId => "p.run_id()",
            GlobalValue::WorkflowName => "p.workflow_name()",
            GlobalValue::Namespace => "p.namespace()",
            GlobalValue::JobResourceName => "p.job_resource_name()",
            GlobalValue::CreateTime => "p.create_time()",
            GlobalValue::ScheduleTime => "p.schedule_time()",
            GlobalValue::TaskName => "p.current_task_name()",
            GlobalValue::TaskId => "p.current_task_id()",
            GlobalValue::RetryCount => "p.retry_count()",
        }
    }
}

/// Where an artifact comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[doc(hidden)]
pub struct ArtifactSrc {
    /// Which dag made the handle.
    pub dag: DagId,
    /// The producing task.
    pub task: TaskId,
    /// Index into the component's outputs.
    pub port: u32,
}

/// A task argument after type checking: what the graph model stores.
#[derive(Clone, Debug, PartialEq)]
#[doc(hidden)]
pub enum ArgValue {
    /// A literal, rendered as the Argo parameter string.
    Const(String),
    /// A parameter handle.
    Param(ValueSrc),
    /// An artifact handle.
    Artifact(ArtifactSrc),
    /// The artifacts a loop collected (a `ValueSrc::LoopOutput` of an artifact): feeds a list input.
    ArtifactList(ValueSrc),
    /// An optional input the call leaves out (it has no default).
    Absent,
}

/// A part of a string built with `fmt_param!`.
#[derive(Clone, Debug, PartialEq)]
pub enum FmtPart {
    /// Text.
    Lit(String),
    /// A value's string.
    Value(ValueSrc),
}
