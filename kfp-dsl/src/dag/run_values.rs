//! Values of the run and of the reading task (`p.run_id()`, `p.create_time()`, `p.retry_count()`,
//! ...): each a `Param` the backends spell as their placeholder.

use crate::dag::Dag;
use crate::handles::Param;
use crate::model::{GlobalValue, ValueSrc};

impl Dag {
    /// The run's unique id (`{{workflow.uid}}`; kfp's `RUN_ID_PLACEHOLDER`).
    pub fn run_id(&self) -> Param<String> {
        Param::from_src(ValueSrc::Global(GlobalValue::RunId))
    }

    /// The workflow's name (`{{workflow.name}}`).
    pub fn workflow_name(&self) -> Param<String> {
        Param::from_src(ValueSrc::Global(GlobalValue::WorkflowName))
    }

    /// The namespace the workflow runs in (`{{workflow.namespace}}`).
    pub fn namespace(&self) -> Param<String> {
        Param::from_src(ValueSrc::Global(GlobalValue::Namespace))
    }

    /// The run's Kubernetes object name (`{{workflow.name}}`; kfp's
    /// `PIPELINE_JOB_RESOURCE_NAME_PLACEHOLDER`).
    pub fn job_resource_name(&self) -> Param<String> {
        Param::from_src(ValueSrc::Global(GlobalValue::JobResourceName))
    }

    /// When the run was created, RFC 3339 in UTC (`2026-12-02T04:50:00Z`; Argo's
    /// `{{workflow.creationTimestamp}}`, kfp's `PIPELINE_JOB_CREATE_TIME_UTC_PLACEHOLDER`).
    pub fn create_time(&self) -> Param<String> {
        Param::from_src(ValueSrc::Global(GlobalValue::CreateTime))
    }

    /// When a schedule started the run, RFC 3339 in UTC; the creation time for a run started by hand
    /// (Argo's `{{workflow.scheduledTime}}` of a CronWorkflow, kfp's
    /// `PIPELINE_JOB_SCHEDULE_TIME_UTC_PLACEHOLDER`).
    pub fn schedule_time(&self) -> Param<String> {
        Param::from_src(ValueSrc::Global(GlobalValue::ScheduleTime))
    }

    /// The name of the task that reads the value (kfp's `PIPELINE_TASK_NAME_PLACEHOLDER`).
    pub fn current_task_name(&self) -> Param<String> {
        Param::from_src(ValueSrc::Global(GlobalValue::TaskName))
    }

    /// An id of the task run that reads the value: the pod's name on Argo, kfp's
    /// `PIPELINE_TASK_ID_PLACEHOLDER` in the KFP v2 IR.
    pub fn current_task_id(&self) -> Param<String> {
        Param::from_src(ValueSrc::Global(GlobalValue::TaskId))
    }

    /// Which attempt of the reading task this is: `0`, then `1` for the first retry (Argo's
    /// `{{retries}}`). The KFP v2 IR has no such placeholder: refused there.
    pub fn retry_count(&self) -> Param<i64> {
        Param::from_src(ValueSrc::Global(GlobalValue::RetryCount))
    }
}
