//! Decoding arbitrary attribute maps into a resource with nested types:
//! never a panic, and a value that decodes encodes to an item that decodes
//! to the same value.

#![no_main]

use std::collections::HashMap;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use resourceful::aws_sdk_dynamodb::types::AttributeValue;
use resourceful::prelude::*;

#[derive(Attribute, Debug, Clone, PartialEq)]
struct Geo {
    lat: i32,
    lon: i32,
}

#[derive(Attribute, Debug, Clone, PartialEq)]
#[resource(rename_all = "camelCase")]
struct Address {
    street: String,
    postal_code: Option<String>,
    geo: Option<Geo>,
}

#[derive(Attribute, Debug, Clone, PartialEq)]
struct Line {
    sku: String,
    qty: u32,
    options: HashMap<String, String>,
}

#[derive(Attribute, Debug, Clone, PartialEq)]
enum Status {
    Pending,
    Shipped,
}

#[derive(Attribute, Debug, Clone, PartialEq)]
enum Payment {
    Card { last4: String, billing: Option<Address> },
    Cash,
}

#[resource(service = "dynamodb", table = "orders", key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Order {
    id: String,
    status: Status,
    address: Address,
    lines: Vec<Line>,
    payments: Vec<Payment>,
    total: u64,
    note: Option<String>,
}

/// The names the model uses, so that inputs often reach deep decodes.
const NAMES: &[&str] = &[
    "id", "status", "address", "street", "postalCode", "geo", "lat", "lon", "lines", "sku",
    "qty", "options", "payments", "type", "last4", "billing", "total", "note",
];

#[derive(Arbitrary, Debug)]
enum Value {
    S(String),
    N(String),
    B(Vec<u8>),
    Bool(bool),
    Null,
    L(Vec<Value>),
    M(Vec<(Name, Value)>),
    Ss(Vec<String>),
    Ns(Vec<String>),
}

#[derive(Arbitrary, Debug)]
enum Name {
    Known(u8),
    Other(String),
}

impl Name {
    fn text(self) -> String {
        match self {
            Name::Known(i) => NAMES[usize::from(i) % NAMES.len()].to_owned(),
            Name::Other(s) => s,
        }
    }
}

impl Value {
    fn into_attribute(self) -> AttributeValue {
        match self {
            Value::S(s) => AttributeValue::S(s),
            Value::N(n) => AttributeValue::N(n),
            Value::B(b) => AttributeValue::B(b.into()),
            Value::Bool(b) => AttributeValue::Bool(b),
            Value::Null => AttributeValue::Null(true),
            Value::L(l) => AttributeValue::L(l.into_iter().map(Value::into_attribute).collect()),
            Value::M(m) => AttributeValue::M(
                m.into_iter()
                    .map(|(k, v)| (k.text(), v.into_attribute()))
                    .collect(),
            ),
            Value::Ss(s) => AttributeValue::Ss(s),
            Value::Ns(n) => AttributeValue::Ns(n),
        }
    }
}

fuzz_target!(|fields: Vec<(Name, Value)>| {
    let item: resourceful::Item = fields
        .into_iter()
        .map(|(k, v)| (k.text(), v.into_attribute()))
        .collect();
    if let Ok(order) = Order::from_item(item) {
        assert_eq!(Order::from_item(order.to_item()), Ok(order));
    }
});
