//! Key attributes: the scalar types a key can have, the key schema of a
//! table, and the identity of an item by its key.

use aws_sdk_dynamodb::types::AttributeValue;

use super::{Decimal, FromAttribute, Item, ToAttribute};

/// A DynamoDB scalar type usable in a key: string, number or binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScalarType {
    /// `S`
    S,
    /// `N`
    N,
    /// `B`
    B,
}

impl ScalarType {
    /// The type descriptor DynamoDB uses (`"S"`, `"N"`, `"B"`).
    pub const fn as_str(self) -> &'static str {
        match self {
            ScalarType::S => "S",
            ScalarType::N => "N",
            ScalarType::B => "B",
        }
    }
}

/// Types that can be a partition or sort key: they are stored as a scalar
/// string (`S`), number (`N`) or binary (`B`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a DynamoDB key attribute",
    label = "key attributes must be stored as a string (S), a number (N) or binary (B)",
    note = "use `String`, an integer type, `Number` or `Vec<u8>` for key fields"
)]
pub trait KeyAttribute: ToAttribute + FromAttribute {
    /// The scalar type of the attribute.
    const KEY_TYPE: ScalarType;
}

/// One key attribute of a table: its name and scalar type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyAttributeDef {
    /// The attribute name in the table.
    pub name: &'static str,
    /// The attribute's scalar type.
    pub key_type: ScalarType,
}

/// The primary key of a table: a partition key and an optional sort key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeySchema {
    /// The partition (hash) key.
    pub partition: KeyAttributeDef,
    /// The sort (range) key, if the table has one.
    pub sort: Option<KeyAttributeDef>,
}

/// The identity of an item by its key attributes, as DynamoDB compares
/// them: numbers by value (`1` and `1.0` are the same key). Batches use it
/// to merge writes and keys, transactions to refuse two actions on one item.
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

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

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
    fn only_key_attributes_count() {
        let mut other = item("a", "1");
        other.insert("other".to_owned(), AttributeValue::Bool(false));
        assert_eq!(
            KeyId::of(&SCHEMA, &item("a", "1")),
            KeyId::of(&SCHEMA, &other)
        );
    }
}

/// Values that name a partition whose key fields have the types `P`: a
/// value of the one field's type, or anything that converts into it
/// (`"acme"` for a `String`), or a tuple of such values, one per field, for
/// a key made of several fields (a template such as `ORG#{org}#{team}`, or a
/// multi-attribute index key).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not name a partition whose key is `{P}`",
    label = "expected a partition key value of type `{P}`",
    note = "give the partition key's value (`query(\"acme\")`), or a tuple with one value per key field (`query((\"eu\", \"gold\"))`)"
)]
pub trait PartitionValue<P> {
    /// The values of the key fields, in order.
    fn into_parts(self) -> Vec<AttributeValue>;
}

#[diagnostic::do_not_recommend]
impl<P: KeyAttribute, A: super::ValueOf<P>> PartitionValue<P> for A {
    fn into_parts(self) -> Vec<AttributeValue> {
        vec![self.into_value().to_attribute()]
    }
}

macro_rules! partition_tuple {
    ($(($p:ident, $a:ident, $v:ident)),+) => {
        #[diagnostic::do_not_recommend]
        impl<$($p: KeyAttribute, $a: super::ValueOf<$p>),+> PartitionValue<($($p,)+)> for ($($a,)+) {
            fn into_parts(self) -> Vec<AttributeValue> {
                let ($($v,)+) = self;
                vec![$($v.into_value().to_attribute()),+]
            }
        }
    };
}

partition_tuple!((P1, A1, a1), (P2, A2, a2));
partition_tuple!((P1, A1, a1), (P2, A2, a2), (P3, A3, a3));
partition_tuple!((P1, A1, a1), (P2, A2, a2), (P3, A3, a3), (P4, A4, a4));
