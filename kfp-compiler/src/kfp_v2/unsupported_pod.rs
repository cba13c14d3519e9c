//! What of a task's pod surface kfp-kubernetes 2.17 has no field for: volume sources other than a
//! secret, a config map, a claim, an emptyDir and a generic ephemeral volume; container ports;
//! probes; lifecycle hooks.
//!
//! What `--lossy` may drop: ports and probes only say how the pod is reached and watched, so the
//! step computes the same without them (left out with a warning). A volume is data the command
//! reads or writes, and a lifecycle hook runs a command in the step's container: leaving either out
//! would change what the step computes, so they stay errors even with `--lossy`.

use kfp_dsl::model::{TaskSettings, VolumeSource};

use super::unsupported::LeaveOut;

const VOLUME: &str = "kfp-kubernetes 2.17 mounts secrets, config maps, PVCs, emptyDirs and generic ephemeral \
                      volumes only, and the step's command would not find its data: use one of those, or compile \
                      for Argo";
const PORT: &str = "the IR and kfp-kubernetes 2.17 have no container ports: compile for Argo";
const PROBE: &str = "the IR and kfp-kubernetes 2.17 have no probes: compile for Argo";
const HOOK: &str = "the IR and kfp-kubernetes 2.17 have no lifecycle hooks, and the hook runs a command in the \
                    step's container: run it in the step's command, or compile for Argo";

/// One entry per volume, port, probe and hook of `s` the IR cannot hold.
pub(super) fn task_pod_surface(s: &TaskSettings, task: &str, push: &mut impl FnMut(String, &'static str, LeaveOut)) {
    for (name, source) in &s.volumes {
        if matches!(
            source,
            VolumeSource::HostPath(_)
                | VolumeSource::Nfs(_)
                | VolumeSource::Csi(_)
                | VolumeSource::Projected(_)
                | VolumeSource::DownwardApi(_)
        ) {
            push(format!("{} volume `{name}` of `{task}`", source.kind()), VOLUME, LeaveOut::Never);
        }
    }
    for p in &s.ports {
        let label = p.name.as_ref().map(|n| format!(" (`{n}`)")).unwrap_or_default();
        push(format!("port {}{label} of `{task}`", p.number), PORT, LeaveOut::Construct);
    }
    for kind in s.probes.keys() {
        push(format!("`{}` of `{task}`", kind.setter()), PROBE, LeaveOut::Construct);
    }
    for kind in s.hooks.keys() {
        push(format!("lifecycle hook `{}` of `{task}`", kind.setter()), HOOK, LeaveOut::Never);
    }
}
