use resourceful::aws_sdk_dynamodb::Client;
use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    email: String,
    age: u32,
}

#[resource(projection = User)]
struct Contact {
    id: String,
    email: String,
}

fn uses(client: &Client, contact: &Contact) {
    let users = User::table(client);
    let _ = users.put(contact);
}

fn main() {
    let _ = uses;
}
