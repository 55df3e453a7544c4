use resourceful::prelude::*;

#[resource(table = "users", key = "id")]
struct User {
    id: String,
}

fn main() {}
