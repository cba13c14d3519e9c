//! `m_collected_artifacts`: a loop whose body makes an artifact and an int; the loop DAG outputs
//! them collected (`artifactSelectors` -> `isArtifactList: true`, `valueFromParameter` -> `LIST`);
//! the consumer takes the list (`isArtifactList: true` input); an `importer` executor registers an
//! external URI given as the task's `uri` input.

use kfp_compiler::kfp_v2::placeholder::{EXECUTOR_INPUT, input_parameter, output_artifact_path, output_parameter_file};
use kfp_compiler::kfp_v2::{
    ArtifactDefinition, ArtifactTypeSchema, ComponentSpec, ContainerSpec, DagOutputArtifact, DagOutputParameter,
    DagSpec, ImporterSpec, IteratorItems, OutputArtifactDefinition, ParameterIterator, ParameterType, PipelineInfo,
    PipelineSpec, TaskInputArtifact, TaskInputParameter,
};
use serde_json::json;

use super::a_linear::{out, p, sh, task};
use super::d_parallelfor_static::field;
use super::f_condition::{ch, group};
use ParameterType::{List, NumberInteger, Struct, Text as Str};

/// kfp 2.17's bootstrap for a Python component (`kfp` installed at run time, then the function).
const PIP_BOOTSTRAP: &str = "\nif ! [ -x \"$(command -v pip)\" ]; then\n    python3 -m ensurepip || python3 -m ensurepip --user || apt-get install python3-pip\nfi\n\nPIP_DISABLE_PIP_VERSION_CHECK=1 python3 -m pip install --quiet --no-warn-script-location 'kfp==2.17.3' '--no-deps' 'typing-extensions>=3.7.4,<5; python_version<\"3.9\"' && \"$0\" \"$@\"\n";
const RUN_FUNCTION: &str = "program_path=$(mktemp -d)\n\nprintf \"%s\" \"$0\" > \"$program_path/ephemeral_component.py\"\n_KFP_RUNTIME=true python3 -m kfp.dsl.executor_main                         --component_module_path                         \"$program_path/ephemeral_component.py\"                         \"$@\"\n";
const MERGE_SOURCE: &str = "\nimport kfp\nfrom kfp import dsl\nfrom kfp.dsl import *\nfrom typing import *\n\ndef merge(shards: dsl.Input[List[dsl.Dataset]], counts: List[int],\n          vocab: dsl.Input[dsl.Artifact], merged: dsl.Output[dsl.Dataset]) -> int:\n    \"\"\"Concatenates the shards and checks the row counts add up.\"\"\"\n    total = 0\n    with open(merged.path, 'w') as out:\n        for shard in shards:\n            with open(shard.path) as f:\n                for line in f:\n                    out.write(line)\n                    total += 1\n    assert total == sum(counts), (total, counts)\n    merged.metadata['vocab_uri'] = vocab.uri\n    return total\n\n";

pub(crate) fn spec() -> PipelineSpec {
    let dataset = || ArtifactTypeSchema::system("Dataset");
    let artifact = || ArtifactTypeSchema::system("Artifact");
    let item = ch("loop-item-param-1");
    let shards = ch("make-shard-shard");
    let counts = ch("make-shard-count");
    let splits = [
        json!({"rows": "80", "split": "train"}),
        json!({"rows": "15", "split": "eval"}),
        json!({"rows": "5", "split": "test"}),
    ];

    let root = DagSpec::default()
        .task(
            "for-loop-2",
            group("comp-for-loop-2", "for-loop-2")
                .iterate(ParameterIterator::new(IteratorItems::raw_json(&splits), &item))
                .parallelism_limit(2),
        )
        .task(
            "importer",
            task("comp-importer", "importer").parameter("uri", TaskInputParameter::component_input("vocab_uri")),
        )
        .task(
            "merge",
            task("comp-merge", "merge")
                .after("for-loop-2")
                .after("importer")
                .artifact("shards", TaskInputArtifact::task_output("for-loop-2", &shards))
                .artifact("vocab", TaskInputArtifact::task_output("importer", "artifact"))
                .parameter("counts", TaskInputParameter::task_output("for-loop-2", &counts)),
        );
    let root = ComponentSpec::dag(root)
        .input_parameter("vocab_uri", p(Str).default_value(json!("gs://example-bucket/vocab/v1.txt")));

    let loop_2 = DagSpec::default()
        .output_artifact(&shards, DagOutputArtifact::from_task("make-shard", "shard"))
        .output_parameter(&counts, DagOutputParameter::from_task("make-shard", "count"))
        .task(
            "make-shard",
            task("comp-make-shard", "make-shard")
                .parameter("rows", field(&item, "rows"))
                .parameter("split", field(&item, "split")),
        );

    let mut importer = ImporterSpec::from_input("uri", artifact());
    importer.metadata = Some(serde_json::Map::from_iter([("source".to_owned(), json!("external"))]));
    let make_shard = r#"mkdir -p "$(dirname "$2")" "$(dirname "$3")" && seq "$1" | sed "s/^/$0,/" > "$2" && wc -l < "$2" | tr -d " " > "$3""#;

    PipelineSpec::new(PipelineInfo::new("collected-artifacts"), root)
        .component(
            "comp-for-loop-2",
            ComponentSpec::dag(loop_2)
                .input_parameter(&item, p(Struct))
                .output_artifact(&shards, OutputArtifactDefinition::new(dataset()).list())
                .output_parameter(&counts, out(List)),
        )
        .component(
            "comp-importer",
            ComponentSpec::executor("exec-importer")
                .input_parameter("uri", p(Str))
                .output_artifact("artifact", OutputArtifactDefinition::new(artifact())),
        )
        .component(
            "comp-make-shard",
            ComponentSpec::executor("exec-make-shard")
                .input_parameter("rows", p(Str))
                .input_parameter("split", p(Str))
                .output_artifact("shard", OutputArtifactDefinition::new(dataset()))
                .output_parameter("count", out(NumberInteger)),
        )
        .component(
            "comp-merge",
            ComponentSpec::executor("exec-merge")
                .input_artifact("shards", ArtifactDefinition::new(dataset()).list())
                .input_artifact("vocab", ArtifactDefinition::new(artifact()))
                .input_parameter("counts", p(List))
                .output_artifact("merged", OutputArtifactDefinition::new(dataset()))
                .output_parameter("Output", out(NumberInteger)),
        )
        .executor("exec-importer", importer.into())
        .executor(
            "exec-make-shard",
            sh(
                "alpine:3.18",
                make_shard,
                &[
                    input_parameter("split"),
                    input_parameter("rows"),
                    output_artifact_path("shard"),
                    output_parameter_file("count"),
                ],
            )
            .into(),
        )
        .executor(
            "exec-merge",
            ContainerSpec::new("python:3.11-slim")
                .command(["sh", "-c", PIP_BOOTSTRAP, "sh", "-ec", RUN_FUNCTION, MERGE_SOURCE])
                .args(["--executor_input", EXECUTOR_INPUT, "--function_to_execute", "merge"])
                .into(),
        )
}
