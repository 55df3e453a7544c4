//! What operations cost and how far long ones have got: [`ConsumedCapacity`]
//! returned by `.capacity()` ([`WithCapacity`]), and the live counters of
//! reads ([`ReadProgress`]) and batch writers ([`WriteProgress`]).
//!
//! Every operation also runs in a [`tracing`](https://docs.rs/tracing) span
//! of target `resourceful`, named for it (`dynamodb.put`, `dynamodb.query`,
//! …), with fields that follow OpenTelemetry's conventions for DynamoDB
//! where one exists:
//!
//! | field | what |
//! |---|---|
//! | `db.system.name` | `aws.dynamodb` |
//! | `db.operation.name` | the DynamoDB action: `PutItem`, `Query`, `BatchWriteItem`, … |
//! | `aws.dynamodb.table_names` | the table (tables of a transaction, comma-separated) |
//! | `aws.dynamodb.index_name` | the index of a query or scan |
//! | `resourceful.key` | the item's key, or a query's partition value: only when `DEBUG` is enabled for target `resourceful`, since keys can be personal data |
//! | `resourceful.requests` | requests sent (pages read, batch requests with retries) |
//! | `db.response.returned_rows` | items returned |
//! | `resourceful.items_written` | items written |
//! | `resourceful.retries` | requests sent again for unprocessed items or retryable errors |
//! | `resourceful.unprocessed` | writes or keys given up on |
//! | `aws.dynamodb.consumed_capacity` | the capacity consumed, when asked for (`.capacity()`, `.progress(…)`) |
//!
//! Batch retries are `DEBUG` events and giving up is a `WARN` event, inside
//! the span. The library installs no subscriber: without one, a span costs
//! a check of a cached flag.

mod capacity;
mod progress;
pub(crate) mod span;

pub(crate) use capacity::{Access, CapacityFuture, Sealed};
pub use capacity::{CapacityUnits, ConsumedCapacity, Operation, WithCapacity};
pub use progress::{ReadProgress, WriteProgress};
