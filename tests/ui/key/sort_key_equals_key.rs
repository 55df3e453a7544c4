use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id", sort_key = "id")]
struct User {
    id: String,
}

fn main() {}
