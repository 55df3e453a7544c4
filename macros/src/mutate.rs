//! Valid definitions and one-token mutations of them, for the property
//! tests of the macros (`tests.rs`) and the fuzz target (`fuzz.rs`).

use std::str::FromStr;

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};

/// Valid `#[resource(...)]` definitions: the arguments and the struct.
pub(crate) const RESOURCES: &[(&str, &str)] = &[
    (
        r#"service = "dynamodb", table = "users", key = "id""#,
        "struct User { id: String, email: String, age: u32 }",
    ),
    (
        r#"service = "dynamodb", table = "readings", key = "device", sort_key = "seq",
           index(name = "by_kind", key = "kind", sort_key = "seq"),
           local_index(name = "by_value", sort_key = "value", projection = ["kind"])"#,
        "pub struct Reading { pub device: String, pub seq: u32, pub kind: String, pub value: i64 }",
    ),
    (
        r#"service = "dynamodb", table = "counters", key = "id", rename_all = "camelCase""#,
        "struct Counter { id: String, total_count: u64, #[resource(version)] version: u64,
           #[resource(ttl)] expires_at: Option<u64>, #[resource(rename = \"n\")] note: Option<String> }",
    ),
    (
        r#"service = "dynamodb", table = "app", entity = "User",
           key(attr = "pk", template = "ORG#{org}"), sort_key(attr = "sk", template = "USER#{id}"),
           index(name = "gsi1", key(attr = "gsi1pk", template = "EMAIL#{email}"),
                 sort_key(attr = "gsi1sk", template = "USER")),
           index(name = "by_region", key = ["region", "tier"], sort_key = ["joined", "id"])"#,
        "struct User { org: String, id: String, email: String, region: String, tier: String,
           joined: u64, name: String }",
    ),
    (
        "projection = User",
        "struct UserEmail { id: String, email: String }",
    ),
];

/// Valid `#[derive(Attribute)]` inputs.
pub(crate) const DERIVES: &[&str] = &[
    "#[resource(rename_all = \"camelCase\")] struct Address { street: String, postal_code: Option<String>,
       #[resource(default)] geo: Option<Geo>, #[resource(skip)] cache: u8 }",
    "struct UserId(String);",
    "#[resource(rename_all = \"snake_case\")] enum Status { Pending, #[resource(rename = \"gone\")] Shipped }",
    "#[resource(tag = \"kind\", content = \"data\")] enum Payment { Card { last4: String }, Cash, Note(String, u32) }",
    "struct Page<T> { items: Vec<T>, #[resource(flatten)] meta: Meta }",
];

/// Tokens a mutation may put in place of another.
pub(crate) const POOL: &[&str] = &[
    "key",
    "sort_key",
    "table",
    "service",
    "index",
    "name",
    "version",
    "ttl",
    "entity",
    "template",
    "attr",
    "projection",
    "rename",
    "flatten",
    "String",
    "u32",
    "Option",
    "id",
    "pk",
    "\"id\"",
    "\"x\"",
    "\"ORG#{id}\"",
    "\"{\"",
    "\"{n:08}\"",
    "\"\"",
    "0",
    "=",
    ",",
    "#",
    ":",
    "<",
    ">",
    "&",
    "struct",
    "enum",
    "fn",
];

/// A token stream as a flat list, groups as their delimiters, so that any
/// position, inside a group or not, can be mutated.
pub(crate) fn atoms(stream: TokenStream, out: &mut Vec<String>) {
    for tree in stream {
        match tree {
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Brace => ("{", "}"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::None => ("", ""),
                };
                out.push(format!("{open} "));
                atoms(group.stream(), out);
                out.push(format!("{close} "));
            }
            // `::`, `=>`: a joint punctuation mark is written without the space.
            TokenTree::Punct(p) if p.spacing() == Spacing::Joint => out.push(p.to_string()),
            other => out.push(format!("{other} ")),
        }
    }
}

pub(crate) fn flatten(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    atoms(
        TokenStream::from_str(text).expect("the corpus parses"),
        &mut out,
    );
    out
}

/// One mutation of `tokens`; `None` when it leaves the text unparsable as
/// tokens (unbalanced delimiters), which no compiler would hand a macro.
pub(crate) fn mutate(tokens: &[String], kind: u8, at: usize, with: usize) -> Option<TokenStream> {
    let mut tokens = tokens.to_vec();
    if tokens.is_empty() {
        return None;
    }
    let i = at % tokens.len();
    match kind {
        0 => {
            tokens.remove(i);
        }
        1 => tokens.insert(i, tokens[i].clone()),
        2 => tokens[i] = format!("{} ", POOL[with % POOL.len()]),
        _ => {
            let j = (i + 1).min(tokens.len() - 1);
            tokens.swap(i, j);
        }
    }
    TokenStream::from_str(&tokens.concat()).ok()
}
