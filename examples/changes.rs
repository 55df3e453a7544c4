//! Tailing a table: the changes to its items as typed values, read from its
//! stream while another task writes.
//!
//! ```sh
//! cargo run --example changes --features streams
//! ```
//!
//! With no endpoint configured it starts an embedded DynamoDB-compatible
//! server; with `AWS_ENDPOINT_URL_DYNAMODB` set it uses that endpoint. It
//! stops after the writes it makes, printing where a restarted consumer
//! would resume.

use resourceful::changes::{Change, Start};
use resourceful::local::Backend;
use resourceful::prelude::*;

/// A shopping cart; its table's stream has the items before and after each
/// change.
#[resource(
    service = "dynamodb",
    table = "changes-example-carts",
    key = "id",
    stream = "new_and_old_images"
)]
#[derive(Debug, Clone, PartialEq)]
struct Cart {
    id: String,
    items: Vec<String>,
    total_cents: u64,
}

/// The writes the example makes, as a shop would.
async fn shop(carts: Table<Cart>) -> resourceful::Result<()> {
    for id in ["c1", "c2"] {
        carts
            .put(&Cart {
                id: id.into(),
                items: vec!["tea".into()],
                total_cents: 450,
            })
            .await?;
    }
    carts
        .update("c1")
        .append(Cart::ITEMS, vec!["cups".to_owned()])
        .add(Cart::TOTAL_CENTS, 1_200)
        .await?;
    carts.delete("c2").await?;
    Ok(())
}

#[tokio::main]
async fn main() -> resourceful::Result<()> {
    let backend = Backend::from_env().await?;
    println!("using the {backend}");
    let carts = Cart::table(&backend.client());
    if carts.exists().await? {
        carts.delete_table().await?;
    }
    carts.create().await?; // with the stream `#[resource(stream = …)]` declares

    // Every change the stream keeps: all of them, on a new table.
    // (`Start::Latest` would read only those after the stream's first poll.)
    let mut changes = carts.changes().from(Start::TrimHorizon).stream();
    let writer = tokio::spawn(shop(carts.clone()));

    // Four writes: two inserts, a modify and a remove.
    for _ in 0..4 {
        let change = changes
            .try_next()
            .await?
            .expect("the stream waits for changes");
        let at = change.sequence_number();
        match &change {
            Change::Insert { new, .. } => {
                println!(
                    "{at}: new cart {}: {:?}, {} cents",
                    new.id, new.items, new.total_cents
                )
            }
            Change::Modify { old, new, .. } => {
                let before = old.as_ref().map_or(0, |c| c.total_cents);
                println!(
                    "{at}: cart {} now {:?}, {} -> {} cents",
                    new.id, new.items, before, new.total_cents
                )
            }
            Change::Remove { key, old, .. } => {
                let items = old.as_ref().map(|c| c.items.clone()).unwrap_or_default();
                let why = if change.is_ttl() {
                    "expired"
                } else {
                    "deleted"
                };
                println!("{at}: cart {} {why}, it held {items:?}", key.id)
            }
            Change::Written { kind, key, .. } => println!("{at}: {kind} of cart {}", key.id),
        }
    }
    writer.await.expect("the writer task")?;

    // Where a restarted consumer would pick up: store it, and start from it
    // with `.from(checkpoint)`.
    let checkpoint = changes.checkpoint();
    for (shard, sequence_number) in checkpoint.sequence_numbers() {
        println!("resume {shard} after {sequence_number}");
    }
    drop(changes);
    carts.delete_table().await?;
    Ok(())
}
