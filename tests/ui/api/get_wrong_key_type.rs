use resourceful::aws_sdk_dynamodb::Client;
use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
}

fn lookup(client: &Client) {
    let users = User::table(client);
    let _ = users.get(42);
}

fn main() {
    let _ = lookup;
}
