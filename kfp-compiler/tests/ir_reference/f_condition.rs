//! `f_condition`: `dsl.If`/`Elif`/`Else`, nested. Each group is a DAG component (`comp-condition-N`,
//! and `comp-condition-branches-N` around an if/elif/else chain) whose task carries
//! `triggerPolicy.condition` in CEL over its own `pipelinechannel--...` inputs; an Elif is
//! `!(if) && elif`, an Else `!(if) && !(elif)` (or `!(if)`). Values crossing into a group become
//! `pipelinechannel--<task>-<output>` / `pipelinechannel--<param>` inputs. A `dsl.OneOf` fan-in is a
//! `valueFromOneof` DAG output over the branches' outputs; an f-string argument is a constant with
//! a placeholder plus the extra input it names.

use kfp_compiler::kfp_v2::placeholder::{input_parameter, output_parameter_file};
use kfp_compiler::kfp_v2::{
    ComponentSpec, ContainerSpec, DagOutputParameter, DagSpec, ParameterSelector, ParameterType, PipelineInfo,
    PipelineSpec, PipelineTaskSpec, TaskInputParameter, TriggerPolicy,
};
use serde_json::json;

use super::a_linear::{out, p, sh, task};
use ParameterType::{NumberInteger, Text as Str};

/// A task running a DAG component (no caching options: the SDK writes none on DAG tasks).
pub(crate) fn group(component: &str, name: &str) -> PipelineTaskSpec {
    PipelineTaskSpec::new(component, name)
}

/// `pipelinechannel--<name>`.
pub(crate) fn ch(name: &str) -> String {
    format!("pipelinechannel--{name}")
}

/// Passes the enclosing component's input `pipelinechannel--<name>` on under the same name.
fn pass(t: PipelineTaskSpec, name: &str) -> PipelineTaskSpec {
    t.parameter(ch(name), TaskInputParameter::component_input(ch(name)))
}

/// The CEL reading input `pipelinechannel--<name>` of the task.
fn val(name: &str) -> String {
    format!("inputs.parameter_values['{}']", ch(name))
}

/// A branch of the if/elif/else: one `say-and-pass` task whose output is the DAG's output.
/// `channels` are the enclosing inputs its argument's placeholders read.
fn say_and_pass(n: &str, name: &str, msg: TaskInputParameter, channels: &[&str]) -> (String, ComponentSpec) {
    let sub = format!("say-and-pass{n}");
    let output = ch(&format!("{sub}-said"));
    let call = channels.iter().fold(task(&format!("comp-{sub}"), name).parameter("msg", msg), |t, c| pass(t, c));
    let dag =
        DagSpec::default().output_parameter(&output, DagOutputParameter::from_task(&sub, "said")).task(&sub, call);
    let component = ComponentSpec::dag(dag)
        .input_parameter(ch("mode"), p(Str))
        .input_parameter(ch("random-number-n"), p(NumberInteger))
        .input_parameter(ch("threshold"), p(NumberInteger))
        .output_parameter(&output, out(Str));
    (output, component)
}

pub(crate) fn spec() -> PipelineSpec {
    // f"big: {n}": a constant with a placeholder, plus the input it names.
    let big = TaskInputParameter::constant(format!("big: {}", input_parameter(&ch("random-number-n"))));
    let (said_7, condition_7) = say_and_pass("", "big", big, &["random-number-n"]);
    let (said_8, condition_8) = say_and_pass("-2", "equal", TaskInputParameter::constant("equal"), &[]);
    let (said_9, condition_9) = say_and_pass("-3", "small", TaskInputParameter::constant("small"), &[]);

    let bigger = format!("int({}) > int({})", val("random-number-n"), val("threshold"));
    let equal = format!("int({}) == int({})", val("random-number-n"), val("threshold"));
    let three = |t: PipelineTaskSpec| pass(pass(pass(t, "mode"), "random-number-n"), "threshold");
    let oneof = ch("condition-branches-6-oneof-1");
    let branches_6 = DagSpec::default()
        .output_parameter(
            &oneof,
            DagOutputParameter::one_of(vec![
                ParameterSelector::new("condition-7", said_7),
                ParameterSelector::new("condition-8", said_8),
                ParameterSelector::new("condition-9", said_9),
            ]),
        )
        .task("condition-7", three(group("comp-condition-7", "condition-7")).trigger(TriggerPolicy::condition(&bigger)))
        .task(
            "condition-8",
            three(group("comp-condition-8", "condition-8"))
                .trigger(TriggerPolicy::condition(format!("!({bigger}) && {equal}"))),
        )
        .task(
            "condition-9",
            three(group("comp-condition-9", "condition-9"))
                .trigger(TriggerPolicy::condition(format!("!({bigger}) && !({equal})"))),
        );

    let heads = format!("{} == 'heads'", val("flip-output"));
    let branches_1 = DagSpec::default()
        .task(
            "condition-3",
            pass(group("comp-condition-3", "is-heads"), "flip-output").trigger(TriggerPolicy::condition(&heads)),
        )
        .task(
            "condition-4",
            pass(group("comp-condition-4", "condition-4"), "flip-output")
                .trigger(TriggerPolicy::condition(format!("!({heads})"))),
        );

    let condition_3 = DagSpec::default()
        .task(
            "condition-2",
            pass(group("comp-condition-2", "condition-2"), "flip-output")
                .after("flip-2")
                .parameter(ch("flip-2-output"), TaskInputParameter::task_output("flip-2", "output"))
                .trigger(TriggerPolicy::condition(format!("{} == 'tails'", val("flip-2-output")))),
        )
        .task("flip-2", task("comp-flip-2", "flip-again"));

    let condition_5 = DagSpec::default()
        .task(
            "condition-branches-6",
            pass(pass(group("comp-condition-branches-6", "condition-branches-6"), "mode"), "threshold")
                .after("random-number")
                .parameter(ch("random-number-n"), TaskInputParameter::task_output("random-number", "n")),
        )
        .task("random-number", task("comp-random-number", "random-number"))
        .task(
            "say-3",
            task("comp-say-3", "after-all")
                .after("condition-branches-6")
                .parameter("msg", TaskInputParameter::task_output("condition-branches-6", &oneof)),
        );

    let root = DagSpec::default()
        .task(
            "condition-5",
            group("comp-condition-5", "condition-5")
                .parameter(ch("mode"), TaskInputParameter::component_input("mode"))
                .parameter(ch("threshold"), TaskInputParameter::component_input("threshold"))
                .trigger(TriggerPolicy::condition(format!("{} == 'full'", val("mode")))),
        )
        .task(
            "condition-branches-1",
            group("comp-condition-branches-1", "condition-branches-1")
                .after("flip")
                .parameter(ch("flip-output"), TaskInputParameter::task_output("flip", "output")),
        )
        .task("flip", task("comp-flip", "flip"));
    let root = ComponentSpec::dag(root)
        .input_parameter("mode", p(Str).default_value(json!("full")))
        .input_parameter("threshold", p(NumberInteger).default_value(json!(50.0)));

    let say = |n: &str| ComponentSpec::executor(format!("exec-say{n}")).input_parameter("msg", p(Str));
    let echo = || ContainerSpec::new("alpine:3.18").command(["echo".to_owned(), input_parameter("msg")]).into();
    let pass_on = |n: &str| {
        ComponentSpec::executor(format!("exec-say-and-pass{n}"))
            .input_parameter("msg", p(Str))
            .output_parameter("said", out(Str))
    };
    let tee = || {
        ContainerSpec::new("alpine:3.18")
            .command(["sh", "-c", r#"mkdir -p "$(dirname "$1")" && echo "$0" | tee "$1""#])
            .args([input_parameter("msg"), output_parameter_file("said")])
            .into()
    };
    let flip = |n: &str| ComponentSpec::executor(format!("exec-flip{n}")).output_parameter("output", out(Str));
    let flip_exec = || {
        let script = r#"mkdir -p "$(dirname "$0")" && python -c "import random; print(random.choice(['heads', 'tails']), end='')" | tee "$0""#;
        sh("python:3.10-alpine", script, &[output_parameter_file("output")]).into()
    };
    let random =
        r#"mkdir -p "$(dirname "$0")" && python -c "import random; print(random.randint(0, 100), end='')" | tee "$0""#;

    PipelineSpec::new(PipelineInfo::new("conditions"), root)
        .component(
            "comp-condition-2",
            ComponentSpec::dag(
                DagSpec::default().task(
                    "say",
                    task("comp-say", "heads-then-tails")
                        .parameter("msg", TaskInputParameter::component_input(ch("flip-2-output"))),
                ),
            )
            .input_parameter(ch("flip-2-output"), p(Str))
            .input_parameter(ch("flip-output"), p(Str)),
        )
        .component("comp-condition-3", ComponentSpec::dag(condition_3).input_parameter(ch("flip-output"), p(Str)))
        .component(
            "comp-condition-4",
            ComponentSpec::dag(DagSpec::default().task(
                "say-2",
                task("comp-say-2", "tails").parameter("msg", TaskInputParameter::component_input(ch("flip-output"))),
            ))
            .input_parameter(ch("flip-output"), p(Str)),
        )
        .component(
            "comp-condition-5",
            ComponentSpec::dag(condition_5)
                .input_parameter(ch("mode"), p(Str))
                .input_parameter(ch("threshold"), p(NumberInteger)),
        )
        .component("comp-condition-7", condition_7)
        .component("comp-condition-8", condition_8)
        .component("comp-condition-9", condition_9)
        .component(
            "comp-condition-branches-1",
            ComponentSpec::dag(branches_1).input_parameter(ch("flip-output"), p(Str)),
        )
        .component(
            "comp-condition-branches-6",
            ComponentSpec::dag(branches_6)
                .input_parameter(ch("mode"), p(Str))
                .input_parameter(ch("random-number-n"), p(NumberInteger))
                .input_parameter(ch("threshold"), p(NumberInteger))
                .output_parameter(&oneof, out(Str)),
        )
        .component("comp-flip", flip(""))
        .component("comp-flip-2", flip("-2"))
        .component(
            "comp-random-number",
            ComponentSpec::executor("exec-random-number").output_parameter("n", out(NumberInteger)),
        )
        .component("comp-say", say(""))
        .component("comp-say-2", say("-2"))
        .component("comp-say-3", say("-3"))
        .component("comp-say-and-pass", pass_on(""))
        .component("comp-say-and-pass-2", pass_on("-2"))
        .component("comp-say-and-pass-3", pass_on("-3"))
        .executor("exec-flip", flip_exec())
        .executor("exec-flip-2", flip_exec())
        .executor("exec-random-number", sh("python:3.10-alpine", random, &[output_parameter_file("n")]).into())
        .executor("exec-say", echo())
        .executor("exec-say-2", echo())
        .executor("exec-say-3", echo())
        .executor("exec-say-and-pass", tee())
        .executor("exec-say-and-pass-2", tee())
        .executor("exec-say-and-pass-3", tee())
}
