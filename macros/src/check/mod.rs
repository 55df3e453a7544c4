//! Rules that look across the whole definition, and the resolved model
//! they produce. Every rule reports into the context and keeps going, so one
//! compile shows every mistake.

mod derive;
mod fields;
mod index;
mod keys;
mod projection;
mod template;

use proc_macro2::Span;
use quote::format_ident;
use syn::spanned::Spanned;

pub(crate) use derive::check_derive;

use crate::ast::{self, Resource};
use crate::ctxt::Ctxt;
use crate::model::{self, Model, Read, Target};
use crate::symbol::*;
use crate::ty;

/// Checks the definition and resolves what it declares; `None` when nothing
/// should be generated for it.
pub(crate) fn check<'a>(cx: &Ctxt, resource: &Resource<'a>) -> Option<Model<'a>> {
    check_shape(cx, resource);
    let target = match &resource.attrs.projection {
        Some(of) => {
            projection::check_projection(cx, resource);
            Target::Projection(of.clone())
        }
        None => check_resource(cx, resource),
    };
    // `impl Resource for User` would only add "missing generics" errors to
    // the one that matters.
    if resource.is_generic() {
        return None;
    }
    Some(Model {
        ident: resource.ident,
        vis: &resource.original.vis,
        krate: resource.krate(),
        table: resource.table_name(),
        fields: resource.fields.iter().map(model_field).collect(),
        target,
    })
}

fn check_resource<'a>(cx: &Ctxt, resource: &Resource<'a>) -> Target<'a> {
    check_required(cx, resource);
    check_service(cx, resource);
    check_table_name(cx, resource);
    fields::check_fields(cx, &resource.fields);
    fields::check_attribute_names(cx, resource);
    fields::check_special_fields(cx, resource);
    fields::check_with_on_keys(cx, resource);
    let keys_stored = fields::check_flatten_on_keys(cx, resource);
    match keys::check_table(cx, resource).filter(|_| keys_stored) {
        Some(table) => Target::Resource(Box::new(table)),
        None => Target::Fallback(keys::fallback_keys(resource)),
    }
}

fn model_field<'a>(field: &ast::Field<'a>) -> model::Field<'a> {
    let attrs = &field.attrs;
    let read = if attrs.skip.is_some() {
        Read::Skipped
    } else if attrs.default.is_some() {
        Read::OrDefault
    } else {
        Read::Required
    };
    model::Field {
        name: field.name.clone(),
        member: field.ident,
        ty: field.ty,
        attribute: field.attribute.clone(),
        handle: format_ident!("{}", field_handle(&field.name), span = field.ident.span()),
        read,
        ttl: attrs.ttl.is_some() && ty::ttl_type_problem(field.ty).is_none(),
        assert_version: attrs.version.is_some() && ty::version_type_problem(field.ty).is_none(),
        with: attrs.with.as_ref().map(|with| with.path.clone()),
        // `flatten` with `serde` is refused; the field is then flattened,
        // so that the refusal is its only error.
        serde: attrs
            .serde
            .as_ref()
            .filter(|_| attrs.flatten.is_none())
            .map(|path| path.span()),
        flatten: attrs.flatten.is_some(),
    }
}

/// The attribute handle of field `name`: `EMAIL` for `email`.
fn field_handle(name: &str) -> String {
    name.to_uppercase()
}

fn check_shape(cx: &Ctxt, resource: &Resource<'_>) {
    if resource.is_generic() {
        cx.error_spanned_by(
            &resource.original.generics,
            "`#[resource]` does not support generic structs: a table stores one concrete type\n\
             help: remove the type parameters and declare one struct per stored type",
        );
    }
}

/// Reports a required argument that is not there, pointing at the
/// arguments that are. Stays quiet when an argument could not be read: it
/// may be the one reported missing.
fn missing(cx: &Ctxt, resource: &Resource<'_>, message: String) {
    let attrs = &resource.attrs;
    if attrs.incomplete {
        return;
    }
    if attrs.args.is_empty() {
        cx.error_at(Span::call_site(), message);
    } else {
        cx.error_spanned_by(&attrs.args, message);
    }
}

/// `service` and `key` are required; both missing is one error.
fn check_required(cx: &Ctxt, resource: &Resource<'_>) {
    let attrs = &resource.attrs;
    let key_example = format!(
        "key = \"{}\"",
        resource.fields.first().map_or("id", |f| f.name.as_str())
    );
    let key = attrs.key.is_some() || attrs.key_template.is_some();
    let message = match (&attrs.service, key) {
        (None, false) => format!(
            "missing arguments `service` and `key`\n\
             help: write `#[resource(service = \"dynamodb\", {key_example})]`, \
             with `key` naming the partition key field"
        ),
        (None, true) => "missing argument `service`\nhelp: add `service = \"dynamodb\"`".to_owned(),
        (Some(_), false) => format!(
            "missing argument `key`: name the partition key field\n\
             help: add `{key_example}` with the name of your key field"
        ),
        (Some(_), true) => return,
    };
    missing(cx, resource, message);
}

fn check_service(cx: &Ctxt, resource: &Resource<'_>) {
    let Some(lit) = &resource.attrs.service else {
        return;
    };
    let service = lit.value();
    if !SERVICES.contains(&service.as_str()) {
        cx.error_spanned_by(
            lit,
            format!(
                "unsupported service `{service}`; `#[resource]` supports {}\n\
                 help: write `service = \"{}\"`",
                one_of(SERVICES),
                closest(&service, SERVICES).unwrap_or(SERVICES[0]),
            ),
        );
    }
}

/// `stream = "…"`: one of DynamoDB's four views, as the `StreamView`
/// variant it names; an unknown view is reported on the string.
fn check_stream(cx: &Ctxt, resource: &Resource<'_>) -> Option<&'static str> {
    let lit = resource.attrs.stream.as_ref()?;
    let view = lit.value();
    if let Some((_, variant)) = STREAM_VIEWS.iter().find(|(name, _)| *name == view) {
        return Some(variant);
    }
    let names: Vec<&str> = STREAM_VIEWS.iter().map(|(name, _)| *name).collect();
    cx.error_spanned_by(
        lit,
        format!(
            "unknown stream view `{view}`; expected one of {}{}",
            one_of(&names),
            did_you_mean(&view, &names),
        ),
    );
    None
}

fn check_table_name(cx: &Ctxt, resource: &Resource<'_>) {
    let name = resource.table_name();
    let problem = if !(3..=255).contains(&name.len()) {
        Some(format!(
            "it is {} characters long; DynamoDB needs 3 to 255",
            name.len()
        ))
    } else {
        name.chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')))
            .map(|c| {
                format!("it contains `{c}`; DynamoDB allows only a-z, A-Z, 0-9, `_`, `-` and `.`")
            })
    };
    let Some(problem) = problem else {
        return;
    };
    match &resource.attrs.table {
        Some(lit) => {
            // A name of hundreds of characters would drown the message.
            let shown = if name.chars().count() > 40 {
                format!("{}...", name.chars().take(32).collect::<String>())
            } else {
                name
            };
            cx.error_spanned_by(lit, format!("invalid table name `{shown}`: {problem}"))
        }
        None => cx.error_spanned_by(
            resource.ident,
            format!(
                "invalid table name `{name}` (the struct's name): {problem}\n\
                 help: name the table with `table = \"...\"`"
            ),
        ),
    }
}
