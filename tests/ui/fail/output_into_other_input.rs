use kfp::prelude::*;

#[container_component(image = "alpine")]
fn stats(data: Input<Dataset>, rows: OutputParam<u32>, scores: OutputParam<Vec<f64>>) -> ContainerSpec {
    ContainerSpec::new(["stats"]).arg(data).arg(rows).arg(scores)
}

#[container_component(image = "alpine")]
fn best(score: Param<f64>) -> ContainerSpec {
    ContainerSpec::new(["best"]).arg(score)
}

#[pipeline]
fn pipe(p: &Dag) {
    let s = stats(p, todo!());
    stats(p, s.rows);
    best(p, s.scores);
}

fn main() {}
