use resourceful::aws_sdk_dynamodb::Client;
use resourceful::prelude::*;

// The definition has a mistake; the uses below are correct and must not be
// reported.
#[resource(service = "dynamodb", table = "users", key = "id", rename_all = "camel")]
#[derive(Debug, Clone, PartialEq)]
struct User {
    id: String,
    age: u32,
    nickname: Option<String>,
}

async fn uses(client: &Client) -> resourceful::Result<()> {
    let users = User::table(client);
    let user = User {
        id: "u1".into(),
        age: 30,
        nickname: None,
    };
    users.put(&user).condition(User::AGE.ge(18)).await?;
    let _found: Option<User> = users.get("u1").await?;
    let _older: User = users.update("u1").add(User::AGE, 1).remove(User::NICKNAME).await?;
    users.delete("u1").await?;
    Ok(())
}

fn main() {
    let _ = uses;
}
