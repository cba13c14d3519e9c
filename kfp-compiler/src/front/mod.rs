//! Front ends: files kfp-rs reads into the pipeline model (naga's `front/`), today kfp v1's
//! component.yaml.

pub(crate) mod component_yaml;
