//! After an error: enough items that uses of the resource elsewhere still
//! type-check, so the user sees the real mistake instead of a cascade.

use proc_macro2::TokenStream;
use quote::quote;

use super::key::from_impl;
use super::{inherent, key_ident, private};
use crate::model::{FallbackKeys, Field, Model};

pub(super) fn expand(model: &Model<'_>, keys: &FallbackKeys) -> TokenStream {
    let p = &private(model);
    let ident = model.ident;
    let inherent = inherent(model, p);
    let key_ident = key_ident(model);
    let key = key_type(model, keys, p);
    quote! {
        #inherent

        #key

        impl #p::ResourceKey for #key_ident {
            fn to_key_item(&self) -> #p::Item {
                ::core::unreachable!()
            }
            fn from_key_item(_: #p::Item) -> ::core::result::Result<Self, #p::DecodeError> {
                ::core::unreachable!()
            }
        }

        impl #p::Resource for #ident {
            type Key = #key_ident;
            type PartitionKey = #p::String;
            const TABLE_NAME: &'static ::core::primitive::str = "";
            const KEY_SCHEMA: #p::KeySchema = #p::FALLBACK_KEY_SCHEMA;
            fn to_item(&self) -> #p::Item {
                ::core::unreachable!()
            }
            fn from_item(_: #p::Item) -> ::core::result::Result<Self, #p::DecodeError> {
                ::core::unreachable!()
            }
            fn key(&self) -> #key_ident {
                ::core::unreachable!()
            }
        }

        // Whether or not the definition has a `version` field: a batch put
        // should not add an error of its own to the definition's.
        impl #p::Unversioned for #ident {}
    }
}

/// A key struct of the fields the definition names as keys, so that
/// `get(…)` takes the values it asks for; a unit struct when there are none.
fn key_type(model: &Model<'_>, keys: &FallbackKeys, p: &TokenStream) -> TokenStream {
    let vis = model.vis;
    let key_ident = key_ident(model);
    let fields: Vec<&Field<'_>> = keys
        .partition
        .iter()
        .chain(&keys.sort)
        .map(|&i| &model.fields[i])
        .collect();
    if fields.is_empty() {
        return quote! {
            #[allow(dead_code)]
            #vis struct #key_ident;
        };
    }
    let members = fields.iter().map(|f| f.member);
    let types = fields.iter().map(|f| f.ty);
    let from_impl = from_impl(&key_ident, &fields, p);
    quote! {
        #[allow(dead_code)]
        #vis struct #key_ident { #(#members: #types),* }

        #from_impl
    }
}
