//! `#[graph_component]`: a function that adds tasks to `&Dag` becomes a reusable sub-DAG with typed
//! inputs and outputs; it may call itself inside a condition.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{FnArg, Ident, ItemFn, Pat, Type};

use crate::common::*;

/// Expands `#[graph_component(name = "...")]`.
pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let mut errors = Errors::default();
    let mut raw = Vec::new();
    parse_args(attr, &["name"], &mut errors, |_, v| raw.push(v));
    let name = raw.first().and_then(|e| lit_str(e, &mut errors, "name"));
    let func: ItemFn = match syn::parse2(item.clone()) {
        Ok(f) => f,
        Err(e) => {
            let e = e.to_compile_error();
            return quote!(#e #item);
        }
    };
    if let Some(a) = &func.sig.asyncness {
        errors.spanned(a, "a graph component cannot be `async`");
    }
    if !func.sig.generics.params.is_empty() {
        errors.spanned(&func.sig.generics, "a graph component cannot be generic");
    }
    if func.sig.inputs.is_empty() {
        errors.spanned(&func.sig, "a graph component takes the dag first: `fn name(p: &Dag, ...)`");
    }
    struct In<'a> {
        ident: &'a Ident,
        ty: &'a Type,
        inner: &'a Type,
        doc: Option<String>,
        /// Not a `Param<T>` (already reported): left out of the interface.
        plain: bool,
    }
    let mut inputs: Vec<In<'_>> = Vec::new();
    let mut body_args = Vec::new();
    for (i, arg) in func.sig.inputs.iter().enumerate() {
        let pt = match arg {
            FnArg::Typed(pt) => pt,
            FnArg::Receiver(r) => {
                errors.spanned(r, "a graph component cannot take `self`");
                continue;
            }
        };
        for a in pt.attrs.iter().filter(|a| !a.path().is_ident("doc")) {
            errors.spanned(a, "unknown attribute on a graph component argument (only doc comments are allowed)");
        }
        if i == 0 {
            continue;
        }
        let Pat::Ident(pi) = &*pt.pat else {
            errors.spanned(&pt.pat, "graph component arguments must be plain names");
            continue;
        };
        let index = inputs.len() as u32;
        match classify(&pt.ty) {
            Slot::Param(inner) => {
                inputs.push(In { ident: &pi.ident, ty: &pt.ty, inner, doc: doc_text(&pt.attrs), plain: false });
                body_args.push(quote!(inputs.param::<#inner>(#index)));
            }
            slot => {
                let ty = &pt.ty;
                let msg = match slot {
                    Slot::Plain => format!(
                        "graph component inputs are `Param<T>`: declare `{}: Param<{}>`",
                        pi.ident,
                        quote!(#ty).to_string().replace(' ', "")
                    ),
                    _ => "graph component inputs are parameters (`Param<T>`); artifacts cannot be passed to a graph component yet".to_owned(),
                };
                errors.spanned(ty, msg);
                inputs.push(In { ident: &pi.ident, ty: &pt.ty, inner: &pt.ty, doc: None, plain: true });
                body_args.push(quote!(::core::unreachable!()));
            }
        }
    }

    let run_sig = run_signature(&func.sig);
    let ItemFn { attrs, vis, sig, block, .. } = &func;
    let ident = &sig.ident;
    let (docs, other_attrs) = split_docs(attrs);
    let run_ret = return_type(sig);
    let mut ret = run_ret.clone();
    // A return type that cannot be an output: one error here, and `()` where the generated code
    // needs a `GraphReturn`.
    let bad_return = return_problem(&ret);
    if let Some((bad, hint)) = &bad_return {
        errors.spanned(&ret, format!("a graph component cannot return `{bad}`: {hint}"));
        ret = syn::parse_quote!(());
    }
    let graph_name = name.unwrap_or_else(|| ident.to_string());
    let description = opt_str(doc_text(attrs).as_deref());
    let interface_inputs = inputs.iter().filter(|i| !i.plain).map(|i| {
        let (n, d, inner) = (i.ident.to_string(), opt_str(i.doc.as_deref()), i.inner);
        quote!(.input_param::<#inner>(#n, #d))
    });
    let run_inputs = &run_sig.inputs;
    let graph_impl = GraphImpl {
        ident,
        ret: &ret,
        name: &graph_name,
        description: description.clone(),
        interface_inputs: interface_inputs.collect(),
        body_args,
        checked_return: bad_return.is_none(),
    }
    .tokens();
    let errors = errors.into_tokens();
    let form = Form {
        vis,
        ident,
        docs: &docs,
        inputs: inputs.iter().map(|i| FormInput::as_written(i.ident, i.ty)).collect(),
        trait_path: quote!(::kfp::GraphComponent),
        add: "__call_graph",
        what: "graph component",
        run: quote! {
            /// The graph component's body, as written.
            #(#other_attrs)*
            #[allow(dead_code, clippy::too_many_arguments)]
            #vis fn run(#run_inputs) -> #run_ret #block
        },
        associated: false,
    }
    .tokens();
    quote! {
        #errors

        #form

        #graph_impl
    }
}
