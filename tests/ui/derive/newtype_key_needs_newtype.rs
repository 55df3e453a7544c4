use resourceful::aws_sdk_dynamodb::Client;
use resourceful::prelude::*;

#[derive(Attribute, Debug, Clone, PartialEq)]
struct UserId(String);

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: UserId,
}

async fn find(client: &Client) {
    let _ = User::table(client).get("u1").await;
}

fn main() {
    let _ = find;
}
