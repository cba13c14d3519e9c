//! kfp-macros: the procedural macros of kfp-rs. Use them through the `kfp` crate, which re-exports them
//! with their documentation; generated code refers to `::kfp::...`.
//!
//! Each macro is a thin shim over an `expand(TokenStream2) -> TokenStream2` function: parse, check
//! (collecting every error), emit. No pipeline logic lives here.

mod common;
mod component;
mod derive;
mod function;
mod graph;
mod graph_outputs;
mod load;
mod pipeline;

use proc_macro::TokenStream;

/// See `kfp::container_component`.
#[proc_macro_attribute]
pub fn container_component(attr: TokenStream, item: TokenStream) -> TokenStream {
    component::expand(attr.into(), item.into()).into()
}

/// See `kfp::resource_component`.
#[proc_macro_attribute]
pub fn resource_component(attr: TokenStream, item: TokenStream) -> TokenStream {
    component::expand(attr.into(), item.into()).into()
}

/// See `kfp::component`.
#[proc_macro_attribute]
pub fn component(attr: TokenStream, item: TokenStream) -> TokenStream {
    function::expand(attr.into(), item.into()).into()
}

/// See `kfp::GraphOutputs`.
#[proc_macro_derive(GraphOutputs)]
pub fn derive_graph_outputs(input: TokenStream) -> TokenStream {
    graph_outputs::expand(input.into()).into()
}

/// See `kfp::Outputs`.
#[proc_macro_derive(Outputs)]
pub fn derive_outputs(input: TokenStream) -> TokenStream {
    function::derive_outputs(input.into()).into()
}

/// See `kfp::pipeline`.
#[proc_macro_attribute]
pub fn pipeline(attr: TokenStream, item: TokenStream) -> TokenStream {
    pipeline::expand(attr.into(), item.into()).into()
}

/// See `kfp::graph_component`.
#[proc_macro_attribute]
pub fn graph_component(attr: TokenStream, item: TokenStream) -> TokenStream {
    graph::expand(attr.into(), item.into()).into()
}

/// See `kfp::load_component`.
#[proc_macro]
pub fn load_component(input: TokenStream) -> TokenStream {
    load::expand(input.into()).into()
}

/// See `kfp::ParamType`.
#[proc_macro_derive(ParamType, attributes(param))]
pub fn derive_param_type(input: TokenStream) -> TokenStream {
    derive::param_type(input.into()).into()
}

/// See `kfp::ArtifactKind`.
#[proc_macro_derive(ArtifactKind, attributes(kfp))]
pub fn derive_artifact_kind(input: TokenStream) -> TokenStream {
    derive::artifact_kind(input.into()).into()
}
