use kfp::prelude::*;

#[container_component(image = "alpine")]
fn make(msg: Param<String>, data: Output<Model>) -> ContainerSpec {
    ContainerSpec::new(["echo"]).arg(msg).arg(data)
}

#[container_component(image = "alpine")]
fn consume(data: Input<Dataset>) -> ContainerSpec {
    ContainerSpec::new(["cat"]).arg(data)
}

// A plain value is not something a run can output.
#[pipeline]
fn returns_a_string(p: &Dag, msg: Param<String>) -> String {
    make(p, msg);
    "done".to_owned()
}

// A loop's collected list cannot leave the pipeline.
#[pipeline]
fn returns_a_collected_list(p: &Dag) -> Artifact<Vec<Model>> {
    p.parallel_for(vec!["a".to_owned(), "b".to_owned()], |p, m| make(p, m).data)
}

#[derive(GraphOutputs)]
struct Named {
    data: Artifact<Model>,
    note: String,
}

#[pipeline]
fn trains(p: &Dag, msg: Param<String>) -> Artifact<Model> {
    make(p, msg).data
}

// The outputs of a pipeline called inside another keep their types.
#[pipeline]
fn wires_a_model_into_a_dataset(p: &Dag) {
    let t = trains::call(p, "hi");
    consume(p, t.output);
}

// And its inputs too.
#[pipeline]
fn passes_a_number_for_a_string(p: &Dag) {
    trains::call(p, 3i64);
}

fn main() {}

// A graph component returns what its tasks made, not a component's slot.
#[graph_component]
fn returns_a_slot(p: &Dag, msg: Param<String>) -> (Param<String>, Output<Model>) {
    make(p, msg);
    unreachable!()
}
