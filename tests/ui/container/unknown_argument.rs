use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id", partition = "id")]
struct User {
    id: String,
}

fn main() {}
