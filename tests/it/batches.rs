//! Batch writes and batch gets against a live endpoint.

use std::collections::{BTreeMap, HashSet};

use crate::common::{scan_all, Fixture};
use resourceful::batch::{RetryPolicy, Write};
use resourceful::prelude::*;

#[resource(
    service = "dynamodb",
    table = "readings",
    key = "sensor",
    sort_key = "at"
)]
#[derive(Debug, Clone, PartialEq)]
struct Reading {
    sensor: String,
    at: u32,
    value: i64,
    note: Option<String>,
}

/// A small deterministic generator (a 64-bit LCG), so failures reproduce.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

fn reading(sensor: u64, at: u64, value: i64) -> Reading {
    Reading {
        sensor: format!("s{sensor}"),
        at: at as u32,
        value,
        note: (value % 3 == 0).then(|| format!("note {value}")),
    }
}

#[tokio::test]
async fn ten_thousand_mixed_writes_with_repeated_keys_leave_the_expected_contents() {
    let fx = Fixture::<Reading>::new("batch-mixed").await;
    let mut rng = Lcg(7);
    let mut expected: BTreeMap<(String, u32), Reading> = BTreeMap::new();
    let mut writer = fx.table.batch_writer().concurrency(8);
    let mut distinct = HashSet::new();
    for i in 0..10_000i64 {
        // 40 sensors × 50 timestamps: about five writes per key.
        let (sensor, at) = (rng.next() % 40, rng.next() % 50);
        distinct.insert((sensor, at));
        if rng.next() % 10 < 7 {
            let r = reading(sensor, at, i);
            expected.insert((r.sensor.clone(), r.at), r.clone());
            writer.put(r).await.unwrap();
        } else {
            let key = (format!("s{sensor}"), at as u32);
            expected.remove(&key);
            writer.delete(key).await.unwrap();
        }
    }
    let summary = writer.finish().await.expect("every write lands");
    assert_eq!(summary.written + summary.replaced, 10_000);
    assert!(
        summary.replaced > 0,
        "repeated keys are replaced before sending"
    );
    assert!(summary.requests >= summary.written / 25);

    let mut stored: Vec<Reading> = scan_all(&fx.table).await;
    stored.sort_by(|a, b| (&a.sensor, a.at).cmp(&(&b.sensor, b.at)));
    let expected: Vec<Reading> = expected.into_values().collect();
    assert_eq!(stored.len(), expected.len());
    assert_eq!(stored, expected);
    assert!(distinct.len() < 2_000);
    fx.cleanup().await;
}

#[tokio::test]
async fn the_last_write_to_a_key_wins_across_requests_in_flight() {
    let fx = Fixture::<Reading>::new("batch-last-wins").await;
    // One key written in every round, between rounds of other keys that
    // fill whole requests: the key's writes go out in different requests,
    // several in flight at once.
    let mut writer = fx.table.batch_writer().concurrency(16);
    for round in 0..40i64 {
        writer.put(reading(0, 0, round)).await.unwrap();
        for other in 0..30 {
            writer.put(reading(1, other, round)).await.unwrap();
        }
        if round % 4 == 3 {
            writer.delete(("s0", 0u32)).await.unwrap();
        }
    }
    writer.put(reading(0, 0, 1000)).await.unwrap();
    writer.finish().await.unwrap();
    let got = fx.table.get(("s0", 0u32)).consistent().await.unwrap();
    assert_eq!(got, Some(reading(0, 0, 1000)));
    let others = fx.table.query("s1").consistent().all().await.unwrap();
    assert_eq!(others.len(), 30);
    assert!(others.iter().all(|r| r.value == 39));
    fx.cleanup().await;
}

#[tokio::test]
async fn flush_sends_a_partial_request_and_waits() {
    let fx = Fixture::<Reading>::new("batch-flush").await;
    let mut writer = fx.table.batch_writer();
    writer.put(reading(1, 1, 1)).await.unwrap();
    writer.put(reading(1, 2, 2)).await.unwrap();
    assert_eq!(
        writer.unfinished(),
        2,
        "fewer than 25 writes wait to be sent"
    );
    writer.flush().await.unwrap();
    assert_eq!(writer.unfinished(), 0);
    assert_eq!(
        fx.table.query("s1").consistent().all().await.unwrap().len(),
        2
    );
    let summary = writer.finish().await.unwrap();
    assert_eq!(summary.written, 2);
    assert_eq!(summary.requests, 1);
    fx.cleanup().await;
}

#[tokio::test]
async fn invalid_writes_are_refused_before_queueing() {
    let fx = Fixture::<Reading>::new("batch-invalid").await;
    let mut writer = fx.table.batch_writer();
    let mut unnamed = reading(1, 1, 1);
    unnamed.sensor = String::new();
    let err = writer.put(unnamed).await.unwrap_err();
    assert!(err.is_validation(), "{err}");
    let err = writer.delete(("", 1u32)).await.unwrap_err();
    assert!(err.is_validation(), "{err}");
    let mut big = reading(1, 1, 1);
    big.note = Some("x".repeat(401 * 1024));
    assert!(writer.put(big).await.unwrap_err().is_validation());
    assert_eq!(writer.unfinished(), 0);
    writer.finish().await.unwrap();
    fx.cleanup().await;
}

#[resource(service = "dynamodb", table = "accounts", key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Account {
    id: String,
    balance: i64,
    #[resource(version)]
    version: u64,
}

#[tokio::test]
async fn a_plain_writer_deletes_versioned_items_by_key() {
    let fx = Fixture::<Account>::new("batch-versioned-delete").await;
    let account = Account {
        id: "a1".into(),
        balance: 5,
        version: 0,
    };
    fx.table.put(&account).await.unwrap();
    // Its `put` does not compile for `Account` (tests/ui/batch); deleting
    // by key needs no version check, as `Table::delete` shows.
    let mut writer = fx.table.batch_writer();
    writer.delete("a1").await.unwrap();
    writer.finish().await.unwrap();
    assert_eq!(fx.table.get("a1").consistent().await.unwrap(), None);
    fx.cleanup().await;
}

#[tokio::test]
async fn a_load_that_skips_the_version_check_stores_the_next_version() {
    let fx = Fixture::<Account>::new("batch-versioned-load").await;
    // An item already stored, at version 3: the load replaces it without
    // looking at its version.
    let mut stored = Account {
        id: "a0".into(),
        balance: 1,
        version: 0,
    };
    for _ in 0..3 {
        fx.table.put(&stored).await.unwrap();
        stored.version += 1;
    }
    let accounts: Vec<Account> = (0..40)
        .map(|i| Account {
            id: format!("a{i}"),
            balance: i,
            // A restore carries versions; a first load starts at 0.
            version: if i % 2 == 0 { 0 } else { 7 },
        })
        .collect();
    let mut writer = fx.table.batch_writer().skip_version_check();
    for account in &accounts {
        writer.put(account.clone()).await.unwrap();
    }
    writer.delete("a39").await.unwrap();
    let summary = writer.finish().await.unwrap();
    assert_eq!(summary.written + summary.replaced, 41);

    let mut loaded = scan_all(&fx.table).await;
    loaded.sort_by_key(|a| a.balance);
    let expected: Vec<Account> = accounts[..39]
        .iter()
        .map(|a| Account {
            version: a.version + 1,
            ..a.clone()
        })
        .collect();
    assert_eq!(loaded, expected);

    // Loaded items take part in optimistic locking as if `put` wrote them.
    let mut first = fx.table.get("a0").consistent().await.unwrap().unwrap();
    assert_eq!(first.version, 1);
    first.balance = 100;
    fx.table.put(&first).await.unwrap();
    let stale = Account {
        balance: 200,
        ..first.clone()
    };
    let err = fx.table.put(&stale).await.unwrap_err();
    assert!(err.is_condition_failed(), "{err}");
    let updated = fx
        .table
        .update("a1")
        .add(Account::BALANCE, 10)
        .await
        .unwrap();
    assert_eq!((updated.balance, updated.version), (11, 9));
    let reread = fx.table.get("a0").consistent().await.unwrap().unwrap();
    assert_eq!((reread.balance, reread.version), (100, 2));
    fx.cleanup().await;
}

#[tokio::test]
async fn writes_to_a_missing_table_come_back_as_typed_leftovers() {
    let fx = Fixture::<Reading>::new("batch-missing").await;
    let missing = Table::<Reading>::named(fx.table.client(), "no-such-table-for-batches");
    let mut writer = missing.batch_writer().retry(RetryPolicy::none());
    let mut given = Vec::new();
    for i in 0..60 {
        let write = if i % 5 == 0 {
            Write::Delete(("s9", i as u32).into())
        } else {
            Write::Put(reading(9, i, i as i64))
        };
        given.push(write.clone());
        match write {
            Write::Put(item) => writer.put(item).await.unwrap(),
            Write::Delete(key) => writer.delete(key).await.unwrap(),
        }
    }
    let leftovers = writer.finish().await.unwrap_err();
    assert!(leftovers.error().is_incomplete(), "{}", leftovers.error());
    let cause = std::error::Error::source(leftovers.error())
        .and_then(|e| e.downcast_ref::<Error>())
        .expect("the service error is kept");
    assert!(cause.is_not_found(), "{cause}");
    assert_eq!(leftovers.summary().written, 0);
    assert_eq!(leftovers.puts().count(), 48);
    assert_eq!(leftovers.deletes().count(), 12);
    assert_eq!(leftovers.into_writes(), given);
    fx.cleanup().await;
}

#[tokio::test]
async fn a_newer_write_to_a_key_replaces_a_leftover() {
    let fx = Fixture::<Reading>::new("batch-leftover-replaced").await;
    let missing = Table::<Reading>::named(fx.table.client(), "no-such-table-for-batches");
    let mut writer = missing.batch_writer().retry(RetryPolicy::none());
    writer.put(reading(1, 1, 1)).await.unwrap();
    writer.put(reading(1, 2, 1)).await.unwrap();
    assert!(writer.flush().await.unwrap_err().is_incomplete());
    assert_eq!(writer.unfinished(), 2);
    writer.delete(("s1", 1u32)).await.unwrap();
    let leftovers = writer.finish().await.unwrap_err();
    // The put of ("s1", 1) is moot: the delete replaced it, and failed too.
    let summary = leftovers.summary();
    assert_eq!((summary.written, summary.replaced), (0, 1));
    assert_eq!(
        leftovers.into_writes(),
        vec![
            Write::Put(reading(1, 2, 1)),
            Write::Delete(("s1", 1u32).into())
        ]
    );
    fx.cleanup().await;
}

#[tokio::test]
async fn dropping_an_unfinished_writer_reports_it() {
    let fx = Fixture::<Reading>::new("batch-drop").await;
    let mut writer = fx.table.batch_writer();
    writer.put(reading(1, 1, 1)).await.unwrap();
    assert_eq!(writer.unfinished(), 1);
    // Dropping now emits a `tracing` warning (checked in the runtime's unit
    // tests); `unfinished` is how code checks before dropping.
    drop(writer);
    assert_eq!(fx.table.get(("s1", 1u32)).await.unwrap(), None);
    fx.cleanup().await;
}

#[tokio::test]
async fn batch_get_reads_every_key_once_in_request_order() {
    let fx = Fixture::<Reading>::new("batch-get").await;
    let mut writer = fx.table.batch_writer();
    for at in 0..250 {
        writer.put(reading(1, at, at as i64)).await.unwrap();
    }
    writer.finish().await.unwrap();

    // 300 keys in a scrambled order, 250 of them present, each asked twice.
    let mut keys: Vec<(String, u32)> = (0..300)
        .map(|at| ("s1".to_owned(), (at * 7) % 300))
        .collect();
    keys.extend(keys.clone());
    let found = fx.table.batch_get(keys.clone()).await.unwrap();
    assert_eq!(found.len(), 250);
    let distinct: HashSet<u32> = found.iter().map(|r| r.at).collect();
    assert_eq!(distinct.len(), 250);

    let ordered = fx
        .table
        .batch_get(keys.clone())
        .in_request_order()
        .consistent()
        .await
        .unwrap();
    let expected: Vec<u32> = keys[..300]
        .iter()
        .map(|(_, at)| *at)
        .filter(|at| *at < 250)
        .collect();
    assert_eq!(ordered.iter().map(|r| r.at).collect::<Vec<_>>(), expected);
    assert_eq!(ordered[0], reading(1, 0, 0));

    let none = fx
        .table
        .batch_get(Vec::<(String, u32)>::new())
        .await
        .unwrap();
    assert!(none.is_empty());
    fx.cleanup().await;
}

/// Only the value of a reading.
#[resource(projection = Reading)]
#[derive(Debug, PartialEq)]
struct ReadingValue {
    value: i64,
}

#[tokio::test]
async fn batch_get_reads_projections() {
    let fx = Fixture::<Reading>::new("batch-get-projection").await;
    for at in 0..5 {
        fx.table.put(&reading(2, at, 10 * at as i64)).await.unwrap();
    }
    let values = fx
        .table
        .batch_get((0..6u32).rev().map(|at| ("s2", at)))
        .in_request_order()
        .project::<ReadingValue>()
        .await
        .unwrap();
    let values: Vec<i64> = values.into_iter().map(|v| v.value).collect();
    assert_eq!(values, [40, 30, 20, 10, 0]);
    fx.cleanup().await;
}

#[tokio::test]
async fn batch_get_refuses_invalid_keys_before_sending() {
    let fx = Fixture::<Reading>::new("batch-get-invalid").await;
    let err = fx.table.batch_get([("", 1u32)]).await.unwrap_err();
    assert!(err.is_validation(), "{err}");
    fx.cleanup().await;
}
