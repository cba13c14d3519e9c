//! Range loops: one iteration per shard of a dataset, the number of shards a pipeline parameter
//! (`p.parallel_for(..shards, ..)`: Argo `withSequence`), at most two shards at a time, each
//! shard tried with three seeds (a literal range, `0..3`); the shard sizes are collected (typed
//! fan-in) and summed.
//!
//!     cargo run --example shards -- compile
//!     cargo run --example shards -- run --host --param shards=3
//!
//! The KFP v2 IR iterates over lists only: a range whose end is known at run time has no IR form
//! (`compile --target kfp-v2` says so, naming the loop); a literal range becomes the list.

use kfp::prelude::*;

/// Counts the rows of shard `shard` of `of` (here: makes a number up from the shard index).
#[container_component(image = "alpine:3.20")]
fn count_rows(shard: Param<u32>, of: Param<u32>, rows: OutputParam<u32>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c"])
        .arg(r#"echo "shard $0 of $1"; echo $(( ($0 + 1) * 100 )) > "$2""#)
        .args([shard, of])
        .arg(rows)
}

/// Fits a model on one shard with one seed.
#[container_component(image = "alpine:3.20")]
fn fit(shard: Param<u32>, seed: Param<i64>) -> ContainerSpec {
    ContainerSpec::new(["echo", "fit shard"]).arg(shard).arg("seed").arg(seed)
}

/// Adds the row counts.
#[container_component(image = "alpine:3.20")]
fn total(counts: Param<Vec<u32>>, sum: OutputParam<u32>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c"])
        .arg(r#"echo "$0" | tr -d '[]" ' | tr ',' '\n' | awk '{ s += $1 } END { print s + 0 }' > "$1""#)
        .arg(counts)
        .arg(sum)
}

#[pipeline(name = "Sharded processing")]
fn sharded(p: &Dag, #[default(4)] shards: Param<u32>) {
    let rows = p.parallel_for_limit(..shards, 2, |p, shard| {
        let counted = count_rows(p, shard, shards);
        p.parallel_for(0..3, |p, seed| {
            fit(p, shard, seed).after(&counted);
        });
        counted.rows
    });
    total(p, rows);
}

fn main() {
    kfp::main(sharded);
}
