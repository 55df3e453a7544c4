//! A Lambda function fed by a DynamoDB stream: each record decoded into a
//! typed change, and the records that failed reported back so that Lambda
//! retries only from them (`ReportBatchItemFailures` on the event source
//! mapping).
//!
//! ```sh
//! cargo build --example lambda_handler --features lambda
//! ```
//!
//! Deploy it as any Rust Lambda function (for example with `cargo lambda`),
//! on the stream of the `users` table.

use lambda_runtime::{service_fn, Error, LambdaEvent};
use resourceful::changes::aws_lambda_events::event::dynamodb::Event;
use resourceful::changes::aws_lambda_events::streams::DynamoDbEventResponse;
use resourceful::changes::{batch_response, changes_of, Change};
use resourceful::prelude::*;

/// The table's items; its stream has both images.
#[resource(
    service = "dynamodb",
    table = "users",
    key = "id",
    stream = "new_and_old_images"
)]
#[derive(Debug, Clone, PartialEq)]
struct User {
    id: String,
    email: String,
    plan: String,
}

/// What the function does with one change; an error has Lambda retry the
/// record.
async fn handle(change: Change<User>) -> Result<(), Error> {
    match change {
        Change::Insert { new, .. } => println!("welcome {} <{}>", new.id, new.email),
        Change::Modify {
            old: Some(old),
            new,
            ..
        } if old.plan != new.plan => {
            println!("{} moved from {} to {}", new.id, old.plan, new.plan)
        }
        change @ Change::Remove { .. } if change.is_ttl() => {
            println!(
                "an account expired at {:?}",
                change.approximate_creation_time()
            )
        }
        Change::Remove { key, .. } => println!("{} closed their account", key.id),
        _ => {}
    }
    Ok(())
}

async fn function(event: LambdaEvent<Event>) -> Result<DynamoDbEventResponse, Error> {
    let mut failed = Vec::new();
    for (record, change) in changes_of::<User>(&event.payload) {
        let handled = match change {
            Ok(change) => handle(change).await,
            // A record that does not decode names its sequence number and
            // the attribute.
            Err(e) => Err(e.into()),
        };
        if let Err(e) = handled {
            eprintln!("record {:?}: {e}", record.change.sequence_number);
            failed.push(record);
        }
    }
    Ok(batch_response(failed))
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda_runtime::run(service_fn(function)).await
}
