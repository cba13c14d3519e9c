//! `extra/platform_coverage`: what the shared references leave out. A loop over a pipeline
//! parameter (`items.inputParameter`, item input `pipelinechannel--items-loop-item`); kfp-kubernetes
//! settings named by pipeline parameters inside it (`componentInputParameter` of the loop
//! component's `pipelinechannel--...` inputs); IfPresent / Concat with Else; optional parameter and
//! artifact inputs; an importer of a constant URI with `reimport`; config maps as env and volume,
//! emptyDir, field path as env, a generic ephemeral volume, an image pull secret, a preferred node
//! affinity, a toleration with seconds.

use kfp_compiler::kfp_v2::placeholder::{CommandLineArg, input_parameter};
use kfp_compiler::kfp_v2::{
    ArtifactDefinition, ArtifactTypeSchema, ComponentSpec, ConfigMapAsEnv, ConfigMapAsVolume, ConfigMapKeyToEnv,
    ContainerSpec, DagSpec, EmptyDirMount, FieldPathAsEnv, GenericEphemeralVolume, ImagePullSecret, ImporterSpec,
    IteratorItems, KubernetesExecutorConfig, NodeAffinityTerm, OutputArtifactDefinition, ParameterIterator,
    ParameterType, PipelineInfo, PipelineSpec, PlatformSpec, PodMetadata, PvcMount, SecretAsEnv, SecretKeyToEnv,
    SelectorRequirement, TaskInputParameter, Toleration,
};
use serde_json::json;

use super::a_linear::{p, task};
use super::f_condition::{ch, group};
use ParameterType::{List, Text as Str};

pub(crate) fn spec() -> (PipelineSpec, PlatformSpec) {
    let item = ch("items-loop-item");
    let root = DagSpec::default()
        .task(
            "for-loop-1",
            group("comp-for-loop-1", "for-loop-1")
                .parameter(ch("items"), TaskInputParameter::component_input("items"))
                .parameter(ch("pvc"), TaskInputParameter::component_input("pvc"))
                .parameter(ch("sec"), TaskInputParameter::component_input("sec"))
                .iterate(ParameterIterator::new(IteratorItems::InputParameter(ch("items")), &item)),
        )
        .task(
            "importer",
            task("comp-importer", "importer")
                .parameter("uri", TaskInputParameter::constant("gs://example-bucket/model")),
        )
        .task("opt", task("comp-opt", "opt").parameter("x", TaskInputParameter::constant("a")));
    let root = ComponentSpec::dag(root)
        .input_parameter("items", p(List).default_value(json!(["a", "b"])))
        .input_parameter("pvc", p(Str).default_value(json!("shared-data")))
        .input_parameter("sec", p(Str).default_value(json!("api-token")));

    let loop_1 = DagSpec::default()
        .task("use", task("comp-use", "use").parameter("x", TaskInputParameter::component_input(&item)));
    let if_present = CommandLineArg::IfPresent {
        input: "y".into(),
        then: vec![
            CommandLineArg::text("--y"),
            CommandLineArg::Concat(vec![CommandLineArg::text("v="), CommandLineArg::Text(input_parameter("y"))]),
        ],
        otherwise: vec![CommandLineArg::text("--no-y")],
    };

    let mut importer = ImporterSpec::from_uri("gs://example-bucket/model", ArtifactTypeSchema::system("Model"));
    importer.reimport = true;

    let spec = PipelineSpec::new(PipelineInfo::new("platform-coverage"), root)
        .component(
            "comp-for-loop-1",
            ComponentSpec::dag(loop_1)
                .input_parameter(ch("items"), p(List))
                .input_parameter(&item, p(Str))
                .input_parameter(ch("pvc"), p(Str))
                .input_parameter(ch("sec"), p(Str)),
        )
        .component(
            "comp-importer",
            ComponentSpec::executor("exec-importer")
                .input_parameter("uri", p(Str))
                .output_artifact("artifact", OutputArtifactDefinition::new(ArtifactTypeSchema::system("Model"))),
        )
        .component(
            "comp-opt",
            ComponentSpec::executor("exec-opt")
                .input_artifact("d", ArtifactDefinition::new(ArtifactTypeSchema::system("Dataset")).optional())
                .input_parameter("x", p(Str))
                .input_parameter("y", p(Str).optional()),
        )
        .component("comp-use", ComponentSpec::executor("exec-use").input_parameter("x", p(Str)))
        .executor("exec-importer", importer.into())
        .executor(
            "exec-opt",
            ContainerSpec::new("alpine:3.18")
                .command(["echo".to_owned(), input_parameter("x")])
                .args([if_present.to_command_line()])
                .into(),
        )
        .executor(
            "exec-use",
            ContainerSpec::new("alpine:3.18").command(["echo".to_owned(), input_parameter("x")]).into(),
        );

    let mut opt = KubernetesExecutorConfig::default();
    opt.config_map_as_env = vec![ConfigMapAsEnv::new("settings", vec![ConfigMapKeyToEnv::new("level", "LOG_LEVEL")])];
    opt.config_map_as_volume = vec![ConfigMapAsVolume::new("settings", "/etc/settings")];
    let mut scratch = EmptyDirMount::new("scratch", "/scratch");
    scratch.medium = Some("Memory".into());
    scratch.size_limit = Some("1Gi".into());
    opt.empty_dir_mounts = vec![scratch];
    opt.field_path_as_env = vec![FieldPathAsEnv::new("POD_NAME", "metadata.name")];
    let mut eph = GenericEphemeralVolume::new("eph", "/eph", "5Gi");
    eph.access_modes = vec!["ReadWriteOnce".into()];
    eph.storage_class_name = Some("fast".into());
    eph.metadata = Some(PodMetadata::default().label("app", "kfp"));
    opt.generic_ephemeral_volume = vec![eph];
    opt.image_pull_secret = vec![ImagePullSecret::new("regcred")];
    opt.node_affinity = vec![NodeAffinityTerm::preferred(50, vec![SelectorRequirement::new("zone", "In", ["a"])])];
    let mut spot = Toleration::equal("spot", "true", "NoExecute");
    spot.toleration_seconds = Some(30);
    opt.tolerations = vec![spot];

    let mut use_ = KubernetesExecutorConfig::default();
    use_.pvc_mount = vec![PvcMount::from_component_input(&ch("pvc"), "/data")];
    use_.secret_as_env = vec![SecretAsEnv::from_parameter(
        TaskInputParameter::component_input(ch("sec")),
        vec![SecretKeyToEnv::new("token", "TOKEN")],
    )];
    (spec, PlatformSpec::default().executor("exec-opt", opt).executor("exec-use", use_))
}
