//! Batches: [`BatchWriter`] (`BatchWriteItem`) and [`BatchGet`]
//! (`BatchGetItem`), with their [`RetryPolicy`].
//!
//! Both split their work into the largest requests DynamoDB accepts (25
//! writes, 100 keys), remove duplicate keys, keep several requests in
//! flight, and retry what DynamoDB leaves unprocessed (and throttling and
//! transport errors) with capped exponential backoff and jitter. What is
//! still unprocessed when the policy gives up is handed back as the caller's
//! own values: [`Leftovers`] for writes, [`Error::is_incomplete`] for reads.
//!
//! [`Error::is_incomplete`]: crate::Error::is_incomplete

mod get;
mod retry;
mod writer;

use std::collections::HashMap;

use aws_sdk_dynamodb::types::AttributeValue;

use crate::resource::KeySchema;
use crate::value::{Decimal, Item};

pub use get::{BatchGet, BatchGetProjection};
pub use retry::RetryPolicy;
pub use writer::{BatchWriteSummary, BatchWriter, Leftovers, Write};

/// The most writes in one `BatchWriteItem` request.
pub const MAX_WRITES_PER_REQUEST: usize = 25;
/// The most keys in one `BatchGetItem` request.
pub const MAX_KEYS_PER_REQUEST: usize = 100;
/// The number of requests a batch keeps in flight unless told otherwise.
pub const DEFAULT_CONCURRENCY: usize = 4;

/// The identity of an item by its key attributes, as DynamoDB compares
/// them: numbers by value (`1` and `1.0` are the same key).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct KeyId(Vec<KeyPart>);

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum KeyPart {
    S(String),
    N(String),
    B(Vec<u8>),
    Missing,
    /// Validation refuses non-scalar keys before they get here.
    Other(String),
}

impl KeyId {
    /// The key of `item` (a whole item or only its key attributes).
    pub(crate) fn of(schema: &KeySchema, item: &Item) -> Self {
        let mut parts = vec![part(item.get(schema.partition.name))];
        if let Some(sort) = &schema.sort {
            parts.push(part(item.get(sort.name)));
        }
        KeyId(parts)
    }
}

fn part(value: Option<&AttributeValue>) -> KeyPart {
    match value {
        Some(AttributeValue::S(s)) => KeyPart::S(s.clone()),
        Some(AttributeValue::N(n)) => KeyPart::N(match Decimal::parse(n) {
            Some(d) if d.is_zero() => "0".to_owned(),
            Some(d) => {
                let digits: String = d.digits().map(|b| char::from(b'0' + b)).collect();
                let sign = if d.negative { "-" } else { "" };
                format!("{sign}{digits}e{}", d.exponent)
            }
            None => n.clone(),
        }),
        Some(AttributeValue::B(b)) => KeyPart::B(b.as_ref().to_vec()),
        Some(other) => KeyPart::Other(format!("{other:?}")),
        None => KeyPart::Missing,
    }
}

/// Only the key attributes of `item`.
pub(crate) fn key_of(schema: &KeySchema, item: &Item) -> Item {
    let mut key = HashMap::with_capacity(2);
    for name in std::iter::once(schema.partition.name).chain(schema.sort.map(|s| s.name)) {
        if let Some(value) = item.get(name) {
            key.insert(name.to_owned(), value.clone());
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resource::{KeyAttributeDef, ScalarType};

    const SCHEMA: KeySchema = KeySchema {
        partition: KeyAttributeDef {
            name: "pk",
            key_type: ScalarType::S,
        },
        sort: Some(KeyAttributeDef {
            name: "sk",
            key_type: ScalarType::N,
        }),
    };

    fn item(pk: &str, sk: &str) -> Item {
        HashMap::from([
            ("pk".to_owned(), AttributeValue::S(pk.to_owned())),
            ("sk".to_owned(), AttributeValue::N(sk.to_owned())),
            ("other".to_owned(), AttributeValue::Bool(true)),
        ])
    }

    #[test]
    fn numbers_compare_by_value() {
        let a = KeyId::of(&SCHEMA, &item("a", "1"));
        assert_eq!(a, KeyId::of(&SCHEMA, &item("a", "1.0")));
        assert_eq!(a, KeyId::of(&SCHEMA, &item("a", "10E-1")));
        assert_ne!(a, KeyId::of(&SCHEMA, &item("a", "10")));
        assert_ne!(a, KeyId::of(&SCHEMA, &item("a", "-1")));
        assert_ne!(a, KeyId::of(&SCHEMA, &item("b", "1")));
        assert_eq!(
            KeyId::of(&SCHEMA, &item("a", "0")),
            KeyId::of(&SCHEMA, &item("a", "-0.00"))
        );
    }

    #[test]
    fn key_of_keeps_only_key_attributes() {
        let key = key_of(&SCHEMA, &item("a", "1"));
        assert_eq!(key.len(), 2);
        assert!(!key.contains_key("other"));
    }
}
