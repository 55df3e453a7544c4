//! Round trips for every mapped type, the exact text written for numbers and
//! times, decode errors, and DynamoDB's limits on numbers.

use std::fmt::Debug;

use proptest::collection::{btree_map, btree_set, hash_map, hash_set, vec};
use proptest::prelude::*;

use super::*;
use crate::__private::{decode_field, encode_field};

fn n(text: &str) -> AttributeValue {
    AttributeValue::N(text.to_owned())
}

fn s(text: &str) -> AttributeValue {
    AttributeValue::S(text.to_owned())
}

fn decode<T: FromAttribute>(value: AttributeValue) -> Result<T, DecodeError> {
    T::from_attribute(value)
}

fn decode_error<T: FromAttribute + Debug>(value: AttributeValue) -> String {
    decode::<T>(value).unwrap_err().to_string()
}

/// Writes `value` as a top-level attribute and reads it back, as generated
/// `to_item`/`from_item` code does: absent values are left out of the item.
fn through_item<T: ToAttribute + FromAttribute>(value: &T) -> (Option<AttributeValue>, T) {
    let mut item = Item::new();
    encode_field(&mut item, "a", value);
    let stored = item.get("a").cloned();
    let back = decode_field::<T>(&mut item, "a").expect("reads back");
    (stored, back)
}

/// Asserts that `value` survives both as a nested value and as a top-level
/// attribute, and returns what it is written as.
fn round_trip<T>(value: T) -> AttributeValue
where
    T: ToAttribute + FromAttribute + PartialEq + Debug,
{
    let written = value.to_attribute();
    let back = decode::<T>(written.clone()).unwrap_or_else(|e| panic!("{value:?}: {e}"));
    assert_eq!(back, value, "as {written:?}");
    assert_eq!(through_item(&value).1, value);
    written
}

// ---- strings and bool ----

#[test]
fn strings() {
    assert_eq!(round_trip(String::new()), s(""));
    assert_eq!(
        round_trip("héllo, 世界 🦀\0\u{FFFF}".to_owned()),
        s("héllo, 世界 🦀\0\u{FFFF}")
    );
    assert_eq!("borrowed".to_attribute(), s("borrowed"));
    // An empty string is stored, not omitted.
    assert_eq!(through_item(&String::new()).0, Some(s("")));
}

#[test]
fn chars() {
    for c in ['a', '\0', 'é', '🦀', char::MAX] {
        assert_eq!(round_trip(c), s(&c.to_string()));
    }
    assert_eq!(
        decode_error::<char>(s("")),
        r#"value: cannot read `char`: expected exactly one character, found 0 in """#
    );
    assert_eq!(
        decode_error::<char>(s("ab")),
        r#"value: cannot read `char`: expected exactly one character, found 2 in "ab""#
    );
}

#[test]
fn bools() {
    assert_eq!(round_trip(true), AttributeValue::Bool(true));
    assert_eq!(round_trip(false), AttributeValue::Bool(false));
    assert_eq!(
        decode_error::<bool>(s("true")),
        "value: expected BOOL for `bool`, found S"
    );
}

proptest! {
    #[test]
    fn any_string_round_trips(v in any::<String>()) {
        prop_assert_eq!(round_trip(v.clone()), AttributeValue::S(v));
    }

    #[test]
    fn any_char_round_trips(c in any::<char>()) {
        round_trip(c);
    }
}

// ---- integers ----

/// The same integer written in other decimal forms: scientific, with a
/// fraction of zeros, with trailing zeros and a negative exponent.
fn integer_forms(text: &str) -> Vec<String> {
    let (sign, digits) = match text.strip_prefix('-') {
        Some(digits) => ("-", digits),
        None => ("", text),
    };
    let mut forms = vec![
        format!("{sign}0.{digits}E{}", digits.len()),
        format!(
            "{sign}{}.{}e+{}",
            &digits[..1],
            &digits[1..],
            digits.len() - 1
        ),
        format!("{text}.000"),
        format!("{text}00E-2"),
    ];
    if sign.is_empty() {
        forms.push(format!("+{digits}"));
    }
    forms
}

macro_rules! integer_tests {
    ($($module:ident: $t:ty,)*) => {$(
        mod $module {
            use super::*;

            #[test]
            fn extremes() {
                for v in [<$t>::MIN, <$t>::MAX, 0, 1] {
                    assert_eq!(round_trip(v), n(&v.to_string()));
                }
            }

            #[test]
            fn wrong_type() {
                assert_eq!(
                    decode_error::<$t>(s("1")),
                    format!("value: expected N for `{}`, found S", stringify!($t))
                );
                assert_eq!(
                    decode_error::<$t>(n("1.5")),
                    format!("value: cannot read `{}`: 1.5 is not an integer", stringify!($t))
                );
                assert_eq!(
                    decode_error::<$t>(n("1E40")),
                    format!("value: cannot read `{0}`: 1E40 is out of range for `{0}`", stringify!($t))
                );
            }

            proptest! {
                #[test]
                fn round_trips_as_plain_text(v in any::<$t>()) {
                    prop_assert_eq!(round_trip(v), n(&v.to_string()));
                }

                #[test]
                fn reads_every_decimal_form(v in any::<$t>()) {
                    for form in integer_forms(&v.to_string()) {
                        prop_assert_eq!(decode::<$t>(n(&form)).ok(), Some(v), "{}", form);
                    }
                }

                /// Any integer that fits is read exactly; any other is an
                /// error, never a wrapped or saturated value.
                #[test]
                fn reads_exactly_or_refuses(wide in any::<i128>(), big in any::<u128>()) {
                    prop_assert_eq!(decode::<$t>(n(&wide.to_string())).ok(), <$t>::try_from(wide).ok());
                    prop_assert_eq!(decode::<$t>(n(&big.to_string())).ok(), <$t>::try_from(big).ok());
                    let scientific = format!("{wide}e0");
                    prop_assert_eq!(decode::<$t>(n(&scientific)).ok(), <$t>::try_from(wide).ok());
                }

                #[test]
                fn sets_round_trip(set in btree_set(any::<$t>(), 0..8)) {
                    let written = round_trip(set.clone());
                    if set.is_empty() {
                        prop_assert_eq!(written, AttributeValue::Null(true));
                    } else {
                        let AttributeValue::Ns(items) = written else {
                            panic!("not NS: {written:?}")
                        };
                        prop_assert_eq!(items.len(), set.len());
                    }
                    prop_assert_eq!(round_trip(set.iter().copied().collect::<HashSet<$t>>()).is_null(), set.is_empty());
                }
            }
        }
    )*};
}

integer_tests! {
    int_i8: i8,
    int_i16: i16,
    int_i32: i32,
    int_i64: i64,
    int_i128: i128,
    int_isize: isize,
    int_u8: u8,
    int_u16: u16,
    int_u32: u32,
    int_u64: u64,
    int_u128: u128,
    int_usize: usize,
}

#[test]
fn integer_extremes_are_written_exactly() {
    assert_eq!(
        i128::MIN.to_attribute(),
        n("-170141183460469231731687303715884105728")
    );
    assert_eq!(
        u128::MAX.to_attribute(),
        n("340282366920938463463374607431768211455")
    );
    assert_eq!(
        decode::<i128>(n("-1.70141183460469231731687303715884105728E38")),
        Ok(i128::MIN)
    );
    assert_eq!(
        decode::<u128>(n("3.40282366920938463463374607431768211455E+38")),
        Ok(u128::MAX)
    );
    assert!(decode::<u128>(n("340282366920938463463374607431768211456")).is_err());
    assert!(decode::<i128>(n("-170141183460469231731687303715884105729")).is_err());
    assert!(decode::<u128>(n("1E39")).is_err());
}

#[test]
fn integers_from_other_decimal_forms() {
    assert_eq!(decode::<u8>(n("1.5E1")), Ok(15));
    assert_eq!(decode::<u8>(n("150E-1")), Ok(15));
    assert_eq!(decode::<u8>(n("20.0")), Ok(20));
    assert_eq!(decode::<u8>(n("-0")), Ok(0));
    assert_eq!(decode::<u8>(n("0.0E-7")), Ok(0));
    assert_eq!(decode::<i8>(n("-1.28e2")), Ok(-128));
    assert_eq!(decode::<u64>(n("+7")), Ok(7));
    assert_eq!(
        decode_error::<u8>(n("1.5")),
        "value: cannot read `u8`: 1.5 is not an integer"
    );
    assert_eq!(
        decode_error::<u8>(n("1E-200")),
        "value: cannot read `u8`: 1E-200 is not an integer"
    );
    assert_eq!(
        decode_error::<u8>(n("300")),
        "value: cannot read `u8`: 300 is out of range for `u8`"
    );
    assert_eq!(
        decode_error::<u8>(n("2.56E2")),
        "value: cannot read `u8`: 2.56E2 is out of range for `u8`"
    );
    assert_eq!(
        decode_error::<i8>(n("-129")),
        "value: cannot read `i8`: -129 is out of range for `i8`"
    );
    assert_eq!(
        decode_error::<u32>(n("-1")),
        "value: cannot read `u32`: -1 is out of range for `u32`"
    );
    assert_eq!(
        decode_error::<u32>(n("12abc")),
        r#"value: cannot read `u32`: "12abc" is not a number"#
    );
}

// ---- floats ----

/// Every finite value, drawn uniformly over bit patterns so that subnormals,
/// zeros of both signs and extreme exponents all come up.
fn finite_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<u64>().prop_map(f64::from_bits),
        any::<u64>().prop_map(|bits| f64::from_bits(bits & 0x800f_ffff_ffff_ffff)),
        any::<f64>(),
    ]
    .prop_filter("finite", |v| v.is_finite())
}

fn finite_f32() -> impl Strategy<Value = f32> {
    prop_oneof![
        any::<u32>().prop_map(f32::from_bits),
        any::<u32>().prop_map(|bits| f32::from_bits(bits & 0x807f_ffff)),
        any::<f32>(),
    ]
    .prop_filter("finite", |v| v.is_finite())
}

fn float_text(value: impl ToAttribute) -> String {
    match value.to_attribute() {
        AttributeValue::N(text) => text,
        other => panic!("not N: {other:?}"),
    }
}

#[test]
fn float_text_is_short_and_exact() {
    let cases: [(f64, &str); 14] = [
        (0.0, "0"),
        (-0.0, "-0"),
        (0.1, "0.1"),
        (1.5, "1.5"),
        (-2.0, "-2"),
        (1e20, "100000000000000000000"),
        (1e21, "1e21"),
        (1e-7, "0.0000001"),
        (9.9e-8, "9.9e-8"),
        (5e-324, "5e-324"),
        (f64::MIN_POSITIVE, "2.2250738585072014e-308"),
        (f64::MAX, "1.7976931348623157e308"),
        (f64::MIN, "-1.7976931348623157e308"),
        (123_456_789.125, "123456789.125"),
    ];
    for (value, text) in cases {
        assert_eq!(float_text(value), text, "{value:e}");
        assert_eq!(
            decode::<f64>(n(text)).map(f64::to_bits),
            Ok(value.to_bits())
        );
    }
    let cases: [(f32, &str); 5] = [
        (0.1, "0.1"),
        (-0.0, "-0"),
        (f32::MAX, "3.4028235e38"),
        (1e-45, "1e-45"),
        (f32::MIN_POSITIVE, "1.1754944e-38"),
    ];
    for (value, text) in cases {
        assert_eq!(float_text(value), text, "{value:e}");
        assert_eq!(
            decode::<f32>(n(text)).map(f32::to_bits),
            Ok(value.to_bits())
        );
    }
}

#[test]
fn floats_from_other_forms_and_refusals() {
    assert_eq!(decode::<f64>(n("1.5E1")), Ok(15.0));
    assert_eq!(decode::<f64>(n("15")), Ok(15.0));
    assert_eq!(
        decode::<f64>(n("-0.0")).map(f64::to_bits),
        Ok((-0.0f64).to_bits())
    );
    assert_eq!(
        decode::<f64>(n("12345678901234567890123456789012345678")),
        Ok(1.2345678901234568e37)
    );
    for text in ["NaN", "nan", "inf", "-inf", "infinity", "", "1e", "0x10"] {
        assert_eq!(
            decode_error::<f64>(n(text)),
            format!("value: cannot read `f64`: {text:?} is not a number")
        );
        assert!(decode::<f32>(n(text)).is_err());
    }
    assert_eq!(decode::<f32>(n("0E-999")).map(f32::to_bits), Ok(0));
    assert_eq!(decode::<f32>(n("1e-45")), Ok(f32::from_bits(1)));
    // A number too small for the type is refused, not read as zero.
    assert_eq!(
        decode_error::<f32>(n("1E-130")),
        "value: cannot read `f32`: 1E-130 is out of range for `f32`"
    );
    assert_eq!(
        decode_error::<f64>(n("-2e-324")),
        "value: cannot read `f64`: -2e-324 is out of range for `f64`"
    );
    assert_eq!(
        decode_error::<f64>(n("1e309")),
        "value: cannot read `f64`: 1e309 is out of range for `f64`"
    );
    assert_eq!(
        decode_error::<f32>(n("9.9E+125")),
        "value: cannot read `f32`: 9.9E+125 is out of range for `f32`"
    );
    assert_eq!(
        decode_error::<f32>(s("1")),
        "value: expected N for `f32`, found S"
    );
}

proptest! {
    #[test]
    fn any_f64_round_trips_bit_exact(v in finite_f64()) {
        let text = float_text(v);
        prop_assert!(Decimal::parse(&text).is_some(), "{}", text);
        let back = decode::<f64>(n(&text)).unwrap();
        prop_assert_eq!(back.to_bits(), v.to_bits(), "{}", text);
        prop_assert_eq!(through_item(&v).1.to_bits(), v.to_bits());
        // Shortest form: never more digits than Rust's own shortest output.
        let digits = Decimal::parse(&text).unwrap().digit_count();
        prop_assert!(digits <= 17, "{} has {} digits", text, digits);
    }

    #[test]
    fn any_f32_round_trips_bit_exact(v in finite_f32()) {
        let text = float_text(v);
        prop_assert!(Decimal::parse(&text).is_some(), "{}", text);
        prop_assert_eq!(decode::<f32>(n(&text)).unwrap().to_bits(), v.to_bits(), "{}", text);
        prop_assert_eq!(through_item(&v).1.to_bits(), v.to_bits());
    }

    /// Floats in DynamoDB's range are always storable: their shortest text has
    /// at most 17 significant digits.
    #[test]
    fn floats_in_range_pass_validation(v in finite_f64()) {
        // The shortest text of a float below the double nearest 1e126 is at
        // most 9.9999999999999999E125, and of one at or above the double
        // nearest 1e-130 at least 1E-130.
        let magnitude = v.abs();
        let in_range = magnitude == 0.0 || (1e-130..1e126).contains(&magnitude);
        let checked = crate::validate::value("t", "x", &v.to_attribute());
        prop_assert_eq!(checked.is_ok(), in_range, "{}", float_text(v));
    }
}

// ---- binary ----

#[test]
fn binary() {
    let blob = |b: &[u8]| AttributeValue::B(Blob::new(b.to_vec()));
    assert_eq!(round_trip(Vec::<u8>::new()), blob(b""));
    let all: Vec<u8> = (0..=255).collect();
    assert_eq!(round_trip(all.clone()), blob(&all));
    assert_eq!(all.as_slice().to_attribute(), blob(&all));
    assert_eq!(Box::<[u8]>::from(all.as_slice()).to_attribute(), blob(&all));
    // An empty binary is stored, not omitted.
    assert_eq!(through_item(&Vec::<u8>::new()).0, Some(blob(b"")));
    assert_eq!(
        decode_error::<Vec<u8>>(AttributeValue::L(vec![])),
        "value: expected B for `Vec<u8>`, found L"
    );
}

proptest! {
    #[test]
    fn any_binary_round_trips(v in vec(any::<u8>(), 0..64)) {
        prop_assert_eq!(round_trip(v.clone()), AttributeValue::B(Blob::new(v)));
    }
}

// ---- lists ----

#[test]
fn lists() {
    assert_eq!(round_trip(Vec::<String>::new()), AttributeValue::L(vec![]));
    assert_eq!(
        round_trip(vec!["a".to_owned(), String::new()]),
        AttributeValue::L(vec![s("a"), s("")])
    );
    assert_eq!(
        round_trip(vec![Some(1), None, Some(-3)]),
        AttributeValue::L(vec![n("1"), AttributeValue::Null(true), n("-3")])
    );
    assert_eq!(
        round_trip(vec![vec![1u8, 2], vec![]]),
        AttributeValue::L(vec![
            AttributeValue::B(Blob::new(vec![1, 2])),
            AttributeValue::B(Blob::new(vec![])),
        ])
    );
    // Only `Vec<u8>` is binary; other byte containers are lists of numbers.
    assert_eq!(
        round_trip(VecDeque::from([1u8, 2])),
        AttributeValue::L(vec![n("1"), n("2")])
    );
    assert_eq!(
        round_trip([7u8, 8]),
        AttributeValue::L(vec![n("7"), n("8")])
    );
    assert_eq!(
        round_trip(["x".to_owned(), "y".to_owned(), "z".to_owned()]),
        AttributeValue::L(vec![s("x"), s("y"), s("z")])
    );
    round_trip([0u64; 0]);
    assert_eq!(
        decode_error::<[u32; 3]>(AttributeValue::L(vec![n("1"), n("2")])),
        "value: cannot read `[u32; 3]`: expected 3 elements, found 2"
    );
    assert_eq!(
        decode_error::<VecDeque<u32>>(AttributeValue::Ns(vec!["1".into()])),
        "value: expected L for `VecDeque<u32>`, found NS"
    );
    assert_eq!(
        decode_error::<Vec<String>>(AttributeValue::Ss(vec!["a".into()])),
        "value: expected L for `Vec<String>`, found SS"
    );
}

proptest! {
    #[test]
    fn any_lists_round_trip(
        strings in vec(any::<String>(), 0..8),
        numbers in vec(any::<i64>(), 0..8),
        deque in vec(any::<Option<u16>>(), 0..8),
        array in any::<[u32; 4]>(),
    ) {
        round_trip(strings);
        round_trip(numbers);
        round_trip(deque.into_iter().collect::<VecDeque<_>>());
        round_trip(array);
    }
}

// ---- sets ----

#[test]
fn empty_sets_are_absent_and_read_back_empty() {
    fn check<T>(empty: T)
    where
        T: ToAttribute + FromAttribute + PartialEq + Debug,
    {
        assert!(empty.is_absent());
        assert_eq!(empty.to_attribute(), AttributeValue::Null(true));
        assert_eq!(decode::<T>(AttributeValue::Null(true)).unwrap(), empty);
        // Left out of the item, and an absent attribute reads back empty.
        assert_eq!(through_item(&empty), (None, empty));
    }
    check(HashSet::<String>::new());
    check(BTreeSet::<String>::new());
    check(HashSet::<i64>::new());
    check(BTreeSet::<u128>::new());
    check(HashSet::<Vec<u8>>::new());
    check(BTreeSet::<Vec<u8>>::new());
    check(HashSet::<Number>::new());
    check(BTreeSet::<Number>::new());
}

#[test]
fn sets() {
    let strings = BTreeSet::from(["a".to_owned(), String::new(), "🦀".to_owned()]);
    let AttributeValue::Ss(items) = round_trip(strings.clone()) else {
        panic!("not SS")
    };
    assert_eq!(items.into_iter().collect::<BTreeSet<_>>(), strings);

    let binaries = HashSet::from([vec![], vec![0u8, 255]]);
    let AttributeValue::Bs(items) = round_trip(binaries.clone()) else {
        panic!("not BS")
    };
    assert_eq!(items.len(), 2);

    let numbers: BTreeSet<Number> = ["1.5", "-2", "12345678901234567890123456789012345678"]
        .iter()
        .map(|t| t.parse().unwrap())
        .collect();
    assert!(matches!(round_trip(numbers), AttributeValue::Ns(_)));

    // Equal numbers written differently are one member.
    let read: HashSet<Number> =
        decode(AttributeValue::Ns(vec!["1.50".into(), "15E-1".into()])).unwrap();
    assert_eq!(read.len(), 1);

    assert_eq!(
        decode_error::<HashSet<i32>>(AttributeValue::Ss(vec!["1".into()])),
        "value: expected NS for `HashSet<i32>`, found SS"
    );
    assert_eq!(
        decode_error::<BTreeSet<String>>(AttributeValue::L(vec![])),
        "value: expected SS for `BTreeSet<String>`, found L"
    );
    assert_eq!(
        decode_error::<HashSet<Vec<u8>>>(AttributeValue::Ss(vec![])),
        "value: expected BS for `HashSet<Vec<u8>>`, found SS"
    );
    assert_eq!(
        decode_error::<BTreeSet<u8>>(AttributeValue::Ns(vec!["1".into(), "300".into()])),
        "value: cannot read `u8`: 300 is out of range for `u8`"
    );
}

proptest! {
    #[test]
    fn any_sets_round_trip(
        strings in hash_set(any::<String>(), 0..8),
        binaries in btree_set(vec(any::<u8>(), 0..8), 0..8),
        numbers in btree_set(any::<i64>().prop_map(Number::from), 0..8),
    ) {
        round_trip(strings.iter().cloned().collect::<BTreeSet<_>>());
        round_trip(strings);
        round_trip(binaries.iter().cloned().collect::<HashSet<_>>());
        round_trip(binaries);
        round_trip(numbers.iter().cloned().collect::<HashSet<_>>());
        round_trip(numbers);
    }
}

// ---- maps ----

#[test]
fn maps() {
    assert_eq!(
        round_trip(HashMap::<String, u8>::new()),
        AttributeValue::M(HashMap::new())
    );
    let map = BTreeMap::from([
        ("color".to_owned(), Some("red".to_owned())),
        ("size".to_owned(), None),
        (String::new(), Some(String::new())),
        ("ключ".to_owned(), Some("значение".to_owned())),
    ]);
    let AttributeValue::M(written) = round_trip(map) else {
        panic!("not M")
    };
    // `None` inside a map is written as NULL, not left out.
    assert_eq!(written["size"], AttributeValue::Null(true));
    assert_eq!(written.len(), 4);
    assert_eq!(
        decode_error::<HashMap<String, u8>>(AttributeValue::L(vec![])),
        "value: expected M for `HashMap<String, u8>`, found L"
    );
}

proptest! {
    #[test]
    fn any_maps_round_trip(
        hashed in hash_map(any::<String>(), any::<Option<i64>>(), 0..8),
        ordered in btree_map("[a-z]{0,4}", vec(any::<bool>(), 0..3), 0..8),
    ) {
        round_trip(hashed);
        round_trip(ordered);
    }
}

// ---- Option and Box ----

#[test]
fn options() {
    assert_eq!(round_trip(Some(5u32)), n("5"));
    assert_eq!(round_trip(None::<u32>), AttributeValue::Null(true));
    assert!(None::<String>.is_absent());
    assert!(!Some(String::new()).is_absent());
    // A stored NULL and an absent attribute both read as `None`.
    assert_eq!(
        decode::<Option<String>>(AttributeValue::Null(true)),
        Ok(None)
    );
    assert_eq!(
        decode::<Option<String>>(AttributeValue::Null(false)),
        Ok(None)
    );
    assert_eq!(through_item(&None::<Vec<u8>>), (None, None));
    assert_eq!(
        through_item(&Some(Vec::<u8>::new())),
        (Some(AttributeValue::B(Blob::new(vec![]))), Some(vec![]))
    );
    assert_eq!(
        decode_error::<Option<u32>>(s("x")),
        "value: expected N for `u32`, found S"
    );
}

#[test]
fn boxes() {
    assert_eq!(round_trip(Box::new(7u32)), n("7"));
    assert_eq!(round_trip(Box::new("x".to_owned())), s("x"));
    round_trip(Box::new(vec![1u8]));
    round_trip(Box::new(None::<i32>));
    assert!(Box::new(BTreeSet::<String>::new()).is_absent());
    assert_eq!(through_item(&Box::new(None::<u8>)), (None, Box::new(None)));
}

// ---- SystemTime ----

fn time(negative: bool, secs: u64, nanos: u32) -> SystemTime {
    let offset = Duration::new(secs, nanos);
    if negative {
        UNIX_EPOCH - offset
    } else {
        UNIX_EPOCH + offset
    }
}

#[test]
fn system_times_are_exact_epoch_seconds() {
    let cases = [
        (time(false, 0, 0), "0"),
        (time(false, 1, 500_000_000), "1.5"),
        (time(false, 0, 1), "0.000000001"),
        (time(true, 0, 1), "-0.000000001"),
        (time(true, 1, 500_000_000), "-1.5"),
        (time(true, 86_400, 0), "-86400"),
        (
            time(false, 1_700_000_000, 123_456_789),
            "1700000000.123456789",
        ),
        (
            time(false, 9_999_999_999, 999_999_999),
            "9999999999.999999999",
        ),
        (
            time(true, 9_999_999_999, 999_999_999),
            "-9999999999.999999999",
        ),
    ];
    for (value, text) in cases {
        assert_eq!(round_trip(value), n(text));
    }
}

#[test]
fn system_times_from_other_forms_and_refusals() {
    assert_eq!(decode::<SystemTime>(n("1E3")), Ok(time(false, 1000, 0)));
    assert_eq!(
        decode::<SystemTime>(n("-5e-1")),
        Ok(time(true, 0, 500_000_000))
    );
    // Trailing zeros past the ninth digit are not extra precision.
    assert_eq!(
        decode::<SystemTime>(n("1.0000000010")),
        Ok(time(false, 1, 1))
    );
    assert_eq!(
        decode_error::<SystemTime>(n("1.0000000001")),
        "value: cannot read `SystemTime`: 1.0000000001: more precise than nanoseconds"
    );
    assert_eq!(
        decode_error::<SystemTime>(n("1E30")),
        "value: cannot read `SystemTime`: 1E30: out of range"
    );
    assert_eq!(
        decode_error::<SystemTime>(n("soon")),
        "value: cannot read `SystemTime`: soon: not a number"
    );
    assert_eq!(
        decode_error::<SystemTime>(s("2024-01-01T00:00:00Z")),
        "value: expected N for `SystemTime`, found S"
    );
}

proptest! {
    #[test]
    fn any_system_time_round_trips(
        negative in any::<bool>(),
        // Within what every platform's `SystemTime` holds (years 1653 to 2286).
        secs in 0u64..10_000_000_000,
        nanos in 0u32..1_000_000_000,
    ) {
        let value = time(negative, secs, nanos);
        let written = round_trip(value);
        prop_assert!(crate::validate::value("t", "at", &written).is_ok());
    }
}

// ---- Number ----

#[test]
fn numbers_keep_their_text() {
    for text in [
        "12345678901234567890123456789012345678",
        "-0.12345678901234567890123456789012345678",
        "9.9999999999999999999999999999999999999E+125",
        "-9.9999999999999999999999999999999999999E+125",
        "1E-130",
        "1.50",
        "15E-1",
        "0",
    ] {
        let number: Number = text.parse().unwrap();
        assert_eq!(round_trip(number.clone()), n(text));
        assert_eq!(number.as_str(), text);
        assert!(number.is_storable(), "{text}");
        assert!(crate::validate::value("t", "x", &n(text)).is_ok());
    }
    let number: Number = "12345678901234567890123456789012345678".parse().unwrap();
    assert_eq!(
        number.parse::<u128>(),
        Ok(12345678901234567890123456789012345678)
    );
    assert_eq!(
        decode::<u128>(number.to_attribute()),
        Ok(12345678901234567890123456789012345678)
    );
}

#[test]
fn numbers_compare_by_value() {
    let num = |t: &str| t.parse::<Number>().unwrap();
    assert_eq!(num("1.50"), num("15E-1"));
    assert_eq!(num("1500"), num("1.5e3"));
    assert_eq!(num("0"), num("-0.000e9"));
    assert_ne!(num("1.5"), num("-1.5"));
    assert_ne!(num("1.5"), num("15"));
    assert!(num("-2") < num("-1.5"));
    assert!(num("9.99E125") > num("1E-130"));
    assert_eq!(Number::from(i128::MIN).as_str(), i128::MIN.to_string());
    assert_eq!(
        Number::from(u128::MAX),
        num("3.40282366920938463463374607431768211455E38")
    );
    assert!(!Number::from(u128::MAX).is_storable());
    assert!(!num("1E126").is_storable());
    assert!(!num("1E-131").is_storable());
}

#[test]
fn number_text_is_checked() {
    for bad in ["", "abc", "NaN", "inf", "1e", " 1", "1,5", "0x1"] {
        assert_eq!(
            bad.parse::<Number>().unwrap_err().to_string(),
            format!("`{bad}` is not a decimal number")
        );
        assert_eq!(
            decode_error::<Number>(n(bad)),
            format!("value: cannot read `Number`: {bad:?} is not a number")
        );
    }
}

/// Two texts for the same value: the digits with the decimal point moved
/// and the exponent adjusted, plus leading and trailing zeros.
fn same_value_texts() -> impl Strategy<Value = (String, String)> {
    (
        any::<bool>(),
        "[1-9][0-9]{0,37}",
        -130i32..=100,
        0usize..40,
        0usize..4,
        0usize..4,
    )
        .prop_map(|(negative, digits, exponent, point, lead, trail)| {
            let sign = if negative { "-" } else { "" };
            let a = format!("{sign}{digits}E{exponent}");
            let point = point.min(digits.len());
            let (int, frac) = digits.split_at(point);
            let zeros = |k| "0".repeat(k);
            let shift = exponent + (digits.len() - point) as i32;
            let b = format!(
                "{sign}{}{int}.{frac}{}e{shift:+}",
                zeros(lead),
                zeros(trail)
            );
            (a, b)
        })
}

proptest! {
    #[test]
    fn equal_values_are_equal_numbers((a, b) in same_value_texts()) {
        let (x, y) = (a.parse::<Number>().unwrap(), b.parse::<Number>().unwrap());
        prop_assert_eq!(&x, &y);
        prop_assert_eq!(x.cmp(&y), std::cmp::Ordering::Equal);
        prop_assert_eq!(HashSet::from([x.clone(), y.clone()]).len(), 1);
        prop_assert_eq!(round_trip(x), n(&a));
    }

    #[test]
    fn numbers_order_like_integers(a in any::<i128>(), b in any::<i128>()) {
        let (x, y) = (Number::from(a), format!("{b}.000E0").parse::<Number>().unwrap());
        prop_assert_eq!(x.cmp(&y), a.cmp(&b));
        prop_assert_eq!(x == y, a == b);
    }
}

// ---- nested values ----

type Nested = Option<Vec<HashMap<String, Option<Vec<u8>>>>>;

#[test]
fn nested_values() {
    let value: Nested = Some(vec![
        HashMap::from([
            ("a".to_owned(), Some(vec![1, 2, 3])),
            ("b".to_owned(), None),
            ("c".to_owned(), Some(vec![])),
        ]),
        HashMap::new(),
    ]);
    let AttributeValue::L(written) = round_trip(value) else {
        panic!("not L")
    };
    let AttributeValue::M(first) = &written[0] else {
        panic!("not M")
    };
    assert_eq!(first["b"], AttributeValue::Null(true));
    round_trip(None::<Vec<HashMap<String, Option<Vec<u8>>>>>);
    round_trip(Some(Vec::<HashMap<String, Option<Vec<u8>>>>::new()));
    // Empty sets inside lists are NULL and read back empty.
    let sets = vec![BTreeSet::<i64>::new(), BTreeSet::from([1, 2])];
    assert_eq!(
        round_trip(sets),
        AttributeValue::L(vec![
            AttributeValue::Null(true),
            AttributeValue::Ns(vec!["1".into(), "2".into()])
        ])
    );
}

fn nested() -> impl Strategy<Value = Nested> {
    proptest::option::of(vec(
        hash_map(
            any::<String>(),
            proptest::option::of(vec(any::<u8>(), 0..8)),
            0..4,
        ),
        0..4,
    ))
}

proptest! {
    #[test]
    fn any_nested_value_round_trips(
        value in nested(),
        deep in btree_map(
            "[a-z]{0,3}",
            vec(proptest::option::of(btree_map("[a-z]{0,3}", btree_set(any::<u64>(), 0..3), 0..3)), 0..3),
            0..4,
        ),
        sets in vec(hash_set(any::<String>(), 0..3), 0..4),
        boxed in proptest::option::of(any::<i128>().prop_map(Box::new)),
    ) {
        round_trip(value);
        round_trip(deep);
        round_trip(sets);
        round_trip(boxed);
    }
}

// ---- decode errors name the path and both types ----

fn item(pairs: Vec<(&str, AttributeValue)>) -> Item {
    pairs.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
}

#[test]
fn errors_name_the_path_and_the_types() {
    let mut scores = item(vec![(
        "scores",
        AttributeValue::L(vec![n("1"), n("2"), s("x")]),
    )]);
    assert_eq!(
        decode_field::<Vec<u32>>(&mut scores, "scores")
            .unwrap_err()
            .to_string(),
        "attribute `scores[2]`: expected N for `u32`, found S"
    );
    let mut prefs = item(vec![(
        "prefs",
        AttributeValue::M(HashMap::from([("color".to_owned(), n("1"))])),
    )]);
    assert_eq!(
        decode_field::<HashMap<String, String>>(&mut prefs, "prefs")
            .unwrap_err()
            .to_string(),
        "attribute `prefs.color`: expected S for `String`, found N"
    );
    let bad_leaf: AttributeValue = AttributeValue::L(vec![
        AttributeValue::M(HashMap::new()),
        AttributeValue::M(HashMap::from([("key".to_owned(), s("not bytes"))])),
    ]);
    let mut deep = item(vec![("history", bad_leaf)]);
    let err = decode_field::<Nested>(&mut deep, "history").unwrap_err();
    assert_eq!(
        err.to_string(),
        "attribute `history[1].key`: expected B for `Vec<u8>`, found S"
    );
    assert_eq!(err.path_string(), "history[1].key");
    assert!(!err.is_missing());
    let mut age = item(vec![("age", n("300"))]);
    assert_eq!(
        decode_field::<u8>(&mut age, "age").unwrap_err().to_string(),
        "attribute `age`: cannot read `u8`: 300 is out of range for `u8`"
    );
    let mut grid = item(vec![(
        "grid",
        AttributeValue::L(vec![AttributeValue::L(vec![n("1"), n("1.5")])]),
    )]);
    assert_eq!(
        decode_field::<Vec<[i64; 2]>>(&mut grid, "grid")
            .unwrap_err()
            .to_string(),
        "attribute `grid[0][1]`: cannot read `i64`: 1.5 is not an integer"
    );
}

#[test]
fn missing_attributes_name_the_expected_type() {
    fn missing<T: FromAttribute + Debug>() -> String {
        let err = decode_field::<T>(&mut Item::new(), "field").unwrap_err();
        assert!(err.is_missing());
        err.to_string()
    }
    assert_eq!(
        missing::<String>(),
        "attribute `field` is missing (expected S)"
    );
    assert_eq!(
        missing::<char>(),
        "attribute `field` is missing (expected S)"
    );
    assert_eq!(
        missing::<u32>(),
        "attribute `field` is missing (expected N)"
    );
    assert_eq!(
        missing::<f64>(),
        "attribute `field` is missing (expected N)"
    );
    assert_eq!(
        missing::<Number>(),
        "attribute `field` is missing (expected N)"
    );
    assert_eq!(
        missing::<SystemTime>(),
        "attribute `field` is missing (expected N)"
    );
    assert_eq!(
        missing::<bool>(),
        "attribute `field` is missing (expected BOOL)"
    );
    assert_eq!(
        missing::<Vec<u8>>(),
        "attribute `field` is missing (expected B)"
    );
    assert_eq!(
        missing::<Box<Vec<u8>>>(),
        "attribute `field` is missing (expected B)"
    );
    assert_eq!(
        missing::<Vec<String>>(),
        "attribute `field` is missing (expected L)"
    );
    assert_eq!(
        missing::<Vec<Vec<u8>>>(),
        "attribute `field` is missing (expected L)"
    );
    assert_eq!(
        missing::<VecDeque<u8>>(),
        "attribute `field` is missing (expected L)"
    );
    assert_eq!(
        missing::<[u8; 4]>(),
        "attribute `field` is missing (expected L)"
    );
    assert_eq!(
        missing::<HashMap<String, u8>>(),
        "attribute `field` is missing (expected M)"
    );
    assert_eq!(
        missing::<BTreeMap<String, u8>>(),
        "attribute `field` is missing (expected M)"
    );
}

// ---- decoding arbitrary values never panics ----

fn number_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|v| v.to_string()),
        any::<u128>().prop_map(|v| v.to_string()),
        any::<f64>().prop_map(|v| v.to_string()),
        "[+-]?[0-9]{0,42}(\\.[0-9]{0,42})?([eE][+-]?[0-9]{1,24})?",
        "-?(NaN|inf|infinity|0x1F|1_000| 1|1 )",
        any::<String>(),
    ]
}

fn attribute_value() -> impl Strategy<Value = AttributeValue> {
    let blob = || vec(any::<u8>(), 0..6).prop_map(Blob::new);
    let leaf = prop_oneof![
        any::<String>().prop_map(AttributeValue::S),
        "[a-z]?".prop_map(AttributeValue::S),
        number_text().prop_map(AttributeValue::N),
        blob().prop_map(AttributeValue::B),
        any::<bool>().prop_map(AttributeValue::Bool),
        any::<bool>().prop_map(AttributeValue::Null),
        vec(any::<String>(), 0..4).prop_map(AttributeValue::Ss),
        vec(number_text(), 0..4).prop_map(AttributeValue::Ns),
        vec(blob(), 0..4).prop_map(AttributeValue::Bs),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(AttributeValue::L),
            hash_map(prop_oneof!["[a-c]{0,2}", any::<String>()], inner, 0..6)
                .prop_map(AttributeValue::M),
        ]
    })
}

macro_rules! decode_as {
    ($value:expr => $($t:ty),* $(,)?) => {$(
        if let Err(e) = decode::<$t>($value.clone()) {
            // Every error renders.
            assert!(!e.to_string().is_empty());
        }
    )*};
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn decoding_arbitrary_values_never_panics(value in attribute_value()) {
        decode_as!(value =>
            String, char, bool,
            i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize,
            f32, f64, Number, SystemTime, AttributeValue,
            Vec<u8>, Vec<String>, VecDeque<i32>, [u8; 2], [String; 1],
            HashSet<String>, BTreeSet<i64>, HashSet<Vec<u8>>, BTreeSet<Number>, HashSet<u8>,
            HashMap<String, u64>, BTreeMap<String, Option<f64>>,
            Nested, Box<Option<SystemTime>>, Vec<Vec<BTreeSet<u128>>>, Option<char>,
            BTreeMap<String, Vec<Option<BTreeMap<String, BTreeSet<u64>>>>>,
        );
        // Validation never panics either, whatever it decides.
        let _ = crate::validate::value("t", "x", &value);
    }
}

// ---- DynamoDB's limits on numbers ----

fn refusal(name: &str, value: &AttributeValue) -> String {
    let err = crate::validate::value("t", name, value).unwrap_err();
    assert!(err.is_validation());
    assert_eq!(err.code(), None);
    err.to_string()
}

#[test]
fn integers_beyond_38_digits_round_trip_but_are_not_storable() {
    for v in [i128::MIN, i128::MAX] {
        assert_eq!(round_trip(v), n(&v.to_string()));
    }
    assert_eq!(round_trip(u128::MAX), n(&u128::MAX.to_string()));
    assert_eq!(
        refusal("big", &u128::MAX.to_attribute()),
        "table `t`: invalid request: attribute `big`: 340282366920938463463374607431768211455 \
         has 39 significant digits; DynamoDB keeps at most 38"
    );
    assert_eq!(
        refusal("low", &i128::MIN.to_attribute()),
        "table `t`: invalid request: attribute `low`: -170141183460469231731687303715884105728 \
         has 39 significant digits; DynamoDB keeps at most 38"
    );
    assert!(
        refusal("set", &BTreeSet::from([1, u128::MAX]).to_attribute())
            .contains("attribute `set`: 340282366920938463463374607431768211455 has 39")
    );
    assert!(refusal("xs", &vec![0, i128::MAX].to_attribute()).contains("attribute `xs[1]`"));
    // Every value of the narrower types fits, as does the largest 38-digit integer.
    for v in [i64::MIN, i64::MAX] {
        assert!(crate::validate::value("t", "x", &v.to_attribute()).is_ok());
    }
    assert!(crate::validate::value("t", "x", &u64::MAX.to_attribute()).is_ok());
    let widest = 10u128.pow(38) - 1;
    assert!(crate::validate::value("t", "x", &widest.to_attribute()).is_ok());
    assert!(crate::validate::value("t", "x", &(-(widest as i128)).to_attribute()).is_ok());
}

#[test]
fn nan_and_infinity_are_refused() {
    for (value, text) in [
        (f64::NAN, "NaN"),
        (f64::INFINITY, "inf"),
        (f64::NEG_INFINITY, "-inf"),
    ] {
        assert_eq!(
            refusal("ratio", &value.to_attribute()),
            format!(
                "table `t`: invalid request: attribute `ratio`: {text} is not a number \
                 DynamoDB accepts (NaN and infinity are not)"
            )
        );
    }
    assert!(refusal("r32", &f32::NAN.to_attribute()).contains("attribute `r32`: NaN"));
    let nested = HashMap::from([("ratio".to_owned(), f64::INFINITY)]);
    assert!(refusal("stats", &nested.to_attribute()).contains("attribute `stats.ratio`: inf"));
}

#[test]
fn floats_outside_dynamodb_range_are_refused() {
    assert_eq!(
        refusal("tiny", &5e-324f64.to_attribute()),
        "table `t`: invalid request: attribute `tiny`: 5e-324 is smaller in magnitude than \
         DynamoDB's minimum 1E-130"
    );
    assert!(refusal("tiny", &f64::MIN_POSITIVE.to_attribute()).contains("minimum 1E-130"));
    assert!(refusal("tiny", &(-1e-131f64).to_attribute()).contains("minimum 1E-130"));
    assert_eq!(
        refusal("huge", &f64::MAX.to_attribute()),
        "table `t`: invalid request: attribute `huge`: 1.7976931348623157e308 is larger in \
         magnitude than DynamoDB's maximum 9.9999999999999999999999999999999999999E+125"
    );
    assert!(refusal("huge", &1e126f64.to_attribute()).contains("maximum"));
    for fine in [
        1e-130,
        -1e-130,
        9.99e125,
        -9.99e125,
        0.1,
        1e21,
        -0.0,
        f64::EPSILON,
    ] {
        assert!(
            crate::validate::value("t", "x", &fine.to_attribute()).is_ok(),
            "{fine:e}"
        );
    }
    // Every finite f32, subnormals included, is within DynamoDB's range.
    assert!(crate::validate::value("t", "x", &f32::MAX.to_attribute()).is_ok());
    assert!(crate::validate::value("t", "x", &f32::MIN_POSITIVE.to_attribute()).is_ok());
    assert!(crate::validate::value("t", "x", &1e-45f32.to_attribute()).is_ok());
}
