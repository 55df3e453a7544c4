//! Every operation type under every fault, checked against a model of what
//! was written.
//!
//! Workers run concurrently, each on keys of its own, through one faulty
//! client with the SDK's standard retries on (3 attempts, short backoffs)
//! and an attempt timeout shorter than a `Slow` answer. After each write:
//!
//! - success: the model takes the write's result;
//! - an error: the item is read back (through a clean client). If the error
//!   says the write may have been applied
//!   ([`Error::may_have_been_applied`](resourceful::Error::may_have_been_applied)),
//!   the item must be as before or as after the write; otherwise as before.
//!   Anything else is a lost or duplicated write.
//!
//! Reads must return the model's items; a query or scan that fails is
//! resumed from the cursor of the last page it yielded, and the items of
//! all its attempts together must be exactly the expected ones, in order,
//! none skipped or repeated. A parallel scan, which no cursor resumes, is
//! run again. At the end the whole table must equal the model.
//!
//! `RESOURCEFUL_FAULT_OPS` sets the number of operations (10,000 by
//! default); `RESOURCEFUL_FAULT_SEED` the seed; `RESOURCEFUL_FAULT_WORKERS`
//! the number of workers (16). The seed fixes each worker's operations and
//! the sequence of fault rolls; which request gets which roll depends on
//! the order concurrent requests arrive in: with one worker
//! (`RESOURCEFUL_FAULT_WORKERS=1`) only the segments of a parallel scan
//! still race, and a failure reproduces. The counts by operation and fault
//! are printed (run with `--nocapture`).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use resourceful::batch::Write;
use resourceful::prelude::*;
use resourceful::{Cursor, Error, Transaction};

use super::retried_writes::standard_retries;
use super::{event, fast_retries, faulty_client, new_state, Event, Shares, State};
use crate::common::{scan_all, unique_table_name, Fixture};

#[resource(service = "dynamodb", table = "fault_counters", key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Counter {
    id: u32,
    count: u64,
    note: String,
    #[resource(version)]
    version: u64,
}

#[resource(
    service = "dynamodb",
    table = "fault_entries",
    key = "part",
    sort_key = "seq"
)]
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    part: u32,
    seq: u32,
    body: String,
}

/// About 28% of requests faulted, every kind but `Unprocessed` (which
/// only batches know) at a few percent, and that one for batches.
const SHARES: Shares = Shares {
    unprocessed: 4,
    throttle: 5,
    drop_before: 3,
    drop_after: 5,
    server_error: 3,
    unavailable: 3,
    slow: 1,
    truncated: 2,
    malformed: 2,
};

const COUNTERS_PER_WORKER: u32 = 6;
const EVENTS_PER_WORKER: u32 = 40;
const PARTS: u32 = 4;
const PER_PART: u32 = 60;
/// A `Slow` answer comes this late; the client gives an attempt less. Not
/// much less: a request that times out for real (a slow server) may still
/// be applied after the test read the item back.
const SLOW: Duration = Duration::from_millis(1500);
const ATTEMPT_TIMEOUT: Duration = Duration::from_millis(1000);
/// How long a write that may have been applied is given to land.
const LATE: Duration = Duration::from_millis(300);

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn entry(part: u32, seq: u32) -> Entry {
    Entry {
        part,
        seq,
        body: format!("entry {part}/{seq}"),
    }
}

/// What the run saw, besides the faults.
#[derive(Debug, Default)]
struct Tally {
    operations: BTreeMap<&'static str, u64>,
    /// Errors by operation and what the re-read found.
    errors: BTreeMap<(&'static str, &'static str), u64>,
    /// Streams resumed from a cursor, and parallel scans run again.
    resumed: u64,
}

struct Worker {
    id: u32,
    rng: u64,
    counters: Table<Counter>,
    clean_counters: Table<Counter>,
    events: Table<Event>,
    clean_events: Table<Event>,
    entries: Table<Entry>,
    model: BTreeMap<u32, Option<Counter>>,
    event_model: BTreeMap<u32, Option<Event>>,
    tally: Tally,
}

/// The outcome of a write that returned an error, after reading back.
fn settle<V: PartialEq + std::fmt::Debug>(
    what: &str,
    error: &Error,
    before: &V,
    after: &V,
    stored: &V,
) -> &'static str {
    if stored == before {
        "not applied"
    } else if stored == after {
        assert!(
            error.may_have_been_applied(),
            "{what}: applied, but the error says it was not: {error:?}"
        );
        "applied"
    } else {
        panic!(
            "{what}: stored {stored:?}, neither before {before:?} nor after {after:?}: {error:?}"
        )
    }
}

impl Worker {
    fn next(&mut self) -> u64 {
        self.rng = self
            .rng
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.rng >> 33
    }

    fn count(&mut self, op: &'static str) {
        *self.tally.operations.entry(op).or_default() += 1;
    }

    fn error(&mut self, op: &'static str, outcome: &'static str) {
        *self.tally.errors.entry((op, outcome)).or_default() += 1;
    }

    async fn stored(&self, id: u32) -> Option<Counter> {
        self.clean_counters.get(id).consistent().await.unwrap()
    }

    /// One write of counter `id` from `before` to `after`, by `result`.
    async fn check_write(
        &mut self,
        op: &'static str,
        id: u32,
        before: Option<Counter>,
        after: Option<Counter>,
        result: Result<(), Error>,
    ) {
        match result {
            Ok(()) => {
                self.model.insert(id, after);
            }
            Err(error) => {
                let mut stored = self.stored(id).await;
                if stored == before && error.may_have_been_applied() {
                    // A request the client gave up on may still be applied:
                    // give it time to land before settling.
                    tokio::time::sleep(LATE).await;
                    stored = self.stored(id).await;
                }
                let outcome = settle(op, &error, &before, &after, &stored);
                self.error(op, outcome);
                self.model.insert(id, stored);
            }
        }
    }

    async fn step(&mut self, n: u64) {
        let roll = self.next() % 24;
        let id = self.id * 1000 + (self.next() % u64::from(COUNTERS_PER_WORKER)) as u32;
        let before = self.model[&id].clone();
        match (roll, before.clone()) {
            // A versioned put: a new item, or the next version of one.
            (0..=5, _) | (6..=11 | 14 | 15..=16, None) => {
                self.count("put");
                let item = match &before {
                    Some(c) => Counter {
                        count: c.count + 1,
                        note: format!("put {n}"),
                        ..c.clone()
                    },
                    None => Counter {
                        id,
                        count: 1,
                        note: format!("new {n}"),
                        version: 0,
                    },
                };
                let after = Counter {
                    version: item.version + 1,
                    ..item.clone()
                };
                let result = self.counters.put(&item).await;
                self.check_write("put", id, before, Some(after), result)
                    .await;
            }
            // An update conditional on the version read.
            (6..=11, Some(c)) => {
                self.count("update");
                let after = Counter {
                    count: c.count + 1,
                    note: format!("update {n}"),
                    version: c.version + 1,
                    ..c.clone()
                };
                let result = self
                    .counters
                    .update(id)
                    .add(Counter::COUNT, 1)
                    .set(Counter::NOTE, format!("update {n}"))
                    .condition(Counter::VERSION.eq(c.version))
                    .await;
                if let Ok(returned) = &result {
                    assert_eq!(returned, &after, "the update returns the item after");
                }
                self.check_write("update", id, before, Some(after), result.map(drop))
                    .await;
            }
            (12..=13, _) => {
                self.count("get");
                match self.counters.get(id).consistent().await {
                    Ok(found) => assert_eq!(found, before, "get {id}"),
                    Err(_) => self.error("get", "failed"),
                }
            }
            (14, Some(c)) => {
                self.count("delete");
                let result = self.counters.delete_item(&c).await;
                self.check_write("delete", id, before, None, result).await;
            }
            // A transaction: this counter and the next, both conditional
            // on their versions.
            (15..=16, Some(c)) => {
                let other = self.id * 1000 + (id + 1) % COUNTERS_PER_WORKER;
                let Some(d) = self.model[&other].clone().filter(|_| other != id) else {
                    // No second item: a read instead.
                    self.count("get");
                    if let Ok(found) = self.counters.get(id).consistent().await {
                        assert_eq!(found, before, "get {id}");
                    }
                    return;
                };
                self.count("transaction");
                let bump = |c: &Counter| Counter {
                    count: c.count + 1,
                    note: format!("transaction {n}"),
                    version: c.version + 1,
                    ..c.clone()
                };
                let (after_c, after_d) = (bump(&c), bump(&d));
                let result = Transaction::new(self.counters.client())
                    .update(
                        self.counters
                            .update(id)
                            .add(Counter::COUNT, 1)
                            .set(Counter::NOTE, format!("transaction {n}"))
                            .condition(Counter::VERSION.eq(c.version)),
                    )
                    .update(
                        self.counters
                            .update(other)
                            .add(Counter::COUNT, 1)
                            .set(Counter::NOTE, format!("transaction {n}"))
                            .condition(Counter::VERSION.eq(d.version)),
                    )
                    .commit()
                    .await;
                match result {
                    Ok(()) => {
                        self.model.insert(id, Some(after_c));
                        self.model.insert(other, Some(after_d));
                    }
                    Err(error) => {
                        if error.may_have_been_applied() {
                            tokio::time::sleep(LATE).await;
                        }
                        let stored = (self.stored(id).await, self.stored(other).await);
                        let outcome = settle(
                            "transaction",
                            &error,
                            &(Some(c), Some(d)),
                            &(Some(after_c), Some(after_d)),
                            &stored,
                        );
                        self.error("transaction", outcome);
                        self.model.insert(id, stored.0);
                        self.model.insert(other, stored.1);
                    }
                }
            }
            (17..=18, _) => self.batch_write(n).await,
            (19..=20, _) => self.batch_get().await,
            (21, _) => self.query().await,
            (22, _) => self.scan().await,
            _ => self.parallel_scan().await,
        }
    }

    async fn batch_write(&mut self, n: u64) {
        self.count("batch write");
        let base = self.id * 1000;
        let mut writer = self.events.batch_writer().retry(fast_retries());
        let mut given = Vec::new();
        for _ in 0..30 {
            let id = base + (self.next() % u64::from(EVENTS_PER_WORKER)) as u32;
            if given.iter().any(|(i, _)| *i == id) {
                continue;
            }
            let after = if self.next().is_multiple_of(4) {
                writer.delete(id).await.unwrap();
                None
            } else {
                let e = event(id, n as u32);
                writer.put(e.clone()).await.unwrap();
                Some(e)
            };
            given.push((id, after));
        }
        match writer.finish().await {
            Ok(_) => {
                for (id, after) in given {
                    self.event_model.insert(id, after);
                }
            }
            Err(left) => {
                assert!(left.error().may_have_been_applied(), "{}", left.error());
                tokio::time::sleep(LATE).await;
                let left: Vec<u32> = left
                    .writes()
                    .iter()
                    .map(|w| match w {
                        Write::Put(e) => e.id,
                        Write::Delete(key) => key.id,
                    })
                    .collect();
                for (id, after) in given {
                    let stored = self.clean_events.get(id).consistent().await.unwrap();
                    if left.contains(&id) {
                        let before = &self.event_model[&id];
                        assert!(
                            stored == *before || stored == after,
                            "batch write {id}: {stored:?}"
                        );
                    } else {
                        assert_eq!(stored, after, "batch write {id} not left over");
                    }
                    self.event_model.insert(id, stored);
                }
                self.error("batch write", "left over");
            }
        }
    }

    async fn batch_get(&mut self) {
        self.count("batch get");
        let base = self.id * 1000;
        let keys: Vec<u32> = (base..base + EVENTS_PER_WORKER).rev().collect();
        match self
            .events
            .batch_get(keys.clone())
            .retry(fast_retries())
            .in_request_order()
            .await
        {
            Ok(found) => {
                let expected: Vec<Event> = keys
                    .iter()
                    .filter_map(|id| self.event_model[id].clone())
                    .collect();
                assert_eq!(found, expected, "batch get");
            }
            Err(_) => self.error("batch get", "failed"),
        }
    }

    /// Reads with `pages`, resuming from the last cursor after an error,
    /// until the read ends; the items of every attempt together.
    async fn resumed<S, F>(&mut self, op: &'static str, mut pages: F) -> Vec<Entry>
    where
        F: FnMut(Option<Cursor>) -> S,
        S: futures_util::Stream<Item = resourceful::Result<resourceful::Page<Entry>>> + Unpin,
    {
        self.count(op);
        let mut items = Vec::new();
        let mut cursor = None;
        for _ in 0..100 {
            let mut stream = pages(cursor.clone());
            let mut failed = false;
            while let Some(page) = stream.next().await {
                match page {
                    Ok(page) => {
                        items.extend(page.items);
                        match page.cursor {
                            Some(c) => cursor = Some(c),
                            None => return items,
                        }
                    }
                    Err(_) => {
                        failed = true;
                        break;
                    }
                }
            }
            if !failed {
                return items;
            }
            self.error(op, "resumed");
            self.tally.resumed += 1;
        }
        panic!("{op}: no end after 100 attempts");
    }

    async fn query(&mut self) {
        let part = (self.next() % u64::from(PARTS)) as u32;
        let table = self.entries.clone();
        let size = 10 + (self.next() % 25) as usize;
        let items = self
            .resumed("query", |cursor| {
                let mut q = table.query(part).page_size(size).consistent();
                if let Some(c) = cursor {
                    q = q.start(c);
                }
                q.pages()
            })
            .await;
        let expected: Vec<Entry> = (0..PER_PART).map(|seq| entry(part, seq)).collect();
        assert_eq!(
            items, expected,
            "query of part {part}: none skipped or repeated"
        );
    }

    async fn scan(&mut self) {
        let table = self.entries.clone();
        let size = 50 + (self.next() % 70) as usize;
        let mut items = self
            .resumed("scan", |cursor| {
                let mut s = table.scan().page_size(size).consistent();
                if let Some(c) = cursor {
                    s = s.start(c);
                }
                s.pages()
            })
            .await;
        assert_eq!(
            items.len(),
            (PARTS * PER_PART) as usize,
            "scan: none repeated"
        );
        items.sort_by_key(|e| (e.part, e.seq));
        assert_eq!(items, all_entries(), "scan: none skipped");
    }

    async fn parallel_scan(&mut self) {
        self.count("parallel scan");
        for _ in 0..100 {
            match self.entries.scan().segments(3).page_size(60).all().await {
                Ok(mut items) => {
                    assert_eq!(items.len(), (PARTS * PER_PART) as usize);
                    items.sort_by_key(|e| (e.part, e.seq));
                    assert_eq!(items, all_entries(), "parallel scan");
                    return;
                }
                Err(_) => {
                    self.error("parallel scan", "run again");
                    self.tally.resumed += 1;
                }
            }
        }
        panic!("parallel scan: no end after 100 attempts");
    }
}

fn all_entries() -> Vec<Entry> {
    (0..PARTS)
        .flat_map(|part| (0..PER_PART).map(move |seq| entry(part, seq)))
        .collect()
}

fn print_counts(title: &str, state: &State, tally: &Tally) {
    let by_operation = state.by_operation();
    let mut total = 0;
    let mut faulted = 0;
    let mut by_fault: BTreeMap<String, u64> = BTreeMap::new();
    println!("{title}: requests by operation and fault");
    let mut ops: BTreeMap<&str, BTreeMap<&str, u64>> = BTreeMap::new();
    for ((op, fault), n) in &by_operation {
        total += n;
        if fault != "Pass" {
            faulted += n;
        }
        *by_fault.entry(fault.clone()).or_default() += n;
        *ops.entry(op).or_default().entry(fault).or_default() += n;
    }
    for (op, faults) in &ops {
        println!("  {op:<20} {faults:?}");
    }
    println!("  by fault: {by_fault:?}");
    println!(
        "  {total} requests, {faulted} faulted ({:.1}%)",
        100.0 * faulted as f64 / total.max(1) as f64
    );
    println!("  operations: {:?}", tally.operations);
    println!("  errors (operation, outcome): {:?}", tally.errors);
    println!("  reads resumed or run again: {}", tally.resumed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_operation_under_every_fault_matches_the_model() {
    let ops = env_u64("RESOURCEFUL_FAULT_OPS", 10_000);
    let seed = env_u64("RESOURCEFUL_FAULT_SEED", 13);
    let counters = Fixture::<Counter>::new("faults-every-counters").await;
    let events = Table::<Event>::named(
        &counters.backend.client(),
        unique_table_name("faults-every-events"),
    );
    events.create().await.unwrap();
    let entries = Table::<Entry>::named(
        &counters.backend.client(),
        unique_table_name("faults-every-entries"),
    );
    entries.create().await.unwrap();
    let mut writer = entries.batch_writer();
    for e in all_entries() {
        writer.put(e).await.unwrap();
    }
    writer.finish().await.unwrap();

    let state = new_state(seed, SHARES, true, SLOW);
    let client = faulty_client(
        counters.table.client(),
        &state,
        standard_retries(),
        Some(ATTEMPT_TIMEOUT),
    );
    let workers = env_u64("RESOURCEFUL_FAULT_WORKERS", 16).clamp(1, 1000) as u32;
    let per_worker = ops.div_ceil(u64::from(workers));
    let done = Arc::new(AtomicU64::new(0));
    let mut handles = Vec::new();
    for id in 0..workers {
        let mut worker = Worker {
            id,
            rng: seed ^ u64::from(id).wrapping_mul(0x9E37_79B9_7F4A_7C15),
            counters: Table::named(&client, counters.table.name().to_owned()),
            clean_counters: counters.table.clone(),
            events: Table::named(&client, events.name().to_owned()),
            clean_events: events.clone(),
            entries: Table::named(&client, entries.name().to_owned()),
            model: (0..COUNTERS_PER_WORKER)
                .map(|i| (id * 1000 + i, None))
                .collect(),
            event_model: (0..EVENTS_PER_WORKER)
                .map(|i| (id * 1000 + i, None))
                .collect(),
            tally: Tally::default(),
        };
        let done = done.clone();
        handles.push(tokio::spawn(async move {
            for n in 0..per_worker {
                worker.step(n).await;
                done.fetch_add(1, Ordering::Relaxed);
            }
            worker
        }));
    }
    let mut tally = Tally::default();
    let mut counter_model = BTreeMap::new();
    let mut event_model = BTreeMap::new();
    for handle in handles {
        let worker = handle.await.unwrap();
        for (op, n) in worker.tally.operations {
            *tally.operations.entry(op).or_default() += n;
        }
        for (key, n) in worker.tally.errors {
            *tally.errors.entry(key).or_default() += n;
        }
        tally.resumed += worker.tally.resumed;
        counter_model.extend(worker.model.into_iter().filter_map(|(k, v)| Some((k, v?))));
        event_model.extend(
            worker
                .event_model
                .into_iter()
                .filter_map(|(k, v)| Some((k, v?))),
        );
    }
    let operations: u64 = tally.operations.values().sum();
    print_counts("every operation", &state, &tally);

    // The tables equal the models: nothing lost, nothing duplicated.
    let stored: BTreeMap<u32, Counter> = scan_all(&counters.table)
        .await
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    assert_eq!(stored, counter_model, "the counters table");
    let stored: BTreeMap<u32, Event> = scan_all(&events)
        .await
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    assert_eq!(stored, event_model, "the events table");
    assert!(operations >= ops, "{operations} operations");
    let by_operation = state.by_operation();
    let total: u64 = by_operation.values().sum();
    let faulted: u64 = by_operation
        .iter()
        .filter(|((_, fault), _)| fault != "Pass")
        .map(|(_, n)| n)
        .sum();
    assert!(
        faulted * 5 >= total,
        "{faulted} of {total} requests faulted"
    );
    for fault in [
        "Unprocessed",
        "Throttle",
        "DropBefore",
        "DropAfter",
        "ServerError",
        "Unavailable",
        "Slow",
        "Truncated",
        "Malformed",
    ] {
        assert!(
            by_operation.iter().any(|((_, f), n)| f == fault && *n > 0),
            "{fault} never injected"
        );
    }
    for op in [
        "PutItem",
        "GetItem",
        "UpdateItem",
        "DeleteItem",
        "Query",
        "Scan",
        "BatchGetItem",
        "BatchWriteItem",
        "TransactWriteItems",
    ] {
        assert!(
            by_operation
                .iter()
                .any(|((o, f), n)| o == op && f != "Pass" && *n > 0),
            "{op} never faulted"
        );
    }
    events.delete_table().await.unwrap();
    entries.delete_table().await.unwrap();
    counters.cleanup().await;
}

/// Table lifecycle under faults: `create()`, `exists()` and
/// `delete_table()` through the faulty client; after each, a clean client
/// says whether the table exists, and an error must say it may have been
/// applied when it was.
#[tokio::test]
async fn table_lifecycle_under_faults() {
    let backend = resourceful::local::Backend::from_env().await.unwrap();
    let clean_client = backend.client();
    let state = new_state(
        env_u64("RESOURCEFUL_FAULT_SEED", 13),
        Shares {
            unprocessed: 0,
            ..SHARES
        },
        true,
        SLOW,
    );
    let client = faulty_client(
        &clean_client,
        &state,
        standard_retries(),
        Some(ATTEMPT_TIMEOUT),
    );
    let mut tally = Tally::default();
    let rounds = env_u64("RESOURCEFUL_FAULT_OPS", 10_000) / 500;
    for _ in 0..rounds.max(20) {
        let name = unique_table_name("faults-lifecycle");
        let faulty = Table::<Entry>::named(&client, name.clone());
        let clean = Table::<Entry>::named(&clean_client, name);

        *tally.operations.entry("create").or_default() += 1;
        let created = faulty.create().await;
        if created.as_ref().is_err_and(Error::may_have_been_applied) {
            tokio::time::sleep(LATE).await;
        }
        let exists = clean.exists().await.unwrap();
        match &created {
            Ok(()) => assert!(exists, "created, but no table"),
            Err(e) => {
                let outcome = settle("create", e, &false, &true, &exists);
                *tally.errors.entry(("create", outcome)).or_default() += 1;
            }
        }
        if !exists {
            continue;
        }

        *tally.operations.entry("exists").or_default() += 1;
        match faulty.exists().await {
            Ok(found) => assert!(found, "exists() says no"),
            Err(_) => *tally.errors.entry(("exists", "failed")).or_default() += 1,
        }

        *tally.operations.entry("delete_table").or_default() += 1;
        let deleted = faulty.delete_table().await;
        if deleted.as_ref().is_err_and(Error::may_have_been_applied) {
            tokio::time::sleep(LATE).await;
        }
        let exists = clean.exists().await.unwrap();
        match &deleted {
            Ok(()) => assert!(!exists, "deleted, but the table is there"),
            Err(e) => {
                let outcome = settle("delete_table", e, &true, &false, &exists);
                *tally.errors.entry(("delete_table", outcome)).or_default() += 1;
                if exists {
                    clean.delete_table().await.unwrap();
                }
            }
        }
    }
    print_counts("table lifecycle", &state, &tally);
    let by_operation = state.by_operation();
    for op in ["CreateTable", "DescribeTable", "DeleteTable"] {
        assert!(
            by_operation
                .iter()
                .any(|((o, f), n)| o == op && f != "Pass" && *n > 0),
            "{op} never faulted: {by_operation:?}"
        );
    }
}
