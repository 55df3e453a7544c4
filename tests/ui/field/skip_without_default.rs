use resourceful::prelude::*;

struct Connection;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    #[resource(skip)]
    connection: Connection,
}

fn main() {}
