use kfp::prelude::*;

#[container_component(image = "alpine")]
fn fit(epochs: Param<u32>, lr: Param<f64>) -> ContainerSpec {
    ContainerSpec::new(["sh", "-c"]).arg(fmt_arg!("fit --epochs {} --lr {}", epochs))
}

fn main() {}
