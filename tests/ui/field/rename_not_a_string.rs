use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    #[resource(rename = displayName, skip_if = "empty")]
    name: String,
}

fn main() {}
