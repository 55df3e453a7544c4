use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id", rename_all = "camel_case")]
struct User {
    id: String,
    display_name: String,
}

fn main() {}
