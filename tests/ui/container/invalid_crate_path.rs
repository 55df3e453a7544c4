use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id", crate = "my crate")]
struct User {
    id: String,
}

fn main() {}
