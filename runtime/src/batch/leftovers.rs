//! What a [`BatchWriter`](super::BatchWriter) hands back: each [`Write`]
//! as the caller gave it, the [`Leftovers`] that did not land, and a
//! [`BatchWriteSummary`].

use std::fmt;

use crate::error::Error;
use crate::observe::ConsumedCapacity;
use crate::resource::Resource;

/// One write of a [`BatchWriter`](super::BatchWriter), as the caller gave it.
pub enum Write<T: Resource> {
    /// `put(item)`: write the item, replacing any with the same key.
    Put(T),
    /// `delete(key)`: delete the item with this key.
    Delete(T::Key),
}

impl<T> fmt::Debug for Write<T>
where
    T: Resource + fmt::Debug,
    T::Key: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Write::Put(item) => f.debug_tuple("Put").field(item).finish(),
            Write::Delete(key) => f.debug_tuple("Delete").field(key).finish(),
        }
    }
}

impl<T> Clone for Write<T>
where
    T: Resource + Clone,
    T::Key: Clone,
{
    fn clone(&self) -> Self {
        match self {
            Write::Put(item) => Write::Put(item.clone()),
            Write::Delete(key) => Write::Delete(key.clone()),
        }
    }
}

impl<T> PartialEq for Write<T>
where
    T: Resource + PartialEq,
    T::Key: PartialEq,
{
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Write::Put(a), Write::Put(b)) => a == b,
            (Write::Delete(a), Write::Delete(b)) => a == b,
            _ => false,
        }
    }
}

/// What a finished [`BatchWriter`](super::BatchWriter) did.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct BatchWriteSummary {
    /// Writes that DynamoDB applied.
    pub written: u64,
    /// Writes dropped because a later write to the same key replaced them
    /// before they landed. Every write given to the writer is `written`,
    /// `replaced` or a leftover.
    pub replaced: u64,
    /// `BatchWriteItem` requests sent, retries included.
    pub requests: u64,
    /// Writes sent again, after DynamoDB left them unprocessed or a
    /// request failed with a retryable error (each time counts).
    pub retried: u64,
    /// The capacity the requests consumed, when the writer asked for it
    /// ([`capacity`](super::BatchWriter::capacity)); empty otherwise.
    pub capacity: ConsumedCapacity,
    /// The most requests that were in flight at once.
    pub max_in_flight: u64,
}

/// The writes of a [`BatchWriter`](super::BatchWriter) that did not land, in the order they were
/// given, as the caller's own items (puts) and keys (deletes), with the error
/// that made the writer give up.
///
/// A write replaced by a later write to the same key is never a leftover.
/// Converts into [`Error`] (dropping the writes) for `?`.
pub struct Leftovers<T: Resource> {
    pub(super) writes: Vec<Write<T>>,
    pub(super) summary: BatchWriteSummary,
    pub(super) error: Error,
}

impl<T: Resource> Leftovers<T> {
    /// The writes that did not land.
    pub fn writes(&self) -> &[Write<T>] {
        &self.writes
    }

    /// The writes that did not land, to retry or store elsewhere.
    pub fn into_writes(self) -> Vec<Write<T>> {
        self.writes
    }

    /// The items whose put did not land.
    pub fn puts(&self) -> impl Iterator<Item = &T> {
        self.writes.iter().filter_map(|w| match w {
            Write::Put(item) => Some(item),
            Write::Delete(_) => None,
        })
    }

    /// The keys whose delete did not land.
    pub fn deletes(&self) -> impl Iterator<Item = &T::Key> {
        self.writes.iter().filter_map(|w| match w {
            Write::Delete(key) => Some(key),
            Write::Put(_) => None,
        })
    }

    /// What the writer did before giving up.
    pub fn summary(&self) -> &BatchWriteSummary {
        &self.summary
    }

    /// Why the writer gave up ([`Error::is_incomplete`]); its `source` is the
    /// last error DynamoDB or the connection gave, if any.
    pub fn error(&self) -> &Error {
        &self.error
    }
}

impl<T: Resource> fmt::Debug for Leftovers<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Leftovers")
            .field("writes", &self.writes.len())
            .field("summary", &self.summary)
            .field("error", &self.error)
            .finish()
    }
}

impl<T: Resource> fmt::Display for Leftovers<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.error, f)
    }
}

impl<T: Resource> std::error::Error for Leftovers<T> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.error)
    }
}

impl<T: Resource> From<Leftovers<T>> for Error {
    fn from(leftovers: Leftovers<T>) -> Self {
        leftovers.error
    }
}
