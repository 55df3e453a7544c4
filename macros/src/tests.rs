//! The macros on mutated input: valid definitions with one token deleted,
//! duplicated, replaced or swapped with its neighbour. Whatever the
//! mutation, a macro must not panic, and its output must be either valid
//! Rust (the mutation kept the definition valid) or carry a compile error.

use std::str::FromStr;

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use proptest::prelude::*;
use proptest::sample::Index;

/// Valid `#[resource(...)]` definitions: the arguments and the struct.
const RESOURCES: &[(&str, &str)] = &[
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
const DERIVES: &[&str] = &[
    "#[resource(rename_all = \"camelCase\")] struct Address { street: String, postal_code: Option<String>,
       #[resource(default)] geo: Option<Geo>, #[resource(skip)] cache: u8 }",
    "struct UserId(String);",
    "#[resource(rename_all = \"snake_case\")] enum Status { Pending, #[resource(rename = \"gone\")] Shipped }",
    "#[resource(tag = \"kind\", content = \"data\")] enum Payment { Card { last4: String }, Cash, Note(String, u32) }",
    "struct Page<T> { items: Vec<T>, #[resource(flatten)] meta: Meta }",
];

/// Tokens a mutation may put in place of another.
const POOL: &[&str] = &[
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
fn atoms(stream: TokenStream, out: &mut Vec<String>) {
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

fn flatten(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    atoms(
        TokenStream::from_str(text).expect("the corpus parses"),
        &mut out,
    );
    out
}

/// One mutation of `tokens`; `None` when it leaves the text unparsable as
/// tokens (unbalanced delimiters), which no compiler would hand a macro.
fn mutate(tokens: &[String], kind: u8, at: Index, with: Index) -> Option<TokenStream> {
    let mut tokens = tokens.to_vec();
    let i = at.index(tokens.len());
    match kind {
        0 => {
            tokens.remove(i);
        }
        1 => tokens.insert(i, tokens[i].clone()),
        2 => tokens[i] = format!("{} ", with.get(POOL)),
        _ => {
            let j = (i + 1).min(tokens.len() - 1);
            tokens.swap(i, j);
        }
    }
    TokenStream::from_str(&tokens.concat()).ok()
}

/// What every macro's output must be: valid Rust, or a compile error.
fn valid_or_an_error(output: &TokenStream) -> Result<(), TestCaseError> {
    let text = output.to_string();
    if text.contains("compile_error") {
        return Ok(());
    }
    syn::parse2::<syn::File>(output.clone())
        .map(|_| ())
        .map_err(|e| TestCaseError::fail(format!("neither valid nor an error ({e}): {text}")))
}

#[test]
fn every_definition_of_the_corpus_expands_without_errors() {
    for (args, item) in RESOURCES {
        let out = crate::resource_impl(
            TokenStream::from_str(args).unwrap(),
            TokenStream::from_str(item).unwrap(),
        );
        let text = out.to_string();
        assert!(!text.contains("compile_error"), "{args}: {text}");
        syn::parse2::<syn::File>(out).unwrap();
    }
    for input in DERIVES {
        let out = crate::derive_attribute_impl(TokenStream::from_str(input).unwrap());
        let text = out.to_string();
        assert!(!text.contains("compile_error"), "{input}: {text}");
        syn::parse2::<syn::File>(out).unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 4_000,
        max_global_rejects: 100_000,
        ..ProptestConfig::default()
    })]

    #[test]
    fn a_mutated_resource_never_panics(
        which in 0..RESOURCES.len(),
        in_args in any::<bool>(),
        kind in 0u8..4,
        at in any::<Index>(),
        with in any::<Index>(),
    ) {
        let (args, item) = RESOURCES[which];
        let (args, item) = if in_args {
            let mutated = mutate(&flatten(args), kind, at, with);
            prop_assume!(mutated.is_some());
            (mutated.unwrap(), TokenStream::from_str(item).unwrap())
        } else {
            let mutated = mutate(&flatten(item), kind, at, with);
            prop_assume!(mutated.is_some());
            (TokenStream::from_str(args).unwrap(), mutated.unwrap())
        };
        let out = crate::resource_impl(args, item);
        valid_or_an_error(&out)?;
    }

    #[test]
    fn a_mutated_derive_never_panics(
        which in 0..DERIVES.len(),
        kind in 0u8..4,
        at in any::<Index>(),
        with in any::<Index>(),
    ) {
        let mutated = mutate(&flatten(DERIVES[which]), kind, at, with);
        prop_assume!(mutated.is_some());
        let out = crate::derive_attribute_impl(mutated.unwrap());
        valid_or_an_error(&out)?;
    }
}
