//! `#[derive(Attribute)]`: a nested type has no table, so every argument
//! that declares one (or a key, an index, a special field) is an error on
//! its own span; the rules on fields are those of a resource.

use std::collections::HashMap;

use quote::ToTokens;

use super::{fields, model_field};
use crate::ast::{self, DataEnum, Derive, Newtype, UnitEnum};
use crate::attr::{Container, FieldAttrs};
use crate::ctxt::Ctxt;
use crate::model::{self, DeriveModel, Shape, UnitVariant, VariantData};
use crate::symbol::*;

/// Checks the type and resolves how it is stored.
pub(crate) fn check_derive<'a>(cx: &Ctxt, derive: &Derive<'a>) -> DeriveModel<'a> {
    let (original, attrs, shape) = match derive {
        Derive::Struct(resource) => {
            fields::check_fields(cx, &resource.fields);
            fields::check_attribute_names(cx, resource);
            for field in &resource.fields {
                resource_only_field_args(cx, &field.attrs, "`#[derive(Attribute)]`");
            }
            enum_only_args(cx, &resource.attrs, "a struct");
            let fields = resource.fields.iter().map(model_field).collect();
            (resource.original, &resource.attrs, Shape::Struct(fields))
        }
        Derive::Newtype(newtype) => {
            check_newtype(cx, newtype);
            enum_only_args(cx, &newtype.attrs, "a newtype");
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
        Derive::DataEnum(data_enum) => (
            data_enum.original,
            &data_enum.attrs,
            Shape::DataEnum(check_data_enum(cx, data_enum)),
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
        (&attrs.entity, ENTITY),
        (&attrs.entity_attr, ENTITY_ATTR),
        (&attrs.stream, STREAM),
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
    not_on_variant(cx, attrs, what, why);
}

/// What neither a newtype's field nor a variant takes.
fn not_on_variant(cx: &Ctxt, attrs: &FieldAttrs, what: &str, why: &str) {
    if let Some(with) = &attrs.with {
        not_here(cx, &with.lit, WITH, what, why);
    }
    for (path, arg) in [
        (&attrs.skip, SKIP),
        (&attrs.default, DEFAULT),
        (&attrs.flatten, FLATTEN),
        (&attrs.serde, SERDE),
    ] {
        if let Some(path) = path {
            not_here(cx, path, arg, what, why);
        }
    }
    resource_only_field_args(cx, attrs, what);
}

/// `tag` and `content` describe how an enum with data is stored.
fn enum_only_args(cx: &Ctxt, attrs: &Container, what: &str) {
    for (lit, arg) in [(&attrs.tag, TAG), (&attrs.content, CONTENT)] {
        if let Some(lit) = lit {
            not_here(
                cx,
                lit,
                arg,
                what,
                "it names an attribute of an enum with data, which holds the variant",
            );
        }
    }
}

/// Variants take `rename` only, and no two are stored as the same string.
fn check_unit_enum<'a>(cx: &Ctxt, unit_enum: &UnitEnum<'a>) -> Vec<UnitVariant<'a>> {
    let what = "a variant";
    let why = "a variant is stored as its name";
    for variant in &unit_enum.variants {
        not_on_variant(cx, &variant.attrs, what, why);
    }
    check_variant_names(
        cx,
        unit_enum
            .variants
            .iter()
            .map(|v| (v.ident, &v.attrs, v.name.as_str())),
    );
    unit_enum
        .variants
        .iter()
        .map(|variant| UnitVariant {
            ident: variant.ident,
            name: variant.name.clone(),
        })
        .collect()
}

/// No empty names, and no two variants stored as the same string.
fn check_variant_names<'v>(
    cx: &Ctxt,
    variants: impl Iterator<Item = (&'v syn::Ident, &'v FieldAttrs, &'v str)>,
) {
    let mut seen: HashMap<&str, &syn::Ident> = HashMap::new();
    for (ident, attrs, name) in variants {
        if let Some(rename) = attrs.rename.as_ref().filter(|r| r.value().is_empty()) {
            cx.error_spanned_by(
                rename,
                format!(
                    "`rename` needs a non-empty name\nhelp: remove `rename` to store the variant as `{ident}`"
                ),
            );
        }
        match seen.get(name) {
            Some(first) => cx.error_spanned_by(
                attrs
                    .rename
                    .as_ref()
                    .map_or_else(|| ident.to_token_stream(), |r| r.to_token_stream()),
                format!(
                    "variants `{first}` and `{ident}` are both stored as `{name}`\n\
                     help: give one of them another name with `#[resource(rename = \"...\")]`"
                ),
            ),
            None => {
                seen.insert(name, ident);
            }
        }
    }
}

/// The tag and content names, the variants, and the fields of struct
/// variants, which sit beside the tag unless `content` is given.
fn check_data_enum<'a>(cx: &Ctxt, data_enum: &DataEnum<'a>) -> model::DataEnum<'a> {
    let attrs = &data_enum.attrs;
    for lit in [&attrs.tag, &attrs.content].into_iter().flatten() {
        if lit.value().is_empty() {
            cx.error_spanned_by(lit, "the attribute name cannot be empty");
        }
    }
    let tag = attrs
        .tag
        .as_ref()
        .map_or_else(|| DEFAULT_TAG.to_owned(), |lit| lit.value());
    let content = attrs.content.as_ref().map(|lit| lit.value());
    if let (Some(lit), Some(name)) = (&attrs.content, &content) {
        if *name == tag {
            cx.error_spanned_by(
                lit,
                format!(
                    "`content` and `tag` are both `{tag}`\nhelp: give the variant's data another attribute, e.g. `content = \"data\"`"
                ),
            );
        }
    }
    for variant in &data_enum.variants {
        not_on_variant(
            cx,
            &variant.attrs,
            "a variant",
            "a variant is stored as its name in the tag",
        );
    }
    check_variant_names(
        cx,
        data_enum
            .variants
            .iter()
            .map(|v| (v.ident, &v.attrs, v.name.as_str())),
    );
    let variants = data_enum
        .variants
        .iter()
        .map(|variant| model::DataVariant {
            ident: variant.ident,
            name: variant.name.clone(),
            data: check_variant_data(cx, variant, &tag, content.is_some()),
        })
        .collect();
    model::DataEnum {
        tag,
        content,
        variants,
    }
}

fn check_variant_data<'a>(
    cx: &Ctxt,
    variant: &ast::DataVariant<'a>,
    tag: &str,
    adjacent: bool,
) -> VariantData<'a> {
    match &variant.data {
        ast::VariantData::Unit => VariantData::Unit,
        ast::VariantData::Struct(fields) => {
            fields::check_fields(cx, fields);
            fields::check_names(cx, fields, None);
            for field in fields {
                resource_only_field_args(cx, &field.attrs, "a variant's field");
            }
            // Adjacently tagged, the fields are in a map of their own.
            let beside_tag = fields
                .iter()
                .filter(|f| !adjacent && f.is_stored() && f.attrs.flatten.is_none());
            for field in beside_tag.filter(|f| f.attribute == tag) {
                cx.error_at(
                    field.name_span(),
                    format!(
                        "field `{}` of variant `{}` is stored as attribute `{tag}`, which holds the enum's tag\n\
                         help: rename the field with `#[resource(rename = \"...\")]`, or the tag with `#[resource(tag = \"...\")]` on the enum",
                        field.name, variant.ident
                    ),
                );
            }
            VariantData::Struct(fields.iter().map(model_field).collect())
        }
        ast::VariantData::Newtype(field) => VariantData::Newtype(&field.ty),
        ast::VariantData::Tuple(fields) => {
            if !adjacent {
                cx.error_spanned_by(
                    fields,
                    format!(
                        "tuple variant `{}` needs adjacent tagging: its fields have no names to store beside the tag\n\
                         help: add `#[resource(content = \"data\")]` to the enum to store them as a list under `data`",
                        variant.ident
                    ),
                );
            }
            VariantData::Tuple(fields.unnamed.iter().map(|f| &f.ty).collect())
        }
    }
}
