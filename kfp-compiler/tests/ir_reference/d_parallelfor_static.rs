//! `d_parallelfor_static`: `ParallelFor` over a static list of dicts and over ints with
//! `parallelism=2`. Each loop is a `comp-for-loop-N` DAG component; its task has
//! `parameterIterator` (`items.raw` JSON, `itemInput` = the loop component's
//! `pipelinechannel--loop-item-param-N` input, `STRUCT` for dicts) and `iteratorPolicy`; a dict
//! field is picked with `parameterExpressionSelector`; `.after()` on a loop names the loop task.

use kfp_compiler::kfp_v2::placeholder::input_parameter;
use kfp_compiler::kfp_v2::{
    ComponentSpec, ContainerSpec, DagSpec, IteratorItems, ParameterIterator, ParameterType, PipelineInfo, PipelineSpec,
    TaskInputParameter,
};
use serde_json::json;

use super::a_linear::{p, task};
use super::f_condition::{ch, group};
use ParameterType::{NumberInteger, Struct, Text as Str};

/// The field `key` of a loop item held in input `item`.
pub(crate) fn field(item: &str, key: &str) -> TaskInputParameter {
    TaskInputParameter::component_input(item).select(format!("parseJson(string_value)[\"{key}\"]"))
}

/// `echo ARGS...`.
fn echo<S: Into<String>>(args: impl IntoIterator<Item = S>) -> kfp_compiler::kfp_v2::Executor {
    ContainerSpec::new("alpine:3.18").command(["echo"]).args(args).into()
}

pub(crate) fn spec() -> PipelineSpec {
    let item_1 = ch("loop-item-param-1");
    let item_3 = ch("loop-item-param-3");
    let configs = [
        json!({"lr": 0.1, "model": "linear"}),
        json!({"lr": 0.01, "model": "tree"}),
        json!({"lr": 0.001, "model": "mlp"}),
    ];
    let root = DagSpec::default()
        .task(
            "done",
            task("comp-done", "done")
                .after("for-loop-2")
                .parameter("msg", TaskInputParameter::constant("all configs trained")),
        )
        .task(
            "for-loop-2",
            group("comp-for-loop-2", "for-loop-2")
                .parameter(ch("dataset"), TaskInputParameter::component_input("dataset"))
                .iterate(ParameterIterator::new(IteratorItems::raw_json(&configs), &item_1)),
        )
        .task(
            "for-loop-4",
            group("comp-for-loop-4", "for-loop-4")
                .iterate(ParameterIterator::new(IteratorItems::raw_json(&[1, 2, 3, 4, 5].map(|n| json!(n))), &item_3))
                .parallelism_limit(2),
        );
    let root = ComponentSpec::dag(root).input_parameter("dataset", p(Str).default_value(json!("iris")));

    let loop_2 = DagSpec::default().task(
        "train",
        task("comp-train", "train")
            .parameter("dataset", TaskInputParameter::component_input(ch("dataset")))
            .parameter("lr", field(&item_1, "lr"))
            .parameter("model", field(&item_1, "model")),
    );
    let loop_4 = DagSpec::default()
        .task("seeded", task("comp-seeded", "seeded").parameter("seed", TaskInputParameter::component_input(&item_3)));

    PipelineSpec::new(PipelineInfo::new("parallelfor-static"), root)
        .component("comp-done", ComponentSpec::executor("exec-done").input_parameter("msg", p(Str)))
        .component(
            "comp-for-loop-2",
            ComponentSpec::dag(loop_2).input_parameter(ch("dataset"), p(Str)).input_parameter(&item_1, p(Struct)),
        )
        .component("comp-for-loop-4", ComponentSpec::dag(loop_4).input_parameter(&item_3, p(NumberInteger)))
        .component("comp-seeded", ComponentSpec::executor("exec-seeded").input_parameter("seed", p(NumberInteger)))
        .component(
            "comp-train",
            ComponentSpec::executor("exec-train")
                .input_parameter("dataset", p(Str))
                .input_parameter("lr", p(Str))
                .input_parameter("model", p(Str)),
        )
        .executor("exec-done", echo([input_parameter("msg")]))
        .executor("exec-seeded", echo(["seed".to_owned(), input_parameter("seed")]))
        .executor(
            "exec-train",
            echo([
                "model".to_owned(),
                input_parameter("model"),
                "lr".to_owned(),
                input_parameter("lr"),
                // A YAML 1.1 boolean spelling: must be written quoted.
                "on".to_owned(),
                input_parameter("dataset"),
            ]),
        )
}
