use resourceful::prelude::*;

#[resource(
    service = "dynamodb",
    table = "users",
    key = "id",
    index(name = "by email", key = "email")
)]
struct User {
    id: String,
    email: String,
    age: u32,
}

fn main() {}
