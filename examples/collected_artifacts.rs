//! Typed fan-in of artifacts: a loop whose body returns a task's output artifact gives back the list
//! of every iteration's artifact, which a later step takes as `Input<Vec<Dataset>>` (kfp's
//! `dsl.Collected` into an `Input[List[Dataset]]`). The row counts fan in beside it as a
//! `Param<Vec<u32>>`, and `merge` checks that they add up.
//!
//! On Argo the shards are key-only artifacts under `{{workflow.uid}}/kfp-fan-in/...` in the cluster's
//! artifact repository (which must be S3-compatible, as KFP's MinIO is); on KFP v2 the loop's DAG
//! outputs them as an artifact list (`isArtifactList`).
//!
//!     cargo run --example collected_artifacts -- compile
//!     cargo run --example collected_artifacts -- run

use std::fs;

use kfp::prelude::*;
use serde::{Deserialize, Serialize};

/// One shard to make: its split's name and how many rows it has.
#[derive(Serialize, Deserialize, ParamType)]
struct ShardSpec {
    split: String,
    rows: u32,
}

/// Writes `rows` lines `split,i` and returns how many it wrote.
#[component]
fn make_shard(split: String, rows: u32, shard: Output<Dataset>) -> Result<u32, std::io::Error> {
    let text: String = (1..=rows).map(|i| format!("{split},{i}\n")).collect();
    fs::write(shard.path(), text)?;
    Ok(rows)
}

/// Concatenates the shards and checks the row counts add up.
#[component]
fn merge(shards: Input<Vec<Dataset>>, counts: Vec<u32>, merged: Output<Dataset>) -> Result<u32, String> {
    let mut text = String::new();
    let paths = shards.paths()?;
    for path in &paths {
        text.push_str(&fs::read_to_string(path).map_err(|e| format!("`{}`: {e}", path.display()))?);
    }
    let total = text.lines().count() as u32;
    let expected: u32 = counts.iter().sum();
    if paths.len() != counts.len() || total != expected {
        return Err(format!("{} shards with {total} rows, but the counts {counts:?} say {expected}", paths.len()));
    }
    fs::write(merged.path(), &text).map_err(|e| e.to_string())?;
    println!("merged {} shards: {total} rows", paths.len());
    Ok(total)
}

#[pipeline(name = "Collected artifacts", image = "ghcr.io/kfp-rs/examples:0.1")]
fn collected_artifacts(p: &Dag) {
    let shards = vec![
        ShardSpec { split: "train".to_owned(), rows: 80 },
        ShardSpec { split: "eval".to_owned(), rows: 15 },
        ShardSpec { split: "test".to_owned(), rows: 5 },
    ];
    let (shards, counts) = p.parallel_for_limit(shards, 2, |p, item| {
        let made = make_shard(p, item.split, item.rows);
        (made.shard, made.output)
    });
    merge(p, shards, counts);
}

fn main() {
    kfp::main(collected_artifacts);
}
