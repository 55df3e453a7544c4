use resourceful::prelude::*;

mod codec {
    use resourceful::aws_sdk_dynamodb::types::AttributeValue;

    pub fn to_attribute(value: &u64) -> AttributeValue {
        AttributeValue::S(value.to_string())
    }
}

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    #[resource(with = "codec")]
    total: u64,
}

fn main() {}
