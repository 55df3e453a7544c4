//! Rules on fields: names, conflicting arguments, and the fields with a
//! role of their own (`version`, `ttl`, `created_at`, `updated_at`).

use std::collections::HashMap;

use crate::ast::{Field, Resource};
use crate::attr::IndexKeyAttr;
use crate::ctxt::Ctxt;
use crate::symbol::*;
use crate::ty::{timestamp_type_problem, ttl_type_problem, version_type_problem};

pub(super) fn check_fields(cx: &Ctxt, fields: &[Field<'_>]) {
    for field in fields {
        check_flatten(cx, field);
        check_serde(cx, field);
        if let Some(rename) = &field.attrs.rename {
            let value = rename.value();
            if value.is_empty() {
                cx.error_spanned_by(
                    rename,
                    format!(
                        "`rename` needs a non-empty attribute name\n\
                         help: remove `rename` to store the field as `{}`",
                        field.name
                    ),
                );
            } else if value.len() > 255 {
                cx.error_spanned_by(
                    rename,
                    format!(
                        "attribute name is {} bytes; DynamoDB allows at most 255",
                        value.len()
                    ),
                );
            }
        }
        if let Some(skip) = &field.attrs.skip {
            if field.attrs.rename.is_some() {
                cx.error_spanned_by(
                    skip,
                    "`skip` and `rename` conflict: a skipped field is not stored\n\
                     help: remove `rename`",
                );
            }
            if let Some(default) = &field.attrs.default {
                cx.error_spanned_by(
                    default,
                    "`skip` and `default` conflict: a skipped field is always `Default::default()`\n\
                     help: remove `default`",
                );
            }
            if let Some(with) = &field.attrs.with {
                cx.error_spanned_by(
                    &with.lit,
                    "`skip` and `with` conflict: a skipped field is not stored\n\
                     help: remove `with`",
                );
            }
        }
    }
}

/// No two stored fields under one attribute name. A flattened field's
/// names are its type's, which the compiler checks (`AttributeNames`).
pub(super) fn check_attribute_names(cx: &Ctxt, resource: &Resource<'_>) {
    let rule = resource
        .attrs
        .rename_all
        .as_ref()
        .map(|(_, lit)| lit.value());
    check_names(cx, &resource.fields, rule.as_deref());
}

/// `check_attribute_names` for any list of fields, with the `rename_all`
/// rule that named them.
pub(super) fn check_names(cx: &Ctxt, fields: &[Field<'_>], rule: Option<&str>) {
    // Names that come from `rename_all` are explained, since the clash is
    // not visible in the source.
    let by_rule = |field: &Field<'_>| {
        rule.is_some() && field.attrs.rename.is_none() && field.attribute != field.name
    };
    let mut seen: HashMap<&str, &Field<'_>> = HashMap::new();
    for field in fields
        .iter()
        .filter(|f| f.is_stored() && f.attrs.flatten.is_none())
    {
        let Some(&first) = seen.get(field.attribute.as_str()) else {
            seen.insert(&field.attribute, field);
            continue;
        };
        let rule = rule.unwrap_or_default();
        let origin = match (by_rule(first), by_rule(field)) {
            (true, true) => format!(" (both through `rename_all = \"{rule}\"`)"),
            (true, false) => format!(" (`{}` through `rename_all = \"{rule}\"`)", first.name),
            (false, true) => format!(" (`{}` through `rename_all = \"{rule}\"`)", field.name),
            (false, false) => String::new(),
        };
        cx.error_at(
            field.name_span(),
            format!(
                "fields `{}` and `{}` are both stored as attribute `{}`{origin}\n\
                 help: give one of them another name with `#[resource(rename = \"...\")]`",
                first.name, field.name, field.attribute
            ),
        );
    }
}

/// Why a type does not fit a role, when its syntax shows it.
type TypeRule = fn(&syn::Type) -> Option<String>;

/// The arguments that give a field a role of its own, with the rule on its
/// type.
const SPECIAL: &[(&str, TypeRule)] = &[
    (VERSION, version_type_problem),
    (TTL, ttl_type_problem),
    (CREATED_AT, |ty| timestamp_type_problem(ty, CREATED_AT)),
    (UPDATED_AT, |ty| timestamp_type_problem(ty, UPDATED_AT)),
];

/// The keyword of special argument `arg` on `field`, if it has it.
fn special<'f>(field: &'f Field<'_>, arg: &str) -> Option<&'f syn::Path> {
    let attrs = &field.attrs;
    match arg {
        VERSION => attrs.version.as_ref(),
        TTL => attrs.ttl.as_ref(),
        CREATED_AT => attrs.created_at.as_ref(),
        UPDATED_AT => attrs.updated_at.as_ref(),
        _ => None,
    }
}

/// `version`, `ttl`, `created_at` and `updated_at`: at most one field each,
/// not a key, of a fitting type, and one role per field.
pub(super) fn check_special_fields(cx: &Ctxt, resource: &Resource<'_>) {
    let keys: Vec<String> = [&resource.attrs.key, &resource.attrs.sort_key]
        .into_iter()
        .flatten()
        .map(|k| k.value())
        .collect();
    for &(arg, type_problem) in SPECIAL {
        let mut first: Option<&Field<'_>> = None;
        for field in &resource.fields {
            let Some(path) = special(field, arg) else {
                continue;
            };
            if let Some(first) = first {
                cx.error_spanned_by(
                    path,
                    format!(
                        "only one field can be `{arg}`; field `{}` already is\nhelp: remove `{arg}` from one of them",
                        first.name
                    ),
                );
                continue;
            }
            first = Some(field);
            check_special_field(cx, field, path, arg, &keys);
            if let Some(problem) = type_problem(field.ty) {
                cx.error_spanned_by(field.ty, problem);
            }
        }
    }
    for field in &resource.fields {
        let roles: Vec<(&str, &syn::Path)> = SPECIAL
            .iter()
            .filter_map(|&(arg, _)| special(field, arg).map(|path| (arg, path)))
            .collect();
        if let [(first, path), (second, _), ..] = roles[..] {
            cx.error_spanned_by(
                path,
                format!("`{first}` and `{second}` conflict: a field is one or the other"),
            );
        }
    }
}

/// A special field is not a key and is always stored.
fn check_special_field(cx: &Ctxt, field: &Field<'_>, path: &syn::Path, arg: &str, keys: &[String]) {
    if keys.contains(&field.name) {
        cx.error_spanned_by(
            path,
            format!(
                "key field `{}` cannot be `{arg}`: a key never changes\nhelp: put `{arg}` on a field of its own",
                field.name
            ),
        );
    }
    for (given, name) in [
        (field.attrs.skip.is_some(), SKIP),
        (field.attrs.default.is_some(), DEFAULT),
        (field.attrs.with.is_some(), WITH),
        (field.attrs.serde.is_some(), SERDE),
        (field.attrs.flatten.is_some(), FLATTEN),
    ] {
        if given {
            cx.error_spanned_by(path, format!("`{arg}` and `{name}` conflict"));
        }
    }
}

/// A key attribute is written as its type's own scalar (`KeyAttribute`),
/// so the key fields of the table and of its indexes cannot use `with`.
pub(super) fn check_with_on_keys(cx: &Ctxt, resource: &Resource<'_>) {
    let attrs = &resource.attrs;
    let keys = key_field_names(attrs);
    for field in &resource.fields {
        if let (Some(with), true) = (&field.attrs.with, keys.contains(&field.name)) {
            cx.error_spanned_by(
                &with.lit,
                format!(
                    "key field `{}` cannot use `with`: a key attribute is stored as its type's own string, number or binary\n\
                     help: remove `with`, or keep the converted value in a field of its own",
                    field.name
                ),
            );
        }
    }
}

/// `flatten` stores a type's attributes in place of the field's own: the
/// arguments about the field's attribute do not apply to it.
fn check_flatten(cx: &Ctxt, field: &Field<'_>) {
    let Some(flatten) = &field.attrs.flatten else {
        return;
    };
    let attrs = &field.attrs;
    for (given, name, why) in [
        (
            attrs.rename.is_some(),
            RENAME,
            "a flattened field has no attribute of its own to rename",
        ),
        (
            attrs.with.is_some(),
            WITH,
            "`with` writes one attribute, `flatten` several",
        ),
        (
            attrs.serde.is_some(),
            SERDE,
            "`serde` writes one attribute, `flatten` several",
        ),
        (
            attrs.skip.is_some(),
            SKIP,
            "a skipped field is not stored",
        ),
        (
            attrs.default.is_some(),
            DEFAULT,
            "a flattened field is read from the attributes of its type, each with its own `default`",
        ),
    ] {
        if given {
            cx.error_spanned_by(flatten, format!("`flatten` and `{name}` conflict: {why}"));
        }
    }
}

/// `serde` is a codec of its own: it conflicts with the arguments that say
/// otherwise how (or whether) the field is stored. Whether the `serde`
/// feature is on is for the compiler to say (see `expand::serde_codec`).
fn check_serde(cx: &Ctxt, field: &Field<'_>) {
    let Some(serde) = &field.attrs.serde else {
        return;
    };
    if let Some(with) = &field.attrs.with {
        cx.error_spanned_by(
            &with.lit,
            "`serde` and `with` conflict: each says how the field is written\nhelp: remove one of them",
        );
    }
    if field.attrs.skip.is_some() {
        cx.error_spanned_by(
            serde,
            "`skip` and `serde` conflict: a skipped field is not stored\nhelp: remove `serde`",
        );
    }
}

/// A key attribute is one attribute of a key type: neither flattened nor
/// written through serde. `false` when one is, so that the key's own
/// checks are not run on it as well.
pub(super) fn check_flatten_on_keys(cx: &Ctxt, resource: &Resource<'_>) -> bool {
    let mut valid = true;
    let attrs = &resource.attrs;
    let keys = key_field_names(attrs);
    for field in resource.fields.iter().filter(|f| keys.contains(&f.name)) {
        if let Some(flatten) = &field.attrs.flatten {
            valid = false;
            cx.error_spanned_by(
                flatten,
                format!(
                    "key field `{}` cannot be flattened: a key is one attribute of a string, number or binary type\n\
                     help: remove `flatten`, or name another field as the key",
                    field.name
                ),
            );
        }
        if let Some(serde) = &field.attrs.serde {
            valid = false;
            cx.error_spanned_by(
                serde,
                format!(
                    "key field `{}` cannot use `serde`: a key attribute is stored as its type's own string, number or binary\n\
                     help: remove `serde`",
                    field.name
                ),
            );
        }
    }
    valid
}

/// The fields that the table's and the indexes' keys name directly (key
/// templates check their own fields).
fn key_field_names(attrs: &crate::attr::Container) -> Vec<String> {
    let mut keys: Vec<String> = [&attrs.key, &attrs.sort_key]
        .into_iter()
        .flatten()
        .map(|k| k.value())
        .collect();
    for key in attrs
        .indexes
        .iter()
        .flat_map(|i| [&i.key, &i.sort_key])
        .flatten()
    {
        match key {
            IndexKeyAttr::Field(lit) => keys.push(lit.value()),
            IndexKeyAttr::Fields(_, lits) => keys.extend(lits.iter().map(|l| l.value())),
            IndexKeyAttr::Template(_) => {}
        }
    }
    keys
}
