//! The table key: `key` and `sort_key` name fields that can be keys.

use crate::ast::{Field, Resource};
use crate::ctxt::Ctxt;
use crate::model::{FallbackKeys, Key, KeySource, Table};
use crate::symbol::*;
use crate::ty::{key_type_problem, timestamp_type_problem};

use super::index::check_indexes;
use super::template::check_template;

/// The table's key and indexes, when the key is valid.
pub(super) fn check_table<'a>(cx: &Ctxt, resource: &Resource<'a>) -> Option<Table<'a>> {
    let attrs = &resource.attrs;
    for (plain, template, arg) in [
        (&attrs.key, &attrs.key_template, KEY),
        (&attrs.sort_key, &attrs.sort_key_template, SORT_KEY),
    ] {
        if let (Some(_), Some(template)) = (plain, template) {
            cx.error_spanned_by(
                &template.keyword,
                format!("`{arg}` is given twice\nhelp: give either `{arg} = \"field\"` or `{arg}(attr = …, template = …)`"),
            );
            return None;
        }
    }
    let partition = match (&attrs.key, &attrs.key_template) {
        (Some(key), _) => key_field(cx, resource, key, KEY),
        (None, Some(template)) => check_template(cx, resource, template, "partition key", false),
        (None, None) => return None,
    };
    let sort = match (&attrs.sort_key, &attrs.sort_key_template) {
        (Some(sort_key), _)
            if attrs
                .key
                .as_ref()
                .is_some_and(|k| k.value() == sort_key.value()) =>
        {
            cx.error_spanned_by(
                sort_key,
                format!(
                    "`sort_key` must differ from `key`; both name `{}`\n\
                     help: remove `sort_key` for a table with a partition key only",
                    sort_key.value()
                ),
            );
            return None;
        }
        (Some(sort_key), _) => Some(key_field(cx, resource, sort_key, SORT_KEY)?),
        (None, Some(template)) => Some(check_template(cx, resource, template, "sort key", false)?),
        (None, None) => None,
    };
    if let (Some(p), Some(s)) = (&partition, &sort) {
        if p.attribute == s.attribute {
            cx.error_spanned_by(
                &attrs.sort_key_template.as_ref()?.attr,
                format!(
                    "the sort key's attribute must differ from the partition key's; both are `{}`",
                    p.attribute
                ),
            );
            return None;
        }
    }
    let entity = check_entity(cx, resource, [&partition, &sort]);
    let indexes = check_indexes(cx, resource, partition.as_ref(), sort.as_ref());
    let first = |arg: fn(&Field<'_>) -> bool| resource.fields.iter().position(arg);
    let stream = super::check_stream(cx, resource);
    let table = Table {
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
        entity: entity?,
        stream,
    };
    check_computed(cx, &table).then_some(table)
}

/// `entity = "…"` and `entity_attr = "…"`: `Some(None)` without an entity,
/// `None` after an error.
fn check_entity(
    cx: &Ctxt,
    resource: &Resource<'_>,
    keys: [&Option<Key<'_>>; 2],
) -> Option<Option<(String, String)>> {
    let attrs = &resource.attrs;
    let Some(entity) = &attrs.entity else {
        if let Some(attr) = &attrs.entity_attr {
            cx.error_spanned_by(
                attr,
                "`entity_attr` names the entity attribute, and this resource has no `entity`\nhelp: add `entity = \"...\"`, or remove `entity_attr`",
            );
            return None;
        }
        return Some(None);
    };
    let name = entity.value();
    if name.is_empty() {
        cx.error_spanned_by(
            entity,
            "the entity's name is empty\nhelp: write `entity = \"User\"`",
        );
        return None;
    }
    let attribute = attrs
        .entity_attr
        .as_ref()
        .map_or_else(|| DEFAULT_ENTITY_ATTR.to_owned(), syn::LitStr::value);
    let at = || -> proc_macro2::Span {
        attrs
            .entity_attr
            .as_ref()
            .map_or_else(|| entity.span(), |lit| lit.span())
    };
    if attribute.is_empty() {
        cx.error_at(at(), "the entity attribute's name is empty");
        return None;
    }
    let field = resource
        .fields
        .iter()
        .find(|f| f.attribute == attribute && f.attrs.skip.is_none());
    let key = keys
        .iter()
        .filter_map(|k| k.as_ref())
        .find(|k| k.attribute == attribute);
    if let Some(field) = field {
        cx.error_at(
            at(),
            format!("the entity attribute `{attribute}` is also field `{}`'s\nhelp: name the entity attribute differently with `entity_attr = \"...\"`", field.name),
        );
        return None;
    }
    if key.is_some() {
        cx.error_at(
            at(),
            format!("the entity attribute `{attribute}` is also a key attribute\nhelp: name it differently with `entity_attr = \"...\"`"),
        );
        return None;
    }
    Some(Some((attribute, name)))
}

/// Computed key attributes: each one attribute, not also a field's nor
/// the entity's, and one attribute computed two ways is an error.
fn check_computed(cx: &Ctxt, table: &Table<'_>) -> bool {
    let mut valid = true;
    let keys = table
        .indexes
        .iter()
        .filter_map(|i| i.keys.as_ref())
        .flat_map(|k| k.partition.iter().chain(&k.sort));
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for key in std::iter::once(&table.partition)
        .chain(&table.sort)
        .chain(keys)
    {
        let KeySource::Template(template) = &key.source else {
            continue;
        };
        if table
            .entity
            .as_ref()
            .is_some_and(|(attr, _)| *attr == key.attribute)
        {
            cx.error_at(
                key.span,
                format!("key attribute `{}` is also the entity attribute\nhelp: name one of them differently", key.attribute),
            );
            valid = false;
        }
        match seen.iter().find(|(attr, _)| *attr == key.attribute) {
            Some((_, text)) if *text != template.text => {
                cx.error_at(
                    key.span,
                    format!(
                        "key attribute `{}` is computed from `{text}` elsewhere; one attribute has one template",
                        key.attribute
                    ),
                );
                valid = false;
            }
            Some(_) => {}
            None => seen.push((&key.attribute, &template.text)),
        }
    }
    valid
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
        cx.error_spanned_by(
            lit,
            format!(
                "`{arg}` names no field `{name}`\nhelp: {}",
                closest_field_help(resource, &name, arg)
            ),
        );
        return None;
    };
    Some((index, field))
}

/// How to find the field `name` that `arg` meant.
pub(super) fn closest_field_help(resource: &Resource<'_>, name: &str, arg: &str) -> String {
    let names: Vec<&str> = resource.fields.iter().map(|f| f.name.as_str()).collect();
    if let Some(field) = resource.fields.iter().find(|f| f.attribute == name) {
        let written = if arg == TEMPLATE {
            format!("{{{}}}", field.name)
        } else {
            format!("{arg} = \"{}\"", field.name)
        };
        format!("`{arg}` takes the Rust field's name, not the attribute's: `{written}`")
    } else if let Some(close) = closest(name, &names) {
        format!("did you mean `{close}`?")
    } else if names.is_empty() {
        format!("`{}` has no fields", resource.ident)
    } else {
        format!("the fields of `{}` are {}", resource.ident, all_of(&names))
    }
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
        attribute: field.attribute.clone(),
        source: KeySource::Field {
            field: index,
            ty: field.ty,
        },
        span: lit.span(),
    })
}
