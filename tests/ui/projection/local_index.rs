use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "orders", key = "customer", sort_key = "id")]
struct Order {
    customer: String,
    id: String,
    total: u64,
}

#[resource(projection = Order, local_index(name = "by_total", sort_key = "total"))]
struct Total {
    customer: String,
    total: u64,
}

fn main() {}
