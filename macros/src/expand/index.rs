//! Index handles (`User::BY_EMAIL`), `HasIndex` impls and sort-key markers.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};

use super::key::{key_asserts, key_def, partition_key_type};
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
        .map(|(position, index)| has_index(model, table, index, position + 1, p));
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
fn has_index(
    model: &Model<'_>,
    table: &Table<'_>,
    index: &Index<'_>,
    number: usize,
    p: &TokenStream,
) -> TokenStream {
    let ident = model.ident;
    let name = &index.name;
    let (partition_ty, partition, sort) = match &index.keys {
        Some(keys) => {
            let partition = keys.partition.iter().map(|key| key_def(key, p));
            let sort = keys.sort.iter().map(|key| key_def(key, p));
            (
                partition_key_type(&keys.partition),
                quote!(&[#(#partition),*]),
                quote!(&[#(#sort),*]),
            )
        }
        // A stub: the definition does not compile anyway, and the declared
        // keys may be what is wrong.
        None => (
            quote!(#p::String),
            quote!(&[#p::FALLBACK_KEY_SCHEMA.partition]),
            quote!(&[]),
        ),
    };
    let kind = if index.local {
        quote!(Local)
    } else {
        quote!(Global)
    };
    let projection = projection(index, table, p);
    // A local index's partition key is the table's, checked there.
    let asserts: TokenStream = index
        .keys
        .iter()
        .flat_map(|keys| {
            keys.partition
                .iter()
                .filter(|_| !index.local)
                .chain(&keys.sort)
        })
        .map(|key| key_asserts(key, p))
        .collect();
    let sort_marker = index.keys.as_ref().map(|keys| match keys.sort.as_slice() {
        [] => TokenStream::new(),
        [key] => match key.condition_field() {
            Some(field) => quote_spanned! {key.span=>
                #[automatically_derived]
                impl #p::SortKeyOf<#ident, #number> for #p::FieldTag<#field> {}
            },
            None => TokenStream::new(),
        },
        many => multi_sort_steps(ident, number, many, p),
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
        #asserts
    }
}

/// The index's projection; for an entity, with the entity attribute, which
/// reads of the index filter on.
fn projection(index: &Index<'_>, table: &Table<'_>, p: &TokenStream) -> TokenStream {
    let entity = table.entity.as_ref().map(|(attribute, _)| attribute);
    match &index.projection {
        Projection::All => quote!(#p::IndexProjection::All),
        // The stub of an invalid index: its list may be what is wrong.
        Projection::Include(_) if index.keys.is_none() => quote!(#p::IndexProjection::All),
        Projection::KeysOnly => match entity {
            None => quote!(#p::IndexProjection::KeysOnly),
            Some(entity) => quote!(#p::IndexProjection::Include(&[#entity])),
        },
        Projection::Include(names) => {
            let entity = entity.filter(|e| !names.contains(e)).into_iter();
            quote!(#p::IndexProjection::Include(&[#(#names,)* #(#entity)*]))
        }
    }
}

/// The conditions a multi-attribute sort key takes, in order: on attribute
/// `k` after `eq` on the `k` before it, `eq` (which leaves room for the
/// next) or a range (which ends the key condition).
fn multi_sort_steps(
    ident: &syn::Ident,
    number: usize,
    keys: &[crate::model::Key<'_>],
    p: &TokenStream,
) -> TokenStream {
    let last = keys.len() - 1;
    keys.iter()
        .enumerate()
        .filter_map(|(k, key)| Some((k, key, key.condition_field()?)))
        .map(|(k, key, field)| {
            let state = if k == 0 {
                quote!(#p::NoSort)
            } else {
                quote!(#p::SortPrefix<#k>)
            };
            let after_eq = if k == last {
                quote!(#p::Sorted)
            } else {
                let next = k + 1;
                quote!(#p::SortPrefix<#next>)
            };
            quote_spanned! {key.span=>
                #[automatically_derived]
                impl #p::SortStep<#ident, #number, #state> for #p::Equal<#p::FieldTag<#field>> {
                    type Next = #after_eq;
                }
                #[automatically_derived]
                impl #p::SortStep<#ident, #number, #state> for #p::FieldTag<#field> {
                    type Next = #p::Sorted;
                }
            }
        })
        .collect()
}
