//! `#[derive(Collection)]`: an enum whose variants each hold one resource
//! of a shared table. Small enough for one module: the shape is checked
//! here, and what only the compiler can tell (the resources' tables,
//! partition keys and entities) by constant assertions at each variant.

use proc_macro2::{Span, TokenStream};
use quote::{quote, ToTokens};
use syn::spanned::Spanned;

use crate::attr::Container;
use crate::ctxt::Ctxt;
use crate::symbol::*;

/// The arguments `#[resource(...)]` takes on a collection.
const COLLECTION_ARGS: &[&str] = &[CRATE];

pub(crate) fn derive(input: TokenStream) -> TokenStream {
    let input: syn::DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    let cx = Ctxt::new();
    let attrs = Container::from_args(&cx, TokenStream::new(), &input.attrs, COLLECTION_ARGS);
    let krate = attrs
        .krate
        .clone()
        .unwrap_or_else(|| syn::parse_quote!(::resourceful));
    let variants = check(&cx, &input);
    let generated = variants.map(|variants| expand(&input, &krate, &variants));
    match cx.check() {
        Ok(()) => generated.unwrap_or_default(),
        Err(errors) => errors,
    }
}

/// A variant and the resource it holds.
struct Member<'a> {
    ident: &'a syn::Ident,
    ty: &'a syn::Type,
}

fn check<'a>(cx: &Ctxt, input: &'a syn::DeriveInput) -> Option<Vec<Member<'a>>> {
    let syn::Data::Enum(data) = &input.data else {
        cx.error_spanned_by(
            &input.ident,
            "`#[derive(Collection)]` takes an enum with one variant per resource\n\
             help: write `enum OrgMembers { Org(Org), User(User) }`",
        );
        return None;
    };
    if !input.generics.params.is_empty() {
        cx.error_spanned_by(
            &input.generics,
            "a collection cannot be generic: its variants hold concrete resources",
        );
        return None;
    }
    if data.variants.is_empty() {
        cx.error_spanned_by(
            &input.ident,
            "a collection needs a variant per resource\nhelp: write `enum OrgMembers { Org(Org), User(User) }`",
        );
        return None;
    }
    let mut members = Vec::new();
    for variant in &data.variants {
        match &variant.fields {
            syn::Fields::Unnamed(fields) if fields.unnamed.len() == 1 => members.push(Member {
                ident: &variant.ident,
                ty: &fields.unnamed[0].ty,
            }),
            _ => cx.error_spanned_by(
                variant,
                format!(
                    "variant `{}` must hold one resource: `{}(SomeResource)`",
                    variant.ident, variant.ident
                ),
            ),
        }
    }
    (members.len() == data.variants.len()).then_some(members)
}

/// `const _: () = assert!(…, "…");` at `span`.
fn assert_at(span: Span, condition: TokenStream, message: &str) -> TokenStream {
    let assert = quote!(
        const _: () = ::core::assert!(#condition, #message);
    );
    crate::expand::located_at(assert, span)
}

fn expand(input: &syn::DeriveInput, krate: &syn::Path, members: &[Member<'_>]) -> TokenStream {
    let p = quote!(#krate::__private);
    let ident = &input.ident;
    let vis = &input.vis;
    let first = members[0].ty;
    let types: Vec<&syn::Type> = members.iter().map(|m| m.ty).collect();
    let variants: Vec<&syn::Ident> = members.iter().map(|m| m.ident).collect();
    let mut asserts = TokenStream::new();
    for (i, member) in members.iter().enumerate() {
        let ty = member.ty;
        let span = ty.span();
        asserts.extend(assert_at(
            span,
            quote!(!#p::entity_name::<#ty>().is_empty()),
            "every resource of a collection has an entity: add `entity = \"...\"` to its `#[resource(...)]`",
        ));
        if i == 0 {
            continue;
        }
        asserts.extend(assert_at(
            span,
            quote!(#p::same_str(<#first as #p::Resource>::TABLE_NAME, <#ty as #p::Resource>::TABLE_NAME)),
            "the resources of a collection share one table: this variant's resource has another `table = \"...\"` than the first variant's",
        ));
        asserts.extend(assert_at(
            span,
            quote!(#p::same_partition::<#first, #ty>()),
            "the resources of a collection share one partition key: this variant's resource has another partition key attribute or template than the first variant's",
        ));
        // The same partition key type, so that one value queries them all.
        let same_type = quote! {
            const _: () = #p::assert_same_partition_key::<
                <#first as #p::Resource>::PartitionKey,
                <#ty as #p::Resource>::PartitionKey,
            >();
        };
        asserts.extend(crate::expand::located_at(same_type, span));
        for earlier in &members[..i] {
            let other = earlier.ty;
            asserts.extend(assert_at(
                span,
                quote!(#p::distinct_entities::<#other, #ty>()),
                "the resources of a collection have entities of their own names, in the same entity attribute: this variant's resource repeats an earlier variant's entity, or names another `entity_attr`",
            ));
        }
    }
    let numbers: Vec<usize> = (0..members.len()).collect();
    let query_doc = format!(
        "Reads one partition of the shared table (named in `{}`'s definition), each item as the variant of its entity.",
        first.to_token_stream()
    );
    quote! {
        #asserts

        #[automatically_derived]
        impl #p::Collection for #ident {
            type Table = #first;
            const ENTITIES: &'static [&'static ::core::primitive::str] =
                &[#( #p::entity_name::<#types>() ),*];
            const INDEXES: &'static [&'static [#p::IndexDef]] =
                &[#( <#types as #p::Resource>::INDEXES ),*];

            fn from_item(item: #p::Item) -> ::core::result::Result<Self, #p::DecodeError> {
                let entity = #p::entity_of::<#first>(&item)?;
                let variant = #(
                    if entity == #p::entity_name::<#types>() { #numbers } else
                )* {
                    return ::core::result::Result::Err(#p::unknown_entity::<Self>(entity));
                };
                match variant {
                    #( #numbers => <#types as #p::Resource>::from_item(item).map(#ident::#variants), )*
                    _ => ::core::unreachable!(),
                }
            }
        }

        // A change's key is the key attributes as stored: a `keys_only`
        // record does not say which entity it was.
        #[automatically_derived]
        impl #p::ChangeItem for #ident {
            type Key = #p::Item;

            fn from_image(image: #p::Item) -> ::core::result::Result<Self, #p::DecodeError> {
                <Self as #p::Collection>::from_item(image)
            }

            fn key_of(
                keys: #p::Item,
                _old: ::core::option::Option<&Self>,
            ) -> ::core::result::Result<#p::Item, #p::DecodeError> {
                ::core::result::Result::Ok(keys)
            }
        }

        #[automatically_derived]
        #[allow(dead_code)]
        impl #ident {
            #[doc = #query_doc]
            #vis fn query(
                client: &#p::Client,
                partition: impl #p::PartitionValue<<#first as #p::Resource>::PartitionKey>,
            ) -> #p::Query<#first, 0, Self> {
                #p::collection_query::<Self>(&#p::Table::<#first>::new(client), partition)
            }

            /// Reads one partition of `table` (the shared table under any
            /// name), each item as the variant of its entity.
            #vis fn query_in(
                table: &#p::Table<#first>,
                partition: impl #p::PartitionValue<<#first as #p::Resource>::PartitionKey>,
            ) -> #p::Query<#first, 0, Self> {
                #p::collection_query::<Self>(table, partition)
            }

            /// Creates the shared table, with the indexes of every
            /// resource of the collection, and waits until it is active.
            #vis async fn create(client: &#p::Client) -> #p::Result<()> {
                #p::create_collection::<Self>(&#p::Table::<#first>::new(client)).await
            }

            /// The creation of `table` (the shared table under any name),
            /// with the indexes of every resource of the collection; its
            /// options can be set before it is awaited.
            #vis fn create_in(table: &#p::Table<#first>) -> #p::CreateTable<'_, #first> {
                #p::create_collection::<Self>(table)
            }
        }
    }
}
