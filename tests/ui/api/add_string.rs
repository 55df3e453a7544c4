use resourceful::aws_sdk_dynamodb::Client;
use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    email: String,
}

fn append(client: &Client) {
    let users = User::table(client);
    let _ = users.update("u1").add(User::EMAIL, "@example.com");
}

fn main() {
    let _ = append;
}
