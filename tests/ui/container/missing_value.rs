use resourceful::prelude::*;

#[resource(service = "dynamodb", table, key = "id")]
struct User {
    id: String,
}

fn main() {}
