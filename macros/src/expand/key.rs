//! The key type, `UserKey`, and what builds one from plain values.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;

use crate::model::{Field, Key, KeySource, Model, Table, TemplatePart};

/// The `KeyAttributeDef` of a table or index key. A field's key type is
/// spanned on the field's type: a type that cannot be a key is reported
/// there, with `KeyAttribute`'s explanation. A templated key is a string.
pub(super) fn key_def(key: &Key<'_>, p: &TokenStream) -> TokenStream {
    let name = &key.attribute;
    let key_type = match &key.source {
        KeySource::Field { ty, .. } => {
            quote_spanned!(ty.span()=> <#ty as #p::KeyAttribute>::KEY_TYPE)
        }
        KeySource::Template(_) => quote!(#p::ScalarType::S),
    };
    quote!(#p::KeyAttributeDef { name: #name, key_type: #key_type })
}

/// The type a query takes for a partition with these key attributes: the
/// type of its one field, or a tuple of its fields' types.
pub(super) fn partition_key_type(keys: &[Key<'_>]) -> TokenStream {
    let types: Vec<&syn::Type> = keys
        .iter()
        .flat_map(|k| k.fields())
        .map(|(_, ty)| ty)
        .collect();
    let ty = match types.as_slice() {
        [one] => one.to_token_stream(),
        many => quote!((#(#many,)*)),
    };
    // On the `key = "…"` argument: a mismatch of partition types (a query
    // moved to an index) points there.
    match keys.first() {
        Some(key) => super::located_at(ty, key.span),
        None => ty,
    }
}

/// Checks, at the argument that declares the key, that its type can be a
/// key: `const _: () = assert_key::<T>();` for a field, and for each field
/// of a template that it can be written into one.
pub(super) fn key_asserts(key: &Key<'_>, p: &TokenStream) -> TokenStream {
    match &key.source {
        KeySource::Field { ty, .. } => {
            let assert = quote!(const _: () = #p::assert_key::<#ty>(););
            super::located_at(assert, key.span)
        }
        KeySource::Template(template) => template
            .parts
            .iter()
            .filter_map(|part| match part {
                TemplatePart::Field { ty, width, .. } => {
                    let padded = *width > 0;
                    let assert = quote!(const _: () = #p::assert_template_field::<#ty>(#padded););
                    Some(super::located_at(assert, key.span))
                }
                TemplatePart::Text(_) => None,
            })
            .collect(),
    }
}

/// The `KeyTemplate` of a templated key.
pub(super) fn template_tokens(
    model: &Model<'_>,
    template: &crate::model::Template<'_>,
    p: &TokenStream,
) -> TokenStream {
    let text = &template.text;
    let segments = template.parts.iter().map(|part| match part {
        TemplatePart::Text(text) => quote!(#p::Segment::Text(#text)),
        TemplatePart::Field { field, width, .. } => {
            let attribute = &model.fields[*field].attribute;
            quote!(#p::Segment::Field { attribute: #attribute, width: #width })
        }
    });
    quote!(#p::KeyTemplate { text: #text, segments: &[#(#segments),*] })
}

/// The fields the table key is made of, once each, in order: the members
/// of the key type.
pub(super) fn key_fields<'m>(model: &'m Model<'_>, table: &Table<'_>) -> Vec<&'m Field<'m>> {
    let mut positions: Vec<usize> = Vec::new();
    for key in std::iter::once(&table.partition).chain(&table.sort) {
        for (field, _) in key.fields() {
            if !positions.contains(&field) {
                positions.push(field);
            }
        }
    }
    positions.into_iter().map(|i| &model.fields[i]).collect()
}

/// The key struct with its `From` and `ResourceKey` impls.
pub(super) fn key_type(model: &Model<'_>, table: &Table<'_>, p: &TokenStream) -> TokenStream {
    let ident = model.ident;
    let vis = model.vis;
    let key_ident = super::key_ident(model);
    let fields = key_fields(model, table);
    let members: Vec<&syn::Ident> = fields.iter().map(|f| f.member).collect();
    let types: Vec<&syn::Type> = fields.iter().map(|f| f.ty).collect();
    let names: Vec<&String> = fields.iter().map(|f| &f.attribute).collect();
    let templated = std::iter::once(&table.partition)
        .chain(&table.sort)
        .any(|k| matches!(k.source, KeySource::Template(_)));
    let docs: Vec<String> = fields
        .iter()
        .map(|f| {
            format!(
                "Field `{}` of the key, attribute `{}`.",
                f.name, f.attribute
            )
        })
        .collect();
    let count = fields.len();
    let doc = format!(
        "The primary key of [`{ident}`]: build it from {}.",
        match count {
            0 => "`()`: every item has the same key".to_owned(),
            1 => "the key field's value, e.g. `table.get(\"...\")`".to_owned(),
            _ =>
                format!(
                "a tuple of the key's {count} fields ({}), e.g. `table.get((\"...\", \"...\"))`",
                fields.iter().map(|f| format!("`{}`", f.name)).collect::<Vec<_>>().join(", ")
            ),
        }
    );
    let from_impl = from_impl(&key_ident, &fields, p);
    let to_key_item = if templated {
        quote! {
            let mut fields = #p::Item::with_capacity(#count);
            #( #p::put(&mut fields, #names, #p::encode::<#types>(&self.#members)); )*
            #p::key_from_fields::<#ident>(fields)
        }
    } else {
        quote! {
            let mut item = #p::Item::with_capacity(#count);
            #( #p::put(&mut item, #names, #p::encode::<#types>(&self.#members)); )*
            item
        }
    };
    quote! {
        #[doc = #doc]
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
        #vis struct #key_ident {
            #(
                #[doc = #docs]
                pub #members: #types,
            )*
        }

        #from_impl

        #[automatically_derived]
        impl #p::ResourceKey for #key_ident {
            fn to_key_item(&self) -> #p::Item {
                #to_key_item
            }
        }
    }
}

/// `From` the key field's value, or a tuple of the key fields' values, of
/// anything each field's type takes (`&str` for `String`).
pub(super) fn from_impl(
    key_ident: &syn::Ident,
    keys: &[&Field<'_>],
    p: &TokenStream,
) -> TokenStream {
    if let [one] = keys {
        let (member, ty) = (one.member, one.ty);
        return quote! {
            #[automatically_derived]
            impl<__ResourcefulP: #p::ValueOf<#ty>> ::core::convert::From<__ResourcefulP> for #key_ident {
                fn from(partition: __ResourcefulP) -> Self {
                    #key_ident { #member: #p::ValueOf::into_value(partition) }
                }
            }
        };
    }
    let members: Vec<&syn::Ident> = keys.iter().map(|f| f.member).collect();
    let types: Vec<&syn::Type> = keys.iter().map(|f| f.ty).collect();
    let params: Vec<syn::Ident> = (0..keys.len())
        .map(|i| quote::format_ident!("__ResourcefulK{}", i))
        .collect();
    let values: Vec<syn::Ident> = (0..keys.len())
        .map(|i| quote::format_ident!("value{}", i))
        .collect();
    quote! {
        #[automatically_derived]
        impl<#(#params: #p::ValueOf<#types>),*> ::core::convert::From<(#(#params,)*)> for #key_ident {
            fn from((#(#values,)*): (#(#params,)*)) -> Self {
                #key_ident {
                    #( #members: #p::ValueOf::into_value(#values), )*
                }
            }
        }
    }
}
