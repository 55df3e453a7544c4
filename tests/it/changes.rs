//! Change streams: keys read back from key images, typed changes from
//! Lambda events (feature `lambda`) and from the table's stream (feature
//! `streams`), on the embedded server and on DynamoDB Local.

use aws_sdk_dynamodb::types::AttributeValue;
use resourceful::prelude::*;
use resourceful::{Item, ResourceKey};

/// A resource whose stream has both images, with a time to live.
#[resource(
    service = "dynamodb",
    table = "notes",
    key = "id",
    stream = "new_and_old_images"
)]
#[derive(Debug, Clone, PartialEq)]
struct Note {
    id: String,
    text: String,
    #[resource(ttl)]
    expires: Option<i64>,
}

/// Templated keys, with a zero-padded number, on a `keys_only` stream.
#[resource(
    service = "dynamodb",
    table = "orders",
    key(attr = "pk", template = "CUSTOMER#{customer}"),
    sort_key(attr = "sk", template = "ORDER#{number:08}#{day}"),
    stream = "keys_only"
)]
#[derive(Debug, Clone, PartialEq)]
struct Order {
    customer: String,
    number: u32,
    day: String,
    total: u64,
}

/// A plain composite key on a `new_image` stream.
#[resource(
    service = "dynamodb",
    table = "readings",
    key = "sensor",
    sort_key = "at",
    stream = "new_image"
)]
#[derive(Debug, Clone, PartialEq)]
struct Reading {
    sensor: String,
    at: i64,
    value: f64,
}

fn item(pairs: &[(&str, AttributeValue)]) -> Item {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect()
}

fn s(text: &str) -> AttributeValue {
    AttributeValue::S(text.into())
}

fn n(text: &str) -> AttributeValue {
    AttributeValue::N(text.into())
}

#[test]
fn the_stream_view_of_a_definition() {
    use resourceful::table::StreamView;
    assert_eq!(Note::STREAM, Some(StreamView::NewAndOldImages));
    assert_eq!(Order::STREAM, Some(StreamView::KeysOnly));
    assert_eq!(Reading::STREAM, Some(StreamView::NewImage));
}

#[test]
fn keys_from_key_images() {
    // A plain key.
    let key = NoteKey::from_key_item(item(&[("id", s("n1"))])).unwrap();
    assert_eq!(key, NoteKey::from("n1"));
    // A composite key, a number among them.
    let key = ReadingKey::from_key_item(item(&[("sensor", s("t1")), ("at", n("-42"))])).unwrap();
    assert_eq!(key, ReadingKey::from(("t1", -42)));
    // Templates parsed back into their fields, the padded number as a number.
    let order = Order {
        customer: "c#1".into(),
        number: 42,
        day: "2024-05-01".into(),
        total: 10,
    };
    let keys = order.key().to_key_item();
    assert_eq!(keys["sk"], s("ORDER#00000042#2024-05-01"));
    assert_eq!(OrderKey::from_key_item(keys).unwrap(), order.key());
    // Wider than the padding: written whole, read whole.
    let wide = OrderKey {
        customer: "c".into(),
        number: 123_456_789,
        day: "d".into(),
    };
    assert_eq!(OrderKey::from_key_item(wide.to_key_item()).unwrap(), wide);
}

#[test]
fn a_key_image_that_does_not_match_its_template_names_the_attribute() {
    let bad = [
        item(&[("pk", s("USER#c1")), ("sk", s("ORDER#00000001#d"))]),
        item(&[("pk", s("CUSTOMER#c1")), ("sk", s("ORDER#x1#d"))]),
        item(&[("pk", s("CUSTOMER#c1")), ("sk", n("1"))]),
        item(&[("pk", s("CUSTOMER#c1"))]),
    ];
    let attributes = ["pk", "sk", "sk", "sk"];
    for (keys, attribute) in bad.into_iter().zip(attributes) {
        let error = OrderKey::from_key_item(keys.clone()).unwrap_err();
        assert_eq!(error.path_string(), attribute, "{keys:?}: {error}");
    }
    let error = NoteKey::from_key_item(item(&[("id", n("1"))])).unwrap_err();
    assert_eq!(error.path_string(), "id");
}

#[cfg(feature = "lambda")]
mod lambda {
    use std::collections::{BTreeMap, BTreeSet};

    use aws_lambda_events::event::dynamodb::Event;
    use resourceful::changes::{Change, ChangeKind};
    use resourceful::Number;

    use super::*;

    #[derive(Debug, Clone, PartialEq, resourceful::Attribute)]
    struct Address {
        city: String,
        geo: BTreeMap<String, Number>,
    }

    #[resource(
        service = "dynamodb",
        table = "accounts",
        key = "id",
        stream = "new_and_old_images"
    )]
    #[derive(Debug, Clone, PartialEq)]
    struct Account {
        id: String,
        balance: Number,
        tags: BTreeSet<String>,
        scores: BTreeSet<i64>,
        keys: BTreeSet<Vec<u8>>,
        avatar: Vec<u8>,
        address: Address,
        history: Vec<Option<String>>,
    }

    /// Three records as Lambda delivers them: an insert with every kind of
    /// value, a modify, and a removal by time to live.
    const EVENT: &str = r#"{
      "Records": [
        {
          "eventID": "c4ca4238a0b923820dcc509a6f75849b",
          "eventName": "INSERT",
          "eventVersion": "1.1",
          "eventSource": "aws:dynamodb",
          "awsRegion": "eu-west-1",
          "dynamodb": {
            "ApproximateCreationDateTime": 1714564800,
            "Keys": { "id": { "S": "a1" } },
            "NewImage": {
              "id": { "S": "a1" },
              "balance": { "N": "12345678901234567890.123456789012345678" },
              "tags": { "SS": ["gold", "new"] },
              "scores": { "NS": ["-7", "12"] },
              "keys": { "BS": ["AAE=", "/w=="] },
              "avatar": { "B": "aGVsbG8=" },
              "address": { "M": {
                "city": { "S": "Lyon" },
                "geo": { "M": { "lat": { "N": "45.764043" }, "lon": { "N": "4.835659" } } }
              } },
              "history": { "L": [ { "S": "opened" }, { "NULL": true } ] }
            },
            "SequenceNumber": "111",
            "SizeBytes": 200,
            "StreamViewType": "NEW_AND_OLD_IMAGES"
          },
          "eventSourceARN": "arn:aws:dynamodb:eu-west-1:123456789012:table/accounts/stream/2024-05-01T00:00:00.000"
        },
        {
          "eventID": "c81e728d9d4c2f636f067f89cc14862c",
          "eventName": "MODIFY",
          "eventVersion": "1.1",
          "eventSource": "aws:dynamodb",
          "awsRegion": "eu-west-1",
          "dynamodb": {
            "ApproximateCreationDateTime": 1714564801,
            "Keys": { "id": { "S": "a1" } },
            "OldImage": {
              "id": { "S": "a1" }, "balance": { "N": "1" }, "tags": { "SS": ["new"] },
              "scores": { "NS": ["1"] }, "keys": { "BS": ["AA=="] }, "avatar": { "B": "" },
              "address": { "M": { "city": { "S": "Paris" }, "geo": { "M": {} } } },
              "history": { "L": [] }
            },
            "NewImage": {
              "id": { "S": "a1" }, "balance": { "N": "99999999999999999999999999999999999999" },
              "tags": { "SS": ["new"] }, "scores": { "NS": ["1"] }, "keys": { "BS": ["AA=="] },
              "avatar": { "B": "" },
              "address": { "M": { "city": { "S": "Paris" }, "geo": { "M": {} } } },
              "history": { "L": [] }
            },
            "SequenceNumber": "222",
            "SizeBytes": 300,
            "StreamViewType": "NEW_AND_OLD_IMAGES"
          },
          "eventSourceARN": "arn:aws:dynamodb:eu-west-1:123456789012:table/accounts/stream/2024-05-01T00:00:00.000"
        },
        {
          "eventID": "eccbc87e4b5ce2fe28308fd9f2a7baf3",
          "eventName": "REMOVE",
          "eventVersion": "1.1",
          "eventSource": "aws:dynamodb",
          "awsRegion": "eu-west-1",
          "userIdentity": { "type": "Service", "principalId": "dynamodb.amazonaws.com" },
          "dynamodb": {
            "ApproximateCreationDateTime": 1714564802,
            "Keys": { "id": { "S": "a2" } },
            "SequenceNumber": "333",
            "SizeBytes": 20,
            "StreamViewType": "NEW_AND_OLD_IMAGES"
          },
          "eventSourceARN": "arn:aws:dynamodb:eu-west-1:123456789012:table/accounts/stream/2024-05-01T00:00:00.000"
        }
      ]
    }"#;

    fn event() -> Event {
        serde_json::from_str(EVENT).expect("a DynamoDB event")
    }

    #[test]
    fn lambda_records_decode_into_typed_changes() {
        let event = event();
        let changes: Vec<Change<Account>> = resourceful::changes::changes_of(&event)
            .map(|(_, change)| change.expect("decodes"))
            .collect();
        assert_eq!(changes.len(), 3);

        let Change::Insert { new, record } = &changes[0] else {
            panic!("an insert: {:?}", changes[0]);
        };
        assert_eq!(
            new.balance.as_str(),
            "12345678901234567890.123456789012345678"
        );
        assert_eq!(new.tags, BTreeSet::from(["gold".into(), "new".into()]));
        assert_eq!(new.scores, BTreeSet::from([-7, 12]));
        assert_eq!(new.keys, BTreeSet::from([vec![0, 1], vec![255]]));
        assert_eq!(new.avatar, b"hello");
        assert_eq!(new.address.city, "Lyon");
        assert_eq!(new.address.geo["lat"].as_str(), "45.764043");
        assert_eq!(new.history, vec![Some("opened".into()), None]);
        assert_eq!(record.sequence_number(), "111");
        assert_eq!(record.event_id(), Some("c4ca4238a0b923820dcc509a6f75849b"));
        assert_eq!(
            record.approximate_creation_time(),
            Some(std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_714_564_800))
        );
        assert!(!record.is_ttl());

        let Change::Modify { old, new, .. } = &changes[1] else {
            panic!("a modify: {:?}", changes[1]);
        };
        assert_eq!(old.as_ref().unwrap().balance.as_str(), "1");
        assert_eq!(
            new.balance.as_str(),
            "99999999999999999999999999999999999999"
        );
        assert_eq!(new.avatar, b"");

        let Change::Remove { key, old, .. } = &changes[2] else {
            panic!("a remove: {:?}", changes[2]);
        };
        assert_eq!(*key, AccountKey::from("a2"));
        assert_eq!(*old, None);
        assert!(changes[2].is_ttl());
        assert_eq!(changes[2].kind(), ChangeKind::Remove);
    }

    #[test]
    fn a_record_that_does_not_decode_names_its_sequence_number_and_attribute() {
        let broken = EVENT.replacen(r#""city": { "S": "Lyon" }"#, r#""city": { "N": "1" }"#, 1);
        let event: Event = serde_json::from_str(&broken).unwrap();
        let results: Vec<_> = resourceful::changes::changes_of::<Account>(&event).collect();
        let error = results[0].1.as_ref().unwrap_err();
        assert_eq!(error.sequence_number(), Some("111"));
        assert!(error.is_decode());
        assert_eq!(error.as_decode().unwrap().path_string(), "address.city");
        assert!(error.to_string().contains("111"), "{error}");
        // The others still decode.
        assert!(results[1].1.is_ok() && results[2].1.is_ok());
    }

    #[test]
    fn the_batch_response_names_the_failed_records() {
        let event = event();
        let failed: Vec<_> = resourceful::changes::changes_of::<Account>(&event)
            .filter(|(_, change)| {
                change
                    .as_ref()
                    .is_ok_and(|c| c.kind() != ChangeKind::Insert)
            })
            .map(|(record, _)| record)
            .collect();
        let response = resourceful::changes::batch_response(failed);
        let identifiers: Vec<_> = response
            .batch_item_failures
            .iter()
            .map(|f| f.item_identifier.as_deref())
            .collect();
        assert_eq!(identifiers, [Some("222"), Some("333")]);
        assert_eq!(
            serde_json::to_value(&response).unwrap(),
            serde_json::json!({
                "batchItemFailures": [{ "itemIdentifier": "222" }, { "itemIdentifier": "333" }]
            })
        );
        let none = resourceful::changes::batch_response([]);
        assert!(none.batch_item_failures.is_empty());
    }

    #[test]
    fn keys_only_records_decode_to_the_key() {
        let json = r#"{ "Records": [
          { "eventID": "1", "eventName": "INSERT", "awsRegion": "eu-west-1",
            "dynamodb": { "Keys": { "pk": { "S": "CUSTOMER#c1" }, "sk": { "S": "ORDER#00000007#mon" } },
                          "SequenceNumber": "5", "SizeBytes": 10, "StreamViewType": "KEYS_ONLY" } } ] }"#;
        let event: Event = serde_json::from_str(json).unwrap();
        let change = Change::<Order>::from_lambda(&event.records[0]).unwrap();
        let Change::Written { kind, key, old, .. } = change else {
            panic!("a write without images: {change:?}");
        };
        assert_eq!(kind, ChangeKind::Insert);
        assert_eq!(old, None);
        assert_eq!(key, OrderKey::from(("c1", 7_u32, "mon")));
    }
}

#[cfg(feature = "streams")]
mod streams {
    use std::collections::HashMap;
    use std::time::Duration;

    use futures_util::StreamExt;
    use resourceful::changes::{Change, ChangeKind, ChangeStream, Checkpoint, Start};
    use resourceful::local::Backend;

    use super::*;
    use crate::common::unique_table_name;

    fn note(id: &str, text: &str) -> Note {
        Note {
            id: id.into(),
            text: text.into(),
            expires: None,
        }
    }

    /// How long a test waits for changes before it fails, rather than
    /// hanging: far more than any backend takes.
    const PATIENCE: Duration = Duration::from_secs(120);

    async fn table<T: Resource>(backend: &Backend, prefix: &str) -> Table<T> {
        let table = Table::named(&backend.client(), unique_table_name(prefix));
        table.create().await.expect("create");
        table
    }

    /// The next `count` items of `stream`.
    async fn take<T: resourceful::changes::ChangeItem>(
        stream: &mut ChangeStream<T>,
        count: usize,
    ) -> Vec<Result<Change<T>>> {
        let mut out = Vec::with_capacity(count);
        tokio::time::timeout(PATIENCE, async {
            while out.len() < count {
                out.push(stream.next().await.expect("the stream goes on"));
            }
        })
        .await
        .unwrap_or_else(|_| panic!("only {} of {count} changes came", out.len()));
        out
    }

    fn ok<T: resourceful::changes::ChangeItem>(results: Vec<Result<Change<T>>>) -> Vec<Change<T>> {
        results
            .into_iter()
            .map(|r| r.expect("the change decodes"))
            .collect()
    }

    #[tokio::test]
    async fn create_enables_the_stream_and_verify_checks_it() {
        let backend = Backend::from_env().await.unwrap();
        let notes = table::<Note>(&backend, "changes-verify").await;
        let report = notes.verify().await.unwrap();
        assert_eq!(report.found("stream"), Some("NEW_AND_OLD_IMAGES"));

        let plain = Table::<Note>::named(&backend.client(), unique_table_name("changes-nostream"));
        plain.create().stream(None).await.unwrap();
        let error = plain.verify().await.unwrap_err();
        assert!(error.is_schema_mismatch(), "{error}");
        assert_eq!(
            error.differences(),
            ["stream: the definition has NEW_AND_OLD_IMAGES, the table has disabled"]
        );

        // Reading the changes of a table without a stream says so, and ends.
        let mut changes = plain.changes().stream();
        let error = changes.next().await.unwrap().unwrap_err();
        assert!(error.is_validation(), "{error}");
        assert!(error.to_string().contains("no stream"), "{error}");
        assert!(changes.next().await.is_none());
        notes.delete_table().await.unwrap();
        plain.delete_table().await.unwrap();
    }

    #[tokio::test]
    async fn writes_become_typed_changes_in_order() {
        let backend = Backend::from_env().await.unwrap();
        let notes = table::<Note>(&backend, "changes-order").await;
        let mut stream = notes.changes().from(Start::TrimHorizon).stream();

        notes.put(&note("n1", "first")).await.unwrap();
        notes
            .update("n1")
            .set(Note::TEXT, "second".to_owned())
            .await
            .unwrap();
        notes.put(&note("n2", "other")).await.unwrap();
        notes.delete("n1").await.unwrap();
        let changes = ok(take(&mut stream, 4).await);

        assert_eq!(
            changes[0],
            Change::Insert {
                new: note("n1", "first"),
                record: changes[0].record().clone()
            }
        );
        let Change::Modify { old, new, .. } = &changes[1] else {
            panic!("a modify: {:?}", changes[1]);
        };
        assert_eq!(old.as_ref(), Some(&note("n1", "first")));
        assert_eq!(new, &note("n1", "second"));
        assert_eq!(changes[2].new_image(), Some(&note("n2", "other")));
        let Change::Remove { key, old, .. } = &changes[3] else {
            panic!("a remove: {:?}", changes[3]);
        };
        assert_eq!(key, &NoteKey::from("n1"));
        assert_eq!(old.as_ref(), Some(&note("n1", "second")));
        assert!(!changes[3].is_ttl());
        for change in &changes {
            assert!(change.approximate_creation_time().is_some());
        }
        let numbers: Vec<u128> = changes
            .iter()
            .map(|c| c.sequence_number().parse().unwrap())
            .collect();
        assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{numbers:?}");

        // A removal by time to live: DynamoDB Local has no time to live, so
        // only the embedded server, which expires items on demand, shows it.
        if let Some(embedded) = backend.embedded() {
            let mut expiring = note("n3", "brief");
            expiring.expires = Some(1);
            notes.put(&expiring).await.unwrap();
            assert_eq!(embedded.expire_items().await.unwrap(), 1);
            let changes = ok(take(&mut stream, 2).await);
            assert_eq!(changes[0].kind(), ChangeKind::Insert);
            let Change::Remove { key, old, .. } = &changes[1] else {
                panic!("a remove: {:?}", changes[1]);
            };
            assert_eq!(key, &NoteKey::from("n3"));
            assert_eq!(old.as_ref(), Some(&expiring));
            // dynoxide 3 marks the record with a `userIdentity`, but spelt as
            // Lambda spells it (`type`, `principalId`), not as the Streams
            // API does (`Type`, `PrincipalId`): the SDK reads it without its
            // members, so `is_ttl` cannot be true here. The Lambda test
            // covers the flag on a record as DynamoDB writes it.
            assert!(changes[1].record().user_identity().is_some());
        }
        notes.delete_table().await.unwrap();
    }

    /// What a change says happened to which item.
    fn summary(change: &Change<Note>) -> (String, ChangeKind) {
        let id = match change {
            Change::Insert { new, .. } | Change::Modify { new, .. } => new.id.clone(),
            Change::Remove { key, .. } | Change::Written { key, .. } => key.id.clone(),
        };
        (id, change.kind())
    }

    #[tokio::test]
    async fn a_consumer_resumed_from_its_checkpoint_sees_every_change_once() {
        let backend = Backend::from_env().await.unwrap();
        let notes = table::<Note>(&backend, "changes-resume").await;
        let mut expected: Vec<(String, ChangeKind)> = Vec::new();

        let mut writer = notes.batch_writer();
        for i in 0..600 {
            let id = format!("n{i:04}");
            writer.put(note(&id, "v1")).await.unwrap();
            expected.push((id, ChangeKind::Insert));
        }
        assert!(writer.finish().await.is_ok());

        // The first consumer stops after 400 changes, fewer than one
        // `GetRecords` hands out: its checkpoint must not count the rest.
        let mut first = notes.changes().stream();
        let seen_first: Vec<_> = ok(take(&mut first, 400).await);
        let saved = serde_json::to_string(&first.checkpoint()).unwrap();
        drop(first);

        for i in 0..300 {
            let id = format!("n{i:04}");
            notes
                .update(id.as_str())
                .set(Note::TEXT, "v2".to_owned())
                .await
                .unwrap();
            expected.push((id, ChangeKind::Modify));
        }
        let mut writer = notes.batch_writer();
        for i in 300..450 {
            let id = format!("n{i:04}");
            writer.delete(id.as_str()).await.unwrap();
            expected.push((id, ChangeKind::Remove));
        }
        assert!(writer.finish().await.is_ok());
        notes.put(&note("end", "sentinel")).await.unwrap();
        expected.push(("end".to_owned(), ChangeKind::Insert));
        assert_eq!(expected.len(), 1_051);

        let checkpoint: Checkpoint = serde_json::from_str(&saved).unwrap();
        assert!(!checkpoint.is_empty());
        let mut second = notes.changes().from(checkpoint).stream();
        let seen_second = ok(take(&mut second, expected.len() - 400).await);
        assert_eq!(
            summary(seen_second.last().unwrap()),
            ("end".to_owned(), ChangeKind::Insert),
            "the last change is the last write"
        );

        let seen: Vec<(String, ChangeKind)> =
            seen_first.iter().chain(&seen_second).map(summary).collect();
        assert_eq!(seen.len(), expected.len());
        // Every item's changes, in the order they were made: none lost,
        // none twice.
        let by_item = |changes: &[(String, ChangeKind)]| {
            let mut out: HashMap<String, Vec<ChangeKind>> = HashMap::new();
            for (id, kind) in changes {
                out.entry(id.clone()).or_default().push(*kind);
            }
            out
        };
        assert_eq!(by_item(&seen), by_item(&expected));
        notes.delete_table().await.unwrap();
    }

    #[tokio::test]
    async fn keys_only_and_new_image_streams_decode_what_they_carry() {
        let backend = Backend::from_env().await.unwrap();
        let orders = table::<Order>(&backend, "changes-keys").await;
        let order = Order {
            customer: "c1".into(),
            number: 7,
            day: "mon".into(),
            total: 10,
        };
        let mut stream = orders.changes().stream();
        orders.put(&order).await.unwrap();
        orders
            .update(order.key())
            .set(Order::TOTAL, 11)
            .await
            .unwrap();
        orders.delete(order.key()).await.unwrap();
        let changes = ok(take(&mut stream, 3).await);
        let expected = [ChangeKind::Insert, ChangeKind::Modify];
        for (change, kind) in changes.iter().zip(expected) {
            let Change::Written {
                kind: found,
                key,
                old,
                ..
            } = change
            else {
                panic!("a write without images: {change:?}");
            };
            assert_eq!((*found, key, old), (kind, &order.key(), &None));
        }
        let Change::Remove { key, old, .. } = &changes[2] else {
            panic!("a remove: {:?}", changes[2]);
        };
        assert_eq!((key, old), (&order.key(), &None));
        orders.delete_table().await.unwrap();

        let readings = table::<Reading>(&backend, "changes-new").await;
        let reading = Reading {
            sensor: "t1".into(),
            at: 5,
            value: 1.5,
        };
        let mut stream = readings.changes().stream();
        readings.put(&reading).await.unwrap();
        readings
            .put(&Reading {
                value: 2.5,
                ..reading.clone()
            })
            .await
            .unwrap();
        readings.delete(("t1", 5)).await.unwrap();
        let changes = ok(take(&mut stream, 3).await);
        assert_eq!(changes[0].new_image(), Some(&reading));
        let Change::Modify { old, new, .. } = &changes[1] else {
            panic!("a modify: {:?}", changes[1]);
        };
        assert_eq!((old, new.value), (&None, 2.5));
        let Change::Remove { key, old, .. } = &changes[2] else {
            panic!("a remove: {:?}", changes[2]);
        };
        assert_eq!((key, old), (&ReadingKey::from(("t1", 5)), &None));
        readings.delete_table().await.unwrap();
    }

    #[tokio::test]
    async fn a_record_that_does_not_decode_is_an_error_and_the_stream_goes_on() {
        let backend = Backend::from_env().await.unwrap();
        let notes = table::<Note>(&backend, "changes-bad").await;
        let mut stream = notes.changes().stream();
        // Written around the library: `text` is a number.
        notes
            .client()
            .put_item()
            .table_name(notes.name())
            .item("id", s("bad"))
            .item("text", n("1"))
            .send()
            .await
            .unwrap();
        notes.put(&note("good", "fine")).await.unwrap();
        let mut results = take(&mut stream, 2).await;
        let good = results.pop().unwrap().unwrap();
        let error = results.pop().unwrap().unwrap_err();
        assert!(error.is_decode(), "{error}");
        let sequence_number = error
            .sequence_number()
            .expect("the record's sequence number");
        assert!(error.to_string().contains(sequence_number), "{error}");
        assert!(error.to_string().contains("new image"), "{error}");
        assert_eq!(error.as_decode().unwrap().path_string(), "text");
        assert_eq!(good.new_image(), Some(&note("good", "fine")));
        // The checkpoint is past both.
        let checkpoint = stream.checkpoint();
        let positions: Vec<&str> = checkpoint.sequence_numbers().map(|(_, seq)| seq).collect();
        assert!(
            positions.contains(&good.sequence_number()),
            "{checkpoint:?}"
        );
        notes.delete_table().await.unwrap();
    }

    #[resource(
        service = "dynamodb",
        table = "teams",
        entity = "Team",
        key(attr = "pk", template = "TEAM#{id}"),
        sort_key(attr = "sk", template = "TEAM"),
        stream = "new_and_old_images"
    )]
    #[derive(Debug, Clone, PartialEq)]
    struct Team {
        id: String,
        name: String,
    }

    #[resource(
        service = "dynamodb",
        table = "teams",
        entity = "Member",
        key(attr = "pk", template = "TEAM#{team}"),
        sort_key(attr = "sk", template = "MEMBER#{user}")
    )]
    #[derive(Debug, Clone, PartialEq)]
    struct Member {
        team: String,
        user: String,
    }

    #[derive(Debug, Clone, PartialEq, resourceful::Collection)]
    enum TeamItems {
        Team(Team),
        Member(Member),
    }

    #[tokio::test]
    async fn a_collections_changes_are_its_variants() {
        let backend = Backend::from_env().await.unwrap();
        let name = unique_table_name("changes-collection");
        let teams = Table::<Team>::named(&backend.client(), name.clone());
        TeamItems::create_in(&teams).await.unwrap();
        let members = Table::<Member>::named(&backend.client(), name);
        let mut stream = teams.changes().of::<TeamItems>().stream();

        let team = Team {
            id: "t1".into(),
            name: "Core".into(),
        };
        let member = Member {
            team: "t1".into(),
            user: "u1".into(),
        };
        teams.put(&team).await.unwrap();
        members.put(&member).await.unwrap();
        members.delete(member.key()).await.unwrap();
        let changes = ok(take(&mut stream, 3).await);
        assert_eq!(changes[0].new_image(), Some(&TeamItems::Team(team)));
        assert_eq!(
            changes[1].new_image(),
            Some(&TeamItems::Member(member.clone()))
        );
        let Change::Remove { key, old, .. } = &changes[2] else {
            panic!("a remove: {:?}", changes[2]);
        };
        assert_eq!(old.as_ref(), Some(&TeamItems::Member(member)));
        assert_eq!(key, &item(&[("pk", s("TEAM#t1")), ("sk", s("MEMBER#u1"))]));
        teams.delete_table().await.unwrap();
    }
}
