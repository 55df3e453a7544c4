use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id", table = "people")]
struct User {
    id: String,
}

fn main() {}
