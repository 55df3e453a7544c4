//! `#[derive(Attribute)]`: `ToAttribute` and `FromAttribute`, one function
//! per shape (a struct with named fields, a newtype, an enum of unit
//! variants), plus what lets the type appear in typed paths.

use proc_macro2::TokenStream;
use quote::quote;

use super::bound::where_clause;
use super::{decode_field, encode_field, handles, private_of};
use crate::model::{DeriveModel, Field, Read, Shape, UnitVariant};

pub(super) fn expand(model: &DeriveModel<'_>) -> TokenStream {
    let p = &private_of(&model.krate);
    let shape = match &model.shape {
        Shape::Struct(fields) => named_struct(model, fields, p),
        Shape::Newtype(ty) => newtype(model, ty, p),
        Shape::UnitEnum(variants) => unit_enum(model, variants, p),
    };
    let list_element = list_element(model, p);
    quote! {
        #shape
        #list_element
    }
}

/// `Vec<T>` of the type is a list (L), whose elements `at` reaches.
fn list_element(model: &DeriveModel<'_>, p: &TokenStream) -> TokenStream {
    let ident = model.ident;
    let (impl_generics, ty_generics, where_clause) = model.generics.split_for_impl();
    quote! {
        #[automatically_derived]
        impl #impl_generics #p::ListElement for #ident #ty_generics #where_clause {}
    }
}

/// A map (`M`) of the stored fields, with a handle per field and `then`
/// into it from the attributes that hold it.
fn named_struct(model: &DeriveModel<'_>, fields: &[Field<'_>], p: &TokenStream) -> TokenStream {
    let ident = model.ident;
    let vis = model.vis;
    let generics = model.generics;
    let (impl_generics, ty_generics, own_where) = generics.split_for_impl();
    let owner = quote!(#ident #ty_generics);
    let consts = handles(&owner, fields, vis, p);

    let stored: Vec<&Field<'_>> = fields.iter().filter(|f| f.is_stored()).collect();
    let converted: Vec<&syn::Type> = stored
        .iter()
        .filter(|f| f.with.is_none())
        .map(|f| f.ty)
        .collect();
    let defaulted: Vec<&syn::Type> = fields
        .iter()
        .filter(|f| f.read != Read::Required)
        .map(|f| f.ty)
        .collect();
    let to_where = where_clause(generics, &[(converted.clone(), quote!(#p::ToAttribute))]);
    let from_where = where_clause(
        generics,
        &[
            (converted, quote!(#p::FromAttribute)),
            (defaulted, quote!(::core::default::Default)),
        ],
    );

    let capacity = stored.len();
    let encode = stored.iter().map(|field| encode_field(field, p));
    let decode = fields.iter().map(|field| decode_field(field, p));
    quote! {
        #[automatically_derived]
        #[allow(dead_code)]
        impl #impl_generics #ident #ty_generics #own_where {
            #(#consts)*
        }

        #[automatically_derived]
        impl #impl_generics #p::ToAttribute for #ident #ty_generics #to_where {
            #[allow(unused_mut)]
            fn to_attribute(&self) -> #p::AttributeValue {
                let mut item = #p::Item::with_capacity(#capacity);
                #(#encode)*
                #p::AttributeValue::M(item)
            }
        }

        #[automatically_derived]
        impl #impl_generics #p::FromAttribute for #ident #ty_generics #from_where {
            const EXPECTED: &'static ::core::primitive::str = "M";

            #[allow(unused_mut)]
            fn from_attribute(
                value: #p::AttributeValue,
            ) -> ::core::result::Result<Self, #p::DecodeError> {
                let mut item = #p::decode_map::<Self>(value)?;
                ::core::result::Result::Ok(#ident {
                    #(#decode,)*
                })
            }
        }

        #[automatically_derived]
        impl #impl_generics #p::Nests<#ident #ty_generics> for #ident #ty_generics #own_where {}
    }
}

/// Exactly the inner value; a key, and a prefix for `begins_with`, when the
/// inner type is one.
fn newtype(model: &DeriveModel<'_>, ty: &syn::Type, p: &TokenStream) -> TokenStream {
    let ident = model.ident;
    let generics = model.generics;
    let (impl_generics, ty_generics, _) = generics.split_for_impl();
    let inner = [ty];
    let to_where = where_clause(generics, &[(inner.to_vec(), quote!(#p::ToAttribute))]);
    let from_where = where_clause(generics, &[(inner.to_vec(), quote!(#p::FromAttribute))]);
    // `for<'__r>` keeps the bound from being checked where the impl is
    // declared: a newtype of a type that is not a key (or a prefix) is
    // simply not one, and only a use as a key is an error.
    let conditional = |bound: TokenStream| {
        let own = where_clause(generics, &[]);
        let own = if own.is_empty() {
            quote!(where)
        } else {
            quote!(#own)
        };
        quote!(#own for<'__r> #ty: #bound)
    };
    let key_where = conditional(quote!(#p::KeyAttribute));
    let prefix_where = conditional(quote!(#p::Prefixed));
    quote! {
        #[automatically_derived]
        impl #impl_generics #p::ToAttribute for #ident #ty_generics #to_where {
            fn to_attribute(&self) -> #p::AttributeValue {
                #p::ToAttribute::to_attribute(&self.0)
            }
            fn is_absent(&self) -> ::core::primitive::bool {
                #p::ToAttribute::is_absent(&self.0)
            }
        }

        #[automatically_derived]
        impl #impl_generics #p::FromAttribute for #ident #ty_generics #from_where {
            const EXPECTED: &'static ::core::primitive::str = <#ty as #p::FromAttribute>::EXPECTED;

            fn from_attribute(
                value: #p::AttributeValue,
            ) -> ::core::result::Result<Self, #p::DecodeError> {
                ::core::result::Result::map(<#ty as #p::FromAttribute>::from_attribute(value), #ident)
            }
            fn from_absent() -> ::core::option::Option<Self> {
                ::core::option::Option::map(<#ty as #p::FromAttribute>::from_absent(), #ident)
            }
        }

        // No `#[diagnostic::do_not_recommend]`: the `diagnostic` tool
        // namespace is not there in a `#![no_implicit_prelude]` module.
        #[automatically_derived]
        impl #impl_generics #p::KeyAttribute for #ident #ty_generics #key_where {
            const KEY_TYPE: #p::ScalarType = <#ty as #p::KeyAttribute>::KEY_TYPE;
        }

        #[automatically_derived]
        impl #impl_generics #p::Prefixed for #ident #ty_generics #prefix_where {}
    }
}

/// A string (`S`) naming the variant; usable as a key.
fn unit_enum(
    model: &DeriveModel<'_>,
    variants: &[UnitVariant<'_>],
    p: &TokenStream,
) -> TokenStream {
    let ident = model.ident;
    let (impl_generics, ty_generics, where_clause) = model.generics.split_for_impl();
    let idents: Vec<&syn::Ident> = variants.iter().map(|v| v.ident).collect();
    let names: Vec<&String> = variants.iter().map(|v| &v.name).collect();
    quote! {
        #[automatically_derived]
        impl #impl_generics #p::ToAttribute for #ident #ty_generics #where_clause {
            fn to_attribute(&self) -> #p::AttributeValue {
                #p::AttributeValue::S(::core::convert::From::from(match self {
                    #( Self::#idents => #names, )*
                }))
            }
        }

        #[automatically_derived]
        impl #impl_generics #p::FromAttribute for #ident #ty_generics #where_clause {
            const EXPECTED: &'static ::core::primitive::str = "S";

            fn from_attribute(
                value: #p::AttributeValue,
            ) -> ::core::result::Result<Self, #p::DecodeError> {
                let name = #p::decode_variant::<Self>(value)?;
                match #p::String::as_str(&name) {
                    #( #names => ::core::result::Result::Ok(Self::#idents), )*
                    other => ::core::result::Result::Err(
                        #p::unknown_variant::<Self>(other, &[#(#names),*]),
                    ),
                }
            }
        }

        #[automatically_derived]
        impl #impl_generics #p::KeyAttribute for #ident #ty_generics #where_clause {
            const KEY_TYPE: #p::ScalarType = #p::ScalarType::S;
        }
    }
}
