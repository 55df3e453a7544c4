//! Values of any `Serialize + DeserializeOwned` type, stored through the
//! serde data model (feature `serde`): what `#[resource(serde)]` fields use.
//!
//! | serde data model | attribute value |
//! |---|---|
//! | `bool` | `BOOL` |
//! | `i8`…`i128`, `u8`…`u128` | `N`, the exact decimal text |
//! | `f32`, `f64` | `N`, the shortest text that reads back to the same value; NaN and infinity are refused before sending |
//! | [`Number`](crate::Number) | `N`, its exact text |
//! | `char`, string | `S` |
//! | bytes (`serialize_bytes`, e.g. `serde_bytes`) | `B` |
//! | `None` | left out as a struct field or a whole attribute; `NULL` in a list or as a map value |
//! | `Some(v)` | as `v` |
//! | `()`, a unit struct | `NULL` |
//! | a newtype struct | as its field |
//! | a sequence, a tuple, a tuple struct (`Vec`, `HashSet`, `[T; N]`, `(A, B)`) | `L` |
//! | a map | `M`; keys that are strings, chars, integers, booleans or unit variants, as text |
//! | a struct | `M` of its fields |
//! | an enum, externally tagged (serde's default) | a unit variant is `S` of its name; any other variant `M` with one entry, its name to its data |
//!
//! Attributes such as `#[serde(tag = "type")]`, `rename_all`, `flatten` or
//! `default` on your types apply as they do with any serde format: this
//! codec is a serde `Serializer` and `Deserializer` for the SDK's
//! `AttributeValue`, so serde decides the shape and the codec only maps it.
//!
//! Reading takes the same forms, and also sets (`SS`, `NS`, `BS`) where a
//! sequence is expected and a binary (`B`) where a sequence of bytes is.
//! Numbers are never rounded: a field of a numeric type reads its `N`
//! exactly or is an error, and a type that asks for any value
//! (`serde_json::Value`, an untagged enum) gets the exact integer (`u64`,
//! `i64`, `u128` or `i128`) or an `f64` only when that `f64` is exactly the
//! stored number; any other number is an error that says so.
//!
//! Decode errors name the path inside the value (`meta.items[3].zip`),
//! tracked by `serde_path_to_error`, and what was expected and found.

mod de;
mod ser;
#[cfg(test)]
mod tests;

use ::serde::de::DeserializeOwned;
use ::serde::Serialize;
use aws_sdk_dynamodb::types::AttributeValue;

use super::{DecodeError, ToAttribute};

/// Writes `value` through the serde data model.
///
/// This cannot fail: if `value`'s `Serialize` impl fails (or a map has a
/// key that is not text-like), the result is a value that no write
/// accepts, and the write that carries it fails with
/// [`Error::is_validation`](crate::Error::is_validation), naming the
/// attribute and serde's message, before anything is sent. A `None` is
/// `NULL` here; a `#[resource(serde)]` field leaves the attribute out
/// instead.
///
/// With this and [`from_attribute`], the module is also a module for
/// `#[resource(with = "resourceful::value::serde")]`, and gives the
/// `AttributeValue` that conditions and updates on a `serde` field take:
///
/// ```
/// use resourceful_runtime::aws_sdk_dynamodb::types::AttributeValue;
///
/// let value = resourceful_runtime::value::serde::to_attribute(&vec![(1u8, 'a')]);
/// assert_eq!(
///     value,
///     AttributeValue::L(vec![AttributeValue::L(vec![
///         AttributeValue::N("1".into()),
///         AttributeValue::S("a".into()),
///     ])])
/// );
/// ```
pub fn to_attribute<T: Serialize + ?Sized>(value: &T) -> AttributeValue {
    to_attribute_or_absent(value).unwrap_or(AttributeValue::Null(true))
}

/// Reads a `T` from `value` through the serde data model; errors name the
/// path inside the value and what was expected and found.
///
/// ```
/// use std::collections::HashMap;
/// use resourceful_runtime::aws_sdk_dynamodb::types::AttributeValue;
///
/// let stored = AttributeValue::M(HashMap::from([(
///     "items".to_owned(),
///     AttributeValue::L(vec![AttributeValue::S("seven".into())]),
/// )]));
/// let err = resourceful_runtime::value::serde::from_attribute::<HashMap<String, Vec<u32>>>(stored)
///     .unwrap_err();
/// assert_eq!(err.to_string(), "attribute `items[0]`: expected N for u32, found S");
/// ```
pub fn from_attribute<T: DeserializeOwned>(value: AttributeValue) -> Result<T, DecodeError> {
    serde_path_to_error::deserialize(de::Deserializer::new(value)).map_err(|error| {
        let path = error.path().clone();
        let mut error = error.into_inner().into_decode_error();
        // The path is outermost first; a `DecodeError` grows outwards.
        for segment in path.iter().rev() {
            error = match segment {
                serde_path_to_error::Segment::Seq { index } => error.at_index(*index),
                serde_path_to_error::Segment::Map { key } => error.in_field(key.clone()),
                serde_path_to_error::Segment::Enum { variant } => error.in_field(variant.clone()),
                serde_path_to_error::Segment::Unknown => error,
            };
        }
        error
    })
}

/// The attribute value of `value`, or `None` for a `None` (a field or an
/// attribute left out). A failure gives the value that stands for one that
/// could not be written, with serde's message and where inside the value.
pub(crate) fn to_attribute_or_absent<T: Serialize + ?Sized>(value: &T) -> Option<AttributeValue> {
    match serde_path_to_error::serialize(value, ser::Serializer) {
        Ok(written) => ser::present(written),
        Err(error) => {
            let path = path_text(error.path());
            let message = error.into_inner();
            Some(if path.is_empty() {
                super::unwritable(format_args!("cannot be written through serde: {message}"))
            } else {
                super::unwritable(format_args!(
                    "cannot be written through serde: at `{path}`: {message}"
                ))
            })
        }
    }
}

/// `meta.items[3].zip`, as `DecodeError` writes paths.
fn path_text(path: &serde_path_to_error::Path) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            serde_path_to_error::Segment::Seq { index } => {
                out.push('[');
                out.push_str(itoa::Buffer::new().format(*index));
                out.push(']');
            }
            serde_path_to_error::Segment::Map { key: name }
            | serde_path_to_error::Segment::Enum { variant: name } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(name);
            }
            serde_path_to_error::Segment::Unknown => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push('?');
            }
        }
    }
    out
}

/// The name under which a [`Number`](crate::Number) passes through serde:
/// this codec writes and reads it as an `N` of its exact text; other
/// formats see a newtype struct holding the text.
const NUMBER: &str = "$resourceful::Number";

/// A [`Number`](crate::Number) inside a `serde` value is an `N` of its
/// exact text, so decimals of up to 38 digits travel unrounded; other
/// serde formats (serde_json) write its text as a string.
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
impl Serialize for crate::Number {
    fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(NUMBER, self.as_str())
    }
}

/// Reads the exact text of an `N` with this codec; from other formats, a
/// string of decimal text or any integer or float.
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
impl<'de> ::serde::Deserialize<'de> for crate::Number {
    fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(NUMBER, NumberVisitor)
    }
}

struct NumberVisitor;

impl NumberVisitor {
    fn text<E: ::serde::de::Error>(text: String) -> Result<crate::Number, E> {
        match super::Decimal::parse(&text) {
            Some(_) => Ok(crate::Number::from_text_unchecked(text)),
            None => Err(E::invalid_value(
                ::serde::de::Unexpected::Str(&text),
                &"a decimal number",
            )),
        }
    }
}

impl<'de> ::serde::de::Visitor<'de> for NumberVisitor {
    type Value = crate::Number;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a number")
    }

    fn visit_newtype_struct<D: ::serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<crate::Number, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<crate::Number, E> {
        Self::text(v.to_owned())
    }

    fn visit_string<E: ::serde::de::Error>(self, v: String) -> Result<crate::Number, E> {
        Self::text(v)
    }

    fn visit_u64<E>(self, v: u64) -> Result<crate::Number, E> {
        Ok(v.into())
    }

    fn visit_i64<E>(self, v: i64) -> Result<crate::Number, E> {
        Ok(v.into())
    }

    fn visit_u128<E>(self, v: u128) -> Result<crate::Number, E> {
        Ok(v.into())
    }

    fn visit_i128<E>(self, v: i128) -> Result<crate::Number, E> {
        Ok(v.into())
    }

    fn visit_f64<E: ::serde::de::Error>(self, v: f64) -> Result<crate::Number, E> {
        match v.to_attribute() {
            AttributeValue::N(text) => Self::text(text),
            _ => Err(E::invalid_value(::serde::de::Unexpected::Float(v), &self)),
        }
    }
}
