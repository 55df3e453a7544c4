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
pub(crate) fn located_at(tokens: TokenStream, span: Span) -> TokenStream {
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
        .filter(|(_, f)| f.has_attribute())
        .map(move |(index, field)| {
            let name = &field.handle;
            let ty = if field.converted() {
                quote!(#p::AttributeValue)
            } else {
                field.ty.to_token_stream()
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

/// The `with` module a field goes through, at the `with` string.
fn codec(field: &Field<'_>) -> Option<(TokenStream, Span)> {
    field
        .with
        .as_ref()
        .map(|module| (module.to_token_stream(), module.span()))
}

/// `serde_codec::<FieldType>()` for a `serde` field, spanned on the `serde`
/// word: a type that cannot go through serde, or a build without the
/// `serde` feature, is reported there, once for the writing and the
/// reading code.
fn serde_codec(field: &Field<'_>, p: &TokenStream) -> Option<TokenStream> {
    field.serde.map(|span| {
        // The type too: the compiler reports an unmet bound on the type
        // argument.
        let ty = located_at(field.ty.to_token_stream(), span);
        quote_spanned!(span=> #p::serde_codec::<#ty>())
    })
}

/// `module::function`, spanned on the `with = "module"` string: a module
/// without the function, or with one of another signature, is reported
/// there.
fn codec_function((module, span): &(TokenStream, Span), function: &str) -> TokenStream {
    let span = *span;
    let function = syn::Ident::new(function, span);
    quote_spanned!(span=> #module::#function)
}

/// The value `field` writes, an `Option<AttributeValue>` (`None` leaves
/// the attribute out); `value` is a reference to the field's value. Not
/// for a flattened field, which writes attributes of its own. Helpers are
/// called with the field's type spelt out (`::<#ty>`): a type that cannot
/// be stored is then reported on the field's type, not on the whole
/// attribute.
fn field_value(field: &Field<'_>, value: &TokenStream, p: &TokenStream) -> TokenStream {
    let ty = field.ty;
    if let Some(module) = codec(field) {
        let to_attribute = codec_function(&module, "to_attribute");
        quote!(::core::option::Option::Some(#to_attribute(#value)))
    } else if let Some(codec) = serde_codec(field, p) {
        quote!(#codec.encode(#value))
    } else if field.ttl {
        let encode = quote_spanned!(ty.span()=> #p::encode_ttl_field::<#ty>);
        quote!(#encode(#value))
    } else {
        quote!(#p::encode::<#ty>(#value))
    }
}

/// The statement that writes `field` into `item` (an `Item`, or a mutable
/// binding of a `&mut Item`, in scope); `value` is a reference to the
/// field's value.
fn encode_field(field: &Field<'_>, value: &TokenStream, p: &TokenStream) -> TokenStream {
    if field.flatten {
        let ty = field.ty;
        let encode = quote_spanned!(ty.span()=> #p::encode_flattened::<#ty>);
        quote!(#encode(&mut item, #value);)
    } else {
        let name = &field.attribute;
        let value = field_value(field, value, p);
        quote!(#p::put(&mut item, #name, #value);)
    }
}

/// An expression for the item holding the stored `fields`, each with a
/// reference to its value, and room for `extra` more attributes: cloned
/// from the type's `ItemShape`, which holds their names, without hashing
/// them. `None` when a field is flattened: its type writes its own
/// attributes into the item.
fn encode_item(
    fields: &[(&Field<'_>, TokenStream)],
    extra: usize,
    p: &TokenStream,
) -> Option<TokenStream> {
    if fields.iter().any(|(field, _)| field.flatten) {
        return None;
    }
    let names = fields.iter().map(|(field, _)| &field.attribute);
    let values = fields
        .iter()
        .map(|(field, value)| field_value(field, value, p));
    Some(quote! {{
        static SHAPE: #p::ItemShape = #p::ItemShape::new(&[#(#names),*], #extra);
        SHAPE.item([#(#values),*])
    }})
}

/// `member: value` reading `field` from `value`, an expression of the
/// `Option<AttributeValue>` of its attribute (`None`: absent), in a
/// function returning `Result<_, DecodeError>`; `value` is not evaluated
/// for a skipped or a flattened field, which reads from `item`.
fn decode_field(field: &Field<'_>, value: &TokenStream, p: &TokenStream) -> TokenStream {
    let member = field.member;
    let name = &field.attribute;
    let ty = field.ty;
    match (field.read, codec(field)) {
        (Read::Skipped, _) => quote!(#member: #p::skipped::<#ty>()),
        (read, None) if field.serde.is_some() => {
            let codec = serde_codec(field, p);
            if read == Read::OrDefault {
                quote!(#member: #codec.decode_or_default(#value, #name)?)
            } else {
                quote!(#member: #codec.decode(#value, #name)?)
            }
        }
        (Read::OrDefault, Some(module)) => {
            let from_attribute = codec_function(&module, "from_attribute");
            quote!(#member: #p::decode_with_or_default(#value, #name, #from_attribute)?)
        }
        (Read::Required, Some(module)) => {
            let from_attribute = codec_function(&module, "from_attribute");
            quote!(#member: #p::decode_with(#value, #name, #from_attribute)?)
        }
        _ if field.flatten => {
            let decode = quote_spanned!(ty.span()=> #p::decode_flattened::<#ty>);
            quote!(#member: #decode(&mut item)?)
        }
        _ if field.ttl => {
            let decode = quote_spanned!(ty.span()=> #p::decode_ttl_field::<#ty>);
            quote!(#member: #decode(#value, #name)?)
        }
        (Read::OrDefault, None) => {
            quote!(#member: #p::decode_or_default::<#ty>(#value, #name)?)
        }
        (Read::Required, None) => quote!(#member: #p::decode::<#ty>(#value, #name)?),
    }
}

/// `member: value` for each of `fields`, each taken out of `item` (an
/// `Item`, or a mutable binding of a `&mut Item`) by its name.
fn decode_fields(fields: &[Field<'_>], p: &TokenStream) -> Vec<TokenStream> {
    fields
        .iter()
        .map(|field| {
            let name = &field.attribute;
            decode_field(field, &quote!(#p::take(&mut item, #name)), p)
        })
        .collect()
}

/// Statements that read `fields` from `item`, an `Item` the function owns,
/// and end in `Ok(#construct { fields })`: one pass over the item moves
/// each attribute into its field's slot, ignoring the others, then the
/// fields are read from their slots in declaration order, so that a
/// missing or malformed attribute is the same error as when they are
/// taken out of the item one by one, without hashing a name. `None` when
/// a field is flattened, since it reads what the others leave.
fn decode_item(
    construct: &TokenStream,
    fields: &[Field<'_>],
    p: &TokenStream,
) -> Option<TokenStream> {
    if fields.iter().any(|f| f.flatten) || !fields.iter().any(|f| f.has_attribute()) {
        return None;
    }
    let slots: Vec<syn::Ident> = (0..fields.len())
        .map(|i| format_ident!("__slot{}", i))
        .collect();
    let stored: Vec<(&Field<'_>, &syn::Ident)> = fields
        .iter()
        .zip(&slots)
        .filter(|(f, _)| f.has_attribute())
        .collect();
    let declared = stored.iter().map(|(_, slot)| slot);
    let names = stored.iter().map(|(field, _)| &field.attribute);
    let filled = stored.iter().map(|(_, slot)| slot);
    let decode = fields
        .iter()
        .zip(&slots)
        .map(|(field, slot)| decode_field(field, &quote!(#slot), p));
    Some(quote! {
        #(
            let mut #declared: ::core::option::Option<#p::AttributeValue> =
                ::core::option::Option::None;
        )*
        for (name, value) in item {
            match #p::String::as_str(&name) {
                #( #names => #filled = ::core::option::Option::Some(value), )*
                _ => {}
            }
        }
        ::core::result::Result::Ok(#construct { #(#decode,)* })
    })
}

/// The attribute names `fields` write, besides `own` (a tag) and those of
/// the `nested` types written beside them: an `AttributeNames` expression.
fn attribute_names(
    fields: &[&Field<'_>],
    own: &[&str],
    nested: &[&syn::Type],
    p: &TokenStream,
) -> TokenStream {
    let mut names: Vec<&str> = own.to_vec();
    for field in fields.iter().filter(|f| f.has_attribute()) {
        if !names.contains(&field.attribute.as_str()) {
            names.push(&field.attribute);
        }
    }
    let nested = fields
        .iter()
        .filter(|f| f.flatten)
        .map(|f| f.ty)
        .chain(nested.iter().copied());
    quote! {
        #p::AttributeNames {
            own: &[#(#names),*],
            nested: &[#(&<#nested as #p::Flatten>::NAMES),*],
        }
    }
}

/// Statements that fail const evaluation when a flattened field writes an
/// attribute that `fields` (or `own`: a tag, with what it is) also write;
/// empty without flattened fields.
fn flatten_checks(
    fields: &[&Field<'_>],
    own: &[(&str, String)],
    p: &TokenStream,
) -> Option<TokenStream> {
    let flattened: Vec<&Field<'_>> = fields.iter().copied().filter(|f| f.flatten).collect();
    if flattened.is_empty() {
        return None;
    }
    let mut writers: Vec<(&str, String)> = own.to_vec();
    writers.extend(
        fields
            .iter()
            .filter(|f| f.has_attribute())
            .map(|f| (f.attribute.as_str(), format!("field `{}`", f.name))),
    );
    let mut checks = Vec::new();
    for (i, flat) in flattened.iter().enumerate() {
        let ty = flat.ty;
        let span = flat.member.span();
        for (name, writer) in &writers {
            let message = format!(
                "attribute `{name}` is written twice: by {writer} and by flattened field `{}`",
                flat.name
            );
            checks.push(quote_spanned! {span=>
                if <#ty as #p::Flatten>::NAMES.contains(#name) {
                    ::core::panic!(#message)
                }
            });
        }
        for other in &flattened[i + 1..] {
            let other_ty = other.ty;
            let message = format!(
                "flattened fields `{}` and `{}` write an attribute of the same name",
                flat.name, other.name
            );
            checks.push(quote_spanned! {span=>
                if <#ty as #p::Flatten>::NAMES.overlaps(&<#other_ty as #p::Flatten>::NAMES) {
                    ::core::panic!(#message)
                }
            });
        }
    }
    Some(quote!(#(#checks)*))
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

/// `impl Flattens<Inner> for Owner` for each type `fields` flatten, so that
/// `Inner`'s handles become `Owner`'s with `flattened`.
fn flattens(
    generics: &syn::Generics,
    owner: &syn::Ident,
    fields: &[&Field<'_>],
    p: &TokenStream,
) -> TokenStream {
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let mut seen: Vec<String> = Vec::new();
    let mut impls = Vec::new();
    for field in fields.iter().filter(|f| f.flatten) {
        let ty = field.ty;
        let key = ty.to_token_stream().to_string();
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        impls.push(quote! {
            #[automatically_derived]
            impl #impl_generics #p::Flattens<#ty> for #owner #ty_generics #where_clause {}
        });
    }
    quote!(#(#impls)*)
}
