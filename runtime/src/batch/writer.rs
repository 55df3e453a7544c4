//! [`BatchWriter`]: puts and deletes through `BatchWriteItem`, in one of
//! two modes: [`AsGiven`] and [`SkipVersionCheck`].

use std::fmt;
use std::marker::PhantomData;

use super::pipeline::Pipeline;
use super::{BatchWriteSummary, Concurrency, Leftovers, RetryPolicy};
use crate::error::Result;
use crate::observe::WriteProgress;
use crate::resource::{advance_version, stamp_whole_item, IntoKey, Resource, Unversioned};
use crate::table::{BoxFuture, Table};

/// The default mode of a [`BatchWriter`]: items are written as they are.
/// Puts compile only for a resource without a `version` field
/// ([`Unversioned`]).
#[derive(Debug)]
pub enum AsGiven {}

/// The mode of a [`BatchWriter`] made by
/// [`skip_version_check`](BatchWriter::skip_version_check): puts store
/// `version + 1`, as `Table::put` would, without checking the stored
/// version.
#[derive(Debug)]
pub enum SkipVersionCheck {}

/// Puts and deletes many items of one table through `BatchWriteItem`. Made by
/// [`Table::batch_writer`].
///
/// - Writes are sent in requests of 25; [`put`](BatchWriter::put) and
///   [`delete`](BatchWriter::delete) return at once unless enough requests
///   are already in flight, and then wait for one to finish: backpressure.
///   How many may be in flight adapts to latency and throttling
///   ([`Concurrency`], up to 64 by default) unless
///   [`concurrency`](BatchWriter::concurrency) fixes it.
/// - Of several writes to the same key, the last one wins: an earlier write
///   that has not been sent is dropped, and a write to a key whose request
///   is in flight waits for that request (and its retries) to finish, so the
///   two can never land out of order.
/// - What DynamoDB leaves unprocessed, throttling and transport errors are
///   retried by the [`RetryPolicy`].
/// - [`finish`](BatchWriter::finish) sends the rest, waits, and returns the
///   writes that did not land as [`Leftovers`]: your own items and keys.
///
/// `BatchWriteItem` has no conditions, so it cannot check the `version` of
/// a resource that has one. The mode `M` says what a put does:
///
/// - [`AsGiven`], the default (`BatchWriter<T>`): puts write items as they
///   are, and compile only for resources without a `version` field;
/// - [`SkipVersionCheck`], from
///   [`skip_version_check`](BatchWriter::skip_version_check): puts store
///   `version + 1`, as `Table::put` would, without checking the stored
///   version; for loading items that nothing else writes meanwhile.
///
/// Deleting by key works for every resource in both modes, as
/// `Table::delete` does.
///
/// Requests run as Tokio tasks, so the writer is used inside a Tokio
/// runtime, as the AWS SDK itself is.
///
/// Dropping a writer that still holds writes (not yet sent, in flight, or
/// leftovers that were never collected) cancels them and reports it as a
/// warning through [`tracing`](https://docs.rs/tracing), with their counts;
/// [`unfinished`](BatchWriter::unfinished) tells how many there are. Always
/// end with `finish().await`.
///
/// A write that is retried after its connection dropped may be applied
/// twice; puts and deletes are idempotent, and no other write to the same
/// key is sent meanwhile, so the table still ends up as if each write
/// landed once.
#[must_use = "a batch writer sends its last writes only when `finish` is awaited"]
pub struct BatchWriter<T: Resource, M = AsGiven> {
    writes: Pipeline<T>,
    mode: PhantomData<fn() -> M>,
}

impl<T: Resource> Table<T> {
    /// A writer that puts and deletes many items through `BatchWriteItem`:
    /// chunks of 25, last write per key wins, several requests in flight,
    /// retries with backoff, leftovers returned. End it with
    /// [`finish`](BatchWriter::finish).
    ///
    /// Its puts compile for resources without a `version` field; for one
    /// with a `version` field, say that the check is skipped:
    /// `batch_writer().skip_version_check()`.
    pub fn batch_writer(&self) -> BatchWriter<T> {
        BatchWriter {
            writes: Pipeline::new(self),
            mode: PhantomData,
        }
    }
}

impl<T: Resource> BatchWriter<T> {
    /// Puts `item` as it is, replacing any earlier write to its key.
    ///
    /// Fails, without queueing, if the item breaks one of DynamoDB's limits:
    /// an empty or oversized key, an item over 400 KB, a number DynamoDB
    /// cannot store, nesting deeper than 32 levels. Waits while enough
    /// requests are in flight.
    ///
    /// Only for a resource without a `version` field: a put here could not
    /// check the version. For one with a `version` field, use
    /// [`skip_version_check`](BatchWriter::skip_version_check), or
    /// `Table::put` and transactions, which check it.
    // Not an `async fn`: its future would carry the `Unversioned` bound
    // too, and a versioned put would be reported three times, not once.
    pub fn put(&mut self, item: T) -> BoxFuture<'_, Result<()>>
    where
        T: Unversioned,
    {
        let mut attributes = item.to_item();
        stamp_whole_item::<T>(&mut attributes);
        Box::pin(self.writes.put(item, attributes))
    }

    /// The same writer, whose puts store `version + 1` (as `Table::put`
    /// would) without checking the version stored in the table: for an
    /// initial load, or a restore, of a resource with a `version` field.
    ///
    /// A later `Table::put` or `update` of a loaded item checks its version
    /// as usual. Writes already given to the writer are kept.
    pub fn skip_version_check(self) -> BatchWriter<T, SkipVersionCheck> {
        BatchWriter {
            writes: self.writes,
            mode: PhantomData,
        }
    }
}

impl<T: Resource> BatchWriter<T, SkipVersionCheck> {
    /// Puts `item` with its version advanced, `version + 1`, as `Table::put`
    /// would, but without checking the version stored in the table: the put
    /// replaces any item with its key, whatever its version. Replaces any
    /// earlier write to its key; a leftover put is the item as given.
    ///
    /// Fails, without queueing, if the item breaks one of DynamoDB's limits
    /// (an empty or oversized key, an item over 400 KB, a number DynamoDB
    /// cannot store, nesting deeper than 32 levels) or its version cannot
    /// be advanced. Waits while enough requests are in flight.
    pub async fn put(&mut self, item: T) -> Result<()> {
        let mut attributes = item.to_item();
        advance_version::<T>(self.writes.table().name(), &mut attributes)?;
        stamp_whole_item::<T>(&mut attributes);
        self.writes.put(item, attributes).await
    }
}

impl<T: Resource, M> BatchWriter<T, M> {
    /// How unprocessed writes and retryable errors are retried.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.writes.policy = policy;
        self
    }

    /// Asks DynamoDB for the capacity each request consumes; the totals are
    /// in [`progress`](BatchWriter::progress) as the writer runs and in the
    /// [`BatchWriteSummary`] at the end.
    pub fn capacity(mut self) -> Self {
        self.writes.capacity = true;
        self
    }

    /// Calls `callback` with the writer's [`WriteProgress`] after each
    /// request finishes (in the task that calls `put`, `delete`, `flush` or
    /// `finish`): to drive a progress bar, say.
    pub fn on_progress(
        mut self,
        callback: impl FnMut(&WriteProgress) + Send + Sync + 'static,
    ) -> Self {
        self.writes.on_progress = Some(Box::new(callback));
        self
    }

    /// The writer's live counters: writes landed, in flight, retried and
    /// given up on, requests, capacity. The handle can be cloned and polled
    /// from any task while the writer runs.
    pub fn progress(&self) -> WriteProgress {
        self.writes.progress().clone()
    }

    /// Keeps exactly this many requests in flight at most (at least 1),
    /// instead of the adaptive window: `with_concurrency(Concurrency::Fixed(requests))`.
    pub fn concurrency(self, requests: usize) -> Self {
        self.with_concurrency(Concurrency::Fixed(requests))
    }

    /// Lets the adaptive window grow up to `requests` in flight (at least 1)
    /// instead of [`DEFAULT_MAX_CONCURRENCY`](super::DEFAULT_MAX_CONCURRENCY);
    /// the same as `with_concurrency(Concurrency::adaptive(requests))`.
    pub fn max_concurrency(self, requests: usize) -> Self {
        self.with_concurrency(Concurrency::adaptive(requests))
    }

    /// How many requests the writer keeps in flight: by default an adaptive
    /// window (see [`Concurrency`]).
    pub fn with_concurrency(mut self, concurrency: Concurrency) -> Self {
        self.writes.set_concurrency(concurrency);
        self
    }

    /// Queues a delete of the item with `key`, replacing any earlier write
    /// to it. Fails, without queueing, on an invalid key; waits while enough
    /// requests are in flight.
    pub async fn delete(&mut self, key: impl IntoKey<T>) -> Result<()> {
        self.writes.delete(key.into_key()).await
    }

    /// Sends every queued write and waits until all requests have finished.
    ///
    /// Fails with [`Error::is_incomplete`](crate::Error::is_incomplete) if
    /// some writes did not land so far (its `source` is the last error
    /// seen); they stay in the writer and [`finish`](BatchWriter::finish)
    /// returns them.
    pub async fn flush(&mut self) -> Result<()> {
        self.writes.flush().await
    }

    /// Sends every queued write, waits for all of them, and reports what was
    /// done, or hands back the writes that did not land.
    pub async fn finish(mut self) -> Result<BatchWriteSummary, Leftovers<T>> {
        self.writes.finish().await
    }

    /// Writes the writer holds that have not landed: queued, in flight, or
    /// given up on. Zero after `finish` or a successful `flush`.
    pub fn unfinished(&self) -> usize {
        self.writes.unfinished()
    }

    /// What the writer has done so far.
    pub fn summary(&self) -> BatchWriteSummary {
        self.writes.summary()
    }
}

impl<T: Resource, M> fmt::Debug for BatchWriter<T, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut f = f.debug_struct("BatchWriter");
        self.writes.debug_fields(&mut f);
        f.finish()
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;
    use std::sync::{Arc, Mutex};

    use aws_sdk_dynamodb::config::{BehaviorVersion, Region};
    use aws_sdk_dynamodb::types::AttributeValue;
    use aws_sdk_dynamodb::Client;
    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Level, Metadata, Subscriber};

    use super::*;
    use crate::resource::ResourceKey;
    use crate::value::{DecodeError, Item, KeyAttributeDef, KeySchema, ScalarType};

    struct Note(String);

    struct NoteKey(String);

    impl ResourceKey for NoteKey {
        fn to_key_item(&self) -> Item {
            Item::from([("id".to_owned(), AttributeValue::S(self.0.clone()))])
        }
        fn from_key_item(mut item: Item) -> Result<Self, DecodeError> {
            crate::__private::decode::<String>(item.remove("id"), "id").map(NoteKey)
        }
    }

    impl Unversioned for Note {}

    impl Resource for Note {
        type Key = NoteKey;
        type PartitionKey = String;
        const TABLE_NAME: &'static str = "notes";
        const KEY_SCHEMA: KeySchema = KeySchema {
            partition: KeyAttributeDef {
                name: "id",
                key_type: ScalarType::S,
            },
            sort: None,
        };
        fn to_item(&self) -> Item {
            self.key().to_key_item()
        }
        fn from_item(_: Item) -> Result<Self, DecodeError> {
            unreachable!("nothing is read")
        }
        fn key(&self) -> NoteKey {
            NoteKey(self.0.clone())
        }
    }

    /// The events at `WARN` and above, each as its fields' text.
    #[derive(Clone, Default)]
    struct Warnings(Arc<Mutex<Vec<String>>>);

    struct Fields(String);

    impl Visit for Fields {
        fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
            let _ = write!(self.0, "{}={:?} ", field.name(), value);
        }
    }

    impl Subscriber for Warnings {
        fn enabled(&self, metadata: &Metadata<'_>) -> bool {
            *metadata.level() <= Level::WARN
        }
        fn new_span(&self, _: &Attributes<'_>) -> Id {
            Id::from_u64(1)
        }
        fn record(&self, _: &Id, _: &Record<'_>) {}
        fn record_follows_from(&self, _: &Id, _: &Id) {}
        fn event(&self, event: &Event<'_>) {
            let mut fields = Fields(String::new());
            event.record(&mut fields);
            self.0.lock().unwrap().push(fields.0);
        }
        fn enter(&self, _: &Id) {}
        fn exit(&self, _: &Id) {}
    }

    #[test]
    fn dropping_unfinished_writes_warns_with_counts() {
        let config = aws_sdk_dynamodb::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .build();
        let client = Client::from_conf(config);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let warnings = Warnings::default();
        tracing::subscriber::with_default(warnings.clone(), || {
            runtime.block_on(async {
                let notes = Table::<Note>::new(&client);
                // Fewer writes than a request holds: nothing is sent yet.
                let mut writer = notes.batch_writer();
                writer.put(Note("a".into())).await.unwrap();
                writer.delete(NoteKey("b".into())).await.unwrap();
                assert_eq!(writer.unfinished(), 2);
                drop(writer);
                // A writer with nothing left to do says nothing.
                drop(notes.batch_writer());
            });
        });
        let warnings = warnings.0.lock().unwrap();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        let warning = &warnings[0];
        for field in ["table=\"notes\"", "queued=2", "in_flight=0", "given_up=0"] {
            assert!(warning.contains(field), "{field} in {warning}");
        }
        assert!(warning.contains("finish().await"), "{warning}");
    }
}
