//! Every lint rule: a small document that breaks it, and the rule id and path it is reported with.

use kfp_compiler::argo::ArgoVersion;
use kfp_compiler::lint::{lint_str, lint_str_for};
use serde_json::{Value, json};

/// The (rule, path) of each problem in `doc`.
fn found(doc: &Value) -> Vec<(String, String)> {
    let text = serde_json::to_string_pretty(doc).unwrap();
    let mut got: Vec<(String, String)> =
        lint_str(&text).unwrap().into_iter().map(|p| (p.rule.to_owned(), p.path)).collect();
    got.sort();
    got
}

/// `doc` has exactly the problems `want` (rule, path).
fn expect(doc: &Value, want: &[(&str, &str)]) {
    let mut want: Vec<(String, String)> = want.iter().map(|(r, p)| ((*r).to_owned(), (*p).to_owned())).collect();
    want.sort();
    assert_eq!(found(doc), want, "in {}", serde_json::to_string_pretty(doc).unwrap());
}

/// A Workflow with `templates` (its entrypoint is `main`).
fn wf(templates: Value) -> Value {
    json!({
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": {"generateName": "t-"},
        "spec": {"entrypoint": "main", "templates": templates},
    })
}

fn echo() -> Value {
    json!({
        "name": "echo",
        "inputs": {"parameters": [{"name": "msg"}]},
        "outputs": {"parameters": [{"name": "out", "valueFrom": {"path": "/tmp/out"}}]},
        "container": {"image": "alpine", "command": ["echo", "{{inputs.parameters.msg}}"]},
    })
}

fn arg(v: &str) -> Value {
    json!({"parameters": [{"name": "msg", "value": v}]})
}

/// A DAG template `main` with `tasks`, and `echo`.
fn dag(tasks: Value) -> Value {
    wf(json!([{"name": "main", "dag": {"tasks": tasks}}, echo()]))
}

#[test]
fn a_clean_workflow_has_no_problems() {
    expect(&dag(json!([{"name": "a", "template": "echo", "arguments": arg("x")}])), &[]);
}

#[test]
fn schema_unknown_field_wrong_type_missing_field_bad_value() {
    let mut doc = dag(json!([{"name": "a", "template": "echo", "arguments": arg("x"), "dependecies": []}]));
    expect(&doc, &[("argo/unknown-field", "spec.templates[0].dag.tasks[0].dependecies")]);
    doc["spec"]["parallelism"] = json!("two");
    doc["apiVersion"] = json!("argoproj.io/v2");
    doc["spec"]["templates"][1]["container"].as_object_mut().unwrap().remove("image");
    doc["spec"]["templates"][0]["dag"]["tasks"][0].as_object_mut().unwrap().remove("dependecies");
    doc["spec"]["templates"][1]["outputs"]["parameters"][0]["valueFrom"] = json!({"path": 3});
    expect(
        &doc,
        &[
            ("argo/bad-value", "apiVersion"),
            ("argo/missing-field", "spec.templates[1].container"),
            ("argo/wrong-type", "spec.parallelism"),
            ("argo/wrong-type", "spec.templates[1].outputs.parameters[0].valueFrom.path"),
        ],
    );
    let mut doc = dag(json!([{"name": "a", "template": "echo", "arguments": arg("x")}]));
    doc["spec"]["templates"][0]["dag"]["tasks"][0].as_object_mut().unwrap().remove("name");
    let got = found(&doc);
    assert!(got.contains(&("argo/missing-field".into(), "spec.templates[0].dag.tasks[0]".into())), "{got:?}");
}

#[test]
fn numbers_pass_where_go_reads_them() {
    let mut doc =
        dag(json!([{"name": "a", "template": "echo", "arguments": {"parameters": [{"name": "msg", "value": 3}]}}]));
    doc["spec"]["templates"][1]["container"]["resources"] = json!({"limits": {"cpu": 1, "memory": "64Mi"}});
    doc["spec"]["templates"][1]["retryStrategy"] = json!({"limit": 2});
    doc["spec"]["arguments"] = json!({"parameters": [{"name": "flag", "value": true}]});
    expect(&doc, &[]);
}

#[test]
fn names_and_lengths() {
    let long = "a".repeat(129);
    let mut doc = wf(json!([
        {"name": "main", "dag": {"tasks": [
            {"name": "a_b", "template": "echo", "arguments": arg("x")},
            {"name": long, "template": "echo", "arguments": arg("x")},
            {"name": "c", "template": "echo", "arguments": arg("x")},
            {"name": "c", "template": "echo", "arguments": arg("x")},
        ]}},
        echo(),
        {"name": "echo", "container": {"image": "alpine"}},
    ]));
    doc["spec"]["templates"][1]["inputs"]["parameters"] = json!([{"name": "m.s"}]);
    doc["spec"]["templates"][1]["container"]["command"] = json!([]);
    doc["metadata"] = json!({"name": "x".repeat(64)});
    expect(
        &doc,
        &[
            ("argo/duplicate-name", "spec.templates[0].dag.tasks[3].name"),
            ("argo/duplicate-name", "spec.templates[2].name"),
            ("argo/missing-input", "spec.templates[0].dag.tasks[0].template"),
            ("argo/missing-input", "spec.templates[0].dag.tasks[1].template"),
            ("argo/missing-input", "spec.templates[0].dag.tasks[2].template"),
            ("argo/missing-input", "spec.templates[0].dag.tasks[3].template"),
            ("argo/name", "spec.templates[0].dag.tasks[0].name"),
            ("argo/name", "spec.templates[1].inputs.parameters[0].name"),
            ("argo/name-length", "metadata.name"),
            ("argo/name-length", "spec.templates[0].dag.tasks[1].name"),
        ],
    );
    let mut cron = json!({
        "apiVersion": "argoproj.io/v1alpha1", "kind": "CronWorkflow",
        "metadata": {"name": "c".repeat(53)},
        "spec": {"schedules": ["0 2 * * *"], "workflowSpec": {"entrypoint": "echo", "templates": [echo()],
                 "arguments": {"parameters": [{"name": "msg", "value": "x"}]}}},
    });
    expect(&cron, &[("argo/name-length", "metadata.name")]);
    cron["metadata"] = json!({"name": "Upper"});
    expect(&cron, &[("argo/name", "metadata.name")]);
}

#[test]
fn template_types_calls_and_inputs() {
    let mut doc = dag(json!([
        {"name": "a", "template": "nope"},
        {"name": "b", "template": "echo"},
        {"name": "c", "arguments": arg("x")},
    ]));
    doc["spec"]["templates"][1]["script"] = json!({"image": "alpine", "source": "echo"});
    doc["spec"]["onExit"] = json!("gone");
    expect(
        &doc,
        &[
            ("argo/missing-input", "spec.templates[0].dag.tasks[1].template"),
            ("argo/no-template", "spec.templates[0].dag.tasks[2]"),
            ("argo/template-type", "spec.templates[1]"),
            ("argo/unknown-template", "spec.onExit"),
            ("argo/unknown-template", "spec.templates[0].dag.tasks[0].template"),
        ],
    );
    let mut doc = dag(json!([{"name": "a", "template": "echo", "arguments": arg("x")}]));
    doc["spec"].as_object_mut().unwrap().remove("entrypoint");
    expect(&doc, &[("argo/missing-field", "spec.entrypoint")]);
    doc["spec"]["workflowTemplateRef"] = json!({"name": "lib"});
    expect(&doc, &[("argo/templates-with-ref", "spec.templates")]);
}

#[test]
fn hooks_need_an_expression() {
    let mut doc = dag(json!([{"name": "a", "template": "echo", "arguments": arg("x"),
        "hooks": {"running": {"template": "echo", "arguments": arg("y")}}}]));
    doc["spec"]["hooks"] = json!({"exit": {"template": "echo", "arguments": arg("z")}, "late": {"template": "echo", "arguments": arg("z")}});
    expect(
        &doc,
        &[
            ("argo/hook-expression", "spec.hooks.late"),
            ("argo/hook-expression", "spec.templates[0].dag.tasks[0].hooks.running"),
        ],
    );
}

#[test]
fn dag_dependencies_results_cycles_styles_targets() {
    let t = |name: &str, extra: Value| {
        let mut task = json!({"name": name, "template": "echo", "arguments": arg("x")});
        task.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        task
    };
    let doc =
        dag(json!([t("a", json!({"depends": "b.Succeeded || ghost"})), t("b", json!({"depends": "a.Finished"})),]));
    expect(
        &doc,
        &[
            ("argo/dag-cycle", "spec.templates[0].dag"),
            ("argo/dag-dependency", "spec.templates[0].dag.tasks[0].depends"),
            ("argo/dag-result", "spec.templates[0].dag.tasks[1].depends"),
        ],
    );
    let mut doc =
        dag(json!([t("a", json!({})), t("b", json!({"dependencies": ["a"]})), t("c", json!({"depends": "a"}))]));
    doc["spec"]["templates"][0]["dag"]["target"] = json!("b zz");
    expect(&doc, &[("argo/dag-styles", "spec.templates[0].dag"), ("argo/dag-target", "spec.templates[0].dag.target")]);
    let doc = dag(json!([t("1a", json!({})), t("b", json!({"dependencies": ["1a"]}))]));
    expect(&doc, &[("argo/name", "spec.templates[0].dag.tasks[0].name")]);
    expect(&dag(json!([])), &[("argo/empty-dag", "spec.templates[0].dag.tasks")]);
}

#[test]
fn references_in_scope() {
    let mut doc = dag(json!([
        {"name": "a", "template": "echo", "arguments": arg("{{workflow.parameters.nope}}")},
        {"name": "b", "template": "echo", "arguments": arg("{{tasks.c.outputs.parameters.out}}")},
        {"name": "c", "template": "echo", "dependencies": ["a"], "arguments": arg("{{tasks.a.outputs.parameters.missing}}")},
        {"name": "d", "template": "echo", "dependencies": ["a"], "arguments": arg("{{tasks.zz.outputs.result}} {{steps.a.id}} {{item}}")},
    ]));
    doc["spec"]["templates"][1]["container"]["args"] =
        json!(["{{inputs.parameters.mesage}}", "{{inputs.artifacts.data.path}}"]);
    expect(
        &doc,
        &[
            ("argo/item-outside-loop", "spec.templates[0].dag.tasks[3].arguments.parameters[0].value"),
            ("argo/out-of-scope", "spec.templates[0].dag.tasks[1].arguments.parameters[0].value"),
            ("argo/unknown-input", "spec.templates[1].container.args[0]"),
            ("argo/unknown-input", "spec.templates[1].container.args[1]"),
            ("argo/unknown-output", "spec.templates[0].dag.tasks[2].arguments.parameters[0].value"),
            ("argo/unknown-parameter", "spec.templates[0].dag.tasks[0].arguments.parameters[0].value"),
            ("argo/unknown-step", "spec.templates[0].dag.tasks[3].arguments.parameters[0].value"),
            ("argo/unknown-task", "spec.templates[0].dag.tasks[3].arguments.parameters[0].value"),
        ],
    );
    // In a loop `{{item}}` is set; a WorkflowTemplate's parameters may come from the workflow that runs it.
    let mut doc = dag(
        json!([{"name": "a", "template": "echo", "withItems": [1, 2], "arguments": arg("{{item}} {{workflow.parameters.p}}")}]),
    );
    doc["kind"] = json!("WorkflowTemplate");
    expect(&doc, &[]);
}

#[test]
fn steps_read_only_earlier_groups() {
    let doc = wf(json!([
        {"name": "main", "steps": [
            [{"name": "a", "template": "echo", "arguments": arg("{{steps.b.outputs.parameters.out}}")},
             {"name": "b", "template": "echo", "arguments": arg("x")}],
            [{"name": "c", "template": "echo", "arguments": arg("{{steps.a.outputs.parameters.out}}")}],
        ]},
        echo(),
    ]));
    expect(&doc, &[("argo/out-of-scope", "spec.templates[0].steps[0][0].arguments.parameters[0].value")]);
}

#[test]
fn when_conditions() {
    let doc = dag(json!([
        {"name": "a", "template": "echo", "arguments": arg("x")},
        {"name": "b", "template": "echo", "arguments": arg("x"), "depends": "a", "when": "{{tasks.a.outputs.result}} == heads"},
        {"name": "c", "template": "echo", "arguments": arg("x"), "depends": "a", "when": "({{tasks.a.outputs.result}} == heads"},
        {"name": "d", "template": "echo", "arguments": arg("x"), "depends": "a", "when": "{{tasks.a.outputs.result}} = 3"},
    ]));
    expect(
        &doc,
        &[("argo/when", "spec.templates[0].dag.tasks[2].when"), ("argo/when", "spec.templates[0].dag.tasks[3].when")],
    );
}

#[test]
fn retry_strategy_and_pod_gc() {
    let mut doc = dag(json!([{"name": "a", "template": "echo", "arguments": arg("x")}]));
    doc["spec"]["templates"][1]["retryStrategy"] = json!({"limit": "three", "retryPolicy": "Sometimes"});
    doc["spec"]["podGC"] = json!({"strategy": "OnWorkflowEnd"});
    expect(
        &doc,
        &[
            ("argo/pod-gc", "spec.podGC.strategy"),
            ("argo/retry-strategy", "spec.templates[1].retryStrategy.limit"),
            ("argo/retry-strategy", "spec.templates[1].retryStrategy.retryPolicy"),
        ],
    );
    doc["spec"]["templates"][1]["retryStrategy"] =
        json!({"limit": "{{inputs.parameters.msg}}", "retryPolicy": "OnError"});
    doc["spec"]["podGC"] = json!({"strategy": "OnPodSuccess"});
    expect(&doc, &[]);
}

#[test]
fn resource_templates() {
    let res = |r: Value| wf(json!([{"name": "main", "resource": r}]));
    let good = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{workflow.name}}\n";
    expect(&res(json!({"action": "create", "manifest": good, "successCondition": "status.phase == Bound"})), &[]);
    expect(
        &res(json!({"action": "make", "manifest": "kind: ConfigMap\n", "failureCondition": "status.phase is bad"})),
        &[
            ("argo/resource", "spec.templates[0].resource.action"),
            ("argo/resource", "spec.templates[0].resource.failureCondition"),
            ("argo/resource", "spec.templates[0].resource.manifest"),
        ],
    );
    expect(
        &res(json!({"action": "create", "manifest": "a: [b\n"})),
        &[("argo/resource", "spec.templates[0].resource.manifest")],
    );
    expect(&res(json!({"action": "create"})), &[("argo/resource", "spec.templates[0].resource")]);
}

#[test]
fn pod_spec_patch_is_a_pod_spec() {
    let mut doc = dag(json!([{"name": "a", "template": "echo", "arguments": arg("x")}]));
    doc["spec"]["templates"][1]["podSpecPatch"] =
        json!("{\"containers\": [{\"name\": \"main\"}], \"nodeSelectr\": {}}");
    doc["spec"]["podSpecPatch"] = json!("containers: [");
    expect(
        &doc,
        &[("argo/pod-spec-patch", "spec.podSpecPatch"), ("argo/pod-spec-patch", "spec.templates[1].podSpecPatch")],
    );
    doc["spec"]["podSpecPatch"] = json!("{{workflow.parameters.patch}}");
    doc["spec"]["arguments"] = json!({"parameters": [{"name": "patch", "value": "{}"}]});
    doc["spec"]["templates"][1]["podSpecPatch"] = json!("nodeSelector: {disk: ssd}");
    expect(&doc, &[]);
}

#[test]
fn cron_schedules() {
    let mut cron = json!({
        "apiVersion": "argoproj.io/v1alpha1", "kind": "CronWorkflow", "metadata": {"name": "c"},
        "spec": {"schedules": ["every day"], "concurrencyPolicy": "Sometimes",
                 "workflowSpec": {"entrypoint": "main", "templates": [{"name": "main", "container": {"image": "a"}}]}},
    });
    expect(&cron, &[("argo/bad-value", "spec.concurrencyPolicy"), ("argo/cron-schedule", "spec.schedules[0]")]);
    cron["spec"]["schedules"] = json!([]);
    cron["spec"]["concurrencyPolicy"] = json!("Forbid");
    expect(&cron, &[("argo/cron-schedule", "spec.schedules")]);
}

#[test]
fn an_argo_kind_lint_does_not_check() {
    let doc = json!({"apiVersion": "argoproj.io/v1alpha1", "kind": "Sensor", "metadata": {"name": "s"}, "spec": {}});
    expect(&doc, &[("argo/kind", "kind")]);
}

#[test]
fn kubeflow_parameter_size() {
    let mut doc = dag(json!([{"name": "a", "template": "echo", "arguments": arg("{{workflow.parameters.big}}")}]));
    doc["spec"]["arguments"] = json!({"parameters": [{"name": "big", "value": "x".repeat(9_990)}]});
    expect(&doc, &[("kubeflow/parameter-size", "spec.arguments.parameters")]);
    doc["spec"]["arguments"] = json!({"parameters": [{"name": "big", "value": "x".repeat(9_000)}]});
    expect(&doc, &[]);
}

#[test]
fn kubeflow_caching_labels_and_staleness() {
    let mut doc = dag(json!([{"name": "a", "template": "echo", "arguments": arg("x")}]));
    doc["spec"]["templates"][1]["metadata"] = json!({
        "annotations": {"pipelines.kubeflow.org/max_cache_staleness": "30d"},
        "labels": {"pipelines.kubeflow.org/enable_caching": "yes"},
    });
    expect(
        &doc,
        &[
            ("kubeflow/cache-label", "spec.templates[1].metadata.labels.pipelines.kubeflow.org/enable_caching"),
            (
                "kubeflow/cache-staleness",
                "spec.templates[1].metadata.annotations.pipelines.kubeflow.org/max_cache_staleness",
            ),
        ],
    );
    doc["spec"]["templates"][1]["metadata"] = json!({
        "annotations": {"pipelines.kubeflow.org/max_cache_staleness": "P30D"},
        "labels": {"pipelines.kubeflow.org/enable_caching": "false"},
    });
    expect(&doc, &[]);
}

#[test]
fn kubeflow_metrics_artifacts() {
    let mut doc = dag(json!([{"name": "a", "template": "echo", "arguments": arg("x")}]));
    doc["spec"]["templates"][1]["outputs"] = json!({
        "parameters": [{"name": "mlpipeline-metrics", "valueFrom": {"path": "/m.json"}}],
        "artifacts": [{"name": "train-mlpipeline-ui-metadata", "path": "/u.json"}, {"name": "mlpipeline-ui-metadata", "optional": true}],
    });
    expect(
        &doc,
        &[
            ("kubeflow/metrics-artifact", "spec.templates[1].outputs.artifacts[0]"),
            ("kubeflow/metrics-artifact", "spec.templates[1].outputs.artifacts[1]"),
            ("kubeflow/metrics-artifact", "spec.templates[1].outputs.parameters[0]"),
        ],
    );
}

#[test]
fn unreadable_documents_are_one_error() {
    let dup = "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nspec:\n  entrypoint: a\n  entrypoint: b\n";
    let e = lint_str(dup).unwrap_err().to_string();
    assert!(e.contains("entrypoint") && e.to_lowercase().contains("duplicate"), "{e}");
    let e = lint_str("apiVersion: v1\nkind: ConfigMap\n").unwrap_err().to_string();
    assert!(e.contains("document 1") && e.contains("neither an Argo object"), "{e}");
    assert!(lint_str("a: [b\n").is_err());
    assert!(lint_str("").is_err());
}

#[test]
fn documents_are_numbered_and_the_ir_is_dispatched() {
    let good = serde_json::to_string(&dag(json!([{"name": "a", "template": "echo", "arguments": arg("x")}]))).unwrap();
    let bad = serde_json::to_string(&dag(json!([{"name": "a", "template": "nope"}]))).unwrap();
    let problems = lint_str(&format!("{good}\n---\n{bad}\n")).unwrap();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!((problems[0].document, problems[0].rule), (1, "argo/unknown-template"));
    assert!(problems[0].to_string().starts_with("document 2: spec.templates[0].dag.tasks[0].template: "));
    // A KFP v2 spec and its platform spec are one pair of documents, not an unknown document.
    assert!(lint_str("pipelineInfo: {name: p}\nroot: {}\n---\nplatforms: {kubernetes: {}}\n").is_ok());
}

#[test]
fn the_argo_version_chooses_the_schema() {
    let mut doc = dag(json!([{"name": "a", "template": "echo", "arguments": arg("x")}]));
    doc["spec"]["synchronization"] = json!({"mutex": {"name": "m"}});
    let text = serde_json::to_string(&doc).unwrap();
    let rules = |v| lint_str_for(&text, v).unwrap().into_iter().map(|p| p.rule).collect::<Vec<_>>();
    assert_eq!(rules(ArgoVersion::V4_1), ["argo/unknown-field"]);
    assert!(rules(ArgoVersion::V3_4).is_empty() && rules(ArgoVersion::V3_7).is_empty());
    doc["spec"]["synchronization"] = json!({"mutexes": [{"name": "m"}]});
    let text = serde_json::to_string(&doc).unwrap();
    let rules = |v| lint_str_for(&text, v).unwrap().into_iter().map(|p| p.rule).collect::<Vec<_>>();
    assert_eq!(rules(ArgoVersion::V3_4), ["argo/unknown-field"]);
    assert!(rules(ArgoVersion::V3_6).is_empty() && rules(ArgoVersion::V4_0).is_empty());
}

#[test]
fn fields_placed_by_template_type() {
    let mut doc =
        dag(json!([{"name": "a", "template": "echo", "arguments": arg("x"), "withItems": [1], "withParam": "[2]"}]));
    doc["spec"]["templates"][0]["timeout"] = json!("1m");
    doc["spec"]["templates"][0]["activeDeadlineSeconds"] = json!(10);
    doc["spec"]["templates"][1]["parallelism"] = json!(2);
    doc["spec"]["templates"][1]["outputs"]["parameters"] = json!([{"name": "o1", "value": "v", "valueFrom": {"path": "/p"}}, {"name": "o2"}, {"name": "o3", "valueFrom": {"jsonPath": "{.a}"}}]);
    expect(
        &doc,
        &[
            ("argo/leaf-only", "spec.templates[0].activeDeadlineSeconds"),
            ("argo/leaf-only", "spec.templates[0].timeout"),
            ("argo/loop", "spec.templates[0].dag.tasks[0]"),
            ("argo/output-parameter", "spec.templates[1].outputs.parameters[0]"),
            ("argo/output-parameter", "spec.templates[1].outputs.parameters[1]"),
            ("argo/output-parameter", "spec.templates[1].outputs.parameters[2]"),
            ("argo/parallelism", "spec.templates[1].parallelism"),
        ],
    );
    let mut doc = dag(json!([{"name": "a", "template": "echo", "arguments": arg("x")}]));
    doc["spec"]["templates"][1]["timeout"] = json!("30");
    doc["spec"]["templates"][0]["outputs"] = json!({"parameters": [{"name": "o", "valueFrom": {"path": "/p"}}]});
    expect(
        &doc,
        &[
            ("argo/leaf-only", "spec.templates[1].timeout"),
            ("argo/output-parameter", "spec.templates[0].outputs.parameters[0]"),
        ],
    );
}
