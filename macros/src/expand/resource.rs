//! `impl Resource for User`: table, key schema, indexes, and the item
//! conversions.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use super::key::{key_asserts, key_def, key_fields, key_type, partition_key_type, template_tokens};
use super::{
    attribute_names, decode_fields, decode_item, encode_field, encode_item, flatten_checks,
    flattens, inherent, key_ident, optional, private,
};
use crate::model::{Field, Model, Table};

pub(super) fn expand(model: &Model<'_>, table: &Table<'_>) -> TokenStream {
    let p = &private(model);
    let inherent = inherent(model, p);
    let indexes = super::index::expand(model, table, p);
    let version_asserts = version_asserts(model, p);
    let sort_key_marker = sort_key_marker(model, table, p);
    let key_type = key_type(model, table, p);
    let resource_impl = resource_impl(model, table, p);
    let unversioned = unversioned(model, table, p);
    let key_asserts: TokenStream = std::iter::once(&table.partition)
        .chain(&table.sort)
        .map(|key| key_asserts(key, p))
        .collect();
    let flatten_asserts = flatten_asserts(model, p);
    quote! {
        #flatten_asserts
        #inherent
        #indexes
        #(#version_asserts)*
        #sort_key_marker
        #key_asserts

        #key_type

        #resource_impl
        #unversioned
    }
}

/// `impl Unversioned`, for a resource without a `version` field: what lets
/// a plain batch writer put its items.
fn unversioned(model: &Model<'_>, table: &Table<'_>, p: &TokenStream) -> Option<TokenStream> {
    let ident = model.ident;
    table.version.is_none().then(|| {
        quote! {
            #[automatically_derived]
            impl #p::Unversioned for #ident {}
        }
    })
}

fn resource_impl(model: &Model<'_>, table: &Table<'_>, p: &TokenStream) -> TokenStream {
    let ident = model.ident;
    let key_ident = key_ident(model);
    let table_name = &model.table;
    let partition_ty = partition_key_type(std::slice::from_ref(&table.partition));
    let partition_def = key_def(&table.partition, p);
    let sort_def = optional(table.sort.as_ref().map(|key| key_def(key, p)));
    let attribute = |field: Option<usize>| {
        optional(field.map(|i| {
            let name = &model.fields[i].attribute;
            quote!(#name)
        }))
    };
    let version_attribute = attribute(table.version);
    let ttl_attribute = attribute(table.ttl);
    // Spanned on the field's type: a type that cannot hold a timestamp is
    // reported there, with `TimestampValue`'s explanation.
    let timestamp = |field: Option<usize>| {
        optional(field.map(|i| {
            let field = &model.fields[i];
            let (name, ty) = (&field.attribute, field.ty);
            let now = quote_spanned!(ty.span()=> <#ty as #p::TimestampValue>::now);
            quote!(#p::Timestamp { name: #name, now: #now })
        }))
    };
    let created_at = timestamp(table.created_at);
    let updated_at = timestamp(table.updated_at);
    let attributes = resource_attributes(model, p);
    let index_numbers = 1..=table.indexes.len();
    let key_members: Vec<&syn::Ident> = key_fields(model, table).iter().map(|f| f.member).collect();
    let computed = table.computed().into_iter().map(|(attribute, template)| {
        let template = template_tokens(model, template, p);
        quote!(#p::Computed { attribute: #attribute, template: #template })
    });
    let entity = optional(
        table
            .entity
            .as_ref()
            .map(|(attribute, name)| quote!(#p::Entity { attribute: #attribute, name: #name })),
    );
    let completes = !table.computed().is_empty() || table.entity.is_some();
    let to_item = to_item(model, completes, p);
    let from_item = from_item(model, table.entity.is_some(), p);
    quote! {
        #[automatically_derived]
        impl #p::Resource for #ident {
            type Key = #key_ident;
            type PartitionKey = #partition_ty;
            const TABLE_NAME: &'static ::core::primitive::str = #table_name;
            const KEY_SCHEMA: #p::KeySchema = #p::KeySchema {
                partition: #partition_def,
                sort: #sort_def,
            };
            const VERSION_ATTRIBUTE: ::core::option::Option<&'static ::core::primitive::str> = #version_attribute;
            const TTL_ATTRIBUTE: ::core::option::Option<&'static ::core::primitive::str> = #ttl_attribute;
            const CREATED_AT: ::core::option::Option<#p::Timestamp> = #created_at;
            const UPDATED_AT: ::core::option::Option<#p::Timestamp> = #updated_at;
            const ATTRIBUTES: &'static [&'static ::core::primitive::str] = #attributes;
            const INDEXES: &'static [#p::IndexDef] = &[
                #( <#ident as #p::HasIndex<#index_numbers>>::INDEX ),*
            ];
            const COMPUTED: &'static [#p::Computed] = &[#(#computed),*];
            const ENTITY: ::core::option::Option<#p::Entity> = #entity;

            #to_item

            #from_item

            fn key(&self) -> #key_ident {
                #key_ident {
                    #( #key_members: ::core::clone::Clone::clone(&self.#key_members), )*
                }
            }
        }
    }
}

/// The stored attribute names, with those of flattened fields.
fn resource_attributes(model: &Model<'_>, p: &TokenStream) -> TokenStream {
    let fields: Vec<&Field<'_>> = model.fields.iter().collect();
    if !fields.iter().any(|f| f.flatten) {
        let names = fields
            .iter()
            .filter(|f| f.has_attribute())
            .map(|f| &f.attribute);
        return quote!(&[#(#names),*]);
    }
    let names = attribute_names(&fields, &[], &[], p);
    quote!({
        const NAMES: #p::AttributeNames = #names;
        &NAMES.list::<{ NAMES.count() }>()
    })
}

/// A resource is never generic: its collision checks are a constant.
fn flatten_asserts(model: &Model<'_>, p: &TokenStream) -> Option<TokenStream> {
    let fields: Vec<&Field<'_>> = model.fields.iter().collect();
    let flattens = flattens(&syn::Generics::default(), model.ident, &fields, p);
    flatten_checks(&fields, &[], p).map(|checks| {
        quote! {
            const _: () = { #checks };
            #flattens
        }
    })
}

/// `completes`: the item also gets computed keys or the entity attribute.
fn to_item(model: &Model<'_>, completes: bool, p: &TokenStream) -> TokenStream {
    let stored: Vec<(&Field<'_>, TokenStream)> = model
        .fields
        .iter()
        .filter(|f| f.is_stored())
        .map(|field| {
            let member = field.member;
            (field, quote!(&self.#member))
        })
        .collect();
    let extra = if completes { 4 } else { 0 };
    let item = encode_item(&stored, extra, p).unwrap_or_else(|| {
        let capacity = stored.len() + extra;
        let encode = stored
            .iter()
            .map(|(field, value)| encode_field(field, value, p));
        quote! {{
            let mut item = #p::Item::with_capacity(#capacity);
            #(#encode)*
            item
        }}
    });
    let complete = completes.then(|| quote!(#p::complete_item::<Self>(&mut item);));
    quote! {
        fn to_item(&self) -> #p::Item {
            #[allow(unused_mut)]
            let mut item = #item;
            #complete
            item
        }
    }
}

/// `entity`: the item must be of the resource's entity.
fn from_item(model: &Model<'_>, entity: bool, p: &TokenStream) -> TokenStream {
    let ident = model.ident;
    let check = entity.then(|| quote!(#p::check_entity::<Self>(&item)?;));
    let decode = decode_item(&quote!(#ident), &model.fields, p).unwrap_or_else(|| {
        let decode = decode_fields(&model.fields, p);
        quote!(::core::result::Result::Ok(#ident { #(#decode,)* }))
    });
    quote! {
        #[allow(unused_mut)]
        fn from_item(mut item: #p::Item) -> ::core::result::Result<Self, #p::DecodeError> {
            #check
            #decode
        }
    }
}

/// `const _: () = assert_version::<T>();` for each `version` field, spanned
/// on its type.
fn version_asserts<'m>(
    model: &'m Model<'_>,
    p: &'m TokenStream,
) -> impl Iterator<Item = TokenStream> + 'm {
    model
        .fields
        .iter()
        .filter(|f| f.assert_version)
        .map(move |f| {
            let ty = f.ty;
            quote_spanned!(ty.span()=> const _: () = #p::assert_version::<#ty>();)
        })
}

/// Marks the table's sort key field as one a key condition may name.
/// Spanned on `sort_key = "…"`: when a key condition names another
/// attribute, the compiler points there as the attribute that would do.
fn sort_key_marker(model: &Model<'_>, table: &Table<'_>, p: &TokenStream) -> Option<TokenStream> {
    let ident = model.ident;
    let key = table.sort.as_ref()?;
    let index = key.condition_field()?;
    Some(quote_spanned! {key.span=>
        #[automatically_derived]
        impl #p::SortKeyOf<#ident, 0> for #p::FieldTag<#index> {}
    })
}
