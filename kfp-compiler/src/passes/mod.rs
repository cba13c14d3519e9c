//! The passes every backend shares, in order. Each pass has one entry point at the top of its module;
//! later passes take what earlier ones produce.
//!
//! 1. [`validate`]: the graph has no cycle and at least one task → [`validate::Validated`].
//! 2. [`naming`]: one template per component variant, DNS-1123 names for tasks and templates, unique
//!    in linear time → [`naming::Names`].
//!
//! Then [`crate::argo::lower`] lowers to the Argo workflow: tasks in topological order (ties broken
//! by name), parameter and artifact plumbing, Kubeflow annotations → [`crate::argo::Workflow`].

pub(crate) mod naming;
pub(crate) mod validate;
