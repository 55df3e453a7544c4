use resourceful::aws_sdk_dynamodb::Client;
use resourceful::prelude::*;

#[resource(
    service = "dynamodb",
    table = "orders",
    key = "customer",
    sort_key = "number"
)]
struct Order {
    customer: String,
    number: u32,
    total: u32,
}

fn uses(client: &Client) {
    let orders = Order::table(client);
    let _ = orders.query("c").sort(Order::NUMBER.ne(1));
}

fn main() {
    let _ = uses;
}
