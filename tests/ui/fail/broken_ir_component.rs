// kfp 2.x IR component files kfp-rs cannot run are compile errors at the `load_component!` that
// reads them, naming the file, the field and the fix.
use kfp::prelude::*;

// A lightweight Python component: its container reads `{{$}}` from the KFP v2 launcher.
load_component!("../../../examples/components/ir/lightweight.yaml");
// A pipeline of two tasks, not one component.
load_component!("../../../examples/components/ir/two_steps.yaml");
// An importer, not a container.
load_component!("../../../examples/components/ir/importer.yaml");
// An artifact's URI, which the model has no placeholder for.
load_component!("../../../examples/components/ir/artifact_uri.yaml");
// Not the IR's shape: the line of the mistake.
load_component!("../specs/ir_misspelled_field.yaml");

fn main() {}
