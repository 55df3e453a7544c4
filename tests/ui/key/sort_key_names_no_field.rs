use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "orders", key = "customer", sort_key = "created")]
struct Order {
    customer: String,
    created_at: u64,
}

fn main() {}
