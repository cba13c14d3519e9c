//! Kubernetes objects from a pipeline: the Rust version of kfp v1's `i_resource_volume.py`
//! (`../shared/reference/kfp-v1/`). A persistent volume claim is created and mounted by a step that
//! writes to it (which therefore runs after it), snapshotted (`snapshot.storage.k8s.io/v1`), restored
//! into a second claim read by another step; a batch Job is created as a resource step that waits
//! until the Job has completed or failed (`Wait::batch_job`: a retried pod does not end it), with
//! typed outputs read by JSONPath, shown by a step, then deleted; the first claim is deleted after
//! the snapshot.
//!
//!     cargo run --example k8s_resources -- compile

use kfp::json;
use kfp::prelude::*;

/// Writes a file to the volume mounted at /data.
#[container_component(image = "alpine:3.18")]
fn write() -> ContainerSpec {
    ContainerSpec::new(["sh", "-c", "echo hello > /data/file.txt"])
}

/// Reads the file from the restored volume.
#[container_component(image = "alpine:3.18")]
fn read() -> ContainerSpec {
    ContainerSpec::new(["cat", "/restored/file.txt"])
}

/// Creates a batch Job and waits until it succeeds (or fails).
#[resource_component]
fn run_job(
    /// The Job's image.
    job_image: Param<String>,
    /// The Job object's name.
    name: OutputParam<String>,
    /// The Job object's uid.
    job_uid: OutputParam<String>,
) -> ResourceSpec {
    ResourceSpec::create(json!({
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": { "generateName": "side-job-" },
        "spec": {
            "backoffLimit": 1,
            "template": { "spec": {
                "restartPolicy": "Never",
                "containers": [{ "name": "main", "image": job_image, "command": ["sh", "-c", "echo from job"] }],
            }},
        },
    }))
    .wait(Wait::batch_job())
    .output(name, "{.metadata.name}")
    .output(job_uid, "{.metadata.uid}")
}

/// Shows the Job's name and uid.
#[container_component(image = "alpine:3.18")]
fn show_job(name: Param<String>, uid: Param<String>) -> ContainerSpec {
    ContainerSpec::new(["echo"]).args([name, uid])
}

/// Deletes a batch Job.
#[resource_component]
fn delete_job(name: Param<String>) -> ResourceSpec {
    ResourceSpec::delete(json!({ "apiVersion": "batch/v1", "kind": "Job", "metadata": { "name": name } }))
        .flags(["--ignore-not-found"])
}

#[pipeline(name = "Resource and volume ops")]
fn resource_and_volume_ops(
    p: &Dag,
    #[default("1Gi")] size: Param<String>,
    #[default("alpine:3.18")] job_image: Param<String>,
) {
    let vol = p.volume(
        VolumeClaim::new("work-pvc", size).access_mode("ReadWriteOnce").annotation("example.com/owner", "anchors"),
    );
    vol.task.task_name("create-pvc");
    let writer = write(p).mount(&vol, "/data");
    let snap = p.volume_snapshot("work-snap", &vol, None);
    snap.task.task_name("snapshot").after(&writer);
    let restored =
        p.volume(VolumeClaim::new("restored-pvc", snap.size).access_mode("ReadWriteMany").from_snapshot(&snap));
    restored.task.task_name("restore-pvc");
    read(p).mount(&restored, "/restored");

    let job = run_job(p, job_image);
    let shown = show_job(p, job.name, job.job_uid);
    delete_job(p, job.name).after(&shown);
    p.delete_volume(&vol).after(&snap.task);
}

fn main() {
    kfp::main(resource_and_volume_ops);
}
