use resourceful::prelude::*;

mod as_text {
    use resourceful::aws_sdk_dynamodb::types::AttributeValue;
    use resourceful::value::DecodeError;

    pub fn to_attribute(value: &u64) -> AttributeValue {
        AttributeValue::S(value.to_string())
    }

    pub fn from_attribute(_: AttributeValue) -> Result<u64, DecodeError> {
        Ok(0)
    }
}

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    #[resource(serde, with = "as_text")]
    count: u64,
}

fn main() {}
