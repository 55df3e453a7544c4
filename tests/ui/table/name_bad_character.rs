use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "app/users", key = "id")]
struct User {
    id: String,
}

fn main() {}
