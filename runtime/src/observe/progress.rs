//! Live counters of long operations, to poll from any task: [`ReadProgress`]
//! for queries and scans, [`WriteProgress`] for batch writers.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex, PoisonError};

use aws_sdk_dynamodb::types::ConsumedCapacity as SdkCapacity;

use super::{Access, ConsumedCapacity};

fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// The capacity added up so far, shared by the tasks of one operation.
#[derive(Debug, Default)]
struct CapacityTotal(Mutex<ConsumedCapacity>);

impl CapacityTotal {
    fn add(&self, access: Access, reported: &[SdkCapacity]) {
        if !reported.is_empty() {
            let mut total = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            total.add_reported(access, reported);
        }
    }

    fn get(&self) -> ConsumedCapacity {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// Counters of a query or scan as it runs: pages read, items returned and
/// evaluated, and capacity consumed. Give one to a read with
/// `.progress(&progress)` and poll it from anywhere; clones share the
/// counters, which is also how a parallel scan's segments add up.
///
/// ```
/// # use resourceful_runtime::observe::ReadProgress;
/// let progress = ReadProgress::new();
/// // users.scan().segments(4).progress(&progress).stream() …
/// assert_eq!((progress.pages(), progress.items()), (0, 0));
/// ```
#[derive(Clone, Default)]
pub struct ReadProgress {
    inner: Arc<ReadCounters>,
}

#[derive(Debug, Default)]
struct ReadCounters {
    pages: AtomicU64,
    items: AtomicU64,
    scanned: AtomicU64,
    capacity: CapacityTotal,
}

impl ReadProgress {
    /// New counters, all zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// Pages read: requests answered.
    pub fn pages(&self) -> u64 {
        self.inner.pages.load(Relaxed)
    }

    /// Items DynamoDB returned (after any filter).
    pub fn items(&self) -> u64 {
        self.inner.items.load(Relaxed)
    }

    /// Items DynamoDB evaluated (before any filter).
    pub fn scanned(&self) -> u64 {
        self.inner.scanned.load(Relaxed)
    }

    /// The capacity consumed so far (a read given this progress asks
    /// DynamoDB for it).
    pub fn capacity(&self) -> ConsumedCapacity {
        self.inner.capacity.get()
    }

    pub(crate) fn record_page(&self, items: usize, scanned: usize, capacity: &[SdkCapacity]) {
        let c = &self.inner;
        c.pages.fetch_add(1, Relaxed);
        c.items.fetch_add(count(items), Relaxed);
        c.scanned.fetch_add(count(scanned), Relaxed);
        c.capacity.add(Access::Read, capacity);
    }
}

impl fmt::Debug for ReadProgress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadProgress")
            .field("pages", &self.pages())
            .field("items", &self.items())
            .field("scanned", &self.scanned())
            .field("capacity", &self.capacity())
            .finish()
    }
}

/// Counters of a batch writer as it runs: writes landed, in flight, sent
/// again and given up on, requests, and capacity consumed. Get it from
/// [`BatchWriter::progress`](crate::batch::BatchWriter::progress) and poll
/// it from any task, or receive it after each request with
/// [`on_progress`](crate::batch::BatchWriter::on_progress).
#[derive(Clone, Default)]
pub struct WriteProgress {
    inner: Arc<WriteCounters>,
}

#[derive(Debug, Default)]
struct WriteCounters {
    written: AtomicU64,
    in_flight: AtomicU64,
    retried: AtomicU64,
    given_up: AtomicU64,
    requests: AtomicU64,
    concurrency: AtomicU64,
    capacity: CapacityTotal,
}

impl WriteProgress {
    /// Writes DynamoDB applied.
    pub fn written(&self) -> u64 {
        self.inner.written.load(Relaxed)
    }

    /// Writes in requests that have not finished (retries included).
    pub fn in_flight(&self) -> u64 {
        self.inner.in_flight.load(Relaxed)
    }

    /// Writes sent again, after DynamoDB left them unprocessed or a
    /// request failed with a retryable error (each time counts).
    pub fn retried(&self) -> u64 {
        self.inner.retried.load(Relaxed)
    }

    /// Writes given up on so far: the leftovers (fewer later, if newer
    /// writes to their keys replace them).
    pub fn given_up(&self) -> u64 {
        self.inner.given_up.load(Relaxed)
    }

    /// `BatchWriteItem` requests sent, retries included.
    pub fn requests(&self) -> u64 {
        self.inner.requests.load(Relaxed)
    }

    /// The capacity consumed so far, when the writer asks for it
    /// ([`capacity`](crate::batch::BatchWriter::capacity)).
    pub fn capacity(&self) -> ConsumedCapacity {
        self.inner.capacity.get()
    }

    /// How many requests the writer allows in flight now: its adaptive
    /// window (see [`Concurrency`](crate::batch::Concurrency)), or the fixed
    /// number it was given.
    pub fn concurrency(&self) -> u64 {
        self.inner.concurrency.load(Relaxed)
    }

    pub(crate) fn set_concurrency(&self, requests: usize) {
        self.inner.concurrency.store(count(requests), Relaxed);
    }

    pub(crate) fn launched(&self, writes: usize) {
        self.inner.in_flight.fetch_add(count(writes), Relaxed);
    }

    /// One request sent, and what it consumed.
    pub(crate) fn request(&self, capacity: &[SdkCapacity]) {
        self.inner.requests.fetch_add(1, Relaxed);
        self.inner.capacity.add(Access::Write, capacity);
    }

    /// `writes` are about to be sent again.
    pub(crate) fn retrying(&self, writes: usize) {
        self.inner.retried.fetch_add(count(writes), Relaxed);
    }

    /// A chunk finished: `written` landed and `given_up` did not.
    pub(crate) fn finished(&self, chunk: usize, written: usize, given_up: usize) {
        let c = &self.inner;
        c.in_flight.fetch_sub(count(chunk), Relaxed);
        c.written.fetch_add(count(written), Relaxed);
        c.given_up.fetch_add(count(given_up), Relaxed);
    }

    /// A leftover was replaced by a newer write to its key.
    pub(crate) fn replaced_given_up(&self) {
        self.inner.given_up.fetch_sub(1, Relaxed);
    }
}

impl fmt::Debug for WriteProgress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WriteProgress")
            .field("written", &self.written())
            .field("in_flight", &self.in_flight())
            .field("retried", &self.retried())
            .field("given_up", &self.given_up())
            .field("requests", &self.requests())
            .field("concurrency", &self.concurrency())
            .field("capacity", &self.capacity())
            .finish()
    }
}
