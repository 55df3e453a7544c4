use resourceful::aws_sdk_dynamodb::Client;
use resourceful::prelude::*;

#[resource(
    service = "dynamodb",
    table = "users",
    key = "id",
    index(name = "by_email", key = "email"),
    index(name = "by_team", key = "team", sort_key = "created")
)]
struct User {
    id: String,
    email: String,
    team: String,
    created: u64,
}

#[resource(
    service = "dynamodb",
    table = "orders",
    key = "id",
    index(name = "by_x", key = "x")
)]
struct Order {
    id: String,
    x: String,
}

fn uses(client: &Client) {
    let users = User::table(client);
    let _ = users.index(Order::BY_X);
}

fn main() {
    let _ = uses;
}
