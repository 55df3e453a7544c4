//! The machinery of a [`BatchWriter`](super::BatchWriter): queued writes
//! merged by key, chunks of 25 sent as Tokio tasks, retries, leftovers.
//! The writer's modes differ only in how a put becomes an item; everything
//! here is the same for all of them.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;

use aws_sdk_dynamodb::types::{DeleteRequest, PutRequest, ReturnConsumedCapacity, WriteRequest};
use aws_sdk_dynamodb::Client;
use tokio::task::JoinSet;
use tracing::{Instrument, Span};

use super::concurrency::{Sent, Window};
use super::MAX_WRITES_PER_REQUEST;
use super::{BatchWriteSummary, Concurrency, Leftovers, RetryPolicy, Write};
use crate::error::{Error, Result};
use crate::observe::span::{operation_span, record_capacity};
use crate::observe::WriteProgress;
use crate::resource::{Resource, ResourceKey};
use crate::table::Table;
use crate::validate;
use crate::value::{Item, KeyId, KeySchema};

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

/// The writes of one batch writer: queued, in flight, and given up on.
pub(super) struct Pipeline<T: Resource> {
    table: Table<T>,
    pub(super) policy: RetryPolicy,
    window: Window,
    pending: HashMap<KeyId, Entry<T>>,
    queue: VecDeque<KeyId>,
    in_flight: HashMap<KeyId, Entry<T>>,
    tasks: JoinSet<Outcome>,
    leftovers: HashMap<KeyId, Entry<T>>,
    error: Option<Error>,
    seq: u64,
    summary: BatchWriteSummary,
    /// The writer's span, open from its creation until it is dropped.
    span: Span,
    progress: WriteProgress,
    /// Whether to ask for the consumed capacity.
    pub(super) capacity: bool,
    pub(super) on_progress: Option<ProgressCallback>,
}

/// What a writer calls after each finished request.
pub(super) type ProgressCallback = Box<dyn FnMut(&WriteProgress) + Send + Sync>;

impl<T: Resource> Pipeline<T> {
    pub(super) fn new(table: &Table<T>) -> Self {
        let window = Window::new(Concurrency::default());
        let progress = WriteProgress::default();
        progress.set_concurrency(window.limit());
        Pipeline {
            table: table.clone(),
            policy: RetryPolicy::default(),
            window,
            pending: HashMap::new(),
            queue: VecDeque::new(),
            in_flight: HashMap::new(),
            tasks: JoinSet::new(),
            leftovers: HashMap::new(),
            error: None,
            seq: 0,
            summary: BatchWriteSummary::default(),
            span: operation_span!("dynamodb.batch_write", "BatchWriteItem", table.name()),
            progress,
            capacity: false,
            on_progress: None,
        }
    }

    /// Sets how many requests the writer keeps in flight.
    pub(super) fn set_concurrency(&mut self, mode: Concurrency) {
        self.window = Window::new(mode);
        self.progress.set_concurrency(self.window.limit());
    }

    pub(super) fn progress(&self) -> &WriteProgress {
        &self.progress
    }

    pub(super) fn table(&self) -> &Table<T> {
        &self.table
    }

    /// Queues a put of `item`, stored as `attributes`.
    pub(super) async fn put(&mut self, item: T, attributes: Item) -> Result<()> {
        validate::item(self.table.name(), &T::KEY_SCHEMA, &attributes)?;
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

    /// Queues a delete of the item with `key`.
    pub(super) async fn delete(&mut self, key: T::Key) -> Result<()> {
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

    pub(super) async fn flush(&mut self) -> Result<()> {
        self.pump(true).await;
        if self.leftovers.is_empty() {
            Ok(())
        } else {
            Err(self.incomplete_error())
        }
    }

    pub(super) async fn finish(&mut self) -> Result<BatchWriteSummary, Leftovers<T>> {
        self.pump(true).await;
        if self.leftovers.is_empty() {
            return Ok(self.summary());
        }
        let error = self.incomplete_error();
        let mut entries: Vec<Entry<T>> = self.leftovers.drain().map(|(_, e)| e).collect();
        entries.sort_by_key(|e| e.seq);
        Err(Leftovers {
            writes: entries.into_iter().map(|e| e.write).collect(),
            summary: self.summary(),
            error,
        })
    }

    pub(super) fn unfinished(&self) -> usize {
        self.pending.len() + self.in_flight.len() + self.leftovers.len()
    }

    pub(super) fn summary(&self) -> BatchWriteSummary {
        BatchWriteSummary {
            retried: self.progress.retried(),
            capacity: self.progress.capacity(),
            ..self.summary.clone()
        }
    }

    fn queue_write(&mut self, id: KeyId, write: Write<T>, request: WriteRequest) {
        self.seq += 1;
        // A newer write makes an older one that did not land moot: retrying
        // it later would undo this one.
        if self.leftovers.remove(&id).is_some() {
            self.summary.replaced += 1;
            self.progress.replaced_given_up();
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
            while self.tasks.len() < self.window.limit() && self.launch(all) {}
            let in_flight = u64::try_from(self.tasks.len()).unwrap_or(u64::MAX);
            self.summary.max_in_flight = self.summary.max_in_flight.max(in_flight);
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
        self.progress.launched(chunk.len());
        let keys = chunk;
        let chunk = Chunk {
            window: self.window.clone(),
            in_flight: self.tasks.len() + 1,
            client: self.table.client().clone(),
            table: self.table.name().to_owned(),
            schema: T::KEY_SCHEMA,
            policy: self.policy,
            progress: self.progress.clone(),
            capacity: self.capacity,
        };
        self.tasks
            .spawn(chunk.write(keys, requests).instrument(self.span.clone()));
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
        let sent = outcome.keys.len();
        let (written_before, given_up_before) = (self.summary.written, self.leftovers.len());
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
        self.progress.set_concurrency(self.window.limit());
        let written = self.summary.written - written_before;
        let given_up = self.leftovers.len().saturating_sub(given_up_before);
        self.progress.finished(sent, count(written), given_up);
        self.record_progress();
        if let Some(callback) = &mut self.on_progress {
            callback(&self.progress);
        }
    }

    /// Records the writer's totals so far on its span.
    fn record_progress(&self) {
        let span = &self.span;
        if span.is_disabled() {
            return;
        }
        span.record("resourceful.requests", self.summary.requests);
        span.record("resourceful.items_written", self.summary.written);
        span.record("resourceful.retries", self.progress.retried());
        span.record("resourceful.unprocessed", self.leftovers.len());
        if self.capacity {
            record_capacity(span, &self.progress.capacity());
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

/// What one chunk's task needs besides its writes.
struct Chunk {
    window: Window,
    /// Requests in flight when this one is sent, itself included.
    in_flight: usize,
    client: Client,
    table: String,
    schema: KeySchema,
    policy: RetryPolicy,
    progress: WriteProgress,
    capacity: bool,
}

impl Chunk {
    /// Sends one chunk, retrying what is unprocessed and retryable errors.
    async fn write(self, keys: Vec<KeyId>, mut remaining: Vec<WriteRequest>) -> Outcome {
        let Chunk {
            window,
            in_flight,
            client,
            table,
            schema,
            policy,
            progress,
            capacity,
        } = self;
        let capacity = capacity.then_some(ReturnConsumedCapacity::Indexes);
        let mut requests = 0;
        let mut attempt = 0;
        let mut error: Option<Error>;
        let started = std::time::Instant::now();
        loop {
            attempt += 1;
            requests += 1;
            let sent: Sent = window.sent(in_flight);
            let result = client
                .batch_write_item()
                .request_items(&table, remaining.clone())
                .set_return_consumed_capacity(capacity.clone())
                .customize()
                .config_override(RetryPolicy::sdk_override())
                .send()
                .await
                .map_err(|e| Error::sdk(Some(&table), e));
            match result {
                Ok(mut output) => {
                    progress.request(output.consumed_capacity.as_deref().unwrap_or_default());
                    remaining = output
                        .unprocessed_items
                        .as_mut()
                        .and_then(|u| u.remove(&table))
                        .unwrap_or_default();
                    // Unprocessed items are DynamoDB's way of throttling a batch.
                    window.answered(sent, !remaining.is_empty());
                    error = None;
                }
                Err(e) if e.is_retryable() => {
                    progress.request(&[]);
                    if e.is_throttled() {
                        window.answered(sent, true);
                    }
                    error = Some(e);
                }
                Err(e) => {
                    progress.request(&[]);
                    error = Some(e);
                    break;
                }
            }
            if remaining.is_empty() {
                break;
            }
            let Some(delay) = policy.next_delay(attempt, started.elapsed()) else {
                break;
            };
            tracing::debug!(
                target: "resourceful",
                attempt,
                writes = remaining.len(),
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                error = error.as_ref().map(tracing::field::display),
                "retrying batch writes",
            );
            progress.retrying(remaining.len());
            tokio::time::sleep(delay).await;
        }
        if !remaining.is_empty() {
            tracing::warn!(
                target: "resourceful",
                attempts = attempt,
                writes = remaining.len(),
                error = error.as_ref().map(tracing::field::display),
                "giving up on batch writes; the writer returns them as leftovers",
            );
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
}

fn count(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

impl<T: Resource> Drop for Pipeline<T> {
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

impl<T: Resource> Pipeline<T> {
    /// Adds the state of the writes to a writer's `Debug`.
    pub(super) fn debug_fields(&self, f: &mut fmt::DebugStruct<'_, '_>) {
        f.field("table", &self.table.name())
            .field("policy", &self.policy)
            .field("concurrency", &self.window.mode())
            .field("window", &self.window.limit())
            .field("queued", &self.pending.len())
            .field("in_flight", &self.in_flight.len())
            .field("leftovers", &self.leftovers.len())
            .field("summary", &self.summary);
    }
}
