//! Batches: [`BatchWriter`] (`BatchWriteItem`) and [`BatchGet`]
//! (`BatchGetItem`), with their [`RetryPolicy`].
//!
//! Both split their work into the largest requests DynamoDB accepts (25
//! writes, 100 keys), remove duplicate keys, keep several requests in
//! flight, and retry what DynamoDB leaves unprocessed (and throttling and
//! transport errors) with capped exponential backoff and jitter. What is
//! still unprocessed when the policy gives up is handed back as the caller's
//! own values: [`Leftovers`] for writes, [`Error::is_incomplete`] for reads.
//!
//! [`Error::is_incomplete`]: crate::Error::is_incomplete

mod concurrency;
mod get;
mod leftovers;
mod pipeline;
mod retry;
mod writer;

pub use concurrency::Concurrency;
pub use get::{BatchGet, BatchGetProjection};
pub use leftovers::{BatchWriteSummary, Leftovers, Write};
pub use retry::RetryPolicy;
pub use writer::{AsGiven, BatchWriter, SkipVersionCheck};

/// The most writes in one `BatchWriteItem` request.
pub const MAX_WRITES_PER_REQUEST: usize = 25;
/// The most keys in one `BatchGetItem` request.
pub const MAX_KEYS_PER_REQUEST: usize = 100;
/// The number of requests a batch get keeps in flight unless told
/// otherwise, and where a batch writer's adaptive window starts.
pub const DEFAULT_CONCURRENCY: usize = 4;
/// The most requests a batch writer's adaptive window allows in flight
/// unless told otherwise ([`Concurrency::default`]).
pub const DEFAULT_MAX_CONCURRENCY: usize = 64;
