//! Where a step's files are, inside its container (kfp v1's convention).

/// Where input artifact `name` is placed: `/tmp/inputs/<name>/data`.
pub fn input_path(name: &str) -> String {
    format!("/tmp/inputs/{name}/data")
}

/// Where output `name` (an artifact, or a parameter's value) is written: `/tmp/outputs/<name>/data`.
pub fn output_path(name: &str) -> String {
    format!("/tmp/outputs/{name}/data")
}
