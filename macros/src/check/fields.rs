//! Rules on fields: names, conflicting arguments, `version` and `ttl`.

use std::collections::HashMap;

use crate::ast::{Field, Resource};
use crate::ctxt::Ctxt;
use crate::symbol::*;
use crate::ty::{ttl_type_problem, version_type_problem};

pub(super) fn check_fields(cx: &Ctxt, resource: &Resource<'_>) {
    for field in &resource.fields {
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
        }
    }
}

pub(super) fn check_attribute_names(cx: &Ctxt, resource: &Resource<'_>) {
    // Names that come from `rename_all` are explained, since the clash is
    // not visible in the source.
    let rule = resource
        .attrs
        .rename_all
        .as_ref()
        .map(|(_, lit)| lit.value());
    let by_rule = |field: &Field<'_>| {
        rule.is_some() && field.attrs.rename.is_none() && field.attribute != field.name
    };
    let mut seen: HashMap<&str, &Field<'_>> = HashMap::new();
    for field in resource.fields.iter().filter(|f| f.is_stored()) {
        let Some(&first) = seen.get(field.attribute.as_str()) else {
            seen.insert(&field.attribute, field);
            continue;
        };
        let rule = rule.as_deref().unwrap_or_default();
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

/// `version` and `ttl`: at most one each, not on a key, of a fitting type.
pub(super) fn check_special_fields(cx: &Ctxt, resource: &Resource<'_>) {
    let keys: Vec<String> = [&resource.attrs.key, &resource.attrs.sort_key]
        .into_iter()
        .flatten()
        .map(|k| k.value())
        .collect();
    for (arg, pick) in [
        (
            VERSION,
            (|f: &Field<'_>| f.attrs.version.clone()) as fn(&Field<'_>) -> Option<syn::Path>,
        ),
        (TTL, |f: &Field<'_>| f.attrs.ttl.clone()),
    ] {
        let mut first: Option<&Field<'_>> = None;
        for field in &resource.fields {
            let Some(path) = pick(field) else { continue };
            if let Some(first) = first {
                cx.error_spanned_by(
                    &path,
                    format!(
                        "only one field can be `{arg}`; field `{}` already is\nhelp: remove `{arg}` from one of them",
                        first.name
                    ),
                );
                continue;
            }
            first = Some(field);
            if keys.contains(&field.name) {
                cx.error_spanned_by(
                    &path,
                    format!(
                        "key field `{}` cannot be `{arg}`: a key never changes\nhelp: put `{arg}` on a field of its own",
                        field.name
                    ),
                );
            }
            for (other, name) in [(&field.attrs.skip, SKIP), (&field.attrs.default, DEFAULT)] {
                if other.is_some() {
                    cx.error_spanned_by(&path, format!("`{arg}` and `{name}` conflict"));
                }
            }
            let problem = if arg == VERSION {
                version_type_problem(field.ty)
            } else {
                ttl_type_problem(field.ty)
            };
            if let Some(problem) = problem {
                cx.error_spanned_by(field.ty, problem);
            }
        }
    }
    for field in &resource.fields {
        if let (Some(version), Some(_)) = (&field.attrs.version, &field.attrs.ttl) {
            cx.error_spanned_by(
                version,
                "`version` and `ttl` conflict: a field is one or the other",
            );
        }
    }
}
