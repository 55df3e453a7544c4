//! Types from other crates through a live table, each behind its feature:
//! `uuid::Uuid`, `rust_decimal::Decimal`, `bytes::Bytes` and
//! `serde_json::Value`. Each is a key where it can be one, round-trips nested
//! three levels deep, and a value of the wrong type deep inside is reported
//! with its path.

#[cfg(any(
    feature = "uuid",
    feature = "rust_decimal",
    feature = "bytes",
    feature = "serde_json"
))]
use {
    crate::common::Fixture,
    proptest::prelude::*,
    proptest::test_runner::{Config, TestCaseError, TestRunner},
    resourceful::aws_sdk_dynamodb::types::AttributeValue,
    resourceful::prelude::*,
    resourceful::Item,
    std::fmt::Debug,
};

/// Puts and gets items drawn from `strategy` through a table of their own;
/// each must read back equal to what was written.
#[cfg(any(
    feature = "uuid",
    feature = "rust_decimal",
    feature = "bytes",
    feature = "serde_json"
))]
fn round_trips_through_the_table<T>(prefix: &str, strategy: impl Strategy<Value = T>)
where
    T: Resource + Debug + PartialEq,
{
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let fx = runtime.block_on(Fixture::<T>::new(prefix));
    let mut runner = TestRunner::new(Config {
        cases: 24,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&strategy, |item| {
        runtime.block_on(async {
            fx.table
                .put(&item)
                .await
                .map_err(|e| TestCaseError::fail(format!("put: {e}")))?;
            let back = fx
                .table
                .get(item.key())
                .consistent()
                .await
                .map_err(|e| TestCaseError::fail(format!("get: {e}")))?;
            prop_assert_eq!(back, Some(item));
            Ok(())
        })
    });
    runtime.block_on(fx.cleanup());
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// Writes `item` as is (bypassing the struct) and returns the decode error
/// that reading it back gives.
#[cfg(any(
    feature = "uuid",
    feature = "rust_decimal",
    feature = "bytes",
    feature = "serde_json"
))]
async fn read_error<T: Resource + Debug>(fx: &Fixture<T>, item: Item, key: T::Key) -> String {
    fx.table
        .client()
        .put_item()
        .table_name(fx.table.name())
        .set_item(Some(item))
        .send()
        .await
        .unwrap();
    let err = fx.table.get(key).consistent().await.unwrap_err();
    assert!(err.is_decode(), "{err:?}");
    err.as_decode().unwrap().to_string()
}

/// Replaces the value at `path` (map keys and list positions) inside `value`.
#[cfg(any(
    feature = "uuid",
    feature = "rust_decimal",
    feature = "bytes",
    feature = "serde_json"
))]
fn replace(value: &mut AttributeValue, path: &[&str], new: AttributeValue) {
    let Some((first, rest)) = path.split_first() else {
        *value = new;
        return;
    };
    let inner = match value {
        AttributeValue::M(map) => map.get_mut(*first),
        AttributeValue::L(items) => items.get_mut(first.parse::<usize>().unwrap()),
        other => panic!("no {first} in {other:?}"),
    };
    replace(inner.unwrap_or_else(|| panic!("no {first}")), rest, new);
}

#[cfg(any(
    feature = "uuid",
    feature = "rust_decimal",
    feature = "bytes",
    feature = "serde_json"
))]
fn with(item: &impl Resource, path: &[&str], new: AttributeValue) -> Item {
    let mut item = AttributeValue::M(item.to_item());
    replace(&mut item, path, new);
    let AttributeValue::M(item) = item else {
        unreachable!()
    };
    item
}

// ---- a UUID partition key and a decimal sort key ----

#[cfg(all(feature = "uuid", feature = "rust_decimal"))]
mod keys {
    use rust_decimal::Decimal;
    use uuid::Uuid;

    use super::*;

    #[resource(service = "dynamodb", table = "orders", key = "id", sort_key = "price")]
    #[derive(Debug, Clone, PartialEq)]
    struct Order {
        id: Uuid,
        price: Decimal,
        total: Decimal,
        owner: Option<Uuid>,
    }

    fn dec(text: &str) -> Decimal {
        text.parse().unwrap()
    }

    #[tokio::test]
    async fn sort_key_conditions_compare_decimals_as_numbers() {
        let fx = Fixture::<Order>::new("foreign-keys").await;
        let id = Uuid::from_u128(0x67e5_5044_10b1_426f_9247_bb68_0e5f_e0c8);
        let other = Uuid::from_u128(1);
        // Text order differs from numeric order for every neighbour here.
        let prices = [
            "-10",
            "-1.5",
            "-0.25",
            "0",
            "0.000000000000000000000000001",
            "0.25",
            "1.5",
            "2",
            "10",
            "100.001",
            "79228162514264337593543950335",
        ];
        for price in prices {
            let order = Order {
                id,
                price: dec(price),
                total: dec(price),
                owner: Some(other),
            };
            fx.table.put(&order).await.unwrap();
        }
        fx.table
            .put(&Order {
                id: other,
                price: Decimal::ONE,
                total: Decimal::ONE,
                owner: None,
            })
            .await
            .unwrap();

        let prices_of = |orders: Vec<Order>| {
            orders
                .into_iter()
                .map(|o| {
                    assert_eq!(o.id, id);
                    o.price.to_string()
                })
                .collect::<Vec<_>>()
        };
        let all = fx.table.query(id).consistent().all().await.unwrap();
        assert_eq!(prices_of(all), prices);
        let between = fx
            .table
            .query(id)
            .sort(Order::PRICE.between(dec("-1.5"), dec("10")))
            .consistent()
            .all()
            .await
            .unwrap();
        assert_eq!(
            prices_of(between),
            [
                "-1.5",
                "-0.25",
                "0",
                "0.000000000000000000000000001",
                "0.25",
                "1.5",
                "2",
                "10"
            ]
        );
        let above = fx
            .table
            .query(id)
            .sort(Order::PRICE.gt(dec("1.5")))
            .filter(Order::TOTAL.lt(dec("100.001")) & Order::OWNER.eq(other))
            .consistent()
            .all()
            .await
            .unwrap();
        assert_eq!(prices_of(above), ["2", "10"]);

        // Keys and conditions take the foreign types too.
        let key = (id, dec("1.5"));
        let err = fx
            .table
            .delete(key)
            .condition(Order::TOTAL.gt(dec("3")) & Order::OWNER.eq(other))
            .await
            .unwrap_err();
        assert!(err.is_condition_failed(), "{err:?}");
        fx.table
            .delete(key)
            .condition(Order::TOTAL.eq(dec("1.50")) & Order::ID.eq(id))
            .await
            .unwrap();
        assert_eq!(fx.table.get(key).consistent().await.unwrap(), None);
        fx.cleanup().await;
    }
}

// ---- each type nested three levels deep, through a live table ----

#[cfg(feature = "uuid")]
mod uuids {
    use std::collections::{BTreeMap, BTreeSet, HashMap};

    use proptest::collection::{btree_map, btree_set, hash_map, vec};
    use uuid::Uuid;

    use super::*;

    #[resource(service = "dynamodb", key = "id")]
    #[derive(Debug, Clone, PartialEq)]
    struct Uuids {
        id: Uuid,
        one: Uuid,
        maybe: Option<Uuid>,
        set: BTreeSet<Uuid>,
        nested: Option<Vec<BTreeMap<String, Uuid>>>,
        deeper: HashMap<String, Vec<Option<Uuid>>>,
    }

    fn uuid() -> impl Strategy<Value = Uuid> {
        any::<u128>().prop_map(Uuid::from_u128)
    }

    fn uuids() -> impl Strategy<Value = Uuids> {
        (
            uuid(),
            uuid(),
            proptest::option::of(uuid()),
            btree_set(uuid(), 0..4),
            proptest::option::of(vec(btree_map("\\PC{1,6}", uuid(), 0..3), 0..3)),
            hash_map("\\PC{1,6}", vec(proptest::option::of(uuid()), 0..3), 0..3),
        )
            .prop_map(|(id, one, maybe, set, nested, deeper)| Uuids {
                id,
                one,
                maybe,
                set,
                nested,
                deeper,
            })
    }

    #[test]
    fn uuids_round_trip() {
        round_trips_through_the_table("foreign-uuid", uuids());
    }

    #[tokio::test]
    async fn a_malformed_uuid_deep_inside_is_named() {
        let fx = Fixture::<Uuids>::new("foreign-uuid-errors").await;
        let item = Uuids {
            id: Uuid::nil(),
            one: Uuid::max(),
            maybe: None,
            set: BTreeSet::new(),
            nested: Some(vec![
                BTreeMap::new(),
                BTreeMap::new(),
                BTreeMap::from([("owner".to_owned(), Uuid::max())]),
            ]),
            deeper: HashMap::new(),
        };
        let cases = [
            (
                with(
                    &item,
                    &["nested", "2", "owner"],
                    AttributeValue::N("1".into()),
                ),
                "attribute `nested[2].owner`: expected S for `Uuid`, found N".to_owned(),
            ),
            (
                with(
                    &item,
                    &["nested", "2", "owner"],
                    AttributeValue::S("not-a-uuid".into()),
                ),
                format!(
                    "attribute `nested[2].owner`: cannot read `Uuid`: \"not-a-uuid\" is not a \
                     UUID: {}",
                    Uuid::parse_str("not-a-uuid").unwrap_err()
                ),
            ),
        ];
        for (raw, message) in cases {
            assert_eq!(read_error(&fx, raw, item.key()).await, message);
        }
        fx.cleanup().await;
    }
}

#[cfg(feature = "rust_decimal")]
mod decimals {
    use std::collections::{BTreeMap, BTreeSet, HashMap};

    use proptest::collection::{btree_map, btree_set, hash_map, vec};
    use rust_decimal::Decimal;

    use super::*;

    #[resource(service = "dynamodb", key = "id")]
    #[derive(Debug, Clone, PartialEq)]
    struct Decimals {
        id: Decimal,
        one: Decimal,
        set: BTreeSet<Decimal>,
        lines: Option<Vec<BTreeMap<String, Decimal>>>,
        deeper: HashMap<String, Vec<Option<Decimal>>>,
    }

    /// Every `Decimal`: a 96-bit mantissa of either sign, 0 to 28 places.
    fn decimal() -> impl Strategy<Value = Decimal> {
        let max = (1i128 << 96) - 1;
        (-max..=max, 0u32..=28).prop_map(|(m, s)| Decimal::from_i128_with_scale(m, s))
    }

    fn decimals() -> impl Strategy<Value = Decimals> {
        (
            decimal(),
            decimal(),
            btree_set(decimal(), 0..4),
            proptest::option::of(vec(btree_map("\\PC{1,6}", decimal(), 0..3), 0..3)),
            hash_map(
                "\\PC{1,6}",
                vec(proptest::option::of(decimal()), 0..3),
                0..3,
            ),
        )
            .prop_map(|(id, one, set, lines, deeper)| Decimals {
                id,
                one,
                set,
                lines,
                deeper,
            })
    }

    #[test]
    fn decimals_round_trip() {
        round_trips_through_the_table("foreign-decimal", decimals());
    }

    #[tokio::test]
    async fn decimals_keep_every_digit() {
        let fx = Fixture::<Decimals>::new("foreign-decimal-digits").await;
        for text in [
            "79228162514264337593543950335",
            "-7.9228162514264337593543950335",
            "0.0000000000000000000000000001",
            "0.1",
            "19.99",
        ] {
            let d: Decimal = text.parse().unwrap();
            let item = Decimals {
                id: d,
                one: d,
                set: BTreeSet::from([d]),
                lines: Some(vec![BTreeMap::from([("price".to_owned(), d)])]),
                deeper: HashMap::new(),
            };
            fx.table.put(&item).await.unwrap();
            let back = fx.table.get(d).consistent().await.unwrap().unwrap();
            assert_eq!(back.one.to_string(), text);
            assert_eq!(back, item);
        }
        fx.cleanup().await;
    }

    #[tokio::test]
    async fn a_wrong_or_inexact_number_deep_inside_is_named() {
        let fx = Fixture::<Decimals>::new("foreign-decimal-errors").await;
        let line = |price: i64| BTreeMap::from([("price".to_owned(), Decimal::from(price))]);
        let item = Decimals {
            id: Decimal::ONE,
            one: Decimal::ONE,
            set: BTreeSet::from([Decimal::ONE]),
            lines: Some(vec![line(1), line(2), line(3)]),
            deeper: HashMap::new(),
        };
        let price = ["lines", "2", "price"];
        let cases = [
            (
                with(&item, &price, AttributeValue::S("1.5".into())),
                "attribute `lines[2].price`: expected N for `Decimal`, found S",
            ),
            // DynamoDB holds 38 digits; a `Decimal` cannot, and is not rounded.
            (
                with(
                    &item,
                    &price,
                    AttributeValue::N("0.12345678901234567890123456789012345678".into()),
                ),
                "attribute `lines[2].price`: cannot read `Decimal`: \
                 0.12345678901234567890123456789012345678 has 38 decimal places; \
                 `Decimal` holds at most 28",
            ),
            (
                with(
                    &item,
                    &price,
                    AttributeValue::N("12345678901234567890123456789012345678".into()),
                ),
                "attribute `lines[2].price`: cannot read `Decimal`: \
                 12345678901234567890123456789012345678 does not fit `Decimal`, whose \
                 digits are a 96-bit integer (at most 79228162514264337593543950335)",
            ),
            (
                with(
                    &item,
                    &["set"],
                    AttributeValue::Ns(vec!["1".into(), "0.12345678901234567890123456789".into()]),
                ),
                "attribute `set`: cannot read `Decimal`: 0.12345678901234567890123456789 has \
                 29 decimal places; `Decimal` holds at most 28",
            ),
        ];
        for (raw, message) in cases {
            assert_eq!(read_error(&fx, raw, item.key()).await, message);
        }
        fx.cleanup().await;
    }
}

#[cfg(feature = "bytes")]
mod binaries {
    use std::collections::{BTreeMap, HashMap, HashSet};

    use bytes::Bytes;
    use proptest::collection::{btree_map, hash_map, hash_set, vec};

    use super::*;

    #[resource(service = "dynamodb", key = "id")]
    #[derive(Debug, Clone, PartialEq)]
    struct Binaries {
        id: Bytes,
        one: Bytes,
        set: HashSet<Bytes>,
        nested: Option<Vec<BTreeMap<String, Bytes>>>,
        deeper: HashMap<String, Vec<Option<Bytes>>>,
    }

    fn bytes(min: usize) -> impl Strategy<Value = Bytes> {
        vec(any::<u8>(), min..16).prop_map(Bytes::from)
    }

    fn binaries() -> impl Strategy<Value = Binaries> {
        (
            // DynamoDB refuses an empty binary key.
            bytes(1),
            bytes(0),
            hash_set(bytes(0), 0..4),
            proptest::option::of(vec(btree_map("\\PC{1,6}", bytes(0), 0..3), 0..3)),
            hash_map("\\PC{1,6}", vec(proptest::option::of(bytes(0)), 0..3), 0..3),
        )
            .prop_map(|(id, one, set, nested, deeper)| Binaries {
                id,
                one,
                set,
                nested,
                deeper,
            })
    }

    #[test]
    fn binaries_round_trip() {
        round_trips_through_the_table("foreign-bytes", binaries());
    }

    #[tokio::test]
    async fn keys_and_conditions_take_byte_slices() {
        let fx = Fixture::<Binaries>::new("foreign-bytes-keys").await;
        let item = Binaries {
            id: Bytes::from_static(&[0, 1, 2]),
            one: Bytes::from_static(b"one"),
            set: HashSet::new(),
            nested: Some(vec![
                BTreeMap::new(),
                BTreeMap::from([("blob".to_owned(), Bytes::new())]),
            ]),
            deeper: HashMap::new(),
        };
        fx.table.put(&item).await.unwrap();
        let err = fx
            .table
            .delete(item.key())
            .condition(Binaries::ONE.eq(&b"two"[..]))
            .await
            .unwrap_err();
        assert!(err.is_condition_failed(), "{err:?}");
        assert_eq!(
            fx.table
                .get(item.key())
                .consistent()
                .await
                .unwrap()
                .as_ref(),
            Some(&item)
        );
        assert_eq!(
            read_error(
                &fx,
                with(
                    &item,
                    &["nested", "1", "blob"],
                    AttributeValue::S("AAEC".into())
                ),
                item.key()
            )
            .await,
            "attribute `nested[1].blob`: expected B for `Bytes`, found S"
        );
        fx.cleanup().await;
    }
}

#[cfg(feature = "serde_json")]
mod json {
    use std::collections::BTreeMap;

    use proptest::collection::{btree_map, vec};
    use resourceful::aws_sdk_dynamodb::primitives::Blob;
    use serde_json::{json, Number, Value};

    use super::*;

    #[resource(service = "dynamodb", key = "id")]
    #[derive(Debug, Clone, PartialEq)]
    struct Document {
        id: String,
        body: Value,
        maybe: Option<Value>,
        nested: Option<Vec<BTreeMap<String, Value>>>,
    }

    /// Numbers as they come back: DynamoDB keeps no difference between `3`
    /// and `3.0`, so only floats with a fractional part stay floats.
    fn number() -> impl Strategy<Value = Number> {
        prop_oneof![
            any::<i64>().prop_map(Number::from),
            any::<u64>().prop_map(Number::from),
            any::<f64>()
                .prop_filter("storable, not integral", |f| {
                    f.fract() != 0.0 && (1e-130..1e125).contains(&f.abs())
                })
                .prop_map(|f| Number::from_f64(f).unwrap()),
        ]
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            number().prop_map(Value::Number),
            any::<String>().prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 32, 5, |inner| {
            prop_oneof![
                vec(inner.clone(), 0..5).prop_map(Value::Array),
                btree_map("\\PC{1,6}", inner, 0..5)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    fn documents() -> impl Strategy<Value = Document> {
        (
            "[a-z0-9]{1,12}",
            json_value(),
            // `Some(null)` is stored as NULL, which an `Option` reads as `None`.
            proptest::option::of(json_value().prop_filter("not null", |v| !v.is_null())),
            proptest::option::of(vec(btree_map("\\PC{1,6}", json_value(), 0..3), 0..3)),
        )
            .prop_map(|(id, body, maybe, nested)| Document {
                id,
                body,
                maybe,
                nested,
            })
    }

    #[test]
    fn json_values_round_trip() {
        round_trips_through_the_table("foreign-json", documents());
    }

    #[tokio::test]
    async fn nested_json_round_trips_exactly() {
        let fx = Fixture::<Document>::new("foreign-json-exact").await;
        let body = json!({
            "order": {
                "lines": [
                    {"sku": "a-1", "qty": 2, "price": 19.99, "tags": ["new", null]},
                    {"sku": "b-2", "qty": 1, "price": 0.1, "gift": true},
                ],
                "total": 40.08,
                "max": u64::MAX,
                "min": i64::MIN,
                "meta": {"empty": {}, "none": [], "deep": {"er": {"est": [[[1.5]]]}}},
            },
            "note": "héllo 🦀",
        });
        let doc = Document {
            id: "d1".into(),
            body: body.clone(),
            maybe: None,
            nested: Some(vec![BTreeMap::from([(
                "x".to_owned(),
                json!([1, {"y": null}]),
            )])]),
        };
        fx.table.put(&doc).await.unwrap();
        let back = fx.table.get("d1").consistent().await.unwrap().unwrap();
        assert_eq!(back, doc);
        assert_eq!(back.body.to_string(), body.to_string());
        fx.cleanup().await;
    }

    #[tokio::test]
    async fn inexact_numbers_deep_inside_are_named() {
        let fx = Fixture::<Document>::new("foreign-json-errors").await;
        let doc = Document {
            id: "d1".into(),
            body: json!({"lines": [{}, {}, {"price": 1}]}),
            maybe: None,
            nested: None,
        };
        // Sets and binaries that another writer stored read as arrays and base64.
        let mut raw = with(
            &doc,
            &["body", "lines", "0"],
            AttributeValue::Ns(vec!["1".into(), "2.5".into()]),
        );
        replace_in(
            &mut raw,
            &["body", "lines", "1"],
            AttributeValue::B(Blob::new(vec![0xde, 0xad])),
        );
        fx.table
            .client()
            .put_item()
            .table_name(fx.table.name())
            .set_item(Some(raw))
            .send()
            .await
            .unwrap();
        let back = fx.table.get("d1").consistent().await.unwrap().unwrap();
        let mut lines = back.body["lines"].as_array().unwrap().clone();
        lines[0]
            .as_array_mut()
            .unwrap()
            .sort_by_key(|v| v.to_string());
        assert_eq!(lines, [json!([1, 2.5]), json!("3q0="), json!({"price": 1})]);

        let message = read_error(
            &fx,
            with(
                &doc,
                &["body", "lines", "2", "price"],
                AttributeValue::N("123456789012345678901234567890".into()),
            ),
            doc.key(),
        )
        .await;
        assert_eq!(
            message,
            "attribute `body.lines[2].price`: cannot read `Value`: \
             123456789012345678901234567890 cannot be held exactly by a \
             `serde_json::Number` (an i64, u64 or f64 without serde_json's \
             `arbitrary_precision` feature)"
        );
        fx.cleanup().await;
    }

    fn replace_in(item: &mut Item, path: &[&str], new: AttributeValue) {
        let mut value = AttributeValue::M(std::mem::take(item));
        replace(&mut value, path, new);
        let AttributeValue::M(map) = value else {
            unreachable!()
        };
        *item = map;
    }
}
