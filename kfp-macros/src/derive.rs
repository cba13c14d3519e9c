//! `#[derive(ParamType)]` and `#[derive(ArtifactKind)]`.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Data, DeriveInput, Fields};

use crate::common::{Errors, lit_str};

/// Expands `#[derive(ParamType)]`: the type travels JSON-encoded through serde.
pub(crate) fn param_type(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(i) => i,
        Err(e) => return e.to_compile_error(),
    };
    if !input.generics.params.is_empty() {
        return syn::Error::new_spanned(&input.generics, "`ParamType` cannot be derived for a generic type")
            .to_compile_error();
    }
    let ident = &input.ident;
    let kfp_type = match &input.data {
        Data::Struct(_) => "JsonObject",
        Data::Enum(_) => "String",
        Data::Union(u) => {
            return syn::Error::new_spanned(u.union_token, "`ParamType` cannot be derived for a union")
                .to_compile_error();
        }
    };
    quote! {
        const _: () = {
            impl ::kfp::__private::ParamSealed for #ident {}
            impl ::kfp::ParamType for #ident {
                const KFP_TYPE: &'static str = #kfp_type;
                fn __to_json(&self) -> ::kfp::__private::serde_json::Value {
                    ::kfp::__private::struct_to_json(self)
                }
                fn __from_json(
                    v: ::kfp::__private::serde_json::Value,
                ) -> ::core::result::Result<Self, ::std::string::String> {
                    ::kfp::__private::struct_from_json(v)
                }
            }
        };
    }
}

/// Expands `#[derive(ArtifactKind)]` on a unit struct; `#[kfp(type_name = "...")]` sets the kfp type
/// name (default: the struct's name).
pub(crate) fn artifact_kind(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(i) => i,
        Err(e) => return e.to_compile_error(),
    };
    let mut errors = Errors::default();
    let ident = &input.ident;
    match &input.data {
        Data::Struct(s) if matches!(s.fields, Fields::Unit) => {}
        _ => errors.spanned(ident, "`ArtifactKind` is derived on a unit struct: `struct Checkpoint;`"),
    }
    if !input.generics.params.is_empty() {
        errors.spanned(&input.generics, "`ArtifactKind` cannot be derived for a generic type");
    }
    let mut type_name = ident.to_string();
    for a in input.attrs.iter().filter(|a| a.path().is_ident("kfp")) {
        let r = a.parse_nested_meta(|meta| {
            if meta.path.is_ident("type_name") {
                let e: syn::Expr = meta.value()?.parse()?;
                if let Some(s) = lit_str(&e, &mut errors, "type_name") {
                    type_name = s;
                }
                Ok(())
            } else {
                Err(meta.error("unknown attribute; expected `type_name`"))
            }
        });
        if let Err(e) = r {
            errors.push(e);
        }
    }
    if let Some(e) = errors.into_tokens() {
        return e;
    }
    quote! {
        const _: () = {
            impl ::kfp::__private::KindSealed for #ident {}
            impl ::kfp::ArtifactKind for #ident {
                const KFP_TYPE: &'static str = #type_name;
            }
            impl ::kfp::ConcreteKind for #ident {}
        };
    }
}
