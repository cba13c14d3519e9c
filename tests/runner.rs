//! Rust function components and the local runner, through the example binaries: the compiled
//! templates run the binary's `component` subcommand, `run` executes whole pipelines here, failures
//! stop dependants but not independent branches.

mod support;

use std::path::Path;

use support::*;

fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn function_component_templates_run_the_binary_with_separate_arguments() {
    let yaml = compile_example("lightweight", &[]);
    let wf = serde_json::from_str::<serde_json::Value>(&compile_example("lightweight", &["--format", "json"])).unwrap();
    let t = wf["spec"]["templates"].as_array().unwrap().iter().find(|t| t["name"] == "make-numbers").unwrap();
    let c = &t["container"];
    assert_eq!(c["image"], "ghcr.io/kfp-rs/examples:0.1");
    assert_eq!(c["command"], serde_json::json!(["lightweight", "component", "make_numbers"]));
    assert_eq!(
        c["args"],
        serde_json::json!([
            "--param",
            "rows",
            "{{inputs.parameters.rows}}",
            "--param",
            "scale",
            "{{inputs.parameters.scale}}",
            "--output",
            "numbers",
            "/tmp/outputs/numbers/data",
            "--output-param",
            "output",
            "/tmp/outputs/output/data"
        ])
    );
    assert!(!yaml.contains("sh -c"), "no shell: parameter values never go through one");
}

#[test]
fn train_eval_runs_here_and_leaves_its_outputs() {
    let dir = temp_dir("train-eval");
    let out = run_example("train_eval", &["run", "--workdir", dir.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    // The model fits y = 3x + 2.
    let model: serde_json::Value = serde_json::from_str(&read(&dir, "train/outputs/model/data")).unwrap();
    assert!((model["a"].as_f64().unwrap() - 3.0).abs() < 0.1, "{model}");
    assert!((model["b"].as_f64().unwrap() - 2.0).abs() < 0.1, "{model}");
    // The scores are good, so the deploy branch ran and the alert branch was skipped.
    let r2: f64 = read(&dir, "train/outputs/r2/data").parse().unwrap();
    assert!(r2 > 0.9, "{r2}");
    assert!(read(&dir, "condition-1/deploy/outputs/endpoint/data").starts_with("# Deployed"));
    assert!(!dir.join("condition-2").exists());
    assert!(stdout.contains("condition-2") && stdout.contains("Skipped"), "{stdout}");
    // pick_best got the sweep's collected scores and chose the best.
    let sweep: Vec<f64> =
        (0..3).map(|i| read(&dir, &format!("for-loop-3-{i}/train-2/outputs/r2/data")).parse().unwrap()).collect();
    let best: f64 = read(&dir, "pick-best/outputs/output/data").parse().unwrap();
    assert_eq!(best, sweep.iter().copied().fold(f64::MIN, f64::max));
    assert_eq!(stdout.lines().filter(|l| l.contains("Succeeded")).count(), 7, "{stdout}");
}

#[test]
fn a_failing_step_stops_its_dependants_but_not_independent_branches() {
    let dir = temp_dir("failing");
    let out =
        run_example("lightweight", &["run", "--param", "rows=0", "--keep-going", "--workdir", dir.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}\n{stderr}");
    assert!(stderr.trim_end().ends_with("error: the run failed: summarise"), "{stderr}");
    let status = |step: &str| {
        stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(step))
            .and_then(|l| l.split_whitespace().nth(1))
            .unwrap_or_else(|| panic!("no row for {step}: {stdout}"))
            .to_owned()
    };
    assert_eq!(status("summarise"), "Failed");
    assert_eq!(status("report"), "Omitted");
    assert_eq!(status("make-numbers-2"), "Succeeded");
    assert_eq!(status("summarise-2"), "Succeeded");
    assert!(stdout.contains("no numbers"), "the error is shown: {stdout}");
    assert_eq!(read(&dir, "summarise-2/outputs/count/data"), "3");
}

#[test]
fn container_components_run_on_the_host_when_asked() {
    let dir = temp_dir("host");
    let out = run_example("parallel_for", &["run", "--host", "--parallelism", "2", "--workdir", dir.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    // 3 configurations, 5 seeds, and the task after the first loop.
    assert_eq!(stdout.lines().filter(|l| l.contains("Succeeded")).count(), 9, "{stdout}");
    assert_eq!(read(&dir, "for-loop-1-1/train/log.txt"), "model tree lr 0.01 on iris\n");
}

#[test]
fn the_component_subcommand_runs_one_step_and_reports_failures() {
    let dir = temp_dir("component");
    let data = dir.join("numbers");
    let count = dir.join("count");
    let out = run_example(
        "lightweight",
        &[
            "component",
            "make_numbers",
            "--param",
            "rows",
            "4",
            "--param",
            "scale",
            "2",
            "--output",
            "numbers",
            data.to_str().unwrap(),
            "--output-param",
            "output",
            count.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read_to_string(&data).unwrap(), "2\n4\n6\n8\n");
    assert_eq!(std::fs::read_to_string(&count).unwrap(), "4");

    let out = run_example("lightweight", &["component", "make_numbers", "--param", "rows", "many"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: component `make_numbers` failed: parameter `rows`: `many` is not a valid Integer: invalid digit found in string (expected `u32`)\n"
    );
    let out = run_example("lightweight", &["component", "nope"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("has no Rust function component `nope`; it has `make_numbers`, `summarise`, `report`")
    );
}

#[test]
fn a_parameter_without_a_value_is_a_clear_error() {
    let out = run_example("linear", &["run", "--param", "nope=1"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("error: unknown parameter `nope`"));
}

mod plain_rust {
    use kfp::prelude::*;

    /// Doubles every number of a file.
    #[component]
    fn double(numbers: Input<Dataset>, factor: u32, doubled: Output<Dataset>) -> Result<usize, String> {
        let text = std::fs::read_to_string(numbers.path()).map_err(|e| e.to_string())?;
        let out: Vec<String> = text.lines().map(|l| (l.parse::<u32>().unwrap_or(0) * factor).to_string()).collect();
        std::fs::write(doubled.path(), out.join("\n")).map_err(|e| e.to_string())?;
        Ok(out.len())
    }

    #[test]
    fn a_function_component_body_is_callable_as_plain_rust() {
        let dir = super::temp_dir("plain");
        std::fs::write(dir.join("in"), "1\n2\n3").unwrap();
        let n = double::run(Input::at(dir.join("in")), 2, Output::at(dir.join("out"))).unwrap();
        assert_eq!(n, 3);
        assert_eq!(std::fs::read_to_string(dir.join("out")).unwrap(), "2\n4\n6");
        let err = double::run(Input::at(dir.join("missing")), 2, Output::at(dir.join("x"))).unwrap_err();
        assert!(err.contains("No such file"), "{err}");
    }
}

#[test]
fn metrics_and_visualizations_reach_the_files_the_kubeflow_ui_reads() {
    let dir = temp_dir("metrics");
    let out = run_example("metrics", &["run", "--host", "--workdir", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}\n{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let metrics: serde_json::Value =
        serde_json::from_str(&read(&dir, "evaluate/outputs/mlpipeline-metrics/data")).unwrap();
    assert_eq!(metrics["metrics"][0]["name"], "accuracy");
    assert_eq!(metrics["metrics"][1]["format"], "PERCENTAGE");
    let ui: serde_json::Value =
        serde_json::from_str(&read(&dir, "evaluate/outputs/mlpipeline-ui-metadata/data")).unwrap();
    let kinds: Vec<&str> = ui["outputs"].as_array().unwrap().iter().map(|o| o["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["markdown", "table", "confusion_matrix", "roc", "tensorboard", "web-app"]);
    let shell: serde_json::Value =
        serde_json::from_str(&read(&dir, "score-in-shell/outputs/mlpipeline-metrics/data")).unwrap();
    assert_eq!(shell["metrics"][0]["name"], "loss");
    // In the workflow, the outputs carry the names the UI looks for.
    let yaml = compile_example("metrics", &[]);
    assert!(yaml.contains("- name: mlpipeline-metrics\n        path: /tmp/outputs/mlpipeline-metrics/data"), "{yaml}");
    assert!(yaml.contains("- name: mlpipeline-ui-metadata\n        path: /tmp/outputs/mlpipeline-ui-metadata/data"));
}
