//! Index handles (`User::BY_EMAIL`), `HasIndex` impls and sort-key markers.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use super::key::{key_def, partition_key_type, sort_key_assert};
use super::optional;
use crate::model::{Index, Model, Projection, Table};

pub(super) fn expand(model: &Model<'_>, table: &Table<'_>, p: &TokenStream) -> TokenStream {
    if table.indexes.is_empty() {
        return TokenStream::new();
    }
    let ident = model.ident;
    let vis = model.vis;
    let handles = table.indexes.iter().enumerate().map(|(position, index)| {
        let number = position + 1;
        let (name, handle) = (&index.name, &index.handle);
        let doc = format!(
            "The {} index `{name}`: `table.index({ident}::{handle}).query(…)`.",
            if index.local { "local" } else { "global" }
        );
        quote! {
            #[doc = #doc]
            #vis const #handle: #p::Index<#ident, #number> = #p::Index::new(#name);
        }
    });
    let impls = table
        .indexes
        .iter()
        .enumerate()
        .map(|(position, index)| has_index(model, index, position + 1, p));
    quote! {
        #[automatically_derived]
        #[allow(dead_code)]
        impl #ident {
            #(#handles)*
        }
        #(#impls)*
    }
}

/// `impl HasIndex<N> for User`, and the sort key's marker.
fn has_index(model: &Model<'_>, index: &Index<'_>, number: usize, p: &TokenStream) -> TokenStream {
    let ident = model.ident;
    let name = &index.name;
    let (partition_ty, partition, sort) = match &index.keys {
        Some(keys) => {
            let sort = keys.sort.as_ref().map(|key| key_def(model, key, p));
            (
                partition_key_type(&keys.partition),
                key_def(model, &keys.partition, p),
                optional(sort),
            )
        }
        // A stub: the definition does not compile anyway, and the declared
        // keys may be what is wrong.
        None => (
            quote!(#p::String),
            quote!(#p::FALLBACK_KEY_SCHEMA.partition),
            optional(None),
        ),
    };
    let kind = if index.local {
        quote!(Local)
    } else {
        quote!(Global)
    };
    let projection = projection(index, p);
    let sort_marker = index
        .keys
        .as_ref()
        .and_then(|keys| keys.sort.as_ref())
        .map(|key| {
            let field = key.field;
            let assert = sort_key_assert(key, p);
            quote_spanned! {key.span=>
                #[automatically_derived]
                impl #p::SortKeyOf<#ident, #number> for #p::FieldTag<#field> {}
                #assert
            }
        });
    quote! {
        #[automatically_derived]
        impl #p::HasIndex<#number> for #ident {
            type PartitionKey = #partition_ty;
            const INDEX: #p::IndexDef = #p::IndexDef {
                name: #name,
                kind: #p::IndexKind::#kind,
                partition: #partition,
                sort: #sort,
                projection: #projection,
            };
        }
        #sort_marker
    }
}

fn projection(index: &Index<'_>, p: &TokenStream) -> TokenStream {
    match &index.projection {
        Projection::All => quote!(#p::IndexProjection::All),
        Projection::KeysOnly => quote!(#p::IndexProjection::KeysOnly),
        // The stub of an invalid index: its list may be what is wrong.
        Projection::Include(_) if index.keys.is_none() => quote!(#p::IndexProjection::All),
        Projection::Include(names) => quote!(#p::IndexProjection::Include(&[#(#names),*])),
    }
}
