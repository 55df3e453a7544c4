//! Every mapped type through a live table: written with `put`, read back with
//! a consistent `get`, equal to what was written.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::common::Fixture;
use proptest::collection::{btree_map, btree_set, hash_map, hash_set, vec};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use resourceful::aws_sdk_dynamodb::primitives::Blob;
use resourceful::aws_sdk_dynamodb::types::AttributeValue;
use resourceful::prelude::*;
use resourceful::{Item, Number};

type History = Option<Vec<HashMap<String, Option<Vec<u8>>>>>;

#[resource(service = "dynamodb", key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Everything {
    id: String,
    text: String,
    empty_text: String,
    letter: char,
    tiny: i8,
    short: i16,
    int: i32,
    long: i64,
    wide: i128,
    offset: isize,
    byte: u8,
    ushort: u16,
    uint: u32,
    ulong: u64,
    uwide: u128,
    count: usize,
    single: f32,
    double: f64,
    flag: bool,
    bytes: Vec<u8>,
    empty_bytes: Vec<u8>,
    names: Vec<String>,
    queue: VecDeque<i32>,
    triple: [u16; 3],
    empty_list: Vec<u64>,
    tags: HashSet<String>,
    ids: BTreeSet<i64>,
    blobs: HashSet<Vec<u8>>,
    amounts: BTreeSet<Number>,
    no_tags: HashSet<String>,
    no_ids: BTreeSet<u32>,
    no_blobs: BTreeSet<Vec<u8>>,
    counts: HashMap<String, i64>,
    prefs: BTreeMap<String, Option<String>>,
    empty_map: HashMap<String, bool>,
    nickname: Option<String>,
    score: Option<u32>,
    created: SystemTime,
    ancient: SystemTime,
    exact: Number,
    largest: Number,
    smallest: Number,
    boxed: Box<Option<u32>>,
    history: History,
    shelves: Vec<BTreeSet<String>>,
}

/// The largest magnitude with DynamoDB's 38 significant digits.
const WIDEST: u128 = 10u128.pow(38) - 1;

fn number(text: &str) -> Number {
    text.parse().unwrap()
}

fn high() -> Everything {
    Everything {
        id: "high".into(),
        text: "héllo, 世界 🦀 \u{FFFF}".into(),
        empty_text: String::new(),
        letter: '🦀',
        tiny: i8::MAX,
        short: i16::MAX,
        int: i32::MAX,
        long: i64::MAX,
        wide: WIDEST as i128,
        offset: isize::MAX,
        byte: u8::MAX,
        ushort: u16::MAX,
        uint: u32::MAX,
        ulong: u64::MAX,
        uwide: WIDEST,
        count: usize::MAX,
        single: f32::MAX,
        // The largest double whose shortest text is below DynamoDB's maximum
        // (the next one up is written as `1e126`).
        double: 9.999_999_999_999_998e125,
        flag: true,
        bytes: (0..=255).collect(),
        empty_bytes: Vec::new(),
        names: vec!["a".into(), String::new(), "ü".into()],
        queue: VecDeque::from([i32::MIN, 0, i32::MAX]),
        triple: [0, 1, u16::MAX],
        empty_list: Vec::new(),
        tags: HashSet::from(["admin".into(), "ops".into()]),
        ids: BTreeSet::from([i64::MIN, -1, 0, i64::MAX]),
        blobs: HashSet::from([vec![0], vec![1, 2, 3], vec![255; 16]]),
        amounts: BTreeSet::from([number("0.1"), number("-2.50"), number("1E+100")]),
        no_tags: HashSet::new(),
        no_ids: BTreeSet::new(),
        no_blobs: BTreeSet::new(),
        counts: HashMap::from([("views".into(), i64::MAX), ("likes".into(), -1)]),
        prefs: BTreeMap::from([
            ("color".into(), Some("red".into())),
            ("font".into(), None),
            ("motto".into(), Some(String::new())),
        ]),
        empty_map: HashMap::new(),
        nickname: Some("ally".into()),
        score: Some(0),
        created: UNIX_EPOCH + Duration::new(1_700_000_000, 123_456_789),
        ancient: UNIX_EPOCH + Duration::new(9_999_999_999, 999_999_999),
        exact: number("12345678901234567890123456789012345678"),
        largest: number("9.9999999999999999999999999999999999999E+125"),
        smallest: number("1E-130"),
        boxed: Box::new(Some(u32::MAX)),
        history: Some(vec![
            HashMap::from([
                ("avatar".into(), Some(vec![0xff, 0xd8, 0xff])),
                ("banner".into(), None),
                ("empty".into(), Some(Vec::new())),
            ]),
            HashMap::new(),
        ]),
        shelves: vec![BTreeSet::from(["x".into()]), BTreeSet::new()],
    }
}

fn low() -> Everything {
    Everything {
        id: "low".into(),
        text: "\0".into(),
        empty_text: String::new(),
        letter: '\0',
        tiny: i8::MIN,
        short: i16::MIN,
        int: i32::MIN,
        long: i64::MIN,
        wide: -(WIDEST as i128),
        offset: isize::MIN,
        byte: 0,
        ushort: 0,
        uint: 0,
        ulong: 0,
        uwide: 0,
        count: 0,
        // A subnormal f32 is still well inside DynamoDB's range.
        single: f32::from_bits(1),
        double: -1e-130,
        flag: false,
        bytes: vec![0],
        empty_bytes: Vec::new(),
        names: Vec::new(),
        queue: VecDeque::new(),
        triple: [0; 3],
        empty_list: Vec::new(),
        tags: HashSet::from([String::new()]),
        ids: BTreeSet::from([0]),
        blobs: HashSet::from([Vec::new()]),
        amounts: BTreeSet::from([number("-9.9999999999999999999999999999999999999E+125")]),
        no_tags: HashSet::new(),
        no_ids: BTreeSet::new(),
        no_blobs: BTreeSet::new(),
        counts: HashMap::new(),
        prefs: BTreeMap::new(),
        empty_map: HashMap::new(),
        nickname: None,
        score: None,
        created: UNIX_EPOCH - Duration::new(86_400, 1),
        ancient: UNIX_EPOCH - Duration::new(9_999_999_999, 999_999_999),
        exact: number("-0.12345678901234567890123456789012345678"),
        largest: number("-9.9999999999999999999999999999999999999E+125"),
        smallest: number("-1E-130"),
        boxed: Box::new(None),
        history: None,
        shelves: Vec::new(),
    }
}

async fn raw_item(table: &Table<Everything>, id: &str) -> Item {
    table
        .client()
        .get_item()
        .table_name(table.name())
        .key("id", AttributeValue::S(id.into()))
        .consistent_read(true)
        .send()
        .await
        .unwrap()
        .item
        .unwrap()
}

async fn put_raw(table: &Table<Everything>, item: Item) {
    table
        .client()
        .put_item()
        .table_name(table.name())
        .set_item(Some(item))
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn every_type_round_trips_with_edge_values() {
    let fx = Fixture::<Everything>::new("roundtrip-edges").await;
    for item in [high(), low()] {
        fx.table.put(&item).await.unwrap();
        let back = fx.table.get(&item.id).consistent().await.unwrap();
        assert_eq!(back.as_ref(), Some(&item));
        // Numbers come back with the same value, whatever text the service returns.
        let back = back.unwrap();
        assert_eq!(back.double.to_bits(), item.double.to_bits());
        assert_eq!(back.single.to_bits(), item.single.to_bits());
    }
    fx.cleanup().await;
}

#[tokio::test]
async fn absent_values_are_omitted_and_empty_values_stored() {
    let fx = Fixture::<Everything>::new("roundtrip-raw").await;
    fx.table.put(&low()).await.unwrap();
    let raw = raw_item(&fx.table, "low").await;
    // Empty sets and `None` are left out of the item.
    for absent in [
        "no_tags", "no_ids", "no_blobs", "nickname", "score", "history", "boxed",
    ] {
        assert!(!raw.contains_key(absent), "{absent}: {:?}", raw.get(absent));
    }
    // Empty strings, binaries, lists and maps are stored.
    assert_eq!(raw["empty_text"], AttributeValue::S(String::new()));
    assert_eq!(raw["empty_bytes"], AttributeValue::B(Blob::new(Vec::new())));
    assert_eq!(raw["empty_list"], AttributeValue::L(Vec::new()));
    assert_eq!(raw["empty_map"], AttributeValue::M(HashMap::new()));
    assert_eq!(raw["tags"], AttributeValue::Ss(vec![String::new()]));

    fx.table.put(&high()).await.unwrap();
    let raw = raw_item(&fx.table, "high").await;
    // `None` inside maps and empty sets inside lists are NULL.
    let AttributeValue::M(prefs) = &raw["prefs"] else {
        panic!("prefs: {:?}", raw["prefs"])
    };
    assert_eq!(prefs["font"], AttributeValue::Null(true));
    let AttributeValue::L(shelves) = &raw["shelves"] else {
        panic!("shelves: {:?}", raw["shelves"])
    };
    assert_eq!(shelves[1], AttributeValue::Null(true));
    let AttributeValue::N(exact) = &raw["exact"] else {
        panic!("exact: {:?}", raw["exact"])
    };
    assert_eq!(exact, "12345678901234567890123456789012345678");
    fx.cleanup().await;
}

// ---- a property through the live table ----

#[resource(service = "dynamodb", key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Sample {
    id: String,
    text: String,
    letter: char,
    long: i64,
    ulong: u64,
    wide: i128,
    double: f64,
    single: f32,
    flag: bool,
    bytes: Vec<u8>,
    tags: HashSet<String>,
    amounts: BTreeSet<Number>,
    created: SystemTime,
    prefs: BTreeMap<String, Option<String>>,
    history: History,
    nested: Vec<BTreeMap<String, BTreeSet<i64>>>,
}

/// Finite doubles that DynamoDB can store: zero, or a magnitude between the
/// doubles nearest 1E-130 and 1E+126.
fn storable_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<u64>().prop_map(f64::from_bits),
        any::<f64>(),
        Just(0.0),
        Just(1e-130),
    ]
    .prop_filter("within DynamoDB's range", |v| {
        *v == 0.0 || (1e-130..1e126).contains(&v.abs())
    })
}

/// Numbers of up to 38 significant digits within DynamoDB's exponent range.
fn storable_number() -> impl Strategy<Value = Number> {
    (any::<bool>(), "[1-9][0-9]{0,37}", -130i32..=88).prop_map(|(negative, digits, exponent)| {
        let sign = if negative { "-" } else { "" };
        format!("{sign}{digits}E{exponent}").parse().unwrap()
    })
}

fn system_time() -> impl Strategy<Value = SystemTime> {
    // Within what every platform's `SystemTime` holds (years 1653 to 2286).
    (any::<bool>(), 0u64..10_000_000_000, 0u32..1_000_000_000).prop_map(|(before, secs, nanos)| {
        let offset = Duration::new(secs, nanos);
        if before {
            UNIX_EPOCH - offset
        } else {
            UNIX_EPOCH + offset
        }
    })
}

fn sample() -> impl Strategy<Value = Sample> {
    let key = || "\\PC{1,6}";
    let scalars = (
        "[a-z0-9]{1,12}",
        any::<String>(),
        any::<char>(),
        any::<i64>(),
        any::<u64>(),
        -(10i128.pow(38) - 1)..10i128.pow(38),
        storable_f64(),
        any::<f32>().prop_filter("finite", |v| v.is_finite()),
        any::<bool>(),
    );
    let collections = (
        vec(any::<u8>(), 0..32),
        hash_set(any::<String>(), 0..4),
        btree_set(storable_number(), 0..4),
        system_time(),
        btree_map(key(), proptest::option::of(any::<String>()), 0..4),
        proptest::option::of(vec(
            hash_map(key(), proptest::option::of(vec(any::<u8>(), 0..8)), 0..3),
            0..3,
        )),
        vec(btree_map(key(), btree_set(any::<i64>(), 0..3), 0..3), 0..3),
    );
    (scalars, collections).prop_map(
        |(
            (id, text, letter, long, ulong, wide, double, single, flag),
            (bytes, tags, amounts, created, prefs, history, nested),
        )| Sample {
            id,
            text,
            letter,
            long,
            ulong,
            wide,
            double,
            single,
            flag,
            bytes,
            tags,
            amounts,
            created,
            prefs,
            history,
            nested,
        },
    )
}

#[test]
fn arbitrary_items_round_trip_through_the_table() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let fx = runtime.block_on(Fixture::<Sample>::new("roundtrip-prop"));
    let mut runner = TestRunner::new(Config {
        cases: 32,
        failure_persistence: None,
        ..Config::default()
    });
    let result = runner.run(&sample(), |sample| {
        runtime.block_on(async {
            fx.table
                .put(&sample)
                .await
                .map_err(|e| TestCaseError::fail(format!("put: {e}")))?;
            let back = fx
                .table
                .get(&sample.id)
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

// ---- values DynamoDB cannot store are refused before sending ----

#[tokio::test]
async fn unstorable_numbers_are_refused_client_side() {
    let fx = Fixture::<Everything>::new("roundtrip-refused").await;
    let table = fx.table.name().to_owned();
    let mut cases: Vec<(Everything, String)> = Vec::new();

    let mut item = high();
    item.uwide = u128::MAX;
    cases.push((
        item,
        format!(
            "table `{table}`: invalid request: attribute `uwide`: \
             340282366920938463463374607431768211455 has 39 significant digits; \
             DynamoDB keeps at most 38"
        ),
    ));
    let mut item = high();
    item.wide = i128::MIN;
    cases.push((
        item,
        format!(
            "table `{table}`: invalid request: attribute `wide`: \
             -170141183460469231731687303715884105728 has 39 significant digits; \
             DynamoDB keeps at most 38"
        ),
    ));
    let mut item = high();
    item.double = f64::from_bits(1);
    cases.push((
        item,
        format!(
            "table `{table}`: invalid request: attribute `double`: 5e-324 is smaller in \
             magnitude than DynamoDB's minimum 1E-130"
        ),
    ));
    let mut item = high();
    item.double = f64::NAN;
    cases.push((
        item,
        format!(
            "table `{table}`: invalid request: attribute `double`: NaN is not a number \
             DynamoDB accepts (NaN and infinity are not)"
        ),
    ));
    let mut item = high();
    item.single = f32::NEG_INFINITY;
    cases.push((
        item,
        format!(
            "table `{table}`: invalid request: attribute `single`: -inf is not a number \
             DynamoDB accepts (NaN and infinity are not)"
        ),
    ));
    let mut item = high();
    item.amounts.insert(number("1E126"));
    cases.push((
        item,
        format!(
            "table `{table}`: invalid request: attribute `amounts`: 1E126 is larger in \
             magnitude than DynamoDB's maximum 9.9999999999999999999999999999999999999E+125"
        ),
    ));

    for (item, message) in cases {
        let err = fx.table.put(&item).await.unwrap_err();
        assert!(err.is_validation(), "{err:?}");
        assert_eq!(err.code(), None, "refused client-side, not by the service");
        assert_eq!(err.to_string(), message);
    }
    // Nothing was written.
    assert_eq!(fx.table.get("high").consistent().await.unwrap(), None);
    fx.cleanup().await;
}

// ---- items that do not match the type ----

async fn read_error(fx: &Fixture<Everything>, item: Item) -> String {
    put_raw(&fx.table, item).await;
    let err = fx.table.get("high").consistent().await.unwrap_err();
    assert!(err.is_decode(), "{err:?}");
    let decode = err.as_decode().unwrap().to_string();
    assert_eq!(
        err.to_string(),
        format!("table `{}`: cannot read item: {decode}", fx.table.name())
    );
    decode
}

#[tokio::test]
async fn missing_and_wrong_typed_attributes_are_named() {
    let fx = Fixture::<Everything>::new("roundtrip-decode").await;
    let with = |name: &str, value: Option<AttributeValue>| {
        let mut item = high().to_item();
        match value {
            Some(value) => item.insert(name.into(), value),
            None => item.remove(name),
        };
        item
    };
    let cases = [
        (
            with("letter", None),
            "attribute `letter` is missing (expected S)",
        ),
        (
            with("bytes", None),
            "attribute `bytes` is missing (expected B)",
        ),
        (
            with("names", None),
            "attribute `names` is missing (expected L)",
        ),
        (
            with("created", None),
            "attribute `created` is missing (expected N)",
        ),
        (
            with("long", Some(AttributeValue::S("9".into()))),
            "attribute `long`: expected N for `i64`, found S",
        ),
        (
            with("byte", Some(AttributeValue::N("300".into()))),
            "attribute `byte`: cannot read `u8`: 300 is out of range for `u8`",
        ),
        (
            with("uint", Some(AttributeValue::N("-1".into()))),
            "attribute `uint`: cannot read `u32`: -1 is out of range for `u32`",
        ),
        (
            with("int", Some(AttributeValue::N("1.5".into()))),
            "attribute `int`: cannot read `i32`: 1.5 is not an integer",
        ),
        (
            with("tags", Some(AttributeValue::L(Vec::new()))),
            "attribute `tags`: expected SS for `HashSet<String>`, found L",
        ),
        (
            with("flag", Some(AttributeValue::Null(true))),
            "attribute `flag`: expected BOOL for `bool`, found NULL",
        ),
        (
            with(
                "created",
                Some(AttributeValue::N("1.0000000001".into())),
            ),
            "attribute `created`: cannot read `SystemTime`: 1.0000000001: more precise than nanoseconds",
        ),
        (
            with(
                "queue",
                Some(AttributeValue::L(vec![
                    AttributeValue::N("1".into()),
                    AttributeValue::N("2".into()),
                    AttributeValue::S("3".into()),
                ])),
            ),
            "attribute `queue[2]`: expected N for `i32`, found S",
        ),
        (
            with(
                "prefs",
                Some(AttributeValue::M(HashMap::from([(
                    "color".to_owned(),
                    AttributeValue::N("1".into()),
                )]))),
            ),
            "attribute `prefs.color`: expected S for `String`, found N",
        ),
        (
            with(
                "history",
                Some(AttributeValue::L(vec![
                    AttributeValue::M(HashMap::new()),
                    AttributeValue::M(HashMap::from([(
                        "avatar".to_owned(),
                        AttributeValue::S("not bytes".into()),
                    )])),
                ])),
            ),
            "attribute `history[1].avatar`: expected B for `Vec<u8>`, found S",
        ),
        (
            with(
                "triple",
                Some(AttributeValue::L(vec![AttributeValue::N("1".into())])),
            ),
            "attribute `triple`: cannot read `[u16; 3]`: expected 3 elements, found 1",
        ),
    ];
    for (item, message) in cases {
        assert_eq!(read_error(&fx, item).await, message);
    }
    fx.cleanup().await;
}
