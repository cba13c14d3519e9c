//! The YAML writer's settings, shared by everything the compiler writes (Argo workflows, the KFP v2
//! IR, component.yaml): serde-saphyr quotes every string a YAML 1.1 reader would retype (`yes`,
//! `1e3`, `2024-01-01`, ...), and block scalars are left to the fields that ask for them.

/// The options every YAML document the compiler writes uses.
pub(crate) fn options() -> serde_saphyr::SerializerOptions {
    let mut options = serde_saphyr::SerializerOptions::default();
    options.prefer_block_scalars = false;
    options
}
