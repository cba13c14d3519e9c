// Every kind of broken component.yaml is a compile error at the `load_component!` that reads it,
// naming the file, the line and the reason.
use kfp::prelude::*;

load_component!("../specs/not_yaml.yaml");
load_component!("../specs/top_level_list.yaml");
load_component!("../specs/missing_name.yaml");
load_component!("../specs/duplicate_input.yaml");
load_component!("../specs/unknown_placeholder.yaml");
load_component!("../specs/unknown_input.yaml");
load_component!("../specs/output_path_on_input.yaml");
load_component!("../specs/non_string_default.yaml");
load_component!("../specs/if_without_cond.yaml");
load_component!("../specs/graph_implementation.yaml");
load_component!("../specs/no_such_file.yaml");

fn main() {}
