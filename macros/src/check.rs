//! Rules that look across the whole definition. Every rule reports into the
//! context and keeps going, so one compile shows every mistake.

use std::collections::HashMap;

use proc_macro2::Span;
use quote::ToTokens;

use crate::ast::{Field, Resource};
use crate::ctxt::Ctxt;
use crate::symbol::*;

/// The resolved key fields (indices into `Resource::fields`).
#[derive(Clone)]
pub(crate) struct Keys {
    pub(crate) partition: usize,
    pub(crate) sort: Option<usize>,
    pub(crate) indexes: Vec<ResolvedIndex>,
}

/// A valid secondary index: indices into `Resource::fields` and
/// `Container::indexes`.
#[derive(Clone)]
pub(crate) struct ResolvedIndex {
    /// Position in `Container::indexes`.
    pub(crate) attr: usize,
    /// The partition key field; `None` for a local index (the table's).
    pub(crate) partition: Option<usize>,
    pub(crate) sort: Option<usize>,
    /// Projected fields, for `projection = [...]`.
    pub(crate) include: Vec<usize>,
    /// Whether every rule holds; an invalid index only gets a stub handle.
    pub(crate) valid: bool,
}

/// What a valid definition declares.
pub(crate) enum Checked {
    /// A resource with its key fields.
    Resource(Keys),
    /// A projection of another resource.
    Projection(syn::Path),
}

/// Checks the definition; returns what it declares when that is valid
/// enough to generate code from.
pub(crate) fn check(cx: &Ctxt, resource: &Resource<'_>) -> Option<Checked> {
    check_shape(cx, resource);
    if let Some(of) = &resource.attrs.projection {
        check_projection(cx, resource);
        return Some(Checked::Projection(of.clone()));
    }
    check_required(cx, resource);
    check_service(cx, resource);
    check_table_name(cx, resource);
    check_fields(cx, resource);
    check_attribute_names(cx, resource);
    check_special_fields(cx, resource);
    check_keys(cx, resource).map(Checked::Resource)
}

/// A projection takes its table, keys and attribute names from its resource.
fn check_projection(cx: &Ctxt, resource: &Resource<'_>) {
    let attrs = &resource.attrs;
    let not_here = |tokens: &dyn quote::ToTokens, arg: &str| {
        cx.error_spanned_by(
            tokens.to_token_stream(),
            format!("`{arg}` does not apply to a projection: it uses the table, keys and attribute names of its resource"),
        );
    };
    if let Some(service) = &attrs.service {
        if !SERVICES.contains(&service.value().as_str()) {
            check_service(cx, resource);
        }
    }
    for (lit, arg) in [
        (&attrs.table, TABLE),
        (&attrs.key, KEY),
        (&attrs.sort_key, SORT_KEY),
    ] {
        if let Some(lit) = lit {
            not_here(lit, arg);
        }
    }
    if let Some((_, lit)) = &attrs.rename_all {
        not_here(lit, RENAME_ALL);
    }
    for index in &attrs.indexes {
        not_here(&index.keyword, if index.local { LOCAL_INDEX } else { INDEX });
    }
    for field in &resource.fields {
        if let Some(rename) = &field.attrs.rename {
            not_here(rename, RENAME);
        }
        for (path, arg) in [(&field.attrs.version, VERSION), (&field.attrs.ttl, TTL)] {
            if let Some(path) = path {
                not_here(path, arg);
            }
        }
    }
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
    let message = match (&attrs.service, &attrs.key) {
        (None, None) => format!(
            "missing arguments `service` and `key`\n\
             help: write `#[resource(service = \"dynamodb\", {key_example})]`, \
             with `key` naming the partition key field"
        ),
        (None, Some(_)) => {
            "missing argument `service`\nhelp: add `service = \"dynamodb\"`".to_owned()
        }
        (Some(_), None) => format!(
            "missing argument `key`: name the partition key field\n\
             help: add `{key_example}` with the name of your key field"
        ),
        (Some(_), Some(_)) => return,
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

/// `version` and `ttl`: at most one each, not on a key, of a fitting type.
fn check_special_fields(cx: &Ctxt, resource: &Resource<'_>) {
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

const INTEGERS: &[&str] = &[
    "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize",
];

/// Types whose syntax shows they are not integers (others are left to the
/// `VersionValue` trait).
const NOT_INTEGERS: &[&str] = &[
    "String",
    "str",
    "char",
    "bool",
    "f32",
    "f64",
    "Number",
    "Option",
    "Vec",
    "VecDeque",
    "HashSet",
    "BTreeSet",
    "HashMap",
    "BTreeMap",
    "SystemTime",
];

pub(crate) fn version_type_problem(ty: &syn::Type) -> Option<String> {
    let found = match type_name(ty) {
        Some((ident, _)) if INTEGERS.contains(&ident.to_string().as_str()) => return None,
        Some((ident, _)) if NOT_INTEGERS.contains(&ident.to_string().as_str()) => ident.to_string(),
        Some(_) => return None,
        None => quote::ToTokens::to_token_stream(ty).to_string(),
    };
    Some(format!(
        "a `version` field needs an integer type, found `{found}`\nhelp: use `u64`"
    ))
}

pub(crate) fn ttl_type_problem(ty: &syn::Type) -> Option<String> {
    let allowed = ["SystemTime", "i64", "u64"];
    let ttl_problem = |found: &str| {
        format!(
            "a `ttl` field is stored as epoch seconds and needs `SystemTime`, `i64` or `u64` (or an `Option` of these), found `{found}`"
        )
    };
    let Some((ident, arguments)) = type_name(ty) else {
        return Some(ttl_problem(
            &quote::ToTokens::to_token_stream(ty).to_string(),
        ));
    };
    let name = ident.to_string();
    if allowed.contains(&name.as_str()) {
        return None;
    }
    if name == "Option" {
        if let syn::PathArguments::AngleBracketed(args) = arguments {
            if let Some(syn::GenericArgument::Type(inner)) = args.args.first() {
                return ttl_type_problem(inner);
            }
        }
    }
    let known = INTEGERS.contains(&name.as_str()) || NOT_INTEGERS.contains(&name.as_str());
    known.then(|| ttl_problem(&name))
}

fn check_fields(cx: &Ctxt, resource: &Resource<'_>) {
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

fn check_attribute_names(cx: &Ctxt, resource: &Resource<'_>) {
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

/// The last path segment of a type, if it is a plain path.
pub(crate) fn type_name(ty: &syn::Type) -> Option<(&syn::Ident, &syn::PathArguments)> {
    match ty {
        syn::Type::Path(p) if p.qself.is_none() => {
            p.path.segments.last().map(|s| (&s.ident, &s.arguments))
        }
        syn::Type::Group(g) => type_name(&g.elem),
        syn::Type::Paren(p) => type_name(&p.elem),
        _ => None,
    }
}

/// The first type argument: `T` of `Option<T>`.
pub(crate) fn first_type_argument(arguments: &syn::PathArguments) -> Option<&syn::Type> {
    match arguments {
        syn::PathArguments::AngleBracketed(args) => match args.args.first() {
            Some(syn::GenericArgument::Type(t)) => Some(t),
            _ => None,
        },
        _ => None,
    }
}

fn is_u8_vec(arguments: &syn::PathArguments) -> bool {
    first_type_argument(arguments).is_some_and(|t| type_name(t).is_some_and(|(i, _)| i == "u8"))
}

/// A type as written, without the spaces of token printing: `Vec<u8>`.
fn type_text(ty: &syn::Type) -> String {
    let mut text = ty.to_token_stream().to_string();
    for (from, to) in [
        (" < ", "<"),
        ("< ", "<"),
        (" <", "<"),
        (" >", ">"),
        (" :: ", "::"),
    ] {
        text = text.replace(from, to);
    }
    text
}

const KEY_TYPES_HELP: &str =
    "a key is a string (`String`), a number (an integer or `Number`) or binary (`Vec<u8>`)";

/// Why a type cannot be a key, when that is visible from its syntax, with
/// the help to give. Other types are checked by the compiler through the
/// `KeyAttribute` trait.
fn key_type_problem(ty: &syn::Type) -> Option<(&'static str, String)> {
    let general = || KEY_TYPES_HELP.to_owned();
    if let syn::Type::Tuple(_) | syn::Type::Array(_) | syn::Type::Slice(_) = ty {
        return Some(("is a collection", general()));
    }
    let (ident, arguments) = type_name(ty)?;
    let problem = match ident.to_string().as_str() {
        "Option" => {
            let help = match first_type_argument(arguments) {
                Some(inner) => format!("use the type inside the `Option`: `{}`", type_text(inner)),
                None => general(),
            };
            return Some(("is an `Option`; every item must have its key", help));
        }
        "bool" => "is `bool`, stored as BOOL",
        "Vec" if !is_u8_vec(arguments) => "is a list (`Vec`), stored as L",
        "VecDeque" | "LinkedList" => "is a list, stored as L",
        "HashSet" | "BTreeSet" => "is a set",
        "HashMap" | "BTreeMap" => "is a map, stored as M",
        "f32" | "f64" => "is a floating-point number, which cannot be compared exactly",
        _ => return None,
    };
    Some((problem, general()))
}

/// Resolves `key` / `sort_key` to a field and checks it; returns its index.
/// The field that `arg = "name"` names, or an error that helps find it.
fn resolve_field<'r, 'a>(
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

fn key_field(cx: &Ctxt, resource: &Resource<'_>, lit: &syn::LitStr, arg: &str) -> Option<usize> {
    let name = lit.value();
    let (index, field) = resolve_field(cx, resource, lit, arg)?;
    let mut valid = true;
    if let Some((problem, help)) = key_type_problem(field.ty) {
        cx.error_spanned_by(
            field.ty,
            format!("the type of key field `{name}` {problem}\nhelp: {help}"),
        );
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
    valid.then_some(index)
}

fn check_keys(cx: &Ctxt, resource: &Resource<'_>) -> Option<Keys> {
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
    let indexes = check_indexes(cx, resource, sort);
    Some(Keys {
        partition: partition?,
        sort,
        indexes,
    })
}

/// `A-Z 0-9 _` for the handle of index `name`: `by-email` → `BY_EMAIL`.
pub(crate) fn index_const_name(name: &str) -> String {
    let mut out: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect();
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// An index key field: a key type, or an `Option` of one (a sparse index).
fn index_key_field(
    cx: &Ctxt,
    resource: &Resource<'_>,
    lit: &syn::LitStr,
    arg: &str,
    index: &str,
) -> Option<usize> {
    let (position, field) = resolve_field(cx, resource, lit, arg)?;
    let name = &field.name;
    let (ty, what) = match type_name(field.ty) {
        Some((ident, arguments)) if ident == "Option" => (
            first_type_argument(arguments)?,
            "the type inside the `Option` of field",
        ),
        _ => (field.ty, "the type of field"),
    };
    let mut valid = true;
    if let Some((problem, help)) = key_type_problem(ty) {
        cx.error_spanned_by(
            ty,
            format!("{what} `{name}`, a key of index `{index}`, {problem}\nhelp: {help}"),
        );
        valid = false;
    }
    if let Some(skip) = &field.attrs.skip {
        cx.error_spanned_by(
            skip,
            format!("field `{name}` is a key of index `{index}` and cannot be `skip`\nhelp: remove `skip`"),
        );
        valid = false;
    }
    valid.then_some(position)
}

/// Every rule of `index(...)` and `local_index(...)`.
fn check_indexes(
    cx: &Ctxt,
    resource: &Resource<'_>,
    table_sort: Option<usize>,
) -> Vec<ResolvedIndex> {
    let mut resolved = Vec::new();
    let mut names: Vec<(String, &syn::LitStr)> = Vec::new();
    let mut globals = 0;
    let mut locals = 0;
    let field_consts: Vec<String> = resource
        .fields
        .iter()
        .map(|f| f.name.to_uppercase())
        .collect();
    for (position, index) in resource.attrs.indexes.iter().enumerate() {
        let what = if index.local { LOCAL_INDEX } else { INDEX };
        let Some(name_lit) = &index.name else {
            cx.error_spanned_by(
                &index.keyword,
                format!(
                    "missing `name` in `{what}(...)`\nhelp: add `name = \"by_{}\"`",
                    index
                        .key
                        .as_ref()
                        .or(index.sort_key.as_ref())
                        .map_or_else(|| "...".to_owned(), syn::LitStr::value)
                ),
            );
            continue;
        };
        let name = name_lit.value();
        let mut valid = true;
        if !(3..=255).contains(&name.len())
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        {
            cx.error_spanned_by(
                name_lit,
                format!("invalid index name `{name}`: index names are 3 to 255 characters of a-z, A-Z, 0-9, `_`, `-` and `.`"),
            );
            valid = false;
        }
        let mut clashes = false;
        if names.iter().any(|(n, _)| *n == name) {
            cx.error_spanned_by(
                name_lit,
                format!("two indexes are named `{name}`; index names must be unique"),
            );
            valid = false;
            clashes = true;
        }
        let handle = index_const_name(&name);
        if let Some(field) = resource
            .fields
            .iter()
            .zip(&field_consts)
            .find(|(_, c)| **c == handle)
        {
            cx.error_spanned_by(
                name_lit,
                format!(
                    "the handle of index `{name}`, `{handle}`, clashes with the attribute handle of field `{}`\nhelp: name the index differently, e.g. `by_{name}`",
                    field.0.name
                ),
            );
            valid = false;
            clashes = true;
        }
        if let Some((other, _)) = names
            .iter()
            .find(|(n, _)| *n != name && index_const_name(n) == handle)
        {
            cx.error_spanned_by(
                name_lit,
                format!("indexes `{other}` and `{name}` would both have the handle `{handle}`"),
            );
            valid = false;
            clashes = true;
        }
        names.push((name.clone(), name_lit));

        if index.local {
            locals += 1;
            if locals == MAX_LOCAL_INDEXES + 1 {
                cx.error_spanned_by(
                    &index.keyword,
                    format!("a table has at most {MAX_LOCAL_INDEXES} local indexes"),
                );
            }
        } else {
            globals += 1;
            if globals == MAX_GLOBAL_INDEXES + 1 {
                cx.error_spanned_by(
                    &index.keyword,
                    format!("a table has at most {MAX_GLOBAL_INDEXES} global indexes"),
                );
            }
        }

        let partition = if index.local {
            if resource.attrs.sort_key.is_none() {
                cx.error_spanned_by(
                    &index.keyword,
                    "a local index needs a table with a sort key\nhelp: add `sort_key = \"...\"` to the table, or use a global `index(...)`",
                );
                valid = false;
            }
            None
        } else {
            match &index.key {
                Some(lit) => index_key_field(cx, resource, lit, KEY, &name),
                None => {
                    cx.error_spanned_by(
                        &index.keyword,
                        format!("missing `key` in `index(...)`: name the partition key field of index `{name}`\nhelp: add `key = \"...\"`"),
                    );
                    None
                }
            }
        };
        let sort = match (&index.sort_key, index.local) {
            (Some(lit), _) => {
                let same_as_key = index.key.as_ref().is_some_and(|k| k.value() == lit.value());
                if same_as_key {
                    cx.error_spanned_by(
                        lit,
                        format!(
                            "the `sort_key` of index `{name}` must differ from its `key`; both name `{}`\n\
                             help: remove `sort_key` for an index with a partition key only",
                            lit.value()
                        ),
                    );
                    valid = false;
                }
                let field = index_key_field(cx, resource, lit, SORT_KEY, &name);
                if index.local && field.is_some() && field == table_sort {
                    cx.error_spanned_by(
                        lit,
                        format!("the sort key of local index `{name}` is the table's sort key; a local index needs another sort key"),
                    );
                    valid = false;
                }
                valid &= field.is_some();
                field
            }
            (None, true) => {
                cx.error_spanned_by(
                    &index.keyword,
                    "missing `sort_key` in `local_index(...)`: a local index sorts by another attribute\nhelp: add `sort_key = \"...\"`",
                );
                valid = false;
                None
            }
            (None, false) => None,
        };
        if !index.local && partition.is_none() {
            valid = false;
        }
        let mut include = Vec::new();
        if let crate::attr::IndexProjectionAttr::Include(fields) = &index.projection {
            for lit in fields {
                match resolve_field(cx, resource, lit, PROJECTION) {
                    Some((_, field)) if !field.is_stored() => {
                        cx.error_spanned_by(
                            lit,
                            format!(
                                "field `{}` is `skip`: it is not stored, so it cannot be projected",
                                field.name
                            ),
                        );
                        valid = false;
                    }
                    Some((i, field)) => {
                        let is_key = Some(i) == partition
                            || Some(i) == sort
                            || resource
                                .attrs
                                .key
                                .as_ref()
                                .is_some_and(|k| k.value() == field.name)
                            || resource
                                .attrs
                                .sort_key
                                .as_ref()
                                .is_some_and(|k| k.value() == field.name);
                        if is_key {
                            cx.error_spanned_by(lit, format!("`{}` is a key and always projected\nhelp: remove it from the list", field.name));
                            valid = false;
                        } else if include.contains(&i) {
                            cx.error_spanned_by(lit, format!("`{}` is listed twice", field.name));
                            valid = false;
                        } else {
                            include.push(i);
                        }
                    }
                    None => valid = false,
                }
            }
        }
        // An invalid index still gets its handle (without its keys), so that
        // uses of `User::BY_X` elsewhere add no errors to the real one; a
        // handle that clashes with another is left out.
        if !clashes && handle.chars().any(|c| c != '_') {
            resolved.push(ResolvedIndex {
                attr: position,
                partition,
                sort,
                include,
                valid,
            });
        }
    }
    resolved
}
