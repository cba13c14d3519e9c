//! An imported artifact or a value passed as a file is typed like any task output: an
//! `Artifact<Dataset>` does not feed `Input<Model>`; the URI and the text are strings (a literal or a
//! `Param<String>`), never a number.
use kfp::prelude::*;

#[container_component(image = "alpine:3.20")]
fn serve(model: Input<Model>) -> ContainerSpec {
    ContainerSpec::new(["cat"]).arg(model)
}

#[pipeline(name = "importer misuse")]
fn importer_misuse(p: &Dag, n: Param<u32>) {
    serve(p, p.importer::<Dataset>("gs://b/data.csv"));
    serve(p, p.file_from::<Dataset>("text"));
    p.importer::<Model>(n);
    p.file_from::<Model>(42);
}

fn main() {}
