//! Caching: a task's cache key (IR `cachingOptions.cacheKey`, as kfp 2.17 writes it; Argo
//! `memoize` in the pipeline's config map, its shape by Argo version, the staleness as `maxAge`),
//! caching off for every step (`compile --no-cache`, `Dag::disable_caching`), and the errors.

mod support;

use kfp::argo::ArgoVersion;
use kfp::prelude::*;
use kfp::{CompileOptions, kfp_v2};
use support::*;

/// Echoes.
#[container_component(image = "alpine:3.20")]
fn echo(msg: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["echo"]).arg(msg)
}

fn keyed(staleness: bool) -> kfp::Pipeline {
    kfp::Pipeline::build("keyed", None, |p| {
        p.memoize_cache("memo");
        let t = echo(p, "a").cache_key("echo-v1");
        if staleness {
            t.max_cache_staleness("P1DT30M");
        }
        echo(p, "b").cache_key("echo-b-v1").caching(false);
    })
    .unwrap()
}

fn argo(p: &kfp::Pipeline, opts: &CompileOptions) -> serde_json::Value {
    serde_json::from_str(&kfp::to_json(&kfp::compile_pipeline(p, opts).unwrap()).unwrap()).unwrap()
}

#[test]
fn a_cache_key_is_memoized_on_argo_in_the_shape_of_each_version() {
    let p = keyed(true);
    for v in ArgoVersion::ALL {
        let wf = argo(&p, &CompileOptions::default().argo_version(v));
        let templates = wf["spec"]["templates"].as_array().unwrap();
        let memoized: Vec<&serde_json::Value> = templates.iter().filter_map(|t| t.get("memoize")).collect();
        assert_eq!(memoized.len(), 1, "{v}: a task whose caching is off is not memoized");
        let key = if v < ArgoVersion::V4_0 { serde_json::json!("echo-v1") } else { serde_json::Value::Null };
        let mut config_map = serde_json::json!({"name": "memo"});
        if !key.is_null() {
            config_map["key"] = key;
        }
        assert_eq!(
            *memoized[0],
            serde_json::json!({"key": "echo-v1", "maxAge": "24h30m", "cache": {"configMap": config_map}}),
            "{v}"
        );
    }
    for v in [ArgoVersion::V4_1, ArgoVersion::V3_4] {
        let wf = kfp::compile_pipeline(&p, &CompileOptions::default().argo_version(v)).unwrap();
        assert_lints_clean_for(&format!("memoize {v}"), &kfp::to_yaml(&wf).unwrap(), v);
    }
}

#[test]
fn a_cache_key_goes_into_the_ir_as_kfp_writes_it() {
    let p = keyed(false);
    let ir = kfp::compile_kfp_v2(&p, &CompileOptions::default()).unwrap();
    let yaml = ir.to_yaml().unwrap();
    // kfp 2.17.3: `set_caching_options(True, cache_key='echo-v1')`, and a disabled task keeps its key.
    assert!(yaml.contains("cachingOptions:\n          cacheKey: echo-v1\n          enableCache: true\n"), "{yaml}");
    assert!(yaml.contains("cachingOptions:\n          cacheKey: echo-b-v1\n        componentRef"), "{yaml}");
    assert_lints_clean("cache key", &yaml);
}

#[test]
fn no_cache_turns_caching_off_for_every_step_on_both_targets() {
    let p = keyed(false);
    let disabled = kfp::Pipeline::build("keyed", None, |p| {
        p.memoize_cache("memo");
        p.disable_caching();
        echo(p, "a").cache_key("echo-v1");
        echo(p, "b").cache_key("echo-b-v1").caching(false);
    })
    .unwrap();
    let on = argo(&p, &CompileOptions::default());
    let off = argo(&p, &CompileOptions::default().no_cache(true));
    assert_ne!(on, off);
    assert_eq!(off, argo(&disabled, &CompileOptions::default()), "the pipeline setting does what --no-cache does");
    for t in off["spec"]["templates"].as_array().unwrap().iter().filter(|t| t.get("container").is_some()) {
        assert_eq!(t["metadata"]["labels"]["pipelines.kubeflow.org/enable_caching"], "false", "{t}");
        assert_eq!(t["metadata"]["annotations"]["pipelines.kubeflow.org/max_cache_staleness"], "P0D", "{t}");
        assert!(t.get("memoize").is_none(), "{t}");
    }
    let tasks = |c: &kfp_v2::Compiled| -> Vec<kfp_v2::CachingOptions> {
        let kfp_v2::Implementation::Dag(dag) = &c.spec.root.implementation else { panic!() };
        dag.tasks.values().map(|t| t.caching_options.clone().unwrap()).collect()
    };
    let ir = kfp::compile_kfp_v2(&p, &CompileOptions::default().no_cache(true)).unwrap();
    let ir_disabled = kfp::compile_kfp_v2(&disabled, &CompileOptions::default()).unwrap();
    assert_eq!(tasks(&ir), tasks(&ir_disabled));
    assert!(tasks(&ir).iter().all(|c| !c.enable_cache && c.cache_key.is_some()), "{:?}", tasks(&ir));
    let on = kfp::compile_kfp_v2(&p, &CompileOptions::default()).unwrap();
    assert!(tasks(&on).iter().any(|c| c.enable_cache));
}

#[test]
fn a_cache_key_without_a_memoize_cache_is_an_argo_error_naming_the_line() {
    let line = line!() + 2;
    let p = kfp::Pipeline::build("keyed", None, |p| {
        echo(p, "a").cache_key("echo-v1");
    })
    .unwrap();
    let err = kfp::compile_pipeline(&p, &CompileOptions::default()).unwrap_err().to_string();
    assert!(err.starts_with("1 construct cannot be compiled to Argo v4.1:\n"), "{err}");
    assert!(err.contains(&format!("tests/caching.rs:{line}:")), "{err}");
    assert!(err.contains("cache key `echo-v1` of `echo`") && err.contains("p.memoize_cache(\"config-map\")"), "{err}");
    // The IR carries the key; with --no-cache nothing is memoized, so Argo needs no config map.
    assert!(kfp::compile_kfp_v2(&p, &CompileOptions::default()).is_ok());
    assert!(kfp::compile_pipeline(&p, &CompileOptions::default().no_cache(true)).is_ok());
}

#[test]
fn bad_cache_keys_and_config_maps_are_errors_naming_the_line() {
    let line = line!() + 2;
    let err = kfp::Pipeline::build("keyed", None, |p| {
        p.memoize_cache("Memo Cache");
        echo(p, "a").cache_key("v1.2_final");
        echo(p, "b").cache_key("{{inputs.parameters.msg}}");
    })
    .unwrap_err()
    .to_string();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 3, "{err}");
    for (got, (l, message)) in lines.iter().zip([
        (line, "`Memo Cache` is not a valid config map name"),
        (line + 1, "`v1.2_final` is not a valid cache key"),
        (line + 2, "is not a valid cache key"),
    ]) {
        assert!(got.starts_with(&format!("tests/caching.rs:{l}:")) && got.contains(message), "{got}");
    }
}

#[test]
fn the_example_compiles_for_both_targets_and_with_no_cache() {
    let argo = compile_example("caching", &[]);
    assert!(argo.contains("memoize:\n      key: events-features-v3\n"), "{argo}");
    let off = compile_example("caching", &["--no-cache"]);
    assert!(!off.contains("memoize") && !off.contains("enable_caching: \"true\""), "{off}");
    let ir = compile_example("caching", &["--target", "kfp-v2"]);
    assert!(ir.contains("cacheKey: events-features-v3\n"), "{ir}");
    let ir_off = compile_example("caching", &["--target", "kfp-v2", "--no-cache"]);
    assert!(!ir_off.contains("enableCache: true"), "{ir_off}");
    assert_lints_clean("caching no-cache", &ir_off);
}
