//! Reading at scale: lazy streams, pages and cursors, limits, parallel
//! scans and secondary indexes, against a live endpoint.

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use crate::common::Fixture;
use futures_util::{stream, StreamExt, TryStreamExt};
use resourceful::aws_sdk_dynamodb::config::interceptors::BeforeTransmitInterceptorContextRef;
use resourceful::aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use resourceful::aws_sdk_dynamodb::Client;
use resourceful::prelude::*;
use resourceful::{Cursor, Resource};

#[resource(
    service = "dynamodb",
    table = "readings",
    key = "device",
    sort_key = "seq",
    index(name = "by_kind", key = "kind", sort_key = "seq"),
    index(name = "by_alert", key = "alert", projection = "keys_only"),
    local_index(name = "by_value", sort_key = "value", projection = ["kind"])
)]
#[derive(Debug, Clone, PartialEq)]
struct Reading {
    device: String,
    seq: u32,
    kind: String,
    value: i64,
    /// Only some readings raise an alert: a sparse index.
    alert: Option<String>,
}

fn reading(device: &str, seq: u32) -> Reading {
    Reading {
        device: device.into(),
        seq,
        kind: if seq.is_multiple_of(10) {
            "rare".into()
        } else {
            "common".into()
        },
        value: i64::from(seq % 97),
        alert: seq.is_multiple_of(100).then(|| format!("alert-{seq}")),
    }
}

/// Writes items with many puts in flight.
async fn load<T: Resource>(table: &Table<T>, items: Vec<T>) {
    stream::iter(items)
        .map(|item| {
            let table = table.clone();
            async move { table.put(&item).await }
        })
        .buffer_unordered(64)
        .try_collect::<Vec<()>>()
        .await
        .unwrap();
}

/// Counts the requests a client sends.
#[derive(Debug, Clone, Default)]
struct RequestCounter(Arc<AtomicUsize>);

impl Intercept for RequestCounter {
    fn name(&self) -> &'static str {
        "RequestCounter"
    }

    fn read_before_transmit(
        &self,
        _context: &BeforeTransmitInterceptorContextRef<'_>,
        _components: &RuntimeComponents,
        _cfg: &mut ConfigBag,
    ) -> Result<(), resourceful::aws_sdk_dynamodb::error::BoxError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

impl RequestCounter {
    fn count(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

fn counting(client: &Client) -> (Client, RequestCounter) {
    let counter = RequestCounter::default();
    let config = client
        .config()
        .to_builder()
        .interceptor(counter.clone())
        .build();
    (Client::from_conf(config), counter)
}

#[tokio::test]
async fn streams_are_lazy_bounded_and_segments_cover_everything_once() {
    let fx = Fixture::<Reading>::new("read-lazy").await;
    let items: Vec<Reading> = (0..10_000)
        .map(|i| reading(&format!("d{}", i % 50), i))
        .collect();
    load(&fx.table, items).await;

    let (client, counter) = counting(fx.table.client());
    let table = Table::<Reading>::named(&client, fx.table.name());

    // Taking the first 150 items of a scan with pages of 100 sends exactly 2 requests.
    let first: Vec<Reading> = table
        .scan()
        .page_size(100)
        .stream()
        .take(150)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(first.len(), 150);
    assert_eq!(counter.count(), 2);

    // Stopping within the first half of a page costs no read-ahead.
    let before = counter.count();
    let few: Vec<Reading> = table
        .scan()
        .page_size(100)
        .stream()
        .take(50)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(few.len(), 50);
    assert_eq!(counter.count() - before, 1);

    // A full stream reads ahead by one page at most, and only once half of
    // the current page is taken: the next page's request starts after the
    // 51st item of a page of 100, never before.
    let before = counter.count();
    let mut stream = table.scan().page_size(100).stream();
    let mut seen = 0;
    while let Some(item) = stream.try_next().await.unwrap() {
        let _ = item;
        seen += 1;
        let requests = counter.count() - before;
        assert!(
            requests <= (seen + 49) / 100 + 1,
            "{requests} requests after {seen} items"
        );
    }
    assert_eq!(seen, 10_000);

    // Four segments: every item exactly once, each at most one page ahead.
    let before = counter.count();
    let mut stream = table.scan().page_size(100).segments(4).stream();
    let mut keys = HashSet::new();
    while let Some(item) = stream.try_next().await.unwrap() {
        assert!(
            keys.insert((item.device.clone(), item.seq)),
            "{item:?} twice"
        );
        let requests = counter.count() - before;
        assert!(
            requests <= keys.len() / 100 + 8,
            "{requests} requests after {} items",
            keys.len()
        );
    }
    assert_eq!(keys.len(), 10_000);
    assert_eq!(table.scan().segments(4).count().await.unwrap(), 10_000);
    assert_eq!(
        table
            .scan()
            .segments(3)
            .limit(1234)
            .all()
            .await
            .unwrap()
            .len(),
        1234
    );
    fx.cleanup().await;
}

#[tokio::test]
async fn limit_is_the_total_even_when_a_filter_drops_most_items() {
    let fx = Fixture::<Reading>::new("read-limit").await;
    load(&fx.table, (0..1_000).map(|i| reading("d", i)).collect()).await;
    // One reading in ten is "rare": pages of 50 hold about 5 of them.
    for limit in [1, 7, 25, 99, 100] {
        let rare = fx
            .table
            .query("d")
            .filter(Reading::KIND.eq("rare"))
            .page_size(50)
            .limit(limit)
            .all()
            .await
            .unwrap();
        assert_eq!(rare.len(), limit);
        assert!(rare.iter().all(|r| r.kind == "rare"));
        let seqs: Vec<u32> = rare.iter().map(|r| r.seq).collect();
        assert_eq!(seqs, (0..limit as u32).map(|i| i * 10).collect::<Vec<_>>());
    }
    // Asking for more than there is returns all of them.
    let all = fx
        .table
        .query("d")
        .filter(Reading::KIND.eq("rare"))
        .limit(5_000)
        .all()
        .await
        .unwrap();
    assert_eq!(all.len(), 100);
    let scanned = fx
        .table
        .scan()
        .filter(Reading::KIND.eq("rare"))
        .page_size(30)
        .limit(42)
        .all()
        .await
        .unwrap();
    assert_eq!(scanned.len(), 42);
    assert_eq!(fx.table.query("d").count().await.unwrap(), 1_000);
    assert_eq!(
        fx.table
            .query("d")
            .filter(Reading::KIND.eq("rare"))
            .count()
            .await
            .unwrap(),
        100
    );
    assert_eq!(fx.table.query("d").limit(10).count().await.unwrap(), 10);
    let last = fx
        .table
        .query("d")
        .reverse()
        .first()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(last.seq, 999);
    assert_eq!(fx.table.query("nobody").first().await.unwrap(), None);
    fx.cleanup().await;
}

#[tokio::test]
async fn cursor_pages_walk_a_partition_without_gaps_or_repeats() {
    let fx = Fixture::<Reading>::new("read-cursor").await;
    load(&fx.table, (0..1_000).map(|i| reading("d", i)).collect()).await;
    let mut seen = Vec::new();
    let mut cursor: Option<Cursor> = None;
    let mut pages = 0;
    loop {
        let mut query = fx.table.query("d").limit(37);
        if let Some(cursor) = cursor.take() {
            // As a web API would: the cursor travels as text.
            let text = cursor.to_string();
            query = query.start(text.parse().unwrap());
        }
        let page = query.page().await.unwrap();
        assert!(page.items.len() <= 37);
        pages += 1;
        seen.extend(page.items.iter().map(|r| r.seq));
        match page.cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(
        seen,
        (0..1_000).collect::<Vec<_>>(),
        "every item once, in order"
    );
    // 27 full pages and one of 1: no cursor to an empty 29th.
    assert_eq!(pages, 28);

    // Pages of a filtered query: every page but the last holds 37 matches.
    let page = fx
        .table
        .query("d")
        .filter(Reading::KIND.eq("rare"))
        .limit(37)
        .page()
        .await
        .unwrap();
    assert_eq!(page.items.len(), 37);
    let rest = fx
        .table
        .query("d")
        .filter(Reading::KIND.eq("rare"))
        .start(page.cursor.unwrap())
        .all()
        .await
        .unwrap();
    assert_eq!(rest.len(), 63);
    assert_eq!(rest[0].seq, 370);

    // `pages()` yields DynamoDB's pages with their cursors.
    let sizes: Vec<usize> = fx
        .table
        .query("d")
        .page_size(300)
        .pages()
        .map_ok(|p| p.items.len())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(sizes.iter().sum::<usize>(), 1_000);
    assert_eq!(&sizes[..3], [300, 300, 300]);
    fx.cleanup().await;
}

/// Walks a paged read as a web API does, page by page with the cursor of
/// the one before: each page's size and whether it came with a cursor.
async fn walk<F, Fut>(read: F) -> Vec<(usize, bool)>
where
    F: Fn(Option<Cursor>) -> Fut,
    Fut: std::future::Future<Output = resourceful::Result<Page<Reading>>>,
{
    let mut pages = Vec::new();
    let mut cursor = None;
    loop {
        let page = read(cursor.take()).await.unwrap();
        pages.push((page.items.len(), page.cursor.is_some()));
        match page.cursor {
            Some(next) if pages.len() < 50 => cursor = Some(next),
            _ => return pages,
        }
    }
}

#[tokio::test]
async fn the_last_page_has_no_cursor() {
    let fx = Fixture::<Reading>::new("read-last-page").await;
    load(&fx.table, (0..100).map(|i| reading("d", i)).collect()).await;
    let table = &fx.table;
    let five_full = vec![(20, true), (20, true), (20, true), (20, true), (20, false)];

    let by_page_size = walk(|c| {
        let query = table.query("d").page_size(20);
        match c {
            Some(c) => query.start(c).page(),
            None => query.page(),
        }
    })
    .await;
    assert_eq!(by_page_size, five_full, "query, page_size(20)");

    let by_limit = walk(|c| {
        let query = table.query("d").limit(20);
        match c {
            Some(c) => query.start(c).page(),
            None => query.page(),
        }
    })
    .await;
    assert_eq!(by_limit, five_full, "query, limit(20)");

    let scanned = walk(|c| {
        let scan = table.scan().page_size(20);
        match c {
            Some(c) => scan.start(c).page(),
            None => scan.page(),
        }
    })
    .await;
    assert_eq!(scanned, five_full, "scan, page_size(20)");

    // 90 "common" readings in the index, 30 a page.
    let indexed = walk(|c| {
        let query = table.index(Reading::BY_KIND).query("common").limit(30);
        match c {
            Some(c) => query.start(c).page(),
            None => query.page(),
        }
    })
    .await;
    assert_eq!(
        indexed,
        [(30, true), (30, true), (30, false)],
        "index query"
    );

    // Ten "rare" readings, seq 0 to 90: the filter drops everything after
    // the tenth, so the second page is the last although DynamoDB's read
    // of the partition goes on past it.
    let filtered = walk(|c| {
        let query = table.query("d").filter(Reading::KIND.eq("rare")).limit(5);
        match c {
            Some(c) => query.start(c).page(),
            None => query.page(),
        }
    })
    .await;
    assert_eq!(filtered, [(5, true), (5, false)], "filtered query");
    fx.cleanup().await;
}

#[tokio::test]
async fn altered_and_foreign_cursors_are_refused() {
    let fx = Fixture::<Reading>::new("read-foreign").await;
    load(&fx.table, (0..50).map(|i| reading("d", i)).collect()).await;
    let cursor = fx
        .table
        .query("d")
        .limit(10)
        .page()
        .await
        .unwrap()
        .cursor
        .unwrap();
    let text = cursor.to_string();

    let mut altered = text.clone().into_bytes();
    altered[text.len() / 2] = if altered[text.len() / 2] == b'x' {
        b'y'
    } else {
        b'x'
    };
    let err = String::from_utf8(altered)
        .unwrap()
        .parse::<Cursor>()
        .unwrap_err();
    assert!(err.to_string().contains("invalid cursor"), "{err}");
    assert!("%%%".parse::<Cursor>().is_err());

    // Made for this table: refused on an index, and on another table.
    let err = fx
        .table
        .index(Reading::BY_KIND)
        .query("rare")
        .start(cursor.clone())
        .all()
        .await
        .unwrap_err();
    assert!(err.is_validation() && err.code().is_none(), "{err:?}");
    assert!(
        err.to_string().contains("cursor was made for table"),
        "{err}"
    );
    let other = Table::<Reading>::named(fx.table.client(), "some-other-table");
    let err = other
        .query("d")
        .start(cursor.clone())
        .all()
        .await
        .unwrap_err();
    assert!(err.is_validation(), "{err:?}");
    // And on its own table it continues where the page stopped.
    let rest = fx.table.query("d").start(cursor).all().await.unwrap();
    assert_eq!(rest.first().map(|r| r.seq), Some(10));
    fx.cleanup().await;
}

#[tokio::test]
async fn secondary_indexes() {
    let fx = Fixture::<Reading>::new("read-index").await;
    let items: Vec<Reading> = (0..500)
        .map(|i| reading(if i % 2 == 0 { "a" } else { "b" }, i))
        .collect();
    load(&fx.table, items).await;
    fx.table.verify().await.unwrap();

    // A global index with a sort key condition.
    let rare = fx
        .table
        .index(Reading::BY_KIND)
        .query("rare")
        .sort(Reading::SEQ.between(100, 199))
        .all()
        .await
        .unwrap();
    assert_eq!(
        rare.iter().map(|r| r.seq).collect::<Vec<_>>(),
        (10..20).map(|i| i * 10).collect::<Vec<_>>()
    );

    // The sparse index holds only the readings that have an alert.
    let alerts = fx
        .table
        .index(Reading::BY_ALERT)
        .scan()
        .count()
        .await
        .unwrap();
    assert_eq!(alerts, 5);
    let total = fx.table.scan().count().await.unwrap();
    assert_eq!(total, 500);
    let one = fx
        .table
        .index(Reading::BY_ALERT)
        .query("alert-200")
        .all()
        .await;
    // A keys-only index cannot fill the whole struct: the error names what is missing.
    let err = one.unwrap_err();
    assert!(err.is_decode(), "{err:?}");

    // `.index(…)` on the builders: the same reads, started from the table.
    assert_eq!(
        fx.table
            .scan()
            .index(Reading::BY_ALERT)
            .count()
            .await
            .unwrap(),
        5
    );
    // What is set before `.index(…)` is kept: here the filter.
    assert_eq!(
        fx.table
            .scan()
            .filter(Reading::SEQ.lt(300))
            .index(Reading::BY_ALERT)
            .count()
            .await
            .unwrap(),
        3
    );
    // The sort-key condition after `.index(…)` is on the index's sort key,
    // and applies: only the readings whose value is 0.
    let by_value = fx
        .table
        .query("a")
        .index(Reading::BY_VALUE)
        .sort(Reading::VALUE.eq(0))
        .project::<ReadingKind>()
        .all()
        .await
        .unwrap();
    let expected: Vec<u32> = (0..500).filter(|i| i % 2 == 0 && i % 97 == 0).collect();
    assert_eq!(by_value.iter().map(|r| r.seq).collect::<Vec<_>>(), expected);

    // A local index sorted by value, with a projection.
    let low = fx
        .table
        .index(Reading::BY_VALUE)
        .query("a")
        .sort(Reading::VALUE.lt(3))
        .project::<ReadingKind>()
        .all()
        .await
        .unwrap();
    assert!(!low.is_empty());
    // Device "a" holds the even readings; the projection carries their kind.
    for r in &low {
        assert_eq!(r.device, "a");
        assert_eq!(r.seq % 2, 0);
        assert_eq!(r.kind, reading("a", r.seq).kind);
        assert!(reading("a", r.seq).value < 3);
    }
    fx.cleanup().await;
}

/// What the `by_value` local index projects.
#[resource(projection = Reading)]
#[derive(Debug)]
struct ReadingKind {
    device: String,
    seq: u32,
    kind: String,
}

/// The same table name, declared with another key schema and no indexes.
#[resource(service = "dynamodb", table = "readings", key = "device")]
#[derive(Debug)]
struct Flat {
    device: String,
    kind: String,
}

#[tokio::test]
async fn verify_lists_every_difference() {
    let backend = resourceful::local::Backend::from_env().await.unwrap();
    let name = crate::common::unique_table_name("read-verify");
    let flat = Table::<Flat>::named(&backend.client(), name.as_str());
    flat.create().await.unwrap();
    flat.verify().await.unwrap();
    let readings = Table::<Reading>::named(&backend.client(), name.as_str());
    let err = readings.verify().await.unwrap_err();
    assert!(err.is_schema_mismatch(), "{err:?}");
    let differences = err.differences();
    assert_eq!(differences.len(), 4, "{differences:#?}");
    assert!(differences[0].starts_with("table key: the struct has partition key `device` (S), sort key `seq` (N), the table has partition key `device` (S)"), "{}", differences[0]);
    for index in [
        "global index `by_kind`",
        "global index `by_alert`",
        "local index `by_value`",
    ] {
        assert!(
            differences
                .iter()
                .any(|d| d == &format!("{index} is missing from the table")),
            "{index}: {differences:#?}"
        );
    }
    flat.delete_table().await.unwrap();

    // The other way round: the table has indexes the struct does not declare.
    readings.create().await.unwrap();
    readings.verify().await.unwrap();
    let err = flat.verify().await.unwrap_err();
    let differences = err.differences();
    assert_eq!(differences.len(), 4, "{differences:#?}");
    assert!(differences
        .iter()
        .any(|d| d == "the table has a local index `by_value` that the struct does not declare"));
    readings.delete_table().await.unwrap();
}
