//! `importer` and `file_from` bring in one artifact: a list (`Artifact<Vec<K>>`) comes only from a
//! loop that collects its iterations' artifacts.
use kfp::prelude::*;

#[pipeline(name = "importer of a list")]
fn importer_of_a_list(p: &Dag) {
    p.importer::<Vec<Model>>("gs://b/models");
}

fn main() {}
