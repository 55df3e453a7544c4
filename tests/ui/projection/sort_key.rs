use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "orders", key = "customer", sort_key = "id")]
struct Order {
    customer: String,
    id: String,
    total: u64,
}

#[resource(projection = Order, sort_key = "id")]
struct Total {
    customer: String,
    id: String,
    total: u64,
}

fn main() {}
