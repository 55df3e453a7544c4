use resourceful::aws_sdk_dynamodb::Client;
use resourceful::prelude::*;

// The key is invalid; the uses below are still type-checked against the
// struct and its attributes without a cascade of errors.
#[resource(service = "dynamodb", table = "users", key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct User {
    id: Option<String>,
    age: u32,
}

async fn uses(client: &Client) -> resourceful::Result<()> {
    let users = User::table(client);
    let user = User { id: None, age: 30 };
    users.put(&user).condition(User::AGE.ge(18)).await?;
    let _found: Option<User> = users.get(Some("u1".to_owned())).await?;
    Ok(())
}

fn main() {
    let _ = uses;
}
