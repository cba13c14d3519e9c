//! The pod surface of a container template: every volume source (as a Kubernetes core/v1 `Volume`)
//! and the main container's ports, probes and lifecycle hooks. Every name, path and value of the
//! model lands in a value field of its own: none becomes a key or more of the structure.

use kfp_dsl::model::{
    Action, Csi, DownwardApiFile, DownwardField, EphemeralClaim, Port, Probe, Projected, Projection, TaskSettings,
    VolumeSource,
};
use serde_json::{Map, Value, json};

use crate::argo::Container;

/// The pod's `volumes` entry for volume `name`.
pub(super) fn volume(name: &str, source: &VolumeSource) -> Value {
    let (field, body) = match source {
        VolumeSource::Secret(n) => ("secret", json!({"secretName": n})),
        VolumeSource::ConfigMap(n) => ("configMap", json!({"name": n})),
        VolumeSource::Pvc(n) => ("persistentVolumeClaim", json!({"claimName": n})),
        VolumeSource::EmptyDir(Some(m)) => ("emptyDir", json!({"medium": m})),
        VolumeSource::EmptyDir(None) => ("emptyDir", json!({})),
        VolumeSource::HostPath(h) => {
            let mut v = json!({"path": h.path});
            if let Some(kind) = h.kind.as_str() {
                v["type"] = json!(kind);
            }
            ("hostPath", v)
        }
        VolumeSource::Nfs(n) => {
            let mut v = json!({"server": n.server, "path": n.path});
            if n.read_only {
                v["readOnly"] = json!(true);
            }
            ("nfs", v)
        }
        VolumeSource::Csi(c) => ("csi", csi(c)),
        VolumeSource::Projected(p) => ("projected", projected(p)),
        VolumeSource::DownwardApi(files) => ("downwardAPI", json!({"items": downward(files)})),
        VolumeSource::Ephemeral(e) => ("ephemeral", ephemeral(e)),
    };
    let mut v = Map::new();
    v.insert("name".into(), json!(name));
    v.insert(field.into(), body);
    Value::Object(v)
}

fn csi(c: &Csi) -> Value {
    let mut v = json!({"driver": c.driver});
    if c.read_only {
        v["readOnly"] = json!(true);
    }
    if let Some(fs) = &c.fs_type {
        v["fsType"] = json!(fs);
    }
    if !c.attributes.is_empty() {
        v["volumeAttributes"] = json!(c.attributes);
    }
    if let Some(secret) = &c.node_publish_secret {
        v["nodePublishSecretRef"] = json!({"name": secret});
    }
    v
}

fn key_items(name: &str, items: &[(String, String)]) -> Value {
    let mut v = json!({"name": name});
    if !items.is_empty() {
        v["items"] = items.iter().map(|(key, path)| json!({"key": key, "path": path})).collect();
    }
    v
}

fn projected(p: &Projected) -> Value {
    let sources: Vec<Value> = p
        .sources
        .iter()
        .map(|s| match s {
            Projection::Secret { name, items } => json!({"secret": key_items(name, items)}),
            Projection::ConfigMap { name, items } => json!({"configMap": key_items(name, items)}),
            Projection::DownwardApi(files) => json!({"downwardAPI": {"items": downward(files)}}),
            Projection::ServiceAccountToken { path, audience, expiration_seconds } => {
                let mut v = json!({"path": path});
                if let Some(a) = audience {
                    v["audience"] = json!(a);
                }
                if let Some(s) = expiration_seconds {
                    v["expirationSeconds"] = json!(s);
                }
                json!({"serviceAccountToken": v})
            }
            _ => unreachable!("every projection of the model is lowered"),
        })
        .collect();
    let mut v = json!({"sources": sources});
    if let Some(mode) = p.default_mode {
        v["defaultMode"] = json!(mode);
    }
    v
}

fn downward(files: &[DownwardApiFile]) -> Vec<Value> {
    files
        .iter()
        .map(|f| match &f.field {
            DownwardField::Pod(field) => json!({"path": f.path, "fieldRef": {"fieldPath": field}}),
            DownwardField::Resource(r) => {
                json!({"path": f.path, "resourceFieldRef": {"containerName": "main", "resource": r}})
            }
            _ => unreachable!("every downward API field of the model is lowered"),
        })
        .collect()
}

fn ephemeral(e: &EphemeralClaim) -> Value {
    let mut spec = json!({
        "accessModes": e.modes(),
        "resources": {"requests": {"storage": e.size}},
    });
    if let Some(class) = &e.storage_class {
        spec["storageClassName"] = json!(class);
    }
    let mut template = json!({"spec": spec});
    let mut metadata = Map::new();
    if !e.labels.is_empty() {
        metadata.insert("labels".into(), json!(e.labels));
    }
    if !e.annotations.is_empty() {
        metadata.insert("annotations".into(), json!(e.annotations));
    }
    if !metadata.is_empty() {
        template["metadata"] = Value::Object(metadata);
    }
    json!({"volumeClaimTemplate": template})
}

/// Ports, probes and lifecycle hooks of the main container.
pub(super) fn apply(c: &mut Container, s: &TaskSettings) {
    c.ports = s.ports.iter().map(port).collect();
    for (kind, p) in &s.probes {
        let v = Some(probe(p));
        match kind {
            kfp_dsl::model::ProbeKind::Liveness => c.liveness_probe = v,
            kfp_dsl::model::ProbeKind::Readiness => c.readiness_probe = v,
            kfp_dsl::model::ProbeKind::Startup => c.startup_probe = v,
            _ => unreachable!("every probe kind of the model is lowered"),
        }
    }
    if !s.hooks.is_empty() {
        let hooks: Map<String, Value> = s.hooks.iter().map(|(k, a)| (k.field().to_owned(), action(a))).collect();
        c.lifecycle = Some(Value::Object(hooks));
    }
}

fn port(p: &Port) -> Value {
    let mut v = json!({"containerPort": p.number, "protocol": p.protocol.as_str()});
    if let Some(name) = &p.name {
        v["name"] = json!(name);
    }
    v
}

/// A probe or hook handler: `{"exec": ...}`, `{"httpGet": ...}`, `{"tcpSocket": ...}`, `{"grpc": ...}`.
fn action(a: &Action) -> Value {
    match a {
        Action::Exec(command) => json!({"exec": {"command": command}}),
        Action::HttpGet { path, port, https, headers } => {
            let mut v = json!({"path": path, "port": port});
            if *https {
                v["scheme"] = json!("HTTPS");
            }
            if !headers.is_empty() {
                v["httpHeaders"] = headers.iter().map(|(n, val)| json!({"name": n, "value": val})).collect();
            }
            json!({"httpGet": v})
        }
        Action::TcpSocket(port) => json!({"tcpSocket": {"port": port}}),
        Action::Grpc(port, service) => {
            let mut v = json!({"port": port});
            if let Some(s) = service {
                v["service"] = json!(s);
            }
            json!({"grpc": v})
        }
        _ => unreachable!("every action of the model is lowered"),
    }
}

fn probe(p: &Probe) -> Value {
    let mut v = action(&p.action);
    for (field, value) in [
        ("initialDelaySeconds", p.initial_delay_seconds),
        ("periodSeconds", p.period_seconds),
        ("timeoutSeconds", p.timeout_seconds),
        ("failureThreshold", p.failure_threshold),
        ("successThreshold", p.success_threshold),
    ] {
        if let Some(n) = value {
            v[field] = json!(n);
        }
    }
    v
}
