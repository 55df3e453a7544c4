//! The date and time types of the `chrono`, `time` and `jiff` features
//! through a live table: round trips nested three levels deep, a sort key on
//! a timestamp queried in time order, `ttl`, `created_at` / `updated_at`, and
//! decode errors deep inside an item.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Debug;

use crate::common::Fixture;
use proptest::collection::{btree_map, hash_map, vec};
use proptest::option::of;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use resourceful::aws_sdk_dynamodb::types::AttributeValue;
use resourceful::prelude::*;
use resourceful::Item;

/// Puts and gets back arbitrary values of `T` through a table of its own.
fn round_trips_through_the_table<T>(prefix: &str, strategy: impl Strategy<Value = T>)
where
    T: Resource + Clone + PartialEq + Debug,
{
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let fx = runtime.block_on(Fixture::<T>::new(prefix));
    let mut runner = TestRunner::new(Config {
        cases: 32,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&strategy, |sample| {
        runtime.block_on(async {
            fx.table
                .put(&sample)
                .await
                .map_err(|e| TestCaseError::fail(format!("put: {e}")))?;
            let back = fx
                .table
                .get(sample.key())
                .consistent()
                .await
                .map_err(|e| TestCaseError::fail(format!("get: {e}")))?;
            prop_assert_eq!(back, Some(sample));
            Ok(())
        })
    });
    runtime.block_on(fx.cleanup());
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Stores `value`'s item with `attribute` replaced by `replacement`, reads
/// it back, and returns the decode error.
async fn decode_error_with<T: Resource + Debug>(
    table: &Table<T>,
    value: &T,
    attribute: &str,
    replacement: AttributeValue,
) -> String {
    let mut item: Item = value.to_item();
    item.insert(attribute.to_owned(), replacement);
    table
        .client()
        .put_item()
        .table_name(table.name())
        .set_item(Some(item))
        .send()
        .await
        .unwrap();
    let err = table.get(value.key()).consistent().await.unwrap_err();
    err.as_decode().expect("a decode error").to_string()
}

/// A list of two maps, the second of which holds `when: bad`.
fn history_with(good: AttributeValue, bad: AttributeValue) -> AttributeValue {
    AttributeValue::L(vec![
        AttributeValue::M(HashMap::from([("when".to_owned(), good)])),
        AttributeValue::M(HashMap::from([("when".to_owned(), bad)])),
    ])
}

fn s(text: &str) -> AttributeValue {
    AttributeValue::S(text.to_owned())
}

/// The attribute as stored, read with the SDK.
async fn raw<T: Resource>(table: &Table<T>, value: &T, attribute: &str) -> AttributeValue {
    let item = table
        .client()
        .get_item()
        .table_name(table.name())
        .set_key(Some(resourceful::ResourceKey::to_key_item(&value.key())))
        .consistent_read(true)
        .send()
        .await
        .unwrap()
        .item
        .unwrap();
    item[attribute].clone()
}

/// A map key, as a nested attribute name.
fn key() -> impl Strategy<Value = String> {
    "[a-z]{1,6}"
}

#[cfg(feature = "chrono")]
mod with_chrono {
    use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};

    use super::*;

    #[resource(service = "dynamodb", key = "stream", sort_key = "at")]
    #[derive(Debug, Clone, PartialEq)]
    struct Reading {
        stream: String,
        at: DateTime<Utc>,
        seen: Option<DateTime<Utc>>,
    }

    #[resource(service = "dynamodb", key = "id")]
    #[derive(Debug, Clone, PartialEq)]
    struct Sample {
        id: String,
        at: DateTime<Utc>,
        local: DateTime<FixedOffset>,
        day: NaiveDate,
        maybe: Option<DateTime<Utc>>,
        history: Option<Vec<BTreeMap<String, DateTime<Utc>>>>,
        days: HashMap<String, Vec<Option<NaiveDate>>>,
        locals: Vec<Option<BTreeMap<String, DateTime<FixedOffset>>>>,
    }

    #[resource(service = "dynamodb", key = "id")]
    #[derive(Debug, Clone, PartialEq)]
    struct Session {
        id: String,
        #[resource(ttl)]
        expires: DateTime<Utc>,
        #[resource(created_at)]
        created: Option<DateTime<Utc>>,
        #[resource(updated_at)]
        updated: Option<DateTime<FixedOffset>>,
    }

    fn utc(secs: i64, nanos: u32) -> DateTime<Utc> {
        DateTime::from_timestamp(secs, nanos).unwrap()
    }

    fn instant() -> impl Strategy<Value = DateTime<Utc>> {
        let (min, max) = (
            DateTime::<Utc>::MIN_UTC.timestamp(),
            DateTime::<Utc>::MAX_UTC.timestamp(),
        );
        prop_oneof![
            (-10_000_000_000i64..10_000_000_000, 0u32..1_000_000_000),
            (min..=max, 0u32..1_000_000_000),
        ]
        .prop_map(|(secs, nanos)| utc(secs, nanos))
    }

    fn local() -> impl Strategy<Value = DateTime<FixedOffset>> {
        (instant(), -86_399i32..86_400)
            .prop_map(|(t, offset)| t.with_timezone(&FixedOffset::east_opt(offset).unwrap()))
    }

    fn sample() -> impl Strategy<Value = Sample> {
        (
            "[a-z0-9]{1,12}",
            instant(),
            local(),
            instant().prop_map(|t| t.date_naive()),
            of(instant()),
            of(vec(btree_map(key(), instant(), 0..3), 0..3)),
            hash_map(
                key(),
                vec(of(instant().prop_map(|t| t.date_naive())), 0..3),
                0..3,
            ),
            vec(of(btree_map(key(), local(), 0..3)), 0..3),
        )
            .prop_map(
                |(id, at, local, day, maybe, history, days, locals)| Sample {
                    id,
                    at,
                    local,
                    day,
                    maybe,
                    history,
                    days,
                    locals,
                },
            )
    }

    #[test]
    fn arbitrary_values_round_trip_three_levels_deep() {
        round_trips_through_the_table("dt-chrono", sample());
    }

    #[tokio::test]
    async fn a_timestamp_sort_key_queries_in_time_order() {
        let fx = Fixture::<Reading>::new("dt-chrono-sort").await;
        // Times whose text differs in every field, and in the nanoseconds
        // only, put in an order that is not time order.
        let mut times = vec![
            utc(1_714_564_800, 1),
            utc(-1, 999_999_999),
            utc(1_714_564_800, 0),
            utc(253_402_300_799, 999_999_999),
            utc(-62_135_596_800, 0),
            utc(0, 0),
            utc(1_714_564_800, 100_000_000),
            utc(1_714_564_799, 999_999_999),
            utc(951_782_400, 0),
        ];
        for at in &times {
            let reading = Reading {
                stream: "s".into(),
                at: *at,
                seen: Some(*at),
            };
            fx.table.put(&reading).await.unwrap();
        }
        times.sort();
        let at = |readings: Vec<Reading>| readings.into_iter().map(|r| r.at).collect::<Vec<_>>();
        let q = || fx.table.query("s").consistent();

        assert_eq!(at(q().all().await.unwrap()), times);
        let (low, high) = (utc(0, 0), utc(1_714_564_800, 1));
        assert_eq!(
            at(q()
                .sort(Reading::AT.between(low, high))
                .all()
                .await
                .unwrap()),
            times[2..7]
        );
        // A handle also takes a reference to its type.
        let high_ref: &DateTime<Utc> = &high;
        assert_eq!(
            at(q()
                .sort(Reading::AT.gt(high_ref))
                .reverse()
                .all()
                .await
                .unwrap()),
            [times[8], times[7]]
        );
        // A filter on an `Option<DateTime<Utc>>` takes a plain value.
        assert_eq!(
            at(q()
                .sort(Reading::AT.ge(low))
                .filter(Reading::SEEN.lt(utc(1_714_564_800, 0)))
                .all()
                .await
                .unwrap()),
            times[2..5]
        );
        let key = ("s".to_owned(), times[0]);
        assert!(fx.table.get(key).consistent().await.unwrap().is_some());
        fx.cleanup().await;
    }

    #[tokio::test]
    async fn ttl_and_automatic_timestamps() {
        let fx = Fixture::<Session>::new("dt-chrono-ttl").await;
        let session = Session {
            id: "s1".into(),
            expires: utc(1_900_000_000, 750_000_000),
            created: None,
            updated: None,
        };
        let now = || DateTime::<Utc>::from(std::time::SystemTime::now());
        let before = now();
        fx.table.put(&session).await.unwrap();
        assert_eq!(
            raw(&fx.table, &session, "expires").await,
            AttributeValue::N("1900000000".into())
        );
        let back = fx.table.get("s1").consistent().await.unwrap().unwrap();
        assert_eq!(back.expires, utc(1_900_000_000, 0));
        let created = back.created.expect("created_at is set");
        let updated = back.updated.expect("updated_at is set");
        assert!(before - chrono::Duration::seconds(5) <= created && created <= now());
        assert_eq!(updated.offset().local_minus_utc(), 0);
        let AttributeValue::S(text) = raw(&fx.table, &session, "created").await else {
            panic!("created_at is not a string")
        };
        assert!(text.ends_with('Z') && text.len() == 30, "{text}");
        fx.cleanup().await;
    }

    #[tokio::test]
    async fn a_wrong_value_deep_inside_is_reported_with_its_path() {
        let fx = Fixture::<Sample>::new("dt-chrono-errors").await;
        let sample = Sample {
            id: "bad".into(),
            at: utc(0, 0),
            local: Utc
                .with_ymd_and_hms(2024, 5, 1, 0, 0, 0)
                .unwrap()
                .fixed_offset(),
            day: NaiveDate::from_ymd_opt(2024, 5, 1).unwrap(),
            maybe: None,
            history: None,
            days: HashMap::new(),
            locals: Vec::new(),
        };
        let good = s("2024-05-01T12:00:00Z");
        assert_eq!(
            decode_error_with(
                &fx.table,
                &sample,
                "history",
                history_with(good.clone(), AttributeValue::N("1714564800".into())),
            )
            .await,
            "attribute `history[1].when`: expected S for `DateTime<Utc>`, found N"
        );
        assert_eq!(
            decode_error_with(
                &fx.table,
                &sample,
                "history",
                history_with(good, s("2024-05-01 noon")),
            )
            .await,
            "attribute `history[1].when`: cannot read `DateTime<Utc>`: expected an RFC 3339 \
             date and time with an offset, such as `2024-05-01T12:00:00.000000000Z`, found \
             \"2024-05-01 noon\" (input contains invalid characters)"
        );
        let days = AttributeValue::M(HashMap::from([(
            "leap".to_owned(),
            AttributeValue::L(vec![AttributeValue::Null(true), s("2023-02-29")]),
        )]));
        assert_eq!(
            decode_error_with(&fx.table, &sample, "days", days).await,
            "attribute `days.leap[1]`: cannot read `NaiveDate`: expected a date `YYYY-MM-DD`, \
             such as `2024-05-01`, found \"2023-02-29\" (no such date)"
        );
        fx.cleanup().await;
    }
}

#[cfg(feature = "time")]
mod with_time {
    use time::{Date, Duration, OffsetDateTime, UtcOffset};

    use super::*;

    #[resource(service = "dynamodb", key = "id")]
    #[derive(Debug, Clone, PartialEq)]
    struct Sample {
        id: String,
        at: OffsetDateTime,
        day: Date,
        maybe: Option<OffsetDateTime>,
        history: Option<Vec<BTreeMap<String, OffsetDateTime>>>,
        days: HashMap<String, Vec<Option<Date>>>,
    }

    #[resource(service = "dynamodb", key = "id")]
    #[derive(Debug, Clone, PartialEq)]
    struct Session {
        id: String,
        #[resource(ttl)]
        expires: Option<OffsetDateTime>,
        #[resource(updated_at)]
        updated: Option<OffsetDateTime>,
    }

    fn utc(secs: i64, nanos: u32) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(secs).unwrap() + Duration::nanoseconds(nanos.into())
    }

    fn instant() -> impl Strategy<Value = OffsetDateTime> {
        let min = Date::MIN.midnight().assume_utc().unix_timestamp();
        // A day short of the end, so that every offset stays in range.
        let max = Date::MAX.midnight().assume_utc().unix_timestamp() - 1;
        (
            prop_oneof![-10_000_000_000i64..10_000_000_000, min + 86_400..=max],
            0u32..1_000_000_000,
            -86_399i32..86_400,
        )
            .prop_map(|(secs, nanos, offset)| {
                utc(secs, nanos).to_offset(UtcOffset::from_whole_seconds(offset).unwrap())
            })
    }

    fn sample() -> impl Strategy<Value = Sample> {
        (
            "[a-z0-9]{1,12}",
            instant(),
            instant().prop_map(|t| t.date()),
            of(instant()),
            of(vec(btree_map(key(), instant(), 0..3), 0..3)),
            hash_map(key(), vec(of(instant().prop_map(|t| t.date())), 0..3), 0..3),
        )
            .prop_map(|(id, at, day, maybe, history, days)| Sample {
                id,
                at,
                day,
                maybe,
                history,
                days,
            })
    }

    #[test]
    fn arbitrary_values_round_trip_three_levels_deep() {
        round_trips_through_the_table("dt-time", sample());
    }

    #[tokio::test]
    async fn ttl_and_automatic_timestamps() {
        let fx = Fixture::<Session>::new("dt-time-ttl").await;
        let session = Session {
            id: "s1".into(),
            expires: Some(utc(-1, 1)),
            updated: None,
        };
        fx.table.put(&session).await.unwrap();
        assert_eq!(
            raw(&fx.table, &session, "expires").await,
            AttributeValue::N("-1".into())
        );
        let back = fx.table.get("s1").consistent().await.unwrap().unwrap();
        assert_eq!(back.expires, Some(utc(-1, 0)));
        let updated = back.updated.expect("updated_at is set");
        assert!((OffsetDateTime::now_utc() - updated).whole_seconds().abs() < 60);
        fx.cleanup().await;
    }

    #[tokio::test]
    async fn a_wrong_value_deep_inside_is_reported_with_its_path() {
        let fx = Fixture::<Sample>::new("dt-time-errors").await;
        let sample = Sample {
            id: "bad".into(),
            at: utc(0, 0),
            day: utc(0, 0).date(),
            maybe: None,
            history: None,
            days: HashMap::new(),
        };
        assert_eq!(
            decode_error_with(
                &fx.table,
                &sample,
                "history",
                history_with(s("2024-05-01T12:00:00Z"), AttributeValue::Bool(true)),
            )
            .await,
            "attribute `history[1].when`: expected S for `OffsetDateTime`, found BOOL"
        );
        fx.cleanup().await;
    }
}

#[cfg(feature = "jiff")]
mod with_jiff {
    use jiff::civil::Date;
    use jiff::tz::Offset;
    use jiff::{SignedDuration, Timestamp};

    use super::*;

    #[resource(service = "dynamodb", key = "id", sort_key = "at")]
    #[derive(Debug, Clone, PartialEq)]
    struct Sample {
        id: String,
        at: Timestamp,
        day: Date,
        maybe: Option<Timestamp>,
        history: Option<Vec<BTreeMap<String, Timestamp>>>,
        days: HashMap<String, Vec<Option<Date>>>,
    }

    #[resource(service = "dynamodb", key = "id")]
    #[derive(Debug, Clone, PartialEq)]
    struct Session {
        id: String,
        #[resource(ttl)]
        expires: Timestamp,
        #[resource(created_at)]
        created: Option<Timestamp>,
    }

    fn instant() -> impl Strategy<Value = Timestamp> {
        (
            Timestamp::MIN.as_second()..=Timestamp::MAX.as_second(),
            0i32..1_000_000_000,
        )
            .prop_filter_map("in range", |(secs, nanos)| {
                Timestamp::new(secs, 0)
                    .ok()?
                    .checked_add(SignedDuration::new(0, nanos))
                    .ok()
            })
    }

    fn date() -> impl Strategy<Value = Date> {
        instant().prop_map(|t| Offset::UTC.to_datetime(t).date())
    }

    fn sample() -> impl Strategy<Value = Sample> {
        (
            "[a-z0-9]{1,12}",
            instant(),
            date(),
            of(instant()),
            of(vec(btree_map(key(), instant(), 0..3), 0..3)),
            hash_map(key(), vec(of(date()), 0..3), 0..3),
        )
            .prop_map(|(id, at, day, maybe, history, days)| Sample {
                id,
                at,
                day,
                maybe,
                history,
                days,
            })
    }

    #[test]
    fn arbitrary_values_round_trip_three_levels_deep() {
        round_trips_through_the_table("dt-jiff", sample());
    }

    #[tokio::test]
    async fn ttl_and_automatic_timestamps() {
        let fx = Fixture::<Session>::new("dt-jiff-ttl").await;
        let session = Session {
            id: "s1".into(),
            expires: Timestamp::new(1_900_000_000, 999_999_999).unwrap(),
            created: None,
        };
        fx.table.put(&session).await.unwrap();
        assert_eq!(
            raw(&fx.table, &session, "expires").await,
            AttributeValue::N("1900000000".into())
        );
        let back = fx.table.get("s1").consistent().await.unwrap().unwrap();
        assert_eq!(back.expires, Timestamp::new(1_900_000_000, 0).unwrap());
        let created = back.created.expect("created_at is set");
        assert!(Timestamp::now().duration_since(created).as_secs().abs() < 60);
        fx.cleanup().await;
    }

    #[tokio::test]
    async fn a_wrong_value_deep_inside_is_reported_with_its_path() {
        let fx = Fixture::<Sample>::new("dt-jiff-errors").await;
        let sample = Sample {
            id: "bad".into(),
            at: Timestamp::UNIX_EPOCH,
            day: Date::constant(2024, 5, 1),
            maybe: None,
            history: None,
            days: HashMap::new(),
        };
        assert_eq!(
            decode_error_with(
                &fx.table,
                &sample,
                "history",
                history_with(s("2024-05-01T12:00:00Z"), s("2024-05-01T12:00:00")),
            )
            .await,
            "attribute `history[1].when`: cannot read `Timestamp`: expected an RFC 3339 date \
             and time with an offset, such as `2024-05-01T12:00:00.000000000Z`, found \
             \"2024-05-01T12:00:00\" (failed to find offset component, which is required for \
             parsing a timestamp)"
        );
        fx.cleanup().await;
    }
}
