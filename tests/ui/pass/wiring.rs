// Everything that should wire: literals coerce, parameters feed parameters of their type, artifacts
// feed inputs of their kind or `Input<AnyArtifact>`, user kinds and struct parameters work.
use kfp::prelude::*;

#[derive(ArtifactKind)]
struct Checkpoint;

#[derive(serde::Serialize, serde::Deserialize, ParamType)]
struct Settings {
    depth: u32,
}

#[container_component(image = "alpine")]
fn produce(data: Output<Dataset>, ckpt: Output<Checkpoint>, n: OutputParam<u32>) -> ContainerSpec {
    ContainerSpec::new(["p"]).arg(data).arg(ckpt).arg(n)
}

#[container_component(image = "alpine")]
fn consume(
    data: Input<Dataset>,
    any: Input<AnyArtifact>,
    ckpt: Input<Checkpoint>,
    n: Param<u32>,
    lr: Param<f64>,
    name: Param<String>,
    flags: Param<Vec<bool>>,
    settings: Param<Settings>,
) -> ContainerSpec {
    ContainerSpec::new(["c"]).args([Arg::from(data), any.into(), ckpt.into(), n.into(), lr.into(), name.into()])
        .arg(flags)
        .arg(settings)
}

#[pipeline(name = "wiring")]
fn wiring(p: &Dag, #[default(0.5)] lr: Param<f64>, #[default("x")] name: Param<String>) {
    let a = produce(p);
    consume(p, a.data, a.ckpt, a.ckpt, a.n, lr, name, vec![true], Settings { depth: 1 });
    consume(p, a.data, a.data, a.ckpt, 3, 0.01, "literal", vec![], p.param::<Settings>("s"));
    consume(p, a.data, a.data, a.ckpt, 3u32, 1e-3, String::from("owned"), vec![false], Settings { depth: 2 })
        .after(&a)
        .display_name("third");
}

fn main() {
    kfp::compile(&wiring, &Default::default()).unwrap();
}
