use resourceful::aws_sdk_dynamodb::Client;
use resourceful::prelude::*;

#[resource(
    service = "dynamodb",
    table = "users",
    key = "id",
    index(name = "by_age", key = "age")
)]
struct User {
    id: String,
    age: u32,
}

fn uses(client: &Client) {
    let users = User::table(client);
    // The partition value was typed for the table (`String`); the index's
    // partition key is a `u32`: start from the index instead.
    let _ = users.query("u1").index(User::BY_AGE);
}

fn main() {
    let _ = uses;
}
