//! `#[derive(GraphOutputs)]`: a struct of `Param<T>` and `Artifact<K>` fields that a graph component
//! or a pipeline returns, so its outputs are named after the fields (and a call's outputs are the same
//! struct).

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields};

/// Expands `#[derive(GraphOutputs)]`.
pub(crate) fn expand(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(i) => i,
        Err(e) => return e.to_compile_error(),
    };
    if !input.generics.params.is_empty() {
        return syn::Error::new_spanned(&input.generics, "`GraphOutputs` cannot be derived for a generic struct")
            .to_compile_error();
    }
    let fields = match &input.data {
        Data::Struct(s) => match &s.fields {
            Fields::Named(f) if !f.named.is_empty() => f,
            _ => {
                return syn::Error::new_spanned(
                    &input.ident,
                    "`GraphOutputs` needs a struct with named fields, one per output: `struct Trained { model: Artifact<Model>, mse: Param<f64> }`",
                )
                .to_compile_error();
            }
        },
        _ => {
            return syn::Error::new_spanned(&input.ident, "`GraphOutputs` can only be derived for a struct")
                .to_compile_error();
        }
    };
    // A field that cannot be an output by its syntax: one error there, and no impl to repeat it.
    let problems: Vec<TokenStream> = fields
        .named
        .iter()
        .filter_map(|f| {
            let (bad, hint) = crate::common::return_problem(&f.ty)?;
            let name = f.ident.as_ref().map(ToString::to_string).unwrap_or_default();
            Some(
                syn::Error::new_spanned(&f.ty, format!("output `{name}` cannot be `{bad}`: {hint}")).to_compile_error(),
            )
        })
        .collect();
    if !problems.is_empty() {
        return quote!(#(#problems)*);
    }
    let ident = &input.ident;
    let names: Vec<_> = fields.named.iter().filter_map(|f| f.ident.as_ref()).collect();
    let keys: Vec<String> = names
        .iter()
        .map(|n| {
            let n = n.to_string();
            n.strip_prefix("r#").unwrap_or(&n).to_owned()
        })
        .collect();
    // Each field's type must be a handle a graph can return; the error points at the field.
    let tys: Vec<TokenStream> = fields
        .named
        .iter()
        .map(|f| {
            let ty = &f.ty;
            quote_spanned!(ty.span()=> <#ty as ::kfp::GraphValue>)
        })
        .collect();
    quote! {
        impl ::kfp::GraphReturn for #ident {
            type Outputs = #ident;

            fn __output_kinds(out: &mut ::std::vec::Vec<::kfp::IoKind>) {
                #(out.push(#tys::__kind());)*
            }

            fn __output_names() -> &'static [&'static str] {
                &[#(#keys),*]
            }

            fn __values(&self, out: &mut ::std::vec::Vec<::kfp::ValueSrc>) {
                #(out.push(#tys::__value(&self.#names));)*
            }

            fn __outputs(f: &::kfp::__private::OutputFactory, port: &mut u32) -> Self {
                #ident {
                    #(#names: { *port += 1; #tys::__handle(f, *port - 1) },)*
                }
            }
        }
    }
}
