use resourceful::prelude::*;

#[resource(
    service = "dynamodb",
    table = "users",
    key = "id",
    index(name = "by_roles", key = "roles")
)]
struct User {
    id: String,
    roles: Vec<String>,
}

fn main() {}
