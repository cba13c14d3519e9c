//! `#[component]`: a Rust function whose body runs as the step, executed by the pipeline binary's
//! `component` subcommand in the container (and by the local runner).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::spanned::Spanned;
use syn::{Expr, FnArg, Ident, ItemFn, Pat, Type};

use crate::common::*;

enum Kind {
    Param,
    Input,
    Output,
    /// A misused type, already reported: kept only so the body's call keeps its arity.
    Bad,
}

struct Arg<'a> {
    ident: &'a Ident,
    ty: &'a Type,
    inner: &'a Type,
    kind: Kind,
    doc: Option<String>,
}

/// Expands `#[component(image = "...", name = "...")]`.
pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let mut image: Option<Expr> = None;
    let mut name_expr: Option<Expr> = None;
    parse_args(attr, &["image", "name"], &mut errors, |key, value| match key {
        "image" => image = Some(value),
        _ => name_expr = Some(value),
    });
    let name = name_expr.and_then(|e| lit_str(&e, &mut errors, "name"));
    let func: ItemFn = match syn::parse2(item.clone()) {
        Ok(f) => f,
        Err(e) => {
            let e = e.to_compile_error();
            return quote!(#e #item);
        }
    };
    if let Some(a) = &func.sig.asyncness {
        errors.spanned(a, "a component cannot be `async` (run an async runtime inside its body)");
    }
    if !func.sig.generics.params.is_empty() {
        errors.spanned(&func.sig.generics, "a component cannot be generic");
    }
    let mut args: Vec<Arg<'_>> = Vec::new();
    for arg in &func.sig.inputs {
        let pt = match arg {
            FnArg::Typed(pt) => pt,
            FnArg::Receiver(r) => {
                errors.spanned(r, "a component cannot take `self`");
                continue;
            }
        };
        let Pat::Ident(pi) = &*pt.pat else {
            errors.spanned(&pt.pat, "component arguments must be plain names");
            continue;
        };
        for a in pt.attrs.iter().filter(|a| !a.path().is_ident("doc")) {
            errors.spanned(a, "unknown attribute on a component argument (only doc comments are allowed)");
        }
        let doc = doc_text(&pt.attrs);
        let (kind, inner) = match classify(&pt.ty) {
            Slot::Input(k) => (Kind::Input, k),
            Slot::Output(k) => (Kind::Output, k),
            Slot::Param(t) => {
                errors.spanned(
                    &pt.ty,
                    format!(
                        "a Rust function component takes plain values: declare `{}: {}`",
                        pi.ident,
                        quote!(#t).to_string().replace(' ', "")
                    ),
                );
                (Kind::Bad, t)
            }
            Slot::OutputParam(t) => {
                errors.spanned(&pt.ty, "a Rust function component returns its output parameters: return the value, or a `#[derive(Outputs)]` struct");
                (Kind::Bad, t)
            }
            Slot::Plain => (Kind::Param, &*pt.ty),
        };
        args.push(Arg { ident: &pi.ident, ty: &pt.ty, inner, kind, doc });
    }

    let run_sig = run_signature(&func.sig);
    let ItemFn { attrs, vis, sig, block, .. } = &func;
    let ident = &sig.ident;
    let (docs, other_attrs) = split_docs(attrs);
    let ret = return_type(sig);
    let comp_name = name.unwrap_or_else(|| ident.to_string());
    let description = opt_str(doc_text(attrs).as_deref());
    let image = option_tokens(image.as_ref());

    let inputs: Vec<&Arg<'_>> = args.iter().filter(|a| matches!(a.kind, Kind::Param | Kind::Input)).collect();
    let outputs: Vec<&Arg<'_>> = args.iter().filter(|a| matches!(a.kind, Kind::Output)).collect();
    let spec_inputs = inputs.iter().map(|i| {
        let (n, d, inner) = (i.ident.to_string(), opt_str(i.doc.as_deref()), i.inner);
        match i.kind {
            Kind::Input => quote!(.input_artifact::<#inner>(#n, #d)),
            _ => quote!(.input_param::<#inner>(#n, #d)),
        }
    });
    let spec_outputs = outputs.iter().map(|o| {
        let (n, d, inner) = (o.ident.to_string(), opt_str(o.doc.as_deref()), o.inner);
        quote!(.output_artifact::<#inner>(#n, #d))
    });
    let exec_args = args.iter().map(|a| {
        let (n, inner) = (a.ident.to_string(), a.inner);
        match a.kind {
            Kind::Input => quote!(inv.input::<#inner>(#n)?),
            Kind::Output => quote!(inv.output::<#inner>(<#inner as ::kfp::ArtifactKind>::FIXED_NAME.unwrap_or(#n))?),
            Kind::Param => quote!(inv.param::<#inner>(#n)?),
            Kind::Bad => quote!(::core::unreachable!()),
        }
    });
    let out_struct = format_ident!("__KfpOutputsOf_{}", ident);
    let out_fields = outputs.iter().map(|o| {
        let (id, inner) = (o.ident, o.inner);
        quote!(pub #id: ::kfp::Artifact<#inner>)
    });
    let out_inits = outputs.iter().enumerate().map(|(port, o)| {
        let (id, port) = (o.ident, port as u32);
        quote!(#id: f.artifact(#port))
    });
    let first_ret_port = outputs.len() as u32;
    let run_inputs = &run_sig.inputs;
    let errors = errors.into_tokens();
    let form = Form {
        vis,
        ident,
        docs: &docs,
        inputs: inputs
            .iter()
            .map(|i| {
                // An artifact input is checked against `Input<K>`, a parameter against its plain type.
                let slot = match i.kind {
                    Kind::Input => i.ty,
                    _ => i.inner,
                };
                FormInput { span: i.ty.span(), ..FormInput::as_written(i.ident, slot) }
            })
            .collect(),
        trait_path: quote!(::kfp::Component),
        add: "__add_task",
        what: "component",
        run: quote! {
            /// The component's body, as written (callable as plain Rust, for tests).
            #(#other_attrs)*
            #[allow(dead_code, clippy::too_many_arguments)]
            #vis fn run(#run_inputs) -> #ret #block
        },
        associated: false,
    }
    .tokens();

    quote! {
        #errors

        #form

        const _: () = {
            #[allow(non_camel_case_types, missing_docs, unreachable_pub)]
            #[derive(Debug)]
            #vis struct #out_struct {
                #(#out_fields,)*
                __returned: <#ret as ::kfp::ComponentReturn>::Handles,
            }
            impl ::core::clone::Clone for #out_struct {
                fn clone(&self) -> Self {
                    *self
                }
            }
            impl ::core::marker::Copy for #out_struct {}
            impl ::core::ops::Deref for #out_struct {
                type Target = <#ret as ::kfp::ComponentReturn>::Handles;
                fn deref(&self) -> &Self::Target {
                    &self.__returned
                }
            }

            #[allow(unreachable_code)]
            fn execute(inv: &::kfp::Invocation) -> ::core::result::Result<(), ::std::string::String> {
                let returned = #ident::run(#(#exec_args),*);
                ::kfp::ComponentReturn::__write(returned, inv)
            }

            impl ::kfp::Component for #ident {
                type Outputs = #out_struct;

                fn spec() -> ::kfp::ComponentSpec {
                    ::kfp::ComponentSpec::new(#comp_name, #description)
                        #(#spec_inputs)*
                        #(#spec_outputs)*
                        .returns::<#ret>()
                        .function(#image, execute)
                }

                fn __outputs(f: &::kfp::__private::OutputFactory) -> #out_struct {
                    #out_struct {
                        #(#out_inits,)*
                        __returned: <#ret as ::kfp::ComponentReturn>::__handles(f, #first_ret_port),
                    }
                }
            }
        };
    }
}

/// Expands `#[derive(Outputs)]`: a struct whose named fields become a function component's output
/// parameters.
pub(crate) fn derive_outputs(input: TokenStream) -> TokenStream {
    let input: syn::DeriveInput = match syn::parse2(input) {
        Ok(i) => i,
        Err(e) => return e.to_compile_error(),
    };
    let ident = &input.ident;
    let fields = match &input.data {
        syn::Data::Struct(s) => match &s.fields {
            syn::Fields::Named(f) => f,
            _ => {
                return syn::Error::new_spanned(ident, "`Outputs` is derived on a struct with named fields")
                    .to_compile_error();
            }
        },
        _ => {
            return syn::Error::new_spanned(ident, "`Outputs` is derived on a struct with named fields")
                .to_compile_error();
        }
    };
    if !input.generics.params.is_empty() {
        return syn::Error::new_spanned(&input.generics, "`Outputs` cannot be derived for a generic type")
            .to_compile_error();
    }
    let names = fields.named.iter().map(|f| f.ident.as_ref()).collect::<Vec<_>>();
    let keys = names.iter().map(|n| n.map(|i| i.to_string()).unwrap_or_default()).collect::<Vec<_>>();
    let tys = fields.named.iter().map(|f| &f.ty).collect::<Vec<_>>();
    let handles = format_ident!("{}Handles", ident);
    let ports = (0..names.len() as u32).collect::<Vec<_>>();
    let doc = format!("The output parameters of a task returning [`{ident}`].");
    let vis = &input.vis;
    quote! {
        #[doc = #doc]
        #[derive(Debug)]
        #[allow(missing_docs)]
        #vis struct #handles {
            #(pub #names: ::kfp::Param<#tys>,)*
        }

        const _: () = {
            impl ::core::clone::Clone for #handles {
                fn clone(&self) -> Self {
                    *self
                }
            }
            impl ::core::marker::Copy for #handles {}

            impl ::kfp::ComponentReturn for #ident {
                type Handles = #handles;
                fn __ports(out: &mut ::std::vec::Vec<(&'static str, &'static str)>) {
                    #(out.push((#keys, <#tys as ::kfp::ParamType>::KFP_TYPE));)*
                }
                fn __write(self, inv: &::kfp::Invocation) -> ::core::result::Result<(), ::std::string::String> {
                    #(inv.write_param(#keys, &::kfp::ParamType::__to_param_string(&self.#names))?;)*
                    ::core::result::Result::Ok(())
                }
                fn __handles(f: &::kfp::__private::OutputFactory, first: u32) -> #handles {
                    #handles { #(#names: f.param(first + #ports),)* }
                }
            }
        };
    }
}
