//! Importers (`p.importer::<K>(uri)`) and values passed as files (`p.file_from::<K>(text)`): the
//! examples `importer` and `file_from` on both backends, every URI form's Argo location (validated
//! against Argo v4.1 and v3.4), the IR's importer and its refusals, build errors naming the line,
//! hostile values that stay data, and the local runner reading local paths, http:// and raw text.

mod support;

use std::io::{Read, Write};
use std::path::Path;

use kfp::prelude::*;
use kfp::runner::{RunOptions, RunReport, Status};
use kfp::{CompileOptions, PipelineDef};
use serde_json::{Value, json};
use support::*;

/// Copies its input to its output, on the host.
#[container_component(image = "alpine:3.20")]
fn copy(data: Input<Dataset>, out: Output<Dataset>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c", r#"mkdir -p "$(dirname "$1")" && cat "$0" > "$1""#]).arg(data).arg(out)
}

/// Reads a model.
#[container_component(image = "alpine:3.20")]
fn serve(model: Input<Model>) -> ContainerSpec {
    ContainerSpec::new(["cat"]).arg(model)
}

/// Prints the first `n` lines.
#[container_component(image = "alpine:3.20")]
fn head(data: Input<Dataset>, n: Param<u32>) -> ContainerSpec {
    ContainerSpec::new(["head", "-n"]).arg(n).arg(data)
}

fn build(body: impl FnOnce(&Dag)) -> kfp::Pipeline {
    kfp::Pipeline::build("imports", None, body).expect("builds")
}

fn argo_json(p: &kfp::Pipeline, opts: &CompileOptions) -> Value {
    let wf = kfp::compile_pipeline(p, opts).expect("compiles for Argo");
    serde_json::from_str(&kfp::argo::to_json(&wf).unwrap()).unwrap()
}

/// The arguments of task `task` of the entrypoint's DAG.
fn task_args(wf: &Value, task: &str) -> Value {
    let entry = wf["spec"]["entrypoint"].as_str().unwrap();
    let t = wf["spec"]["templates"].as_array().unwrap().iter().find(|t| t["name"] == entry).unwrap();
    let tasks = t["dag"]["tasks"].as_array().unwrap();
    tasks.iter().find(|t| t["name"] == task).unwrap_or_else(|| panic!("no task {task}: {tasks:#?}"))["arguments"]
        .clone()
}

fn validate_both(name: &str, wf: &Value) {
    assert_lints_clean_both(name, &wf.to_string());
}

#[test]
fn every_uri_form_is_a_location_on_the_consuming_argument() {
    let p = build(|p| {
        copy(p, p.importer::<Dataset>("s3://my-bucket/data/train.csv")).task_name("from-s3");
        copy(p, p.importer::<Dataset>("gs://my-bucket/data/train.csv")).task_name("from-gcs");
        copy(p, p.importer::<Dataset>("https://example.com/train.csv?v=2")).task_name("from-http");
        copy(p, p.importer::<Dataset>("git+https://github.com/org/data.git@v1.0")).task_name("from-git");
        copy(p, p.importer::<Dataset>("git+https://github.com/org/data.git")).task_name("from-git-head");
    });
    let wf = argo_json(&p, &CompileOptions::default());
    let artifact = |task: &str| task_args(&wf, task)["artifacts"][0].clone();
    // A full S3 location: Argo relocates an `s3` without an endpoint into the artifact repository's
    // bucket (`ArtifactLocation.Relocate`), which is not what the URI names.
    assert_eq!(
        artifact("from-s3"),
        json!({"name": "data", "s3": {"endpoint": "s3.amazonaws.com", "bucket": "my-bucket", "key": "data/train.csv", "useSDKCreds": true}})
    );
    assert_eq!(artifact("from-gcs"), json!({"name": "data", "gcs": {"bucket": "my-bucket", "key": "data/train.csv"}}));
    assert_eq!(artifact("from-http"), json!({"name": "data", "http": {"url": "https://example.com/train.csv?v=2"}}));
    assert_eq!(
        artifact("from-git"),
        json!({"name": "data", "git": {"repo": "https://github.com/org/data.git", "revision": "v1.0"}})
    );
    assert_eq!(artifact("from-git-head"), json!({"name": "data", "git": {"repo": "https://github.com/org/data.git"}}));
    // No importer task, template or dependency: nothing runs for it.
    let text = wf.to_string();
    assert!(!text.contains("importer"), "{text}");
    let entry = &wf["spec"]["templates"][0];
    assert!(entry["dag"]["tasks"].as_array().unwrap().iter().all(|t| t.get("dependencies").is_none()), "{entry}");
    validate_both("every-uri", &wf);
}

#[test]
fn an_imported_artifact_reaches_a_nested_scope_as_a_dag_input() {
    let p = build(|p| {
        let data = p.importer::<Dataset>("gs://b/k");
        p.parallel_for([1u32, 2], |p, n| {
            head(p, data, n);
        });
    });
    let wf = argo_json(&p, &CompileOptions::default());
    let args = task_args(&wf, "for-loop-1");
    assert_eq!(args["artifacts"][0]["gcs"], json!({"bucket": "b", "key": "k"}), "{args}");
    validate_both("nested", &wf);
    let ir = kfp::compile_kfp_v2(&p, &CompileOptions::default()).expect("compiles to the IR").to_yaml().unwrap();
    assert_lints_clean("importer-nested", &ir);
}

#[test]
fn the_ir_has_kfps_importer_task_for_a_literal_and_for_a_parameter() {
    let p = build(|p| {
        let url: Param<String> = p.param("url");
        copy(p, p.importer::<Dataset>("s3://b/data.csv"));
        serve(p, p.importer::<Model>(url));
    });
    let ir = kfp::compile_kfp_v2(&p, &CompileOptions::default()).unwrap();
    let json: Value = serde_json::from_str(&ir.to_json().unwrap()).unwrap();
    let executors = &json["deploymentSpec"]["executors"];
    let importers: Vec<&Value> = executors.as_object().unwrap().values().filter_map(|e| e.get("importer")).collect();
    assert_eq!(importers.len(), 2, "{executors:#}");
    assert!(importers.contains(&&json!({
        "artifactUri": {"constant": "s3://b/data.csv"},
        "typeSchema": {"schemaTitle": "system.Dataset", "schemaVersion": "0.0.1"}
    })));
    assert!(importers.contains(&&json!({
        "artifactUri": {"runtimeParameter": "uri"},
        "typeSchema": {"schemaTitle": "system.Model", "schemaVersion": "0.0.1"}
    })));
    let tasks = &json["root"]["dag"]["tasks"];
    assert_eq!(
        tasks["importer"]["inputs"]["parameters"]["uri"],
        json!({"runtimeValue": {"constant": "s3://b/data.csv"}})
    );
    assert_eq!(tasks["importer-2"]["inputs"]["parameters"]["uri"], json!({"componentInputParameter": "url"}));
    assert_eq!(
        tasks["serve"]["inputs"]["artifacts"]["model"],
        json!({"taskOutputArtifact": {"outputArtifactKey": "artifact", "producerTask": "importer-2"}})
    );
    assert_lints_clean("importer-ir", &ir.to_yaml().unwrap());
}

#[test]
fn the_ir_refuses_what_kfps_launcher_cannot_download_and_files_from_values_naming_the_line() {
    let line = line!() + 2;
    let p = build(|p| {
        copy(p, p.importer::<Dataset>("https://example.com/x.csv"));
        copy(p, p.importer::<Dataset>("git+https://github.com/o/r.git"));
        copy(p, p.file_from::<Dataset>("text"));
    });
    let err = kfp::compile_kfp_v2(&p, &CompileOptions::default()).unwrap_err().to_string();
    for (l, what) in [
        (
            line,
            "importer of `https://example.com/x.csv` cannot be expressed in the KFP v2 IR: KFP's launcher downloads an imported artifact from gs://, s3:// or minio:// only",
        ),
        (line + 1, "importer of `git+https://github.com/o/r.git` cannot be expressed"),
        (
            line + 2,
            "`file_from` (a value passed to a step as a file) cannot be expressed in the KFP v2 IR: the IR has no raw artifact",
        ),
    ] {
        assert!(err.contains(&format!("tests/importer.rs:{l}:")), "{err}");
        assert!(err.contains(what), "`{what}` missing from {err}");
    }
    // Nothing here can be left out: the step would read no file.
    let lossy = kfp::compile_kfp_v2(&p, &CompileOptions::default().lossy(true));
    assert!(lossy.is_err(), "--lossy left an input out");
}

#[test]
fn a_bad_uri_is_a_build_error_naming_the_line() {
    let line = line!() + 4;
    let errs = kfp::Pipeline::build("bad", None, |p| {
        let uris = ["data.csv", "s3://bucket", "gs:///key", "ftp://h/x", "https:///x", "git+https://h/r.git@"];
        for uri in uris {
            copy(p, p.importer::<Dataset>(uri));
        }
    })
    .unwrap_err()
    .to_string();
    assert!(errs.contains(&format!("tests/importer.rs:{line}:")), "{errs}");
    for what in [
        "`importer`: the URI `data.csv` has no scheme: write `s3://BUCKET/KEY`, `gs://BUCKET/KEY`",
        "the s3 URI `s3://bucket` has no key",
        "the gs URI `gs:///key` has no bucket",
        "the URI scheme `ftp` is not one the importer reads",
        "the URL `https:///x` has no host",
        "ends in `@` with no revision",
    ] {
        assert!(errs.contains(what), "`{what}` missing from {errs}");
    }
}

#[test]
fn a_hostile_value_lands_in_its_location_field_only() {
    let hostile = "x\"}}\n{{workflow.parameters.secret}}\n  raw: {data: evil}\n{{=true}}";
    let p = build(|p| {
        let text: Param<String> = p.param("text");
        let url: Param<String> = p.param("url");
        copy(p, p.file_from::<Dataset>(text)).task_name("text");
        copy(p, p.importer::<Dataset>(url)).task_name("url");
        copy(p, p.file_from::<Dataset>(hostile)).task_name("literal");
    });
    let opts = CompileOptions::default().argument("text", hostile).argument("url", hostile);
    let wf = argo_json(&p, &opts);
    assert_eq!(
        task_args(&wf, "text")["artifacts"],
        json!([{"name": "data", "raw": {"data": "{{inputs.parameters.text}}"}}])
    );
    assert_eq!(
        task_args(&wf, "url")["artifacts"],
        json!([{"name": "data", "http": {"url": "{{inputs.parameters.url}}"}}])
    );
    // A literal holding `{{` is an expression tag whose string reads back as written (below, in the
    // runner, which substitutes as Argo does).
    let data = task_args(&wf, "literal")["artifacts"][0]["raw"]["data"].as_str().unwrap().to_owned();
    assert!(data.starts_with("{{='") && data.ends_with("'}}") && !data[3..data.len() - 2].contains("{{"), "{data}");
    // The values are the workflow's arguments, nothing else.
    let params = &wf["spec"]["arguments"]["parameters"];
    assert_eq!(params, &json!([{"name": "text", "value": hostile}, {"name": "url", "value": hostile}]));
    // (argo-validate reads a `{{workflow.parameters.secret}}` in an argument's value as a reference,
    // as Argo does: the structure is validated without the values.)
    validate_both("hostile", &argo_json(&p, &CompileOptions::default()));
}

#[pipeline(name = "files")]
fn files(p: &Dag, text: Param<String>, src: Param<String>) {
    copy(p, p.file_from::<Dataset>(text)).task_name("from-param");
    copy(p, p.file_from::<Dataset>("{{workflow.name}} and {{=true}}\n")).task_name("from-literal");
    copy(p, p.importer::<Dataset>(src)).task_name("imported");
}

#[pipeline(name = "from-bucket")]
fn from_bucket(p: &Dag) {
    copy(p, p.importer::<Dataset>("gs://b/k"));
}

fn run(pipeline: &PipelineDef, dir: &Path, args: &[(&str, &str)]) -> RunReport {
    let mut opts = RunOptions::new(dir.to_path_buf());
    opts.host = true;
    opts.arguments = args.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect();
    kfp::runner::run(pipeline, &opts).expect("runs")
}

fn output(dir: &Path, task: &str) -> String {
    std::fs::read_to_string(dir.join(task).join("outputs/out/data")).unwrap_or_else(|e| panic!("{task}: {e}"))
}

#[test]
fn the_runner_writes_values_as_files_and_reads_local_paths() {
    let dir = temp_dir("importer-run-files").join("run");
    let hostile = "a\"b\n{{workflow.parameters.text}}\n{{=1+1}}";
    let src = temp_dir("importer-src").join("data.csv");
    std::fs::write(&src, "id,label\n1,a\n").unwrap();
    let report = run(&files, &dir, &[("text", hostile), ("src", src.to_str().unwrap())]);
    assert!(report.succeeded, "{report:#?}");
    assert_eq!(output(&dir, "from-param"), hostile);
    assert_eq!(output(&dir, "from-literal"), "{{workflow.name}} and {{=true}}\n");
    assert_eq!(output(&dir, "imported"), "id,label\n1,a\n");
    // `file://` too.
    let dir = temp_dir("importer-run-file-uri").join("run");
    let uri = format!("file://{}", src.display());
    let report = run(&files, &dir, &[("text", ""), ("src", &uri)]);
    assert!(report.succeeded, "{report:#?}");
    assert_eq!(output(&dir, "imported"), "id,label\n1,a\n");
    assert_eq!(output(&dir, "from-param"), "");
}

/// Serves `body` once on a local port, answering `status`; returns the URL.
fn serve_once(status: &'static str, body: &'static str) -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let (mut s, _) = listener.accept().unwrap();
        let mut request = Vec::new();
        let mut buf = [0u8; 1024];
        while !request.ends_with(b"\r\n\r\n") {
            let n = s.read(&mut buf).unwrap();
            assert!(n > 0, "the request ended early");
            request.extend_from_slice(&buf[..n]);
        }
        assert!(String::from_utf8_lossy(&request).starts_with("GET /data/x.csv HTTP/1.0\r\n"));
        write!(s, "HTTP/1.0 {status}\r\nContent-Type: text/csv\r\n\r\n{body}").unwrap();
    });
    format!("http://127.0.0.1:{port}/data/x.csv")
}

#[test]
fn the_runner_reads_http_urls() {
    let dir = temp_dir("importer-run-http").join("run");
    let url = serve_once("200 OK", "1,2\n3,4\n");
    let report = run(&files, &dir, &[("text", "t"), ("src", &url)]);
    assert!(report.succeeded, "{report:#?}");
    assert_eq!(output(&dir, "imported"), "1,2\n3,4\n");

    let dir = temp_dir("importer-run-http-404").join("run");
    let url = serve_once("404 Not Found", "no");
    let report = run(&files, &dir, &[("text", "t"), ("src", &url)]);
    assert!(!report.succeeded);
    let step = report.steps.iter().find(|s| s.path == "imported").unwrap();
    assert_eq!(step.status, Status::Failed);
    assert!(step.error.as_deref().unwrap().contains("the server answered `HTTP/1.0 404 Not Found`"), "{step:?}");
}

#[test]
fn the_runner_says_what_it_cannot_read() {
    for (pipeline, args, uri) in [
        (&files, [("text", "t"), ("src", "https://example.com/x")], "https://example.com/x"),
        (&files, [("text", "t"), ("src", "s3://b/k")], "s3://b/k"),
        (&from_bucket, [("", ""), ("", "")], "gs://b/k"),
    ] {
        let dir = temp_dir("importer-run-refused").join("run");
        let args: Vec<(&str, &str)> = args.into_iter().filter(|(k, _)| !k.is_empty()).collect();
        let report = run(pipeline, &dir, &args);
        assert!(!report.succeeded);
        let errors: Vec<&str> = report.steps.iter().filter_map(|s| s.error.as_deref()).collect();
        let expected = format!("the local runner cannot read `{uri}`: it reads local paths and http:// URLs");
        assert!(errors.iter().any(|e| e.contains(&expected)), "`{expected}` missing from {errors:#?}");
    }
}

#[test]
fn the_examples_compile_for_both_backends() {
    let argo = compile_example("importer", &[]);
    assert!(argo.contains("gcs:\n              bucket: example-bucket\n              key: vocab/v1.txt"), "{argo}");
    assert!(argo.contains("http:\n              url: \"{{inputs.parameters.data_url}}\""), "{argo}");
    let ir = compile_example("importer", &["--target", "kfp-v2"]);
    assert!(ir.contains("constant: gs://example-bucket/vocab/v1.txt"), "{ir}");
    assert!(ir.contains("runtimeParameter: uri"), "{ir}");
    // The importers are no components of the pipeline's own: `component-spec` lists only those.
    let listed = run_example("importer", &["component-spec"]);
    assert_eq!(String::from_utf8_lossy(&listed.stdout), "known_words\ncount_lines\n");
    let argo = compile_example("file_from", &[]);
    assert!(argo.contains("raw:\n              data: \"{{inputs.parameters.config}}\""), "{argo}");
    let out = run_example("file_from", &["compile", "--target", "kfp-v2"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("examples/file_from.rs:27:"), "{stderr}");
}

/// Counts the imported shards.
#[component(image = "ghcr.io/x/y:1")]
fn count_all(shards: Input<Vec<Dataset>>) -> Result<u32, String> {
    Ok(shards.paths()?.len() as u32)
}

#[test]
fn an_import_collected_by_a_loop_is_an_error_on_argo() {
    let p = build(|p| {
        let urls = vec!["https://h/1".to_owned(), "https://h/2".to_owned()];
        let shards = p.parallel_for(urls, |p, url| p.importer::<Dataset>(url));
        count_all(p, shards);
    });
    let err = kfp::compile_pipeline(&p, &CompileOptions::default()).unwrap_err().to_string();
    assert!(err.contains("returns the artifact of `importer`, an importer or `file_from`"), "{err}");
    assert!(err.contains("call `importer` / `file_from` where the artifact is used"), "{err}");
    // The IR has an importer task per iteration, collected like any task's artifact.
    let ir = kfp::compile_kfp_v2(&p, &CompileOptions::default()).expect("compiles to the IR").to_yaml().unwrap();
    assert!(ir.contains("runtimeParameter: uri"), "{ir}");
    assert_lints_clean("importer-collected", &ir);
}
