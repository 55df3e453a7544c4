use resourceful::prelude::*;

#[resource(
    service = "dynamodb",
    table = "users",
    key = "id",
    index(name = "by_active", key = "active")
)]
struct User {
    id: String,
    active: Option<bool>,
}

fn main() {}
