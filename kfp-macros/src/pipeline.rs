//! `#[pipeline]`: a function that builds tasks on `&Dag` becomes a `PipelineDef` constant, and a
//! graph component of the same name (`name::call(p, ..)`) so another pipeline can run it.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::{Expr, FnArg, Ident, ItemFn, Pat};

use crate::common::*;

/// Expands `#[pipeline(name = "...", description = "...")]`.
pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let mut raw: Vec<(String, Expr)> = Vec::new();
    parse_args(attr, &["name", "description", "image", "binary"], &mut errors, |k, v| raw.push((k.to_owned(), v)));
    let mut name = None;
    let mut description = None;
    let mut image = quote!(::core::option::Option::None);
    let mut binary = quote!(::core::option::Option::None);
    for (k, v) in &raw {
        if k == "image" {
            image = quote!(::core::option::Option::Some(#v));
            continue;
        }
        if k == "binary" {
            binary = quote!(::core::option::Option::Some(#v));
            continue;
        }
        let Some(s) = lit_str(v, &mut errors, k) else { continue };
        if k == "name" {
            if s.chars().any(|c| c.is_ascii_alphanumeric()) {
                name = Some(s);
            } else {
                errors.spanned(v, "a pipeline name needs at least one letter or digit");
            }
        } else {
            description = Some(s);
        }
    }
    let mut func: ItemFn = match syn::parse2(item.clone()) {
        Ok(f) => f,
        Err(e) => {
            let e = e.to_compile_error();
            return quote!(#e #item);
        }
    };
    if let Some(a) = &func.sig.asyncness {
        errors.spanned(a, "a pipeline function cannot be `async`");
    }
    if !func.sig.generics.params.is_empty() {
        errors.spanned(&func.sig.generics, "a pipeline function cannot be generic");
    }
    if func.sig.inputs.is_empty() {
        errors.spanned(&func.sig, "a pipeline function takes the dag first: `fn name(p: &Dag, ...)`");
    }

    let dag = Ident::new("dag", Span::mixed_site());
    let mut decls = Vec::new();
    let mut idents = Vec::new();
    // Per argument after the dag: how the graph form's body gets it (`None`: already reported).
    let mut graph_params: Vec<Option<(syn::Type, Option<String>)>> = Vec::new();
    for (i, arg) in func.sig.inputs.iter_mut().enumerate() {
        let pt = match arg {
            FnArg::Typed(pt) => pt,
            FnArg::Receiver(r) => {
                errors.spanned(&*r, "a pipeline function cannot take `self`");
                continue;
            }
        };
        let attrs = std::mem::take(&mut pt.attrs);
        if i == 0 {
            for a in &attrs {
                errors.spanned(a, "the dag argument takes no attributes");
            }
            continue;
        }
        let Pat::Ident(pi) = &*pt.pat else {
            errors.spanned(&pt.pat, "pipeline parameters must be plain names");
            continue;
        };
        let ident = pi.ident.clone();
        if ident == func.sig.ident {
            errors.spanned(&ident, format!("a pipeline parameter cannot share the pipeline's name `{ident}`: the pipeline becomes a constant of that name"));
            continue;
        }
        let pname = ident.to_string();
        let pname = pname.strip_prefix("r#").unwrap_or(&pname).to_owned();
        let mut default: Option<Expr> = None;
        for a in &attrs {
            if a.path().is_ident("doc") {
                continue;
            }
            if a.path().is_ident("default") {
                match a.parse_args::<Expr>() {
                    Ok(e) => default = Some(e),
                    Err(e) => errors.push(e),
                }
            } else {
                errors.spanned(
                    a,
                    "unknown attribute on a pipeline parameter; expected `#[default(..)]` or a doc comment",
                );
            }
        }
        let slot = classify(&pt.ty);
        let Slot::Param(inner) = slot else {
            let ty = &pt.ty;
            let shown = |t: &syn::Type| quote!(#t).to_string().replace(' ', "");
            // The type the body gets instead, so that using the value as meant adds no error.
            let stand_in: Option<TokenStream> = match slot {
                Slot::OutputParam(inner) => {
                    errors.spanned(
                        ty,
                        format!(
                            "a pipeline parameter is an input, not an output: declare `{pname}: Param<{}>`",
                            shown(inner)
                        ),
                    );
                    Some(quote_spanned!(ty.span()=> ::kfp::Param<#inner>))
                }
                Slot::Input(kind) | Slot::Output(kind) => {
                    errors.spanned(
                        ty,
                        format!(
                            "pipeline inputs are parameters (`Param<T>`), not artifacts: an artifact comes from a task's output; take what locates it as a parameter (`{pname}: Param<String>`) and make the `{}` in a task",
                            shown(kind)
                        ),
                    );
                    Some(quote_spanned!(ty.span()=> ::kfp::Artifact<#kind>))
                }
                _ => {
                    errors.spanned(
                        ty,
                        format!("pipeline parameters are `Param<T>`: declare `{pname}: Param<{}>`", shown(ty)),
                    );
                    None
                }
            };
            if let Some(t) = stand_in {
                match syn::parse2::<syn::Type>(t) {
                    Ok(t) => *pt.ty = t,
                    Err(e) => errors.push(e),
                }
            }
            // Keep the call's arity so this one mistake is the only error.
            decls.push(quote!(#[allow(unused_variables)] let #ident = ::core::unreachable!();));
            idents.push(ident);
            graph_params.push(None);
            continue;
        };
        let default = match default {
            Some(e) => quote_spanned!(e.span()=> ::core::option::Option::Some(
                ::kfp::__private::default_value::<#inner>(#e)
            )),
            None => quote!(::core::option::Option::None),
        };
        let doc = doc_text(&attrs);
        graph_params.push(Some(((*inner).clone(), doc.clone())));
        let desc = opt_str(doc.as_deref());
        let span = pt.ty.span();
        decls.push(quote_spanned! {span=>
            let #ident: ::kfp::Param<#inner> = #dag.__input::<#inner>(
                #pname, #default, #desc, ::kfp::__private::SourceLocation::caller(),
            );
        });
        idents.push(ident);
    }

    let run_sig = run_signature(&func.sig);
    let ItemFn { attrs, vis, sig, block, .. } = &func;
    let ident = &sig.ident;
    let (docs, other_attrs) = split_docs(attrs);
    let mut ret = return_type(sig);
    // A return type that cannot be an output: one error here, and `()` in the generated code, whose
    // other uses would each repeat it.
    let bad_return = return_problem(&ret);
    if let Some((bad, hint)) = &bad_return {
        errors.spanned(&ret, format!("a pipeline cannot return `{bad}`: {hint}"));
        ret = syn::parse_quote!(());
    }
    let name = name.unwrap_or_else(|| ident.to_string());
    let description = description.or_else(|| doc_text(attrs));
    let description_tokens = opt_str(description.as_deref());
    let run_inputs = &run_sig.inputs;
    let run_ret = return_type(sig);
    // The graph form: every argument after the dag is an input of the same name.
    let form_inputs: Vec<FormInput<'_>> = run_sig
        .inputs
        .iter()
        .skip(1)
        .zip(&idents)
        .filter_map(|(arg, ident)| match arg {
            FnArg::Typed(pt) => Some(FormInput::as_written(ident, &pt.ty)),
            FnArg::Receiver(_) => None,
        })
        .collect();
    let interface_inputs = idents.iter().zip(&graph_params).filter_map(|(ident, p)| {
        let (inner, doc) = p.as_ref()?;
        let (n, d) = (ident.to_string(), opt_str(doc.as_deref()));
        let n = n.strip_prefix("r#").unwrap_or(&n).to_owned();
        Some(quote!(.input_param::<#inner>(#n, #d)))
    });
    let mut index = 0u32;
    let body_args: Vec<TokenStream> = graph_params
        .iter()
        .map(|p| match p {
            Some((inner, _)) => {
                index += 1;
                let i = index - 1;
                quote!(inputs.param::<#inner>(#i))
            }
            None => quote!(::core::unreachable!()),
        })
        .collect();
    let form = Form {
        vis,
        ident,
        docs: &[],
        inputs: form_inputs,
        trait_path: quote!(::kfp::GraphComponent),
        add: "__call_graph",
        what: "pipeline",
        run: quote! {
            /// The pipeline's body, as written.
            #(#other_attrs)*
            #[allow(dead_code, clippy::too_many_arguments)]
            #vis fn run(#run_inputs) -> #run_ret #block
        },
        associated: true,
    }
    .tokens();
    // The return type names what is wrong with it, at the type.
    let ret_check = quote_spanned! {ret.span()=>
        const _: fn() = || {
            fn returns<R: ::kfp::GraphReturn>() {}
            returns::<#ret>();
        };
    };
    // Located at the return type, where a returned value's errors point.
    let returns = match bad_return {
        Some(_) => quote!(let _ = returned;),
        None => quote_spanned!(ret.span()=> #dag.__returns(&returned);),
    };
    let graph_impl = GraphImpl {
        ident,
        ret: &ret,
        name: &name,
        description: description_tokens.clone(),
        interface_inputs: interface_inputs.collect(),
        body_args,
        checked_return: bad_return.is_none(),
    }
    .tokens();
    let errors = errors.into_tokens();
    quote! {
        #errors

        #ret_check

        #(#docs)*
        #[allow(non_upper_case_globals)]
        #vis const #ident: ::kfp::PipelineDef = {
            #[allow(unreachable_code)]
            fn build(#dag: &::kfp::Dag) {
                // The binary Rust function components run: this Cargo binary, unless `binary` says.
                let binary: ::core::option::Option<&str> = #binary;
                #dag.__configure(#image, binary.or(::core::option::Option::Some(::kfp::__private::bin_name(::core::option_env!("CARGO_BIN_NAME")))));
                #(#decls)*
                let returned = #ident::run(#dag #(, #idents)*);
                #returns
            }

            ::kfp::PipelineDef::__new(#name, #description_tokens, build)
        };

        #form

        #graph_impl
    }
}
