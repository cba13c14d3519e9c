//! Writes the IR: YAML (the `PipelineSpec` document, then `---` and the `PlatformSpec` when there
//! is one) or JSON; and reads it back. With `emit_tasks.rs` (the direct writer for the DAG tasks,
//! the bulk of a big document), the only module of the KFP v2 backend that knows the YAML library.

use super::emit_tasks::{Out, write_spec};
use super::pipeline_spec::PipelineSpec;
use super::platform::PlatformSpec;
use crate::CompileError;

/// The IR as YAML: the `PipelineSpec`, then, when `platform` is given and sets anything, `---` and
/// the `PlatformSpec`, as kfp 2.x writes a pipeline using kfp-kubernetes. Strings that a YAML 1.1
/// reader (the kfp SDK's PyYAML) would take for a bool, number, null or date are quoted, so the API
/// server (YAML 1.2) and the SDK read the same values; multi-line strings are double-quoted with
/// escapes; long lines are never folded.
///
/// # Errors
/// [`CompileError::Emit`] if the serializer fails.
pub fn to_yaml(spec: &PipelineSpec, platform: Option<&PlatformSpec>) -> Result<String, CompileError> {
    let tasks: usize = spec.components.len() + spec.deployment_spec.executors.len();
    let mut out = Out::string(4096 + 512 * tasks);
    write_spec(&mut out, spec)?;
    let mut out = out.finish()?;
    if let Some(platform) = platform.filter(|p| !p.is_empty()) {
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str("---\n");
        serde_saphyr::to_fmt_writer_with_options(&mut out, platform, crate::yaml::options()).map_err(emit_error)?;
    }
    Ok(out)
}

/// Streams the IR as YAML (the same bytes as [`to_yaml`]) into `out`, without holding the whole
/// document in memory. Wrap files in a `BufWriter`.
///
/// # Errors
/// [`CompileError::Emit`] if the serializer or the writer fails.
pub fn write_yaml<W: std::io::Write>(
    spec: &PipelineSpec,
    platform: Option<&PlatformSpec>,
    mut out: W,
) -> Result<(), CompileError> {
    let mut flush = |text: &str| out.write_all(text.as_bytes()).map_err(|e| CompileError::Emit(e.to_string()));
    let mut spec_out = Out::streaming(&mut flush);
    write_spec(&mut spec_out, spec)?;
    spec_out.finish()?;
    if let Some(platform) = platform.filter(|p| !p.is_empty()) {
        out.write_all(b"---\n").map_err(|e| CompileError::Emit(e.to_string()))?;
        serde_saphyr::to_io_writer_with_options(&mut out, platform, crate::yaml::options()).map_err(emit_error)?;
    }
    Ok(())
}

/// The IR as pretty-printed JSON: the `PipelineSpec` object alone, or, with a `PlatformSpec` that
/// sets anything, `{"pipeline_spec": ..., "platform_spec": ...}` (how the KFP v2 API holds a
/// pipeline version's spec and platform spec together).
///
/// # Errors
/// [`CompileError::Emit`] if the serializer fails.
pub fn to_json(spec: &PipelineSpec, platform: Option<&PlatformSpec>) -> Result<String, CompileError> {
    let text = match platform.filter(|p| !p.is_empty()) {
        None => serde_json::to_string_pretty(spec),
        Some(platform) => {
            #[derive(serde::Serialize)]
            struct Both<'a> {
                pipeline_spec: &'a PipelineSpec,
                platform_spec: &'a PlatformSpec,
            }
            serde_json::to_string_pretty(&Both { pipeline_spec: spec, platform_spec: platform })
        }
    };
    let mut text = text.map_err(|e| CompileError::Emit(e.to_string()))?;
    text.push('\n');
    Ok(text)
}

/// Why an IR file did not read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", at.map(|(l, c)| format!("line {l} column {c}: ")).unwrap_or_default())]
#[non_exhaustive]
pub struct ReadError {
    /// Where in the file (line, column), when known.
    pub at: Option<(u64, u64)>,
    /// What is wrong.
    pub message: String,
}

/// Reads an IR file as kfp 2.x writes it: the `PipelineSpec` document and, if there is one, the
/// `PlatformSpec` after `---`. Read as YAML 1.2, as the API server reads it (`n`, `on` and `yes`
/// are strings); fields the structs do not know are errors, except inside a component, a task
/// argument or a PVC mount, whose oneofs are flattened.
///
/// # Errors
/// A document that is not YAML, or not the IR, with the line and column where it went wrong; a
/// third document.
pub fn from_yaml(text: &str) -> Result<(PipelineSpec, Option<PlatformSpec>), ReadError> {
    let mut docs = Vec::new();
    let mut start_line = 0u64;
    let mut rest = text;
    loop {
        let (doc, next) = match rest.find("\n---\n") {
            Some(i) => (&rest[..=i], Some(&rest[i + 5..])),
            None => (rest, None),
        };
        docs.push((start_line, doc));
        start_line += u64::try_from(doc.matches('\n').count()).unwrap_or(0) + 1;
        match next {
            Some(n) => rest = n,
            None => break,
        }
    }
    let mut options = serde_saphyr::Options::default();
    options.strict_booleans = true;
    // The default budget (250,000 nodes) refuses a pipeline of a few thousand tasks; a node takes a
    // few bytes of text at least, so a budget growing with the text stays linear in it. Alias
    // limits stay as they are.
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = budget.max_nodes.max(text.len());
    budget.max_events = budget.max_events.max(text.len().saturating_mul(2));
    options.budget = Some(budget);
    let read_error = |offset: u64, e: serde_saphyr::Error| {
        let at = e.location().map(|l| (l.line() + offset, l.column()));
        let message = e.to_string().lines().next().unwrap_or_default().to_owned();
        ReadError { at, message }
    };
    let (first_line, first) = docs[0];
    let spec = serde_saphyr::from_str_with_options(first, options.clone()).map_err(|e| read_error(first_line, e))?;
    let platform = match docs.get(1..).unwrap_or_default() {
        [] => None,
        [(line, doc)] => Some(serde_saphyr::from_str_with_options(doc, options).map_err(|e| read_error(*line, e))?),
        [_, (line, _), ..] => {
            return Err(ReadError {
                at: Some((line + 1, 1)),
                message: "a third YAML document: an IR file holds a PipelineSpec and at most a PlatformSpec".to_owned(),
            });
        }
    };
    Ok((spec, platform))
}

fn emit_error(e: serde_saphyr::ser::Error) -> CompileError {
    CompileError::Emit(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kfp_v2::{
        ComponentSpec, ContainerSpec, DagSpec, KubernetesExecutorConfig, PipelineInfo, PipelineTaskSpec, PodMetadata,
    };

    fn spec() -> PipelineSpec {
        let root = ComponentSpec::dag(DagSpec::default().task("t", PipelineTaskSpec::new("comp-t", "t")));
        PipelineSpec::new(PipelineInfo::new("p"), root)
            .component("comp-t", ComponentSpec::executor("exec-t"))
            .executor("exec-t", ContainerSpec::new("alpine").into())
    }

    #[test]
    fn platform_document_only_when_it_sets_something() {
        let alone = to_yaml(&spec(), None).expect("yaml");
        assert!(!alone.contains("---"), "{alone}");
        assert_eq!(to_yaml(&spec(), Some(&PlatformSpec::default())).expect("yaml"), alone);

        let config = KubernetesExecutorConfig {
            pod_metadata: Some(PodMetadata::default().label("team", "ml")),
            ..KubernetesExecutorConfig::default()
        };
        let platform = PlatformSpec::default().executor("exec-t", config);
        let both = to_yaml(&spec(), Some(&platform)).expect("yaml");
        let (first, second) = both.split_once("\n---\n").expect("two documents");
        assert_eq!(format!("{first}\n"), alone);
        assert!(
            second.starts_with("platforms:\n  kubernetes:\n    deploymentSpec:\n      executors:\n        exec-t:")
        );
    }

    #[test]
    fn json_is_the_spec_or_both_documents() {
        let alone: serde_json::Value = serde_json::from_str(&to_json(&spec(), None).expect("json")).expect("parse");
        assert_eq!(alone["schemaVersion"], "2.1.0");
        assert_eq!(alone["root"]["dag"]["tasks"]["t"]["componentRef"]["name"], "comp-t");
        assert_eq!(alone["deploymentSpec"]["executors"]["exec-t"]["container"]["image"], "alpine");

        let config =
            KubernetesExecutorConfig { active_deadline_seconds: Some(60), ..KubernetesExecutorConfig::default() };
        let platform = PlatformSpec::default().executor("exec-t", config);
        let both: serde_json::Value =
            serde_json::from_str(&to_json(&spec(), Some(&platform)).expect("json")).expect("parse");
        assert_eq!(both["pipeline_spec"], alone);
        let exec = &both["platform_spec"]["platforms"]["kubernetes"]["deploymentSpec"]["executors"]["exec-t"];
        assert_eq!(exec["activeDeadlineSeconds"], "60");
    }

    #[test]
    fn streaming_writes_the_same_bytes() {
        let config =
            KubernetesExecutorConfig { active_deadline_seconds: Some(60), ..KubernetesExecutorConfig::default() };
        let platform = PlatformSpec::default().executor("exec-t", config);
        for platform in [None, Some(&platform)] {
            let mut bytes = Vec::new();
            write_yaml(&spec(), platform, &mut bytes).expect("write");
            assert_eq!(String::from_utf8(bytes).expect("utf-8"), to_yaml(&spec(), platform).expect("yaml"));
        }
    }

    /// The whole document as serde-saphyr alone writes it: what the direct task writer must match.
    fn reference(spec: &PipelineSpec) -> String {
        let mut out = String::new();
        serde_saphyr::to_fmt_writer_with_options(&mut out, spec, crate::yaml::options()).expect("yaml");
        out
    }

    /// Both texts, equal line by line (the first difference is readable).
    fn assert_same(got: &str, want: &str) {
        for (n, (g, w)) in got.lines().zip(want.lines()).enumerate() {
            assert_eq!(g, w, "line {}", n + 1);
        }
        assert_eq!(got, want);
    }

    #[test]
    fn the_direct_task_writer_matches_serde_saphyr() {
        use crate::kfp_v2::{
            ArtifactDefinition, ArtifactTypeSchema, CachingOptions, DagOutputParameter, IteratorItems,
            OutputParameterDefinition, ParameterDefinition, ParameterIterator, ParameterType, RetryPolicy,
            TaskInputArtifact, TaskInputParameter, TriggerPolicy,
        };
        // Names inside and outside the directly written class: YAML 1.1 and 1.2 lookalikes, digits
        // first, indicators, spaces, colons, quotes, non-ASCII, newlines, empty.
        let names = [
            "t",
            "step3-12",
            "y",
            "Y",
            "on",
            "No",
            "null",
            "NaN",
            "inf",
            "yes_",
            "a.b_c",
            "1abc",
            "2.1.0",
            "-x",
            "a b",
            "a: b",
            "a:b",
            "#x",
            "x #y",
            "'q'",
            "\"d\"",
            "é",
            "line\nbreak",
            "",
            "~",
            "<<",
            "true",
        ];
        let mut dag = DagSpec::default()
            .output_parameter("out", DagOutputParameter::from_task("t", "y"))
            .task("empty", PipelineTaskSpec::new("comp-t", "empty"));
        for (i, n) in names.iter().enumerate() {
            let mut task = PipelineTaskSpec::new(format!("comp-{n}"), *n)
                .caching(if i % 3 == 0 { CachingOptions::disabled() } else { CachingOptions::enabled() })
                .after(*n)
                .after("t")
                .parameter(*n, TaskInputParameter::component_input(*n))
                .parameter(format!("p{i}"), TaskInputParameter::task_output(*n, *n))
                .parameter("c", TaskInputParameter::constant(serde_json::json!({"k": [1.5, "y", null]})))
                .parameter("s", TaskInputParameter::component_input("item").select("parseJson(string_value)[\"a\"]"));
            if i % 2 == 0 {
                task = task.artifact("a", TaskInputArtifact::task_output("t", "m"));
            }
            if i % 4 == 1 {
                task = task
                    .iterate(ParameterIterator::new(IteratorItems::Raw("[1, 2]".into()), "item"))
                    .parallelism_limit(2)
                    .retry(RetryPolicy::new(3).backoff(1, 2.0, 60))
                    .trigger(TriggerPolicy::condition("inputs.parameter_values['x'] == 'y'"));
            }
            if i % 4 == 3 {
                task.caching_options = Some(CachingOptions { cache_key: Some((*n).to_owned()), enable_cache: true });
                task.caching_options = None;
            }
            dag = dag.task(*n, task).task(format!("k{i}"), PipelineTaskSpec::new("comp-t", format!("k{i}")));
        }
        let root = ComponentSpec::dag(dag.clone())
            .input_parameter("msg", ParameterDefinition::new(ParameterType::Text).default_value("y".into()))
            .input_artifact("data", ArtifactDefinition::new(ArtifactTypeSchema::system("Dataset")))
            .output_parameter("out", OutputParameterDefinition::new(ParameterType::Text));
        let mut full = PipelineSpec::new(PipelineInfo::new("p").description("two\nlines"), root)
            .component("comp-t", ComponentSpec::executor("exec-t"))
            .component("comp-dag", ComponentSpec::dag(dag.clone()))
            .component("comp-no-tasks", ComponentSpec::dag(DagSpec::default()))
            .executor("exec-t", ContainerSpec::new("alpine").args(["a b", "y", "x: z"]).into());
        for n in names {
            full = full.component(n, ComponentSpec::dag(DagSpec::default().task(n, PipelineTaskSpec::new(n, n))));
        }
        full.default_pipeline_root = Some("gs://b/r".into());
        assert_same(&to_yaml(&full, None).expect("yaml"), &reference(&full));
        let mut bytes = Vec::new();
        write_yaml(&full, None, &mut bytes).expect("write");
        assert_same(&String::from_utf8(bytes).expect("utf-8"), &reference(&full));

        // Nothing at all, and a spec whose root has no tasks.
        let bare = PipelineSpec::new(PipelineInfo::new("p"), ComponentSpec::dag(DagSpec::default()));
        assert_same(&to_yaml(&bare, None).expect("yaml"), &reference(&bare));
        assert_same(&to_yaml(&spec(), None).expect("yaml"), &reference(&spec()));
    }

    #[test]
    fn streaming_flushes_in_chunks_with_the_same_bytes() {
        let mut dag = DagSpec::default();
        for i in 0..3_000 {
            dag = dag.task(
                format!("t{i}"),
                PipelineTaskSpec::new("comp-t", format!("t{i}"))
                    .after(format!("t{}", i + 1))
                    .parameter("x", crate::kfp_v2::TaskInputParameter::task_output(format!("t{}", i + 1), "y")),
            );
        }
        let big = PipelineSpec { root: ComponentSpec::dag(dag), ..spec() };
        let mut bytes = Vec::new();
        write_yaml(&big, None, &mut bytes).expect("write");
        assert!(bytes.len() > 1 << 17);
        assert_same(&String::from_utf8(bytes).expect("utf-8"), &reference(&big));
    }

    #[test]
    fn reads_back_what_it_writes() {
        let config =
            KubernetesExecutorConfig { active_deadline_seconds: Some(60), ..KubernetesExecutorConfig::default() };
        let platform = PlatformSpec::default().executor("exec-t", config);
        let text = to_yaml(&spec(), Some(&platform)).expect("yaml");
        assert_eq!(from_yaml(&text).expect("reads"), (spec(), Some(platform)));
    }

    #[test]
    fn big_pipelines_read_back() {
        // About 300,000 YAML nodes: over serde-saphyr's default budget.
        let mut dag = DagSpec::default();
        for i in 0..12_000 {
            let task = PipelineTaskSpec::new("comp-t", format!("t{i}"))
                .caching(crate::kfp_v2::CachingOptions::enabled())
                .after(format!("t{}", i + 1))
                .parameter("msg", crate::kfp_v2::TaskInputParameter::task_output(format!("t{}", i + 1), "o"));
            dag = dag.task(format!("t{i}"), task);
        }
        let big = PipelineSpec { root: ComponentSpec::dag(dag), ..spec() };
        let text = to_yaml(&big, None).expect("yaml");
        assert_eq!(from_yaml(&text).expect("reads").0, big);
    }

    #[test]
    fn unknown_fields_and_extra_documents_are_errors() {
        let text = to_yaml(&spec(), None).expect("yaml").replace("taskInfo:", "taskInfos:");
        let e = from_yaml(&text).expect_err("typo");
        assert!(e.message.contains("taskInfos"), "{e}");
        assert!(e.at.is_some(), "{e}");

        let platform = "platforms:\n  kubernetes:\n    deploymentSpec:\n      executors: {}\n";
        let text = format!("{}---\n{platform}---\n{platform}", to_yaml(&spec(), None).expect("yaml"));
        let e = from_yaml(&text).expect_err("three documents");
        assert!(e.message.contains("third"), "{e}");
    }
}
