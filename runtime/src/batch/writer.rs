//! [`BatchWriter`]: puts and deletes through `BatchWriteItem`.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;

use aws_sdk_dynamodb::types::{DeleteRequest, PutRequest, WriteRequest};
use aws_sdk_dynamodb::Client;
use tokio::task::JoinSet;

use super::{RetryPolicy, DEFAULT_CONCURRENCY, MAX_WRITES_PER_REQUEST};
use crate::error::{Error, Result};
use crate::resource::{IntoKey, Resource, ResourceKey};
use crate::table::Table;
use crate::validate;
use crate::value::{KeyId, KeySchema};

/// One write of a [`BatchWriter`], as the caller gave it.
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

/// A write waiting to be sent or in flight, with its request and the order
/// in which it was given.
struct Entry<T: Resource> {
    write: Write<T>,
    request: WriteRequest,
    seq: u64,
}

/// What one chunk's task reports: the keys it carried, those still
/// unprocessed when it gave up, and why it gave up.
struct Outcome {
    keys: Vec<KeyId>,
    unprocessed: Vec<KeyId>,
    error: Option<Error>,
    requests: u64,
}

/// Puts and deletes many items of one table through `BatchWriteItem`. Made by
/// [`Table::batch_writer`].
///
/// - Writes are sent in requests of 25; [`put`](BatchWriter::put) and
///   [`delete`](BatchWriter::delete) return at once unless enough requests
///   are already in flight ([`concurrency`](BatchWriter::concurrency), 4 by
///   default), and then wait for one to finish: backpressure.
/// - Of several writes to the same key, the last one wins: an earlier write
///   that has not been sent is dropped, and a write to a key whose request
///   is in flight waits for that request (and its retries) to finish, so the
///   two can never land out of order.
/// - What DynamoDB leaves unprocessed, throttling and transport errors are
///   retried by the [`RetryPolicy`].
/// - [`finish`](BatchWriter::finish) sends the rest, waits, and returns the
///   writes that did not land as [`Leftovers`]: your own items and keys.
///
/// `BatchWriteItem` has no conditions, so a resource with a `version` field
/// cannot be put through a batch: its `put` is refused with
/// [`Error::is_validation`] (use `Table::put` or a transaction, which check
/// the version). Deleting by key works for every resource, as `Table::delete`.
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
pub struct BatchWriter<T: Resource> {
    table: Table<T>,
    policy: RetryPolicy,
    concurrency: usize,
    pending: HashMap<KeyId, Entry<T>>,
    queue: VecDeque<KeyId>,
    in_flight: HashMap<KeyId, Entry<T>>,
    tasks: JoinSet<Outcome>,
    leftovers: HashMap<KeyId, Entry<T>>,
    error: Option<Error>,
    seq: u64,
    summary: BatchWriteSummary,
}

impl<T: Resource> Table<T> {
    /// A writer that puts and deletes many items through `BatchWriteItem`:
    /// chunks of 25, last write per key wins, several requests in flight,
    /// retries with backoff, leftovers returned. End it with
    /// [`finish`](BatchWriter::finish).
    pub fn batch_writer(&self) -> BatchWriter<T> {
        BatchWriter::new(self)
    }
}

/// What a finished [`BatchWriter`] did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
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
}

impl<T: Resource> BatchWriter<T> {
    fn new(table: &Table<T>) -> Self {
        BatchWriter {
            table: table.clone(),
            policy: RetryPolicy::default(),
            concurrency: DEFAULT_CONCURRENCY,
            pending: HashMap::new(),
            queue: VecDeque::new(),
            in_flight: HashMap::new(),
            tasks: JoinSet::new(),
            leftovers: HashMap::new(),
            error: None,
            seq: 0,
            summary: BatchWriteSummary::default(),
        }
    }

    /// How unprocessed writes and retryable errors are retried.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// How many requests may be in flight at once (at least 1).
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.concurrency = requests.max(1);
        self
    }

    /// Queues a put of `item`, replacing any earlier write to its key.
    ///
    /// Fails, without queueing, if the item breaks one of DynamoDB's limits
    /// (an empty or oversized key, an item over 400 KB, a number DynamoDB
    /// cannot store, nesting deeper than 32 levels) or has a `version` field;
    /// waits while enough requests are in flight.
    pub async fn put(&mut self, item: T) -> Result<()> {
        let table = self.table.name();
        if let Some(version) = T::VERSION_ATTRIBUTE {
            return Err(Error::validation(
                table,
                format!(
                    "`{}` has a version field (`{version}`) and BatchWriteItem cannot check it; \
                     put it with `Table::put` or in a transaction",
                    std::any::type_name::<T>()
                ),
            ));
        }
        let attributes = item.to_item();
        validate::item(table, &T::KEY_SCHEMA, &attributes)?;
        let id = KeyId::of(&T::KEY_SCHEMA, &attributes);
        let request = WriteRequest::builder()
            .put_request(
                PutRequest::builder()
                    .set_item(Some(attributes))
                    .build()
                    .expect("item is set"),
            )
            .build();
        self.queue_write(id, Write::Put(item), request);
        self.pump(false).await;
        Ok(())
    }

    /// Queues a delete of the item with `key`, replacing any earlier write
    /// to it. Fails, without queueing, on an invalid key; waits while enough
    /// requests are in flight.
    pub async fn delete(&mut self, key: impl IntoKey<T>) -> Result<()> {
        let key = key.into_key();
        let attributes = key.to_key_item();
        validate::key(self.table.name(), &T::KEY_SCHEMA, &attributes)?;
        let id = KeyId::of(&T::KEY_SCHEMA, &attributes);
        let request = WriteRequest::builder()
            .delete_request(
                DeleteRequest::builder()
                    .set_key(Some(attributes))
                    .build()
                    .expect("key is set"),
            )
            .build();
        self.queue_write(id, Write::Delete(key), request);
        self.pump(false).await;
        Ok(())
    }

    /// Sends every queued write and waits until all requests have finished.
    ///
    /// Fails with [`Error::is_incomplete`] if some writes did not land so
    /// far (its `source` is the last error seen); they stay in the writer
    /// and [`finish`](BatchWriter::finish) returns them.
    pub async fn flush(&mut self) -> Result<()> {
        self.pump(true).await;
        if self.leftovers.is_empty() {
            Ok(())
        } else {
            Err(self.incomplete_error())
        }
    }

    /// Sends every queued write, waits for all of them, and reports what was
    /// done, or hands back the writes that did not land.
    pub async fn finish(mut self) -> Result<BatchWriteSummary, Leftovers<T>> {
        self.pump(true).await;
        if self.leftovers.is_empty() {
            return Ok(self.summary);
        }
        let error = self.incomplete_error();
        let mut entries: Vec<Entry<T>> = self.leftovers.drain().map(|(_, e)| e).collect();
        entries.sort_by_key(|e| e.seq);
        Err(Leftovers {
            writes: entries.into_iter().map(|e| e.write).collect(),
            summary: self.summary,
            error,
        })
    }

    /// Writes the writer holds that have not landed: queued, in flight, or
    /// given up on. Zero after `finish` or a successful `flush`.
    pub fn unfinished(&self) -> usize {
        self.pending.len() + self.in_flight.len() + self.leftovers.len()
    }

    /// What the writer has done so far.
    pub fn summary(&self) -> BatchWriteSummary {
        self.summary
    }

    fn queue_write(&mut self, id: KeyId, write: Write<T>, request: WriteRequest) {
        self.seq += 1;
        // A newer write makes an older one that did not land moot: retrying
        // it later would undo this one.
        if self.leftovers.remove(&id).is_some() {
            self.summary.replaced += 1;
        }
        let entry = Entry {
            write,
            request,
            seq: self.seq,
        };
        if self.pending.insert(id.clone(), entry).is_some() {
            self.summary.replaced += 1;
        } else {
            self.queue.push_back(id);
        }
    }

    /// Starts requests and collects finished ones. With `all`, sends partial
    /// chunks too and returns only when nothing is queued or in flight;
    /// otherwise returns as soon as fewer than a full chunk are queued.
    async fn pump(&mut self, all: bool) {
        loop {
            while let Some(done) = self.tasks.try_join_next() {
                self.complete(done);
            }
            while self.tasks.len() < self.concurrency && self.launch(all) {}
            let waiting = self.pending.len();
            let done = if all {
                waiting == 0 && self.tasks.is_empty()
            } else {
                waiting < MAX_WRITES_PER_REQUEST
            };
            if done {
                return;
            }
            match self.tasks.join_next().await {
                Some(finished) => self.complete(finished),
                // Nothing in flight: every queued key is sendable, so
                // `launch` must have taken them.
                None => debug_assert!(self.pending.is_empty()),
            }
        }
    }

    /// Sends one chunk of queued writes whose keys are not in flight: a full
    /// one, or with `partial` whatever there is. Whether it sent one.
    fn launch(&mut self, partial: bool) -> bool {
        let mut chunk = Vec::with_capacity(MAX_WRITES_PER_REQUEST);
        let mut blocked = Vec::new();
        while chunk.len() < MAX_WRITES_PER_REQUEST {
            let Some(id) = self.queue.pop_front() else {
                break;
            };
            if self.in_flight.contains_key(&id) {
                blocked.push(id);
            } else {
                chunk.push(id);
            }
        }
        let send = chunk.len() == MAX_WRITES_PER_REQUEST || (partial && !chunk.is_empty());
        for id in blocked.into_iter().rev() {
            self.queue.push_front(id);
        }
        if !send {
            for id in chunk.into_iter().rev() {
                self.queue.push_front(id);
            }
            return false;
        }
        let mut requests = Vec::with_capacity(chunk.len());
        for id in &chunk {
            let entry = self.pending.remove(id).expect("queued keys are pending");
            requests.push(entry.request.clone());
            self.in_flight.insert(id.clone(), entry);
        }
        self.tasks.spawn(write_chunk(
            self.table.client().clone(),
            self.table.name().to_owned(),
            T::KEY_SCHEMA,
            self.policy,
            chunk,
            requests,
        ));
        true
    }

    fn complete(&mut self, finished: std::result::Result<Outcome, tokio::task::JoinError>) {
        let outcome = match finished {
            Ok(outcome) => outcome,
            Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
            // Tasks are only cancelled when the writer is dropped.
            Err(_) => return,
        };
        self.summary.requests += outcome.requests;
        let mut failed: HashSet<KeyId> = outcome.unprocessed.into_iter().collect();
        for id in outcome.keys {
            let Some(entry) = self.in_flight.remove(&id) else {
                continue;
            };
            if failed.remove(&id) {
                // A newer write to the key is queued: it wins anyway.
                if self.pending.contains_key(&id) {
                    self.summary.replaced += 1;
                } else {
                    self.leftovers.insert(id, entry);
                }
            } else {
                self.summary.written += 1;
            }
        }
        if let Some(error) = outcome.error {
            self.error = Some(error);
        }
    }

    fn incomplete_error(&mut self) -> Error {
        Error::incomplete(
            self.table.name(),
            format!(
                "{} batch writes did not land; they are returned as leftovers",
                self.leftovers.len()
            ),
            self.error.take(),
        )
    }
}

/// Sends one chunk, retrying what is unprocessed and retryable errors.
async fn write_chunk(
    client: Client,
    table: String,
    schema: KeySchema,
    policy: RetryPolicy,
    keys: Vec<KeyId>,
    mut remaining: Vec<WriteRequest>,
) -> Outcome {
    let mut requests = 0;
    let mut attempt = 0;
    let mut error: Option<Error>;
    loop {
        attempt += 1;
        requests += 1;
        let result = client
            .batch_write_item()
            .request_items(&table, remaining.clone())
            .send()
            .await
            .map_err(|e| Error::sdk(Some(&table), e));
        match result {
            Ok(mut output) => {
                remaining = output
                    .unprocessed_items
                    .as_mut()
                    .and_then(|u| u.remove(&table))
                    .unwrap_or_default();
                error = None;
            }
            Err(e) if e.is_retryable() => error = Some(e),
            Err(e) => {
                error = Some(e);
                break;
            }
        }
        if remaining.is_empty() || attempt >= policy.attempts() {
            break;
        }
        tokio::time::sleep(policy.delay(attempt)).await;
    }
    let unprocessed = remaining
        .iter()
        .map(
            |request| match (&request.put_request, &request.delete_request) {
                (Some(put), _) => KeyId::of(&schema, &put.item),
                (None, Some(delete)) => KeyId::of(&schema, &delete.key),
                (None, None) => KeyId::of(&schema, &Default::default()),
            },
        )
        .collect();
    Outcome {
        keys,
        unprocessed,
        error,
        requests,
    }
}

impl<T: Resource> Drop for BatchWriter<T> {
    fn drop(&mut self) {
        if self.unfinished() > 0 && !std::thread::panicking() {
            tracing::warn!(
                table = self.table.name(),
                queued = self.pending.len(),
                in_flight = self.in_flight.len(),
                given_up = self.leftovers.len(),
                "a BatchWriter was dropped with writes that had not landed; they are cancelled. \
                 Call `finish().await` to send them and get back the ones that fail"
            );
        }
    }
}

impl<T: Resource> fmt::Debug for BatchWriter<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchWriter")
            .field("table", &self.table.name())
            .field("policy", &self.policy)
            .field("concurrency", &self.concurrency)
            .field("queued", &self.pending.len())
            .field("in_flight", &self.in_flight.len())
            .field("leftovers", &self.leftovers.len())
            .field("summary", &self.summary)
            .finish()
    }
}

/// The writes of a [`BatchWriter`] that did not land, in the order they were
/// given, as the caller's own items (puts) and keys (deletes), with the error
/// that made the writer give up.
///
/// A write replaced by a later write to the same key is never a leftover.
/// Converts into [`Error`] (dropping the writes) for `?`.
pub struct Leftovers<T: Resource> {
    writes: Vec<Write<T>>,
    summary: BatchWriteSummary,
    error: Error,
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
    pub fn summary(&self) -> BatchWriteSummary {
        self.summary
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

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;
    use std::sync::{Arc, Mutex};

    use aws_sdk_dynamodb::config::{BehaviorVersion, Region};
    use aws_sdk_dynamodb::types::AttributeValue;
    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Level, Metadata, Subscriber};

    use super::*;
    use crate::value::{DecodeError, Item, KeyAttributeDef, KeySchema, ScalarType};

    struct Note(String);

    struct NoteKey(String);

    impl ResourceKey for NoteKey {
        fn to_key_item(&self) -> Item {
            Item::from([("id".to_owned(), AttributeValue::S(self.0.clone()))])
        }
    }

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
