//! Importers: external objects as typed artifacts (kfp's `dsl.importer`). A vocabulary in Cloud
//! Storage, written in the pipeline, and a data file whose http(s) URL is a pipeline parameter, both
//! feed `Input<Dataset>` like any task output.
//!
//! On Argo each consuming task's artifact gets the location (`gcs: {bucket, key}`, `http: {url}`); the
//! KFP v2 IR has one `importer` task per import. The local runner reads a local path or an http://
//! URL given for `data_url` (a `gs://` object needs the cluster: see `--param` below).
//!
//!     cargo run --example importer -- compile
//!     cargo run --example importer -- compile --target kfp-v2

use kfp::prelude::*;

/// Counts the lines of the data that are words of the vocabulary.
#[container_component(image = "alpine:3.20")]
fn known_words(vocab: Input<Dataset>, data: Input<Dataset>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c", "grep -c -x -F -f \"$0\" \"$1\""]).arg(vocab).arg(data)
}

/// Prints how many lines a file has.
#[container_component(image = "alpine:3.20")]
fn count_lines(data: Input<Dataset>) -> ContainerSpec {
    ContainerSpec::new(["wc", "-l"]).arg(data)
}

#[pipeline(name = "external data")]
fn external_data(
    p: &Dag,
    /// Where the data is: an http(s) URL (the local runner also takes a local path).
    #[default("https://example.com/data/words.txt")]
    data_url: Param<String>,
) {
    let vocab = p.importer::<Dataset>("gs://example-bucket/vocab/v1.txt");
    let data = p.importer::<Dataset>(data_url);
    known_words(p, vocab, data);
    count_lines(p, data);
}

fn main() {
    kfp::main(external_data);
}
