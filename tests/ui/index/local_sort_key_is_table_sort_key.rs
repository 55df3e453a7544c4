use resourceful::prelude::*;

#[resource(
    service = "dynamodb",
    table = "users",
    key = "customer",
    sort_key = "number",
    local_index(name = "by_number", sort_key = "number")
)]
struct User {
    customer: String,
    number: u32,
    total: u32,
    placed: u64,
}

fn main() {}
