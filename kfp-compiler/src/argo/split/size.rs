//! The size guard: how big the stored object is, how much status Argo adds to it while it runs, and
//! what takes the room.
//!
//! Kubernetes keeps a Workflow as one etcd object; etcd refuses a request over 1.5 MiB by default
//! (`--max-request-bytes`), and Argo writes into that object the status of every node it runs. Sizes
//! are those of the compact JSON the API server stores.
//!
//! The status estimate: one node entry per task the DAGs run (a loop over a literal list: one per
//! item; over a parameter: one, the count being unknown), plus one for the run. A finished pod's entry
//! in Argo's own fixtures (`workflow/controller/testdata/dag-exhausted-retries-xfail.yaml`, v3.4.16:
//! id, name, displayName, type, templateName, templateScope, phase, boundaryID, times,
//! resourcesDuration, hostNodeName, children, the `main-logs` artifact with its S3 location and
//! exitCode) is about 700 bytes as JSON; the inputs and outputs Argo records with it come on top, so a
//! task counts [`NODE_BYTES`] plus the bytes of its arguments.

use std::collections::BTreeMap;

use crate::argo::Workflow;
use crate::error::CompileError;

/// The status bytes counted per node, besides its arguments.
pub const NODE_BYTES: usize = 700;
/// The default limit of the spec: 1 MiB.
pub const DEFAULT_MAX_BYTES: usize = 1 << 20;
/// etcd's default request limit (`--max-request-bytes`): 1.5 MiB.
pub const ETCD_BYTES: usize = 3 << 19;

/// How big a workflow is.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct SizeReport {
    /// The object as stored (compact JSON), in bytes.
    pub spec_bytes: usize,
    /// The node status Argo adds while it runs, estimated.
    pub status_bytes: usize,
    /// The nodes counted for it.
    pub nodes: usize,
    /// Every template and its size, biggest first.
    pub templates: Vec<(String, usize)>,
    /// The arguments of the workflow and of every task.
    pub arguments_bytes: usize,
    /// The annotations of the workflow and of every template.
    pub annotations_bytes: usize,
}

/// Counts what is written to it.
#[derive(Default)]
pub(crate) struct Counter(pub(crate) usize);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The compact JSON size of `v`.
pub(crate) fn json_len<T: serde::Serialize + ?Sized>(v: &T) -> usize {
    let mut c = Counter(0);
    // Writing to a counter fails only for a map with non-string keys, which no Argo struct has.
    let _ = serde_json::to_writer(&mut c, v);
    c.0
}

/// The nodes one task adds and the status bytes they take.
pub(crate) fn task_status(t: &crate::argo::DagTask) -> (usize, usize) {
    let runs = t.with_items.as_ref().map_or(1, |i| i.len().max(1));
    (runs, runs * (NODE_BYTES + json_len(&t.arguments)))
}

fn annotations(m: &BTreeMap<String, String>) -> usize {
    m.iter().map(|(k, v)| k.len() + v.len() + 6).sum()
}

/// Measures `w`.
pub fn measure(w: &Workflow) -> SizeReport {
    let spec_bytes = match crate::argo::patch::patched(w) {
        Ok(Some(doc)) => json_len(&doc),
        _ => json_len(w),
    };
    let mut templates: Vec<(String, usize)> = w.spec.templates.iter().map(|t| (t.name.clone(), json_len(t))).collect();
    templates.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let (mut nodes, mut status_bytes, mut arguments_bytes) = (1, NODE_BYTES, json_len(&w.spec.arguments));
    let mut annotations_bytes = annotations(&w.metadata.annotations);
    for t in &w.spec.templates {
        annotations_bytes += annotations(&t.metadata.annotations);
        for task in t.dag.iter().flat_map(|d| &d.tasks) {
            let (n, b) = task_status(task);
            nodes += n;
            status_bytes += b;
            arguments_bytes += json_len(&task.arguments);
        }
    }
    SizeReport { spec_bytes, status_bytes, nodes, templates, arguments_bytes, annotations_bytes }
}

/// `n` bytes for people: `4.4 MiB (4612345 bytes)`.
pub fn human(n: usize) -> String {
    if n >= 1 << 20 {
        format!("{:.1} MiB ({n} bytes)", n as f64 / f64::from(1 << 20))
    } else if n >= 1 << 10 {
        format!("{:.1} KiB ({n} bytes)", n as f64 / 1024.0)
    } else {
        format!("{n} bytes")
    }
}

/// The object limit that goes with a spec limit: 1.5 times it (etcd's 1.5 MiB for the default 1 MiB).
pub fn object_limit(limit: usize) -> usize {
    limit.saturating_add(limit / 2)
}

/// Checks that `w` fits: its spec at most `limit` bytes, and with the status Argo adds, at most
/// [`object_limit`]. Under the limit nothing changes.
///
/// # Errors
/// [`CompileError::TooLarge`]: the size, the limit, the biggest contributors and the fixes.
pub fn check(w: &Workflow, limit: usize) -> Result<(), CompileError> {
    let r = measure(w);
    let object = object_limit(limit);
    if r.spec_bytes <= limit && r.spec_bytes + r.status_bytes <= object {
        return Ok(());
    }
    let name = w.metadata.name.as_deref().or(w.metadata.generate_name.as_deref()).unwrap_or("the workflow");
    let what = if r.spec_bytes > limit {
        format!("`{}` is {}, over the limit of {}", name.trim_end_matches('-'), human(r.spec_bytes), human(limit))
    } else {
        format!(
            "`{}` is {}, and with the status of its {} nodes that Argo adds while it runs (about {}) it would exceed {} (etcd's request limit)",
            name.trim_end_matches('-'),
            human(r.spec_bytes),
            r.nodes,
            human(r.status_bytes),
            human(object)
        )
    };
    let top: Vec<String> = r.templates.iter().take(3).map(|(n, b)| format!("template `{n}` {}", human(*b))).collect();
    Err(CompileError::TooLarge {
        message: format!(
            "{what}; biggest: {}, arguments {}, annotations {}; fix: compile with `--split` (child workflows, each under the limit), raise `--max-size` if your cluster's etcd takes bigger objects, or turn on Argo's node status offloading (persistence with nodeStatusOffLoad) for the status",
            top.join(", "),
            human(r.arguments_bytes),
            human(r.annotations_bytes)
        ),
    })
}

/// `1MiB`, `512KiB`, `1.5MiB`, `1500000`: a size in bytes.
///
/// # Errors
/// What the text should look like.
pub fn parse_size(s: &str) -> Result<usize, String> {
    let t = s.trim();
    let (num, unit) = t.split_at(t.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(t.len()));
    let mult: f64 = match unit.trim() {
        "" | "B" => 1.0,
        "KiB" | "Ki" | "K" | "k" | "KB" | "kB" => 1024.0,
        "MiB" | "Mi" | "M" | "MB" => 1_048_576.0,
        "GiB" | "Gi" | "G" | "GB" => 1_073_741_824.0,
        _ => f64::NAN,
    };
    let n: f64 = num.parse().unwrap_or(f64::NAN);
    let bytes = n * mult;
    if !bytes.is_finite() || !(1.0..=1e12).contains(&bytes) {
        return Err(format!(
            "`{s}` is not a size: give bytes (`1500000`) or a number with KiB or MiB (`512KiB`, `1MiB`)"
        ));
    }
    Ok(bytes as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("1MiB"), Ok(1_048_576));
        assert_eq!(parse_size("512KiB"), Ok(524_288));
        assert_eq!(parse_size("1500000"), Ok(1_500_000));
        assert_eq!(parse_size("1.5MiB"), Ok(1_572_864));
        for bad in ["", "MiB", "-3", "1 parsec", "0"] {
            assert!(parse_size(bad).unwrap_err().contains("not a size"), "{bad}");
        }
    }

    #[test]
    fn object_limit_follows_the_limit() {
        assert_eq!(object_limit(DEFAULT_MAX_BYTES), ETCD_BYTES);
        assert_eq!(object_limit(4 << 20), 6 << 20);
        assert_eq!(object_limit(20_000), 30_000);
    }
}
