//! Code generation from the resolved model, one file per generated thing.
//! Reports no user errors: `check` has found them all, and this only reads
//! what it resolved.

mod fallback;
mod index;
mod key;
mod projection;
mod resource;

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{format_ident, quote};

use crate::model::{Model, Target};
use crate::symbol::ATTRIBUTE;

/// The items a checked definition generates, beside the struct itself.
pub(crate) fn expand(model: &Model<'_>) -> TokenStream {
    match &model.target {
        Target::Resource(table) => resource::expand(model, table),
        Target::Projection(of) => projection::expand(model, of),
        Target::Fallback(keys) => fallback::expand(model, keys),
    }
}

/// Removes `#[resource(...)]` from the struct and its fields: they are ours.
pub(crate) fn strip_attributes(input: &mut syn::DeriveInput) {
    input.attrs.retain(|a| !a.path().is_ident(ATTRIBUTE));
    if let syn::Data::Struct(data) = &mut input.data {
        for field in data.fields.iter_mut() {
            field.attrs.retain(|a| !a.path().is_ident(ATTRIBUTE));
        }
    }
}

/// `::resourceful::__private`: the only way generated code names the runtime.
fn private(model: &Model<'_>) -> TokenStream {
    let krate = &model.krate;
    quote!(#krate::__private)
}

/// `tokens` moved to where `span` is, each keeping its own name resolution:
/// an error about them is then reported at `span`.
fn located_at(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|token| match token {
            TokenTree::Group(group) => {
                let mut moved =
                    proc_macro2::Group::new(group.delimiter(), located_at(group.stream(), span));
                moved.set_span(group.span().located_at(span));
                TokenTree::Group(moved)
            }
            mut token => {
                token.set_span(token.span().located_at(span));
                token
            }
        })
        .collect()
}

/// `UserKey` for `User`.
fn key_ident(model: &Model<'_>) -> syn::Ident {
    format_ident!("{}Key", model.ident)
}

/// `Some(x)` or `None`, spelt out for a module that shadows the prelude.
fn optional(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(value) => quote!(::core::option::Option::Some(#value)),
        None => quote!(::core::option::Option::None),
    }
}

/// The `impl User { consts; fn table }` block.
fn inherent(model: &Model<'_>, p: &TokenStream) -> TokenStream {
    let ident = model.ident;
    let vis = model.vis;
    let table = &model.table;
    let consts = model
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.is_stored())
        .map(|(index, field)| {
            let name = &field.handle;
            let ty = field.ty;
            let attribute = &field.attribute;
            let doc = if attribute == &field.name {
                format!("The `{attribute}` attribute.")
            } else {
                format!("The `{attribute}` attribute (field `{}`).", field.name)
            };
            quote! {
                #[doc = #doc]
                #vis const #name: #p::Attr<#ident, #ty, #p::FieldTag<#index>> = #p::Attr::new(#attribute);
            }
        });
    let table_doc = format!("The `{table}` table, through `client`.");
    quote! {
        #[automatically_derived]
        #[allow(dead_code)]
        impl #ident {
            #(#consts)*

            #[doc = #table_doc]
            #vis fn table(client: &#p::Client) -> #p::Table<#ident> {
                #p::Table::new(client)
            }
        }
    }
}
