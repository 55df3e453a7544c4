//! Single-table design: organisations, their users and their orders in one
//! table, with keys computed from templates, entities told apart by `_type`,
//! an index through a template key, and one query that reads an
//! organisation with everything in its partition.
//!
//! ```sh
//! cargo run --example single_table
//! ```
//!
//! With no endpoint configured it starts an embedded DynamoDB-compatible
//! server; with `AWS_ENDPOINT_URL_DYNAMODB` set it uses that endpoint.

use resourceful::local::Backend;
use resourceful::prelude::*;

#[resource(
    service = "dynamodb",
    table = "single-table-app",
    entity = "Org",
    key(attr = "pk", template = "ORG#{id}"),
    sort_key(attr = "sk", template = "ORG")
)]
#[derive(Debug, Clone, PartialEq)]
struct Org {
    id: String,
    name: String,
}

#[resource(
    service = "dynamodb",
    table = "single-table-app",
    entity = "User",
    key(attr = "pk", template = "ORG#{org}"),
    sort_key(attr = "sk", template = "USER#{id}"),
    index(
        name = "gsi1",
        key(attr = "gsi1pk", template = "EMAIL#{email}"),
        sort_key(attr = "gsi1sk", template = "USER")
    )
)]
#[derive(Debug, Clone, PartialEq)]
struct User {
    org: String,
    id: String,
    email: String,
    name: String,
}

#[resource(
    service = "dynamodb",
    table = "single-table-app",
    entity = "Order",
    key(attr = "pk", template = "ORG#{org}"),
    sort_key(attr = "sk", template = "ORDER#{number:08}")
)]
#[derive(Debug, Clone, PartialEq)]
struct Order {
    org: String,
    number: u32,
    user: String,
    total_cents: u64,
}

/// Everything in an organisation's partition.
#[derive(Debug, Collection)]
enum OrgPartition {
    Org(Org),
    User(User),
    Order(Order),
}

#[tokio::main]
async fn main() -> resourceful::Result<()> {
    let backend = Backend::from_env().await?;
    let client = backend.client();
    let orgs = Table::<Org>::new(&client);
    let users = Table::<User>::new(&client);
    let orders = Table::<Order>::new(&client);
    if orgs.exists().await? {
        orgs.delete_table().await?;
    }
    // One table, with the indexes of every entity.
    OrgPartition::create(&client).await?;

    orgs.put(&Org {
        id: "acme".into(),
        name: "Acme Corp".into(),
    })
    .await?;
    for (id, name) in [("ada", "Ada"), ("bob", "Bob")] {
        let email = format!("{id}@acme.example");
        users
            .put(&User {
                org: "acme".into(),
                id: id.into(),
                email,
                name: name.into(),
            })
            .await?;
    }
    for number in [9, 10, 11] {
        let order = Order {
            org: "acme".into(),
            number,
            user: "ada".into(),
            total_cents: 1250,
        };
        orders.put(&order).await?;
    }

    // Typed keys from the templates' fields.
    let ada = users.get(("acme", "ada")).await?.expect("ada is stored");
    println!("get ((acme, ada)): {ada:?}");
    // Numbers zero-padded in the key sort as numbers: 9 before 10.
    let numbers: Vec<u32> = orders
        .query("acme")
        .all()
        .await?
        .into_iter()
        .map(|o| o.number)
        .collect();
    println!("orders of acme, in key order: {numbers:?}");
    assert_eq!(numbers, [9, 10, 11]);
    let later = orders
        .query("acme")
        .sort(Order::NUMBER.ge(10))
        .count()
        .await?;
    println!("orders from number 10: {later}");

    // The index through a template key, and an update that moves the item.
    let found = users
        .index(User::GSI1)
        .query("bob@acme.example")
        .first()
        .await?;
    println!("user by email: {found:?}");
    users
        .update(("acme", "bob"))
        .set(User::EMAIL, "robert@acme.example")
        .await?;
    let moved = users
        .index(User::GSI1)
        .query("robert@acme.example")
        .count()
        .await?;
    println!("after the update, users under the new email: {moved}");

    // The whole partition in one query, each item as its own type.
    for member in OrgPartition::query(&client, "acme").all().await? {
        match member {
            OrgPartition::Org(org) => println!("  org   {}", org.name),
            OrgPartition::User(user) => println!("  user  {} <{}>", user.name, user.email),
            OrgPartition::Order(order) => {
                println!(
                    "  order #{} by {}: {} cents",
                    order.number, order.user, order.total_cents
                )
            }
        }
    }
    orgs.delete_table().await?;
    Ok(())
}
