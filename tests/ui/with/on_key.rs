use resourceful::prelude::*;

mod codec {
    use resourceful::aws_sdk_dynamodb::types::AttributeValue;
    use resourceful::value::DecodeError;

    pub fn to_attribute(value: &String) -> AttributeValue {
        AttributeValue::S(value.to_uppercase())
    }
    pub fn from_attribute(value: AttributeValue) -> Result<String, DecodeError> {
        <String as resourceful::FromAttribute>::from_attribute(value)
    }
}

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    #[resource(with = "codec")]
    id: String,
}

fn main() {}
