use kfp::prelude::*;
use std::collections::HashMap;

#[container_component(image = "alpine")]
fn read(file: Param<std::fs::File>, table: Param<HashMap<String, u32>>) -> ContainerSpec {
    ContainerSpec::new(["read"]).arg(file).arg(table)
}

fn main() {}
