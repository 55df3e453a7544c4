//! [`Transaction`]: all-or-nothing writes across tables (`TransactWriteItems`).

use std::collections::{BTreeSet, HashSet};
use std::fmt;

use aws_sdk_dynamodb::types::{ReturnConsumedCapacity, TransactWriteItem};
use aws_sdk_dynamodb::Client;
use tracing::Instrument;

use crate::error::{Error, Result};
use crate::expr::Condition;
use crate::observe::span::{operation_span, record_capacity};
use crate::observe::{Access, CapacityFuture, ConsumedCapacity, Operation, Sealed, WithCapacity};
use crate::resource::{IntoKey, Resource};
use crate::table::{
    prepare_check, Action, Attempts, BoxFuture, Delete, Prepared, Put, Table, Update, UpdateMode,
};
use crate::value::KeyId;

/// The most actions in one transaction.
pub const MAX_TRANSACTION_ACTIONS: usize = 100;

/// Writes to one or more tables that succeed or fail together.
///
/// Each action is the builder of the single-item operation, with all its
/// options: `users.put(&alice).if_absent()`, `users.update("u1").add(…)`,
/// `users.upsert("u3").add(…)`, `users.delete("u2").condition(…)`;
/// [`check`](Transaction::check) adds a condition on an item that is not
/// written. A `put` of a resource with a `version` field carries its version
/// condition and writes `version + 1`, as `Table::put` does; an `update`
/// increments it. As on its own, an `update` requires its item to exist and
/// an `upsert` creates it.
///
/// [`commit`](Transaction::commit) sends them in one `TransactWriteItems`
/// request. If DynamoDB cancels the transaction, the error says
/// [`is_transaction_cancelled`](Error::is_transaction_cancelled) and
/// [`cancellation_reasons`](Error::cancellation_reasons) gives the index of
/// each failing action (in the order they were added) with its reason. An
/// `update` of a missing item is a reason with
/// [`is_not_found`](crate::CancellationReason::is_not_found) (DynamoDB's code
/// is `ConditionalCheckFailed`, as for a failed condition), and the error
/// then has [`is_not_found`](Error::is_not_found).
///
/// Checked before sending ([`Error::is_validation`]): at most 100 actions,
/// at least one, no two on the same item, and everything a single-item
/// operation checks.
#[must_use = "a transaction does nothing until committed"]
pub struct Transaction {
    client: Client,
    actions: Vec<TransactWriteItem>,
    /// The indices of the actions that require their item (updates).
    requiring_item: HashSet<usize>,
    items: HashSet<(String, KeyId)>,
    error: Option<Error>,
    token: Option<String>,
    first_table: Option<String>,
    count: usize,
}

impl Transaction {
    /// An empty transaction sent with `client`.
    pub fn new(client: &Client) -> Self {
        Transaction {
            client: client.clone(),
            actions: Vec::new(),
            requiring_item: HashSet::new(),
            items: HashSet::new(),
            error: None,
            token: None,
            first_table: None,
            count: 0,
        }
    }

    /// Adds a put, with its options (`if_absent`, `condition`).
    pub fn put<T: Resource>(self, put: Put<'_, T>) -> Self {
        self.add::<T>(put.prepare())
    }

    /// Adds an update, with its actions and condition: a
    /// [`Table::update`], which requires the item to exist, or a
    /// [`Table::upsert`], which creates it when missing.
    pub fn update<T: Resource, M: UpdateMode>(self, update: Update<'_, T, M>) -> Self {
        self.add::<T>(update.prepare())
    }

    /// Adds a delete, with its condition.
    pub fn delete<T: Resource>(self, delete: Delete<'_, T>) -> Self {
        self.add::<T>(delete.prepare())
    }

    /// Adds a check: the transaction goes through only if `condition` holds
    /// for the item with `key` in `table`, which is not written.
    pub fn check<T: Resource, K>(
        self,
        table: &Table<T>,
        key: impl IntoKey<T>,
        condition: Condition<T, K>,
    ) -> Self {
        let key: T::Key = key.into_key();
        let prepared = prepare_check(table, &key, &condition);
        self.add::<T>(prepared)
    }

    /// Makes the commit idempotent: DynamoDB applies a transaction once per
    /// token (for ten minutes), so a commit repeated with the same token and
    /// the same actions succeeds without writing again. Without one, the SDK
    /// generates a token per commit. At most 36 characters.
    pub fn idempotency_token(mut self, token: impl Into<String>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// The number of actions added.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether no action was added.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn add<T: Resource>(mut self, prepared: Result<Prepared>) -> Self {
        self.count += 1;
        if self.error.is_none() {
            let index = self.count - 1;
            match prepared.and_then(|p| self.action::<T>(index, p)) {
                Ok(item) => self.actions.push(item),
                Err(e) => self.error = Some(e),
            }
        }
        self
    }

    fn action<T: Resource>(&mut self, index: usize, p: Prepared) -> Result<TransactWriteItem> {
        self.first_table.get_or_insert_with(|| p.table.clone());
        let table = p.table.clone();
        if p.requires_item {
            self.requiring_item.insert(index);
        }
        let id = KeyId::of(&T::KEY_SCHEMA, &p.item);
        if !self.items.insert((p.table.clone(), id)) {
            return Err(Error::validation(
                &table,
                format!(
                    "action {index} is on an item that an earlier action of the transaction \
                     is on; DynamoDB allows one action per item"
                ),
            ));
        }
        if let Action::Update(None) = p.action {
            return Err(Error::validation(
                &table,
                format!("action {index} is an update without any change"),
            ));
        }
        p.into_transact_item()
            .map_err(|e| Error::validation(&table, format!("action {index}: {e}")))
    }

    /// Sends the transaction. Fails before sending on an invalid action or
    /// more than 100 actions; fails with
    /// [`is_transaction_cancelled`](Error::is_transaction_cancelled) when a
    /// condition does not hold or another request conflicts.
    pub fn commit(self) -> BoxFuture<'static, Result<()>> {
        Box::pin(async move { self.run(false).await.map(|(output, _)| output) })
    }

    /// Asks DynamoDB for the capacity the transaction consumes: await it to
    /// commit and get `((), ConsumedCapacity)`, per table and index.
    pub fn capacity(self) -> WithCapacity<'static, Self> {
        WithCapacity::new(self)
    }

    async fn run(self, capacity: bool) -> Result<((), ConsumedCapacity)> {
        let table = self.first_table.clone().unwrap_or_default();
        if let Some(error) = self.error {
            return Err(error);
        }
        if self.count == 0 {
            return Err(Error::validation(
                &table,
                "a transaction needs at least one action",
            ));
        }
        if self.count > MAX_TRANSACTION_ACTIONS {
            return Err(Error::validation(
                &table,
                format!(
                    "a transaction has {} actions; DynamoDB's limit is {MAX_TRANSACTION_ACTIONS}",
                    self.count
                ),
            ));
        }
        let tables: BTreeSet<&str> = self.items.iter().map(|(t, _)| t.as_str()).collect();
        let tables = tables.into_iter().collect::<Vec<_>>().join(",");
        let span = operation_span!("dynamodb.transact_write", "TransactWriteItems", tables);
        let requiring_item = self.requiring_item;
        let attempts = Attempts::default();
        let output = self
            .client
            .transact_write_items()
            .set_transact_items(Some(self.actions))
            .set_client_request_token(self.token)
            .set_return_consumed_capacity(capacity.then_some(ReturnConsumedCapacity::Indexes))
            .customize()
            .interceptor(attempts.clone())
            .send()
            .instrument(span.clone())
            .await
            .map_err(|e| {
                // An attempt whose answer was lost may have committed: the
                // retry normally finds it by the idempotency token, but
                // when the retry fails too, the error says so.
                Error::transaction(None, e, |i| requiring_item.contains(&i))
                    .after_ambiguous_attempt(attempts.earlier_ambiguous())
            })?;
        let consumed =
            ConsumedCapacity::reported(Access::Write, output.consumed_capacity.iter().flatten());
        span.record("resourceful.requests", 1);
        span.record("resourceful.items_written", self.count);
        record_capacity(&span, &consumed);
        Ok(((), consumed))
    }
}

impl Sealed for Transaction {}

impl Operation<'static> for Transaction {
    type Output = ();
    fn send_with(self, capacity: bool) -> CapacityFuture<'static, ()> {
        Box::pin(self.run(capacity))
    }
}

impl fmt::Debug for Transaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transaction")
            .field("actions", &self.len())
            .field("idempotency_token", &self.token)
            .field("error", &self.error)
            .finish_non_exhaustive()
    }
}
