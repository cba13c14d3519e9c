//! What the local runner does with a step's pod surface. Under docker or podman a `hostPath` volume
//! is bind-mounted at its mount path (read-only if the mount is). Nothing else of the pod exists on
//! this machine: other volumes (secrets, config maps, claims, emptyDir, NFS, CSI, projected,
//! downward API, ephemeral), ports, probes and lifecycle hooks are not applied, and the runner says
//! so once per template, naming each, rather than leaving a step to fail on a missing file.

use kfp_compiler::argo::Template;
use serde_json::Value;

/// A bind mount: `(host path, path in the container, read-only)`.
pub(super) type Bind = (String, String, bool);

/// The `hostPath` volumes of `t` that the main container mounts, as bind mounts; an error for a
/// path docker's `-v` cannot carry (`:` or `,`).
pub(super) fn host_binds(t: &Template) -> Result<Vec<Bind>, String> {
    let Some(c) = &t.container else { return Ok(Vec::new()) };
    let mut out = Vec::new();
    for m in &c.volume_mounts {
        let (Some(name), Some(target)) = (m["name"].as_str(), m["mountPath"].as_str()) else { continue };
        let Some(host) = volume(t, name).and_then(|v| v["hostPath"]["path"].as_str()) else { continue };
        if [host, target].iter().any(|p| p.contains([':', ','])) {
            return Err(format!(
                "host path volume `{name}`: `{host}` at `{target}` cannot be bind-mounted (`:` or `,` in a path)"
            ));
        }
        out.push((host.to_owned(), target.to_owned(), m["readOnly"].as_bool() == Some(true)));
    }
    Ok(out)
}

fn volume<'t>(t: &'t Template, name: &str) -> Option<&'t Value> {
    t.volumes.iter().find(|v| v["name"].as_str() == Some(name))
}

/// What of `t`'s pod this run does not apply; `binds` says whether host paths are bind-mounted
/// (docker or podman) or not (`--host`, function components).
pub(super) fn not_applied(t: &Template, binds: bool) -> Vec<String> {
    let mut out = Vec::new();
    for v in &t.volumes {
        let name = v["name"].as_str().unwrap_or_default();
        let kind = v.as_object().and_then(|o| o.keys().find(|k| *k != "name")).map_or("", String::as_str);
        if kind == "hostPath" && binds {
            continue;
        }
        out.push(format!("{kind} volume `{name}`"));
    }
    if let Some(c) = &t.container {
        for p in &c.ports {
            out.push(format!("port {}", p["containerPort"]));
        }
        for (probe, set) in [
            ("liveness probe", c.liveness_probe.is_some()),
            ("readiness probe", c.readiness_probe.is_some()),
            ("startup probe", c.startup_probe.is_some()),
        ] {
            if set {
                out.push(probe.to_owned());
            }
        }
        if let Some(hooks) = c.lifecycle.as_ref().and_then(Value::as_object) {
            out.extend(hooks.keys().map(|k| format!("{k} hook")));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use kfp_compiler::argo::{Container, Template};
    use serde_json::json;

    use super::*;

    fn template() -> Template {
        let mut c = Container::default();
        c.volume_mounts = vec![
            json!({"name": "cache", "mountPath": "/cache", "readOnly": true}),
            json!({"name": "raw", "mountPath": "/raw"}),
        ];
        c.ports = vec![json!({"containerPort": 8080, "protocol": "TCP"})];
        c.liveness_probe = Some(json!({"tcpSocket": {"port": 8080}}));
        c.lifecycle = Some(json!({"preStop": {"exec": {"command": ["true"]}}}));
        let mut t = Template::default();
        t.container = Some(c);
        t.volumes = vec![
            json!({"name": "cache", "hostPath": {"path": "/var/cache/x", "type": "Directory"}}),
            json!({"name": "raw", "nfs": {"server": "nfs", "path": "/raw"}}),
        ];
        t
    }

    #[test]
    fn host_paths_are_bind_mounted_and_the_rest_is_named() {
        let t = template();
        assert_eq!(host_binds(&t), Ok(vec![("/var/cache/x".to_owned(), "/cache".to_owned(), true)]));
        assert_eq!(
            not_applied(&t, true),
            ["nfs volume `raw`", "port 8080", "liveness probe", "preStop hook"].map(String::from)
        );
        // Without docker or podman, the host path is not mounted either.
        assert_eq!(not_applied(&t, false)[0], "hostPath volume `cache`");
    }

    #[test]
    fn a_host_path_docker_cannot_carry_is_an_error() {
        let mut t = template();
        t.volumes[0] = json!({"name": "cache", "hostPath": {"path": "/a:/etc"}});
        let e = host_binds(&t).unwrap_err();
        assert!(e.contains("cannot be bind-mounted"), "{e}");
    }
}
