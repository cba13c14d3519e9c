//! The pod surface of a task: every volume source, ports, probes and lifecycle hooks. Bad names,
//! quantities and paths are errors naming the line; the Argo template holds each value in its own
//! field; the KFP v2 IR writes a generic ephemeral volume as kfp-kubernetes does, drops ports and
//! probes only with `--lossy`, and refuses the volumes and hooks it has no field for even then; a
//! `for_every_task` closure may capture values.

mod support;

use kfp::prelude::*;
use kfp::{
    Action, CompileOptions, Csi, DownwardApiFile, EphemeralClaim, HostPathType, Nfs, Port, Probe, Projected,
    VolumeSource,
};
use serde_json::{Value, json};

/// Echoes.
#[container_component(image = "alpine:3.20")]
fn echo(msg: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["echo"]).arg(msg)
}

fn assert_lines(err: &str, expected: &[(u32, &str)]) {
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), expected.len(), "{err}");
    for (got, (l, message)) in lines.iter().zip(expected) {
        assert!(got.starts_with(&format!("tests/pod_surface.rs:{l}:")), "{got}");
        assert!(got.contains(message), "{got} lacks {message}");
    }
}

#[test]
fn bad_volumes_ports_probes_and_hooks_are_errors_at_their_line() {
    let line = line!() + 3;
    let err = kfp::Pipeline::build("s", None, |p| {
        echo(p, "a")
            .volume("Data", VolumeSource::EmptyDir(None), "/data")
            .volume("scratch", VolumeSource::ephemeral("lots"), "/scratch")
            .volume("cache", VolumeSource::host_path("var/cache", HostPathType::Any), "/cache")
            .volume("nfs", Nfs::new("nfs.example.com", "/exports/../etc"), "/nfs")
            .volume("vault", Csi::new("Secrets Store"), "/vault")
            .volume("id", Projected::new().service_account_token("/abs/token", None, None), "/id")
            .volume("fields", VolumeSource::DownwardApi(vec![DownwardApiFile::pod_field("n", "spec.nodeName")]), "/f")
            .volume("fast", EphemeralClaim::new("1Gi").access_mode("ReadWriteSometimes"), "/fast")
            .port(Port::tcp(8080).named("HTTP"))
            .port(Port::udp(0))
            .liveness_probe(Probe::http_get("healthz", 8080))
            .startup_probe(Probe::tcp_socket(8080).success_threshold(3))
            .post_start(Action::TcpSocket(80));
    })
    .unwrap_err()
    .to_string();
    let expected = [
        (line, "`Data` is not a valid volume name (at most 63 lowercase letters"),
        (line + 1, "volume `scratch`: `lots` is not a Kubernetes quantity"),
        (line + 2, "volume `cache`: host path `var/cache` is not an absolute path"),
        (line + 3, "volume `nfs`: NFS export path `/exports/../etc` is not an absolute path without `..`"),
        (line + 4, "volume `vault`: `Secrets Store` is not a valid CSI driver name"),
        (line + 5, "volume `id`: service account token path `/abs/token` must be relative"),
        (line + 6, "volume `fields`: `spec.nodeName` is not a pod field a volume can hold"),
        (line + 7, "volume `fast`: `ReadWriteSometimes` is not an access mode"),
        (line + 8, "`HTTP` is not a port name"),
        (line + 9, "port 0 is not a port number"),
        (line + 10, "HTTP path `healthz` must start with `/`"),
        (line + 11, "the success threshold of a startup probe must be 1"),
        (line + 12, "a `post_start` hook runs a command (`Action::exec`) or an HTTP GET"),
    ];
    assert_lines(&err, &expected);
}

#[test]
fn a_port_or_volume_given_twice_is_an_error() {
    let line = line!() + 2;
    let err = kfp::Pipeline::build("s", None, |p| {
        echo(p, "a").port(Port::tcp(80).named("web")).port(Port::tcp(80));
        echo(p, "b").port(Port::tcp(80).named("web")).port(Port::tcp(81).named("web"));
        echo(p, "c").volume("v", VolumeSource::EmptyDir(None), "/a").volume("v", VolumeSource::ephemeral("1Gi"), "/b");
    })
    .unwrap_err()
    .to_string();
    assert_lines(
        &err,
        &[
            (line, "port 80 (TCP) is declared twice"),
            (line + 1, "port name `web` is used twice"),
            (line + 2, "volume `v` is added twice"),
        ],
    );
}

fn argo_template(p: &kfp::Pipeline, name: &str) -> Value {
    let wf = kfp::compile_pipeline(p, &CompileOptions::default()).expect("compile");
    let v = serde_json::to_value(&wf).expect("json");
    v["spec"]["templates"].as_array().unwrap().iter().find(|t| t["name"] == name).expect(name).clone()
}

/// Values a careless or hostile author may write into a name-free value field.
const HOSTILE: [&str; 5] = ["a\" b", "}}", "x\ny", "{\"privileged\":true}", "$(reboot)"];

#[test]
fn every_value_stays_in_its_own_field_on_argo() {
    for h in HOSTILE {
        let p = kfp::Pipeline::build("s", None, |p| {
            echo(p, "a")
                .volume("n", Nfs::new(h, "/exports"), "/n")
                .volume("c", Csi::new("csi.example.com").attribute("class", h).fs_type(h), "/c")
                .volume("t", Projected::new().service_account_token("t", Some(h), Some(600)), "/t")
                .readiness_probe(Probe::new(Action::http_get("/x", 80).header("X-A", h)))
                .pre_stop(Action::exec(["sh", "-c", "echo bye", h]));
        })
        .unwrap();
        let t = argo_template(&p, "echo");
        let volumes = t["volumes"].as_array().unwrap();
        assert_eq!(volumes[0], json!({"name": "n", "nfs": {"server": h, "path": "/exports"}}));
        assert_eq!(
            volumes[1],
            json!({"name": "c", "csi": {"driver": "csi.example.com", "fsType": h, "volumeAttributes": {"class": h}}})
        );
        assert_eq!(
            volumes[2],
            json!({"name": "t", "projected": {"sources": [
                {"serviceAccountToken": {"path": "t", "audience": h, "expirationSeconds": 600}}
            ]}})
        );
        let c = &t["container"];
        assert_eq!(
            c["readinessProbe"],
            json!({"httpGet": {"path": "/x", "port": 80, "httpHeaders": [{"name": "X-A", "value": h}]}})
        );
        assert_eq!(c["lifecycle"], json!({"preStop": {"exec": {"command": ["sh", "-c", "echo bye", h]}}}));
    }
}

/// Scratch space, a probe and a port on one step.
fn scratch_pipeline() -> kfp::Pipeline {
    kfp::Pipeline::build("scratch", None, |p| {
        echo(p, "a")
            .volume(
                "scratch",
                EphemeralClaim::new("20Gi").storage_class("fast-ssd").label("purpose", "scratch"),
                "/scratch",
            )
            .volume("tmp", VolumeSource::ephemeral("1Gi"), "/tmp/work")
            .port(Port::tcp(9090).named("metrics"))
            .liveness_probe(Probe::exec(["test", "-f", "/tmp/alive"]).period(30));
    })
    .unwrap()
}

#[test]
fn the_ir_writes_an_ephemeral_volume_as_kfp_kubernetes_and_drops_ports_and_probes_only_with_lossy() {
    let p = scratch_pipeline();
    let err = kfp::compile_kfp_v2(&p, &CompileOptions::default()).unwrap_err().to_string();
    assert!(err.contains("port 9090 (`metrics`) of `echo`"), "{err}");
    assert!(err.contains("`liveness_probe` of `echo`"), "{err}");
    assert!(!err.contains("volume"), "an ephemeral volume is in the IR: {err}");
    let compiled = kfp::compile_kfp_v2(&p, &CompileOptions::default().lossy(true)).expect("lossy");
    assert_eq!(compiled.left_out.len(), 2, "{:?}", compiled.left_out);
    let yaml = compiled.to_yaml().unwrap();
    support::assert_lints_clean("pod-surface-scratch", &yaml);
    let platform = yaml.split("\n---\n").nth(1).expect("a PlatformSpec document");
    let platform = support::read_yaml(platform);
    let exec = &platform["platforms"]["kubernetes"]["deploymentSpec"]["executors"]["exec-echo"];
    assert_eq!(
        exec["genericEphemeralVolume"],
        json!([
            {"volumeName": "scratch", "mountPath": "/scratch", "size": "20Gi", "accessModes": ["ReadWriteOnce"],
             "storageClassName": "fast-ssd", "metadata": {"labels": {"purpose": "scratch"}}},
            {"volumeName": "tmp", "mountPath": "/tmp/work", "size": "1Gi", "accessModes": ["ReadWriteOnce"],
             "defaultStorageClass": true},
        ]),
        "{platform}"
    );
}

#[test]
fn the_ir_refuses_other_volumes_and_hooks_even_with_lossy() {
    let line = line!() + 2;
    let p = kfp::Pipeline::build("s", None, |p| {
        echo(p, "a")
            .volume("raw", Nfs::new("nfs.example.com", "/raw"), "/raw")
            .volume("node", VolumeSource::host_path("/var/lib/x", HostPathType::ExistingDirectory), "/node")
            .post_start(Action::exec(["touch", "/tmp/started"]));
    })
    .unwrap();
    let err = kfp::compile_kfp_v2(&p, &CompileOptions::default().lossy(true)).unwrap_err().to_string();
    for what in
        ["nfs volume `raw` of `echo`", "hostPath volume `node` of `echo`", "lifecycle hook `post_start` of `echo`"]
    {
        let l = err.lines().find(|l| l.contains(what)).unwrap_or_else(|| panic!("{what} missing from {err}"));
        assert!(l.starts_with(&format!("tests/pod_surface.rs:{line}:")), "{l}");
        assert!(l.ends_with("(even with --lossy)"), "{l}");
    }
}

#[test]
fn for_every_task_takes_a_closure_that_captures_values() {
    let team = String::from("vision");
    let gpus = std::rc::Rc::new(std::cell::Cell::new(0));
    let seen = gpus.clone();
    let p = kfp::Pipeline::build("s", None, move |p| {
        let team = team.clone();
        let seen = seen.clone();
        p.for_every_task(move |s| {
            s.labels.insert("team".into(), team.clone());
            seen.set(seen.get() + 1);
        });
        // A plain `fn` still works, after the closure.
        fn no_istio(s: &mut kfp::TaskSettings) {
            s.annotations.insert("sidecar.istio.io/inject".into(), "false".into());
        }
        p.for_every_task(no_istio);
        echo(p, "a");
        echo(p, "b").label("team", "overridden-by-the-transformer");
    })
    .unwrap();
    assert_eq!(gpus.get(), 2, "the closure ran once per task");
    let wf = serde_json::to_value(kfp::compile_pipeline(&p, &CompileOptions::default()).unwrap()).unwrap();
    let echoes: Vec<&Value> =
        wf["spec"]["templates"].as_array().unwrap().iter().filter(|t| t.get("container").is_some()).collect();
    assert!(!echoes.is_empty());
    for t in echoes {
        assert_eq!(t["metadata"]["labels"]["team"], "vision", "{t}");
        assert_eq!(t["metadata"]["annotations"]["sidecar.istio.io/inject"], "false", "{t}");
    }
}
