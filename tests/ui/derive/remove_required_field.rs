use resourceful::aws_sdk_dynamodb::Client;
use resourceful::prelude::*;

#[derive(Attribute)]
struct Address {
    city: String,
    zip: Option<String>,
}

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    address: Address,
}

fn clear(client: &Client) {
    let users = User::table(client);
    let _ = users
        .update("u1")
        .remove(User::ADDRESS.then(Address::ZIP))
        .remove(User::ADDRESS.then(Address::CITY));
}

fn main() {
    let _ = clear;
}
