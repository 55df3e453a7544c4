use resourceful::prelude::*;

#[resource(
    service = "dynamodb",
    table = "users",
    key = "id",
    index(key = "email")
)]
struct User {
    id: String,
    email: String,
    age: u32,
}

fn main() {}
