//! `a_linear`: three container components, typed pipeline parameters with defaults, output
//! parameters passed on (`taskOutputParameter` + `dependentTasks`).

use kfp_compiler::kfp_v2::placeholder::{input_parameter, output_parameter_file};
use kfp_compiler::kfp_v2::{
    CachingOptions, ComponentSpec, ContainerSpec, DagSpec, OutputParameterDefinition, ParameterDefinition,
    ParameterType, PipelineInfo, PipelineSpec, PipelineTaskSpec, TaskInputParameter,
};
use serde_json::json;

use ParameterType::{NumberInteger, Text as Str};

/// A container task as the SDK writes it: display name = task name, caching on.
pub(crate) fn task(component: &str, name: &str) -> PipelineTaskSpec {
    PipelineTaskSpec::new(component, name).caching(CachingOptions::enabled())
}

/// A required input or a plain output definition.
pub(crate) fn p(t: ParameterType) -> ParameterDefinition {
    ParameterDefinition::new(t)
}

/// An output parameter definition.
pub(crate) fn out(t: ParameterType) -> OutputParameterDefinition {
    OutputParameterDefinition::new(t)
}

/// `sh -c SCRIPT` with positional arguments.
pub(crate) fn sh(image: &str, script: &str, args: &[String]) -> ContainerSpec {
    let mut all = vec![script.to_owned()];
    all.extend_from_slice(args);
    ContainerSpec::new(image).command(["sh", "-c"]).args(all)
}

pub(crate) fn spec() -> PipelineSpec {
    let root = ComponentSpec::dag(
        DagSpec::default()
            .task(
                "count-words",
                task("comp-count-words", "count-words")
                    .after("fetch")
                    .parameter("min_len", TaskInputParameter::component_input("min_len"))
                    .parameter("text", TaskInputParameter::task_output("fetch", "raw")),
            )
            .task("fetch", task("comp-fetch", "fetch").parameter("url", TaskInputParameter::component_input("url")))
            .task(
                "report",
                task("comp-report", "report")
                    .after("count-words")
                    .parameter("count", TaskInputParameter::task_output("count-words", "count"))
                    .parameter("label", TaskInputParameter::component_input("label")),
            ),
    )
    .input_parameter("label", p(Str).default_value(json!("demo")))
    .input_parameter("min_len", p(NumberInteger).default_value(json!(3.0)))
    .input_parameter("url", p(Str).default_value(json!("https://example.com")));

    let count_words = concat!(
        r#"mkdir -p "$(dirname "$0")" && echo "{{$.inputs.parameters['text']}}" | tr"#,
        r#" " " "\n" | awk "length >= {{$.inputs.parameters['min_len']}}" | wc -l > "$0""#
    );
    PipelineSpec::new(PipelineInfo::new("linear-three-step").description("fetch -> count -> report"), root)
        .component(
            "comp-count-words",
            ComponentSpec::executor("exec-count-words")
                .input_parameter("min_len", p(NumberInteger))
                .input_parameter("text", p(Str))
                .output_parameter("count", out(NumberInteger)),
        )
        .component(
            "comp-fetch",
            ComponentSpec::executor("exec-fetch").input_parameter("url", p(Str)).output_parameter("raw", out(Str)),
        )
        .component(
            "comp-report",
            ComponentSpec::executor("exec-report")
                .input_parameter("count", p(NumberInteger))
                .input_parameter("label", p(Str)),
        )
        .executor("exec-count-words", sh("alpine:3.18", count_words, &[output_parameter_file("count")]).into())
        .executor(
            "exec-fetch",
            sh(
                "alpine:3.18",
                r#"mkdir -p "$(dirname "$1")" && wget -qO- "$0" | head -c 64 > "$1""#,
                &[input_parameter("url"), output_parameter_file("raw")],
            )
            .into(),
        )
        .executor(
            "exec-report",
            ContainerSpec::new("alpine:3.18")
                .command(["echo"])
                .args(["label=".to_owned(), input_parameter("label"), "count=".to_owned(), input_parameter("count")])
                .into(),
        )
}
