//! The serde `Serializer` that writes an `AttributeValue`.

use std::collections::HashMap;
use std::fmt;

use ::serde::ser::{self, Impossible, Serialize};
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;

use crate::value::ToAttribute;

/// Why a value could not be written: serde's message, or a `Serialize`
/// impl's own.
#[derive(Debug)]
pub(super) struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Error(message.to_string())
    }
}

/// What `serialize_none` writes, so that the struct that holds a `None`
/// (and a field at the top of an item) can leave it out. DynamoDB's `NULL`
/// is always `true`; everything else that keeps a value turns this into
/// one with [`present`] or [`null_if_none`].
const NONE: AttributeValue = AttributeValue::Null(false);

fn is_none(value: &AttributeValue) -> bool {
    matches!(value, AttributeValue::Null(false))
}

/// The value where it is kept as a whole: `None` for a `None`.
pub(super) fn present(value: AttributeValue) -> Option<AttributeValue> {
    (!is_none(&value)).then_some(value)
}

/// The value inside a list, as a map value or as a variant's data: a `None`
/// is `NULL` there, as in the lists and maps of other types.
fn null_if_none(value: AttributeValue) -> AttributeValue {
    if is_none(&value) {
        AttributeValue::Null(true)
    } else {
        value
    }
}

fn number(text: &str) -> AttributeValue {
    AttributeValue::N(text.to_owned())
}

/// `{variant: data}`: an externally tagged variant with data.
fn variant(name: &'static str, data: AttributeValue) -> AttributeValue {
    AttributeValue::M(HashMap::from([(name.to_owned(), data)]))
}

/// Writes one value of the serde data model as an attribute value.
pub(super) struct Serializer;

impl ser::Serializer for Serializer {
    type Ok = AttributeValue;
    type Error = Error;
    type SerializeSeq = SerializeList;
    type SerializeTuple = SerializeList;
    type SerializeTupleStruct = SerializeList;
    type SerializeTupleVariant = SerializeTupleVariant;
    type SerializeMap = SerializeMap;
    type SerializeStruct = SerializeStruct;
    type SerializeStructVariant = SerializeStructVariant;

    fn serialize_bool(self, v: bool) -> Result<AttributeValue, Error> {
        Ok(AttributeValue::Bool(v))
    }

    fn serialize_i8(self, v: i8) -> Result<AttributeValue, Error> {
        Ok(number(itoa::Buffer::new().format(v)))
    }

    fn serialize_i16(self, v: i16) -> Result<AttributeValue, Error> {
        Ok(number(itoa::Buffer::new().format(v)))
    }

    fn serialize_i32(self, v: i32) -> Result<AttributeValue, Error> {
        Ok(number(itoa::Buffer::new().format(v)))
    }

    fn serialize_i64(self, v: i64) -> Result<AttributeValue, Error> {
        Ok(number(itoa::Buffer::new().format(v)))
    }

    fn serialize_i128(self, v: i128) -> Result<AttributeValue, Error> {
        Ok(number(itoa::Buffer::new().format(v)))
    }

    fn serialize_u8(self, v: u8) -> Result<AttributeValue, Error> {
        Ok(number(itoa::Buffer::new().format(v)))
    }

    fn serialize_u16(self, v: u16) -> Result<AttributeValue, Error> {
        Ok(number(itoa::Buffer::new().format(v)))
    }

    fn serialize_u32(self, v: u32) -> Result<AttributeValue, Error> {
        Ok(number(itoa::Buffer::new().format(v)))
    }

    fn serialize_u64(self, v: u64) -> Result<AttributeValue, Error> {
        Ok(number(itoa::Buffer::new().format(v)))
    }

    fn serialize_u128(self, v: u128) -> Result<AttributeValue, Error> {
        Ok(number(itoa::Buffer::new().format(v)))
    }

    // Floats as `f32`/`f64` fields write them: the shortest text that reads
    // back to the same value, and `NaN`/`inf` text for `validate` to refuse.
    fn serialize_f32(self, v: f32) -> Result<AttributeValue, Error> {
        Ok(v.to_attribute())
    }

    fn serialize_f64(self, v: f64) -> Result<AttributeValue, Error> {
        Ok(v.to_attribute())
    }

    fn serialize_char(self, v: char) -> Result<AttributeValue, Error> {
        Ok(AttributeValue::S(v.to_string()))
    }

    fn serialize_str(self, v: &str) -> Result<AttributeValue, Error> {
        Ok(AttributeValue::S(v.to_owned()))
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<AttributeValue, Error> {
        Ok(AttributeValue::B(Blob::new(v)))
    }

    fn serialize_none(self) -> Result<AttributeValue, Error> {
        Ok(NONE)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<AttributeValue, Error> {
        // `Some(None)` is `NULL`, as serde_json writes it `null`.
        value.serialize(self).map(null_if_none)
    }

    fn serialize_unit(self) -> Result<AttributeValue, Error> {
        Ok(AttributeValue::Null(true))
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<AttributeValue, Error> {
        Ok(AttributeValue::Null(true))
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<AttributeValue, Error> {
        Ok(AttributeValue::S(variant.to_owned()))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        value: &T,
    ) -> Result<AttributeValue, Error> {
        match value.serialize(self)? {
            // A `Number`'s exact text.
            AttributeValue::S(text) if name == super::NUMBER => Ok(AttributeValue::N(text)),
            written => Ok(written),
        }
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        name: &'static str,
        value: &T,
    ) -> Result<AttributeValue, Error> {
        let data = null_if_none(value.serialize(self)?);
        Ok(variant(name, data))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<SerializeList, Error> {
        Ok(SerializeList(Vec::with_capacity(len.unwrap_or(0))))
    }

    fn serialize_tuple(self, len: usize) -> Result<SerializeList, Error> {
        Ok(SerializeList(Vec::with_capacity(len)))
    }

    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<SerializeList, Error> {
        Ok(SerializeList(Vec::with_capacity(len)))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        name: &'static str,
        len: usize,
    ) -> Result<SerializeTupleVariant, Error> {
        Ok(SerializeTupleVariant {
            name,
            items: SerializeList(Vec::with_capacity(len)),
        })
    }

    fn serialize_map(self, len: Option<usize>) -> Result<SerializeMap, Error> {
        Ok(SerializeMap {
            map: HashMap::with_capacity(len.unwrap_or(0)),
            key: None,
        })
    }

    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<SerializeStruct, Error> {
        Ok(SerializeStruct(HashMap::with_capacity(len)))
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        name: &'static str,
        len: usize,
    ) -> Result<SerializeStructVariant, Error> {
        Ok(SerializeStructVariant {
            name,
            fields: SerializeStruct(HashMap::with_capacity(len)),
        })
    }
}

/// A sequence, tuple or tuple struct: a list (`L`).
pub(super) struct SerializeList(Vec<AttributeValue>);

impl SerializeList {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.0.push(null_if_none(value.serialize(Serializer)?));
        Ok(())
    }
}

impl ser::SerializeSeq for SerializeList {
    type Ok = AttributeValue;
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }

    fn end(self) -> Result<AttributeValue, Error> {
        Ok(AttributeValue::L(self.0))
    }
}

impl ser::SerializeTuple for SerializeList {
    type Ok = AttributeValue;
    type Error = Error;

    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }

    fn end(self) -> Result<AttributeValue, Error> {
        Ok(AttributeValue::L(self.0))
    }
}

impl ser::SerializeTupleStruct for SerializeList {
    type Ok = AttributeValue;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.push(value)
    }

    fn end(self) -> Result<AttributeValue, Error> {
        Ok(AttributeValue::L(self.0))
    }
}

/// A tuple variant: `{variant: [data…]}`.
pub(super) struct SerializeTupleVariant {
    name: &'static str,
    items: SerializeList,
}

impl ser::SerializeTupleVariant for SerializeTupleVariant {
    type Ok = AttributeValue;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.items.push(value)
    }

    fn end(self) -> Result<AttributeValue, Error> {
        Ok(variant(self.name, AttributeValue::L(self.items.0)))
    }
}

/// A map (`M`), its keys written as text.
pub(super) struct SerializeMap {
    map: HashMap<String, AttributeValue>,
    key: Option<String>,
}

impl ser::SerializeMap for SerializeMap {
    type Ok = AttributeValue;
    type Error = Error;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key = Some(key.serialize(KeySerializer)?);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| Error("a map value was written before its key".to_owned()))?;
        self.map
            .insert(key, null_if_none(value.serialize(Serializer)?));
        Ok(())
    }

    fn end(self) -> Result<AttributeValue, Error> {
        Ok(AttributeValue::M(self.map))
    }
}

/// A struct (`M`): a field that is `None` is left out, as a derived
/// struct leaves out its `None` fields, and reads back as `None`.
pub(super) struct SerializeStruct(HashMap<String, AttributeValue>);

impl ser::SerializeStruct for SerializeStruct {
    type Ok = AttributeValue;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        if let Some(value) = present(value.serialize(Serializer)?) {
            self.0.insert(key.to_owned(), value);
        }
        Ok(())
    }

    fn end(self) -> Result<AttributeValue, Error> {
        Ok(AttributeValue::M(self.0))
    }
}

/// A struct variant: `{variant: {fields…}}`.
pub(super) struct SerializeStructVariant {
    name: &'static str,
    fields: SerializeStruct,
}

impl ser::SerializeStructVariant for SerializeStructVariant {
    type Ok = AttributeValue;
    type Error = Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        ser::SerializeStruct::serialize_field(&mut self.fields, key, value)
    }

    fn end(self) -> Result<AttributeValue, Error> {
        Ok(variant(self.name, AttributeValue::M(self.fields.0)))
    }
}

/// Writes a map key as the text of an `M`'s key: strings and chars as they
/// are, integers and booleans as their text, unit variants as their name,
/// as serde_json does. Anything else is an error.
struct KeySerializer;

fn key_error(what: &str) -> Error {
    Error(format!(
        "a map key must be a string, a char, an integer, a bool or a unit variant, found {what}"
    ))
}

impl ser::Serializer for KeySerializer {
    type Ok = String;
    type Error = Error;
    type SerializeSeq = Impossible<String, Error>;
    type SerializeTuple = Impossible<String, Error>;
    type SerializeTupleStruct = Impossible<String, Error>;
    type SerializeTupleVariant = Impossible<String, Error>;
    type SerializeMap = Impossible<String, Error>;
    type SerializeStruct = Impossible<String, Error>;
    type SerializeStructVariant = Impossible<String, Error>;

    fn serialize_bool(self, v: bool) -> Result<String, Error> {
        Ok(if v { "true" } else { "false" }.to_owned())
    }

    fn serialize_i8(self, v: i8) -> Result<String, Error> {
        Ok(itoa::Buffer::new().format(v).to_owned())
    }

    fn serialize_i16(self, v: i16) -> Result<String, Error> {
        Ok(itoa::Buffer::new().format(v).to_owned())
    }

    fn serialize_i32(self, v: i32) -> Result<String, Error> {
        Ok(itoa::Buffer::new().format(v).to_owned())
    }

    fn serialize_i64(self, v: i64) -> Result<String, Error> {
        Ok(itoa::Buffer::new().format(v).to_owned())
    }

    fn serialize_i128(self, v: i128) -> Result<String, Error> {
        Ok(itoa::Buffer::new().format(v).to_owned())
    }

    fn serialize_u8(self, v: u8) -> Result<String, Error> {
        Ok(itoa::Buffer::new().format(v).to_owned())
    }

    fn serialize_u16(self, v: u16) -> Result<String, Error> {
        Ok(itoa::Buffer::new().format(v).to_owned())
    }

    fn serialize_u32(self, v: u32) -> Result<String, Error> {
        Ok(itoa::Buffer::new().format(v).to_owned())
    }

    fn serialize_u64(self, v: u64) -> Result<String, Error> {
        Ok(itoa::Buffer::new().format(v).to_owned())
    }

    fn serialize_u128(self, v: u128) -> Result<String, Error> {
        Ok(itoa::Buffer::new().format(v).to_owned())
    }

    fn serialize_f32(self, _: f32) -> Result<String, Error> {
        Err(key_error("a float"))
    }

    fn serialize_f64(self, _: f64) -> Result<String, Error> {
        Err(key_error("a float"))
    }

    fn serialize_char(self, v: char) -> Result<String, Error> {
        Ok(v.to_string())
    }

    fn serialize_str(self, v: &str) -> Result<String, Error> {
        Ok(v.to_owned())
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<String, Error> {
        Err(key_error("bytes"))
    }

    fn serialize_none(self) -> Result<String, Error> {
        Err(key_error("`None`"))
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<String, Error> {
        Err(key_error("an `Option`"))
    }

    fn serialize_unit(self) -> Result<String, Error> {
        Err(key_error("`()`"))
    }

    fn serialize_unit_struct(self, name: &'static str) -> Result<String, Error> {
        Err(key_error(&format!("unit struct `{name}`")))
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<String, Error> {
        Ok(variant.to_owned())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<String, Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _: &T,
    ) -> Result<String, Error> {
        Err(key_error(&format!("variant `{name}::{variant}` with data")))
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_error("a sequence"))
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_error("a tuple"))
    }

    fn serialize_tuple_struct(
        self,
        name: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_error(&format!("tuple struct `{name}`")))
    }

    fn serialize_tuple_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_error(&format!("variant `{name}::{variant}` with data")))
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_error("a map"))
    }

    fn serialize_struct(
        self,
        name: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, Error> {
        Err(key_error(&format!("struct `{name}`")))
    }

    fn serialize_struct_variant(
        self,
        name: &'static str,
        _index: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_error(&format!("variant `{name}::{variant}` with data")))
    }
}
