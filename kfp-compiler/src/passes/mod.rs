//! The passes every backend shares, in order. Each pass has one entry point at the top of its module;
//! later passes take what earlier ones produce.
//!
//! 1. [`validate`]: the graph has no cycle and at least one task → [`validate::Validated`].
//! 2. [`variants`]: one template per component variant (settings, resolved `if` / `isPresent`,
//!    inputs left out) → [`variants::Variants`].
//! 3. [`naming`]: DNS-1123 names for tasks, templates and scopes, unique in linear time →
//!    [`naming::Names`].
//!
//! Then [`crate::plan`] plans the DAGs (scope plumbing, dependencies, topological order with ties
//! broken by name) → [`crate::plan::Plan`], and a backend renders the plan: [`crate::argo::lower`] →
//! [`crate::argo::Workflow`].

pub(crate) mod naming;
pub(crate) mod validate;
pub(crate) mod variants;
