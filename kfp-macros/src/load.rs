//! `load_component!("path/to/component.yaml")`: a kfp v1 component.yaml, or a kfp 2.x IR file of one
//! container component (`kfp_compiler::parse_component` reads both), becomes the same typed function
//! a `#[container_component]` would be, checked when the crate is compiled.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitStr, Token};

use crate::common::*;

/// `"path"` or `name = "path"`, optionally preceded by a visibility.
struct Args {
    vis: syn::Visibility,
    ident: Option<Ident>,
    path: LitStr,
}

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let vis: syn::Visibility = input.parse()?;
        let ident = if input.peek(Ident) {
            let i: Ident = input.parse()?;
            input.parse::<Token![=]>()?;
            Some(i)
        } else {
            None
        };
        let path = input.parse()?;
        Ok(Args { vis, ident, path })
    }
}

/// `Make data` -> `make_data`.
fn snake(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if c.is_ascii_uppercase() && !out.is_empty() && !out.ends_with('_') {
                let prev = out.chars().last().unwrap_or('_');
                if prev.is_ascii_lowercase() {
                    out.push('_');
                }
            }
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_matches('_').to_owned();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) { format!("c_{out}") } else { out }
}

fn rust_ident(name: &str) -> Ident {
    let s = snake(name);
    syn::parse_str::<Ident>(&s).unwrap_or_else(|_| Ident::new_raw(&s, Span::call_site()))
}

/// The Rust type of a kfp parameter type.
fn param_type(t: &str) -> TokenStream {
    match t {
        "Integer" => quote!(i64),
        "Float" => quote!(f64),
        "Bool" | "Boolean" => quote!(bool),
        "JsonArray" => quote!(::std::vec::Vec<::kfp::__private::serde_json::Value>),
        "JsonObject" => {
            quote!(::std::collections::BTreeMap<::std::string::String, ::kfp::__private::serde_json::Value>)
        }
        _ => quote!(::std::string::String),
    }
}

/// The artifact kind of a kfp type; unknown types are `AnyArtifact`.
fn kind(t: &str) -> TokenStream {
    match t {
        "Dataset" => quote!(::kfp::Dataset),
        "Model" => quote!(::kfp::Model),
        "Metrics" => quote!(::kfp::Metrics),
        "ClassificationMetrics" => quote!(::kfp::ClassificationMetrics),
        "HTML" => quote!(::kfp::Html),
        "Markdown" => quote!(::kfp::Markdown),
        _ => quote!(::kfp::AnyArtifact),
    }
}

/// Expands `load_component!(..)`.
pub(crate) fn expand(input: TokenStream) -> TokenStream {
    let args: Args = match syn::parse2(input) {
        Ok(a) => a,
        Err(e) => return e.to_compile_error(),
    };
    let rel = args.path.value();
    // Relative to the file that calls the macro, as `include_str!` is (else to the crate's root).
    let dir = proc_macro::Span::call_site()
        .local_file()
        .and_then(|f| f.parent().map(std::path::Path::to_path_buf))
        .unwrap_or_else(|| std::path::PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_default()));
    // `local_file` may be relative to rustc's working directory: make the path absolute for
    // `include_str!`, which would otherwise resolve it against the calling file's directory.
    let path = std::env::current_dir().map(|cwd| cwd.join(&dir)).unwrap_or(dir.clone()).join(&rel);
    let dir = dir.display();
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            return syn::Error::new(args.path.span(), format!("cannot read `{rel}` (from {dir}): {e}"))
                .to_compile_error();
        }
    };
    let spec = match kfp_compiler::parse_component(&text) {
        Ok(s) => s,
        Err(e) => {
            let at = e.line.map(|(l, c)| format!(":{l}:{c}")).unwrap_or_default();
            return syn::Error::new(args.path.span(), format!("{rel}{at}: {}", e.message)).to_compile_error();
        }
    };
    let ident = args.ident.unwrap_or_else(|| rust_ident(&spec.name));
    let vis = &args.vis;
    let abs = path.display().to_string();

    let mut form_inputs = Vec::new();
    let mut idents = Vec::new();
    for i in &spec.inputs {
        let id = rust_ident(&i.name);
        let slot = if i.kind.is_artifact() {
            let k = kind(i.kind.type_name());
            quote!(::kfp::Input<#k>)
        } else {
            let t = param_type(i.kind.type_name());
            quote!(::kfp::Param<#t>)
        };
        let slot = if i.optional { quote!(::kfp::Optional<#slot>) } else { slot };
        idents.push(id);
        form_inputs.push(slot);
    }
    let docs_text = format!(
        "{}\n\nLoaded from `{rel}` by `load_component!`: inputs {}; optional ones take `Some(value)` or `kfp::absent()`.",
        spec.description.clone().unwrap_or_else(|| spec.name.clone()),
        spec.inputs
            .iter()
            .map(|i| format!("`{}` ({}{})", i.name, i.kind.type_name(), if i.optional { ", optional" } else { "" }))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let doc_attr: syn::Attribute = syn::parse_quote!(#[doc = #docs_text]);
    let docs = [&doc_attr];
    let form = Form {
        vis,
        ident: &ident,
        docs: &docs,
        inputs: idents
            .iter()
            .zip(form_inputs)
            .map(|(id, slot)| FormInput { ident: id, slot, span: args.path.span() })
            .collect(),
        trait_path: quote!(::kfp::Component),
        add: "__add_task",
        what: "component",
        run: quote!(),
        associated: false,
    }
    .tokens();

    let out_struct = format_ident!("__KfpOutputsOf_{}", ident);
    let mut out_fields = Vec::new();
    let mut out_inits = Vec::new();
    for (port, o) in spec.outputs.iter().enumerate() {
        let id = rust_ident(&o.name);
        let port = port as u32;
        if o.kind.is_artifact() {
            let k = kind(o.kind.type_name());
            out_fields.push(quote!(pub #id: ::kfp::Artifact<#k>));
            out_inits.push(quote!(#id: f.artifact(#port)));
        } else {
            let t = param_type(o.kind.type_name());
            out_fields.push(quote!(pub #id: ::kfp::Param<#t>));
            out_inits.push(quote!(#id: f.param(#port)));
        }
    }
    let name = &spec.name;
    let handles = handle_struct(&quote!(#vis), &out_struct, &out_fields);
    quote! {
        #form

        const _: () = {
            // Recompiled when the file changes.
            const YAML: &str = ::core::include_str!(#abs);

            #handles

            impl ::kfp::Component for #ident {
                type Outputs = #out_struct;

                fn spec() -> ::kfp::ComponentSpec {
                    ::kfp::__spec_from_yaml(YAML, #name)
                }

                fn __outputs(f: &::kfp::__private::OutputFactory) -> #out_struct {
                    let _ = f;
                    #out_struct { #(#out_inits,)* }
                }
            }
        };
    }
}
