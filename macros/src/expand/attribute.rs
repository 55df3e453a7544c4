//! `#[derive(Attribute)]`: `ToAttribute` and `FromAttribute`, one function
//! per shape (a struct with named fields, a newtype, an enum of unit
//! variants, an internally or adjacently tagged enum with data), plus what
//! lets the type appear in typed paths.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use super::bound::where_clause;
use super::{
    attribute_names, decode_fields, decode_item, encode_field, encode_item, flatten_checks,
    flattens, handles, private_of,
};
use crate::model::{
    DataEnum, DataVariant, DeriveModel, Field, Read, Shape, UnitVariant, VariantData,
};

pub(super) fn expand(model: &DeriveModel<'_>) -> TokenStream {
    let p = &private_of(&model.krate);
    let shape = match &model.shape {
        Shape::Struct(fields) => named_struct(model, fields, p),
        Shape::Newtype(ty) => newtype(model, ty, p),
        Shape::UnitEnum(variants) => unit_enum(model, variants, p),
        Shape::DataEnum(data) if data.content.is_some() => adjacently_tagged(model, data, p),
        Shape::DataEnum(data) => internally_tagged(model, data, p),
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

    let all: Vec<&Field<'_>> = fields.iter().collect();
    let bounds = FieldBounds::of(&all, p);

    let stored: Vec<(&Field<'_>, TokenStream)> = fields
        .iter()
        .filter(|f| f.is_stored())
        .map(|field| {
            let member = field.member;
            (field, quote!(&self.#member))
        })
        .collect();
    let capacity = stored.len();
    let encode: Vec<TokenStream> = stored
        .iter()
        .map(|(field, value)| encode_field(field, value, p))
        .collect();
    let decode = decode_fields(fields, p);
    let names = attribute_names(&all, &[], &[], p);
    let checks = checks_in(model, flatten_checks(&all, &[], p));
    let flattens = flattens(generics, ident, &all, p);
    let map_impls = map_impls(
        model,
        MapCode {
            new_item: quote!(#p::Item::with_capacity(#capacity)),
            encode: quote!(#(#encode)*),
            decode: quote!(::core::result::Result::Ok(#ident { #(#decode,)* })),
            item: encode_item(&stored, 0, p),
            decode_owned: decode_item(&quote!(#ident), fields, p),
            names,
            checks,
            bounds: &bounds,
        },
        p,
    );
    quote! {
        #flattens

        #[automatically_derived]
        #[allow(dead_code)]
        impl #impl_generics #ident #ty_generics #own_where {
            #(#consts)*
        }

        #map_impls

        #[automatically_derived]
        impl #impl_generics #p::Nests<#ident #ty_generics> for #ident #ty_generics #own_where {}
    }
}

/// The bounds that the types of some fields put on type parameters, as
/// `where_clause` takes them.
struct FieldBounds<'a> {
    to: Vec<(Vec<&'a syn::Type>, TokenStream)>,
    from: Vec<(Vec<&'a syn::Type>, TokenStream)>,
}

impl<'a> FieldBounds<'a> {
    /// Written through their type (`ToAttribute`/`FromAttribute`),
    /// flattened (`Flatten`) or through serde (`SerdeField`); a `default`
    /// or `skip` field needs `Default`.
    fn of(fields: &[&Field<'a>], p: &TokenStream) -> Self {
        let stored = fields.iter().filter(|f| f.is_stored() && !f.converted());
        let plain: Vec<&syn::Type> = stored
            .clone()
            .filter(|f| !f.flatten)
            .map(|f| f.ty)
            .collect();
        let flat: Vec<&syn::Type> = stored.filter(|f| f.flatten).map(|f| f.ty).collect();
        let defaulted: Vec<&syn::Type> = fields
            .iter()
            .filter(|f| f.read != Read::Required)
            .map(|f| f.ty)
            .collect();
        let serde: Vec<&syn::Type> = fields
            .iter()
            .filter(|f| f.is_stored() && f.with.is_none() && f.serde.is_some())
            .map(|f| f.ty)
            .collect();
        let flatten = quote!(#p::Flatten);
        let serde_field = quote!(#p::SerdeField);
        FieldBounds {
            to: vec![
                (plain.clone(), quote!(#p::ToAttribute)),
                (flat.clone(), flatten.clone()),
                (serde.clone(), serde_field.clone()),
            ],
            from: vec![
                (plain, quote!(#p::FromAttribute)),
                (flat, flatten),
                (serde, serde_field),
                (defaulted, quote!(::core::default::Default)),
            ],
        }
    }

    fn add(
        &mut self,
        to: Vec<&'a syn::Type>,
        from: Vec<&'a syn::Type>,
        bound: (TokenStream, TokenStream),
    ) {
        self.to.push((to, bound.0));
        self.from.push((from, bound.1));
    }

    /// For an impl that both writes and reads.
    fn both(&self) -> Vec<(Vec<&'a syn::Type>, TokenStream)> {
        self.to.iter().chain(&self.from).cloned().collect()
    }
}

/// Collision checks of flattened fields, evaluated by the compiler: as a
/// constant item for a type without parameters, else inline where the
/// attributes are written, so each instance is checked.
fn checks_in(model: &DeriveModel<'_>, checks: Option<TokenStream>) -> Option<TokenStream> {
    let checks = checks?;
    Some(if model.generics.params.is_empty() {
        quote!(const _: () = { #checks };)
    } else {
        quote!(const { #checks };)
    })
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

/// `Self::Variant { a: __f0, b: __f1, .. }`, binding each stored field.
fn bind_struct(variant: &DataVariant<'_>, fields: &[Field<'_>]) -> (TokenStream, Vec<TokenStream>) {
    let ident = variant.ident;
    let mut pattern = Vec::new();
    let mut encodes = Vec::new();
    for (i, field) in fields.iter().enumerate().filter(|(_, f)| f.is_stored()) {
        let member = field.member;
        let binding = format_ident!("__f{}", i);
        pattern.push(quote!(#member: #binding));
        encodes.push(quote!(#binding));
    }
    (quote!(Self::#ident { #(#pattern,)* .. }), encodes)
}

/// The statements that write the variants of an enum with data into
/// `item`, and those that read them back: a `match` each.
struct EnumCode<'a> {
    encode: TokenStream,
    decode: TokenStream,
    names: TokenStream,
    checks: Option<TokenStream>,
    bounds: FieldBounds<'a>,
}

/// The map (`M`) with the variant's name under the tag and its fields
/// beside it; a newtype variant's type writes its own attributes there.
fn internally_tagged(model: &DeriveModel<'_>, data: &DataEnum<'_>, p: &TokenStream) -> TokenStream {
    let tag = data.tag.as_str();
    let mut arms = Vec::new();
    let mut decode_arms = Vec::new();
    let mut all_fields: Vec<&Field<'_>> = Vec::new();
    let mut newtypes: Vec<&syn::Type> = Vec::new();
    let mut checks = Vec::new();
    let tag_writer = [(tag, "the tag".to_owned())];
    for variant in &data.variants {
        let (ident, name) = (variant.ident, variant.name.as_str());
        match &variant.data {
            VariantData::Unit => {
                arms.push(quote!(Self::#ident => { #p::encode_tag(&mut item, #tag, #name); }));
                decode_arms.push(quote!(#name => ::core::result::Result::Ok(Self::#ident),));
            }
            VariantData::Struct(fields) => {
                let (pattern, bindings) = bind_struct(variant, fields);
                let encode = fields
                    .iter()
                    .filter(|f| f.is_stored())
                    .zip(&bindings)
                    .map(|(field, binding)| encode_field(field, binding, p));
                arms.push(quote!(#pattern => {
                    #p::encode_tag(&mut item, #tag, #name);
                    #(#encode)*
                }));
                let decode = decode_fields(fields, p);
                decode_arms.push(
                    quote!(#name => ::core::result::Result::Ok(Self::#ident { #(#decode,)* }),),
                );
                let refs: Vec<&Field<'_>> = fields.iter().collect();
                checks.extend(flatten_checks(&refs, &tag_writer, p));
                all_fields.extend(refs);
            }
            VariantData::Newtype(ty) => {
                let encode = quote_spanned!(ty.span()=> #p::encode_flattened::<#ty>);
                let decode = quote_spanned!(ty.span()=> #p::decode_flattened::<#ty>);
                arms.push(quote!(Self::#ident(__f0) => {
                    #p::encode_tag(&mut item, #tag, #name);
                    #encode(&mut item, __f0);
                }));
                decode_arms.push(
                    quote!(#name => ::core::result::Result::Ok(Self::#ident(#decode(&mut item)?)),),
                );
                let message = format!(
                    "attribute `{tag}` is written twice: by the tag and by variant `{ident}`'s value"
                );
                checks.push(quote_spanned! {ty.span()=>
                    if <#ty as #p::Flatten>::NAMES.contains(#tag) {
                        ::core::panic!(#message)
                    }
                });
                newtypes.push(ty);
            }
            // Reported by `check`: a tuple variant needs `content`.
            VariantData::Tuple(_) => {
                arms.push(quote!(Self::#ident(..) => {}));
            }
        }
    }
    let mut bounds = FieldBounds::of(&all_fields, p);
    let flatten = quote!(#p::Flatten);
    bounds.add(
        newtypes.clone(),
        newtypes.clone(),
        (flatten.clone(), flatten),
    );
    let names = attribute_names(&all_fields, &[tag], &newtypes, p);
    tagged_enum(
        model,
        data,
        EnumCode {
            encode: quote!(match self { #(#arms)* }),
            decode: quote!(#(#decode_arms)*),
            names,
            checks: (!checks.is_empty()).then(|| quote!(#(#checks)*)),
            bounds,
        },
        p,
    )
}

/// The map (`M`) with the variant's name under the tag and its data under
/// `content`: a struct variant's fields as a map, a newtype variant's value
/// as is, a tuple variant's as a list (`L`).
fn adjacently_tagged(model: &DeriveModel<'_>, data: &DataEnum<'_>, p: &TokenStream) -> TokenStream {
    let tag = data.tag.as_str();
    let content = data.content.as_deref().unwrap_or_default();
    let mut arms = Vec::new();
    let mut decode_arms = Vec::new();
    let mut all_fields: Vec<&Field<'_>> = Vec::new();
    let mut values: Vec<&syn::Type> = Vec::new();
    let mut checks = Vec::new();
    let in_content = quote!(|e: #p::DecodeError| e.in_field(#content));
    for variant in &data.variants {
        let (ident, name) = (variant.ident, variant.name.as_str());
        match &variant.data {
            VariantData::Unit => {
                arms.push(quote!(Self::#ident => { #p::encode_tag(&mut item, #tag, #name); }));
                decode_arms.push(quote!(#name => ::core::result::Result::Ok(Self::#ident),));
            }
            VariantData::Struct(fields) => {
                let (pattern, bindings) = bind_struct(variant, fields);
                let stored = fields.iter().filter(|f| f.is_stored()).count();
                let encode = fields
                    .iter()
                    .filter(|f| f.is_stored())
                    .zip(&bindings)
                    .map(|(field, binding)| encode_field(field, binding, p));
                arms.push(quote!(#pattern => {
                    #p::encode_tag(&mut item, #tag, #name);
                    let value = {
                        let mut item = #p::Item::with_capacity(#stored);
                        #(#encode)*
                        #p::AttributeValue::M(item)
                    };
                    #p::encode_with(&mut item, #content, value);
                }));
                let decode = decode_fields(fields, p);
                decode_arms.push(quote!(#name => {
                    let value = #p::take_content(&mut item, #content)?;
                    let mut item = ::core::result::Result::map_err(#p::decode_map::<Self>(value), #in_content)?;
                    ::core::result::Result::map_err(
                        (|| -> ::core::result::Result<Self, #p::DecodeError> {
                            ::core::result::Result::Ok(Self::#ident { #(#decode,)* })
                        })(),
                        #in_content,
                    )
                }));
                let refs: Vec<&Field<'_>> = fields.iter().collect();
                checks.extend(flatten_checks(&refs, &[], p));
                all_fields.extend(refs);
            }
            VariantData::Newtype(ty) => {
                arms.push(quote!(Self::#ident(__f0) => {
                    #p::encode_tag(&mut item, #tag, #name);
                    #p::put(&mut item, #content, #p::encode::<#ty>(__f0));
                }));
                decode_arms.push(quote!(#name => ::core::result::Result::Ok(Self::#ident(#p::decode::<#ty>(#p::take(&mut item, #content), #content)?)),));
                values.push(ty);
            }
            VariantData::Tuple(types) => {
                let bindings: Vec<syn::Ident> = (0..types.len())
                    .map(|i| format_ident!("__f{}", i))
                    .collect();
                let len = types.len();
                let indexes = 0..len;
                arms.push(quote!(Self::#ident(#(#bindings),*) => {
                    #p::encode_tag(&mut item, #tag, #name);
                    #p::encode_with(&mut item, #content, #p::encode_tuple([
                        #(<#types as #p::ToAttribute>::to_attribute(#bindings),)*
                    ]));
                }));
                decode_arms.push(quote!(#name => {
                    let value = #p::take_content(&mut item, #content)?;
                    let mut values = ::core::result::Result::map_err(#p::decode_tuple::<Self>(value, #len), #in_content)?;
                    ::core::result::Result::Ok(Self::#ident(#(
                        ::core::result::Result::map_err(#p::decode_element::<#types>(&mut values, #indexes), #in_content)?,
                    )*))
                }));
                values.extend(types.iter().copied());
            }
        }
    }
    let mut bounds = FieldBounds::of(&all_fields, p);
    bounds.add(
        values.clone(),
        values,
        (quote!(#p::ToAttribute), quote!(#p::FromAttribute)),
    );
    // The variants' fields are inside the content map: only the tag and
    // the content are beside the enclosing attributes.
    let names = attribute_names(&[], &[tag, content], &[], p);
    tagged_enum(
        model,
        data,
        EnumCode {
            encode: quote!(match self { #(#arms)* }),
            decode: quote!(#(#decode_arms)*),
            names,
            checks: (!checks.is_empty()).then(|| quote!(#(#checks)*)),
            bounds,
        },
        p,
    )
}

/// The impls of an enum with data, around the code of its tagging.
fn tagged_enum(
    model: &DeriveModel<'_>,
    data: &DataEnum<'_>,
    code: EnumCode<'_>,
    p: &TokenStream,
) -> TokenStream {
    let EnumCode {
        encode,
        decode,
        names,
        checks,
        ..
    } = code;
    let checks = checks_in(model, checks);
    let tag = data.tag.as_str();
    let variant_names = data.variants.iter().map(|v| v.name.as_str());
    let decode = quote! {
        let tag = #p::decode_tag::<Self>(&mut item, #tag)?;
        match #p::String::as_str(&tag) {
            #decode
            other => ::core::result::Result::Err(
                #p::unknown_tag::<Self>(#tag, other, &[#(#variant_names),*]),
            ),
        }
    };
    map_impls(
        model,
        MapCode {
            new_item: quote!(#p::Item::new()),
            encode,
            decode,
            item: None,
            decode_owned: None,
            names,
            checks,
            bounds: &code.bounds,
        },
        p,
    )
}

/// What a type stored as a map of attributes (a struct, or an enum with
/// data) writes and reads; `map_impls` wraps it in the impls both share.
struct MapCode<'b, 'a> {
    /// The empty item `encode` writes into.
    new_item: TokenStream,
    /// Statements writing the value's attributes into `item`.
    encode: TokenStream,
    /// An expression reading the value from `item`, a `Result`.
    decode: TokenStream,
    /// An expression of the whole item, when the type has a faster way
    /// to make it than writing into `new_item`.
    item: Option<TokenStream>,
    /// Statements reading the value from `item`, an `Item` the function
    /// owns, ending in a `Result`, when the type has a faster way to read
    /// it than `decode`.
    decode_owned: Option<TokenStream>,
    names: TokenStream,
    checks: Option<TokenStream>,
    bounds: &'b FieldBounds<'a>,
}

/// `ToAttribute` (an `M`), `FromAttribute` and `Flatten` for a type stored
/// as a map of attributes.
fn map_impls(model: &DeriveModel<'_>, code: MapCode<'_, '_>, p: &TokenStream) -> TokenStream {
    let ident = model.ident;
    let generics = model.generics;
    let (impl_generics, ty_generics, _) = generics.split_for_impl();
    let to_where = where_clause(generics, &code.bounds.to);
    let from_where = where_clause(generics, &code.bounds.from);
    let flatten_where = where_clause(generics, &code.bounds.both());
    let MapCode {
        new_item,
        encode,
        decode,
        item,
        decode_owned,
        names,
        checks,
        ..
    } = code;
    let item = item.unwrap_or_else(|| {
        quote! {{
            let mut item = #new_item;
            #encode
            item
        }}
    });
    let decode_owned = decode_owned.unwrap_or_else(|| decode.clone());
    quote! {
        #[automatically_derived]
        impl #impl_generics #p::ToAttribute for #ident #ty_generics #to_where {
            #[allow(unused_mut)]
            fn to_attribute(&self) -> #p::AttributeValue {
                #p::AttributeValue::M(#item)
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
                #decode_owned
            }
        }

        #[automatically_derived]
        impl #impl_generics #p::Flatten for #ident #ty_generics #flatten_where {
            const NAMES: #p::AttributeNames = #names;

            #[allow(unused_mut)]
            fn encode_into(&self, mut item: &mut #p::Item) {
                #checks
                #encode
            }

            #[allow(unused_mut)]
            fn decode_from(
                mut item: &mut #p::Item,
            ) -> ::core::result::Result<Self, #p::DecodeError> {
                #decode
            }
        }
    }
}
