//! `h_exit_handler`: `dsl.ExitHandler` as an `exit-handler-N` DAG task; the exit task follows it
//! (`dependentTasks: [exit-handler-1]`, `triggerPolicy.strategy: ALL_UPSTREAM_TASKS_COMPLETED`) and
//! gets its final status through `taskFinalStatus` into an optional `TASK_FINAL_STATUS` input. The
//! run id is `{{$.pipeline_job_uuid}}` as the whole value of a task input.

use kfp_compiler::kfp_v2::placeholder::{PIPELINE_JOB_UUID, input_parameter, output_parameter_file};
use kfp_compiler::kfp_v2::{
    ComponentSpec, ContainerSpec, DagSpec, Executor, ParameterType, PipelineInfo, PipelineSpec, TaskInputParameter,
    TriggerPolicy,
};
use serde_json::json;

use super::a_linear::{out, p, task};
use super::f_condition::{ch, group};
use ParameterType::{TaskFinalStatus, Text as Str};

/// `sh -c 'echo "$0" | tee "$1"' MSG OUTPUT_FILE`.
fn tee() -> Executor {
    ContainerSpec::new("alpine:3.18")
        .command(["sh", "-c", r#"mkdir -p "$(dirname "$1")" && echo "$0" | tee "$1""#])
        .args([input_parameter("msg"), output_parameter_file("o")])
        .into()
}

pub(crate) fn spec() -> PipelineSpec {
    let step = |n: &str| {
        ComponentSpec::executor(format!("exec-step{n}")).input_parameter("msg", p(Str)).output_parameter("o", out(Str))
    };
    let exit_handler = DagSpec::default()
        .task(
            "condition-2",
            group("comp-condition-2", "condition-2")
                .after("step-2")
                .parameter(ch("step-2-o"), TaskInputParameter::task_output("step-2", "o"))
                .trigger(TriggerPolicy::condition(format!("inputs.parameter_values['{}'] == 'ok'", ch("step-2-o")))),
        )
        .task("step", task("comp-step", "prepare").parameter("msg", TaskInputParameter::constant("ok")))
        .task(
            "step-2",
            task("comp-step-2", "work").after("step").parameter("msg", TaskInputParameter::task_output("step", "o")),
        );
    let root = DagSpec::default().task("exit-handler-1", group("comp-exit-handler-1", "cleanup-and-notify")).task(
        "notify",
        task("comp-notify", "notify")
            .after("exit-handler-1")
            .parameter("notify_url", TaskInputParameter::component_input("notify_url"))
            .parameter("run_id", TaskInputParameter::constant(PIPELINE_JOB_UUID))
            .parameter("status", TaskInputParameter::final_status("exit-handler-1"))
            .trigger(TriggerPolicy::all_upstream_completed()),
    );
    let root = ComponentSpec::dag(root)
        .input_parameter("notify_url", p(Str).default_value(json!("http://hooks.example.com/x")));

    PipelineSpec::new(PipelineInfo::new("exit-handler"), root)
        .component(
            "comp-condition-2",
            ComponentSpec::dag(DagSpec::default().task(
                "step-3",
                task("comp-step-3", "celebrate").parameter("msg", TaskInputParameter::constant("yay")),
            ))
            .input_parameter(ch("step-2-o"), p(Str)),
        )
        .component("comp-exit-handler-1", ComponentSpec::dag(exit_handler))
        .component(
            "comp-notify",
            ComponentSpec::executor("exec-notify")
                .input_parameter("notify_url", p(Str))
                .input_parameter("run_id", p(Str))
                .input_parameter("status", p(TaskFinalStatus).optional()),
        )
        .component("comp-step", step(""))
        .component("comp-step-2", step("-2"))
        .component("comp-step-3", step("-3"))
        .executor(
            "exec-notify",
            ContainerSpec::new("curlimages/curl:8.5.0")
                .command(["curl", "-X", "POST", "-d"])
                .args([
                    format!("run={} status={}", input_parameter("run_id"), input_parameter("status")),
                    input_parameter("notify_url"),
                ])
                .into(),
        )
        .executor("exec-step", tee())
        .executor("exec-step-2", tee())
        .executor("exec-step-3", tee())
}
