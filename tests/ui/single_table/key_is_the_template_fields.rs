use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "app", entity = "User",
           key(attr = "pk", template = "ORG#{org}"), sort_key(attr = "sk", template = "USER#{id}"))]
struct User {
    org: String,
    id: String,
    name: String,
}

async fn users(table: Table<User>) {
    // The key takes the template's fields, as a tuple.
    let _ = table.get("acme").await;
}

fn main() {}
