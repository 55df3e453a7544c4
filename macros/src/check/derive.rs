//! `#[derive(Attribute)]`: a nested type has no table, so every argument
//! that declares one (or a key, an index, a special field) is an error on
//! its own span; the rules on fields are those of a resource.

use std::collections::HashMap;

use quote::ToTokens;

use super::{fields, model_field};
use crate::ast::{Derive, Newtype, UnitEnum};
use crate::attr::{Container, FieldAttrs};
use crate::ctxt::Ctxt;
use crate::model::{DeriveModel, Shape, UnitVariant};
use crate::symbol::*;

/// Checks the type and resolves how it is stored.
pub(crate) fn check_derive<'a>(cx: &Ctxt, derive: &Derive<'a>) -> DeriveModel<'a> {
    let (original, attrs, shape) = match derive {
        Derive::Struct(resource) => {
            fields::check_fields(cx, resource);
            fields::check_attribute_names(cx, resource);
            for field in &resource.fields {
                resource_only_field_args(cx, &field.attrs, "`#[derive(Attribute)]`");
            }
            let fields = resource.fields.iter().map(model_field).collect();
            (resource.original, &resource.attrs, Shape::Struct(fields))
        }
        Derive::Newtype(newtype) => {
            check_newtype(cx, newtype);
            (
                newtype.original,
                &newtype.attrs,
                Shape::Newtype(&newtype.field.ty),
            )
        }
        Derive::UnitEnum(unit_enum) => (
            unit_enum.original,
            &unit_enum.attrs,
            Shape::UnitEnum(check_unit_enum(cx, unit_enum)),
        ),
    };
    resource_only_container_args(cx, attrs);
    DeriveModel {
        ident: &original.ident,
        vis: &original.vis,
        generics: &original.generics,
        krate: attrs
            .krate
            .clone()
            .unwrap_or_else(|| syn::parse_quote!(::resourceful)),
        shape,
    }
}

fn not_here(cx: &Ctxt, tokens: &dyn ToTokens, arg: &str, what: &str, why: &str) {
    cx.error_spanned_by(
        tokens.to_token_stream(),
        format!("`{arg}` does not apply to {what}: {why}"),
    );
}

/// The table, its keys and indexes belong to a resource.
fn resource_only_container_args(cx: &Ctxt, attrs: &Container) {
    let why = "a nested type is stored inside a resource's items and has no table of its own";
    let what = "`#[derive(Attribute)]`";
    for (lit, arg) in [
        (&attrs.service, SERVICE),
        (&attrs.table, TABLE),
        (&attrs.key, KEY),
        (&attrs.sort_key, SORT_KEY),
    ] {
        if let Some(lit) = lit {
            not_here(cx, lit, arg, what, why);
        }
    }
    if let Some(projection) = &attrs.projection {
        not_here(cx, projection, PROJECTION, what, why);
    }
    for index in &attrs.indexes {
        let arg = if index.local { LOCAL_INDEX } else { INDEX };
        not_here(cx, &index.keyword, arg, what, why);
    }
}

/// `version`, `ttl`, `created_at` and `updated_at` describe a whole item.
fn resource_only_field_args(cx: &Ctxt, attrs: &FieldAttrs, what: &str) {
    for (path, arg) in [
        (&attrs.version, VERSION),
        (&attrs.ttl, TTL),
        (&attrs.created_at, CREATED_AT),
        (&attrs.updated_at, UPDATED_AT),
    ] {
        if let Some(path) = path {
            not_here(
                cx,
                path,
                arg,
                what,
                "it describes a whole item, so it goes on a field of the resource",
            );
        }
    }
}

/// A newtype is stored as its field: nothing renames or converts it.
fn check_newtype(cx: &Ctxt, newtype: &Newtype<'_>) {
    let what = "a newtype";
    let why = "it is stored exactly as its field";
    if let Some((_, lit)) = &newtype.attrs.rename_all {
        not_here(cx, lit, RENAME_ALL, what, why);
    }
    let attrs = &newtype.field_attrs;
    if let Some(rename) = &attrs.rename {
        not_here(cx, rename, RENAME, what, why);
    }
    if let Some(with) = &attrs.with {
        not_here(cx, &with.lit, WITH, what, why);
    }
    for (path, arg) in [(&attrs.skip, SKIP), (&attrs.default, DEFAULT)] {
        if let Some(path) = path {
            not_here(cx, path, arg, what, why);
        }
    }
    resource_only_field_args(cx, attrs, what);
}

/// Variants take `rename` only, and no two are stored as the same string.
fn check_unit_enum<'a>(cx: &Ctxt, unit_enum: &UnitEnum<'a>) -> Vec<UnitVariant<'a>> {
    let what = "a variant";
    let why = "a variant is stored as its name";
    let mut seen: HashMap<&str, &syn::Ident> = HashMap::new();
    for variant in &unit_enum.variants {
        let attrs = &variant.attrs;
        if let Some(with) = &attrs.with {
            not_here(cx, &with.lit, WITH, what, why);
        }
        for (path, arg) in [(&attrs.skip, SKIP), (&attrs.default, DEFAULT)] {
            if let Some(path) = path {
                not_here(cx, path, arg, what, why);
            }
        }
        resource_only_field_args(cx, attrs, what);
        if let Some(rename) = attrs.rename.as_ref().filter(|r| r.value().is_empty()) {
            cx.error_spanned_by(
                rename,
                format!(
                    "`rename` needs a non-empty name\nhelp: remove `rename` to store the variant as `{}`",
                    variant.ident
                ),
            );
        }
        match seen.get(variant.name.as_str()) {
            Some(first) => cx.error_spanned_by(
                attrs
                    .rename
                    .as_ref()
                    .map_or_else(|| variant.ident.to_token_stream(), |r| r.to_token_stream()),
                format!(
                    "variants `{first}` and `{}` are both stored as `{}`\n\
                     help: give one of them another name with `#[resource(rename = \"...\")]`",
                    variant.ident, variant.name
                ),
            ),
            None => {
                seen.insert(&variant.name, variant.ident);
            }
        }
    }
    unit_enum
        .variants
        .iter()
        .map(|variant| UnitVariant {
            ident: variant.ident,
            name: variant.name.clone(),
        })
        .collect()
}
