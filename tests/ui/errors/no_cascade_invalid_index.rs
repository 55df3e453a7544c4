use resourceful::aws_sdk_dynamodb::Client;
use resourceful::prelude::*;

// One mistake (a `bool` index key): only that is reported, not the uses of
// the index handle below.
#[resource(
    service = "dynamodb",
    table = "users",
    key = "id",
    index(name = "by_active", key = "active")
)]
struct User {
    id: String,
    active: bool,
}

async fn uses(client: &Client) -> resourceful::Result<()> {
    let users = User::table(client);
    let _ = users.index(User::BY_ACTIVE).scan().count().await?;
    let _ = users.scan().index(User::BY_ACTIVE).all().await?;
    Ok(())
}

fn main() {
    let _ = uses;
}
