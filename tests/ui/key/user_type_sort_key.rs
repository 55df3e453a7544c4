use resourceful::prelude::*;
use resourceful::value::DecodeError;
use resourceful::{FromAttribute, ToAttribute};
use resourceful::aws_sdk_dynamodb::types::AttributeValue;

/// Stored as a map, so it cannot be a key.
#[derive(Debug, Clone, PartialEq)]
struct Point {
    x: i64,
    y: i64,
}

impl ToAttribute for Point {
    fn to_attribute(&self) -> AttributeValue {
        AttributeValue::L(vec![self.x.to_attribute(), self.y.to_attribute()])
    }
}

impl FromAttribute for Point {
    const EXPECTED: &'static str = "L";
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        let [x, y]: [i64; 2] = FromAttribute::from_attribute(value)?;
        Ok(Point { x, y })
    }
}

#[resource(service = "dynamodb", table = "places", key = "name", sort_key = "at")]
struct Place {
    name: String,
    at: Point,
}

fn main() {}
