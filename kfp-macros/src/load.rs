//! `load_component!("path/to/component.yaml")`: a kfp v1 component.yaml, or a kfp 2.x IR file of one
//! container component (`kfp_compiler::parse_component` reads both), becomes the same typed function
//! a `#[container_component]` would be, checked when the crate is compiled.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::{Ident, LitStr, Token};

use crate::common::*;

/// `"path"` or `name = "path"`.
struct File {
    ident: Option<Ident>,
    path: LitStr,
}

/// An optional visibility, then one or more files separated by commas.
struct Args {
    vis: syn::Visibility,
    files: Vec<File>,
}

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let vis: syn::Visibility = input.parse()?;
        let mut files = Vec::new();
        loop {
            let ident = if input.peek(Ident) {
                let i: Ident = input.parse()?;
                input.parse::<Token![=]>()?;
                Some(i)
            } else {
                None
            };
            files.push(File { ident, path: input.parse()? });
            if input.is_empty() {
                break;
            }
            input.parse::<Token![,]>()?;
            if input.is_empty() {
                break;
            }
        }
        Ok(Args { vis, files })
    }
}

/// `Make data` -> `make_data`, `Export CSV` -> `export_csv`, `CSVToJson` -> `csv_to_json`.
fn snake(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_alphanumeric() {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1).copied();
            // A word starts at an upper-case letter after a lower-case one or a digit, or at the last
            // capital of an acronym followed by a lower-case letter (`CSVTo`).
            let starts_word = c.is_ascii_uppercase()
                && prev.is_some_and(|p| {
                    p.is_ascii_lowercase()
                        || p.is_ascii_digit()
                        || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase()))
                });
            if starts_word && !out.is_empty() && !out.ends_with('_') {
                out.push('_');
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

/// The artifact kind of a kfp type: kfp's kinds, `AnyArtifact` for an untyped one (`Artifact`), and for
/// any other name (`CSV`, `TFRecord`) the kind of that name this macro call defines (see [`kind_items`]).
fn kind(t: &str) -> TokenStream {
    kfp_kind(t).unwrap_or_else(|| {
        let id = kind_ident(t);
        quote!(#id)
    })
}

/// The kind kfp has for type `t`, if any.
fn kfp_kind(t: &str) -> Option<TokenStream> {
    Some(match t {
        "Dataset" | "system.Dataset" => quote!(::kfp::Dataset),
        "Model" | "system.Model" => quote!(::kfp::Model),
        "Metrics" | "system.Metrics" => quote!(::kfp::Metrics),
        "ClassificationMetrics" | "system.ClassificationMetrics" => quote!(::kfp::ClassificationMetrics),
        "HTML" | "system.HTML" => quote!(::kfp::Html),
        "Markdown" | "system.Markdown" => quote!(::kfp::Markdown),
        "" | "Artifact" | "system.Artifact" => quote!(::kfp::AnyArtifact),
        _ => return None,
    })
}

/// The Rust name of the kind of kfp type `t`: the name itself when it is an identifier (`CSV`,
/// `TFRecord`), else with `_` for each other character (`google.VertexModel` -> `google_VertexModel`).
fn kind_ident(t: &str) -> Ident {
    let mut s: String = t.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
    if s.is_empty() || s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    syn::parse_str::<Ident>(&s).unwrap_or_else(|_| Ident::new_raw(&s, Span::call_site()))
}

/// One unit struct per kfp type name no kfp kind has, shared by every file of the macro call: an
/// output of type `CSV` then feeds only `CSV` inputs (and `AnyArtifact` ones), as kfp v1's type check
/// has it. The IR compiles these names to `system.Artifact`, as kfp does.
fn kind_items(vis: &syn::Visibility, names: &std::collections::BTreeSet<String>) -> TokenStream {
    let items = names.iter().map(|t| {
        let id = kind_ident(t);
        let doc = format!("The artifact kind of kfp type `{t}`, as the loaded component files name it.");
        quote! {
            #[doc = #doc]
            #[allow(non_camel_case_types)]
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            #vis struct #id;
            impl ::kfp::__private::KindSealed for #id {}
            impl ::kfp::ArtifactKind for #id {
                const KFP_TYPE: &'static str = #t;
            }
            impl ::kfp::ConcreteKind for #id {}
        }
    });
    quote!(#(#items)*)
}

/// Expands `load_component!(..)`: each file's component, then the kinds they name that kfp has not.
pub(crate) fn expand(input: TokenStream) -> TokenStream {
    let args: Args = match syn::parse2(input) {
        Ok(a) => a,
        Err(e) => return e.to_compile_error(),
    };
    let mut kinds = std::collections::BTreeSet::new();
    let components: Vec<TokenStream> = args.files.iter().map(|f| expand_one(&args.vis, f, &mut kinds)).collect();
    let kinds = kind_items(&args.vis, &kinds);
    quote! { #(#components)* #kinds }
}

/// One file's component; adds the kinds it names to `kinds`.
fn expand_one(vis: &syn::Visibility, args: &File, kinds: &mut std::collections::BTreeSet<String>) -> TokenStream {
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
    let ident = args.ident.clone().unwrap_or_else(|| rust_ident(&spec.name));
    let kinds_named = spec.inputs.iter().map(|i| &i.kind).chain(spec.outputs.iter().map(|o| &o.kind));
    for k in kinds_named.filter(|k| k.is_artifact()) {
        if kfp_kind(k.type_name()).is_none() {
            kinds.insert(k.type_name().to_owned());
        }
    }

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
