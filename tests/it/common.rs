//! Shared setup for the integration tests: the backend and unique table names.
//!
//! Tests run against `AWS_ENDPOINT_URL_DYNAMODB` (or `AWS_ENDPOINT_URL`) when
//! set, otherwise against an embedded server started per test. Each test uses
//! its own table so that tests run in parallel.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use resourceful::local::Backend;
use resourceful::{Resource, Table};

/// A table name no other test (or earlier run against the same endpoint) uses.
pub(crate) fn unique_table_name(prefix: &str) -> String {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "{prefix}-{}-{}-{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A backend plus a freshly created table for `T`, deleted on `cleanup`.
pub(crate) struct Fixture<T> {
    pub backend: Backend,
    pub table: Table<T>,
}

impl<T: Resource> Fixture<T> {
    pub(crate) async fn new(prefix: &str) -> Self {
        let backend = Backend::from_env().await.expect("backend");
        let table = Table::named(&backend.client(), unique_table_name(prefix));
        table.create().await.expect("create table");
        Fixture { backend, table }
    }

    pub(crate) async fn cleanup(self) {
        self.table.delete_table().await.expect("delete table");
    }
}

/// The items of the table, read with the SDK's own paginated scan (not the
/// library's reads, so that checks of writes do not depend on them).
pub(crate) async fn scan_all<T: Resource>(table: &Table<T>) -> Vec<T> {
    let items: Vec<_> = table
        .client()
        .scan()
        .table_name(table.name())
        .consistent_read(true)
        .into_paginator()
        .items()
        .send()
        .try_collect()
        .await
        .expect("scan");
    items
        .into_iter()
        .map(|item| T::from_item(item).expect("decode"))
        .collect()
}
