//! `serde_json::Value` (feature `serde_json`): the natural attribute value.
//!
//! Objects are maps (`M`), arrays lists (`L`), strings `S`, numbers `N`,
//! booleans `BOOL` and `null` is `NULL`. Reading also takes what JSON has no
//! type for: sets (`SS`, `NS`, `BS`) read as arrays and binaries (`B`) as
//! base64 strings (standard alphabet, padded); written back, those are lists
//! and strings.
//!
//! Numbers are never rounded. serde_json is used as configured in the build:
//! without its `arbitrary_precision` feature a `serde_json::Number` is an
//! `i64`, a `u64` or an `f64`, so a stored number reads only if one of those
//! writes back as the same decimal value (every integer within `i64`/`u64`,
//! every number of at most 15 significant digits, such as `0.1`); any other
//! (`123456789012345678901234567890`, `0.12345678901234567890`) is a decode
//! error naming the attribute. With `arbitrary_precision` every number reads
//! exactly as its text.

use ::serde_json::{Map, Number, Value};
use aws_sdk_dynamodb::types::AttributeValue;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use super::{DecodeError, FromAttribute, ToAttribute};

/// Written as the matching attribute value: `M`, `L`, `S`, `N` (the number's
/// exact text), `BOOL` or `NULL`. A top-level `null` is stored as `NULL`.
#[cfg_attr(docsrs, doc(cfg(feature = "serde_json")))]
impl ToAttribute for Value {
    fn to_attribute(&self) -> AttributeValue {
        match self {
            Value::Null => AttributeValue::Null(true),
            Value::Bool(b) => AttributeValue::Bool(*b),
            Value::Number(n) => AttributeValue::N(n.to_string()),
            Value::String(s) => AttributeValue::S(s.clone()),
            Value::Array(items) => {
                AttributeValue::L(items.iter().map(ToAttribute::to_attribute).collect())
            }
            Value::Object(map) => AttributeValue::M(
                map.iter()
                    .map(|(k, v)| (k.clone(), v.to_attribute()))
                    .collect(),
            ),
        }
    }
}

/// Reads any attribute value: sets (`SS`, `NS`, `BS`) as arrays, binaries
/// (`B`) as base64 strings, numbers only where a `serde_json::Number` holds
/// them exactly. An absent attribute reads as `null`, as with serde.
#[cfg_attr(docsrs, doc(cfg(feature = "serde_json")))]
impl FromAttribute for Value {
    const EXPECTED: &'static str = "any type";
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        Ok(match value {
            AttributeValue::Null(_) => Value::Null,
            AttributeValue::Bool(b) => Value::Bool(b),
            AttributeValue::N(text) => Value::Number(number(&text)?),
            AttributeValue::S(s) => Value::String(s),
            AttributeValue::B(b) => Value::String(STANDARD.encode(b.as_ref())),
            AttributeValue::L(items) => Value::Array(
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, v)| Value::from_attribute(v).map_err(|e| e.at_index(i)))
                    .collect::<Result<_, _>>()?,
            ),
            AttributeValue::M(map) => Value::Object(
                map.into_iter()
                    .map(|(k, v)| match Value::from_attribute(v) {
                        Ok(v) => Ok((k, v)),
                        Err(e) => Err(e.in_field(k)),
                    })
                    .collect::<Result<Map<_, _>, _>>()?,
            ),
            AttributeValue::Ss(items) => items.into_iter().map(Value::String).collect(),
            AttributeValue::Ns(items) => Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, text)| number(text).map(Value::Number).map_err(|e| e.at_index(i)))
                    .collect::<Result<_, _>>()?,
            ),
            AttributeValue::Bs(items) => items
                .iter()
                .map(|b| Value::String(STANDARD.encode(b.as_ref())))
                .collect(),
            other => return Err(DecodeError::mismatch::<Value>(Self::EXPECTED, &other)),
        })
    }

    fn from_absent() -> Option<Self> {
        Some(Value::Null)
    }
}

/// The `serde_json::Number` with exactly the value of `text`, if it has one.
fn number(text: &str) -> Result<Number, DecodeError> {
    let parsed = super::Decimal::parse(text)
        .ok_or_else(|| DecodeError::invalid::<Value>(format!("{text:?} is not a number")))?;
    // Integers as integers whatever their form (`1.5E1`), so that what this
    // crate writes for an `i64`/`u64` reads back as one.
    if let Ok((negative, magnitude)) = parsed.to_integer() {
        if !negative {
            if let Ok(n) = u64::try_from(magnitude) {
                return Ok(n.into());
            }
        } else if magnitude <= 1 << 63 {
            // In range: the magnitude is at most 2^63.
            return Ok(((-(magnitude as i128)) as i64).into());
        }
    }
    let same_value = |n: &Number| super::Decimal::parse(&n.to_string()) == Some(parsed);
    // With `arbitrary_precision`, serde_json keeps the text, so this holds for
    // every number; without, it holds when its own parse was exact.
    if let Some(n) = text.parse::<Number>().ok().filter(same_value) {
        return Ok(n);
    }
    // The standard library's parse is correctly rounded where serde_json's
    // default one may be off by one unit in the last place.
    if let Some(n) = text
        .parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .filter(same_value)
    {
        return Ok(n);
    }
    Err(DecodeError::invalid::<Value>(format!(
        "{text} cannot be held exactly by a `serde_json::Number` (an i64, u64 or f64 \
         without serde_json's `arbitrary_precision` feature)"
    )))
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use aws_sdk_dynamodb::primitives::Blob;
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;
    use crate::value::Number as DynamoNumber;

    /// Numbers as DynamoDB reads them back: a float with an integral value
    /// reads as an integer, since DynamoDB keeps no difference between `3.0`
    /// and `3`.
    fn json_number() -> impl Strategy<Value = Number> {
        prop_oneof![
            any::<i64>().prop_map(Number::from),
            any::<u64>().prop_map(Number::from),
            any::<f64>()
                .prop_filter("storable, not integral", |f| {
                    f.fract() != 0.0 && (1e-130..1e125).contains(&f.abs())
                })
                .prop_map(|f| Number::from_f64(f).unwrap()),
        ]
    }

    /// JSON values as deep as DynamoDB allows nesting, and wide enough to matter.
    fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            json_number().prop_map(Value::Number),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(6, 48, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::btree_map("\\PC{0,8}", inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    fn n(text: &str) -> AttributeValue {
        AttributeValue::N(text.into())
    }

    fn read(value: AttributeValue) -> Result<Value, DecodeError> {
        Value::from_attribute(value)
    }

    proptest! {
        #[test]
        fn round_trips(value in json()) {
            let back = read(value.to_attribute()).unwrap();
            prop_assert_eq!(back, value);
        }

        /// A number that reads writes back as the same value: nothing is rounded.
        #[test]
        fn never_rounds(
            negative in any::<bool>(),
            digits in "[1-9][0-9]{0,37}",
            exponent in -130i32..=88,
        ) {
            let sign = if negative { "-" } else { "" };
            let text = format!("{sign}{digits}E{exponent}");
            if let Ok(value) = read(n(&text)) {
                let AttributeValue::N(back) = value.to_attribute() else { panic!("{value:?}") };
                prop_assert_eq!(back.parse::<DynamoNumber>().unwrap(), text.parse::<DynamoNumber>().unwrap());
            } else {
                // Only numbers beyond what f64 holds are refused.
                prop_assert!(digits.len() > 15, "{}", text);
            }
        }

        #[test]
        fn malformed_numbers_are_errors_not_panics(text in any::<String>()) {
            let _ = read(n(&text));
        }
    }

    #[test]
    fn maps_each_json_type_to_its_attribute_type() {
        let value = json!({
            "s": "text",
            "n": 1,
            "f": 0.5,
            "t": true,
            "z": null,
            "l": [1, "a", [], {}],
            "m": {"deep": {"er": [null]}},
        });
        let AttributeValue::M(map) = value.to_attribute() else {
            panic!()
        };
        assert_eq!(map["s"], AttributeValue::S("text".into()));
        assert_eq!(map["n"], n("1"));
        assert_eq!(map["f"], n("0.5"));
        assert_eq!(map["t"], AttributeValue::Bool(true));
        assert_eq!(map["z"], AttributeValue::Null(true));
        assert_eq!(
            map["l"],
            AttributeValue::L(vec![
                n("1"),
                AttributeValue::S("a".into()),
                AttributeValue::L(vec![]),
                AttributeValue::M(HashMap::new()),
            ])
        );
        assert_eq!(
            map["m"],
            AttributeValue::M(HashMap::from([(
                "deep".into(),
                AttributeValue::M(HashMap::from([(
                    "er".into(),
                    AttributeValue::L(vec![AttributeValue::Null(true)])
                )]))
            )]))
        );
        assert_eq!(Value::from_absent(), Some(Value::Null));
    }

    #[test]
    fn reads_sets_as_arrays_and_binaries_as_base64() {
        assert_eq!(
            read(AttributeValue::B(Blob::new(vec![0, 1, 2, 0xff]))),
            Ok(json!("AAEC/w=="))
        );
        assert_eq!(
            read(AttributeValue::Ss(vec!["a".into(), "b".into()])),
            Ok(json!(["a", "b"]))
        );
        assert_eq!(
            read(AttributeValue::Ns(vec!["1".into(), "-2.5".into()])),
            Ok(json!([1, -2.5]))
        );
        assert_eq!(
            read(AttributeValue::Bs(vec![
                Blob::new(vec![]),
                Blob::new(vec![1])
            ])),
            Ok(json!(["", "AQ=="]))
        );
    }

    #[test]
    fn reads_numbers_exactly_or_not_at_all() {
        assert_eq!(read(n("0.1")), Ok(json!(0.1)));
        assert_eq!(read(n("1.5E1")), Ok(json!(15)));
        assert_eq!(read(n("-0")), Ok(json!(0)));
        assert_eq!(read(n("18446744073709551615")), Ok(json!(u64::MAX)));
        assert_eq!(read(n("-9223372036854775808")), Ok(json!(i64::MIN)));
        assert_eq!(read(n("1E+100")), Ok(json!(1e100)));
        assert_eq!(read(n("123456789012345")), Ok(json!(123456789012345_u64)));
        let refused = |text: &str| {
            format!(
                "value: cannot read `Value`: {text} cannot be held exactly by a \
                 `serde_json::Number` (an i64, u64 or f64 without serde_json's \
                 `arbitrary_precision` feature)"
            )
        };
        for text in [
            "123456789012345678901234567890",
            "18446744073709551616",
            "-9223372036854775809",
            "0.12345678901234567890",
        ] {
            assert_eq!(read(n(text)).unwrap_err().to_string(), refused(text));
        }
        assert_eq!(
            read(n("x")).unwrap_err().to_string(),
            "value: cannot read `Value`: \"x\" is not a number"
        );
    }

    #[test]
    fn errors_name_the_path_inside_the_value() {
        let value = AttributeValue::M(HashMap::from([(
            "lines".into(),
            AttributeValue::L(vec![
                AttributeValue::M(HashMap::new()),
                AttributeValue::M(HashMap::from([(
                    "price".into(),
                    n("0.12345678901234567890"),
                )])),
            ]),
        )]));
        let err = read(value).unwrap_err().in_field("doc");
        assert_eq!(err.path_string(), "doc.lines[1].price");
        let err = read(AttributeValue::Ns(vec!["1".into(), "1e400".into()])).unwrap_err();
        assert_eq!(err.path_string(), "[1]");
    }
}
