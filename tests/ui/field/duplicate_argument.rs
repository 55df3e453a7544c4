use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    #[resource(rename = "displayName", rename = "display")]
    name: String,
}

fn main() {}
