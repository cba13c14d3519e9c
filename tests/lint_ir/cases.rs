//! Broken IR documents: kfp's reference IR (tests/fixtures/kfp-v2/) with one defect each, the
//! breakages of `shared/tools/ir-validate-selftest` written in Rust, and the rule and path `lint`
//! must name for each.

use serde_json::{Value, json};

/// One breakage.
pub(crate) struct Case {
    /// The selftest's name for it (`_` for `-`).
    pub(crate) name: &'static str,
    /// The reference file broken (`tests/fixtures/kfp-v2/<file>.yaml`).
    pub(crate) file: &'static str,
    /// The defect: edits the documents (`[0]` the PipelineSpec, `[1]` the PlatformSpec if any).
    pub(crate) break_it: fn(&mut Vec<Value>),
    /// The rule `lint` reports.
    pub(crate) rule: &'static str,
    /// Where: a path in the PipelineSpec, or `document 2: <path>` in the PlatformSpec.
    pub(crate) path: &'static str,
    /// ir-validate reports it as a warning (it fails only with `--werror`).
    pub(crate) warning: bool,
}

const A: &str = "a_linear";
const D: &str = "d_parallelfor_static";
const F: &str = "f_condition";
const G: &str = "g_recursion";
const H: &str = "h_exit_handler";
const I: &str = "i_resource_volume";
const K: &str = "k_pod_settings";
const MC: &str = "m_collected_artifacts";

fn task<'a>(d: &'a mut [Value], name: &str) -> &'a mut Value {
    &mut d[0]["root"]["dag"]["tasks"][name]
}

fn executor<'a>(d: &'a mut [Value], label: &str) -> &'a mut Value {
    &mut d[0]["deploymentSpec"]["executors"][label]
}

fn k8s<'a>(d: &'a mut [Value], label: &str) -> &'a mut Value {
    &mut d[1]["platforms"]["kubernetes"]["deploymentSpec"]["executors"][label]
}

fn set(v: &mut Value, key: &str, value: Value) {
    v.as_object_mut().expect("an object").insert(key.to_owned(), value);
}

fn take(v: &mut Value, key: &str) -> Value {
    v.as_object_mut().expect("an object").remove(key).expect("the key")
}

macro_rules! cases {
    ($($name:ident, $file:expr, $rule:literal, $path:literal, $warning:literal, |$d:ident| $body:expr;)*) => {
        /// Every breakage.
        pub(crate) const CASES: &[Case] = &[$(Case {
            name: stringify!($name),
            file: $file,
            break_it: |$d: &mut Vec<Value>| { $body; },
            rule: $rule,
            path: $path,
            warning: $warning,
        }),*];

        /// One test a breakage.
        mod each {
            $(
                #[test]
                fn $name() {
                    super::super::check_case(stringify!($name));
                }
            )*
        }
    };
}

cases! {
    // -- strict proto parse
    unknown_field, A, "ir/unknown-field", "root.dag.tasks.fetch.bogusField", false,
        |d| set(task(d, "fetch"), "bogusField", json!(1));
    misspelled_field, A, "ir/unknown-field", "root.dag.tasks.fetch.componentRefs", false,
        |d| { let r = take(task(d, "fetch"), "componentRef"); set(task(d, "fetch"), "componentRefs", r) };
    wrong_enum_name, A, "ir/bad-enum", "components.comp-fetch.inputDefinitions.parameters.url.parameterType", false,
        |d| d[0]["components"]["comp-fetch"]["inputDefinitions"]["parameters"]["url"]["parameterType"] = json!("NUMBER_FLOAT");
    unspecified_enum, A, "ir/bad-enum", "components.comp-fetch.inputDefinitions.parameters.url.parameterType", false,
        |d| d[0]["components"]["comp-fetch"]["inputDefinitions"]["parameters"]["url"]["parameterType"] =
            json!("PARAMETER_TYPE_ENUM_UNSPECIFIED");
    number_for_string, A, "ir/wrong-type", "deploymentSpec.executors.exec-report.container.args[0]", false,
        |d| executor(d, "exec-report")["container"]["args"][0] = json!(5);
    string_for_bool, A, "ir/wrong-type", "root.dag.tasks.fetch.cachingOptions.enableCache", false,
        |d| task(d, "fetch")["cachingOptions"]["enableCache"] = json!("true");
    int32_out_of_range, D, "ir/bad-value", "root.dag.tasks.for-loop-4.iteratorPolicy.parallelismLimit", false,
        |d| task(d, "for-loop-4")["iteratorPolicy"]["parallelismLimit"] = json!(1_u64 << 40);
    oneof_conflict, A, "ir/oneof-conflict", "root.dag.tasks.fetch.inputs.parameters.url.runtimeValue", false,
        |d| set(&mut task(d, "fetch")["inputs"]["parameters"]["url"], "runtimeValue", json!({"constant": "x"}));
    bad_duration, K, "ir/bad-duration", "root.dag.tasks.train.retryPolicy.backoffDuration", false,
        |d| task(d, "train")["retryPolicy"]["backoffDuration"] = json!("30");
    deployment_unknown_field, A, "ir/unknown-field", "deploymentSpec.executors.exec-fetch.container.imagePullPolicy",
        false, |d| set(&mut executor(d, "exec-fetch")["container"], "imagePullPolicy", json!("Always"));
    argo_workflow, A, "ir/not-a-pipeline-spec", "", false,
        |d| d[0] = json!({"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow", "spec": {"entrypoint": "main"}});
    // -- server rules
    bad_schema_version, A, "ir/schema-version", "schemaVersion", false,
        |d| d[0]["schemaVersion"] = json!("2.0.0");
    bad_name, A, "ir/pipeline-name", "pipelineInfo.name", false,
        |d| d[0]["pipelineInfo"]["name"] = json!("ÜBER PIPELINE!");
    empty_name, A, "ir/pipeline-name", "pipelineInfo.name", false, |d| d[0]["pipelineInfo"]["name"] = json!("");
    missing_root, A, "ir/missing-root", "root", false, |d| take(&mut d[0], "root");
    two_pipeline_specs, A, "ir/not-a-platform-spec", "document 2: ", false, |d| { let s = d[0].clone(); d.push(s) };
    platform_spec_first, K, "ir/not-a-pipeline-spec", "", false, |d| d.reverse();
    no_kubernetes_platform, K, "ir/platform-not-kubernetes", "document 2: platforms", false,
        |d| { let k = take(&mut d[1]["platforms"], "kubernetes"); set(&mut d[1]["platforms"], "k8s", k) };
    // -- references and graph
    dangling_component_ref, A, "ir/unknown-component", "root.dag.tasks.report.componentRef.name", false,
        |d| task(d, "report")["componentRef"]["name"] = json!("comp-reprot");
    missing_executor, A, "ir/missing-executor", "components.comp-report.executorLabel", false,
        |d| take(&mut d[0]["deploymentSpec"]["executors"], "exec-report");
    dangling_producer, A, "ir/bad-producer-task",
        "root.dag.tasks.count-words.inputs.parameters.text.taskOutputParameter.producerTask", false,
        |d| task(d, "count-words")["inputs"]["parameters"]["text"]["taskOutputParameter"]["producerTask"] = json!("fetch-2");
    undeclared_output, A, "ir/unknown-output",
        "root.dag.tasks.count-words.inputs.parameters.text.taskOutputParameter.outputParameterKey", false,
        |d| task(d, "count-words")["inputs"]["parameters"]["text"]["taskOutputParameter"]["outputParameterKey"] = json!("rawr");
    dangling_component_input, A, "ir/unknown-component-input",
        "root.dag.tasks.fetch.inputs.parameters.url.componentInputParameter", false,
        |d| task(d, "fetch")["inputs"]["parameters"]["url"]["componentInputParameter"] = json!("uri");
    dangling_dependent_task, A, "ir/unknown-dependency", "root.dag.tasks.report.dependentTasks[1]", false,
        |d| task(d, "report")["dependentTasks"].as_array_mut().expect("a list").push(json!("nope"));
    dependency_cycle, A, "ir/dependency-cycle", "root.dag.tasks.count-words", false,
        |d| set(task(d, "fetch"), "dependentTasks", json!(["report"]));
    required_input_missing, A, "ir/missing-input", "root.dag.tasks.report.inputs.parameters", false,
        |d| take(&mut task(d, "report")["inputs"]["parameters"], "label");
    constant_type_mismatch, A, "ir/constant-type",
        "root.dag.tasks.count-words.inputs.parameters.min_len.runtimeValue.constant", false,
        |d| task(d, "count-words")["inputs"]["parameters"]["min_len"] = json!({"runtimeValue": {"constant": "three"}});
    source_type_mismatch, A, "ir/type-mismatch", "root.dag.tasks.report.inputs.parameters.count", false,
        |d| task(d, "report")["inputs"]["parameters"]["count"] =
            json!({"taskOutputParameter": {"producerTask": "fetch", "outputParameterKey": "raw"}});
    bad_task_name, A, "ir/task-name", "root.dag.tasks[\"1fetch\"]", false, |d| {
        let t = take(&mut d[0]["root"]["dag"]["tasks"], "fetch");
        set(&mut d[0]["root"]["dag"]["tasks"], "1fetch", t);
        task(d, "count-words")["dependentTasks"] = json!(["1fetch"]);
        task(d, "count-words")["inputs"]["parameters"]["text"]["taskOutputParameter"]["producerTask"] = json!("1fetch");
    };
    component_recursion, G, "ir/component-recursion", "components.comp-flip-until-tails", false,
        |d| d[0]["components"]["comp-flip-until-tails-3"]["dag"]["tasks"]["log"]["componentRef"]["name"] =
            json!("comp-flip-until-tails");
    unused_component, A, "ir/unused-component", "components.comp-unused", true, |d| {
        let c = d[0]["components"]["comp-fetch"].clone();
        set(&mut d[0]["components"], "comp-unused", c);
    };
    // -- control flow
    bad_item_input, D, "ir/bad-iterator", "root.dag.tasks.for-loop-2.parameterIterator.itemInput", false,
        |d| task(d, "for-loop-2")["parameterIterator"]["itemInput"] = json!("pipelinechannel--loop-item-param-9");
    raw_not_a_list, D, "ir/bad-iterator", "root.dag.tasks.for-loop-2.parameterIterator.items.raw", false,
        |d| task(d, "for-loop-2")["parameterIterator"]["items"]["raw"] = json!(r#"{"a": 1}"#);
    raw_not_json, D, "ir/bad-iterator", "root.dag.tasks.for-loop-4.parameterIterator.items.raw", false,
        |d| task(d, "for-loop-4")["parameterIterator"]["items"]["raw"] = json!("[1, 2,");
    artifact_iterator, MC, "ir/artifact-iterator", "root.dag.tasks.for-loop-2.artifactIterator", false, |d| {
        let item = take(task(d, "for-loop-2"), "parameterIterator")["itemInput"].clone();
        let it = json!({"itemInput": item, "items": {"inputArtifact": "pipelinechannel--shards"}});
        set(task(d, "for-loop-2"), "artifactIterator", it);
    };
    condition_dangling_input, F, "ir/bad-condition", "root.dag.tasks.condition-5.triggerPolicy.condition", false,
        |d| task(d, "condition-5")["triggerPolicy"]["condition"] =
            json!("inputs.parameter_values['pipelinechannel--mood'] == 'full'");
    condition_unbalanced, F, "ir/bad-condition", "root.dag.tasks.condition-5.triggerPolicy.condition", false,
        |d| task(d, "condition-5")["triggerPolicy"]["condition"] =
            json!("(inputs.parameter_values['pipelinechannel--mode'] == 'full'");
    dag_output_dangling, F, "ir/dag-output",
        "components.comp-condition-branches-6.dag.outputs.parameters.pipelinechannel--condition-branches-6-oneof-1\
         .valueFromOneof.parameterSelectors[0].producerSubtask", false,
        |d| d[0]["components"]["comp-condition-branches-6"]["dag"]["outputs"]["parameters"]
            ["pipelinechannel--condition-branches-6-oneof-1"]["valueFromOneof"]["parameterSelectors"][0]
            ["producerSubtask"] = json!("condition-77");
    dag_output_missing, MC, "ir/dag-output",
        "components.comp-for-loop-2.outputDefinitions.parameters.pipelinechannel--make-shard-count", false,
        |d| take(&mut d[0]["components"]["comp-for-loop-2"]["dag"]["outputs"], "parameters");
    exit_task_without_dependency, H, "ir/exit-task", "root.dag.tasks.notify.triggerPolicy", false,
        |d| task(d, "notify")["dependentTasks"] = json!([]);
    final_status_not_a_dependency, H, "ir/final-status",
        "root.dag.tasks.notify.inputs.parameters.status.taskFinalStatus.producerTask", false,
        |d| task(d, "notify")["dependentTasks"] = json!([]);
    two_exit_tasks_one_task, H, "ir/exit-task", "root.dag.tasks.notify-2.dependentTasks[0]", false, |d| {
        let t = task(d, "notify").clone();
        set(&mut d[0]["root"]["dag"]["tasks"], "notify-2", t);
    };
    importer_with_condition, MC, "ir/importer-condition", "root.dag.tasks.importer.triggerPolicy.condition", false,
        |d| set(task(d, "importer"), "triggerPolicy", json!({"condition": "inputs.parameter_values['uri'] != ''"}));
    // -- executors
    undeclared_placeholder, A, "ir/unknown-placeholder", "deploymentSpec.executors.exec-report.container.args[1]",
        false, |d| executor(d, "exec-report")["container"]["args"][1] = json!("{{$.inputs.parameters['lable']}}");
    resolver_executor, A, "ir/unsupported-executor", "deploymentSpec.executors.exec-report.resolver", false,
        |d| *executor(d, "exec-report") = json!({"resolver": {}});
    bad_quantity, K, "ir/bad-quantity", "deploymentSpec.executors.exec-train.container.resources.resourceMemoryLimit",
        false, |d| executor(d, "exec-train")["container"]["resources"]["resourceMemoryLimit"] = json!("16 GB");
    importer_uri_param, MC, "ir/importer", "deploymentSpec.executors.exec-importer.importer.artifactUri.runtimeParameter",
        false, |d| executor(d, "exec-importer")["importer"]["artifactUri"]["runtimeParameter"] = json!("url");
    launcher_placeholder, A, "ir/launcher-placeholder", "deploymentSpec.executors.exec-report.container.args[4]",
        true, |d| executor(d, "exec-report")["container"]["args"].as_array_mut().expect("args")
            .push(json!("{{$.pipeline_job_uuid}}"));
    // -- PlatformSpec
    k8s_unknown_field, K, "ir/unknown-field",
        "document 2: platforms.kubernetes.deploymentSpec.executors.exec-train.secretAsEnv[0].bogus", false,
        |d| set(&mut k8s(d, "exec-train")["secretAsEnv"][0], "bogus", json!(1));
    k8s_unknown_executor, K, "ir/platform-unknown-executor",
        "document 2: platforms.kubernetes.deploymentSpec.executors.exec-trian", false, |d| {
        let execs = &mut d[1]["platforms"]["kubernetes"]["deploymentSpec"]["executors"];
        let c = take(execs, "exec-train");
        set(execs, "exec-trian", c);
    };
    k8s_bad_toleration, K, "ir/platform-value",
        "document 2: platforms.kubernetes.deploymentSpec.executors.exec-train.tolerations[0].effect", false,
        |d| k8s(d, "exec-train")["tolerations"][0]["effect"] = json!("NoScheduling");
    k8s_dangling_producer, I, "ir/platform-reference",
        "document 2: platforms.kubernetes.deploymentSpec.executors.exec-read.pvcMount[0].pvcNameParameter.taskOutputParameter", false,
        |d| k8s(d, "exec-read")["pvcMount"][0]["pvcNameParameter"]["taskOutputParameter"]["producerTask"] =
            json!("createpvc-9");
    k8s_missing_dependency, I, "ir/platform-dependency",
        "document 2: platforms.kubernetes.deploymentSpec.executors.exec-read.pvcMount[0].pvcNameParameter.taskOutputParameter", false,
        |d| task(d, "read")["dependentTasks"] = json!([]);
    // -- beyond the selftest
    bad_placeholder_json, A, "ir/bad-placeholder-json", "deploymentSpec.executors.exec-report.container.args[0]", false,
        |d| executor(d, "exec-report")["container"]["args"][0] = json!(r#"{"IfPresent": {"#);
    reserved_component_name, A, "ir/component-name", "components.system-fetch", false, |d| {
        let c = take(&mut d[0]["components"], "comp-fetch");
        set(&mut d[0]["components"], "system-fetch", c);
        task(d, "fetch")["componentRef"]["name"] = json!("system-fetch");
    };
    empty_env_name, A, "ir/env", "deploymentSpec.executors.exec-fetch.container.env[0].name", false,
        |d| set(&mut executor(d, "exec-fetch")["container"], "env", json!([{"name": "", "value": "x"}]));
    implicit_dependency, A, "ir/implicit-dependency",
        "root.dag.tasks.count-words.inputs.parameters.text.taskOutputParameter.producerTask", true,
        |d| take(task(d, "count-words"), "dependentTasks");
    missing_task_info, A, "ir/missing-field", "root.dag.tasks.fetch", true, |d| take(task(d, "fetch"), "taskInfo");
    no_implementation, A, "ir/no-implementation", "components.comp-fetch", false,
        |d| take(&mut d[0]["components"]["comp-fetch"], "executorLabel");
    output_of_input_only_type, A, "ir/parameter-type",
        "components.comp-fetch.outputDefinitions.parameters.raw.parameterType", false,
        |d| d[0]["components"]["comp-fetch"]["outputDefinitions"]["parameters"]["raw"]["parameterType"] =
            json!("TASK_FINAL_STATUS");
    runtime_parameter_input, A, "ir/runtime-value", "root.dag.tasks.fetch.inputs.parameters.url.runtimeValue", false,
        |d| task(d, "fetch")["inputs"]["parameters"]["url"] = json!({"runtimeValue": {"runtimeParameter": "url"}});
    undeclared_input_artifact, A, "ir/unknown-input", "root.dag.tasks.fetch.inputs.artifacts.bogus", false,
        |d| set(&mut task(d, "fetch")["inputs"], "artifacts", json!({"bogus": {"componentInputArtifact": "x"}}));
    unknown_top_field, A, "ir/unknown-field", "pipelineSpecVersion", false,
        |d| set(&mut d[0], "pipelineSpecVersion", json!("2.1.0"));
    root_not_dag, A, "ir/root-not-dag", "root", false,
        |d| { take(&mut d[0]["root"], "dag"); set(&mut d[0]["root"], "executorLabel", json!("exec-fetch")) };
    missing_sdk_version, A, "ir/sdk-version", "sdkVersion", false, |d| take(&mut d[0], "sdkVersion");
    no_tasks, A, "ir/no-tasks", "root.dag.tasks", false, |d| d[0]["root"]["dag"]["tasks"] = json!({});
    iterator_policy_without_iterator, A, "ir/bad-iterator", "root.dag.tasks.fetch.iteratorPolicy", true,
        |d| set(task(d, "fetch"), "iteratorPolicy", json!({"parallelismLimit": 2}));
    bad_trigger_strategy, H, "ir/bad-enum", "root.dag.tasks.notify.triggerPolicy.strategy", false,
        |d| task(d, "notify")["triggerPolicy"]["strategy"] = json!("ALL_DONE");
    k8s_bad_pull_policy, K, "ir/bad-enum",
        "document 2: platforms.kubernetes.deploymentSpec.executors.exec-train.imagePullPolicy", false,
        |d| set(k8s(d, "exec-train"), "imagePullPolicy", json!("Sometimes"));
    k8s_wrong_type, K, "ir/wrong-type",
        "document 2: platforms.kubernetes.deploymentSpec.executors.exec-train.tolerations[0].effect", false,
        |d| k8s(d, "exec-train")["tolerations"][0]["effect"] = json!(7);
    duplicate_dependency, A, "ir/duplicate-dependency", "root.dag.tasks.report.dependentTasks[0]", true,
        |d| task(d, "report")["dependentTasks"].as_array_mut().expect("a list").push(json!("count-words"));
    empty_task_info, A, "ir/task-info", "root.dag.tasks.fetch.taskInfo.name", true,
        |d| task(d, "fetch")["taskInfo"]["name"] = json!("");
    negative_retries, K, "ir/retry-policy", "root.dag.tasks.train.retryPolicy.maxRetryCount", false,
        |d| task(d, "train")["retryPolicy"]["maxRetryCount"] = json!(-1);
    k8s_negative_deadline, K, "ir/platform-value",
        "document 2: platforms.kubernetes.deploymentSpec.executors.exec-train.activeDeadlineSeconds", false,
        |d| set(k8s(d, "exec-train"), "activeDeadlineSeconds", json!("-5"));
    default_type, A, "ir/default-type", "root.inputDefinitions.parameters.min_len.defaultValue", false,
        |d| d[0]["root"]["inputDefinitions"]["parameters"]["min_len"]["defaultValue"] = json!("three");
    artifact_schema_title, MC, "ir/artifact-type",
        "components.comp-importer.outputDefinitions.artifacts.artifact.artifactType.schemaTitle", false,
        |d| d[0]["components"]["comp-importer"]["outputDefinitions"]["artifacts"]["artifact"]["artifactType"]["schemaTitle"] =
            json!("Dataset");
    artifact_type_mismatch, MC, "ir/artifact-type-mismatch", "root.dag.tasks.merge.inputs.artifacts.shards", false,
        |d| d[0]["components"]["comp-merge"]["inputDefinitions"]["artifacts"]["shards"]["artifactType"]["schemaTitle"] =
            json!("system.Model");
    output_placeholder, A, "ir/unknown-placeholder", "deploymentSpec.executors.exec-fetch.container.args[2]", false,
        |d| executor(d, "exec-fetch")["container"]["args"][2] = json!("{{$.outputs.parameters['rows'].output_file}}");
    constant_placeholder, A, "ir/unknown-placeholder",
        "root.dag.tasks.fetch.inputs.parameters.url.runtimeValue.constant", false,
        |d| task(d, "fetch")["inputs"]["parameters"]["url"] =
            json!({"runtimeValue": {"constant": "{{$.inputs.parameters['pipelinechannel--nope']}}"}});
    missing_image, A, "ir/missing-image", "deploymentSpec.executors.exec-fetch.container.image", false,
        |d| executor(d, "exec-fetch")["container"]["image"] = json!("");
    no_source, A, "ir/no-input-source", "root.dag.tasks.fetch.inputs.parameters.url", false,
        |d| task(d, "fetch")["inputs"]["parameters"]["url"] = json!({});
    k8s_component_input, I, "ir/platform-reference",
        "document 2: platforms.kubernetes.deploymentSpec.executors.exec-read.pvcMount[0].pvcNameParameter.componentInputParameter",
        false, |d| k8s(d, "exec-read")["pvcMount"][0]["pvcNameParameter"] = json!({"componentInputParameter": "nope"});
}
