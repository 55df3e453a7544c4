//! The integration tests: one binary, a module per capability, each test on a
//! table of its own so that they run in parallel.
//!
//! Tests run against `AWS_ENDPOINT_URL_DYNAMODB` (or `AWS_ENDPOINT_URL`) when
//! it is set, otherwise against an embedded server started per test. One
//! binary rather than one per file: each binary links the whole SDK.

// Makes the facade reachable as `renamed` (and `::renamed`) in every module,
// for the hostile-environment tests of `crate = "…"`.
extern crate resourceful as renamed;

mod common;

mod batches;
mod boto3_interop;
#[cfg(any(feature = "chrono", feature = "time", feature = "jiff"))]
mod datetimes;
mod expressions;
mod faults;
mod foreign_types;
mod hygiene;
mod items;
mod lifecycle;
mod locking;
mod nested;
mod observability;
mod reading;
mod roundtrip;
#[cfg(feature = "serde")]
mod serde_fields;
mod server_kill;
mod single_table;
mod timestamps;
mod transactions;
