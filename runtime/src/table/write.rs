//! One item write, checked and rendered: what `put`, `update` and `delete`
//! send on their own, and what a transaction action carries. The mapping to
//! the SDK's types is here, once for both.

use std::fmt;

use aws_sdk_dynamodb::error::{BuildError, SdkError};
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{
    ConditionCheck, Delete, Put, ReturnConsumedCapacity, ReturnValue,
    ReturnValuesOnConditionCheckFailure, TransactWriteItem, Update,
};
use aws_sdk_dynamodb::Client;
use tracing::Instrument;

use super::Table;
use crate::error::{Error, Result};
use crate::expr::{Condition, Placeholders};
use crate::observe::span::{operation_span, record_capacity, record_key};
use crate::observe::{Access, ConsumedCapacity};
use crate::resource::{Resource, ResourceKey};
use crate::validate;
use crate::value::{Item, KeySchema};

/// What a write does to its item.
#[derive(Debug)]
pub(crate) enum Action {
    /// Write the whole item.
    Put,
    /// Change attributes in place; `None` when no attribute changes.
    Update(Option<String>),
    Delete,
    /// Require a condition of an item that is not written (transactions only).
    Check,
}

/// The operation a write belongs to, which names its span: a put of a
/// resource with `created_at` is sent as an `UpdateItem`, but is a put.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Verb {
    Put,
    Update,
    Delete,
}

/// An item write, validated and rendered.
#[derive(Debug)]
pub(crate) struct Prepared {
    pub(crate) table: String,
    pub(crate) action: Action,
    verb: Verb,
    schema: KeySchema,
    /// The whole item for a put; the key otherwise.
    pub(crate) item: Item,
    condition: Option<String>,
    names: Option<std::collections::HashMap<String, String>>,
    values: Option<Item>,
    /// The condition requires the item to exist (an `update`): a failed
    /// condition with no stored item means the item is missing.
    pub(crate) requires_item: bool,
}

/// Sets what every item write carries on one of the SDK's builders for it:
/// the single-item requests and the transaction actions have these setters
/// in common, but no trait.
macro_rules! with_expressions {
    ($builder:expr, $write:ident) => {
        $builder
            .table_name($write.table)
            .set_condition_expression($write.condition)
            .set_expression_attribute_names($write.names)
            .set_expression_attribute_values($write.values)
    };
}

impl Prepared {
    /// Checks and renders `condition` after what `p` already holds (an
    /// update expression), and checks every value sent.
    pub(super) fn new<T: Resource, K>(
        table: &str,
        action: Action,
        item: Item,
        condition: Option<&Condition<T, K>>,
        mut p: Placeholders,
    ) -> Result<Self> {
        if let Some(problem) = condition.and_then(|c| c.node.problem()) {
            return Err(Error::validation(table, problem));
        }
        let condition = condition.map(|c| c.render(&mut p));
        let (names, values) = p.into_request_maps();
        for (placeholder, value) in values.iter().flatten() {
            validate::value(table, placeholder, value)?;
        }
        let verb = match action {
            Action::Put => Verb::Put,
            Action::Delete => Verb::Delete,
            Action::Update(_) | Action::Check => Verb::Update,
        };
        Ok(Prepared {
            table: table.to_owned(),
            action,
            verb,
            schema: T::KEY_SCHEMA,
            item,
            condition,
            names,
            values,
            requires_item: false,
        })
    }

    /// Marks a write whose condition requires the item to exist. When the
    /// condition fails, DynamoDB is asked for the stored item
    /// (`ReturnValuesOnConditionCheckFailure`): none means the item is
    /// missing ([`Error::is_not_found`]), one means another part of the
    /// condition did not hold ([`Error::is_condition_failed`]).
    pub(super) fn requiring_item(mut self) -> Self {
        self.requires_item = true;
        self
    }

    /// Marks the write as part of operation `verb`, for its span.
    pub(super) fn for_verb(mut self, verb: Verb) -> Self {
        self.verb = verb;
        self
    }

    /// What to ask DynamoDB for when the condition fails.
    fn on_condition_failure(&self) -> Option<ReturnValuesOnConditionCheckFailure> {
        self.requires_item
            .then_some(ReturnValuesOnConditionCheckFailure::AllOld)
    }

    /// Sends the write as a request of its own and returns the attributes
    /// `returned` asks for, and with `capacity` what it consumed: the one
    /// path of every single-item write, in its operation's span.
    pub(super) async fn send(
        self,
        client: &Client,
        returned: ReturnValue,
        capacity: bool,
    ) -> Result<(Option<Item>, ConsumedCapacity)> {
        let span = match self.verb {
            Verb::Put => operation_span!("dynamodb.put", "PutItem", self.table.as_str()),
            Verb::Update => operation_span!("dynamodb.update", "UpdateItem", self.table.as_str()),
            Verb::Delete => operation_span!("dynamodb.delete", "DeleteItem", self.table.as_str()),
        };
        if matches!(self.action, Action::Update(_)) {
            // A put that keeps `created_at` is sent as an update.
            span.record("db.operation.name", "UpdateItem");
        }
        let schema = self.schema;
        let key = self.item.iter().filter(|(name, _)| {
            schema.partition.name == name.as_str()
                || schema.sort.is_some_and(|s| s.name == name.as_str())
        });
        record_key(&span, key.map(|(k, v)| (k.as_str(), v)));
        let (attributes, reported) = self
            .send_request(client, returned, capacity)
            .instrument(span.clone())
            .await?;
        let consumed = ConsumedCapacity::reported(Access::Write, reported.as_ref());
        span.record("resourceful.requests", 1);
        span.record("resourceful.items_written", 1);
        record_capacity(&span, &consumed);
        Ok((attributes, consumed))
    }

    async fn send_request(
        self,
        client: &Client,
        returned: ReturnValue,
        capacity: bool,
    ) -> Result<(
        Option<Item>,
        Option<aws_sdk_dynamodb::types::ConsumedCapacity>,
    )> {
        let table = self.table.clone();
        let write = self;
        let (requires_item, on_failure) = (write.requires_item, write.on_condition_failure());
        let capacity = capacity.then_some(ReturnConsumedCapacity::Indexes);
        Ok(match write.action {
            Action::Put => {
                let out = with_expressions!(client.put_item(), write)
                    .set_item(Some(write.item))
                    .return_values(returned)
                    .set_return_consumed_capacity(capacity)
                    .send()
                    .await
                    .map_err(|e| Error::sdk(Some(&table), e))?;
                (out.attributes, out.consumed_capacity)
            }
            Action::Update(update) => {
                let out = with_expressions!(client.update_item(), write)
                    .set_key(Some(write.item))
                    .set_update_expression(update)
                    .return_values(returned)
                    .set_return_values_on_condition_check_failure(on_failure)
                    .set_return_consumed_capacity(capacity)
                    .send()
                    .await
                    .map_err(|e| update_error(&table, requires_item, e))?;
                (out.attributes, out.consumed_capacity)
            }
            Action::Delete => {
                let out = with_expressions!(client.delete_item(), write)
                    .set_key(Some(write.item))
                    .return_values(returned)
                    .set_return_consumed_capacity(capacity)
                    .send()
                    .await
                    .map_err(|e| Error::sdk(Some(&table), e))?;
                (out.attributes, out.consumed_capacity)
            }
            Action::Check => {
                return Err(Error::validation(
                    &table,
                    "a condition check is an action of a transaction, not a request of its own",
                ))
            }
        })
    }

    /// The write as an action of a transaction.
    pub(crate) fn into_transact_item(self) -> Result<TransactWriteItem, BuildError> {
        let write = self;
        let on_failure = write.on_condition_failure();
        let item = TransactWriteItem::builder();
        Ok(match write.action {
            Action::Put => item.put(
                with_expressions!(Put::builder(), write)
                    .set_item(Some(write.item))
                    .build()?,
            ),
            Action::Update(update) => item.update(
                with_expressions!(Update::builder(), write)
                    .set_key(Some(write.item))
                    .set_update_expression(update)
                    .set_return_values_on_condition_check_failure(on_failure)
                    .build()?,
            ),
            Action::Delete => item.delete(
                with_expressions!(Delete::builder(), write)
                    .set_key(Some(write.item))
                    .build()?,
            ),
            Action::Check => item.condition_check(
                with_expressions!(ConditionCheck::builder(), write)
                    .set_key(Some(write.item))
                    .build()?,
            ),
        }
        .build())
    }
}

/// The error of an `UpdateItem` request: a failed condition of an update
/// that requires its item, with no stored item returned, is a missing item.
fn update_error<R>(table: &str, requires_item: bool, error: SdkError<UpdateItemError, R>) -> Error
where
    R: fmt::Debug + Send + Sync + 'static,
{
    let missing = requires_item
        && matches!(
            &error,
            SdkError::ServiceError(service)
                if matches!(
                    service.err(),
                    // A stored item has at least its key attributes; an
                    // empty map is no item too.
                    UpdateItemError::ConditionalCheckFailedException(e)
                        if e.item().is_none_or(|item| item.is_empty())
                )
        );
    if missing {
        Error::item_missing(table, error)
    } else {
        Error::sdk(Some(table), error)
    }
}

/// The key attributes of `key`, checked.
pub(super) fn key_item<T: Resource>(table: &Table<T>, key: &T::Key) -> Result<Item> {
    let item = key.to_key_item();
    validate::key(table.name(), &T::KEY_SCHEMA, &item)?;
    Ok(item)
}

/// A condition check on the item with `key`, for a transaction.
pub(crate) fn prepare_check<T: Resource, K>(
    table: &Table<T>,
    key: &T::Key,
    condition: &Condition<T, K>,
) -> Result<Prepared> {
    Prepared::new(
        table.name(),
        Action::Check,
        key_item(table, key)?,
        Some(condition),
        Placeholders::default(),
    )
}
