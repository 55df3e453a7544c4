//! Change streams: each change to an item of a table, as a typed
//! [`Change`].
//!
//! A resource declares its table's stream with `#[resource(stream =
//! "new_and_old_images")]` (or `"new_image"`, `"old_image"`,
//! `"keys_only"`): `create()` enables it and `verify()` checks it. Its
//! records are read from two sources:
//!
//! - a Lambda function fed by the stream (feature `lambda`):
//!   [`Change::from_lambda`] and [`changes_of`] decode the records of an
//!   `aws_lambda_events` DynamoDB event, and [`batch_response`] tells Lambda
//!   which records to retry;
//! - the table itself (feature `streams`): [`Table::changes`](crate::Table::changes)
//!   reads the stream with the DynamoDB Streams API, shard by shard, as a
//!   [`ChangeStream`] that can stop and resume from a [`Checkpoint`].
//!
//! Which images a record carries follows the stream's view, and a change
//! is decoded to what is there, never filled in:
//!
//! | view | insert | modify | remove |
//! |---|---|---|---|
//! | `new_and_old_images` | `Insert { new }` | `Modify { old: Some, new }` | `Remove { key, old: Some }` |
//! | `new_image` | `Insert { new }` | `Modify { old: None, new }` | `Remove { key, old: None }` |
//! | `old_image` | `Written { key, old: None }` | `Written { key, old: Some }` | `Remove { key, old: Some }` |
//! | `keys_only` | `Written { key, old: None }` | `Written { key, old: None }` | `Remove { key, old: None }` |
//!
//! `Change<C>` works for a `#[derive(Collection)]` enum too: each image is
//! decoded into the variant of its entity. The key of a collection's change
//! is the key attributes as stored (an [`Item`]), since a `keys_only`
//! record does not say which entity it was.

#[cfg(feature = "lambda")]
mod lambda;
#[cfg(feature = "streams")]
mod stream;

use std::fmt;
use std::time::SystemTime;

#[cfg(any(feature = "lambda", feature = "streams"))]
use aws_sdk_dynamodb::types::AttributeValue;

#[cfg(any(feature = "lambda", feature = "streams"))]
use crate::error::Error;
use crate::error::Result;
use crate::resource::{Resource, ResourceKey};
use crate::value::{DecodeError, Item};

/// The `aws_lambda_events` crate whose DynamoDB events
/// [`Change::from_lambda`] reads: name the event type through it, so that
/// its version matches.
#[cfg(feature = "lambda")]
#[cfg_attr(docsrs, doc(cfg(feature = "lambda")))]
pub use aws_lambda_events;
#[cfg(feature = "lambda")]
pub use lambda::{batch_response, changes_of, LambdaChanges};
#[cfg(feature = "streams")]
pub use stream::{ChangeStream, Changes, Checkpoint, Start};

/// The principal of the deletions DynamoDB's time to live makes.
const TTL_PRINCIPAL: &str = "dynamodb.amazonaws.com";

/// What a [`Change`] is made of: a [`Resource`], or a
/// `#[derive(Collection)]` enum (the derive implements it).
pub trait ChangeItem: Sized + Send + 'static {
    /// What identifies a changed item when the record has no image of it:
    /// the resource's key type, or the key attributes (an [`Item`]) for a
    /// collection.
    type Key: Send + 'static;

    /// Reads an image (the item before or after the change).
    fn from_image(image: Item) -> Result<Self, DecodeError>;

    /// The key of a changed item, from the record's `Keys`, or from its old
    /// image when there is one (whose fields a templated key leaves out of
    /// `Keys`).
    fn key_of(keys: Item, old: Option<&Self>) -> Result<Self::Key, DecodeError>;
}

impl<T: Resource> ChangeItem for T {
    type Key = T::Key;

    fn from_image(image: Item) -> Result<Self, DecodeError> {
        T::from_item(image)
    }

    fn key_of(keys: Item, old: Option<&Self>) -> Result<T::Key, DecodeError> {
        match old {
            Some(old) => Ok(old.key()),
            None => T::Key::from_key_item(keys),
        }
    }
}

/// What kind of write a record reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeKind {
    /// A new item (`INSERT`).
    Insert,
    /// An item replaced or updated (`MODIFY`).
    Modify,
    /// An item deleted, by a request or by time to live (`REMOVE`).
    Remove,
}

impl ChangeKind {
    /// `INSERT`, `MODIFY` or `REMOVE`, as the stream names it.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Insert => "INSERT",
            ChangeKind::Modify => "MODIFY",
            ChangeKind::Remove => "REMOVE",
        }
    }

    #[cfg(any(feature = "lambda", feature = "streams"))]
    fn from_name(name: &str) -> Option<Self> {
        [ChangeKind::Insert, ChangeKind::Modify, ChangeKind::Remove]
            .into_iter()
            .find(|k| k.as_str() == name)
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who made a change, when the stream says (`userIdentity`): only the
/// deletions of DynamoDB's time to live carry one.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UserIdentity {
    /// `Service` for time to live.
    pub kind: String,
    /// `dynamodb.amazonaws.com` for time to live.
    pub principal_id: String,
}

/// The stream record's own information, beside the images.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    sequence_number: String,
    event_id: Option<String>,
    created: Option<SystemTime>,
    user_identity: Option<UserIdentity>,
}

impl Record {
    /// The record's sequence number in its shard.
    pub fn sequence_number(&self) -> &str {
        &self.sequence_number
    }

    /// The record's event id, when the source gives one.
    pub fn event_id(&self) -> Option<&str> {
        self.event_id.as_deref()
    }

    /// When the change was made, approximately (DynamoDB rounds it; to the
    /// second or the millisecond depending on the source).
    pub fn approximate_creation_time(&self) -> Option<SystemTime> {
        self.created
    }

    /// Who made the change, when the stream says.
    pub fn user_identity(&self) -> Option<&UserIdentity> {
        self.user_identity.as_ref()
    }

    /// Whether DynamoDB's time to live removed the item: the record's
    /// `userIdentity` is the service `dynamodb.amazonaws.com`.
    pub fn is_ttl(&self) -> bool {
        self.user_identity
            .as_ref()
            .is_some_and(|u| u.kind == "Service" && u.principal_id == TTL_PRINCIPAL)
    }
}

/// A change to an item of a table, as its stream reports it.
///
/// Which images there are follows the stream's view (see the [module
/// documentation](self)); [`Written`](Change::Written) is an insert or a
/// modify whose new image the view does not carry.
pub enum Change<T: ChangeItem> {
    /// A new item.
    Insert {
        /// The item as written.
        new: T,
        /// The record's information.
        record: Record,
    },
    /// An item replaced or updated.
    Modify {
        /// The item before, when the view carries old images.
        old: Option<T>,
        /// The item after.
        new: T,
        /// The record's information.
        record: Record,
    },
    /// An item deleted, by a request or by time to live
    /// ([`is_ttl`](Change::is_ttl)).
    Remove {
        /// The deleted item's key.
        key: T::Key,
        /// The item before, when the view carries old images.
        old: Option<T>,
        /// The record's information.
        record: Record,
    },
    /// An insert or a modify from a stream without new images
    /// (`keys_only`, `old_image`): which item, and what it was when the view
    /// carries old images.
    Written {
        /// [`Insert`](ChangeKind::Insert) or [`Modify`](ChangeKind::Modify).
        kind: ChangeKind,
        /// The written item's key.
        key: T::Key,
        /// The item before a modify, when the view carries old images.
        old: Option<T>,
        /// The record's information.
        record: Record,
    },
}

impl<T: ChangeItem> Change<T> {
    /// The record's information.
    pub fn record(&self) -> &Record {
        match self {
            Change::Insert { record, .. }
            | Change::Modify { record, .. }
            | Change::Remove { record, .. }
            | Change::Written { record, .. } => record,
        }
    }

    /// What kind of write this was.
    pub fn kind(&self) -> ChangeKind {
        match self {
            Change::Insert { .. } => ChangeKind::Insert,
            Change::Modify { .. } => ChangeKind::Modify,
            Change::Remove { .. } => ChangeKind::Remove,
            Change::Written { kind, .. } => *kind,
        }
    }

    /// The record's sequence number in its shard.
    pub fn sequence_number(&self) -> &str {
        self.record().sequence_number()
    }

    /// When the change was made, approximately.
    pub fn approximate_creation_time(&self) -> Option<SystemTime> {
        self.record().approximate_creation_time()
    }

    /// Whether DynamoDB's time to live removed the item.
    pub fn is_ttl(&self) -> bool {
        self.record().is_ttl()
    }

    /// The item after the change, when the record has it.
    pub fn new_image(&self) -> Option<&T> {
        match self {
            Change::Insert { new, .. } | Change::Modify { new, .. } => Some(new),
            Change::Remove { .. } | Change::Written { .. } => None,
        }
    }

    /// The item before the change, when the record has it.
    pub fn old_image(&self) -> Option<&T> {
        match self {
            Change::Modify { old, .. }
            | Change::Remove { old, .. }
            | Change::Written { old, .. } => old.as_ref(),
            Change::Insert { .. } => None,
        }
    }

    #[cfg(any(feature = "lambda", feature = "streams"))]
    /// Decodes a record: each image present, and the key when no new image
    /// says which item it was. `table` names the table in errors.
    pub(crate) fn decode(raw: RawRecord, table: Option<&str>) -> Result<Self> {
        let RawRecord {
            kind,
            keys,
            new,
            old,
            record,
        } = raw;
        let fail = |image: &'static str, error: DecodeError| {
            Error::change(table, &record.sequence_number, image, error)
        };
        let kind = match kind {
            Ok(kind) => kind,
            Err(name) => {
                return Err(fail(
                    "record",
                    DecodeError::invalid::<ChangeKind>(format!(
                        "unknown event name `{name}`; expected INSERT, MODIFY or REMOVE"
                    ))
                    .in_field("eventName"),
                ))
            }
        };
        let old = match old {
            Some(image) => Some(T::from_image(image).map_err(|e| fail("old image", e))?),
            None => None,
        };
        let new = match new {
            Some(image) => Some(T::from_image(image).map_err(|e| fail("new image", e))?),
            None => None,
        };
        let key = |old: Option<&T>| T::key_of(keys, old).map_err(|e| fail("keys", e));
        Ok(match (kind, new) {
            (ChangeKind::Insert, Some(new)) => Change::Insert { new, record },
            (ChangeKind::Modify, Some(new)) => Change::Modify { old, new, record },
            (ChangeKind::Remove, _) => Change::Remove {
                key: key(old.as_ref())?,
                old,
                record,
            },
            (kind, None) => Change::Written {
                kind,
                key: key(old.as_ref())?,
                old,
                record,
            },
        })
    }
}

/// A stream record in the SDK's terms, from either source.
#[cfg(any(feature = "lambda", feature = "streams"))]
pub(crate) struct RawRecord {
    /// The event name, or the unknown name found.
    kind: Result<ChangeKind, String>,
    keys: Item,
    new: Option<Item>,
    old: Option<Item>,
    record: Record,
}

#[cfg(any(feature = "lambda", feature = "streams"))]
impl RawRecord {
    fn new(
        event_name: &str,
        keys: Item,
        new: Option<Item>,
        old: Option<Item>,
        record: Record,
    ) -> Self {
        RawRecord {
            kind: ChangeKind::from_name(event_name).ok_or_else(|| event_name.to_owned()),
            keys,
            new: new.filter(|image| !image.is_empty()),
            old: old.filter(|image| !image.is_empty()),
            record,
        }
    }
}

impl<T> fmt::Debug for Change<T>
where
    T: ChangeItem + fmt::Debug,
    T::Key: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Insert { new, record } => f
                .debug_struct("Insert")
                .field("new", new)
                .field("record", record)
                .finish(),
            Change::Modify { old, new, record } => f
                .debug_struct("Modify")
                .field("old", old)
                .field("new", new)
                .field("record", record)
                .finish(),
            Change::Remove { key, old, record } => f
                .debug_struct("Remove")
                .field("key", key)
                .field("old", old)
                .field("record", record)
                .finish(),
            Change::Written {
                kind,
                key,
                old,
                record,
            } => f
                .debug_struct("Written")
                .field("kind", kind)
                .field("key", key)
                .field("old", old)
                .field("record", record)
                .finish(),
        }
    }
}

impl<T> Clone for Change<T>
where
    T: ChangeItem + Clone,
    T::Key: Clone,
{
    fn clone(&self) -> Self {
        match self {
            Change::Insert { new, record } => Change::Insert {
                new: new.clone(),
                record: record.clone(),
            },
            Change::Modify { old, new, record } => Change::Modify {
                old: old.clone(),
                new: new.clone(),
                record: record.clone(),
            },
            Change::Remove { key, old, record } => Change::Remove {
                key: key.clone(),
                old: old.clone(),
                record: record.clone(),
            },
            Change::Written {
                kind,
                key,
                old,
                record,
            } => Change::Written {
                kind: *kind,
                key: key.clone(),
                old: old.clone(),
                record: record.clone(),
            },
        }
    }
}

impl<T> PartialEq for Change<T>
where
    T: ChangeItem + PartialEq,
    T::Key: PartialEq,
{
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Change::Insert { new: a, record: r }, Change::Insert { new: b, record: s }) => {
                a == b && r == s
            }
            (
                Change::Modify {
                    old: a,
                    new: b,
                    record: r,
                },
                Change::Modify {
                    old: c,
                    new: d,
                    record: s,
                },
            ) => a == c && b == d && r == s,
            (
                Change::Remove {
                    key: a,
                    old: b,
                    record: r,
                },
                Change::Remove {
                    key: c,
                    old: d,
                    record: s,
                },
            ) => a == c && b == d && r == s,
            (
                Change::Written {
                    kind: k,
                    key: a,
                    old: b,
                    record: r,
                },
                Change::Written {
                    kind: l,
                    key: c,
                    old: d,
                    record: s,
                },
            ) => k == l && a == c && b == d && r == s,
            _ => false,
        }
    }
}

/// Converts a value of another crate's `AttributeValue` (the streams SDK's,
/// serde_dynamo's) into the DynamoDB SDK's, exactly.
#[cfg(any(feature = "lambda", feature = "streams"))]
pub(crate) fn convert_item<V>(
    item: impl IntoIterator<Item = (String, V)>,
    convert: impl Fn(V) -> Result<AttributeValue, DecodeError> + Copy,
) -> Result<Item, DecodeError> {
    item.into_iter()
        .map(|(name, value)| match convert(value) {
            Ok(value) => Ok((name, value)),
            Err(e) => Err(e.in_field(name)),
        })
        .collect()
}
