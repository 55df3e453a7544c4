//! Code generation from the resolved model, one file per generated thing.
//! Reports no user errors: `check` has found them all, and this only reads
//! what it resolved.

mod attribute;
mod bound;
mod fallback;
mod index;
mod key;
mod projection;
mod resource;

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;

use crate::model::{DeriveModel, Field, Model, Read, Target};
use crate::symbol::ATTRIBUTE;

/// The impls `#[derive(Attribute)]` generates for a checked type.
pub(crate) fn expand_derive(model: &DeriveModel<'_>) -> TokenStream {
    attribute::expand(model)
}

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
    private_of(&model.krate)
}

fn private_of(krate: &syn::Path) -> TokenStream {
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

/// One attribute handle per stored field: `const EMAIL: Attr<User, String,
/// FieldTag<1>>`, for `owner` (the type, with its generics). A `with`
/// field's handle holds the `AttributeValue` its module writes, since the
/// field's type may be written otherwise.
fn handles<'f>(
    owner: &'f TokenStream,
    fields: &'f [Field<'_>],
    vis: &'f syn::Visibility,
    p: &'f TokenStream,
) -> impl Iterator<Item = TokenStream> + 'f {
    fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.is_stored())
        .map(move |(index, field)| {
            let name = &field.handle;
            let ty = match field.with {
                Some(_) => quote!(#p::AttributeValue),
                None => field.ty.to_token_stream(),
            };
            let attribute = &field.attribute;
            let doc = if attribute == &field.name {
                format!("The `{attribute}` attribute.")
            } else {
                format!("The `{attribute}` attribute (field `{}`).", field.name)
            };
            quote! {
                #[doc = #doc]
                #vis const #name: #p::Attr<#owner, #ty, #p::FieldTag<#index>> = #p::Attr::new(#attribute);
            }
        })
}

/// `module::function`, spanned on the `with = "module"` string: a module
/// without the function, or with one of another signature, is reported
/// there.
fn with_function(module: &syn::Path, function: &str) -> TokenStream {
    let function = syn::Ident::new(function, module.span());
    quote_spanned!(module.span()=> #module::#function)
}

/// The statement that writes `field` into `item` (an `Item` in scope).
/// Helpers are called with the field's type spelt out (`::<#ty>`): a type
/// that cannot be stored is then reported on the field's type, not on the
/// whole attribute.
fn encode_field(field: &Field<'_>, p: &TokenStream) -> TokenStream {
    let member = field.member;
    let name = &field.attribute;
    let ty = field.ty;
    if let Some(module) = &field.with {
        let to_attribute = with_function(module, "to_attribute");
        quote!(#p::encode_with(&mut item, #name, #to_attribute(&self.#member));)
    } else if field.ttl {
        let encode = quote_spanned!(ty.span()=> #p::encode_ttl_field::<#ty>);
        quote!(#encode(&mut item, #name, &self.#member);)
    } else {
        quote!(#p::encode::<#ty>(&mut item, #name, &self.#member);)
    }
}

/// `member: value` reading `field` from `item` (a mutable `Item` in scope)
/// in a function returning `Result<_, DecodeError>`.
fn decode_field(field: &Field<'_>, p: &TokenStream) -> TokenStream {
    let member = field.member;
    let name = &field.attribute;
    let ty = field.ty;
    match (field.read, &field.with) {
        (Read::Skipped, _) => quote!(#member: #p::skipped::<#ty>()),
        (Read::OrDefault, Some(module)) => {
            let from_attribute = with_function(module, "from_attribute");
            quote!(#member: #p::decode_with_or_default(&mut item, #name, #from_attribute)?)
        }
        (Read::Required, Some(module)) => {
            let from_attribute = with_function(module, "from_attribute");
            quote!(#member: #p::decode_with(&mut item, #name, #from_attribute)?)
        }
        _ if field.ttl => {
            let decode = quote_spanned!(ty.span()=> #p::decode_ttl_field::<#ty>);
            quote!(#member: #decode(&mut item, #name)?)
        }
        (Read::OrDefault, None) => {
            quote!(#member: #p::decode_or_default::<#ty>(&mut item, #name)?)
        }
        (Read::Required, None) => quote!(#member: #p::decode::<#ty>(&mut item, #name)?),
    }
}

/// The `impl User { consts; fn table }` block.
fn inherent(model: &Model<'_>, p: &TokenStream) -> TokenStream {
    let ident = model.ident;
    let vis = model.vis;
    let table = &model.table;
    let owner = quote!(#ident);
    let consts = handles(&owner, &model.fields, vis, p);
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
