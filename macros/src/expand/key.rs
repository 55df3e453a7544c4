//! The key type, `UserKey`, and what builds one from plain values.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned, ToTokens};
use syn::spanned::Spanned;

use crate::model::{Field, Key, Model, Table};

/// The `KeyAttributeDef` of a table or index key. Spanned on the key's
/// type: a type that cannot be a key is reported there, with
/// `KeyAttribute`'s explanation.
pub(super) fn key_def(model: &Model<'_>, key: &Key<'_>, p: &TokenStream) -> TokenStream {
    let ty = key.ty;
    let name = &model.fields[key.field].attribute;
    let key_type = quote_spanned!(ty.span()=> <#ty as #p::KeyAttribute>::KEY_TYPE);
    quote!(#p::KeyAttributeDef { name: #name, key_type: #key_type })
}

/// The type of a partition key as `type PartitionKey = …;` declares it,
/// placed on the `key = "…"` argument: a type that cannot be a key is then
/// reported there as well as on the field's type (by [`key_def`]).
pub(super) fn partition_key_type(key: &Key<'_>) -> TokenStream {
    super::located_at(key.ty.to_token_stream(), key.span)
}

/// For a sort key, what `type PartitionKey` does for a partition key:
/// `const _: () = assert_key::<T>();` on the `sort_key = "…"` argument.
pub(super) fn sort_key_assert(key: &Key<'_>, p: &TokenStream) -> TokenStream {
    let ty = key.ty;
    let assert = quote!(const _: () = #p::assert_key::<#ty>(););
    super::located_at(assert, key.span)
}

/// The key struct with its `From` and `ResourceKey` impls.
pub(super) fn key_type(model: &Model<'_>, table: &Table<'_>, p: &TokenStream) -> TokenStream {
    let ident = model.ident;
    let vis = model.vis;
    let key_ident = super::key_ident(model);
    let fields: Vec<&Field<'_>> = std::iter::once(&table.partition)
        .chain(&table.sort)
        .map(|key| &model.fields[key.field])
        .collect();
    let members: Vec<&syn::Ident> = fields.iter().map(|f| f.member).collect();
    let types: Vec<&syn::Type> = fields.iter().map(|f| f.ty).collect();
    let names: Vec<&String> = fields.iter().map(|f| &f.attribute).collect();
    let docs: Vec<String> = fields
        .iter()
        .zip(["partition", "sort"])
        .map(|(f, role)| format!("The {role} key, attribute `{}`.", f.attribute))
        .collect();
    let count = fields.len();
    let doc = format!(
        "The primary key of [`{ident}`]: build it from {}.",
        if count == 1 {
            "the partition key value, e.g. `table.get(\"...\")`"
        } else {
            "a `(partition, sort)` tuple, e.g. `table.get((\"...\", 1))`"
        }
    );
    let from_impl = from_impl(&key_ident, &fields, p);
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
                let mut item = #p::Item::with_capacity(#count);
                #( #p::encode::<#types>(&mut item, #names, &self.#members); )*
                item
            }
        }
    }
}

/// `From` the partition value, or a `(partition, sort)` tuple, of anything
/// each key field's type takes (`&str` for `String`).
pub(super) fn from_impl(
    key_ident: &syn::Ident,
    keys: &[&Field<'_>],
    p: &TokenStream,
) -> TokenStream {
    match keys {
        [partition] => {
            let (member, ty) = (partition.member, partition.ty);
            quote! {
                #[automatically_derived]
                impl<__ResourcefulP: #p::ValueOf<#ty>> ::core::convert::From<__ResourcefulP> for #key_ident {
                    fn from(partition: __ResourcefulP) -> Self {
                        #key_ident { #member: #p::ValueOf::into_value(partition) }
                    }
                }
            }
        }
        [partition, sort] => {
            let (pm, pt) = (partition.member, partition.ty);
            let (sm, st) = (sort.member, sort.ty);
            quote! {
                #[automatically_derived]
                impl<__ResourcefulP: #p::ValueOf<#pt>, __ResourcefulS: #p::ValueOf<#st>>
                    ::core::convert::From<(__ResourcefulP, __ResourcefulS)> for #key_ident
                {
                    fn from((partition, sort): (__ResourcefulP, __ResourcefulS)) -> Self {
                        #key_ident {
                            #pm: #p::ValueOf::into_value(partition),
                            #sm: #p::ValueOf::into_value(sort),
                        }
                    }
                }
            }
        }
        _ => TokenStream::new(),
    }
}
