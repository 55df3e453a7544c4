use std::collections::{BTreeMap, BTreeSet, HashMap};

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

use super::{from_attribute, to_attribute, to_attribute_or_absent};
use crate::value::DecodeError;

fn n(text: &str) -> AttributeValue {
    AttributeValue::N(text.into())
}

fn s(text: &str) -> AttributeValue {
    AttributeValue::S(text.into())
}

fn m<const N: usize>(entries: [(&str, AttributeValue); N]) -> AttributeValue {
    AttributeValue::M(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

fn null() -> AttributeValue {
    AttributeValue::Null(true)
}

/// `#[serde(with = "bytes")]`: bytes through `serialize_bytes`, as
/// `serde_bytes` writes them.
mod bytes {
    use serde::{Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(value: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(value)
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Vec<u8>, D::Error> {
        struct Bytes;
        impl serde::de::Visitor<'_> for Bytes {
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
struct Unit;

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Wrapper(u32);

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
enum Shape {
    Dot,
    Circle(f64),
    Line(i32, i32),
    Rect { w: u32, h: u32 },
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Colour {
    Red,
    Green,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Event {
    Created { by: String, at: u64 },
    Moved { to: Vec<i64>, note: Option<String> },
    Deleted,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(tag = "t", content = "c")]
enum Adjacent {
    Amount(i64),
    Pair(String, bool),
    Nothing,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Everything {
    flag: bool,
    small: i8,
    big: i128,
    unsigned: u128,
    max: u64,
    ratio: f64,
    single: f32,
    letter: char,
    text: String,
    #[serde(with = "bytes")]
    blob: Vec<u8>,
    raw: Vec<u8>,
    maybe: Option<String>,
    nothing: Option<String>,
    unit: (),
    unit_struct: Unit,
    wrapper: Wrapper,
    pair: (String, u8),
    list: Vec<Option<u32>>,
    set: BTreeSet<String>,
    by_id: BTreeMap<u32, String>,
    by_flag: BTreeMap<bool, u8>,
    by_colour: BTreeMap<Colour, Vec<Shape>>,
    shapes: Vec<Shape>,
    events: Vec<Event>,
    adjacent: Vec<Adjacent>,
    nested: HashMap<String, Vec<HashMap<String, Option<Wrapper>>>>,
}

fn everything() -> Everything {
    Everything {
        flag: true,
        small: -8,
        big: i128::MIN,
        unsigned: u128::MAX,
        max: u64::MAX,
        ratio: 0.1,
        single: 1.5,
        letter: 'é',
        text: "héllo".into(),
        blob: vec![0, 1, 255],
        raw: vec![7, 8],
        maybe: Some("yes".into()),
        nothing: None,
        unit: (),
        unit_struct: Unit,
        wrapper: Wrapper(7),
        pair: ("a".into(), 2),
        list: vec![Some(1), None],
        set: BTreeSet::from(["x".into(), "y".into()]),
        by_id: BTreeMap::from([(1, "one".into()), (20, "twenty".into())]),
        by_flag: BTreeMap::from([(false, 0)]),
        by_colour: BTreeMap::from([(Colour::Red, vec![Shape::Dot])]),
        shapes: vec![
            Shape::Dot,
            Shape::Circle(1e-130),
            Shape::Line(-1, 2),
            Shape::Rect { w: 3, h: 4 },
        ],
        events: vec![
            Event::Created {
                by: "ann".into(),
                at: 1_700_000_000,
            },
            Event::Moved {
                to: vec![1, -2],
                note: None,
            },
            Event::Deleted,
        ],
        adjacent: vec![
            Adjacent::Amount(-5),
            Adjacent::Pair("p".into(), false),
            Adjacent::Nothing,
        ],
        nested: HashMap::from([(
            "k".into(),
            vec![HashMap::from([
                ("some".into(), Some(Wrapper(1))),
                ("none".into(), None),
            ])],
        )]),
    }
}

#[test]
fn maps_the_data_model_as_documented() {
    let AttributeValue::M(map) = to_attribute(&everything()) else {
        panic!("a struct is a map")
    };
    assert_eq!(map["flag"], AttributeValue::Bool(true));
    assert_eq!(map["small"], n("-8"));
    assert_eq!(map["big"], n("-170141183460469231731687303715884105728"));
    assert_eq!(
        map["unsigned"],
        n("340282366920938463463374607431768211455")
    );
    assert_eq!(map["max"], n("18446744073709551615"));
    assert_eq!(map["ratio"], n("0.1"));
    assert_eq!(map["single"], n("1.5"));
    assert_eq!(map["letter"], s("é"));
    assert_eq!(map["blob"], AttributeValue::B(Blob::new(vec![0, 1, 255])));
    // A plain `Vec<u8>` is a sequence to serde.
    assert_eq!(map["raw"], AttributeValue::L(vec![n("7"), n("8")]));
    assert_eq!(map["maybe"], s("yes"));
    assert!(!map.contains_key("nothing"), "a `None` field is left out");
    assert_eq!(map["unit"], null());
    assert_eq!(map["unit_struct"], null());
    assert_eq!(map["wrapper"], n("7"));
    assert_eq!(map["pair"], AttributeValue::L(vec![s("a"), n("2")]));
    assert_eq!(map["list"], AttributeValue::L(vec![n("1"), null()]));
    assert_eq!(map["set"], AttributeValue::L(vec![s("x"), s("y")]));
    assert_eq!(map["by_id"], m([("1", s("one")), ("20", s("twenty"))]));
    assert_eq!(map["by_flag"], m([("false", n("0"))]));
    assert_eq!(
        map["by_colour"],
        m([("Red", AttributeValue::L(vec![s("Dot")]))])
    );
    assert_eq!(
        map["shapes"],
        AttributeValue::L(vec![
            s("Dot"),
            m([("Circle", n("1e-130"))]),
            m([("Line", AttributeValue::L(vec![n("-1"), n("2")]))]),
            m([("Rect", m([("w", n("3")), ("h", n("4"))]))]),
        ])
    );
    assert_eq!(
        map["events"],
        AttributeValue::L(vec![
            m([
                ("type", s("created")),
                ("by", s("ann")),
                ("at", n("1700000000"))
            ]),
            m([
                ("type", s("moved")),
                ("to", AttributeValue::L(vec![n("1"), n("-2")])),
            ]),
            m([("type", s("deleted"))]),
        ])
    );
    assert_eq!(
        map["adjacent"],
        AttributeValue::L(vec![
            m([("t", s("Amount")), ("c", n("-5"))]),
            m([
                ("t", s("Pair")),
                (
                    "c",
                    AttributeValue::L(vec![s("p"), AttributeValue::Bool(false)])
                )
            ]),
            m([("t", s("Nothing"))]),
        ])
    );
    assert_eq!(
        map["nested"],
        m([(
            "k",
            AttributeValue::L(vec![m([("some", n("1")), ("none", null())])])
        )])
    );
    assert_eq!(
        from_attribute::<Everything>(AttributeValue::M(map)),
        Ok(everything())
    );
}

#[test]
fn none_is_absent_at_the_top_and_null_inside() {
    assert_eq!(to_attribute_or_absent(&None::<u32>), None);
    assert_eq!(to_attribute(&None::<u32>), null());
    assert_eq!(to_attribute_or_absent(&Some(3)), Some(n("3")));
    assert_eq!(to_attribute(&Some(None::<u32>)), null());
    assert_eq!(from_attribute::<Option<u32>>(null()), Ok(None));
    assert_eq!(
        to_attribute(&[None::<u32>]),
        AttributeValue::L(vec![null()])
    );
}

#[test]
fn reads_sets_and_binaries_as_sequences() {
    let tags = AttributeValue::Ss(vec!["a".into(), "b".into()]);
    assert_eq!(
        from_attribute::<BTreeSet<String>>(tags),
        Ok(BTreeSet::from(["a".into(), "b".into()]))
    );
    let numbers = AttributeValue::Ns(vec!["1".into(), "2".into()]);
    assert_eq!(from_attribute::<Vec<u64>>(numbers), Ok(vec![1, 2]));
    let binary = AttributeValue::B(Blob::new(vec![1, 2]));
    assert_eq!(from_attribute::<Vec<u8>>(binary), Ok(vec![1, 2]));
}

#[test]
fn errors_name_the_path_inside_the_value_and_the_types() {
    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Item {
        zip: String,
    }
    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Meta {
        items: Vec<Item>,
    }
    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Doc {
        meta: Meta,
    }
    let item = |zip| m([("zip", zip)]);
    let doc = m([(
        "meta",
        m([(
            "items",
            AttributeValue::L(vec![
                item(s("a")),
                item(s("b")),
                item(s("c")),
                item(n("75001")),
            ]),
        )]),
    )]);
    let err = from_attribute::<Doc>(doc).unwrap_err().in_field("doc");
    assert_eq!(err.path_string(), "doc.meta.items[3].zip");
    assert_eq!(
        err.to_string(),
        "attribute `doc.meta.items[3].zip`: expected S for a string, found N"
    );

    let missing = m([("meta", m([("items", AttributeValue::L(vec![m([])]))]))]);
    let err = from_attribute::<Doc>(missing).unwrap_err();
    assert!(err.is_missing());
    assert_eq!(
        err.to_string(),
        "attribute `meta.items[0].zip` is missing (expected a value)"
    );

    let shapes = AttributeValue::L(vec![
        s("Dot"),
        m([("Rect", m([("w", n("1")), ("h", s("2"))]))]),
    ]);
    assert_eq!(
        from_attribute::<Vec<Shape>>(shapes)
            .unwrap_err()
            .to_string(),
        "attribute `[1].Rect.h`: expected N for u32, found S"
    );
    assert_eq!(
        from_attribute::<Shape>(s("Square"))
            .unwrap_err()
            .to_string(),
        "value: unknown variant `Square`, expected one of `Dot`, `Circle`, `Line`, `Rect`"
    );
    assert_eq!(
        from_attribute::<BTreeMap<u8, bool>>(m([("300", AttributeValue::Bool(true))]))
            .unwrap_err()
            .to_string(),
        "value: map key \"300\" is not u8"
    );
    assert_eq!(
        from_attribute::<u8>(n("300")).unwrap_err().to_string(),
        "value: cannot read `u8`: 300 is out of range for `u8`"
    );
    assert_eq!(
        from_attribute::<(u8, u8)>(AttributeValue::L(vec![n("1"), n("2"), n("3")]))
            .unwrap_err()
            .to_string(),
        "value: invalid length 3, expected a list of 2 values"
    );
}

#[test]
fn numbers_for_any_type_are_exact_or_an_error() {
    use serde_json::Value;

    assert_eq!(
        from_attribute::<Value>(n("0.1")),
        Ok(serde_json::json!(0.1))
    );
    assert_eq!(
        from_attribute::<Value>(n("1E-130")),
        Ok(serde_json::json!(1e-130))
    );
    assert_eq!(
        from_attribute::<Value>(n("1.5E1")),
        Ok(serde_json::json!(15))
    );
    assert_eq!(
        from_attribute::<Value>(n("18446744073709551615")),
        Ok(serde_json::json!(u64::MAX))
    );
    assert_eq!(
        from_attribute::<Value>(n("-9223372036854775808")),
        Ok(serde_json::json!(i64::MIN))
    );
    // 38 digits: not an f64, and past what `serde_json::Number` holds
    // without `arbitrary_precision`: an error, not a rounded value.
    let err = from_attribute::<Value>(n("12345678901234567890123456789012345678")).unwrap_err();
    assert!(err.to_string().starts_with("value: "), "{err}");
    let err = from_attribute::<Value>(n("0.12345678901234567890123456789012345678")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "value: 0.12345678901234567890123456789012345678 is neither an integer within \
         i128/u128 nor exactly an f64, so it cannot be given to any valid JSON value \
         without rounding; read it into a field of a numeric type, or of `resourceful::Number`"
    );

    // An untagged enum asks for any value too.
    #[derive(Deserialize, Debug, PartialEq)]
    #[serde(untagged)]
    enum Amount {
        Whole(u64),
        Fraction(f64),
        Text(String),
    }
    assert_eq!(from_attribute::<Amount>(n("42")), Ok(Amount::Whole(42)));
    assert_eq!(
        from_attribute::<Amount>(n("0.5")),
        Ok(Amount::Fraction(0.5))
    );
    assert_eq!(
        from_attribute::<Amount>(s("x")),
        Ok(Amount::Text("x".into()))
    );
    assert!(from_attribute::<Amount>(n("0.12345678901234567890123456789012345678")).is_err());
    assert!(from_attribute::<Amount>(n("12345678901234567890123456789012345678")).is_err());
}

#[test]
fn a_failing_serialize_is_a_value_that_validation_refuses() {
    struct Fails;
    impl Serialize for Fails {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("the clock is not set"))
        }
    }
    #[derive(Serialize)]
    struct Outer {
        inner: Vec<Fails>,
    }
    let written = to_attribute(&Outer { inner: vec![Fails] });
    let err = crate::validate::value("t", "doc", &written).unwrap_err();
    assert!(err.is_validation());
    assert_eq!(
        err.to_string(),
        "table `t`: invalid request: attribute `doc` cannot be written through serde: \
         at `inner[0]`: the clock is not set"
    );

    #[derive(Serialize)]
    struct FloatKeyed(BTreeMap<Key, u8>);
    #[derive(Serialize, PartialEq, Eq, PartialOrd, Ord)]
    struct Key(Vec<u8>);
    let written = to_attribute(&FloatKeyed(BTreeMap::from([(Key(vec![1]), 1)])));
    assert_eq!(
        crate::validate::value("t", "doc", &written)
            .unwrap_err()
            .to_string(),
        "table `t`: invalid request: attribute `doc` cannot be written through serde: \
         a map key must be a string, a char, an integer, a bool or a unit variant, found a sequence"
    );
}

#[test]
fn nan_is_refused_like_a_float_field() {
    let written = to_attribute(&vec![1.0, f64::NAN]);
    let err = crate::validate::value("t", "ratios", &written).unwrap_err();
    assert!(
        err.to_string()
            .contains("attribute `ratios[1]`: NaN is not a number"),
        "{err}"
    );
}

/// What `deserialize_any` gave the visitor, as it gave it.
#[derive(Debug)]
enum Seen {
    Unsigned(u128),
    Signed(i128),
    Float(f64),
}

impl<'de> Deserialize<'de> for Seen {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Seen;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number")
            }
            fn visit_u64<E>(self, v: u64) -> Result<Seen, E> {
                Ok(Seen::Unsigned(v.into()))
            }
            fn visit_u128<E>(self, v: u128) -> Result<Seen, E> {
                Ok(Seen::Unsigned(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Seen, E> {
                Ok(Seen::Signed(v.into()))
            }
            fn visit_i128<E>(self, v: i128) -> Result<Seen, E> {
                Ok(Seen::Signed(v))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Seen, E> {
                Ok(Seen::Float(v))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

fn decimal_f64() -> impl Strategy<Value = f64> {
    any::<f64>().prop_filter("storable", |f| {
        f.is_finite() && (f.abs() >= 1e-130 || *f == 0.0) && f.abs() < 1e125
    })
}

fn shape() -> impl Strategy<Value = Shape> {
    prop_oneof![
        Just(Shape::Dot),
        decimal_f64().prop_map(Shape::Circle),
        (any::<i32>(), any::<i32>()).prop_map(|(a, b)| Shape::Line(a, b)),
        (any::<u32>(), any::<u32>()).prop_map(|(w, h)| Shape::Rect { w, h }),
    ]
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        (any::<String>(), any::<u64>()).prop_map(|(by, at)| Event::Created { by, at }),
        (
            proptest::collection::vec(any::<i64>(), 0..3),
            proptest::option::of(any::<String>())
        )
            .prop_map(|(to, note)| Event::Moved { to, note }),
        Just(Event::Deleted),
    ]
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Doc {
    big: i128,
    unsigned: u128,
    ratio: f64,
    #[serde(with = "bytes")]
    blob: Vec<u8>,
    shapes: Vec<Option<Shape>>,
    events: BTreeMap<String, Vec<Event>>,
    by_id: HashMap<u64, Option<Vec<Shape>>>,
    json: serde_json::Value,
}

fn doc() -> impl Strategy<Value = Doc> {
    (
        any::<i128>(),
        any::<u128>(),
        decimal_f64(),
        proptest::collection::vec(any::<u8>(), 0..8),
        proptest::collection::vec(proptest::option::of(shape()), 0..4),
        proptest::collection::btree_map(
            "\\PC{0,6}",
            proptest::collection::vec(event(), 0..3),
            0..3,
        ),
        proptest::collection::hash_map(
            any::<u64>(),
            proptest::option::of(proptest::collection::vec(shape(), 0..3)),
            0..3,
        ),
        (any::<i64>(), any::<String>())
            .prop_map(|(i, s)| serde_json::json!({"i": i, "s": [s, null]})),
    )
        .prop_map(
            |(big, unsigned, ratio, blob, shapes, events, by_id, json)| Doc {
                big,
                unsigned,
                ratio,
                blob,
                shapes,
                events,
                by_id,
                json,
            },
        )
}

proptest! {
    #[test]
    fn round_trips(value in doc()) {
        prop_assert_eq!(from_attribute::<Doc>(to_attribute(&value)), Ok(value));
    }

    #[test]
    fn reading_any_number_never_rounds(
        negative in any::<bool>(),
        digits in "[1-9][0-9]{0,37}",
        exponent in -130i32..=88,
    ) {
        let sign = if negative { "-" } else { "" };
        let text = format!("{sign}{digits}E{exponent}");
        let stored = crate::value::Decimal::parse(&text).unwrap();
        let same = |written: String| crate::value::Decimal::parse(&written) == Some(stored);
        match from_attribute::<Seen>(n(&text)) {
            Ok(Seen::Unsigned(v)) => prop_assert!(same(v.to_string()), "{} read as {}", text, v),
            Ok(Seen::Signed(v)) => prop_assert!(same(v.to_string()), "{} read as {}", text, v),
            Ok(Seen::Float(v)) => prop_assert!(same(format!("{v:e}")), "{} read as {}", text, v),
            // Refused only when it is no integer of 128 bits (a u128, or
            // an i128 for a negative one) and no f64.
            Err(_) => {
                let no_integer = match stored.to_integer() {
                    Ok((true, magnitude)) => magnitude > 1u128 << 127,
                    Ok((false, _)) => false,
                    Err(_) => true,
                };
                prop_assert!(no_integer && digits.len() > 15, "{} refused", text);
            }
        }
    }

    #[test]
    fn arbitrary_values_are_errors_not_panics(text in any::<String>(), number in "[-+0-9.eE]{0,12}") {
        let _ = from_attribute::<Doc>(m([("big", s(&text)), ("ratio", n(&number))]));
        let _ = from_attribute::<serde_json::Value>(n(&number));
    }
}

#[test]
fn numbers_keep_their_exact_text() {
    use crate::Number;

    #[derive(Serialize, Deserialize, Debug, PartialEq)]
    struct Priced {
        price: Number,
        by_rate: BTreeMap<Number, Vec<Number>>,
    }
    let text = "0.12345678901234567890123456789012345678";
    let priced = Priced {
        price: text.parse().unwrap(),
        by_rate: BTreeMap::from([("1.5".parse().unwrap(), vec![Number::from(u128::MAX)])]),
    };
    let written = to_attribute(&priced);
    assert_eq!(
        written,
        m([
            ("price", n(text)),
            (
                "by_rate",
                m([("1.5", AttributeValue::L(vec![n(&u128::MAX.to_string())]))])
            ),
        ])
    );
    let back: Priced = from_attribute(written).unwrap();
    assert_eq!(back.price.as_str(), text);
    assert_eq!(back, priced);
    // Other writers' forms of a number.
    assert_eq!(
        from_attribute::<Number>(s("2.50")),
        Ok("2.5".parse().unwrap())
    );
    assert!(from_attribute::<Number>(s("two")).is_err());
    // serde_json writes the text as a string, and reads it back.
    let json = serde_json::to_string(&priced.price).unwrap();
    assert_eq!(json, format!("{text:?}"));
    assert_eq!(
        serde_json::from_str::<Number>(&json).unwrap().as_str(),
        text
    );
    assert_eq!(
        serde_json::from_str::<Number>("12").unwrap(),
        Number::from(12)
    );
}

#[test]
fn decode_error_is_a_decode_error() {
    let err: DecodeError = from_attribute::<u32>(s("x")).unwrap_err();
    assert_eq!(err.to_string(), "value: expected N for u32, found S");
}
