//! Code generation. Reports no user errors: `check` has run before.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::{Field, Resource};
use crate::check::{self, Checked, Keys};
use crate::ctxt::Ctxt;
use crate::symbol::ATTRIBUTE;

pub(crate) fn resource(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut input: syn::DeriveInput = match syn::parse2(input.clone()) {
        Ok(input) => input,
        Err(e) => {
            let error = not_a_struct(&input, e).to_compile_error();
            // The item stays, so that its uses are not reported as well.
            return quote!(#input #error);
        }
    };
    let cx = Ctxt::new();
    let generated = Resource::from_ast(&cx, &input, args).and_then(|resource| {
        match check::check(&cx, &resource) {
            // `impl Resource for User` would only add "missing generics"
            // errors to the one that matters.
            _ if resource.is_generic() => None,
            Some(Checked::Resource(keys)) => Some(expand(&resource, keys)),
            Some(Checked::Projection(of)) => Some(projection(&resource, &of)),
            None => Some(fallback(&resource)),
        }
    });
    strip_attributes(&mut input);
    match cx.check() {
        Ok(()) => quote!(#input #generated),
        Err(errors) => quote!(#input #errors #generated),
    }
}

/// The error for an item that is not a struct, enum or union.
fn not_a_struct(input: &TokenStream, error: syn::Error) -> syn::Error {
    let kind = match syn::parse2::<syn::Item>(input.clone()) {
        Ok(syn::Item::Fn(_)) => "functions",
        Ok(syn::Item::Impl(_)) => "impl blocks",
        Ok(syn::Item::Trait(_)) => "traits",
        Ok(syn::Item::Mod(_)) => "modules",
        Ok(syn::Item::Type(_)) => "type aliases",
        Ok(syn::Item::Const(_) | syn::Item::Static(_)) => "constants and statics",
        Ok(syn::Item::Use(_)) => "`use` declarations",
        // Not an item at all: syn's own message says what is wrong.
        _ => return error,
    };
    syn::Error::new(
        error.span(),
        format!("`#[resource]` works on structs with named fields, not {kind}"),
    )
}

/// Removes `#[resource(...)]` from the struct and its fields: they are ours.
fn strip_attributes(input: &mut syn::DeriveInput) {
    input.attrs.retain(|a| !a.path().is_ident(ATTRIBUTE));
    if let syn::Data::Struct(data) = &mut input.data {
        for field in data.fields.iter_mut() {
            field.attrs.retain(|a| !a.path().is_ident(ATTRIBUTE));
        }
    }
}

fn key_ident(resource: &Resource<'_>) -> syn::Ident {
    format_ident!("{}Key", resource.ident)
}

/// `User::EMAIL` for field `email`.
fn const_ident(field: &Field<'_>) -> syn::Ident {
    format_ident!("{}", field.name.to_uppercase(), span = field.ident.span())
}

/// The `impl User { consts; fn table }` block.
fn inherent(resource: &Resource<'_>, p: &TokenStream) -> TokenStream {
    let ident = resource.ident;
    let vis = &resource.original.vis;
    let table = resource.table_name();
    let consts = resource
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.is_stored())
        .map(|(index, field)| {
            let name = const_ident(field);
            let ty = field.ty;
            let attribute = &field.attribute;
            let doc = if attribute == &field.name {
                format!("The `{attribute}` attribute.")
            } else {
                format!("The `{attribute}` attribute (field `{}`).", field.name)
            };
            quote! {
                #[doc = #doc]
                #vis const #name: #p::Attr<#ident, #ty, #p::FieldTag<#index>> = #p::Attr::new(#attribute);
            }
        });
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

fn private(resource: &Resource<'_>) -> TokenStream {
    let krate = resource.krate();
    quote!(#krate::__private)
}

fn expand(resource: &Resource<'_>, keys: Keys) -> TokenStream {
    let p = &private(resource);
    let ident = resource.ident;
    let vis = &resource.original.vis;
    let key_ident = key_ident(resource);
    let table = resource.table_name();

    let key_fields: Vec<&Field<'_>> = std::iter::once(keys.partition)
        .chain(keys.sort)
        .map(|i| &resource.fields[i])
        .collect();

    let key_def = |field: &Field<'_>| {
        let ty = field.ty;
        let name = &field.attribute;
        // Spanned on the field's type: a type that cannot be a key is
        // reported there, with `KeyAttribute`'s explanation.
        let key_type = quote_spanned!(ty.span()=> <#ty as #p::KeyAttribute>::KEY_TYPE);
        quote!(#p::KeyAttributeDef { name: #name, key_type: #key_type })
    };
    let partition_def = key_def(key_fields[0]);
    let sort_def = match key_fields.get(1) {
        Some(field) => {
            let def = key_def(field);
            quote!(::core::option::Option::Some(#def))
        }
        None => quote!(::core::option::Option::None),
    };

    let stored: Vec<&Field<'_>> = resource.fields.iter().filter(|f| f.is_stored()).collect();
    let capacity = stored.len();
    // A `ttl` field whose type `check` has rejected is stored as a plain
    // field: the `TtlValue` bound would only repeat that error.
    let is_ttl = |field: &Field<'_>| {
        field.attrs.ttl.is_some() && check::ttl_type_problem(field.ty).is_none()
    };
    // Every helper is called with the field's type spelt out (`::<#ty>`):
    // a type that cannot be stored is then reported on the field's type,
    // not on the whole `#[resource]` attribute.
    let encode = stored.iter().map(|field| {
        let member = field.ident;
        let name = &field.attribute;
        let ty = field.ty;
        if is_ttl(field) {
            let encode = quote_spanned!(ty.span()=> #p::encode_ttl_field::<#ty>);
            quote!(#encode(&mut item, #name, &self.#member);)
        } else {
            quote!(#p::encode::<#ty>(&mut item, #name, &self.#member);)
        }
    });
    let decode = resource.fields.iter().map(|field| {
        let member = field.ident;
        let name = &field.attribute;
        let ty = field.ty;
        if field.attrs.skip.is_some() {
            quote!(#member: #p::skipped::<#ty>())
        } else if is_ttl(field) {
            let decode = quote_spanned!(ty.span()=> #p::decode_ttl_field::<#ty>);
            quote!(#member: #decode(&mut item, #name)?)
        } else if field.attrs.default.is_some() {
            quote!(#member: #p::decode_or_default::<#ty>(&mut item, #name)?)
        } else {
            quote!(#member: #p::decode::<#ty>(&mut item, #name)?)
        }
    });

    let key_members: Vec<&syn::Ident> = key_fields.iter().map(|f| f.ident).collect();
    let key_types: Vec<&syn::Type> = key_fields.iter().map(|f| f.ty).collect();
    let key_names: Vec<&String> = key_fields.iter().map(|f| &f.attribute).collect();
    let key_docs: Vec<String> = key_fields
        .iter()
        .zip(["partition", "sort"])
        .map(|(f, role)| format!("The {role} key, attribute `{}`.", f.attribute))
        .collect();
    let key_count = key_fields.len();

    let from_impl = if key_count == 1 {
        let member = key_members[0];
        let ty = key_types[0];
        quote! {
            #[automatically_derived]
            impl<__ResourcefulP: #p::ValueOf<#ty>> ::core::convert::From<__ResourcefulP> for #key_ident {
                fn from(partition: __ResourcefulP) -> Self {
                    #key_ident { #member: #p::ValueOf::into_value(partition) }
                }
            }
        }
    } else {
        let (pm, sm) = (key_members[0], key_members[1]);
        let (pt, st) = (key_types[0], key_types[1]);
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
    };

    let key_doc = format!(
        "The primary key of [`{ident}`]: build it from {}.",
        if key_count == 1 {
            "the partition key value, e.g. `table.get(\"...\")`"
        } else {
            "a `(partition, sort)` tuple, e.g. `table.get((\"...\", 1))`"
        }
    );
    let inherent = inherent(resource, p);

    let partition_ty = key_fields[0].ty;
    let special = |pick: fn(&Field<'_>) -> bool| match resource.fields.iter().find(|f| pick(f)) {
        Some(field) => {
            let name = &field.attribute;
            quote!(::core::option::Option::Some(#name))
        }
        None => quote!(::core::option::Option::None),
    };
    let version_attribute = special(|f| f.attrs.version.is_some());
    let ttl_attribute = special(|f| f.attrs.ttl.is_some());
    let version_check = resource
        .fields
        .iter()
        // `check` has reported the types it can see are not integers.
        .filter(|f| f.attrs.version.is_some() && check::version_type_problem(f.ty).is_none())
        .map(|f| {
            let ty = f.ty;
            quote_spanned!(ty.span()=> const _: () = #p::assert_version::<#ty>();)
        });
    let indexes = index_items(resource, &keys, p);
    let index_numbers = (1..=keys.indexes.len()).collect::<Vec<_>>();
    // Spanned on `sort_key = "…"`: when a key condition names another
    // attribute, the compiler points there as the attribute that would do.
    let sort_key_span = resource
        .attrs
        .sort_key
        .as_ref()
        .map_or_else(proc_macro2::Span::call_site, syn::LitStr::span);
    let sort_key_marker = keys.sort.map(|index| {
        quote_spanned! {sort_key_span=>
            #[automatically_derived]
            impl #p::SortKeyOf<#ident, 0> for #p::FieldTag<#index> {}
        }
    });

    quote! {
        #inherent
        #indexes
        #(#version_check)*
        #sort_key_marker

        #[doc = #key_doc]
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
        #vis struct #key_ident {
            #(
                #[doc = #key_docs]
                pub #key_members: #key_types,
            )*
        }

        #from_impl

        #[automatically_derived]
        impl #p::ResourceKey for #key_ident {
            fn to_key_item(&self) -> #p::Item {
                let mut item = #p::Item::with_capacity(#key_count);
                #( #p::encode::<#key_types>(&mut item, #key_names, &self.#key_members); )*
                item
            }
        }

        #[automatically_derived]
        impl #p::Resource for #ident {
            type Key = #key_ident;
            type PartitionKey = #partition_ty;
            const TABLE_NAME: &'static ::core::primitive::str = #table;
            const KEY_SCHEMA: #p::KeySchema = #p::KeySchema {
                partition: #partition_def,
                sort: #sort_def,
            };
            const VERSION_ATTRIBUTE: ::core::option::Option<&'static ::core::primitive::str> = #version_attribute;
            const TTL_ATTRIBUTE: ::core::option::Option<&'static ::core::primitive::str> = #ttl_attribute;
            const INDEXES: &'static [#p::IndexDef] = &[
                #( <#ident as #p::HasIndex<#index_numbers>>::INDEX ),*
            ];

            fn to_item(&self) -> #p::Item {
                let mut item = #p::Item::with_capacity(#capacity);
                #(#encode)*
                item
            }

            fn from_item(mut item: #p::Item) -> ::core::result::Result<Self, #p::DecodeError> {
                ::core::result::Result::Ok(#ident {
                    #(#decode,)*
                })
            }

            fn key(&self) -> #key_ident {
                #key_ident {
                    #( #key_members: ::core::clone::Clone::clone(&self.#key_members), )*
                }
            }
        }
    }
}

/// The type inside an `Option`, for a sparse index key.
fn without_option(ty: &syn::Type) -> &syn::Type {
    match check::type_name(ty) {
        Some((ident, arguments)) if ident == "Option" => {
            check::first_type_argument(arguments).unwrap_or(ty)
        }
        _ => ty,
    }
}

/// Index handles (`User::BY_EMAIL`), `HasIndex` impls and sort-key markers.
fn index_items(resource: &Resource<'_>, keys: &Keys, p: &TokenStream) -> TokenStream {
    let ident = resource.ident;
    let vis = &resource.original.vis;
    let key_def = |field: &Field<'_>| {
        let ty = without_option(field.ty);
        let name = &field.attribute;
        let key_type = quote_spanned!(ty.span()=> <#ty as #p::KeyAttribute>::KEY_TYPE);
        quote!(#p::KeyAttributeDef { name: #name, key_type: #key_type })
    };
    let items = keys.indexes.iter().enumerate().map(|(position, index)| {
        let number = position + 1;
        let attr = &resource.attrs.indexes[index.attr];
        let name = attr
            .name
            .as_ref()
            .map(syn::LitStr::value)
            .unwrap_or_default();
        let handle = format_ident!("{}", check::index_const_name(&name));
        let (partition_ty, partition, sort) = if index.valid {
            let field = &resource.fields[index.partition.unwrap_or(keys.partition)];
            let sort = match index.sort {
                Some(i) => {
                    let def = key_def(&resource.fields[i]);
                    quote!(::core::option::Option::Some(#def))
                }
                None => quote!(::core::option::Option::None),
            };
            let ty = without_option(field.ty);
            (quote!(#ty), key_def(field), sort)
        } else {
            // A stub: the definition does not compile anyway, and the
            // declared keys may be what is wrong.
            (
                quote!(#p::String),
                quote!(#p::FALLBACK_KEY_SCHEMA.partition),
                quote!(::core::option::Option::None),
            )
        };
        let kind = if attr.local {
            quote!(Local)
        } else {
            quote!(Global)
        };
        let projection = match &attr.projection {
            crate::attr::IndexProjectionAttr::All => quote!(#p::IndexProjection::All),
            crate::attr::IndexProjectionAttr::KeysOnly => quote!(#p::IndexProjection::KeysOnly),
            crate::attr::IndexProjectionAttr::Include(_) if !index.valid => {
                quote!(#p::IndexProjection::All)
            }
            crate::attr::IndexProjectionAttr::Include(_) => {
                let names = index.include.iter().map(|i| &resource.fields[*i].attribute);
                quote!(#p::IndexProjection::Include(&[#(#names),*]))
            }
        };
        let sort_key_span = attr
            .sort_key
            .as_ref()
            .map_or_else(proc_macro2::Span::call_site, syn::LitStr::span);
        let sort_marker = index.sort.filter(|_| index.valid).map(|i| {
            quote_spanned! {sort_key_span=>
                #[automatically_derived]
                impl #p::SortKeyOf<#ident, #number> for #p::FieldTag<#i> {}
            }
        });
        let doc = format!(
            "The {} index `{name}`: `table.index({ident}::{handle}).query(…)`.",
            if attr.local { "local" } else { "global" }
        );
        let handle_const = quote! {
            #[doc = #doc]
            #vis const #handle: #p::Index<#ident, #number> = #p::Index::new(#name);
        };
        let impls = quote! {
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
        };
        (handle_const, impls)
    });
    let (handles, impls): (Vec<_>, Vec<_>) = items.unzip();
    if handles.is_empty() {
        return TokenStream::new();
    }
    quote! {
        #[automatically_derived]
        #[allow(dead_code)]
        impl #ident {
            #(#handles)*
        }
        #(#impls)*
    }
}

/// `#[resource(projection = User)]`: reads the fields' attributes of `User`.
fn projection(resource: &Resource<'_>, of: &syn::Path) -> TokenStream {
    let p = &private(resource);
    let ident = resource.ident;
    // Each field names the resource's handle of the same name: a field the
    // resource lacks, or one of another type, does not compile.
    let handle = |field: &Field<'_>| {
        let ty = field.ty;
        let constant = const_ident(field);
        quote_spanned!(field.ident.span()=> #p::projected::<#of, #ty, _>(<#of>::#constant))
    };
    let attributes = resource.fields.iter().filter(|f| f.is_stored()).map(handle);
    let decode = resource.fields.iter().map(|field| {
        let member = field.ident;
        let ty = field.ty;
        if field.attrs.skip.is_some() {
            let value = quote_spanned!(ty.span()=> #p::skipped::<#ty>());
            return quote!(#member: #value);
        }
        let name = handle(field);
        if field.attrs.default.is_some() {
            quote!(#member: #p::decode_or_default::<#ty>(&mut item, #name)?)
        } else {
            quote!(#member: #p::decode::<#ty>(&mut item, #name)?)
        }
    });
    quote! {
        #[automatically_derived]
        impl #p::Projection for #ident {
            type Resource = #of;
            const ATTRIBUTES: &'static [&'static ::core::primitive::str] = &[#(#attributes),*];

            fn from_item(mut item: #p::Item) -> ::core::result::Result<Self, #p::DecodeError> {
                ::core::result::Result::Ok(#ident {
                    #(#decode,)*
                })
            }
        }
    }
}

/// After an error: enough items that uses of the resource elsewhere still
/// type-check, so the user sees the real mistake instead of a cascade.
fn fallback(resource: &Resource<'_>) -> TokenStream {
    let p = &private(resource);
    let ident = resource.ident;
    let vis = &resource.original.vis;
    let key_ident = key_ident(resource);
    let inherent = inherent(resource, p);

    // The key fields that exist, even if they are not valid keys: then
    // `get(…)` takes the values the definition asks for, and only the
    // definition is reported.
    let named = |lit: &Option<syn::LitStr>| {
        lit.as_ref()
            .and_then(|lit| resource.field(&lit.value()))
            .map(|(_, field)| field)
    };
    let partition = named(&resource.attrs.key);
    let sort =
        named(&resource.attrs.sort_key).filter(|s| partition.is_some_and(|p| p.name != s.name));
    let key = match (partition, sort) {
        (Some(partition), None) => {
            let (member, ty) = (partition.ident, partition.ty);
            quote! {
                #[allow(dead_code)]
                #vis struct #key_ident { #member: #ty }

                impl<__ResourcefulP: #p::ValueOf<#ty>> ::core::convert::From<__ResourcefulP> for #key_ident {
                    fn from(partition: __ResourcefulP) -> Self {
                        #key_ident { #member: #p::ValueOf::into_value(partition) }
                    }
                }
            }
        }
        (Some(partition), Some(sort)) => {
            let (pm, pt) = (partition.ident, partition.ty);
            let (sm, st) = (sort.ident, sort.ty);
            quote! {
                #[allow(dead_code)]
                #vis struct #key_ident { #pm: #pt, #sm: #st }

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
        _ => quote! {
            #[allow(dead_code)]
            #vis struct #key_ident;
        },
    };
    quote! {
        #inherent

        #key

        impl #p::ResourceKey for #key_ident {
            fn to_key_item(&self) -> #p::Item {
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
    }
}
