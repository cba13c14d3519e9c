//! Strings that a YAML 1.1 reader (the kfp SDK's PyYAML) would take for a bool, number, null or
//! date, and strings that look like YAML syntax, as defaults, constants, container arguments and
//! PlatformSpec values: the emitted YAML reads back as the same values in YAML 1.1 and 1.2 as the
//! JSON form says, and ir-validate (which warns on unquoted lookalikes) accepts it with `--werror`.

use kfp_compiler::kfp_v2::placeholder::input_parameter;
use kfp_compiler::kfp_v2::{
    ComponentSpec, ContainerSpec, DagSpec, KubernetesExecutorConfig, ParameterType, PipelineInfo, PipelineSpec,
    PlatformSpec, PodMetadata, TaskInputParameter,
};
use serde_json::json;

use super::a_linear::{p, task};

/// Each is used as a default, a constant, an argument and a pod label value.
pub(crate) const TRICKY: &[&str] = &[
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "Y",
    "N",
    "Yes",
    "NO",
    "True",
    "false",
    "~",
    "null",
    "Null",
    "",
    "1_000",
    "1e3",
    "0x1F",
    "0o17",
    "017",
    ".inf",
    "-.Inf",
    ".nan",
    "2024-01-01",
    "2001-12-14t21:59:43.10-05:00",
    "12:30",
    "1:20:30",
    "+12",
    "3.0",
    " padded ",
    "- dash",
    "key: value",
    "# hash",
    "&anchor",
    "*alias",
    "!tag",
    "%pct",
    "@at",
    "`tick",
    "[a, b]",
    "{a: b}",
    "a\nb",
    "tab\there",
    "'quoted'",
    "\"dq\"",
    "<<",
    "=",
    "é ü 日本",
];

pub(crate) fn spec() -> (PipelineSpec, PlatformSpec) {
    let mut root = DagSpec::default();
    let mut root_inputs = Vec::new();
    for (i, s) in TRICKY.iter().enumerate() {
        root = root.task(
            format!("echo-{i}"),
            task("comp-echo", &format!("echo-{i}"))
                .parameter("a", TaskInputParameter::constant(*s))
                .parameter("b", TaskInputParameter::component_input(format!("p{i}"))),
        );
        root_inputs.push((format!("p{i}"), p(ParameterType::Text).default_value(json!(s))));
    }
    let root = root_inputs.into_iter().fold(ComponentSpec::dag(root), |c, (name, def)| c.input_parameter(name, def));
    let mut args = vec![input_parameter("a"), input_parameter("b")];
    args.extend(TRICKY.iter().map(|s| (*s).to_owned()));
    let spec = PipelineSpec::new(PipelineInfo::new("yaml-1-1-lookalikes"), root)
        .component(
            "comp-echo",
            ComponentSpec::executor("exec-echo")
                .input_parameter("a", p(ParameterType::Text))
                .input_parameter("b", p(ParameterType::Text)),
        )
        .executor("exec-echo", ContainerSpec::new("alpine:3.18").command(["echo"]).args(args).into());

    let mut pod = PodMetadata::default();
    for (i, s) in TRICKY.iter().enumerate() {
        pod = pod.annotation(format!("example.com/a{i}"), *s);
    }
    let mut config = KubernetesExecutorConfig::default();
    config.pod_metadata = Some(pod);
    (spec, PlatformSpec::default().executor("exec-echo", config))
}
