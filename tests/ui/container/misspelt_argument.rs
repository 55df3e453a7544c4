use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "orders", key = "customer", sortKey = "number")]
struct Order {
    customer: String,
    number: u64,
}

fn main() {}
