use resourceful::prelude::*;

/// A type the macro cannot judge by its name.
#[derive(Default)]
struct Stamp(String);

impl resourceful::ToAttribute for Stamp {
    fn to_attribute(&self) -> resourceful::aws_sdk_dynamodb::types::AttributeValue {
        resourceful::aws_sdk_dynamodb::types::AttributeValue::S(self.0.clone())
    }
}

impl resourceful::FromAttribute for Stamp {
    const EXPECTED: &'static str = "S";

    fn from_attribute(
        value: resourceful::aws_sdk_dynamodb::types::AttributeValue,
    ) -> ::core::result::Result<Self, resourceful::value::DecodeError> {
        String::from_attribute(value).map(Stamp)
    }
}

#[resource(service = "dynamodb", table = "tasks", key = "id")]
struct Task {
    id: String,
    #[resource(updated_at)]
    updated: Stamp,
}

fn main() {}
