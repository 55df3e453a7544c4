//! Automatic timestamps (`created_at`, `updated_at`) against a live endpoint.

use std::time::{Duration, SystemTime};

use crate::common::Fixture;
use resourceful::aws_sdk_dynamodb::types::AttributeValue;
use resourceful::prelude::*;
use resourceful::Transaction;

#[resource(
    service = "dynamodb",
    table = "tasks",
    key = "project",
    sort_key = "id"
)]
#[derive(Debug, Clone, PartialEq)]
struct Task {
    project: String,
    id: u32,
    title: String,
    note: Option<String>,
    #[resource(version)]
    version: u64,
    #[resource(created_at)]
    created: Option<SystemTime>,
    #[resource(updated_at, rename = "updatedAt")]
    updated: Option<SystemTime>,
}

fn task(id: u32, title: &str) -> Task {
    Task {
        project: "p".into(),
        id,
        title: title.into(),
        note: None,
        version: 0,
        created: None,
        updated: None,
    }
}

/// A resource with `updated_at` only: its puts stay whole-item puts.
#[resource(service = "dynamodb", table = "notes", key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Note {
    id: String,
    text: String,
    #[resource(updated_at)]
    at: SystemTime,
}

/// The time now, and a moment later so that the next write's time differs.
async fn tick() -> SystemTime {
    let now = SystemTime::now();
    tokio::time::sleep(Duration::from_millis(15)).await;
    now
}

fn between(time: Option<SystemTime>, from: SystemTime, to: SystemTime) -> bool {
    time.is_some_and(|t| from <= t && t <= to)
}

#[tokio::test]
async fn put_sets_both_once_and_keeps_the_creation_time() {
    let fx = Fixture::<Task>::new("ts-put").await;
    let tasks = &fx.table;
    let before = tick().await;
    tasks.put(&task(1, "write")).await.unwrap();
    let after = tick().await;
    let first = tasks.get(("p", 1u32)).await.unwrap().unwrap();
    assert!(between(first.created, before, after), "{first:?}");
    assert!(between(first.updated, before, after), "{first:?}");
    assert_eq!(first.version, 1);

    // A put of the item as read: the creation time stays, even though the
    // struct's value is ignored, and the update time moves on.
    let mut second = first.clone();
    second.title = "rewrite".into();
    second.created = Some(SystemTime::UNIX_EPOCH);
    tasks.put(&second).await.unwrap();
    let end = tick().await;
    let stored = tasks.get(("p", 1u32)).await.unwrap().unwrap();
    assert_eq!(stored.created, first.created);
    assert!(between(stored.updated, after, end), "{stored:?}");
    assert_eq!(stored.title, "rewrite");
    assert_eq!(stored.version, 2);

    // The version check still holds: `first` is stale now.
    let err = tasks.put(&first).await.unwrap_err();
    assert!(err.is_condition_failed(), "{err:?}");
    fx.cleanup().await;
}

#[tokio::test]
async fn put_removes_the_attributes_the_item_leaves_out() {
    let fx = Fixture::<Task>::new("ts-remove").await;
    let tasks = &fx.table;
    let mut noted = task(2, "note");
    noted.note = Some("remember".into());
    tasks.put(&noted).await.unwrap();
    let mut stored = tasks.get(("p", 2u32)).await.unwrap().unwrap();
    assert_eq!(stored.note.as_deref(), Some("remember"));

    // Another writer adds an attribute the struct does not know.
    tasks
        .client()
        .update_item()
        .table_name(tasks.name())
        .key("project", AttributeValue::S("p".into()))
        .key("id", AttributeValue::N("2".into()))
        .update_expression("SET extra = :x")
        .expression_attribute_values(":x", AttributeValue::S("kept".into()))
        .send()
        .await
        .unwrap();

    stored.note = None;
    tasks.put(&stored).await.unwrap();
    let raw = tasks
        .client()
        .get_item()
        .table_name(tasks.name())
        .key("project", AttributeValue::S("p".into()))
        .key("id", AttributeValue::N("2".into()))
        .consistent_read(true)
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    assert!(!raw.contains_key("note"), "{raw:?}");
    // Sent as an update, the put keeps what lies outside the struct.
    assert_eq!(raw.get("extra"), Some(&AttributeValue::S("kept".into())));
    assert!(raw.contains_key("updatedAt"), "{raw:?}");
    fx.cleanup().await;
}

#[tokio::test]
async fn update_and_upsert_stamp_the_item() {
    let fx = Fixture::<Task>::new("ts-update").await;
    let tasks = &fx.table;
    let before = tick().await;
    tasks
        .upsert(("p", 3u32))
        .set(Task::TITLE, "made by upsert")
        .await
        .unwrap();
    let after = tick().await;
    let created = tasks.get(("p", 3u32)).await.unwrap().unwrap();
    assert!(between(created.created, before, after), "{created:?}");
    assert!(between(created.updated, before, after), "{created:?}");

    let updated = tasks
        .update(("p", 3u32))
        .set(Task::TITLE, "changed")
        .await
        .unwrap();
    let end = tick().await;
    assert_eq!(updated.created, created.created);
    assert!(between(updated.updated, after, end), "{updated:?}");

    // An update that sets the time itself keeps its own value.
    let chosen = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let pinned = tasks
        .update(("p", 3u32))
        .set(Task::UPDATED, Some(chosen))
        .await
        .unwrap();
    assert_eq!(pinned.updated, Some(chosen));
    fx.cleanup().await;
}

#[tokio::test]
async fn transactions_if_absent_and_moves_keep_the_rules() {
    let fx = Fixture::<Task>::new("ts-tx").await;
    let tasks = &fx.table;
    let before = tick().await;
    Transaction::new(tasks.client())
        .put(tasks.put(&task(4, "in a transaction")))
        .commit()
        .await
        .unwrap();
    let stored = tasks.get(("p", 4u32)).await.unwrap().unwrap();
    assert!(
        between(stored.created, before, SystemTime::now()),
        "{stored:?}"
    );

    let err = tasks.put(&task(4, "again")).if_absent().await.unwrap_err();
    assert!(err.is_condition_failed(), "{err:?}");

    // A moved item keeps the time it was created.
    tick().await;
    let mut moved = stored.clone();
    moved.id = 5;
    tasks.move_to(&stored, &moved).await.unwrap();
    let at_new_key = tasks.get(("p", 5u32)).await.unwrap().unwrap();
    assert_eq!(at_new_key.created, stored.created);
    assert!(at_new_key.updated > stored.updated, "{at_new_key:?}");
    assert_eq!(tasks.get(("p", 4u32)).await.unwrap(), None);
    fx.cleanup().await;
}

#[tokio::test]
async fn updated_at_alone_keeps_whole_item_puts() {
    let fx = Fixture::<Note>::new("ts-note").await;
    let notes = &fx.table;
    let before = tick().await;
    let note = Note {
        id: "n1".into(),
        text: "hello".into(),
        at: SystemTime::UNIX_EPOCH,
    };
    notes.put(&note).await.unwrap();
    let stored = notes.get("n1").await.unwrap().unwrap();
    assert!(
        between(Some(stored.at), before, SystemTime::now()),
        "{stored:?}"
    );
    // `return_old` shows the put replaced the item.
    let old = notes.put(&note).return_old().await.unwrap().unwrap();
    assert_eq!(old, stored);
    fx.cleanup().await;
}

#[tokio::test]
async fn batch_puts_stamp_both_times() {
    let fx = Fixture::<Task>::new("ts-batch").await;
    let before = tick().await;
    let mut writer = fx.table.batch_writer().skip_version_check();
    for id in 0..30 {
        writer.put(task(id, "loaded")).await.unwrap();
    }
    writer.finish().await.unwrap();
    let after = tick().await;
    let loaded = fx.table.query("p").all().await.unwrap();
    assert_eq!(loaded.len(), 30);
    for task in loaded {
        assert!(between(task.created, before, after), "{task:?}");
        assert!(between(task.updated, before, after), "{task:?}");
        assert_eq!(task.version, 1);
    }
    fx.cleanup().await;

    let fx = Fixture::<Note>::new("ts-batch-note").await;
    let mut writer = fx.table.batch_writer();
    let note = Note {
        id: "n2".into(),
        text: "loaded".into(),
        at: SystemTime::UNIX_EPOCH,
    };
    writer.put(note).await.unwrap();
    writer.finish().await.unwrap();
    let stored = fx.table.get("n2").await.unwrap().unwrap();
    assert!(
        between(Some(stored.at), after, SystemTime::now()),
        "{stored:?}"
    );
    fx.cleanup().await;
}
