use resourceful::prelude::*;

struct Connection;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    connection: Connection,
}

fn main() {}
