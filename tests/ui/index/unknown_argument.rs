use resourceful::prelude::*;

#[resource(
    service = "dynamodb",
    table = "users",
    key = "id",
    index(name = "by_email", key = "email", sort = "age")
)]
struct User {
    id: String,
    email: String,
    age: u32,
}

fn main() {}
