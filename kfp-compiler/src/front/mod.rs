//! Front ends: files kfp-rs reads into the pipeline model (naga's `front/`): kfp v1's
//! component.yaml, and the kfp 2.x IR file of one component.

pub(crate) mod component_yaml;
mod ir_component;
