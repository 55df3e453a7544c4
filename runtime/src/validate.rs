//! DynamoDB's limits, checked before a request is sent, so that a request
//! DynamoDB would refuse fails at once with [`Error::is_validation`] and
//! names what is wrong: key values that are empty, of the wrong type or too
//! long, items over 400 KB, numbers DynamoDB cannot store, nesting deeper
//! than 32 levels, and invalid table names.
//!
//! [`Error::is_validation`]: crate::Error::is_validation

use aws_sdk_dynamodb::types::AttributeValue;

use crate::error::{Error, Result};
use crate::value::{Decimal, Item, KeyAttributeDef, KeySchema};

/// The largest item DynamoDB stores, in bytes.
pub const MAX_ITEM_BYTES: usize = 400 * 1024;
/// The largest partition key value, in bytes.
pub const MAX_PARTITION_KEY_BYTES: usize = 2048;
/// The largest sort key value, in bytes.
pub const MAX_SORT_KEY_BYTES: usize = 1024;
/// The deepest nesting of lists and maps DynamoDB accepts.
pub const MAX_DEPTH: usize = 32;

/// DynamoDB's table name rule: 3–255 characters of `a-z A-Z 0-9 _ - .`.
pub(crate) fn table_name(name: &str) -> Result<()> {
    let valid_chars = name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'));
    if !(3..=255).contains(&name.len()) || !valid_chars {
        return Err(Error::validation(
            name,
            "table names are 3 to 255 characters of a-z, A-Z, 0-9, `_`, `-` and `.`",
        ));
    }
    Ok(())
}

/// Checks the key attributes of `key` (a key or a whole item).
pub(crate) fn key(table: &str, schema: &KeySchema, key: &Item) -> Result<()> {
    key_attribute(
        table,
        &schema.partition,
        key,
        "partition",
        MAX_PARTITION_KEY_BYTES,
    )?;
    if let Some(sort) = &schema.sort {
        key_attribute(table, sort, key, "sort", MAX_SORT_KEY_BYTES)?;
    }
    Ok(())
}

fn key_attribute(
    table: &str,
    def: &KeyAttributeDef,
    item: &Item,
    role: &str,
    limit: usize,
) -> Result<()> {
    let name = def.name;
    let Some(value) = item.get(name) else {
        return Err(Error::validation(
            table,
            format!("{role} key attribute `{name}` is missing"),
        ));
    };
    key_value(table, def, value, role, limit)
}

/// Checks the partition key value of a query (of the table or an index).
pub(crate) fn partition_value(
    table: &str,
    def: &KeyAttributeDef,
    value: &AttributeValue,
) -> Result<()> {
    key_value(table, def, value, "partition", MAX_PARTITION_KEY_BYTES)
}

fn key_value(
    table: &str,
    def: &KeyAttributeDef,
    value: &AttributeValue,
    role: &str,
    limit: usize,
) -> Result<()> {
    let name = def.name;
    let len = match (def.key_type.as_str(), value) {
        ("S", AttributeValue::S(s)) => s.len(),
        ("B", AttributeValue::B(b)) => b.as_ref().len(),
        ("N", AttributeValue::N(_)) => {
            number(table, name, value)?;
            return Ok(());
        }
        (expected, other) => {
            return Err(Error::validation(
                table,
                format!(
                    "{role} key attribute `{name}` must be {expected}, found {}",
                    crate::value::type_of(other)
                ),
            ))
        }
    };
    if len == 0 {
        return Err(Error::validation(
            table,
            format!(
                "{role} key attribute `{name}` is empty; DynamoDB key values must not be empty"
            ),
        ));
    }
    if len > limit {
        return Err(Error::validation(
            table,
            format!("{role} key attribute `{name}` is {len} bytes; the limit is {limit} bytes"),
        ));
    }
    Ok(())
}

fn number(table: &str, name: &str, value: &AttributeValue) -> Result<()> {
    if let AttributeValue::N(text) = value {
        if let Some(reason) = crate::value::unwritable_reason(text) {
            return Err(Error::validation(
                table,
                format!("attribute `{name}` {reason}"),
            ));
        }
        match Decimal::parse(text) {
            None => {
                return Err(Error::validation(
                    table,
                    format!("attribute `{name}`: {text} is not a number DynamoDB accepts (NaN and infinity are not)"),
                ))
            }
            Some(d) => d.storable().map_err(|why| {
                Error::validation(table, format!("attribute `{name}`: {text} {why}"))
            })?,
        }
    }
    Ok(())
}

/// Checks a whole item before a write: its key, its size (400 KB), the
/// nesting depth and every number.
pub(crate) fn item(table: &str, schema: &KeySchema, item: &Item) -> Result<()> {
    key(table, schema, item)?;
    let mut size = 0;
    for (name, value) in item {
        size += name.len() + value_size(table, name, value, 1)?;
    }
    if size > MAX_ITEM_BYTES {
        return Err(Error::validation(
            table,
            format!("item is {size} bytes; DynamoDB's limit is {MAX_ITEM_BYTES} bytes (400 KB)"),
        ));
    }
    Ok(())
}

/// Checks a value used in an expression (numbers and nesting).
pub(crate) fn value(table: &str, name: &str, value: &AttributeValue) -> Result<()> {
    value_size(table, name, value, 1).map(drop)
}

/// The size DynamoDB charges for a value, while checking numbers and depth.
fn value_size(table: &str, path: &str, value: &AttributeValue, depth: usize) -> Result<usize> {
    let nested = |i: &dyn std::fmt::Display| format!("{path}{i}");
    Ok(match value {
        AttributeValue::S(s) => s.len(),
        AttributeValue::N(n) => {
            number(table, path, value)?;
            number_size(n)
        }
        AttributeValue::B(b) => b.as_ref().len(),
        AttributeValue::Bool(_) | AttributeValue::Null(_) => 1,
        AttributeValue::Ss(items) => items.iter().map(String::len).sum(),
        AttributeValue::Bs(items) => items.iter().map(|b| b.as_ref().len()).sum(),
        AttributeValue::Ns(items) => {
            let mut size = 0;
            for n in items {
                number(table, path, &AttributeValue::N(n.clone()))?;
                size += number_size(n);
            }
            size
        }
        AttributeValue::L(items) => {
            check_depth(table, path, depth)?;
            let mut size = 3;
            for (i, v) in items.iter().enumerate() {
                size += 1 + value_size(table, &nested(&format_args!("[{i}]")), v, depth + 1)?;
            }
            size
        }
        AttributeValue::M(map) => {
            check_depth(table, path, depth)?;
            let mut size = 3;
            for (k, v) in map {
                size +=
                    1 + k.len() + value_size(table, &nested(&format_args!(".{k}")), v, depth + 1)?;
            }
            size
        }
        _ => 0,
    })
}

fn check_depth(table: &str, path: &str, depth: usize) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(Error::validation(
            table,
            format!(
                "attribute `{path}` is nested {depth} levels deep; DynamoDB's limit is {MAX_DEPTH}"
            ),
        ));
    }
    Ok(())
}

/// DynamoDB sizes a number as one byte per two significant digits, plus one.
fn number_size(text: &str) -> usize {
    Decimal::parse(text).map_or(text.len(), |d| d.digit_count().div_ceil(2) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::ScalarType;

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

    fn item(pairs: &[(&str, AttributeValue)]) -> Item {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn keys() {
        let ok = item(&[
            ("pk", AttributeValue::S("a".into())),
            ("sk", AttributeValue::N("1".into())),
        ]);
        assert!(key("t", &SCHEMA, &ok).is_ok());
        let empty = item(&[
            ("pk", AttributeValue::S(String::new())),
            ("sk", AttributeValue::N("1".into())),
        ]);
        let err = key("t", &SCHEMA, &empty).unwrap_err();
        assert!(err.is_validation());
        assert!(err.to_string().contains("`pk` is empty"), "{err}");
        let long = item(&[
            ("pk", AttributeValue::S("x".repeat(2049))),
            ("sk", AttributeValue::N("1".into())),
        ]);
        assert!(key("t", &SCHEMA, &long)
            .unwrap_err()
            .to_string()
            .contains("2049 bytes; the limit is 2048"));
        let exact = item(&[
            ("pk", AttributeValue::S("x".repeat(2048))),
            ("sk", AttributeValue::N("1".into())),
        ]);
        assert!(key("t", &SCHEMA, &exact).is_ok());
        let bad_number = item(&[
            ("pk", AttributeValue::S("a".into())),
            ("sk", AttributeValue::N("NaN".into())),
        ]);
        assert!(key("t", &SCHEMA, &bad_number).is_err());
    }

    #[test]
    fn item_size_and_depth() {
        let mut big = item(&[
            ("pk", AttributeValue::S("a".into())),
            ("sk", AttributeValue::N("1".into())),
        ]);
        big.insert("blob".into(), AttributeValue::S("x".repeat(MAX_ITEM_BYTES)));
        let err = super::item("t", &SCHEMA, &big).unwrap_err();
        assert!(err.to_string().contains("400 KB"), "{err}");

        let mut deep = AttributeValue::S("leaf".into());
        for _ in 0..MAX_DEPTH {
            deep = AttributeValue::L(vec![deep]);
        }
        let mut ok = item(&[
            ("pk", AttributeValue::S("a".into())),
            ("sk", AttributeValue::N("1".into())),
        ]);
        ok.insert("deep".into(), deep.clone());
        assert!(super::item("t", &SCHEMA, &ok).is_ok());
        ok.insert("deep".into(), AttributeValue::L(vec![deep]));
        let err = super::item("t", &SCHEMA, &ok).unwrap_err();
        assert!(err.to_string().contains("33 levels deep"), "{err}");
    }

    #[test]
    fn numbers_in_nested_values() {
        let v = AttributeValue::M(
            [("x".to_string(), AttributeValue::N(u128::MAX.to_string()))]
                .into_iter()
                .collect(),
        );
        let err = value("t", "m", &v).unwrap_err();
        assert!(err.to_string().contains("attribute `m.x`"), "{err}");
        assert!(err.to_string().contains("39 significant digits"), "{err}");
    }
}
