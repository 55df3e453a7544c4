//! The table key: `key` and `sort_key` name fields that can be keys.

use crate::ast::{Field, Resource};
use crate::ctxt::Ctxt;
use crate::model::{FallbackKeys, Key, Table};
use crate::symbol::*;
use crate::ty::{key_type_problem, timestamp_type_problem};

use super::index::check_indexes;

/// The table's key and indexes, when the key is valid.
pub(super) fn check_table<'a>(cx: &Ctxt, resource: &Resource<'a>) -> Option<Table<'a>> {
    let key = resource.attrs.key.as_ref()?;
    let partition = key_field(cx, resource, key, KEY);
    let sort = match &resource.attrs.sort_key {
        Some(sort_key) if sort_key.value() == key.value() => {
            cx.error_spanned_by(
                sort_key,
                format!(
                    "`sort_key` must differ from `key`; both name `{}`\n\
                     help: remove `sort_key` for a table with a partition key only",
                    key.value()
                ),
            );
            return None;
        }
        Some(sort_key) => Some(key_field(cx, resource, sort_key, SORT_KEY)?),
        None => None,
    };
    let indexes = check_indexes(cx, resource, partition.as_ref(), sort.as_ref());
    let first = |arg: fn(&Field<'_>) -> bool| resource.fields.iter().position(arg);
    Some(Table {
        partition: partition?,
        sort,
        version: first(|f| f.attrs.version.is_some()),
        ttl: first(|f| f.attrs.ttl.is_some()),
        // A timestamp whose type `check` rejected gets no timestamp code:
        // the `TimestampValue` bound would only repeat the error.
        created_at: first(|f| {
            f.attrs.created_at.is_some() && timestamp_type_problem(f.ty, CREATED_AT).is_none()
        }),
        updated_at: first(|f| {
            f.attrs.updated_at.is_some() && timestamp_type_problem(f.ty, UPDATED_AT).is_none()
        }),
        indexes,
    })
}

/// The fields the table key names, valid keys or not.
pub(super) fn fallback_keys(resource: &Resource<'_>) -> FallbackKeys {
    let named =
        |lit: &Option<syn::LitStr>| lit.as_ref().and_then(|lit| resource.field(&lit.value()));
    let partition = named(&resource.attrs.key);
    let sort = named(&resource.attrs.sort_key)
        .filter(|(_, s)| partition.is_some_and(|(_, p)| p.name != s.name));
    FallbackKeys {
        partition: partition.map(|(i, _)| i),
        sort: sort.map(|(i, _)| i),
    }
}

/// The field that `arg = "name"` names, or an error that helps find it.
pub(super) fn resolve_field<'r, 'a>(
    cx: &Ctxt,
    resource: &'r Resource<'a>,
    lit: &syn::LitStr,
    arg: &str,
) -> Option<(usize, &'r Field<'a>)> {
    let name = lit.value();
    let Some((index, field)) = resource.field(&name) else {
        let names: Vec<&str> = resource.fields.iter().map(|f| f.name.as_str()).collect();
        let help = if let Some(field) = resource.fields.iter().find(|f| f.attribute == name) {
            format!(
                "`{arg}` takes the Rust field's name, not the attribute's: `{arg} = \"{}\"`",
                field.name
            )
        } else if let Some(close) = closest(&name, &names) {
            format!("did you mean `{close}`?")
        } else if names.is_empty() {
            format!("`{}` has no fields", resource.ident)
        } else {
            format!("the fields of `{}` are {}", resource.ident, all_of(&names))
        };
        cx.error_spanned_by(
            lit,
            format!("`{arg}` names no field `{name}`\nhelp: {help}"),
        );
        return None;
    };
    Some((index, field))
}

/// What `arg = "…"` makes the field it names, for an error on the argument
/// that points back from the field's type.
pub(super) fn key_role(arg: &str) -> &'static str {
    if arg == KEY {
        "partition key"
    } else {
        "sort key"
    }
}

/// `key` / `sort_key` of the table: a field of a key type, always stored.
fn key_field<'a>(
    cx: &Ctxt,
    resource: &Resource<'a>,
    lit: &syn::LitStr,
    arg: &str,
) -> Option<Key<'a>> {
    let name = lit.value();
    let (index, field) = resolve_field(cx, resource, lit, arg)?;
    let mut valid = true;
    if let Some((problem, help)) = key_type_problem(field.ty) {
        cx.error_spanned_by(
            field.ty,
            format!("the type of key field `{name}` {problem}\nhelp: {help}"),
        );
        cx.error_spanned_by(lit, format!("`{name}` is the {} here", key_role(arg)));
        valid = false;
    }
    if let Some(skip) = &field.attrs.skip {
        cx.error_spanned_by(
            skip,
            format!(
                "key field `{name}` cannot be `skip`: every item stores its key\n\
                 help: remove `skip`"
            ),
        );
        valid = false;
    }
    if let Some(default) = &field.attrs.default {
        cx.error_spanned_by(
            default,
            format!(
                "key field `{name}` cannot be `default`: every item stores its key\n\
                 help: remove `default`"
            ),
        );
        valid = false;
    }
    valid.then(|| Key {
        field: index,
        ty: field.ty,
        span: lit.span(),
    })
}
