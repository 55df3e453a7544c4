//! Optimistic locking (`version`) and time to live (`ttl`) against a live
//! endpoint.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::common::Fixture;
use resourceful::aws_sdk_dynamodb::types::{AttributeValue, TimeToLiveStatus};
use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "counters", key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Counter {
    id: String,
    count: u64,
    #[resource(version)]
    version: u64,
}

#[tokio::test]
async fn versioned_counter_under_contention() {
    let fx = Fixture::<Counter>::new("lock-contention").await;
    let start = Counter {
        id: "c".into(),
        count: 0,
        version: 0,
    };
    fx.table.put(&start).await.unwrap();
    let initial = fx.table.get("c").consistent().await.unwrap().unwrap();
    assert_eq!(initial.version, 1, "a put of version 0 stores version 1");

    const TASKS: u64 = 8;
    const INCREMENTS: u64 = 100;
    let mut handles = Vec::new();
    for _ in 0..TASKS {
        let table = fx.table.clone();
        handles.push(tokio::spawn(async move {
            let mut conflicts = 0u64;
            for _ in 0..INCREMENTS {
                loop {
                    let mut counter = table.get("c").consistent().await.unwrap().unwrap();
                    counter.count += 1;
                    match table.put(&counter).await {
                        Ok(()) => break,
                        Err(e) if e.is_condition_failed() => conflicts += 1,
                        Err(e) => panic!("unexpected error: {e:?}"),
                    }
                }
            }
            conflicts
        }));
    }
    let mut conflicts = 0;
    for handle in handles {
        conflicts += handle.await.unwrap();
    }
    let last = fx.table.get("c").consistent().await.unwrap().unwrap();
    assert_eq!(last.count, TASKS * INCREMENTS);
    assert_eq!(last.version, initial.version + TASKS * INCREMENTS);
    println!("{conflicts} conflicts retried");
    fx.cleanup().await;
}

#[tokio::test]
async fn stale_writes_are_rejected() {
    let fx = Fixture::<Counter>::new("lock-stale").await;
    let fresh = Counter {
        id: "c".into(),
        count: 0,
        version: 0,
    };
    fx.table.put(&fresh).await.unwrap();
    // Version 0 means "new": a second put of a new item is refused.
    let err = fx.table.put(&fresh).await.unwrap_err();
    assert!(err.is_condition_failed(), "{err:?}");

    let read = fx.table.get("c").consistent().await.unwrap().unwrap();
    let mut first = read.clone();
    first.count = 1;
    fx.table.put(&first).await.unwrap();
    let mut stale = read.clone();
    stale.count = 99;
    let err = fx.table.put(&stale).await.unwrap_err();
    assert!(err.is_condition_failed(), "{err:?}");
    assert_eq!(
        fx.table.get("c").consistent().await.unwrap().unwrap().count,
        1
    );

    // A delete of a stale value is refused too; of the current one, it works.
    let err = fx.table.delete_item(&stale).await.unwrap_err();
    assert!(err.is_condition_failed(), "{err:?}");
    let current = fx.table.get("c").consistent().await.unwrap().unwrap();
    assert_eq!(current.version, read.version + 1);
    fx.table.delete_item(&current).await.unwrap();
    assert_eq!(fx.table.get("c").consistent().await.unwrap(), None);

    // Updates advance the version; a condition on it makes them optimistic.
    fx.table.put(&fresh).await.unwrap();
    let updated = fx.table.update("c").add(Counter::COUNT, 5).await.unwrap();
    assert_eq!((updated.count, updated.version), (5, 2));
    let err = fx
        .table
        .update("c")
        .add(Counter::COUNT, 1)
        .condition(Counter::VERSION.eq(1))
        .await
        .unwrap_err();
    assert!(err.is_condition_failed());
    fx.cleanup().await;
}

#[tokio::test]
async fn versioned_update_requires_the_item_and_upsert_starts_at_version_1() {
    let fx = Fixture::<Counter>::new("lock-update-missing").await;
    let counters = &fx.table;
    let err = counters
        .update("c")
        .add(Counter::COUNT, 1)
        .await
        .unwrap_err();
    assert!(err.is_not_found() && !err.is_condition_failed(), "{err:?}");
    let raw = counters
        .client()
        .get_item()
        .table_name(counters.name())
        .key("id", AttributeValue::S("c".into()))
        .consistent_read(true)
        .send()
        .await
        .unwrap();
    assert_eq!(raw.item, None, "nothing written, not even the version");

    // An upsert creates the item, at version 1 as a put of version 0 would.
    let old = counters
        .upsert("c")
        .add(Counter::COUNT, 1)
        .return_old()
        .await
        .unwrap();
    assert_eq!(old, None);
    let created = counters.get("c").consistent().await.unwrap().unwrap();
    assert_eq!((created.count, created.version), (1, 1));

    // From then on both advance the version by one per write.
    counters.upsert("c").add(Counter::COUNT, 1).await.unwrap();
    let updated = counters.update("c").add(Counter::COUNT, 1).await.unwrap();
    assert_eq!((updated.count, updated.version), (3, 3));
    // A version condition on an update of a missing item: not found first.
    let err = counters
        .update("other")
        .add(Counter::COUNT, 1)
        .condition(Counter::VERSION.eq(3))
        .await
        .unwrap_err();
    assert!(err.is_not_found() && !err.is_condition_failed(), "{err:?}");
    fx.cleanup().await;
}

#[resource(service = "dynamodb", table = "sessions", key = "token")]
#[derive(Debug, Clone, PartialEq)]
struct Session {
    token: String,
    user: String,
    #[resource(ttl)]
    expires_at: Option<SystemTime>,
}

#[tokio::test]
async fn ttl_is_epoch_seconds_and_enabled_on_create() {
    let fx = Fixture::<Session>::new("ttl").await;
    let described = fx
        .table
        .client()
        .describe_time_to_live()
        .table_name(fx.table.name())
        .send()
        .await
        .unwrap()
        .time_to_live_description
        .unwrap();
    assert_eq!(described.attribute_name(), Some("expires_at"));
    assert!(matches!(
        described.time_to_live_status(),
        Some(TimeToLiveStatus::Enabled | TimeToLiveStatus::Enabling)
    ));

    let expires = UNIX_EPOCH + Duration::from_secs(1_900_000_000);
    let session = Session {
        token: "t".into(),
        user: "u".into(),
        expires_at: Some(expires),
    };
    fx.table.put(&session).await.unwrap();
    let raw = fx
        .table
        .client()
        .get_item()
        .table_name(fx.table.name())
        .key("token", AttributeValue::S("t".into()))
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    assert_eq!(raw["expires_at"], AttributeValue::N("1900000000".into()));
    assert_eq!(fx.table.get("t").await.unwrap(), Some(session));

    // Sub-second precision is dropped: TTL has a resolution of one second.
    let precise = Session {
        token: "p".into(),
        user: "u".into(),
        expires_at: Some(expires + Duration::from_millis(900)),
    };
    fx.table.put(&precise).await.unwrap();
    let read = fx.table.get("p").await.unwrap().unwrap();
    assert_eq!(read.expires_at, Some(expires));

    // No expiry: the attribute is omitted.
    let forever = Session {
        token: "f".into(),
        user: "u".into(),
        expires_at: None,
    };
    fx.table.put(&forever).await.unwrap();
    assert_eq!(fx.table.get("f").await.unwrap(), Some(forever));
    fx.cleanup().await;
}
