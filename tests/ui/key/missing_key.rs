use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users")]
struct User {
    id: String,
}

fn main() {}
