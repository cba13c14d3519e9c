//! Helpers shared by the macros: error collection, doc comments, attribute lists, type shapes.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::{Attribute, Expr, GenericArgument, Lit, Meta, PathArguments, Type};

/// A function's doc attributes and its other attributes.
pub(crate) fn split_docs(attrs: &[Attribute]) -> (Vec<&Attribute>, Vec<&Attribute>) {
    attrs.iter().partition(|a| a.path().is_ident("doc"))
}

/// The signature of the generated `run`: the user's, with the argument attributes (doc comments,
/// `#[default]`) removed.
pub(crate) fn run_signature(sig: &syn::Signature) -> syn::Signature {
    let mut run = sig.clone();
    for arg in &mut run.inputs {
        if let syn::FnArg::Typed(pt) = arg {
            pt.attrs.clear();
        }
    }
    run
}

/// A function's return type (`()` when it declares none).
pub(crate) fn return_type(sig: &syn::Signature) -> Type {
    match &sig.output {
        syn::ReturnType::Default => syn::parse_quote!(()),
        syn::ReturnType::Type(_, t) => (**t).clone(),
    }
}

/// An optional expression as `Option` tokens.
pub(crate) fn option_tokens(e: Option<&Expr>) -> TokenStream {
    match e {
        Some(e) => quote::quote!(::core::option::Option::Some(#e)),
        None => quote::quote!(::core::option::Option::None),
    }
}

/// The `Copy` struct of output handles a task of a component returns.
pub(crate) fn handle_struct(vis: &TokenStream, name: &syn::Ident, fields: &[TokenStream]) -> TokenStream {
    quote::quote! {
        #[allow(non_camel_case_types, missing_docs, unreachable_pub)]
        #[derive(Debug)]
        #vis struct #name {
            #(#fields,)*
        }
        impl ::core::clone::Clone for #name {
            fn clone(&self) -> Self {
                *self
            }
        }
        impl ::core::marker::Copy for #name {}
    }
}

/// Collects every error so that one mistake does not hide the others.
#[derive(Default)]
pub(crate) struct Errors(Option<syn::Error>);

impl Errors {
    pub(crate) fn push(&mut self, e: syn::Error) {
        match &mut self.0 {
            Some(all) => all.combine(e),
            None => self.0 = Some(e),
        }
    }

    pub(crate) fn spanned(&mut self, tokens: impl ToTokens, msg: impl std::fmt::Display) {
        self.push(syn::Error::new_spanned(tokens, msg));
    }

    pub(crate) fn into_tokens(self) -> Option<TokenStream> {
        self.0.map(|e| e.to_compile_error())
    }
}

/// The text of the `///` doc comments in `attrs`, with the leading space of each line removed.
pub(crate) fn doc_text(attrs: &[Attribute]) -> Option<String> {
    let mut lines = Vec::new();
    for a in attrs {
        if let Meta::NameValue(nv) = &a.meta
            && nv.path.is_ident("doc")
            && let Expr::Lit(l) = &nv.value
            && let Lit::Str(s) = &l.lit
        {
            let v = s.value();
            lines.push(v.strip_prefix(' ').map(str::to_owned).unwrap_or(v));
        }
    }
    let text = lines.join("\n").trim().to_owned();
    (!text.is_empty()).then_some(text)
}

/// `Some("..")` or `None` as tokens.
pub(crate) fn opt_str(s: Option<&str>) -> TokenStream {
    match s {
        Some(s) => quote::quote!(::core::option::Option::Some(#s)),
        None => quote::quote!(::core::option::Option::None),
    }
}

/// The shape of a type in a component or pipeline signature. Recognising these four wrappers by
/// their last path segment is the one syntactic sniff the macros make: it decides which arguments
/// the pipeline form takes. The types themselves are checked by rustc.
pub(crate) enum Slot<'a> {
    /// `Param<T>`
    Param(&'a Type),
    /// `Input<K>`
    Input(&'a Type),
    /// `Output<K>`
    Output(&'a Type),
    /// `OutputParam<T>`
    OutputParam(&'a Type),
    /// Anything else.
    Plain,
}

pub(crate) fn classify(ty: &Type) -> Slot<'_> {
    let Type::Path(p) = ty else { return Slot::Plain };
    if p.qself.is_some() {
        return Slot::Plain;
    }
    let Some(last) = p.path.segments.last() else { return Slot::Plain };
    let PathArguments::AngleBracketed(args) = &last.arguments else { return Slot::Plain };
    let mut types = args.args.iter().filter_map(|a| match a {
        GenericArgument::Type(t) => Some(t),
        _ => None,
    });
    let (Some(inner), None) = (types.next(), types.next()) else { return Slot::Plain };
    match last.ident.to_string().as_str() {
        "Param" => Slot::Param(inner),
        "Input" => Slot::Input(inner),
        "Output" => Slot::Output(inner),
        "OutputParam" => Slot::OutputParam(inner),
        _ => Slot::Plain,
    }
}

/// Parses `key = value, ...` macro arguments, calling `on` for each key; unknown keys are errors
/// that list the known ones.
pub(crate) fn parse_args(attr: TokenStream, known: &[&str], errors: &mut Errors, mut on: impl FnMut(&str, Expr)) {
    let parser = syn::meta::parser(|meta| {
        let key = meta.path.get_ident().map(ToString::to_string).unwrap_or_default();
        if !known.contains(&key.as_str()) {
            let list = known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ");
            let shown = meta.path.to_token_stream().to_string().replace(' ', "");
            return Err(meta.error(format!("unknown attribute `{shown}`; expected one of {list}")));
        }
        let value: Expr = meta.value()?.parse()?;
        on(&key, value);
        Ok(())
    });
    if let Err(e) = syn::parse::Parser::parse2(parser, attr) {
        errors.push(e);
    }
}

/// A string literal argument, or an error.
pub(crate) fn lit_str(e: &Expr, errors: &mut Errors, what: &str) -> Option<String> {
    if let Expr::Lit(l) = e
        && let Lit::Str(s) = &l.lit
    {
        return Some(s.value());
    }
    errors.spanned(e, format!("`{what}` takes a string literal"));
    None
}

/// The module of input-name marker types for component or graph `ident`: one unit struct per input,
/// named after it, so a wiring error names the input ("into input `lr`", or `fit_inputs::lr` when `lr`
/// is not unique).
pub(crate) fn input_markers(
    vis: &syn::Visibility,
    ident: &syn::Ident,
    inputs: &[&syn::Ident],
) -> (syn::Ident, TokenStream) {
    let module = quote::format_ident!("{}_inputs", ident);
    let doc = format!("Names of the inputs of `{ident}`, for error messages.");
    let tokens = quote::quote! {
        #[doc = #doc]
        #[doc(hidden)]
        #[allow(non_camel_case_types, unreachable_pub, dead_code)]
        #vis mod #module {
            #(
                #[doc(hidden)]
                pub struct #inputs;
            )*
        }
    };
    (module, tokens)
}

/// One input of a generated pipeline form: its name and the slot type it is checked against.
pub(crate) struct FormInput<'a> {
    pub(crate) ident: &'a syn::Ident,
    pub(crate) slot: TokenStream,
    pub(crate) span: proc_macro2::Span,
}

impl<'a> FormInput<'a> {
    /// An input checked against the type written in the signature.
    pub(crate) fn as_written(ident: &'a syn::Ident, ty: &Type) -> Self {
        use syn::spanned::Spanned;
        FormInput { ident, slot: ty.to_token_stream(), span: ty.span() }
    }
}

/// What every component-like macro generates around the user's function: the pipeline form
/// `name(p, inputs..)` that adds a task through `dag.#add::<name>(..)`, the module of input-name
/// markers, and the same-named twin struct whose `run` is the body as written.
pub(crate) struct Form<'a> {
    pub(crate) vis: &'a syn::Visibility,
    pub(crate) ident: &'a syn::Ident,
    pub(crate) docs: &'a [&'a syn::Attribute],
    pub(crate) inputs: Vec<FormInput<'a>>,
    /// `::kfp::Component` or `::kfp::GraphComponent`.
    pub(crate) trait_path: TokenStream,
    /// `__add_task` or `__call_graph`.
    pub(crate) add: &'a str,
    /// What the twin struct is, for its docs.
    pub(crate) what: &'a str,
    /// The `run` function: signature and body.
    pub(crate) run: TokenStream,
    /// Whether the form is the twin's associated function `call` (a pipeline, whose name is taken
    /// by its `PipelineDef` constant) rather than a free function of the same name.
    pub(crate) associated: bool,
}

impl Form<'_> {
    pub(crate) fn tokens(&self) -> TokenStream {
        use quote::{quote, quote_spanned};
        let Form { vis, ident, docs, trait_path, what, run, .. } = self;
        let add = syn::Ident::new(self.add, proc_macro2::Span::call_site());
        let dag = syn::Ident::new("dag", proc_macro2::Span::mixed_site());
        let lt = syn::Lifetime::new("'kfp", proc_macro2::Span::mixed_site());
        let idents: Vec<&syn::Ident> = self.inputs.iter().map(|i| i.ident).collect();
        let (markers_mod, markers) = input_markers(vis, ident, &idents);
        let params = self.inputs.iter().map(|i| {
            let (id, slot) = (i.ident, &i.slot);
            quote_spanned!(i.span=> #id: impl ::kfp::IntoArg<#slot, #markers_mod::#id>)
        });
        let converts = self.inputs.iter().map(|i| {
            let (id, slot) = (i.ident, &i.slot);
            quote_spanned!(i.span=> <_ as ::kfp::IntoArg<#slot, #markers_mod::#id>>::__into_arg(#id))
        });
        let twin_doc = format!("This is the {what}'s type: [`run`](Self::run) is its body as written.");
        let form_ident = if self.associated { syn::Ident::new("call", ident.span()) } else { (*ident).clone() };
        let call_doc = self.associated.then(|| {
            let doc = format!(
                " Runs the {what} `{ident}` inside another pipeline, as a graph component: its parameters are this call's inputs, what it returns is the call's outputs."
            );
            quote!(#[doc = #doc])
        });
        let form = quote! {
            #(#docs)*
            #call_doc
            #[track_caller]
            #[allow(clippy::too_many_arguments)]
            #vis fn #form_ident<#lt>(#dag: &#lt ::kfp::Dag #(, #params)*)
                -> ::kfp::Task<#lt, <#ident as #trait_path>::Outputs>
            {
                #dag.#add::<#ident>(
                    ::kfp::__private::SourceLocation::caller(),
                    ::std::vec![#(#converts),*],
                )
            }
        };
        let (free, associated) = if self.associated { (None, Some(form)) } else { (Some(form), None) };
        quote! {
            #free

            #markers

            #(#docs)*
            ///
            #[doc = #twin_doc]
            #[allow(non_camel_case_types)]
            #vis struct #ident {
                _private: (),
            }

            impl #ident {
                #associated

                #run
            }
        }
    }
}

/// Why a graph component or a pipeline cannot return `ty`, when that shows in its syntax (a plain
/// value, a component's slot, a loop's collected list): the offending type and how to fix it, for one
/// error at the type instead of one per place the generated code needs a `GraphReturn`. Other types
/// (a struct deriving `GraphOutputs`) are left to rustc.
pub(crate) fn return_problem(ty: &Type) -> Option<(String, String)> {
    let shown = |t: &Type| t.to_token_stream().to_string().replace(' ', "");
    match ty {
        Type::Tuple(t) => t.elems.iter().find_map(|e| match e {
            Type::Tuple(_) => Some((shown(e), "list the values in one tuple, without nesting".to_owned())),
            e => return_problem(e),
        }),
        Type::Paren(p) => return_problem(&p.elem),
        Type::Path(p) if p.qself.is_none() => {
            let last = p.path.segments.last()?;
            let name = last.ident.to_string();
            let plain = [
                "String", "str", "bool", "char", "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64",
                "u128", "usize", "f32", "f64", "Vec", "Option", "Result", "HashMap", "BTreeMap", "Box",
            ];
            if plain.contains(&name.as_str()) {
                let hint = format!(
                    "its outputs are what its tasks made: return a `Param<{}>` that a task produced",
                    shown(ty)
                );
                return Some((shown(ty), hint));
            }
            let hint = match classify(ty) {
                Slot::Input(k) | Slot::Output(k) => Some(format!(
                    "`{}` is a component's slot: return the `Artifact<{}>` a task produced",
                    shown(ty),
                    shown(k)
                )),
                Slot::OutputParam(t) => Some(format!(
                    "`{}` is a component's slot: return the `Param<{}>` a task produced",
                    shown(ty),
                    shown(t)
                )),
                Slot::Param(_) | Slot::Plain => None,
            };
            if let Some(hint) = hint {
                return Some((shown(ty), hint));
            }
            if name == "Artifact"
                && let PathArguments::AngleBracketed(args) = &last.arguments
                && let Some(GenericArgument::Type(Type::Path(k))) = args.args.first()
                && k.path.segments.last().is_some_and(|s| s.ident == "Vec")
            {
                let hint = "a loop's collected artifacts cannot leave their graph: return one `Artifact<K>`, or pass the list to a task and return its output";
                return Some((shown(ty), hint.to_owned()));
            }
            None
        }
        Type::Path(_) | Type::Macro(_) | Type::Verbatim(_) => None,
        other => Some((
            shown(other),
            "return `()`, a `Param<T>` or an `Artifact<K>` made in it, or a tuple of them".to_owned(),
        )),
    }
}

/// The `GraphComponent` impl of a graph component or a pipeline's twin struct `ident`: its interface
/// (`name`, the description, one `.input_param::<T>(..)` per input), its body (`run` called with
/// `body_args`) and the call's output handles, typed by the return type `ret`. `checked_return` is
/// false when `ret` was already reported and stands in as `()`: the body's value is then ignored.
pub(crate) struct GraphImpl<'a> {
    pub(crate) ident: &'a syn::Ident,
    pub(crate) ret: &'a Type,
    pub(crate) name: &'a str,
    pub(crate) description: TokenStream,
    pub(crate) interface_inputs: Vec<TokenStream>,
    pub(crate) body_args: Vec<TokenStream>,
    pub(crate) checked_return: bool,
}

impl GraphImpl<'_> {
    pub(crate) fn tokens(&self) -> TokenStream {
        let GraphImpl { ident, ret, name, description, interface_inputs, body_args, .. } = self;
        let body_values = if self.checked_return {
            quote::quote!(::kfp::GraphReturn::__values(&returned, &mut values);)
        } else {
            quote::quote!(let _ = returned;)
        };
        quote::quote! {
            const _: () = {
                impl ::kfp::GraphComponent for #ident {
                    type Outputs = <#ret as ::kfp::GraphReturn>::Outputs;

                    fn interface() -> ::kfp::GraphInterface {
                        ::kfp::GraphInterface::new::<#ret>(#name, #description)
                            #(#interface_inputs)*
                    }

                    #[allow(unreachable_code)]
                    fn __body(
                        dag: &::kfp::Dag,
                        inputs: &::kfp::__private::GraphInputs,
                    ) -> ::std::vec::Vec<::kfp::ValueSrc> {
                        let returned = #ident::run(dag #(, #body_args)*);
                        let mut values = ::std::vec::Vec::new();
                        #body_values
                        values
                    }

                    fn __outputs(f: &::kfp::__private::OutputFactory) -> Self::Outputs {
                        let mut port = 0;
                        <#ret as ::kfp::GraphReturn>::__outputs(f, &mut port)
                    }
                }
            };
        }
    }
}
