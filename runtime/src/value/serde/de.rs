//! The serde `Deserializer` that reads an `AttributeValue`.

use std::collections::hash_map;
use std::fmt;

use ::serde::de::value::{SeqDeserializer, StringDeserializer};
use ::serde::de::{
    self, DeserializeSeed, EnumAccess, Expected, IntoDeserializer, MapAccess, SeqAccess,
    Unexpected, VariantAccess, Visitor,
};
use aws_sdk_dynamodb::types::AttributeValue;

use crate::value::{parse_float, parse_integer, type_of, Decimal, DecodeError, FromAttribute};

/// A decode error, as serde's `Error` trait needs it.
#[derive(Debug)]
pub(super) struct Error(DecodeError);

impl Error {
    pub(super) fn into_decode_error(self) -> DecodeError {
        self.0
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error(DecodeError::message(message.to_string()))
    }

    /// A visitor refused what `deserialize_any` gave it: say what it wanted
    /// and the DynamoDB type that was there.
    fn invalid_type(unexpected: Unexpected<'_>, expected: &dyn Expected) -> Self {
        let found = match unexpected {
            Unexpected::Bool(_) => "BOOL",
            Unexpected::Unsigned(_) | Unexpected::Signed(_) | Unexpected::Float(_) => "N",
            Unexpected::Char(_) | Unexpected::Str(_) => "S",
            Unexpected::Bytes(_) => "B",
            Unexpected::Unit | Unexpected::Option => "NULL",
            Unexpected::Seq => "L",
            Unexpected::Map => "M",
            _ => {
                return Self::custom(format_args!(
                    "invalid type: {unexpected}, expected {expected}"
                ))
            }
        };
        Error(DecodeError::unexpected(None, expected.to_string(), found))
    }

    fn missing_field(field: &'static str) -> Self {
        Error(DecodeError::missing(field, "a value"))
    }
}

/// The error for a value of the wrong DynamoDB type for what `visitor` reads.
fn mismatch(expected: &'static str, visitor: &dyn Expected, found: &AttributeValue) -> Error {
    Error(DecodeError::unexpected(
        Some(expected),
        visitor.to_string(),
        type_of(found),
    ))
}

/// Reads one attribute value as a value of the serde data model.
pub(super) struct Deserializer(AttributeValue);

impl Deserializer {
    pub(super) fn new(value: AttributeValue) -> Self {
        Deserializer(value)
    }
}

/// Gives `visitor` the exact value of a number: an integer as `u64`/`i64`
/// when it fits, else as `u128`/`i128`; any other number as an `f64` only
/// if that `f64` is exactly the same number. Nothing is rounded.
fn visit_number<'de, V: Visitor<'de>>(text: String, visitor: V) -> Result<V::Value, Error> {
    let Some(decimal) = Decimal::parse(&text) else {
        return Err(Error(DecodeError::message(format!(
            "{text:?} is not a number"
        ))));
    };
    match decimal.to_integer() {
        Ok((false, magnitude)) => match u64::try_from(magnitude) {
            Ok(n) => visitor.visit_u64(n),
            Err(_) => visitor.visit_u128(magnitude),
        },
        Ok((true, magnitude)) if magnitude <= 1 << 63 => {
            // In range: the magnitude is at most 2^63.
            visitor.visit_i64((-(magnitude as i128)) as i64)
        }
        Ok((true, magnitude)) if magnitude < 1 << 127 => visitor.visit_i128(-(magnitude as i128)),
        Ok((true, magnitude)) if magnitude == 1 << 127 => visitor.visit_i128(i128::MIN),
        _ => match exact_f64(&text, decimal) {
            Some(f) => visitor.visit_f64(f),
            None => Err(Error(DecodeError::message(format!(
                "{text} is neither an integer within i128/u128 nor exactly an f64, \
                 so it cannot be given to {} without rounding; read it into a field \
                 of a numeric type, or of `resourceful::Number`",
                &visitor as &dyn Expected
            )))),
        },
    }
}

/// The `f64` that is exactly the number `decimal`, if there is one.
fn exact_f64(text: &str, decimal: Decimal<'_>) -> Option<f64> {
    // The standard library's parse is correctly rounded, and `{:e}` writes
    // the shortest text that reads back to the same `f64`: the two denote
    // the same number exactly when the `f64` is the number.
    let f: f64 = text.parse().ok().filter(|f: &f64| f.is_finite())?;
    let written = format!("{f:e}");
    (Decimal::parse(&written)? == decimal).then_some(f)
}

/// Visits a list of values.
fn visit_list<'de, V, I>(items: I, visitor: V) -> Result<V::Value, Error>
where
    V: Visitor<'de>,
    I: ExactSizeIterator<Item = AttributeValue>,
{
    let len = items.len();
    let mut seq = ListDeserializer { items, read: 0 };
    let value = visitor.visit_seq(&mut seq)?;
    if seq.items.len() == 0 {
        Ok(value)
    } else {
        Err(de::Error::invalid_length(len, &ReadOf(seq.read)))
    }
}

/// "a list of 2 values", for a list longer than what read it.
struct ReadOf(usize);

impl Expected for ReadOf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a list of {} values", self.0)
    }
}

/// Visits the bytes of a binary as a sequence of `u8`.
fn visit_bytes_as_seq<'de, V: Visitor<'de>>(bytes: Vec<u8>, visitor: V) -> Result<V::Value, Error> {
    let mut seq = SeqDeserializer::new(bytes.into_iter());
    let value = visitor.visit_seq(&mut seq)?;
    seq.end()?;
    Ok(value)
}

macro_rules! integer {
    ($($method:ident $visit:ident $t:ty;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self.0 {
                AttributeValue::N(text) => visitor.$visit(parse_integer::<$t>(&text).map_err(Error)?),
                other => Err(mismatch("N", &visitor, &other)),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for Deserializer {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            AttributeValue::S(s) => visitor.visit_string(s),
            AttributeValue::N(text) => visit_number(text, visitor),
            AttributeValue::B(b) => visitor.visit_byte_buf(b.into_inner()),
            AttributeValue::Bool(b) => visitor.visit_bool(b),
            AttributeValue::Null(_) => visitor.visit_unit(),
            AttributeValue::M(map) => visitor.visit_map(MapDeserializer::new(map)),
            AttributeValue::L(items) => visit_list(items.into_iter(), visitor),
            AttributeValue::Ss(items) => {
                visit_list(items.into_iter().map(AttributeValue::S), visitor)
            }
            AttributeValue::Ns(items) => {
                visit_list(items.into_iter().map(AttributeValue::N), visitor)
            }
            AttributeValue::Bs(items) => {
                visit_list(items.into_iter().map(AttributeValue::B), visitor)
            }
            other => Err(mismatch("a known type", &visitor, &other)),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            AttributeValue::Bool(b) => visitor.visit_bool(b),
            other => Err(mismatch("BOOL", &visitor, &other)),
        }
    }

    integer! {
        deserialize_i8 visit_i8 i8;
        deserialize_i16 visit_i16 i16;
        deserialize_i32 visit_i32 i32;
        deserialize_i64 visit_i64 i64;
        deserialize_i128 visit_i128 i128;
        deserialize_u8 visit_u8 u8;
        deserialize_u16 visit_u16 u16;
        deserialize_u32 visit_u32 u32;
        deserialize_u64 visit_u64 u64;
        deserialize_u128 visit_u128 u128;
    }

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            AttributeValue::N(text) => visitor.visit_f32(parse_float::<f32>(&text).map_err(Error)?),
            other => Err(mismatch("N", &visitor, &other)),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            AttributeValue::N(text) => visitor.visit_f64(parse_float::<f64>(&text).map_err(Error)?),
            other => Err(mismatch("N", &visitor, &other)),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            value @ AttributeValue::S(_) => {
                visitor.visit_char(char::from_attribute(value).map_err(Error)?)
            }
            other => Err(mismatch("S", &visitor, &other)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            AttributeValue::S(s) => visitor.visit_string(s),
            other => Err(mismatch("S", &visitor, &other)),
        }
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_byte_buf(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            AttributeValue::B(b) => visitor.visit_byte_buf(b.into_inner()),
            // What serde writes for a `Vec<u8>` without `serde_bytes`.
            AttributeValue::L(items) => visit_list(items.into_iter(), visitor),
            other => Err(mismatch("B", &visitor, &other)),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            AttributeValue::Null(_) => visitor.visit_none(),
            other => visitor.visit_some(Deserializer(other)),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            AttributeValue::Null(_) => visitor.visit_unit(),
            other => Err(mismatch("NULL", &visitor, &other)),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            // A `Number` takes the exact text.
            AttributeValue::N(text) if name == super::NUMBER => visitor.visit_string(text),
            value => visitor.visit_newtype_struct(Deserializer(value)),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            AttributeValue::L(items) => visit_list(items.into_iter(), visitor),
            // Sets written by boto3 or by a set field read as sequences.
            AttributeValue::Ss(items) => {
                visit_list(items.into_iter().map(AttributeValue::S), visitor)
            }
            AttributeValue::Ns(items) => {
                visit_list(items.into_iter().map(AttributeValue::N), visitor)
            }
            AttributeValue::Bs(items) => {
                visit_list(items.into_iter().map(AttributeValue::B), visitor)
            }
            // A binary where a `Vec<u8>` is read.
            AttributeValue::B(b) => visit_bytes_as_seq(b.into_inner(), visitor),
            other => Err(mismatch("L", &visitor, &other)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            AttributeValue::M(map) => visitor.visit_map(MapDeserializer::new(map)),
            other => Err(mismatch("M", &visitor, &other)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            AttributeValue::S(name) => visitor.visit_enum(name.into_deserializer()),
            AttributeValue::M(map) if map.len() == 1 => {
                let (name, data) = map.into_iter().next().expect("one entry");
                visitor.visit_enum(VariantDeserializer { name, data })
            }
            AttributeValue::M(map) => Err(Error(DecodeError::message(format!(
                "expected a map with one entry, the variant's name, for {}, found {} entries",
                &visitor as &dyn Expected,
                map.len()
            )))),
            other => Err(mismatch("S or M", &visitor, &other)),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_string(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

/// The elements of a list (or set).
struct ListDeserializer<I> {
    items: I,
    read: usize,
}

impl<'de, I: ExactSizeIterator<Item = AttributeValue>> SeqAccess<'de> for ListDeserializer<I> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.items.next() {
            Some(value) => {
                self.read += 1;
                seed.deserialize(Deserializer(value)).map(Some)
            }
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// The entries of a map.
struct MapDeserializer {
    entries: hash_map::IntoIter<String, AttributeValue>,
    value: Option<AttributeValue>,
}

impl MapDeserializer {
    fn new(map: std::collections::HashMap<String, AttributeValue>) -> Self {
        MapDeserializer {
            entries: map.into_iter(),
            value: None,
        }
    }
}

impl<'de> MapAccess<'de> for MapDeserializer {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.entries.next() {
            Some((key, value)) => {
                self.value = Some(value);
                seed.deserialize(KeyDeserializer(key)).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        match self.value.take() {
            Some(value) => seed.deserialize(Deserializer(value)),
            None => Err(de::Error::custom("a map value was read before its key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// An externally tagged variant with data: `{name: data}`.
struct VariantDeserializer {
    name: String,
    data: AttributeValue,
}

impl<'de> EnumAccess<'de> for VariantDeserializer {
    type Error = Error;
    type Variant = Deserializer;

    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Deserializer), Error> {
        let variant = seed.deserialize(KeyDeserializer(self.name))?;
        Ok((variant, Deserializer(self.data)))
    }
}

impl<'de> VariantAccess<'de> for Deserializer {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.0 {
            AttributeValue::Null(_) => Ok(()),
            other => Err(mismatch("NULL", &"a unit variant", &other)),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_seq(self, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        de::Deserializer::deserialize_map(self, visitor)
    }
}

/// A map key (or a variant's name): text, read as a string, or as the
/// integer, bool or char it spells, or as a unit variant's name.
struct KeyDeserializer(String);

impl KeyDeserializer {
    fn not_a(self, visitor: &dyn Expected) -> Error {
        Error(DecodeError::message(format!(
            "map key {:?} is not {visitor}",
            self.0
        )))
    }
}

macro_rules! key_parse {
    ($($method:ident $visit:ident $t:ty;)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self.0.parse::<$t>() {
                Ok(v) => visitor.$visit(v),
                Err(_) => Err(self.not_a(&visitor)),
            }
        }
    )*};
}

impl<'de> de::Deserializer<'de> for KeyDeserializer {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_string(self.0)
    }

    key_parse! {
        deserialize_bool visit_bool bool;
        deserialize_i8 visit_i8 i8;
        deserialize_i16 visit_i16 i16;
        deserialize_i32 visit_i32 i32;
        deserialize_i64 visit_i64 i64;
        deserialize_i128 visit_i128 i128;
        deserialize_u8 visit_u8 u8;
        deserialize_u16 visit_u16 u16;
        deserialize_u32 visit_u32 u32;
        deserialize_u64 visit_u64 u64;
        deserialize_u128 visit_u128 u128;
        deserialize_char visit_char char;
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let name: StringDeserializer<Error> = self.0.into_deserializer();
        visitor.visit_enum(name)
    }

    ::serde::forward_to_deserialize_any! {
        f32 f64 str string bytes byte_buf unit unit_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}
