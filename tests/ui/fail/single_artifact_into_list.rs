use kfp::prelude::*;

#[container_component(image = "alpine")]
fn make(shard: Output<Dataset>) -> ContainerSpec {
    ContainerSpec::new(["make"]).arg(shard)
}

#[component]
fn merge(shards: Input<Vec<Dataset>>) -> Result<u32, String> {
    Ok(shards.paths()?.len() as u32)
}

#[container_component(image = "alpine")]
fn read_one(data: Input<Dataset>) -> ContainerSpec {
    ContainerSpec::new(["cat"]).arg(data)
}

#[pipeline]
fn pipe(p: &Dag) {
    let one = make(p).shard;
    // One artifact where a list is expected.
    merge(p, one);
    // A list where one artifact is expected.
    let all = p.parallel_for([1u32, 2], |p, _| make(p).shard);
    read_one(p, all);
}

fn main() {}
