//! `#[container_component]`: a function whose body returns a `ContainerSpec` becomes a typed component.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Expr, FnArg, Ident, ItemFn, Pat, Type};

use crate::common::*;

struct InputArg<'a> {
    ident: &'a Ident,
    ty: &'a Type,
    inner: &'a Type,
    artifact: bool,
    /// Not a placeholder type (already reported): left out of the spec.
    plain: bool,
    doc: Option<String>,
}

struct OutputArg<'a> {
    ident: &'a Ident,
    inner: &'a Type,
    artifact: bool,
    doc: Option<String>,
}

/// Expands `#[container_component(image = "...", name = "...")]`.
pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let mut image: Option<Expr> = None;
    let mut name_expr: Option<Expr> = None;
    parse_args(attr, &["image", "name"], &mut errors, |key, value| match key {
        "image" => image = Some(value),
        _ => name_expr = Some(value),
    });
    let name = name_expr.and_then(|e| {
        let n = lit_str(&e, &mut errors, "name")?;
        if n.trim().is_empty() {
            errors.spanned(&e, "`name` cannot be empty");
            return None;
        }
        Some(n)
    });
    let func: ItemFn = match syn::parse2(item.clone()) {
        Ok(f) => f,
        Err(e) => {
            let e = e.to_compile_error();
            return quote!(#e #item);
        }
    };
    let sig = &func.sig;
    if let Some(a) = &sig.asyncness {
        errors.spanned(a, "a container component cannot be `async`");
    }
    if !sig.generics.params.is_empty() {
        errors.spanned(&sig.generics, "a component cannot be generic");
    }

    let mut inputs = Vec::new();
    let mut outputs = Vec::new();
    let mut run_args = Vec::new();
    for arg in &sig.inputs {
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
        for a in &pt.attrs {
            if !a.path().is_ident("doc") {
                errors.spanned(a, "unknown attribute on a component argument (only doc comments are allowed)");
            }
        }
        let ident = &pi.ident;
        let doc = doc_text(&pt.attrs);
        let name = ident.to_string();
        let name = name.strip_prefix("r#").unwrap_or(&name).to_owned();
        let placeholder = match classify(&pt.ty) {
            Slot::Param(inner) => {
                inputs.push(InputArg { ident, ty: &pt.ty, inner, artifact: false, plain: false, doc });
                quote!(::kfp::Param::<#inner>::__component_input(#name))
            }
            Slot::Input(inner) => {
                inputs.push(InputArg { ident, ty: &pt.ty, inner, artifact: true, plain: false, doc });
                quote!(::kfp::Input::<#inner>::__component_slot(#name))
            }
            Slot::Output(inner) => {
                outputs.push(OutputArg { ident, inner, artifact: true, doc });
                quote!(::kfp::Output::<#inner>::__component_slot(
                    <#inner as ::kfp::ArtifactKind>::FIXED_NAME.unwrap_or(#name)
                ))
            }
            Slot::OutputParam(inner) => {
                outputs.push(OutputArg { ident, inner, artifact: false, doc });
                quote!(::kfp::OutputParam::<#inner>::__component_slot(#name))
            }
            Slot::Plain => {
                let ty = &pt.ty;
                errors.spanned(
                    ty,
                    format!(
                        "a container component's arguments are placeholders: declare `{name}: Param<{}>` for a parameter, `Input<K>` / `Output<K>` for an artifact, or `OutputParam<T>` for an output parameter",
                        quote!(#ty).to_string().replace(' ', "")
                    ),
                );
                // Keep the arity of both call forms so this one mistake is the only error.
                inputs.push(InputArg { ident, ty: &pt.ty, inner: &pt.ty, artifact: false, plain: true, doc });
                quote!(::core::unreachable!())
            }
        };
        run_args.push(placeholder);
    }

    // The body stays callable as `name::run`, with the argument attributes (doc comments) removed.
    let run_sig = run_signature(&func.sig);
    let ItemFn { attrs, vis, sig, block, .. } = &func;
    let ident = &sig.ident;
    let (docs, fn_attrs) = split_docs(attrs);
    let run_inputs = &run_sig.inputs;
    let run_output = &run_sig.output;

    let comp_name = name.unwrap_or_else(|| ident.to_string());
    let description = opt_str(doc_text(attrs).as_deref());
    let image = option_tokens(image.as_ref());

    let spec_inputs = inputs.iter().filter(|i| !i.plain).map(|i| {
        let (n, d, inner) = (i.ident.to_string(), opt_str(i.doc.as_deref()), i.inner);
        if i.artifact { quote!(.input_artifact::<#inner>(#n, #d)) } else { quote!(.input_param::<#inner>(#n, #d)) }
    });
    let spec_outputs = outputs.iter().map(|o| {
        let (n, d, inner) = (o.ident.to_string(), opt_str(o.doc.as_deref()), o.inner);
        if o.artifact { quote!(.output_artifact::<#inner>(#n, #d)) } else { quote!(.output_param::<#inner>(#n, #d)) }
    });
    let out_struct = format_ident!("__KfpOutputsOf_{}", ident);
    let out_fields = outputs.iter().map(|o| {
        let (id, inner) = (o.ident, o.inner);
        if o.artifact { quote!(pub #id: ::kfp::Artifact<#inner>) } else { quote!(pub #id: ::kfp::Param<#inner>) }
    });
    let out_inits = outputs.iter().enumerate().map(|(port, o)| {
        let (id, port) = (o.ident, port as u32);
        if o.artifact { quote!(#id: f.artifact(#port)) } else { quote!(#id: f.param(#port)) }
    });
    let errors = errors.into_tokens();
    let out_fields: Vec<TokenStream> = out_fields.collect();
    let handles = handle_struct(&quote!(pub), &out_struct, &out_fields);
    let form = Form {
        vis,
        ident,
        docs: &docs,
        inputs: inputs.iter().map(|i| FormInput::as_written(i.ident, i.ty)).collect(),
        trait_path: quote!(::kfp::Component),
        add: "__add_task",
        what: "component",
        run: quote! {
            /// The component's body, as written: returns the container with every input and output as a
            /// placeholder.
            #(#fn_attrs)*
            #[allow(dead_code, clippy::too_many_arguments)]
            #vis fn run(#run_inputs) #run_output #block
        },
        associated: false,
    }
    .tokens();

    quote! {
        #errors

        #form

        const _: () = {
            #handles

            impl ::kfp::Component for #ident {
                type Outputs = #out_struct;

                #[allow(unreachable_code)]
                fn spec() -> ::kfp::ComponentSpec {
                    ::kfp::ComponentSpec::new(#comp_name, #description)
                        #(#spec_inputs)*
                        #(#spec_outputs)*
                        .body(#ident::run(#(#run_args),*), #image)
                }

                fn __outputs(f: &::kfp::__private::OutputFactory) -> #out_struct {
                    let _ = f;
                    #out_struct { #(#out_inits,)* }
                }
            }
        };
    }
}
