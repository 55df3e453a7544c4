//! The spans of operations: one macro, so that every span has the same
//! fields, and what records them.

use std::fmt::Write as _;

use aws_sdk_dynamodb::types::AttributeValue;
use tracing::Span;

use super::ConsumedCapacity;
use crate::value::Item;

/// The span of one operation, with every field it may record. The name and
/// DynamoDB action are literals: a span's metadata is static.
macro_rules! operation_span {
    ($name:literal, $operation:literal, $tables:expr) => {
        ::tracing::info_span!(
            target: "resourceful",
            $name,
            db.system.name = "aws.dynamodb",
            db.operation.name = $operation,
            aws.dynamodb.table_names = $tables,
            aws.dynamodb.index_name = ::tracing::field::Empty,
            resourceful.key = ::tracing::field::Empty,
            resourceful.requests = ::tracing::field::Empty,
            db.response.returned_rows = ::tracing::field::Empty,
            resourceful.items_written = ::tracing::field::Empty,
            resourceful.retries = ::tracing::field::Empty,
            resourceful.unprocessed = ::tracing::field::Empty,
            aws.dynamodb.consumed_capacity = ::tracing::field::Empty,
        )
    };
}
pub(crate) use operation_span;

/// Records `key` on `span` when `DEBUG` is enabled for the crate's target:
/// keys can be personal data, so they are not in the spans an `INFO`
/// subscriber sees (and are not formatted for them).
pub(crate) fn record_key<'a>(
    span: &Span,
    key: impl IntoIterator<Item = (&'a str, &'a AttributeValue)>,
) {
    if span.is_disabled() || !tracing::enabled!(target: "resourceful", tracing::Level::DEBUG) {
        return;
    }
    let mut parts: Vec<(&str, &AttributeValue)> = key.into_iter().collect();
    parts.sort_unstable_by_key(|(name, _)| *name);
    let mut text = String::new();
    for (i, (name, value)) in parts.into_iter().enumerate() {
        if i > 0 {
            text.push_str(", ");
        }
        let _ = match value {
            AttributeValue::S(s) => write!(text, "{name}={s:?}"),
            AttributeValue::N(n) => write!(text, "{name}={n}"),
            other => write!(text, "{name}={other:?}"),
        };
    }
    span.record("resourceful.key", text);
}

/// Records the key attributes of `item` (see [`record_key`]).
pub(crate) fn record_item_key(span: &Span, item: &Item) {
    record_key(span, item.iter().map(|(k, v)| (k.as_str(), v)));
}

/// Records `capacity` on `span`, when anything was reported.
pub(crate) fn record_capacity(span: &Span, capacity: &ConsumedCapacity) {
    if !capacity.is_empty() && !span.is_disabled() {
        span.record(
            "aws.dynamodb.consumed_capacity",
            tracing::field::display(capacity),
        );
    }
}
