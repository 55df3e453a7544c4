//! `projection = User`: a projection takes its table, keys, indexes and
//! attribute names from its resource, so every argument that would declare
//! one of them is an error on its own span.

use quote::ToTokens;

use super::check_service;
use crate::ast::Resource;
use crate::ctxt::Ctxt;
use crate::symbol::*;

pub(super) fn check_projection(cx: &Ctxt, resource: &Resource<'_>) {
    let attrs = &resource.attrs;
    let not_here = |tokens: &dyn ToTokens, arg: &str| {
        cx.error_spanned_by(
            tokens.to_token_stream(),
            format!("`{arg}` does not apply to a projection: it uses the table, keys and attribute names of its resource"),
        );
    };
    // `service` is optional here, but it must still be right.
    check_service(cx, resource);
    for (lit, arg) in [
        (&attrs.table, TABLE),
        (&attrs.key, KEY),
        (&attrs.sort_key, SORT_KEY),
        (&attrs.entity, ENTITY),
        (&attrs.entity_attr, ENTITY_ATTR),
        (&attrs.stream, STREAM),
    ] {
        if let Some(lit) = lit {
            not_here(lit, arg);
        }
    }
    for (template, arg) in [
        (&attrs.key_template, KEY),
        (&attrs.sort_key_template, SORT_KEY),
    ] {
        if let Some(template) = template {
            not_here(&template.keyword, arg);
        }
    }
    if let Some((_, lit)) = &attrs.rename_all {
        not_here(lit, RENAME_ALL);
    }
    for index in &attrs.indexes {
        not_here(
            &index.keyword,
            if index.local { LOCAL_INDEX } else { INDEX },
        );
    }
    for field in &resource.fields {
        if let Some(rename) = &field.attrs.rename {
            not_here(rename, RENAME);
        }
        if let Some(flatten) = &field.attrs.flatten {
            cx.error_spanned_by(
                flatten,
                "`flatten` does not apply to a projection: project the flattened struct's attributes as fields of their own",
            );
        }
        for (path, arg) in [
            (&field.attrs.version, VERSION),
            (&field.attrs.ttl, TTL),
            (&field.attrs.created_at, CREATED_AT),
            (&field.attrs.updated_at, UPDATED_AT),
        ] {
            if let Some(path) = path {
                not_here(path, arg);
            }
        }
    }
}
