use resourceful::prelude::*;

#[resource(
    service = "dynamodb",
    table = "users",
    key = "customer",
    sort_key = "number",
    local_index(name = "by_f0", sort_key = "f0"),
    local_index(name = "by_f1", sort_key = "f1"),
    local_index(name = "by_f2", sort_key = "f2"),
    local_index(name = "by_f3", sort_key = "f3"),
    local_index(name = "by_f4", sort_key = "f4"),
    local_index(name = "by_f5", sort_key = "f5")
)]
struct User {
    customer: String,
    number: u32,
    total: u32,
    placed: u64,
    f0: u32,
    f1: u32,
    f2: u32,
    f3: u32,
    f4: u32,
    f5: u32,
}

fn main() {}
