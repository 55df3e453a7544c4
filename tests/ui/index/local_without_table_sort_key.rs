use resourceful::prelude::*;

#[resource(
    service = "dynamodb",
    table = "users",
    key = "id",
    local_index(name = "by_age", sort_key = "age")
)]
struct User {
    id: String,
    email: String,
    age: u32,
}

fn main() {}
