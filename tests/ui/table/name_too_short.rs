use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "us", key = "id")]
struct User {
    id: String,
}

fn main() {}
