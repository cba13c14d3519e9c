#![doc = include_str!("../README.md")]

mod cli;
pub mod runner;

pub use cli::{CliError, main, run};
pub use kfp_compiler::{
    CompileError, CompileOptions, ComponentFileError, argo, argo_template, compile_kfp_v2, component_to_yaml, graph,
    kfp_v2, lint, parse_component, to_json, to_yaml, write_yaml,
};
/// Argo's resource conditions, parsed and evaluated as Argo does (for tests and tools).
pub use kfp_dsl::model::wait_condition;
pub use kfp_dsl::{
    Absent, AnyArtifact, Arg, Artifact, ArtifactKind, Branches, BuildError, BuildErrors, ClassificationMetrics,
    Component, ComponentReturn, ComponentSpec, ConcreteKind, Cond, ContainerSpec, Dag, Dataset, DynArg, DynOutputs,
    EnvSource, Executor, ExtraContainer, FanIn, GraphComponent, GraphInterface, GraphOutput, GraphReturn, GraphValue,
    Html, Implementation, Input, InputSpec, IntoArg, IntoCond, IntoLoopItems, IntoOperand, IntoSetting, Invocation,
    IoKind, Literal, LoopDone, LoopItem, Markdown, Metrics, Model, NoFields, NodeAffinity, Optional, Orderable, Output,
    OutputParam, OutputSpec, Param, ParamType, Pipeline, PipelineDef, PipelineParamSpec, Retry, RetryIf,
    SecurityContext, SettingValue, Single, SourceLocation, Task, TaskId, TaskSettings, TemplateLibrary, Toleration,
    Upstream, ValueSrc, VolumeSource, absent, fmt_arg, fmt_param,
};
pub use kfp_dsl::{
    Action, ComponentBody, Csi, DnsConfig, DownwardApiFile, EphemeralClaim, HostPathType, KfpMetrics, KfpUiMetadata,
    Lock, Nfs, PipelineSettings, Port, Probe, Projected, Protocol, ResourceSpec, Snapshot, Volume, VolumeClaim, Wait,
    kubeflow, metrics, waits,
};

/// Turns a function whose body returns a [`ContainerSpec`] into a typed container component.
///
/// ```
/// use kfp::prelude::*;
///
/// /// Counts the words of a text.                    (the doc comment is the description)
/// #[container_component(image = "alpine:3.20")]     // `name = "..."` overrides the name
/// fn count_words(
///     /// The text.                                  (argument docs describe inputs/outputs)
///     text: Param<String>,
///     /// How many words.
///     count: OutputParam<u32>,
/// ) -> ContainerSpec {
///     // Runs when the pipeline is built: `text` renders as `{{inputs.parameters.text}}`,
///     // `count` as the path of the file the step writes. Values reach the script as positional
///     // arguments ("$0", "$1"), never inside its text.
///     ContainerSpec::new(["sh", "-c"])
///         .arg("mkdir -p \"$(dirname \"$1\")\" && printf '%s' \"$0\" | wc -w > \"$1\"")
///         .arg(text)
///         .arg(count)
/// }
///
/// #[pipeline(name = "words")]
/// fn words(p: &Dag, #[default("a b c")] text: Param<String>) {
///     let t = count_words(p, text);      // a task; `t.count` is a `Param<u32>`
///     count_words(p, "one more");        // literals coerce
///     let _: Param<u32> = t.count;
/// }
///
/// let yaml = kfp::to_yaml(&kfp::compile(&words, &Default::default()).unwrap()).unwrap();
/// assert!(yaml.contains("count-words-2"));
/// ```
///
/// Arguments are `Param<T>` (an input parameter), `Input<K>` (an input artifact: its path),
/// `Output<K>` (an output artifact: the path to write) and `OutputParam<T>` (an output parameter: the
/// path to write its value to). The function becomes the pipeline form `count_words(p, ...)`, which
/// adds a task; the body stays callable as `count_words::run(...)`.
pub use kfp_macros::container_component;

/// Turns a function that adds tasks to `&Dag` into a [`PipelineDef`] constant of the same name.
///
/// ```
/// use kfp::prelude::*;
///
/// #[container_component(image = "alpine:3.20")]
/// fn echo(msg: Param<String>) -> ContainerSpec {
///     ContainerSpec::new(["echo"]).arg(msg)
/// }
///
/// /// Says hello.                                   (the doc comment is the description)
/// #[pipeline(name = "Hello pipeline")]              // `description = "..."` overrides it
/// fn hello(
///     p: &Dag,
///     /// Who to greet.                             (a parameter's description)
///     #[default("world")] who: Param<String>,       // a default makes the parameter optional
///     retries: Param<u32>,                          // no default: given when the run is submitted
/// ) {
///     echo(p, who);
///     let _ = retries;
/// }
///
/// fn main() {
///     // `kfp::main(hello)` makes this binary's command line; here we compile directly.
///     let wf = kfp::compile(&hello, &Default::default()).unwrap();
///     assert_eq!(wf.spec.entrypoint, "hello-pipeline");
/// }
/// ```
///
/// Every parameter after the dag is a `Param<T>`. Artifacts are not pipeline inputs: they come from
/// tasks (`task.data`), so `Input<K>`, `Output<K>` and `OutputParam<T>` parameters are compile
/// errors that say what to declare instead. A pipeline returns nothing (`-> T` is a compile error):
/// pipeline outputs are not supported yet.
pub use kfp_macros::pipeline;

/// Turns a function that adds tasks to `&Dag` into a graph component: a reusable sub-DAG (one Argo DAG
/// template) with typed `Param<T>` inputs and typed outputs (`()`, a `Param<T>` read as `call.output`,
/// or a tuple of them). A graph component may call itself inside `p.condition(..)`: the template then
/// references itself (recursion). Calling itself outside a condition is an error (it would never end).
///
/// ```
/// use kfp::prelude::*;
///
/// #[container_component(image = "python:3.12-alpine")]
/// fn flip(side: OutputParam<String>) -> ContainerSpec {
///     ContainerSpec::new(["sh", "-c"]).arg(fmt_arg!(
///         "mkdir -p $(dirname {}); python -c 'import random; print(random.choice([\"heads\", \"tails\"]))' > {}",
///         side, side
///     ))
/// }
///
/// /// Flips until tails.
/// #[graph_component]
/// fn flip_until_tails(p: &Dag, tag: Param<String>) -> Param<String> {
///     let f = flip(p);
///     p.condition(f.side.eq("heads"), |p| {
///         flip_until_tails(p, tag);
///     });
///     f.side
/// }
///
/// #[pipeline(name = "recursion")]
/// fn recursion(p: &Dag, #[default("run")] tag: Param<String>) {
///     let last = flip_until_tails(p, tag);
///     let _: Param<String> = last.output;
/// }
/// # let wf = kfp::compile(&recursion, &Default::default()).unwrap();
/// # assert!(wf.spec.templates.iter().any(|t| t.name == "graph-flip-until-tails"));
/// ```
pub use kfp_macros::graph_component;

/// Turns a function whose body returns a [`ResourceSpec`] into a typed resource step: Argo creates,
/// applies, patches, replaces, deletes or reads a Kubernetes object, waits for its success or failure
/// condition, and reads the output parameters from the object by JSONPath. The same attribute as
/// [`container_component`] (`name = "..."` is accepted; an image is not needed).
///
/// ```
/// use kfp::prelude::*;
/// use kfp::json;
///
/// /// Runs a batch Job and waits for it.
/// #[resource_component]
/// fn run_job(image: Param<String>, retries: Param<u32>, uid: OutputParam<String>) -> ResourceSpec {
///     ResourceSpec::create(json!({
///         "apiVersion": "batch/v1",
///         "kind": "Job",
///         "metadata": { "generateName": "side-job-" },
///         "spec": {
///             "backoffLimit": retries,          // a number: written as one
///             "template": { "spec": {
///                 "restartPolicy": "Never",
///                 "containers": [{ "name": "main", "image": image, "command": ["echo", "hi"] }],
///             }},
///         },
///     }))
///     .success_condition("status.succeeded > 0")
///     .failure_condition("status.failed > 0")
///     .output(uid, "{.metadata.uid}")
/// }
///
/// #[pipeline(name = "job")]
/// fn job(p: &Dag) {
///     let j = run_job(p, "alpine:3.20", 2);
///     let _: Param<String> = j.uid;
/// }
///
/// let yaml = kfp::to_yaml(&kfp::compile(&job, &Default::default()).unwrap()).unwrap();
/// // Each value is written into the manifest as one JSON literal of its type, by Argo at run time.
/// assert!(yaml.contains("backoffLimit: {{=toJson(asInt(inputs.parameters.retries))}}"));
/// ```
pub use kfp_macros::resource_component;

pub use kfp_macros::{ArtifactKind, Outputs, ParamType, component};

/// Names the outputs of a graph component or a pipeline: a struct of `Param<T>` and `Artifact<K>`
/// fields, returned by the function, gives one output per field, named after it; a call's outputs are
/// the same struct.
///
/// ```
/// use kfp::prelude::*;
///
/// #[component(image = "ghcr.io/kfp-rs/examples:0.1")]
/// fn fit(rows: u32, model: Output<Model>) -> f64 {
///     let _ = (rows, model);
///     0.5
/// }
///
/// #[derive(GraphOutputs)]
/// struct Fitted {
///     model: Artifact<Model>,
///     mse: Param<f64>,
/// }
///
/// #[pipeline]
/// fn training(p: &Dag, rows: Param<u32>) -> Fitted {
///     let t = fit(p, rows);
///     Fitted { model: t.model, mse: t.output }
/// }
///
/// let built = training.build().unwrap();
/// let names: Vec<&str> = built.outputs().iter().map(|o| o.name.as_str()).collect();
/// assert_eq!(names, ["model", "mse"]);
/// ```
pub use kfp_macros::GraphOutputs;

/// Loads a kfp v1 `component.yaml` when the crate is compiled and makes it a typed component, as
/// `#[container_component]` would: `load_component!("components/train.yaml")` defines `train` (the
/// spec's name in snake case; `load_component!(pub fit = "...")` names it). Parameter types map to
/// Rust types (`String`, `Integer` -> `i64`, `Float` -> `f64`, `Bool` -> `bool`, `JsonArray`,
/// `JsonObject`), artifact types to kinds (`Dataset`, `Model`, ..., untyped ones to `AnyArtifact`, and
/// any other name, `CSV`, to a unit struct of that name the call defines: files that pass such a kind
/// between them are loaded by one call, `load_component!("a.yaml", "b.yaml")`);
/// optional inputs take `Some(value)` or `kfp::absent()` (then their default applies). A broken file is
/// a compile error at the macro naming the file, line and reason; the crate is recompiled when the file
/// changes. The path is relative to the file that calls the macro, as with `include_str!`.
///
/// A kfp 2.x component file (the IR YAML `kfp.compiler.Compiler().compile(component, path)` writes for
/// a `@dsl.container_component`) loads the same way and is typed the same (`STRING` -> `String`,
/// `NUMBER_INTEGER` -> `i64`, `NUMBER_DOUBLE` -> `f64`, `BOOLEAN` -> `bool`, `LIST`, `STRUCT`,
/// `system.Dataset` -> `Dataset`, ...); its inputs come in alphabetical order, as kfp writes them.
/// Lightweight Python components (`@dsl.component`), pipelines and importers are refused.
pub use kfp_macros::load_component;

/// Builds and compiles a pipeline definition.
///
/// # Errors
/// Every mistake rustc could not see (see [`CompileError`]), each with the user's source location.
pub fn compile(pipeline: &PipelineDef, opts: &CompileOptions) -> Result<argo::Workflow, CompileError> {
    let built = pipeline.build()?;
    kfp_compiler::compile(&built, opts)
}

/// Builds, compiles and emits a pipeline as YAML.
///
/// # Errors
/// As [`compile`].
pub fn compile_yaml(pipeline: &PipelineDef, opts: &CompileOptions) -> Result<String, CompileError> {
    to_yaml(&compile(pipeline, opts)?)
}

#[cfg(feature = "client")]
pub mod client;

/// What a pipeline file needs: `use kfp::prelude::*;`.
pub mod prelude {
    pub use crate::{
        AnyArtifact, Arg, Artifact, ArtifactKind, ClassificationMetrics, ContainerSpec, Dag, Dataset, GraphOutputs,
        Html, Input, LoopItem, Markdown, Metrics, Model, Output, OutputParam, Outputs, Param, ParamType, ResourceSpec,
        RetryIf, Task, VolumeClaim, Wait, absent, component, container_component, fmt_arg, fmt_param, graph_component,
        load_component, pipeline, resource_component,
    };
}

#[doc(hidden)]
pub use kfp_dsl::__private;

/// `serde_json::json!`, for resource manifests and merge patches (`argo_patch`, `ir_patch`, ...).
pub use serde_json::json;

/// Compiles an already built [`Pipeline`] (from [`Pipeline::build`] or [`PipelineDef::build`]).
///
/// # Errors
/// As [`compile`].
pub fn compile_pipeline(pipeline: &Pipeline, opts: &CompileOptions) -> Result<argo::Workflow, CompileError> {
    kfp_compiler::compile(pipeline, opts)
}

/// Loads a component file at run time, for [`Dag::call_component`]: a kfp v1 component.yaml, or a kfp
/// 2.x IR file of one container component (as for [`load_component!`]).
///
/// # Errors
/// The file cannot be read, or the spec is broken: `path:line:column: reason` (`path: reason`, the
/// reason naming the field, for what an IR file holds beyond one container component).
pub fn load_component_file(path: impl AsRef<std::path::Path>) -> Result<ComponentSpec, String> {
    let path = path.as_ref();
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    kfp_compiler::parse_component(&text).map_err(|e| match e.line {
        Some((l, c)) => format!("{}:{l}:{c}: {}", path.display(), e.message),
        None => format!("{}: {}", path.display(), e.message),
    })
}

/// The spec of a component embedded by `load_component!` (used by generated code). It was checked when
/// the crate was compiled, so this does not fail; if it did, the component would be reported invalid
/// when the pipeline is built.
#[doc(hidden)]
pub fn __spec_from_yaml(yaml: &str, name: &str) -> ComponentSpec {
    kfp_compiler::parse_component(yaml).unwrap_or_else(|e| ComponentSpec::new(name, Some(&e.to_string())))
}
