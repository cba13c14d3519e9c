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
    let mut errors = Errors::default();
    let mut opaque = false;
    for a in input.attrs.iter().filter(|a| a.path().is_ident("param")) {
        let r = a.parse_nested_meta(|meta| {
            if meta.path.is_ident("opaque") {
                opaque = true;
                Ok(())
            } else {
                Err(meta.error("unknown attribute; expected `opaque`"))
            }
        });
        if let Err(e) = r {
            errors.push(e);
        }
    }
    let rename_all = serde_value(&input.attrs, "rename_all", &mut errors);
    // Typed field access on loop items: one `LoopItem` per named field (Argo `{{item.field}}`).
    let named = match &input.data {
        Data::Struct(s) if !opaque => match &s.fields {
            Fields::Named(f) => Some(f),
            _ => None,
        },
        _ => None,
    };
    let (fields_ty, fields_def, fields_init) = match named {
        Some(f) => {
            let fields_struct = quote::format_ident!("__KfpFieldsOf{}", ident);
            let names = f.named.iter().map(|f| f.ident.as_ref()).collect::<Vec<_>>();
            let tys = f.named.iter().map(|f| &f.ty).collect::<Vec<_>>();
            let keys = f
                .named
                .iter()
                .map(|f| {
                    let rust = f.ident.as_ref().map(|i| i.to_string()).unwrap_or_default();
                    let rust = rust.strip_prefix("r#").unwrap_or(&rust).to_owned();
                    serde_value(&f.attrs, "rename", &mut errors)
                        .unwrap_or_else(|| apply_case(&rust, rename_all.as_deref()))
                })
                .collect::<Vec<_>>();
            (
                quote!(#fields_struct<'s>),
                quote! {
                    /// The fields of a loop item.
                    #[allow(non_camel_case_types, missing_docs, unreachable_pub)]
                    #[derive(Clone, Copy, Debug)]
                    pub struct #fields_struct<'s> {
                        #(pub #names: ::kfp::LoopItem<'s, #tys>,)*
                    }
                },
                quote!(#fields_struct { #(#names: ::kfp::LoopItem::__field(item, #keys),)* }),
            )
        }
        None => (
            quote!(::kfp::NoFields),
            quote!(),
            quote!({
                let _ = item;
                ::kfp::NoFields
            }),
        ),
    };
    if let Some(e) = errors.into_tokens() {
        return e;
    }
    quote! {
        const _: () = {
            #fields_def

            impl ::kfp::__private::ParamSealed for #ident {}
            impl ::kfp::ParamType for #ident {
                const KFP_TYPE: &'static str = #kfp_type;
                type Fields<'s> = #fields_ty;
                fn __fields<'s>(item: ::kfp::ValueSrc) -> Self::Fields<'s> {
                    #fields_init
                }
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

/// The string of `#[serde(key = "...")]` (`rename_all` on the type, `rename` on a field), if any;
/// other serde options, with or without values or nested lists, are skipped.
fn serde_value(attrs: &[syn::Attribute], key: &str, errors: &mut Errors) -> Option<String> {
    let mut out = None;
    for a in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = a.parse_nested_meta(|meta| {
            if meta.path.is_ident(key) && meta.input.peek(syn::Token![=]) {
                let e: syn::Expr = meta.value()?.parse()?;
                out = lit_str(&e, errors, key);
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            } else if meta.input.peek(syn::token::Paren) {
                let _ = meta.parse_nested_meta(|inner| {
                    if inner.input.peek(syn::Token![=]) {
                        let _: syn::Expr = inner.value()?.parse()?;
                    }
                    Ok(())
                });
            }
            Ok(())
        });
    }
    out
}

/// A snake_case field name in serde's `rename_all` case.
fn apply_case(name: &str, case: Option<&str>) -> String {
    let words: Vec<&str> = name.split('_').filter(|w| !w.is_empty()).collect();
    let cap = |w: &str| {
        let mut c = w.chars();
        c.next().map(|f| f.to_uppercase().chain(c).collect::<String>()).unwrap_or_default()
    };
    match case {
        Some("camelCase") => {
            words.iter().enumerate().map(|(i, w)| if i == 0 { (*w).to_owned() } else { cap(w) }).collect()
        }
        Some("PascalCase") => words.iter().map(|w| cap(w)).collect(),
        Some("kebab-case") => words.join("-"),
        Some("SCREAMING_SNAKE_CASE") => name.to_uppercase(),
        Some("SCREAMING-KEBAB-CASE") => words.join("-").to_uppercase(),
        Some("lowercase") => name.to_lowercase(),
        Some("UPPERCASE") => name.to_uppercase(),
        _ => name.to_owned(),
    }
}
