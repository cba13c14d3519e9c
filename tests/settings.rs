//! Task settings: invalid values are errors naming the line; valid ones shape the template, and tasks
//! with equal settings share it.

mod support;

use kfp::prelude::*;
use kfp::{CompileOptions, ExtraContainer};

/// Echoes.
#[container_component(image = "alpine:3.20")]
fn echo(msg: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["echo"]).arg(msg)
}

/// Has an empty image.
#[container_component(image = "")]
fn blank(msg: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["echo"]).arg(msg)
}

/// `err` has one line per `(line, message)`, in order, each naming this file's line.
fn assert_lines(err: &str, expected: &[(u32, &str)]) {
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), expected.len(), "{err}");
    for (got, (l, message)) in lines.iter().zip(expected) {
        assert!(got.starts_with(&format!("tests/settings.rs:{l}:")), "{got}");
        assert!(got.contains(message), "{got} lacks {message}");
    }
}

#[test]
fn invalid_settings_are_clear_errors_with_their_line() {
    let line = line!() + 3;
    let err = kfp::Pipeline::build("s", None, |p| {
        echo(p, "a")
            .memory_limit("4 gigs")
            .label("Bad Key", "x")
            .toleration("gpu", "Maybe", None, "NoSchedule")
            .sidecar(ExtraContainer::new("agent", " "))
            .image_pull_policy("Sometimes")
            .retry_with(2, "OnFailure", "soon", 2, "5m")
            .volume("v", kfp::VolumeSource::EmptyDir(None), "relative/path");
        blank(p, "b");
        let out = echo(p, "c");
        let _ = out;
    })
    .unwrap_err()
    .to_string();
    let expected = [
        (line, "`4 gigs` is not a Kubernetes quantity (like `500m`, `2`, `4Gi`, `8G`)"),
        (line + 1, "`Bad Key` is not a valid label key"),
        (line + 2, "`Maybe` is not a valid toleration operator; expected one of `Exists`, `Equal`"),
        (line + 3, "container `agent` has an empty image"),
        (line + 4, "`Sometimes` is not a valid image pull policy; expected one of `Always`, `IfNotPresent`, `Never`"),
        (line + 5, "`soon` is not a duration (like `30s`, `5m`, `1h`)"),
        (line + 6, "mount path `relative/path` is not absolute"),
        (line + 7, "component `blank`: the image is empty"),
    ];
    assert_lines(&err, &expected);
}

#[test]
fn retry_conditions_need_a_retry_count_and_an_exit_code() {
    let line = line!() + 2;
    let err = kfp::Pipeline::build("s", None, |p| {
        echo(p, "a").retry_if(RetryIf::errored());
        echo(p, "b").retry_on_other_node();
        echo(p, "c").retry(1).retry_if(RetryIf::exit_code_in([]) | RetryIf::errored());
    })
    .unwrap_err()
    .to_string();
    let expected = [
        (line, "`.retry_if(..)` needs a retry count: call `.retry(n)` or `.retry_with(..)` before it"),
        (line + 1, "`.retry_on_other_node()` needs a retry count: call `.retry(n)` or `.retry_with(..)` before it"),
        (line + 2, "`RetryIf::exit_code_in` needs at least one exit code"),
    ];
    assert_lines(&err, &expected);
}

#[test]
fn resources_and_the_image_take_any_value_and_other_settings_pipeline_parameters_only() {
    let line = line!() + 6;
    let err = kfp::Pipeline::build("s", None, |p| {
        let a = echo(p, "a");
        let n = p.param::<String>("n");
        let _ = a;
        echo(p, "b").memory_limit(n).cpu_limit(fmt_param!(p, "{}", n)).image(fmt_param!(p, "x:{}", n));
        echo(p, "c").env("N", fmt_param!(p, "{}", n));
        echo(p, "d").image("--privileged");
    })
    .unwrap_err()
    .to_string();
    let expected = [
        (line, "a setting takes a literal or a pipeline parameter"),
        (line + 1, "`--privileged` is not an image reference"),
    ];
    assert_lines(&err, &expected);
}

#[test]
fn a_resource_from_a_task_output_is_an_input_of_the_task_and_waits_for_it() {
    #[container_component(image = "alpine:3.20")]
    fn measure(size: OutputParam<String>) -> ContainerSpec {
        ContainerSpec::new(["sh", "-c", "echo 2Gi > \"$0\""]).arg(size)
    }
    let p = kfp::Pipeline::build("s", None, |p| {
        let m = measure(p);
        echo(p, "b").memory_request(m.size).image(m.size).task_name("b");
    })
    .unwrap();
    let wf = kfp::compile_pipeline(&p, &CompileOptions::default()).unwrap();
    let root = wf.spec.templates[0].dag.as_ref().unwrap();
    let b = root.tasks.iter().find(|t| &*t.name == "b").unwrap();
    let args: Vec<(&str, Option<&str>)> =
        b.arguments.parameters.iter().map(|a| (&*a.name, a.value.as_deref())).collect();
    assert_eq!(
        args,
        [
            ("msg", Some("b")),
            ("kfp-setting-requests-memory", Some("{{tasks.measure.outputs.parameters.size}}")),
            ("kfp-setting-image", Some("{{tasks.measure.outputs.parameters.size}}")),
        ]
    );
    assert_eq!(b.dependencies.iter().map(|d| &**d).collect::<Vec<_>>(), ["measure"]);
    let t = wf.spec.templates.iter().find(|t| *t.name == *b.template).unwrap();
    assert_eq!(t.container.as_ref().unwrap().image, "{{inputs.parameters.kfp-setting-image}}");
    let ir = kfp::compile_kfp_v2(&p, &CompileOptions::default()).unwrap().to_yaml().unwrap();
    assert!(ir.contains(r#"resourceMemoryRequest: "{{$.inputs.parameters['kfp-setting-requests-memory']}}""#), "{ir}");
    assert!(ir.contains(r#"image: "{{$.inputs.parameters['kfp-setting-image']}}""#), "{ir}");
    support::assert_lints_clean("settings-from-outputs", &ir);
}

#[test]
fn equal_settings_share_a_template_and_different_ones_do_not() {
    let p = kfp::Pipeline::build("s", None, |p| {
        echo(p, "a").cpu_limit("1").task_name("one");
        echo(p, "b").cpu_limit("1").task_name("two");
        echo(p, "c").cpu_limit("2");
        echo(p, "d");
    })
    .unwrap();
    let wf = kfp::compile_pipeline(&p, &CompileOptions::default()).unwrap();
    let names: Vec<&str> = wf.spec.templates.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["s", "echo", "echo-2", "echo-3"]);
    let tasks = &wf.spec.templates[0].dag.as_ref().unwrap().tasks;
    let template_of = |task: &str| tasks.iter().find(|t| &*t.name == task).unwrap().template.to_string();
    assert_eq!(template_of("one"), template_of("two"));
    assert_ne!(template_of("one"), template_of("echo"));
}

#[test]
fn pipeline_settings_reach_the_workflow_and_bad_ones_are_errors() {
    let p = kfp::Pipeline::build("s", None, |p| {
        p.service_account("robot");
        p.workflow_timeout(60);
        p.pod_disruption_budget("50%");
        p.default_image_pull_policy("Never");
        p.for_every_task(|s| {
            s.labels.insert("every".into(), "task".into());
        });
        echo(p, "a");
    })
    .unwrap();
    let wf = kfp::compile_pipeline(&p, &CompileOptions::default()).unwrap();
    assert_eq!(wf.spec.service_account_name.as_deref(), Some("robot"));
    assert_eq!(wf.spec.active_deadline_seconds, Some(60));
    assert_eq!(wf.spec.pod_disruption_budget.as_ref().unwrap()["minAvailable"], "50%");
    let t = &wf.spec.templates[1];
    assert_eq!(t.container.as_ref().unwrap().image_pull_policy.as_deref(), Some("Never"));
    assert_eq!(t.metadata.labels["every"], "task");
    // The command line's service account wins over the pipeline's.
    let named = kfp::compile_pipeline(&p, &CompileOptions::default().service_account(Some("cli".into()))).unwrap();
    assert_eq!(named.spec.service_account_name.as_deref(), Some("cli"));

    let line = line!() + 2;
    let err = kfp::Pipeline::build("s", None, |p| {
        p.pod_gc("Sometimes");
        p.max_parallelism(0);
        p.pod_disruption_budget("half");
        p.default_node_selector("bad key", "x");
        p.default_image_pull_policy("Maybe");
        echo(p, "a");
    })
    .unwrap_err()
    .to_string();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 5, "{err}");
    for (i, l) in lines.iter().enumerate() {
        assert!(l.starts_with(&format!("tests/settings.rs:{}:", line + i as u32)), "{l}");
    }
    assert!(lines[0].contains("`Sometimes` is not a pod GC strategy"), "{err}");
    assert!(lines[2].contains("`half` is not a count or a percentage"), "{err}");
}

#[test]
fn values_kubernetes_would_refuse_are_errors_with_their_line() {
    let line = line!() + 3;
    let err = kfp::Pipeline::build("s", None, |p| {
        echo(p, "a")
            .label("team", "a: b")
            .label("owner", " ")
            .env("ÄÖ", "x")
            .memory_limit("-5Gi")
            .max_cache_staleness("P7Dé")
            .node_selector("pool", "gpu pool");
        p.pod_label("tier", "not valid!");
        p.service_account("");
    })
    .unwrap_err()
    .to_string();
    let expected = [
        (line, "`a: b` is not a valid label value"),
        (line + 1, "` ` is not a valid label value"),
        (line + 2, "`ÄÖ` is not an environment variable name"),
        (line + 3, "`-5Gi` is negative: a resource quantity is at least 0"),
        (line + 4, "`P7Dé` is not an ISO 8601 duration (like `P7D`, `PT12H`, `P0D`)"),
        (line + 5, "`gpu pool` is not a valid label value"),
        (line + 6, "`not valid!` is not a valid label value"),
        (line + 7, "the service account name is empty"),
    ];
    assert_lines(&err, &expected);
}

#[test]
fn an_invalid_service_account_option_is_an_error() {
    let p = kfp::Pipeline::build("s", None, |p| {
        echo(p, "a");
    })
    .unwrap();
    for (name, message) in
        [("", "the service account name is empty"), ("Robot 1", "`Robot 1` is not a valid service account name")]
    {
        let err = kfp::compile_pipeline(&p, &CompileOptions::default().service_account(Some(name.to_owned())))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("--service-account: "), "{err}");
        assert!(err.contains(message) && err.contains("--no-service-account"), "{err}");
    }
}

#[test]
fn an_empty_service_account_on_the_command_line_is_one_error_line() {
    let out = support::run_example("hello", &["compile", "--service-account", ""]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.trim(),
        "error: --service-account: the service account name is empty; name one, or pass `--no-service-account` \
         for the namespace's default"
    );
    assert!(out.stdout.is_empty());
}
