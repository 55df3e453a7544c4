//! Spans, events, consumed capacity and progress counters.
//!
//! A capturing subscriber records the spans and events of target
//! `resourceful` up to a chosen level. It is the default subscriber of the
//! test's thread only, so the tests run on Tokio's current-thread runtime,
//! where the batch writer's tasks run on that thread too.
//!
//! Consumed capacity: the embedded server, DynamoDB Local and AWS all
//! report it, so the same checks run on each.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use resourceful::batch::RetryPolicy;
use resourceful::observe::{ReadProgress, WriteProgress};
use resourceful::prelude::*;
use resourceful::{ConsumedCapacity, Transaction};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

use crate::common::Fixture;
use crate::faults::{fast_retries, faulty, Shares, NO_FAULTS};

#[resource(service = "dynamodb", table = "notes", key = "owner", sort_key = "n")]
#[derive(Debug, Clone, PartialEq)]
struct Note {
    owner: String,
    n: u32,
    text: String,
}

/// Only the text of a note.
#[resource(projection = Note)]
#[derive(Debug, PartialEq)]
struct NoteText {
    text: String,
}

fn note(owner: &str, n: u32) -> Note {
    Note {
        owner: owner.to_owned(),
        n,
        text: format!("note {n} of {owner}"),
    }
}

/// A span or event as recorded: its name (an event's message) and fields.
#[derive(Debug, Clone, Default)]
struct Recorded {
    name: String,
    level: Option<Level>,
    /// For an event, the name of the span it happened in.
    parent: Option<String>,
    fields: BTreeMap<String, String>,
}

impl Recorded {
    fn field(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }

    fn number(&self, name: &str) -> u64 {
        self.field(name)
            .unwrap_or_else(|| panic!("no `{name}` in {self:?}"))
            .parse()
            .unwrap()
    }
}

impl Visit for Recorded {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        self.fields
            .insert(field.name().to_owned(), format!("{value:?}"));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.fields
            .insert(field.name().to_owned(), value.to_owned());
    }
}

#[derive(Default)]
struct Captured {
    spans: Vec<Recorded>,
    events: Vec<Recorded>,
    /// The spans entered, innermost last.
    stack: Vec<usize>,
}

/// Records what target `resourceful` emits at `max` and above.
#[derive(Clone)]
struct Capture {
    max: Level,
    captured: Arc<Mutex<Captured>>,
}

/// The process-wide default subscriber of the test binary: enables
/// nothing, but answers `sometimes` for every callsite. Without it, a
/// callsite first reached by another test's thread (no subscriber there)
/// can be cached as "never" while a capture of this module is being set up
/// on its own thread (a race in tracing's callsite registration), and the
/// capture then misses its events. With it, no callsite is ever cached as
/// "never", and each event asks the capture of its own thread.
struct Undecided;

impl Subscriber for Undecided {
    fn register_callsite(&self, _: &'static Metadata<'static>) -> tracing::subscriber::Interest {
        tracing::subscriber::Interest::sometimes()
    }
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        false
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, _: &Event<'_>) {}
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

impl Capture {
    fn new(max: Level) -> Self {
        static UNDECIDED: std::sync::Once = std::sync::Once::new();
        UNDECIDED.call_once(|| {
            // Only this module sets it; a second binary-wide default is impossible.
            tracing::subscriber::set_global_default(Undecided).expect("the first global default");
        });
        Capture {
            max,
            captured: Arc::default(),
        }
    }

    fn spans(&self, name: &str) -> Vec<Recorded> {
        let captured = self.captured.lock().unwrap();
        captured
            .spans
            .iter()
            .filter(|s| s.name == name)
            .cloned()
            .collect()
    }

    fn span(&self, name: &str) -> Recorded {
        let spans = self.spans(name);
        assert_eq!(spans.len(), 1, "one `{name}` span: {spans:#?}");
        spans.into_iter().next().unwrap()
    }

    fn events(&self) -> Vec<Recorded> {
        self.captured.lock().unwrap().events.clone()
    }
}

impl Subscriber for Capture {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        metadata.target() == "resourceful" && *metadata.level() <= self.max
    }
    fn new_span(&self, attributes: &Attributes<'_>) -> Id {
        let mut span = Recorded {
            name: attributes.metadata().name().to_owned(),
            level: Some(*attributes.metadata().level()),
            ..Recorded::default()
        };
        attributes.record(&mut span);
        let mut captured = self.captured.lock().unwrap();
        captured.spans.push(span);
        Id::from_u64(captured.spans.len() as u64)
    }
    fn record(&self, id: &Id, values: &Record<'_>) {
        let mut captured = self.captured.lock().unwrap();
        values.record(&mut captured.spans[id.into_u64() as usize - 1]);
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut recorded = Recorded {
            level: Some(*event.metadata().level()),
            ..Recorded::default()
        };
        event.record(&mut recorded);
        recorded.name = recorded.fields.remove("message").unwrap_or_default();
        let mut captured = self.captured.lock().unwrap();
        recorded.parent = captured
            .stack
            .last()
            .map(|&i| captured.spans[i].name.clone());
        captured.events.push(recorded);
    }
    fn enter(&self, id: &Id) {
        let mut captured = self.captured.lock().unwrap();
        captured.stack.push(id.into_u64() as usize - 1);
    }
    fn exit(&self, id: &Id) {
        let mut captured = self.captured.lock().unwrap();
        let index = id.into_u64() as usize - 1;
        if let Some(at) = captured.stack.iter().rposition(|&i| i == index) {
            captured.stack.remove(at);
        }
    }
}

/// The fields every operation span has.
fn assert_operation(span: &Recorded, operation: &str, tables: &str) {
    assert_eq!(span.level, Some(Level::INFO), "{span:?}");
    assert_eq!(span.field("db.system.name"), Some("aws.dynamodb"));
    assert_eq!(span.field("db.operation.name"), Some(operation));
    assert_eq!(span.field("aws.dynamodb.table_names"), Some(tables));
}

#[tokio::test]
async fn a_put_is_a_span_with_its_key_at_debug_only() {
    let fx = Fixture::<Note>::new("obs-put").await;
    let table = fx.table.name().to_owned();

    let debug = Capture::new(Level::DEBUG);
    {
        let _guard = tracing::subscriber::set_default(debug.clone());
        fx.table.put(&note("ann", 1)).await.unwrap();
    }
    let put = debug.span("dynamodb.put");
    assert_operation(&put, "PutItem", &table);
    assert_eq!(put.number("resourceful.requests"), 1);
    assert_eq!(put.number("resourceful.items_written"), 1);
    assert_eq!(put.field("resourceful.key"), Some(r#"n=1, owner="ann""#));
    // Not asked for: not recorded.
    assert_eq!(put.field("aws.dynamodb.consumed_capacity"), None);

    let info = Capture::new(Level::INFO);
    {
        let _guard = tracing::subscriber::set_default(info.clone());
        fx.table.put(&note("ann", 2)).await.unwrap();
        let got = fx.table.get(("ann", 2)).await.unwrap();
        assert!(got.is_some());
        fx.table.delete(("ann", 2)).await.unwrap();
    }
    let put = info.span("dynamodb.put");
    assert_eq!(put.field("resourceful.key"), None, "keys only at DEBUG");
    let get = info.span("dynamodb.get");
    assert_operation(&get, "GetItem", &table);
    assert_eq!(get.number("db.response.returned_rows"), 1);
    assert_eq!(get.field("resourceful.key"), None);
    assert_operation(&info.span("dynamodb.delete"), "DeleteItem", &table);
    fx.cleanup().await;
}

#[tokio::test]
async fn a_multi_page_query_is_one_span_counting_its_pages() {
    let fx = Fixture::<Note>::new("obs-query").await;
    for n in 0..5 {
        fx.table.put(&note("bo", n)).await.unwrap();
    }
    let capture = Capture::new(Level::DEBUG);
    let progress = ReadProgress::new();
    let notes = {
        let _guard = tracing::subscriber::set_default(capture.clone());
        fx.table
            .query("bo")
            .page_size(2)
            .progress(&progress)
            .all()
            .await
            .unwrap()
    };
    assert_eq!(notes.len(), 5);
    let query = capture.span("dynamodb.query");
    assert_operation(&query, "Query", fx.table.name());
    // Pages of 2, 2, 1, and DynamoDB may answer an empty last page.
    let pages = query.number("resourceful.requests");
    assert!((3..=4).contains(&pages), "{query:?}");
    assert_eq!(query.number("db.response.returned_rows"), 5);
    assert_eq!(query.field("resourceful.key"), Some(r#"owner="bo""#));
    assert_eq!((progress.pages(), progress.items()), (pages, 5));
    assert!(progress.scanned() >= 5);
    fx.cleanup().await;
}

#[tokio::test]
async fn a_batch_write_span_counts_retries_and_events_tell_them() {
    let fx = Fixture::<Note>::new("obs-batch").await;
    let shares = Shares {
        unprocessed: 50,
        ..NO_FAULTS
    };
    let (flaky, _) = faulty(&fx.table, 7, shares);
    let capture = Capture::new(Level::DEBUG);
    let calls = Arc::new(AtomicU64::new(0));
    let summary = {
        let _guard = tracing::subscriber::set_default(capture.clone());
        let seen = calls.clone();
        let mut writer =
            flaky
                .batch_writer()
                .retry(fast_retries())
                .on_progress(move |_: &WriteProgress| {
                    seen.fetch_add(1, Ordering::Relaxed);
                });
        let progress = writer.progress();
        for n in 0..100 {
            writer.put(note("cy", n)).await.unwrap();
        }
        let summary = writer.finish().await.unwrap();
        assert_eq!(progress.written(), 100);
        assert_eq!(progress.in_flight(), 0);
        assert_eq!(progress.requests(), summary.requests);
        assert_eq!(progress.retried(), summary.retried);
        summary
    };
    assert_eq!(summary.written, 100);
    assert!(summary.retried > 0, "{summary:?}");
    // One call per chunk of 25, after its retries.
    assert_eq!(calls.load(Ordering::Relaxed), 4);

    let span = capture.span("dynamodb.batch_write");
    assert_operation(&span, "BatchWriteItem", fx.table.name());
    assert_eq!(span.number("resourceful.items_written"), 100);
    assert_eq!(span.number("resourceful.requests"), summary.requests);
    assert_eq!(span.number("resourceful.retries"), summary.retried);
    assert_eq!(span.number("resourceful.unprocessed"), 0);
    let retries: Vec<_> = capture
        .events()
        .into_iter()
        .filter(|e| e.name == "retrying batch writes")
        .collect();
    assert!(!retries.is_empty());
    let first = &retries[0];
    assert_eq!(first.level, Some(Level::DEBUG));
    assert_eq!(first.parent.as_deref(), Some("dynamodb.batch_write"));
    assert!(first.number("writes") > 0);

    // Out of attempts: a warning, and the span counts the leftovers.
    let all_unprocessed = Shares {
        unprocessed: 100,
        ..shares
    };
    let (hopeless, _) = faulty(&fx.table, 7, all_unprocessed);
    let capture = Capture::new(Level::INFO);
    {
        let _guard = tracing::subscriber::set_default(capture.clone());
        let mut writer = hopeless.batch_writer().retry(RetryPolicy::none());
        for n in 0..10 {
            writer.put(note("dee", n)).await.unwrap();
        }
        let leftovers = writer.finish().await.unwrap_err();
        assert_eq!(leftovers.writes().len(), 5);
    }
    let gave_up: Vec<_> = capture
        .events()
        .into_iter()
        .filter(|e| e.name.starts_with("giving up on batch writes"))
        .collect();
    assert_eq!(gave_up.len(), 1, "{:?}", capture.events());
    assert_eq!(gave_up[0].level, Some(Level::WARN));
    assert_eq!(gave_up[0].number("writes"), 5);
    let span = capture.span("dynamodb.batch_write");
    assert_eq!(span.number("resourceful.unprocessed"), 5);
    assert_eq!(span.number("resourceful.items_written"), 5);
    fx.cleanup().await;
}

#[tokio::test]
async fn a_batch_get_span_counts_requests_rows_and_retries() {
    let fx = Fixture::<Note>::new("obs-batch-get").await;
    let mut seed = fx.table.batch_writer();
    for n in 0..250 {
        seed.put(note("gil", n)).await.unwrap();
    }
    seed.finish().await.unwrap();
    let shares = Shares {
        unprocessed: 50,
        ..NO_FAULTS
    };
    let (flaky, _) = faulty(&fx.table, 7, shares);
    // 300 keys, 250 of them stored: three requests at least.
    let keys: Vec<(&str, u32)> = (0..300).map(|n| ("gil", n)).collect();
    let capture = Capture::new(Level::DEBUG);
    let found = {
        let _guard = tracing::subscriber::set_default(capture.clone());
        flaky
            .batch_get(keys.clone())
            .retry(fast_retries())
            .await
            .unwrap()
    };
    assert_eq!(found.len(), 250);
    let span = capture.span("dynamodb.batch_get");
    assert_operation(&span, "BatchGetItem", fx.table.name());
    assert_eq!(span.number("db.response.returned_rows"), 250);
    let requests = span.number("resourceful.requests");
    let retries = span.number("resourceful.retries");
    assert!(retries > 0, "{span:?}");
    assert_eq!(requests, 3 + retries, "{span:?}");
    assert_eq!(span.field("resourceful.unprocessed"), None);
    assert_eq!(span.field("aws.dynamodb.consumed_capacity"), None);
    let retried: Vec<_> = capture
        .events()
        .into_iter()
        .filter(|e| e.name == "retrying batch get keys")
        .collect();
    assert_eq!(retried.len() as u64, retries);
    assert_eq!(retried[0].level, Some(Level::DEBUG));
    assert_eq!(retried[0].parent.as_deref(), Some("dynamodb.batch_get"));
    assert!(retried[0].number("keys") > 0);

    // Out of attempts: a warning, and the span counts the keys given up on.
    let all_unprocessed = Shares {
        unprocessed: 100,
        ..shares
    };
    let (hopeless, _) = faulty(&fx.table, 7, all_unprocessed);
    let capture = Capture::new(Level::INFO);
    {
        let _guard = tracing::subscriber::set_default(capture.clone());
        let err = hopeless
            .batch_get(keys[..10].to_vec())
            .retry(RetryPolicy::none())
            .await
            .unwrap_err();
        assert!(err.is_incomplete(), "{err}");
    }
    let gave_up: Vec<_> = capture
        .events()
        .into_iter()
        .filter(|e| e.name.starts_with("giving up on batch get keys"))
        .collect();
    assert_eq!(gave_up.len(), 1, "{:?}", capture.events());
    assert_eq!(gave_up[0].level, Some(Level::WARN));
    let unread = gave_up[0].number("keys");
    assert!(unread > 0);
    let span = capture.span("dynamodb.batch_get");
    assert_eq!(span.number("resourceful.unprocessed"), unread);
    assert_eq!(span.number("resourceful.requests"), 1);
    assert_eq!(span.field("db.response.returned_rows"), None);
    fx.cleanup().await;
}

#[tokio::test]
async fn a_transaction_span_names_its_tables() {
    let a = Fixture::<Note>::new("obs-tx-a").await;
    let b = Table::<Note>::named(&a.backend.client(), format!("{}-b", a.table.name()));
    b.create().await.unwrap();
    let capture = Capture::new(Level::INFO);
    {
        let _guard = tracing::subscriber::set_default(capture.clone());
        Transaction::new(&a.backend.client())
            .put(a.table.put(&note("ed", 1)))
            .put(b.put(&note("ed", 2)))
            .update(a.table.upsert(("ed", 3)).set(Note::TEXT, "new"))
            .commit()
            .await
            .unwrap();
    }
    let span = capture.span("dynamodb.transact_write");
    let mut tables = [a.table.name(), b.name()];
    tables.sort_unstable();
    assert_operation(&span, "TransactWriteItems", &tables.join(","));
    assert_eq!(span.number("resourceful.items_written"), 3);
    assert_eq!(span.number("resourceful.requests"), 1);
    b.delete_table().await.unwrap();
    a.cleanup().await;
}

/// Checks `capacity` on a backend that reports it: `read` and `write`
/// say which units must be positive, for `table`.
fn assert_consumed(capacity: &ConsumedCapacity, table: &str, read: bool, write: bool) {
    let units = capacity.table(table);
    assert_eq!(units.read > 0.0, read, "read units in {capacity}");
    assert_eq!(units.write > 0.0, write, "write units in {capacity}");
    assert_eq!(capacity.total(), units);
}

#[tokio::test]
async fn consumed_capacity_comes_with_the_result_when_asked_for() {
    let fx = Fixture::<Note>::new("obs-capacity").await;
    let t = &fx.table;
    let name = t.name();

    let ((), put) = t.put(&note("fay", 1)).capacity().await.unwrap();
    let (got, get) = t.get(("fay", 1)).consistent().capacity().await.unwrap();
    assert_eq!(got, Some(note("fay", 1)));
    let (updated, update) = t
        .update(("fay", 1))
        .set(Note::TEXT, "changed")
        .capacity()
        .await
        .unwrap();
    assert_eq!(updated.text, "changed");
    let (old, replaced) = t
        .put(&note("fay", 1))
        .return_old()
        .capacity()
        .await
        .unwrap();
    assert_eq!(old.map(|n| n.text).as_deref(), Some("changed"));

    let mut writer = t.batch_writer().capacity();
    for n in 2..40 {
        writer.put(note("fay", n)).await.unwrap();
    }
    let summary = writer.finish().await.unwrap();
    let progress = ReadProgress::new();
    let all = t.query("fay").progress(&progress).all().await.unwrap();
    assert_eq!(all.len(), 39);
    let ((), tx) = Transaction::new(t.client())
        .delete(t.delete(("fay", 1)))
        .capacity()
        .await
        .unwrap();
    let ((), delete) = t.delete(("fay", 2)).capacity().await.unwrap();

    for write in [&put, &update, &replaced, &tx, &delete] {
        assert_consumed(write, name, false, true);
    }
    assert_consumed(&get, name, true, false);
    // 38 small items: one write unit each.
    assert_consumed(&summary.capacity, name, false, true);
    assert!(summary.capacity.table(name).write >= 38.0, "{summary:?}");
    assert_consumed(&progress.capacity(), name, true, false);
    // Without asking: nothing is recorded.
    assert!(t.batch_writer().finish().await.unwrap().capacity.is_empty());

    // A batch get adds up the capacity of its requests, and records it.
    let keys: Vec<(&str, u32)> = (0..250).map(|n| ("fay", n)).collect();
    let capture = Capture::new(Level::INFO);
    let (found, read) = {
        let _guard = tracing::subscriber::set_default(capture.clone());
        t.batch_get(keys.clone()).capacity().await.unwrap()
    };
    assert_eq!(found.len(), 37);
    assert_consumed(&read, name, true, false);
    let span = capture.span("dynamodb.batch_get");
    assert_eq!(
        span.field("aws.dynamodb.consumed_capacity"),
        Some(read.to_string().as_str())
    );
    let (texts, projected) = t
        .batch_get(keys)
        .project::<NoteText>()
        .capacity()
        .await
        .unwrap();
    assert_eq!(texts.len(), 37);
    assert_consumed(&projected, name, true, false);
    fx.cleanup().await;
}
