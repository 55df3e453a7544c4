//! Records of a Lambda function fed by a DynamoDB stream
//! (`aws_lambda_events`' DynamoDB event), as typed changes.

use std::time::SystemTime;

use aws_lambda_events::event::dynamodb::{Event, EventRecord};
use aws_lambda_events::streams::{DynamoDbBatchItemFailure, DynamoDbEventResponse};
use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;
use serde_dynamo::AttributeValue as LambdaValue;

use super::{convert_item, Change, ChangeItem, RawRecord, Record, UserIdentity};
use crate::error::{Error, Result};
use crate::value::{DecodeError, Item};

impl<T: ChangeItem> Change<T> {
    /// Decodes one record of a Lambda DynamoDB event.
    ///
    /// An image that does not decode is an error naming the record's
    /// sequence number and the attribute
    /// ([`Error::sequence_number`](crate::Error::sequence_number),
    /// [`Error::as_decode`](crate::Error::as_decode)).
    #[cfg_attr(docsrs, doc(cfg(feature = "lambda")))]
    pub fn from_lambda(record: &EventRecord) -> Result<Self> {
        let change = &record.change;
        let sequence_number = change.sequence_number.clone().unwrap_or_default();
        let table = record.table_name.as_deref();
        let image = |image: &serde_dynamo::Item, what: &'static str| -> Result<Item> {
            from_lambda_item(image.clone())
                .map_err(|e| Error::change(table, &sequence_number, what, e))
        };
        let keys = image(&change.keys, "keys")?;
        let new = image(&change.new_image, "new image")?;
        let old = image(&change.old_image, "old image")?;
        // A record without a creation time reads it as the epoch.
        let created = SystemTime::from(change.approximate_creation_date_time);
        let info = Record {
            sequence_number: sequence_number.clone(),
            event_id: Some(record.event_id.clone()).filter(|id| !id.is_empty()),
            created: (created != SystemTime::UNIX_EPOCH).then_some(created),
            user_identity: record.user_identity.as_ref().map(|u| UserIdentity {
                kind: u.type_.clone(),
                principal_id: u.principal_id.clone(),
            }),
        };
        let raw = RawRecord::new(&record.event_name, keys, Some(new), Some(old), info);
        Change::decode(raw, table)
    }
}

/// Every record of a Lambda DynamoDB event as a typed change, in order,
/// each with its record (for [`batch_response`]).
#[cfg_attr(docsrs, doc(cfg(feature = "lambda")))]
pub fn changes_of<T: ChangeItem>(event: &Event) -> LambdaChanges<'_, T> {
    LambdaChanges {
        records: event.records.iter(),
        _marker: std::marker::PhantomData,
    }
}

/// The iterator of [`changes_of`]: each record with its decoded change.
#[cfg_attr(docsrs, doc(cfg(feature = "lambda")))]
pub struct LambdaChanges<'e, T> {
    records: std::slice::Iter<'e, EventRecord>,
    _marker: std::marker::PhantomData<fn() -> T>,
}

impl<'e, T: ChangeItem> Iterator for LambdaChanges<'e, T> {
    type Item = (&'e EventRecord, Result<Change<T>>);

    fn next(&mut self) -> Option<Self::Item> {
        let record = self.records.next()?;
        Some((record, Change::from_lambda(record)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.records.size_hint()
    }
}

impl<T> std::fmt::Debug for LambdaChanges<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LambdaChanges")
            .field("remaining", &self.records.len())
            .finish()
    }
}

/// The partial-batch response of a handler (`ReportBatchItemFailures`):
/// the records whose handling failed, by sequence number, so that Lambda
/// retries from the first of them and not the whole batch. No failures is
/// an empty list: the batch succeeded.
#[cfg_attr(docsrs, doc(cfg(feature = "lambda")))]
pub fn batch_response<'r>(
    failed: impl IntoIterator<Item = &'r EventRecord>,
) -> DynamoDbEventResponse {
    let mut response = DynamoDbEventResponse::default();
    response.batch_item_failures = failed
        .into_iter()
        .map(|record| {
            let mut failure = DynamoDbBatchItemFailure::default();
            failure.item_identifier = record.change.sequence_number.clone();
            failure
        })
        .collect();
    response
}

fn from_lambda_item(item: serde_dynamo::Item) -> Result<Item, DecodeError> {
    convert_item(item.into_inner(), from_lambda_value)
}

/// serde_dynamo's value as the SDK's: numbers keep their text, sets and
/// binaries their contents.
fn from_lambda_value(value: LambdaValue) -> Result<AttributeValue, DecodeError> {
    Ok(match value {
        LambdaValue::N(n) => AttributeValue::N(n),
        LambdaValue::S(s) => AttributeValue::S(s),
        LambdaValue::Bool(b) => AttributeValue::Bool(b),
        LambdaValue::B(b) => AttributeValue::B(Blob::new(b)),
        LambdaValue::Null(n) => AttributeValue::Null(n),
        LambdaValue::M(m) => AttributeValue::M(convert_item(m, from_lambda_value)?),
        LambdaValue::L(l) => AttributeValue::L(
            l.into_iter()
                .enumerate()
                .map(|(i, v)| from_lambda_value(v).map_err(|e| e.at_index(i)))
                .collect::<Result<_, _>>()?,
        ),
        LambdaValue::Ss(s) => AttributeValue::Ss(s),
        LambdaValue::Ns(n) => AttributeValue::Ns(n),
        LambdaValue::Bs(b) => AttributeValue::Bs(b.into_iter().map(Blob::new).collect()),
    })
}
