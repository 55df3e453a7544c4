use resourceful::aws_sdk_dynamodb::Client;
use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "orders", key = "customer", sort_key = "number")]
struct Order {
    customer: String,
    number: u64,
}

fn lookup(client: &Client) {
    let orders = Order::table(client);
    let _ = orders.get("c1");
}

fn main() {
    let _ = lookup;
}
