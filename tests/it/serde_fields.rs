//! `#[resource(serde)]` fields (feature `serde`): values of any
//! `Serialize + DeserializeOwned` type, nested in structs, lists, maps,
//! options and enums (serde's external tagging and `#[serde(tag)]` ones),
//! round trip exactly through the table; decode errors name the path
//! inside the value; numbers are never rounded; NaN and a failing
//! `Serialize` are refused before anything is sent.

use std::collections::{BTreeMap, HashMap, HashSet};

use proptest::collection::{btree_map, hash_map, hash_set, vec};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use resourceful::aws_sdk_dynamodb::types::AttributeValue;
use resourceful::prelude::*;
use serde::{Deserialize, Serialize};

use crate::common::Fixture;

/// `#[serde(with = "bytes")]`: a `Vec<u8>` through `serialize_bytes`, as
/// `serde_bytes` writes it: binary (`B`) rather than a list of numbers.
mod bytes {
    use serde::de::{Deserializer, Visitor};
    use serde::Serializer;

    pub(super) fn serialize<S: Serializer>(value: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(value)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<u8>, D::Error> {
        struct Bytes;
        impl Visitor<'_> for Bytes {
            type Value = Vec<u8>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("bytes")
            }
            fn visit_byte_buf<E>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
                Ok(v)
            }
        }
        deserializer.deserialize_byte_buf(Bytes)
    }
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Entry {
    zip: String,
    amount: i128,
    big: u128,
    ratio: f64,
    #[serde(with = "bytes")]
    blob: Vec<u8>,
    note: Option<String>,
    /// Exact to 38 digits, through its own serde impl.
    price: resourceful::Number,
}

/// serde's default, externally tagged enum.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
enum Kind {
    Plain,
    Weighted(f64),
    Pair(i64, u64),
    Shaped { sides: u8, label: Option<String> },
}

/// Internally tagged: the variant's name under `type`, beside its fields.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Event {
    Created { by: String, at: u64 },
    Moved { to: Vec<i64>, why: Option<String> },
    Deleted,
}

/// Adjacently tagged.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(tag = "t", content = "c")]
enum Adjustment {
    Refund(i64),
    Note(String, bool),
    Waived,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Meta {
    items: Vec<Entry>,
    counts: HashMap<String, u64>,
    by_id: BTreeMap<u32, Option<Vec<Kind>>>,
    kinds: Vec<Kind>,
    events: Vec<Event>,
    adjustments: Option<Vec<Adjustment>>,
}

/// A derived struct with a `serde` field: the codec works at any depth.
#[derive(Attribute, Debug, Clone, PartialEq)]
struct Holder {
    label: String,
    #[resource(serde)]
    kinds: Vec<Kind>,
}

#[resource(service = "dynamodb", table = "serde-docs", key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Doc {
    id: String,
    #[resource(serde)]
    meta: Meta,
    #[resource(serde)]
    previous: Option<Meta>,
    /// A set through serde is a list (`L`): serde cannot tell a set from a
    /// sequence.
    #[resource(serde, default)]
    tags: HashSet<String>,
    holders: Vec<Holder>,
}

/// Numbers DynamoDB stores: at most 38 digits, magnitudes from 1E-130.
fn storable_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(0.1),
        Just(1e-130),
        Just(f64::MAX / 1e200),
        any::<f64>().prop_filter("storable", |f| {
            f.is_finite() && (*f == 0.0 || (1e-130..1e125).contains(&f.abs()))
        }),
    ]
}

const MAX_38_DIGITS: u128 = 10u128.pow(38) - 1;

fn amount() -> impl Strategy<Value = i128> {
    prop_oneof![
        Just(MAX_38_DIGITS as i128),
        Just(-(MAX_38_DIGITS as i128)),
        -(MAX_38_DIGITS as i128)..=MAX_38_DIGITS as i128,
    ]
}

fn big() -> impl Strategy<Value = u128> {
    prop_oneof![
        Just(u128::from(u64::MAX)),
        Just(MAX_38_DIGITS),
        0..=MAX_38_DIGITS,
    ]
}

fn entry() -> impl Strategy<Value = Entry> {
    (
        any::<String>(),
        amount(),
        big(),
        storable_f64(),
        vec(any::<u8>(), 0..6),
        proptest::option::of(any::<String>()),
        "-?[1-9][0-9]{0,18}\\.[0-9]{0,18}[1-9]",
    )
        .prop_map(|(zip, amount, big, ratio, blob, note, price)| Entry {
            zip,
            amount,
            big,
            ratio,
            blob,
            note,
            price: price.parse().unwrap(),
        })
}

fn kind() -> impl Strategy<Value = Kind> {
    prop_oneof![
        Just(Kind::Plain),
        storable_f64().prop_map(Kind::Weighted),
        (any::<i64>(), any::<u64>()).prop_map(|(a, b)| Kind::Pair(a, b)),
        (any::<u8>(), proptest::option::of(any::<String>()))
            .prop_map(|(sides, label)| Kind::Shaped { sides, label }),
    ]
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        (any::<String>(), any::<u64>()).prop_map(|(by, at)| Event::Created { by, at }),
        (
            vec(any::<i64>(), 0..3),
            proptest::option::of(any::<String>())
        )
            .prop_map(|(to, why)| Event::Moved { to, why }),
        Just(Event::Deleted),
    ]
}

fn adjustment() -> impl Strategy<Value = Adjustment> {
    prop_oneof![
        any::<i64>().prop_map(Adjustment::Refund),
        (any::<String>(), any::<bool>()).prop_map(|(s, b)| Adjustment::Note(s, b)),
        Just(Adjustment::Waived),
    ]
}

fn meta() -> impl Strategy<Value = Meta> {
    (
        vec(entry(), 0..4),
        hash_map("\\PC{1,6}", any::<u64>(), 0..3),
        btree_map(any::<u32>(), proptest::option::of(vec(kind(), 0..3)), 0..3),
        vec(kind(), 0..3),
        vec(event(), 0..3),
        proptest::option::of(vec(adjustment(), 0..3)),
    )
        .prop_map(|(items, counts, by_id, kinds, events, adjustments)| Meta {
            items,
            counts,
            by_id,
            kinds,
            events,
            adjustments,
        })
}

fn doc() -> impl Strategy<Value = Doc> {
    (
        "[a-z0-9]{1,12}",
        meta(),
        proptest::option::of(meta()),
        hash_set("\\PC{0,6}", 0..3),
        vec(
            ("\\PC{0,6}", vec(kind(), 0..3)).prop_map(|(label, kinds)| Holder { label, kinds }),
            0..3,
        ),
    )
        .prop_map(|(id, meta, previous, tags, holders)| Doc {
            id,
            meta,
            previous,
            tags,
            holders,
        })
}

proptest! {
    #[test]
    fn docs_round_trip_in_memory(doc in doc()) {
        prop_assert_eq!(Doc::from_item(doc.to_item()), Ok(doc));
    }
}

#[test]
fn docs_round_trip_through_the_table() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let fx = runtime.block_on(Fixture::<Doc>::new("serde-prop"));
    let mut runner = TestRunner::new(Config {
        cases: 24,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&doc(), |doc| {
        runtime.block_on(async {
            fx.table
                .put(&doc)
                .await
                .map_err(|e| TestCaseError::fail(format!("put: {e}")))?;
            let back = fx
                .table
                .get(&doc.id)
                .consistent()
                .await
                .map_err(|e| TestCaseError::fail(format!("get: {e}")))?;
            prop_assert_eq!(back, Some(doc));
            Ok(())
        })
    });
    runtime.block_on(fx.cleanup());
    if let Err(e) = result {
        panic!("{e}");
    }
}

fn sample() -> Doc {
    let entry = |zip: &str| Entry {
        zip: zip.into(),
        amount: -(MAX_38_DIGITS as i128),
        big: u128::from(u64::MAX),
        ratio: 0.1,
        blob: vec![0, 255],
        note: None,
        price: "0.12345678901234567890123456789012345678".parse().unwrap(),
    };
    Doc {
        id: "d1".into(),
        meta: Meta {
            items: vec![entry("a"), entry("b"), entry("c"), entry("75001")],
            counts: HashMap::from([("x".into(), 1)]),
            by_id: BTreeMap::from([(7, Some(vec![Kind::Plain])), (8, None)]),
            kinds: vec![
                Kind::Weighted(1e-130),
                Kind::Pair(-1, u64::MAX),
                Kind::Shaped {
                    sides: 3,
                    label: None,
                },
            ],
            events: vec![
                Event::Created {
                    by: "ann".into(),
                    at: 1,
                },
                Event::Deleted,
            ],
            adjustments: Some(vec![Adjustment::Note("n".into(), true), Adjustment::Waived]),
        },
        previous: None,
        tags: HashSet::from(["t".into()]),
        holders: vec![Holder {
            label: "h".into(),
            kinds: vec![Kind::Plain],
        }],
    }
}

fn get_map<'a>(value: &'a AttributeValue, key: &str) -> &'a AttributeValue {
    match value {
        AttributeValue::M(map) => &map[key],
        other => panic!("expected a map at {key}, found {other:?}"),
    }
}

#[test]
fn values_are_stored_in_the_shapes_serde_gives_them() {
    let item = sample().to_item();
    assert!(!item.contains_key("previous"), "a `None` is left out");
    let meta = &item["meta"];
    let AttributeValue::L(items) = get_map(meta, "items") else {
        panic!("a Vec is a list")
    };
    assert_eq!(
        get_map(&items[0], "amount"),
        &AttributeValue::N("-99999999999999999999999999999999999999".into())
    );
    assert_eq!(
        get_map(&items[0], "big"),
        &AttributeValue::N("18446744073709551615".into())
    );
    assert_eq!(
        get_map(&items[0], "ratio"),
        &AttributeValue::N("0.1".into())
    );
    assert!(matches!(get_map(&items[0], "blob"), AttributeValue::B(_)));
    let AttributeValue::M(entry) = &items[0] else {
        panic!()
    };
    assert!(
        !entry.contains_key("note"),
        "a `None` struct field is left out"
    );
    let AttributeValue::L(events) = get_map(meta, "events") else {
        panic!()
    };
    assert_eq!(
        get_map(&events[0], "type"),
        &AttributeValue::S("created".into())
    );
    assert_eq!(
        get_map(&events[1], "type"),
        &AttributeValue::S("deleted".into())
    );
    let AttributeValue::L(kinds) = get_map(meta, "kinds") else {
        panic!()
    };
    assert_eq!(
        get_map(&kinds[0], "Weighted"),
        &AttributeValue::N("1e-130".into())
    );
    assert_eq!(
        get_map(get_map(meta, "by_id"), "8"),
        &AttributeValue::Null(true),
        "a `None` map value is NULL"
    );
    assert_eq!(
        item["tags"],
        AttributeValue::L(vec![AttributeValue::S("t".into())])
    );
}

/// Writes `item` as is, with the SDK, and reads it back through the table.
async fn read_raw(fx: &Fixture<Doc>, item: resourceful::Item) -> resourceful::Result<Option<Doc>> {
    fx.table
        .client()
        .put_item()
        .table_name(fx.table.name())
        .set_item(Some(item))
        .send()
        .await
        .expect("a raw put_item");
    fx.table.get("d1").consistent().await
}

fn set_path(
    item: &mut resourceful::Item,
    path: &[&str],
    index: usize,
    key: &str,
    value: AttributeValue,
) {
    let mut at = item.get_mut(path[0]).unwrap();
    for step in &path[1..] {
        let AttributeValue::M(map) = at else { panic!() };
        at = map.get_mut(*step).unwrap();
    }
    let AttributeValue::L(list) = at else {
        panic!()
    };
    let AttributeValue::M(entry) = &mut list[index] else {
        panic!()
    };
    entry.insert(key.into(), value);
}

#[tokio::test]
async fn decode_errors_name_the_path_inside_the_value() {
    let fx = Fixture::<Doc>::new("serde-decode").await;
    let mut item = sample().to_item();
    set_path(
        &mut item,
        &["meta", "items"],
        3,
        "zip",
        AttributeValue::N("75001".into()),
    );
    let err = read_raw(&fx, item).await.unwrap_err();
    assert!(err.is_decode(), "{err}");
    let decode = err.as_decode().unwrap();
    assert_eq!(decode.path_string(), "meta.items[3].zip");
    assert_eq!(
        decode.to_string(),
        "attribute `meta.items[3].zip`: expected S for a string, found N"
    );

    // Inside a derived struct's `serde` field, and an enum's variant.
    let mut item = sample().to_item();
    let AttributeValue::L(holders) = item.get_mut("holders").unwrap() else {
        panic!()
    };
    let AttributeValue::M(holder) = &mut holders[0] else {
        panic!()
    };
    holder.insert(
        "kinds".into(),
        AttributeValue::L(vec![AttributeValue::M(HashMap::from([(
            "Pair".into(),
            AttributeValue::L(vec![
                AttributeValue::N("1".into()),
                AttributeValue::N("-1".into()),
            ]),
        )]))]),
    );
    let err = read_raw(&fx, item).await.unwrap_err();
    assert_eq!(
        err.as_decode().unwrap().to_string(),
        "attribute `holders[0].kinds[0].Pair[1]`: cannot read `u64`: -1 is out of range for `u64`"
    );

    // A missing field of a serde struct.
    let mut item = sample().to_item();
    let AttributeValue::M(meta) = item.get_mut("meta").unwrap() else {
        panic!()
    };
    meta.remove("counts");
    let err = read_raw(&fx, item).await.unwrap_err();
    assert_eq!(
        err.as_decode().unwrap().to_string(),
        "attribute `meta.counts` is missing (expected a value)"
    );
    fx.cleanup().await;
}

/// Types that ask for any value (`deserialize_any`): serde_json's `Value`
/// and an untagged enum.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(untagged)]
enum Amount {
    Whole(u64),
    Signed(i64),
    Fraction(f64),
    Text(String),
}

#[resource(service = "dynamodb", table = "serde-any", key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Loose {
    id: String,
    #[resource(serde)]
    json: serde_json::Value,
    #[resource(serde)]
    amount: Amount,
}

#[tokio::test]
async fn numbers_read_as_any_value_are_exact_or_an_error() {
    let fx = Fixture::<Loose>::new("serde-any").await;
    let put_raw = |json: &str, amount: &str| {
        let item = HashMap::from([
            ("id".to_owned(), AttributeValue::S("l1".into())),
            (
                "json".to_owned(),
                AttributeValue::M(HashMap::from([(
                    "n".to_owned(),
                    AttributeValue::N(json.into()),
                )])),
            ),
            ("amount".to_owned(), AttributeValue::N(amount.into())),
        ]);
        fx.table
            .client()
            .put_item()
            .table_name(fx.table.name())
            .set_item(Some(item))
            .send()
    };
    let read = || fx.table.get("l1").consistent();

    put_raw("0.1", "18446744073709551615").await.unwrap();
    let loose = read().await.unwrap().unwrap();
    assert_eq!(loose.json, serde_json::json!({"n": 0.1}));
    assert_eq!(loose.amount, Amount::Whole(u64::MAX));

    put_raw("1E-130", "-5").await.unwrap();
    let loose = read().await.unwrap().unwrap();
    assert_eq!(loose.json, serde_json::json!({"n": 1e-130}));
    assert_eq!(loose.amount, Amount::Signed(-5));

    // 38 digits: exact, or an error naming the path; never rounded.
    let digits = "12345678901234567890123456789012345678";
    put_raw(digits, "0.5").await.unwrap();
    match read().await {
        Ok(loose) => {
            let loose = loose.unwrap();
            assert_eq!(loose.json["n"].to_string(), digits, "rounded: {loose:?}");
        }
        Err(err) => {
            let decode = err.as_decode().expect("a decode error");
            assert_eq!(decode.path_string(), "json.n", "{err}");
        }
    }
    let fraction = "0.12345678901234567890123456789012345678";
    put_raw(fraction, "0.5").await.unwrap();
    let err = read().await.unwrap_err();
    assert_eq!(
        err.as_decode().unwrap().to_string(),
        format!(
            "attribute `json.n`: {fraction} is neither an integer within i128/u128 nor exactly \
             an f64, so it cannot be given to any valid JSON value without rounding; read it \
             into a field of a numeric type, or of `resourceful::Number`"
        )
    );
    put_raw("1", digits).await.unwrap();
    let err = read().await.unwrap_err();
    let decode = err.as_decode().expect("a decode error");
    assert_eq!(decode.path_string(), "amount", "{err}");

    fx.cleanup().await;
}

#[tokio::test]
async fn nan_is_refused_before_sending() {
    let fx = Fixture::<Doc>::new("serde-nan").await;
    let mut doc = sample();
    doc.meta.items[2].ratio = f64::NAN;
    let err = fx.table.put(&doc).await.unwrap_err();
    assert!(err.is_validation(), "{err}");
    assert!(
        std::error::Error::source(&err).is_none(),
        "refused by the client, not the service: {err:?}"
    );
    let message = err.to_string();
    assert!(
        message.contains("attribute `meta.items[2].ratio`: NaN is not a number DynamoDB accepts"),
        "{message}"
    );
    assert_eq!(fx.table.get("d1").consistent().await.unwrap(), None);
    fx.cleanup().await;
}

/// A type whose `Serialize` impl fails.
#[derive(Debug, Clone, PartialEq)]
struct Secret;

impl Serialize for Secret {
    fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("secrets are never stored"))
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        Ok(Secret)
    }
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Vault {
    name: String,
    secrets: Vec<Secret>,
}

#[resource(service = "dynamodb", table = "serde-fails", key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Locker {
    id: String,
    #[resource(serde)]
    vault: Vault,
    /// Keys that are no text: a tuple.
    #[resource(serde)]
    grid: HashMap<(u8, u8), String>,
}

#[tokio::test]
async fn a_failing_serialize_is_refused_before_sending() {
    let fx = Fixture::<Locker>::new("serde-fails").await;
    let locker = Locker {
        id: "l1".into(),
        vault: Vault {
            name: "v".into(),
            secrets: vec![Secret],
        },
        grid: HashMap::new(),
    };
    let err = fx.table.put(&locker).await.unwrap_err();
    assert!(err.is_validation(), "{err}");
    assert!(std::error::Error::source(&err).is_none(), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!(
            "table `{}`: invalid request: attribute `vault` cannot be written through serde: \
             at `secrets[0]`: secrets are never stored",
            fx.table.name()
        )
    );

    let locker = Locker {
        vault: Vault {
            name: "v".into(),
            secrets: vec![],
        },
        grid: HashMap::from([((1, 2), "b2".into())]),
        ..locker
    };
    let err = fx.table.put(&locker).await.unwrap_err();
    assert!(err.is_validation(), "{err}");
    assert_eq!(
        err.to_string(),
        format!(
            "table `{}`: invalid request: attribute `grid` cannot be written through serde: \
             a map key must be a string, a char, an integer, a bool or a unit variant, found a tuple",
            fx.table.name()
        )
    );
    // The same refusal in an update: the value travels as it is.
    let err = fx
        .table
        .update("l1")
        .set(
            Locker::GRID,
            resourceful::value::serde::to_attribute(&locker.grid),
        )
        .await
        .unwrap_err();
    assert!(err.is_validation(), "{err}");
    assert!(err.to_string().contains("found a tuple"), "{err}");
    assert_eq!(fx.table.get("l1").consistent().await.unwrap(), None);

    // Without the failing parts, it is written and read back.
    let locker = Locker {
        grid: HashMap::new(),
        ..locker
    };
    fx.table.put(&locker).await.unwrap();
    assert_eq!(fx.table.get("l1").consistent().await.unwrap(), Some(locker));
    fx.cleanup().await;
}

#[tokio::test]
async fn conditions_and_updates_take_the_codec_s_value() {
    let fx = Fixture::<Doc>::new("serde-update").await;
    let doc = sample();
    fx.table.put(&doc).await.unwrap();
    let mut meta = doc.meta.clone();
    meta.kinds = vec![Kind::Plain];
    let updated = fx
        .table
        .update("d1")
        .set(Doc::META, resourceful::value::serde::to_attribute(&meta))
        .condition(Doc::META.eq(resourceful::value::serde::to_attribute(&doc.meta)))
        .await
        .unwrap();
    assert_eq!(updated.meta, meta);
    fx.cleanup().await;
}
