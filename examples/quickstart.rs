//! The quickstart: declare a resource, create its table, then put, get,
//! conditionally write, update and delete typed items.
//!
//! ```sh
//! cargo run --example quickstart
//! ```
//!
//! With no endpoint configured it starts an embedded DynamoDB-compatible
//! server; with `AWS_ENDPOINT_URL_DYNAMODB` set it uses that endpoint.

use std::collections::BTreeSet;

use resourceful::local::Backend;
use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "quickstart-users", key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct User {
    id: String,
    email: String,
    #[resource(rename = "displayName")]
    name: String,
    age: u32,
    tags: BTreeSet<String>,
    nickname: Option<String>,
}

#[tokio::main]
async fn main() -> resourceful::Result<()> {
    let backend = Backend::from_env().await?;
    println!("using the {backend}");
    let client = backend.client();

    let users = User::table(&client);
    if users.exists().await? {
        users.delete_table().await?;
    }
    users.create().await?;
    println!("created table `{}`", users.name());

    let alice = User {
        id: "u1".into(),
        email: "alice@example.com".into(),
        name: "Alice".into(),
        age: 30,
        tags: BTreeSet::from(["admin".to_owned()]),
        nickname: None,
    };
    users.put(&alice).await?;
    println!("put {alice:?}");

    let found = users.get("u1").await?;
    println!("get u1 -> {found:?}");
    assert_eq!(found.as_ref(), Some(&alice));

    // A second put of the same key with `if_absent` is refused.
    let impostor = User {
        email: "mallory@example.com".into(),
        ..alice.clone()
    };
    match users.put(&impostor).if_absent().await {
        Err(e) if e.is_condition_failed() => println!("put u1 if_absent -> refused: {e}"),
        other => panic!("expected a condition failure, got {other:?}"),
    }

    // A conditional write that holds.
    let renamed = User {
        name: "Alice Liddell".into(),
        ..alice.clone()
    };
    users
        .put(&renamed)
        .condition(User::EMAIL.eq("alice@example.com"))
        .await?;
    println!("put u1 if email = alice@example.com -> ok");

    let older = users
        .update("u1")
        .add(User::AGE, 1)
        .set(User::NICKNAME, Some("ally".to_owned()))
        .await?;
    println!("update u1: age + 1, nickname = ally -> {older:?}");
    assert_eq!(older.age, 31);

    let cleared = users.update("u1").remove(User::NICKNAME).await?;
    println!("update u1: remove nickname -> {cleared:?}");

    users.delete("u1").condition(User::AGE.eq(31)).await?;
    println!("delete u1 if age = 31 -> ok");
    println!("get u1 -> {:?}", users.get("u1").consistent().await?);

    users.delete_table().await?;
    println!("deleted table `{}`", users.name());
    Ok(())
}
