//! Key templates: `key(attr = "pk", template = "ORG#{org}")`, a key
//! attribute computed from fields.

use crate::ast::Resource;
use crate::attr::TemplateArg;
use crate::ctxt::Ctxt;
use crate::model::{Key, KeySource, Template, TemplatePart};
use crate::symbol::*;
use crate::ty::{first_type_argument, key_type_problem, type_name};

use super::keys::closest_field_help;

/// A piece of a template as written.
enum Piece {
    Text(String),
    /// `{name}` or `{name:08}`.
    Field {
        name: String,
        width: usize,
    },
}

/// Splits `ORG#{org}#{n:08}` into text and fields; `{{` and `}}` are
/// literal braces. Errors are messages about the template.
fn split(template: &str) -> Result<Vec<Piece>, String> {
    let mut pieces = Vec::new();
    let mut text = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                text.push('}');
            }
            '}' => {
                return Err(
                    "a `}` closes no field\nhelp: write `}}` for a literal brace".to_owned(),
                )
            }
            '{' => {
                let mut inside = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some('{') | None => {
                            return Err(format!(
                                "the field `{{{inside}` is not closed\nhelp: write `{{{inside}}}`"
                            ))
                        }
                        Some(c) => inside.push(c),
                    }
                }
                if !text.is_empty() {
                    pieces.push(Piece::Text(std::mem::take(&mut text)));
                }
                pieces.push(field_piece(&inside)?);
            }
            c => text.push(c),
        }
    }
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    Ok(pieces)
}

/// `name` or `name:08`.
fn field_piece(inside: &str) -> Result<Piece, String> {
    let (name, width) = match inside.split_once(':') {
        Some((name, width)) => (name.trim(), Some(width.trim())),
        None => (inside.trim(), None),
    };
    if name.is_empty() {
        return Err("`{}` names no field\nhelp: put a field's name inside: `{id}`".to_owned());
    }
    let width = match width {
        None => 0,
        Some(w) => match w.strip_prefix('0').map(str::parse::<usize>) {
            Some(Ok(width)) if (1..=40).contains(&width) => width,
            _ => {
                return Err(format!(
                    "`{{{name}:{w}}}`: a width is a zero and a number of digits, 1 to 40\nhelp: write `{{{name}:08}}` to pad `{name}` to 8 digits"
                ))
            }
        },
    };
    Ok(Piece::Field {
        name: name.to_owned(),
        width,
    })
}

/// A templated key of the table or of an index: `role` names it in
/// messages ("partition key", "sort key of index `gsi1`"), and `sparse`
/// says whether its fields may be `Option`s (an index key: an item whose
/// field is `None` is left out of the index).
pub(super) fn check_template<'a>(
    cx: &Ctxt,
    resource: &Resource<'a>,
    arg: &TemplateArg,
    role: &str,
    sparse: bool,
) -> Option<Key<'a>> {
    let lit = &arg.template;
    let attribute = arg.attr.value();
    let mut valid = true;
    if attribute.is_empty() {
        cx.error_spanned_by(&arg.attr, "the key attribute's name is empty");
        valid = false;
    } else if let Some(field) = resource
        .fields
        .iter()
        .find(|f| f.attribute == attribute && f.attrs.skip.is_none())
    {
        cx.error_spanned_by(
            &arg.attr,
            format!(
                "attribute `{attribute}` is field `{}`'s; the {role}, computed from a template, needs an attribute of its own\n\
                 help: name it differently, e.g. `attr = \"pk\"`",
                field.name
            ),
        );
        valid = false;
    }
    let pieces = match split(&lit.value()) {
        Ok(pieces) => pieces,
        Err(message) => {
            cx.error_spanned_by(lit, format!("invalid template: {message}"));
            return None;
        }
    };
    if pieces.is_empty() {
        cx.error_spanned_by(
            lit,
            "empty template: a key value cannot be empty\nhelp: write text and fields, e.g. `\"USER#{id}\"`",
        );
        return None;
    }
    let mut parts = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Text(text) => parts.push(TemplatePart::Text(text)),
            Piece::Field { name, width } => {
                if seen.contains(&name) {
                    cx.error_spanned_by(
                        lit,
                        format!(
                            "field `{name}` is named twice in template `{}`; name it once",
                            lit.value()
                        ),
                    );
                    valid = false;
                    continue;
                }
                seen.push(name.clone());
                match template_field(cx, resource, lit, &name, role, sparse) {
                    Some((field, ty)) => parts.push(TemplatePart::Field { field, ty, width }),
                    None => valid = false,
                }
            }
        }
    }
    valid.then(|| Key {
        attribute,
        source: KeySource::Template(Template {
            text: lit.value(),
            parts,
        }),
        span: lit.span(),
    })
}

/// A field a template names: stored as itself, of a key type (inside an
/// `Option` for a sparse index key).
fn template_field<'a>(
    cx: &Ctxt,
    resource: &Resource<'a>,
    lit: &syn::LitStr,
    name: &str,
    role: &str,
    sparse: bool,
) -> Option<(usize, &'a syn::Type)> {
    let Some((position, field)) = resource.field(name) else {
        cx.error_spanned_by(
            lit,
            format!(
                "the template of the {role} names no field `{name}`\nhelp: {}",
                closest_field_help(resource, name, TEMPLATE)
            ),
        );
        return None;
    };
    let attrs = &field.attrs;
    let refused = [
        (attrs.skip.is_some(), "`skip`: it is not stored"),
        (
            attrs.flatten.is_some(),
            "`flatten`: it is several attributes",
        ),
        (
            attrs.with.is_some(),
            "`with`: its module decides how it is stored",
        ),
        (attrs.serde.is_some(), "`serde`: it is stored through serde"),
    ];
    if let Some((_, why)) = refused.iter().find(|(refused, _)| *refused) {
        cx.error_spanned_by(
            lit,
            format!("field `{name}` cannot be part of the {role}: it is {why}"),
        );
        return None;
    }
    let (ty, what) = match type_name(field.ty) {
        Some((ident, arguments)) if ident == "Option" && sparse => (
            first_type_argument(arguments)?,
            "the type inside the `Option` of field",
        ),
        _ => (field.ty, "the type of field"),
    };
    if let Some((problem, help)) = key_type_problem(ty) {
        cx.error_spanned_by(
            ty,
            format!("{what} `{name}`, part of the {role}, {problem}\nhelp: {help}"),
        );
        cx.error_spanned_by(lit, format!("`{name}` is part of the {role} here"));
        return None;
    }
    Some((position, ty))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(template: &str) -> Result<String, String> {
        let pieces = split(template)?;
        Ok(pieces
            .iter()
            .map(|p| match p {
                Piece::Text(t) => format!("[{t}]"),
                Piece::Field { name, width } => format!("<{name}:{width}>"),
            })
            .collect())
    }

    #[test]
    fn splits_text_fields_and_widths() {
        assert_eq!(shape("ORG#{org}").unwrap(), "[ORG#]<org:0>");
        assert_eq!(shape("{a}#{n:08}").unwrap(), "<a:0>[#]<n:8>");
        assert_eq!(shape("X{{y}}").unwrap(), "[X{y}]");
        assert_eq!(shape("ORG").unwrap(), "[ORG]");
    }

    #[test]
    fn refuses_malformed_templates() {
        for bad in ["{org", "org}", "{}", "{n:8}", "{n:0}", "{n:0x}", "{a{b}"] {
            assert!(shape(bad).is_err(), "{bad}");
        }
    }
}
