//! Moving an item to a new key: a delete and a put in one transaction.

use std::fmt;
use std::future::IntoFuture;

use aws_sdk_dynamodb::types::ReturnConsumedCapacity;
use tracing::Instrument;

use super::item::{and, operation, prepare_delete_stored, prepare_put_new};
use super::{BoxFuture, Table};
use crate::error::{Error, Result};
use crate::expr::Condition;
use crate::observe::span::{operation_span, record_capacity, record_item_key};
use crate::observe::{Access, CapacityFuture, ConsumedCapacity, Operation, Sealed, WithCapacity};
use crate::resource::{Resource, ResourceKey};

/// A move of an item to a new key: [`Table::move_to`]. Await it to send.
#[must_use = "a move does nothing until awaited"]
pub struct Move<'a, T: Resource> {
    table: &'a Table<T>,
    old: &'a T,
    new: &'a T,
    condition: Option<Condition<T>>,
}

impl<'a, T: Resource> Move<'a, T> {
    pub(super) fn new(table: &'a Table<T>, old: &'a T, new: &'a T) -> Self {
        Move {
            table,
            old,
            new,
            condition: None,
        }
    }

    /// Moves only if `condition` also holds for the stored old item
    /// (conditions are joined with AND when given more than once).
    pub fn condition<K>(mut self, condition: Condition<T, K>) -> Self {
        self.condition = and(self.condition, condition);
        self
    }
}

impl<'a, T: Resource> Move<'a, T> {
    async fn run(self, capacity: bool) -> Result<((), ConsumedCapacity)> {
        let table = self.table;
        let name = table.name();
        let old_key = self.old.key().to_key_item();
        if old_key == self.new.key().to_key_item() {
            return Err(Error::validation(
                name,
                "a move needs a new key, and both items have the same one; \
                 change an item in place with `put` or `update`",
            ));
        }
        let span = operation_span!("dynamodb.move", "TransactWriteItems", name);
        record_item_key(&span, &old_key);
        let delete = prepare_delete_stored(table, self.old, self.condition)?;
        let put = prepare_put_new(table, self.new)?;
        let actions = [delete, put]
            .into_iter()
            .map(|write| write.into_transact_item())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Error::validation(name, e.to_string()))?;
        let attempts = super::Attempts::default();
        let output = table
            .client()
            .transact_write_items()
            .set_transact_items(Some(actions))
            .set_return_consumed_capacity(capacity.then_some(ReturnConsumedCapacity::Indexes))
            .customize()
            .interceptor(attempts.clone())
            .send()
            .instrument(span.clone())
            .await
            .map_err(|e| {
                Error::transaction(Some(name), e, |_| false)
                    .after_ambiguous_attempt(attempts.earlier_ambiguous())
            })?;
        let consumed =
            ConsumedCapacity::reported(Access::Write, output.consumed_capacity.iter().flatten());
        span.record("resourceful.requests", 1);
        span.record("resourceful.items_written", 2);
        record_capacity(&span, &consumed);
        Ok(((), consumed))
    }
}

operation!(Move<'a, T> => (), [T: Resource]);

impl<T: Resource> fmt::Debug for Move<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Move")
            .field("table", &self.table.name())
            .field("condition", &self.condition)
            .finish_non_exhaustive()
    }
}
