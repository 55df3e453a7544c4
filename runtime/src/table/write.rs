//! One item write, checked and rendered: what `put`, `update` and `delete`
//! send on their own, and what a transaction action carries. The mapping to
//! the SDK's types is here, once for both.

use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::Arc;

use aws_sdk_dynamodb::config::interceptors::FinalizerInterceptorContextRef;
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_sdk_dynamodb::error::{BoxError, BuildError, SdkError};
use aws_sdk_dynamodb::operation::delete_item::DeleteItemError;
use aws_sdk_dynamodb::operation::put_item::PutItemError;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{
    AttributeValue, ConditionCheck, Delete, Put, ReturnConsumedCapacity, ReturnValue,
    ReturnValuesOnConditionCheckFailure, TransactWriteItem, Update,
};
use aws_sdk_dynamodb::Client;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
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
    /// How the stored item looks once this write is applied, when that can
    /// be told exactly: a retry of the write that fails its condition
    /// because it meets that item met its own earlier attempt.
    expected: Option<Expected>,
}

/// The stored item as a conditional write leaves it, to recognise the write
/// when its retry meets it. Only writes whose result can be told from the
/// request have one.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expected {
    /// Exactly this item (a `PutItem`: the item sent, with its new version
    /// and timestamps).
    Item(Item),
    /// An item with these attributes at these values and without those
    /// (an `UpdateItem`: the attributes it sets, the version it writes, the
    /// attributes it removes); other attributes are not compared.
    Attributes { equal: Item, absent: Vec<String> },
    /// No item (a delete).
    Absent,
}

impl Expected {
    /// Whether `found`, the stored item a failed condition returned, is what
    /// this write leaves.
    fn matches(&self, found: Option<&Item>) -> bool {
        // A stored item has at least its key; an empty map is no item.
        match (self, found.filter(|item| !item.is_empty())) {
            (Expected::Item(item), Some(found)) => {
                item.len() == found.len()
                    && item
                        .iter()
                        .all(|(name, value)| found.get(name).is_some_and(|f| same(value, f)))
            }
            (Expected::Attributes { equal, absent }, Some(found)) => {
                equal
                    .iter()
                    .all(|(name, value)| found.get(name).is_some_and(|f| same(value, f)))
                    && absent.iter().all(|name| !found.contains_key(name))
            }
            (Expected::Absent, None) => true,
            _ => false,
        }
    }
}

/// Equal values, the elements of sets in any order (DynamoDB does not keep
/// their order). Anything else compares as sent: a value DynamoDB stored in
/// another form is not recognised, which only leaves the error as it was.
fn same(a: &AttributeValue, b: &AttributeValue) -> bool {
    fn sorted<T: Ord + Clone>(v: &[T]) -> Vec<T> {
        let mut v = v.to_vec();
        v.sort();
        v
    }
    match (a, b) {
        (AttributeValue::Ss(a), AttributeValue::Ss(b))
        | (AttributeValue::Ns(a), AttributeValue::Ns(b)) => sorted(a) == sorted(b),
        (AttributeValue::Bs(a), AttributeValue::Bs(b)) => {
            let bytes = |v: &[aws_sdk_dynamodb::primitives::Blob]| {
                sorted(&v.iter().map(|b| b.as_ref().to_vec()).collect::<Vec<_>>())
            };
            bytes(a) == bytes(b)
        }
        (AttributeValue::M(a), AttributeValue::M(b)) => {
            a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| same(v, w)))
        }
        (AttributeValue::L(a), AttributeValue::L(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(v, w)| same(v, w))
        }
        _ => a == b,
    }
}

/// What the attempts of one request came to, told by an interceptor that
/// the SDK calls after each attempt: whether an attempt that was not the
/// last may have been applied (it got no answer, a 5xx, or a successful
/// answer that could not be read), so that a retry may meet its effect.
#[derive(Debug, Clone, Default)]
pub(crate) struct Attempts {
    inner: Arc<AttemptsInner>,
}

#[derive(Debug, Default)]
struct AttemptsInner {
    count: AtomicU32,
    /// The attempt before the current one may have been applied.
    ambiguous: AtomicBool,
}

impl Attempts {
    /// Whether an earlier attempt than the one that answered may have been
    /// applied. The count guards against an interceptor that did not run.
    pub(crate) fn earlier_ambiguous(&self) -> bool {
        self.inner.count.load(Ordering::SeqCst) > 1 && self.inner.ambiguous.load(Ordering::SeqCst)
    }
}

impl Intercept for Attempts {
    fn name(&self) -> &'static str {
        "resourceful::Attempts"
    }

    fn read_after_attempt(
        &self,
        context: &FinalizerInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        self.inner.count.fetch_add(1, Ordering::SeqCst);
        let failed = matches!(context.output_or_error(), Some(Err(_)) | None);
        // A 4xx is DynamoDB's word that it did not apply the request; no
        // answer, a 5xx or an unreadable 2xx may hide an applied one.
        let definite = context
            .response()
            .map(|r| r.status().as_u16())
            .is_some_and(|status| (400..500).contains(&status));
        if failed && !definite {
            self.inner.ambiguous.store(true, Ordering::SeqCst);
        }
        Ok(())
    }
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
            expected: None,
        })
    }

    /// Recognises the write by the stored item it leaves, `expected`, when a
    /// retry of it fails its condition (see [`Expected`]); only for writes
    /// with a condition.
    pub(super) fn recognising(mut self, expected: Expected) -> Self {
        if self.condition.is_some() {
            self.expected = Some(expected);
        }
        self
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

    /// What to ask DynamoDB for when the condition of a request of its own
    /// fails: the stored item, also to recognise a retried write.
    fn on_own_condition_failure(&self) -> Option<ReturnValuesOnConditionCheckFailure> {
        (self.requires_item || self.expected.is_some())
            .then_some(ReturnValuesOnConditionCheckFailure::AllOld)
    }

    /// What to ask DynamoDB for when the condition of a transaction action
    /// fails.
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
        let (requires_item, on_failure) = (write.requires_item, write.on_own_condition_failure());
        // The item a retry recognised is the item after the write: what
        // ALL_NEW asks for, and all a write that returns nothing needs. The
        // item before the write (ALL_OLD) is lost with the first answer.
        let expected = write
            .expected
            .clone()
            .filter(|_| matches!(returned, ReturnValue::AllNew | ReturnValue::None));
        let attempts = Attempts::default();
        let capacity = capacity.then_some(ReturnConsumedCapacity::Indexes);
        let result = match write.action {
            Action::Put => with_expressions!(client.put_item(), write)
                .set_item(Some(write.item))
                .return_values(returned.clone())
                .set_return_values_on_condition_check_failure(on_failure)
                .set_return_consumed_capacity(capacity)
                .customize()
                .interceptor(attempts.clone())
                .send()
                .await
                .map(|out| (out.attributes, out.consumed_capacity))
                .map_err(|e| {
                    let found = condition_item(&e, |e| match e {
                        PutItemError::ConditionalCheckFailedException(c) => Some(c.item()),
                        _ => None,
                    });
                    (found, Error::sdk(Some(&table), e))
                }),
            Action::Update(update) => with_expressions!(client.update_item(), write)
                .set_key(Some(write.item))
                .set_update_expression(update)
                .return_values(returned.clone())
                .set_return_values_on_condition_check_failure(on_failure)
                .set_return_consumed_capacity(capacity)
                .customize()
                .interceptor(attempts.clone())
                .send()
                .await
                .map(|out| (out.attributes, out.consumed_capacity))
                .map_err(|e| {
                    let found = condition_item(&e, |e| match e {
                        UpdateItemError::ConditionalCheckFailedException(c) => Some(c.item()),
                        _ => None,
                    });
                    (found, update_error(&table, requires_item, e))
                }),
            Action::Delete => with_expressions!(client.delete_item(), write)
                .set_key(Some(write.item))
                .return_values(returned.clone())
                .set_return_values_on_condition_check_failure(on_failure)
                .set_return_consumed_capacity(capacity)
                .customize()
                .interceptor(attempts.clone())
                .send()
                .await
                .map(|out| (out.attributes, out.consumed_capacity))
                .map_err(|e| {
                    let found = condition_item(&e, |e| match e {
                        DeleteItemError::ConditionalCheckFailedException(c) => Some(c.item()),
                        _ => None,
                    });
                    (found, Error::sdk(Some(&table), e))
                }),
            Action::Check => {
                return Err(Error::validation(
                    &table,
                    "a condition check is an action of a transaction, not a request of its own",
                ))
            }
        };
        let retried = attempts.earlier_ambiguous();
        match result {
            Ok(out) => Ok(out),
            // The condition failed on a retry, and the item found is the
            // one this write leaves: an earlier attempt was applied.
            Err((Some(found), _))
                if retried && expected.as_ref().is_some_and(|e| e.matches(found.as_ref())) =>
            {
                tracing::debug!(table, "a retried write found its own earlier attempt");
                let item = matches!(returned, ReturnValue::AllNew)
                    .then_some(found)
                    .flatten();
                Ok((item, None))
            }
            Err((_, error)) => Err(error.after_ambiguous_attempt(retried)),
        }
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
fn update_error(
    table: &str,
    requires_item: bool,
    error: SdkError<UpdateItemError, HttpResponse>,
) -> Error {
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

/// The item a failed condition check returned (`Some(None)`: the check
/// failed and there was no item), from an operation's error; `None` for
/// any other error. `check` picks the `ConditionalCheckFailedException`
/// out of the operation's own error type.
fn condition_item<E, R>(
    error: &SdkError<E, R>,
    check: impl FnOnce(&E) -> Option<Option<&Item>>,
) -> Option<Option<Item>> {
    match error {
        SdkError::ServiceError(s) => check(s.err()).map(|item| item.cloned()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> AttributeValue {
        AttributeValue::S(v.to_owned())
    }

    fn n(v: &str) -> AttributeValue {
        AttributeValue::N(v.to_owned())
    }

    fn item(pairs: &[(&str, AttributeValue)]) -> Item {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    #[test]
    fn a_put_is_recognised_only_by_its_exact_item() {
        let sent = item(&[("id", s("a")), ("count", n("2")), ("version", n("3"))]);
        let expected = Expected::Item(sent.clone());
        assert!(expected.matches(Some(&sent)));
        // Another version, another value, an extra or a missing attribute.
        for other in [
            item(&[("id", s("a")), ("count", n("2")), ("version", n("4"))]),
            item(&[("id", s("a")), ("count", n("3")), ("version", n("3"))]),
            item(&[
                ("id", s("a")),
                ("count", n("2")),
                ("version", n("3")),
                ("x", s("y")),
            ]),
            item(&[("id", s("a")), ("count", n("2"))]),
        ] {
            assert!(!expected.matches(Some(&other)), "{other:?}");
        }
        assert!(!expected.matches(None));
        assert!(!expected.matches(Some(&Item::new())));
    }

    #[test]
    fn an_update_is_recognised_by_what_it_sets_and_removes() {
        let expected = Expected::Attributes {
            equal: item(&[("state", s("shipped")), ("version", n("5"))]),
            absent: vec!["note".to_owned()],
        };
        let found = item(&[
            ("id", s("a")),
            ("state", s("shipped")),
            ("version", n("5")),
            ("count", n("9")),
        ]);
        assert!(expected.matches(Some(&found)));
        let mut noted = found.clone();
        noted.insert("note".to_owned(), s("x"));
        assert!(!expected.matches(Some(&noted)));
        let mut later = found.clone();
        later.insert("version".to_owned(), n("6"));
        assert!(!expected.matches(Some(&later)));
        assert!(!expected.matches(None));
    }

    #[test]
    fn a_delete_is_recognised_by_no_item() {
        assert!(Expected::Absent.matches(None));
        assert!(Expected::Absent.matches(Some(&Item::new())));
        assert!(!Expected::Absent.matches(Some(&item(&[("id", s("a"))]))));
    }

    #[test]
    fn sets_compare_in_any_order() {
        let a = AttributeValue::Ss(vec!["x".into(), "y".into()]);
        let b = AttributeValue::Ss(vec!["y".into(), "x".into()]);
        assert!(same(&a, &b));
        let nested = |v: AttributeValue| AttributeValue::M(item(&[("tags", v)]));
        assert!(same(&nested(a.clone()), &nested(b)));
        assert!(!same(&a, &AttributeValue::Ss(vec!["x".into()])));
        // Lists keep their order.
        let l1 = AttributeValue::L(vec![s("x"), s("y")]);
        let l2 = AttributeValue::L(vec![s("y"), s("x")]);
        assert!(!same(&l1, &l2));
    }
}
