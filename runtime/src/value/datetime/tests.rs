//! The text form of dates and times, for each crate: exact text, round trips,
//! string order against time order, lenient reading, malformed input,
//! years outside 0000–9999, and the `ttl` / `created_at` traits.

use std::fmt::Debug;

use aws_sdk_dynamodb::types::AttributeValue;
use proptest::prelude::*;

use super::Utc as Parts;
use crate::resource::{TimestampValue, TtlValue};
use crate::value::{FromAttribute, ToAttribute};

fn s(text: &str) -> AttributeValue {
    AttributeValue::S(text.to_owned())
}

fn text<T: ToAttribute>(value: &T) -> String {
    match value.to_attribute() {
        AttributeValue::S(text) => text,
        other => panic!("expected S, found {other:?}"),
    }
}

fn read<T: FromAttribute>(text: &str) -> T {
    T::from_attribute(s(text)).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn read_error<T: FromAttribute + Debug>(value: AttributeValue) -> String {
    T::from_attribute(value).unwrap_err().to_string()
}

/// Writes `value`, reads it back, and returns the text.
fn round_trip<T: ToAttribute + FromAttribute + PartialEq + Debug>(value: &T) -> String {
    let written = text(value);
    assert_eq!(&read::<T>(&written), value, "{written}");
    written
}

/// Instants of years 0000 to 9999, as epoch seconds and nanoseconds.
const YEAR_0: i64 = -62_167_219_200;
const YEAR_10000: i64 = 253_402_300_800;

fn four_digit_years() -> impl Strategy<Value = (i64, u32)> {
    (YEAR_0..YEAR_10000, 0u32..1_000_000_000)
}

/// Fractions of 0 to 9 digits, and the nanoseconds they stand for.
fn fraction() -> impl Strategy<Value = (String, u32)> {
    (0usize..=9, 0u32..1_000_000_000).prop_map(|(width, nanos)| {
        let digits = format!("{nanos:09}");
        let kept = &digits[..width];
        let nanos = format!("{kept:0<9}").parse().unwrap();
        let text = if width == 0 {
            String::new()
        } else {
            format!(".{kept}")
        };
        (text, nanos)
    })
}

/// An offset in seconds whole minutes and under a day, and its RFC 3339 text.
fn offset() -> impl Strategy<Value = (i32, String)> {
    prop_oneof![
        Just((0, "Z".to_owned())),
        Just((0, "z".to_owned())),
        Just((0, "-00:00".to_owned())),
        (-(23 * 60 + 59)..=(23 * 60 + 59)).prop_map(|minutes: i32| {
            let sign = if minutes < 0 { '-' } else { '+' };
            let m = minutes.unsigned_abs();
            (minutes * 60, format!("{sign}{:02}:{:02}", m / 60, m % 60))
        }),
    ]
}

#[test]
fn civil_from_unix_matches_known_dates() {
    let text = |secs, nanos| super::instant_text(Parts::from_unix(secs, nanos));
    assert_eq!(text(0, 0), "1970-01-01T00:00:00.000000000Z");
    assert_eq!(text(-1, 999_999_999), "1969-12-31T23:59:59.999999999Z");
    assert_eq!(text(951_782_400, 5), "2000-02-29T00:00:00.000000005Z");
    assert_eq!(text(YEAR_0, 0), "0000-01-01T00:00:00.000000000Z");
    assert_eq!(text(YEAR_10000 - 1, 0), "9999-12-31T23:59:59.000000000Z");
    assert_eq!(text(YEAR_10000, 0), "+010000-01-01T00:00:00.000000000Z");
    assert_eq!(text(YEAR_0 - 1, 0), "-000001-12-31T23:59:59.000000000Z");
    assert_eq!(super::date_text(-1, 12, 31), "-000001-12-31");
    assert_eq!(super::date_text(12, 1, 2), "0012-01-02");
}

#[test]
fn dates_parse_only_in_the_written_forms() {
    assert_eq!(super::parse_date("2024-05-01"), Some((2024, 5, 1)));
    assert_eq!(super::parse_date("+010000-01-01"), Some((10_000, 1, 1)));
    assert_eq!(super::parse_date("-000001-12-31"), Some((-1, 12, 31)));
    for bad in [
        "",
        "2024",
        "2024-5-1",
        "2024-05-1",
        "20240501",
        "2024-05-01T00:00:00Z",
        "2024/05/01",
        " 2024-05-01",
        "2024-05-01 ",
        "+2024-05-01",
        "-00001-01-01",
        "+0100000-01-01",
        "２０２４-05-01",
        "2024-0a-01",
        "2024-05-01\n",
    ] {
        assert_eq!(super::parse_date(bad), None, "{bad:?}");
    }
}

proptest! {
    #[test]
    fn dates_never_panic(text in "\\PC{0,16}|[-+0-9]{0,8}-[0-9]{0,3}-[0-9]{0,3}") {
        let _ = super::parse_date(&text);
        let _ = super::split_expanded_year(&text);
    }
}

#[cfg(feature = "chrono")]
mod chrono {
    use ::chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Utc};

    use super::*;

    fn utc(secs: i64, nanos: u32) -> DateTime<Utc> {
        DateTime::from_timestamp(secs, nanos).unwrap()
    }

    fn any_utc() -> impl Strategy<Value = DateTime<Utc>> {
        let (min, max) = (
            DateTime::<Utc>::MIN_UTC.timestamp(),
            DateTime::<Utc>::MAX_UTC.timestamp(),
        );
        (min..=max, 0u32..1_000_000_000).prop_map(|(secs, nanos)| utc(secs, nanos))
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce())
            .prop_map(|days| NaiveDate::from_num_days_from_ce_opt(days).unwrap())
    }

    #[test]
    fn writes_utc_with_nine_fraction_digits() {
        let t = utc(1_714_564_800, 0);
        assert_eq!(round_trip(&t), "2024-05-01T12:00:00.000000000Z");
        let local = FixedOffset::east_opt(5 * 3600 + 1800)
            .unwrap()
            .with_ymd_and_hms(2024, 5, 1, 17, 30, 0)
            .unwrap();
        assert_eq!(round_trip(&local), "2024-05-01T12:00:00.000000000Z");
        assert_eq!(
            round_trip(&NaiveDate::from_ymd_opt(2024, 5, 1).unwrap()),
            "2024-05-01"
        );
    }

    #[test]
    fn a_leap_second_is_written_as_second_60() {
        let leap = utc(1_483_228_799, 1_500_000_000);
        assert_eq!(round_trip(&leap), "2016-12-31T23:59:60.500000000Z");
        assert!(text(&leap) > text(&utc(1_483_228_799, 999_999_999)));
        assert!(text(&leap) < text(&utc(1_483_228_800, 0)));
    }

    #[test]
    fn years_outside_four_digits_are_expanded_and_read_back() {
        assert_eq!(
            round_trip(&DateTime::<Utc>::MAX_UTC),
            "+262142-12-31T23:59:59.999999999Z"
        );
        assert_eq!(
            round_trip(&DateTime::<Utc>::MIN_UTC),
            "-262143-01-01T00:00:00.000000000Z"
        );
        assert_eq!(
            round_trip(&utc(YEAR_10000, 0)),
            "+010000-01-01T00:00:00.000000000Z"
        );
        assert_eq!(
            round_trip(&NaiveDate::from_ymd_opt(-1, 2, 28).unwrap()),
            "-000001-02-28"
        );
        assert_eq!(round_trip(&NaiveDate::MAX), "+262142-12-31");
    }

    #[test]
    fn reads_offsets_and_fraction_widths() {
        let t = utc(1_714_564_800, 500_000_000);
        for text in [
            "2024-05-01T12:00:00.5Z",
            "2024-05-01T17:30:00.500+05:30",
            "2024-05-01T04:00:00.500000000-08:00",
            "2024-05-01t12:00:00.50z",
            "2024-05-01T12:00:00.5000000000000Z",
        ] {
            assert_eq!(read::<DateTime<Utc>>(text), t, "{text}");
            assert_eq!(read::<DateTime<FixedOffset>>(text), t, "{text}");
        }
        let kept = read::<DateTime<FixedOffset>>("2024-05-01T17:30:00+05:30");
        assert_eq!(kept.offset().local_minus_utc(), 5 * 3600 + 1800);
    }

    #[test]
    fn malformed_and_mistyped_values_are_errors() {
        for bad in [
            "",
            "2024-05-01",
            "2024-05-01T12:00:00",
            "2024-13-01T00:00:00Z",
            "yesterday",
        ] {
            let err = read_error::<DateTime<Utc>>(s(bad));
            assert!(err.contains("expected an RFC 3339 date and time"), "{err}");
        }
        assert_eq!(
            read_error::<DateTime<Utc>>(s("soon")),
            "value: cannot read `DateTime<Utc>`: expected an RFC 3339 date and time with an \
             offset, such as `2024-05-01T12:00:00.000000000Z`, found \"soon\" (input contains \
             invalid characters)"
        );
        assert_eq!(
            read_error::<DateTime<FixedOffset>>(AttributeValue::N("1".into())),
            "value: expected S for `DateTime<FixedOffset>`, found N"
        );
        assert_eq!(
            read_error::<NaiveDate>(s("2023-02-29")),
            "value: cannot read `NaiveDate`: expected a date `YYYY-MM-DD`, such as \
             `2024-05-01`, found \"2023-02-29\" (no such date)"
        );
        assert!(read_error::<NaiveDate>(s("2024-5-1")).contains("not of that form"));
    }

    #[test]
    fn ttl_is_whole_seconds_rounded_down() {
        assert_eq!(utc(10, 999_999_999).to_epoch_seconds(), Some(10));
        assert_eq!(utc(-11, 1).to_epoch_seconds(), Some(-11));
        assert_eq!(
            DateTime::<Utc>::from_epoch_seconds(-11).unwrap(),
            utc(-11, 0)
        );
        let fixed = DateTime::<FixedOffset>::from_epoch_seconds(1_714_564_800).unwrap();
        assert_eq!(fixed, utc(1_714_564_800, 0));
        assert_eq!(fixed.offset().local_minus_utc(), 0);
        assert!(DateTime::<Utc>::from_epoch_seconds(i64::MAX)
            .unwrap_err()
            .to_string()
            .contains("out of range"));
    }

    #[test]
    fn now_is_the_current_time_in_utc() {
        for now in [<DateTime<Utc>>::now(), <DateTime<FixedOffset>>::now()] {
            let AttributeValue::S(text) = now else {
                panic!("{now:?}")
            };
            assert!(text.ends_with('Z'), "{text}");
            let read = read::<DateTime<Utc>>(&text);
            assert!(
                (DateTime::<Utc>::from(std::time::SystemTime::now()) - read)
                    .num_seconds()
                    .abs()
                    < 60,
                "{text}"
            );
        }
    }

    proptest! {
        #[test]
        fn round_trips(t in any_utc(), offset in -86_399i32..86_400, date in any_date()) {
            round_trip(&t);
            round_trip(&t.with_timezone(&FixedOffset::east_opt(offset).unwrap()));
            round_trip(&date);
        }

        #[test]
        fn string_order_is_time_order(a in four_digit_years(), b in four_digit_years()) {
            let (a, b) = (utc(a.0, a.1), utc(b.0, b.1));
            prop_assert_eq!(text(&a).cmp(&text(&b)), a.cmp(&b));
            let (da, db) = (a.date_naive(), b.date_naive());
            prop_assert_eq!(text(&da).cmp(&text(&db)), da.cmp(&db));
        }

        #[test]
        fn reads_any_offset_and_fraction(
            (secs, _) in four_digit_years(),
            (fraction, nanos) in fraction(),
            (offset, offset_text) in offset(),
        ) {
            let t = utc(secs, nanos);
            let local = t.with_timezone(&FixedOffset::east_opt(offset).unwrap());
            let text = format!("{}{fraction}{offset_text}", local.format("%Y-%m-%dT%H:%M:%S"));
            prop_assert_eq!(read::<DateTime<Utc>>(&text), t);
            prop_assert_eq!(read::<DateTime<FixedOffset>>(&text), t);
        }

        #[test]
        fn arbitrary_text_is_an_error_or_a_value(text in "\\PC{0,40}") {
            let _ = DateTime::<Utc>::from_attribute(s(&text));
            let _ = DateTime::<FixedOffset>::from_attribute(s(&text));
            let _ = NaiveDate::from_attribute(s(&text));
        }
    }
}

#[cfg(feature = "time")]
mod time {
    use ::time::{Date, Duration, Month, OffsetDateTime, UtcOffset};

    use super::*;

    fn utc(secs: i64, nanos: u32) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(secs).unwrap() + Duration::nanoseconds(nanos.into())
    }

    fn range() -> std::ops::RangeInclusive<i64> {
        let min = Date::MIN.midnight().assume_utc().unix_timestamp();
        let max = Date::MAX
            .with_hms(23, 59, 59)
            .unwrap()
            .assume_utc()
            .unix_timestamp();
        min..=max
    }

    #[test]
    fn writes_utc_with_nine_fraction_digits() {
        assert_eq!(
            round_trip(&utc(1_714_564_800, 0)),
            "2024-05-01T12:00:00.000000000Z"
        );
        let local = utc(1_714_564_800, 7).to_offset(UtcOffset::from_hms(-8, 0, 0).unwrap());
        assert_eq!(round_trip(&local), "2024-05-01T12:00:00.000000007Z");
        let date = Date::from_calendar_date(2024, Month::May, 1).unwrap();
        assert_eq!(round_trip(&date), "2024-05-01");
    }

    #[test]
    fn years_outside_four_digits_are_expanded_and_read_back() {
        assert_eq!(
            round_trip(&utc(YEAR_0 - 1, 0)),
            "-000001-12-31T23:59:59.000000000Z"
        );
        let min = Date::MIN.midnight().assume_utc();
        assert_eq!(round_trip(&min), text(&min));
        let leap = Date::from_calendar_date(-4, Month::February, 29).unwrap();
        assert_eq!(round_trip(&leap), "-000004-02-29");
        assert!(read_error::<Date>(s("-000001-02-29")).contains("day"));
        assert!(read_error::<OffsetDateTime>(s("-000001-02-29T00:00:00Z")).contains("RFC 3339"));
    }

    #[test]
    fn past_the_last_year_at_an_offset_is_written_not_a_panic() {
        let last = Date::MAX
            .with_hms(23, 0, 0)
            .unwrap()
            .assume_offset(UtcOffset::from_hms(-5, 0, 0).unwrap());
        let written = text(&last);
        assert!(written.starts_with("+010000-01-01T04:00:00"), "{written}");
        let _ = OffsetDateTime::from_attribute(s(&written));
    }

    #[test]
    fn reads_offsets_and_fraction_widths() {
        let t = utc(1_714_564_800, 500_000_000);
        for text in [
            "2024-05-01T12:00:00.5Z",
            "2024-05-01T17:30:00.500+05:30",
            "2024-05-01T04:00:00.500000000-08:00",
        ] {
            assert_eq!(read::<OffsetDateTime>(text), t, "{text}");
        }
        assert_eq!(
            read::<OffsetDateTime>("2024-05-01T17:30:00+05:30").offset(),
            UtcOffset::from_hms(5, 30, 0).unwrap()
        );
    }

    #[test]
    fn malformed_and_mistyped_values_are_errors() {
        for bad in [
            "",
            "2024-05-01",
            "2024-05-01T12:00:00",
            "2024-13-01T00:00:00Z",
            "+01-01",
        ] {
            let err = read_error::<OffsetDateTime>(s(bad));
            assert!(err.contains("expected an RFC 3339 date and time"), "{err}");
        }
        assert_eq!(
            read_error::<OffsetDateTime>(AttributeValue::N("1".into())),
            "value: expected S for `OffsetDateTime`, found N"
        );
        assert!(read_error::<Date>(s("2024-00-01")).contains("expected a date `YYYY-MM-DD`"));
        assert!(read_error::<Date>(s("+010000-01-01")).contains("expected a date"));
    }

    #[test]
    fn ttl_and_now() {
        assert_eq!(utc(-11, 1).to_epoch_seconds(), Some(-11));
        assert_eq!(
            OffsetDateTime::from_epoch_seconds(-11).unwrap(),
            utc(-11, 0)
        );
        assert!(OffsetDateTime::from_epoch_seconds(i64::MAX).is_err());
        let AttributeValue::S(now) = <OffsetDateTime as TimestampValue>::now() else {
            panic!()
        };
        let read = read::<OffsetDateTime>(&now);
        assert!(
            (OffsetDateTime::now_utc() - read).whole_seconds().abs() < 60,
            "{now}"
        );
    }

    proptest! {
        #[test]
        fn round_trips(secs in range(), nanos in 0u32..1_000_000_000, offset in -86_399i32..86_400) {
            let t = utc(secs, nanos);
            round_trip(&t);
            // A UTC time near the end of the range is not always local time
            // at every offset.
            if let Some(local) = t.checked_to_offset(UtcOffset::from_whole_seconds(offset).unwrap()) {
                round_trip(&local);
            }
            round_trip(&t.date());
        }

        #[test]
        fn string_order_is_time_order(a in four_digit_years(), b in four_digit_years()) {
            let (a, b) = (utc(a.0, a.1), utc(b.0, b.1));
            prop_assert_eq!(text(&a).cmp(&text(&b)), a.cmp(&b));
            prop_assert_eq!(text(&a.date()).cmp(&text(&b.date())), a.date().cmp(&b.date()));
        }

        #[test]
        fn reads_any_offset_and_fraction(
            (secs, _) in four_digit_years(),
            (fraction, nanos) in fraction(),
            (offset, offset_text) in offset(),
        ) {
            let t = utc(secs, nanos);
            let Some(local) = t.checked_to_offset(UtcOffset::from_whole_seconds(offset).unwrap()) else {
                return Ok(());
            };
            if !(0..=9999).contains(&local.year()) {
                return Ok(());
            }
            let text = format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{fraction}{offset_text}",
                local.year(), u8::from(local.month()), local.day(),
                local.hour(), local.minute(), local.second(),
            );
            prop_assert_eq!(read::<OffsetDateTime>(&text), t);
        }

        #[test]
        fn arbitrary_text_is_an_error_or_a_value(text in "\\PC{0,40}|[-+][0-9]{6}-\\PC{0,30}") {
            let _ = OffsetDateTime::from_attribute(s(&text));
            let _ = Date::from_attribute(s(&text));
        }
    }
}

#[cfg(feature = "jiff")]
mod jiff {
    use ::jiff::civil::Date;
    use ::jiff::tz::Offset;
    use ::jiff::Timestamp;

    use super::*;

    fn utc(secs: i64, nanos: u32) -> Timestamp {
        Timestamp::new(secs, 0).unwrap() + ::jiff::SignedDuration::new(0, nanos as i32)
    }

    fn any_timestamp() -> impl Strategy<Value = Timestamp> {
        (
            Timestamp::MIN.as_second()..=Timestamp::MAX.as_second(),
            0u32..1_000_000_000,
        )
            .prop_filter_map("in range", |(secs, nanos)| {
                Timestamp::new(secs, 0)
                    .ok()?
                    .checked_add(::jiff::SignedDuration::new(0, nanos as i32))
                    .ok()
            })
    }

    #[test]
    fn writes_utc_with_nine_fraction_digits() {
        assert_eq!(
            round_trip(&utc(1_714_564_800, 0)),
            "2024-05-01T12:00:00.000000000Z"
        );
        assert_eq!(round_trip(&utc(-1, 1)), "1969-12-31T23:59:59.000000001Z");
        assert_eq!(round_trip(&Date::constant(2024, 5, 1)), "2024-05-01");
    }

    #[test]
    fn years_outside_four_digits_are_expanded_and_read_back() {
        assert_eq!(
            round_trip(&Timestamp::MIN),
            "-009999-01-02T01:59:59.000000000Z"
        );
        assert_eq!(
            round_trip(&utc(YEAR_0 - 1, 0)),
            "-000001-12-31T23:59:59.000000000Z"
        );
        assert_eq!(round_trip(&Date::MIN), "-009999-01-01");
        assert!(read_error::<Date>(s("+010000-01-01")).contains("expected a date"));
    }

    #[test]
    fn reads_offsets_and_fraction_widths() {
        let t = utc(1_714_564_800, 500_000_000);
        for text in [
            "2024-05-01T12:00:00.5Z",
            "2024-05-01T17:30:00.500+05:30",
            "2024-05-01T04:00:00.500000000-08:00",
        ] {
            assert_eq!(read::<Timestamp>(text), t, "{text}");
        }
    }

    #[test]
    fn malformed_and_mistyped_values_are_errors() {
        for bad in [
            "",
            "2024-05-01",
            "2024-05-01T12:00:00",
            "2024-13-01T00:00:00Z",
        ] {
            let err = read_error::<Timestamp>(s(bad));
            assert!(err.contains("expected an RFC 3339 date and time"), "{err}");
        }
        assert_eq!(
            read_error::<Timestamp>(AttributeValue::Bool(true)),
            "value: expected S for `Timestamp`, found BOOL"
        );
        assert!(read_error::<Date>(s("2024-02-30")).contains("expected a date `YYYY-MM-DD`"));
    }

    #[test]
    fn ttl_and_now() {
        assert_eq!(utc(10, 5).to_epoch_seconds(), Some(10));
        assert_eq!(utc(-11, 1).to_epoch_seconds(), Some(-11));
        assert_eq!(utc(-11, 0).to_epoch_seconds(), Some(-11));
        assert_eq!(Timestamp::from_epoch_seconds(-11).unwrap(), utc(-11, 0));
        assert!(Timestamp::from_epoch_seconds(i64::MAX).is_err());
        let AttributeValue::S(now) = <Timestamp as TimestampValue>::now() else {
            panic!()
        };
        let read = read::<Timestamp>(&now);
        assert!(
            Timestamp::now().duration_since(read).as_secs().abs() < 60,
            "{now}"
        );
    }

    proptest! {
        #[test]
        fn round_trips(t in any_timestamp()) {
            round_trip(&t);
            round_trip(&Offset::UTC.to_datetime(t).date());
        }

        #[test]
        fn string_order_is_time_order(a in four_digit_years(), b in four_digit_years()) {
            let (a, b) = (utc(a.0, a.1), utc(b.0, b.1));
            prop_assert_eq!(text(&a).cmp(&text(&b)), a.cmp(&b));
            let (da, db) = (Offset::UTC.to_datetime(a).date(), Offset::UTC.to_datetime(b).date());
            prop_assert_eq!(text(&da).cmp(&text(&db)), da.cmp(&db));
        }

        #[test]
        fn reads_any_offset_and_fraction(
            (secs, _) in four_digit_years(),
            (fraction, nanos) in fraction(),
            (offset, offset_text) in offset(),
        ) {
            let t = utc(secs, nanos);
            let local = Offset::from_seconds(offset).unwrap().to_datetime(t);
            if !(0..=9999).contains(&local.year()) {
                return Ok(());
            }
            let text = format!("{}{fraction}{offset_text}", local.strftime("%Y-%m-%dT%H:%M:%S"));
            prop_assert_eq!(read::<Timestamp>(&text), t);
        }

        #[test]
        fn arbitrary_text_is_an_error_or_a_value(text in "\\PC{0,40}") {
            let _ = Timestamp::from_attribute(s(&text));
            let _ = Date::from_attribute(s(&text));
        }
    }
}

/// The three crates write the same text for the same instant.
#[cfg(all(feature = "chrono", feature = "time", feature = "jiff"))]
mod agreement {
    use super::*;

    proptest! {
        #[test]
        fn every_crate_writes_the_same_text(secs in -377_705_116_800i64..253_402_300_800, nanos in 0u32..1_000_000_000) {
            let chrono = ::chrono::DateTime::from_timestamp(secs, nanos).unwrap();
            let time = ::time::OffsetDateTime::from_unix_timestamp(secs).unwrap()
                + ::time::Duration::nanoseconds(nanos.into());
            let jiff = ::jiff::Timestamp::new(secs, nanos as i32).unwrap();
            let expected = text(&chrono);
            prop_assert_eq!(&text(&time), &expected);
            prop_assert_eq!(&text(&jiff), &expected);
            prop_assert_eq!(text(&chrono.date_naive()), text(&time.date()));
            prop_assert_eq!(
                text(&chrono.date_naive()),
                text(&::jiff::tz::Offset::UTC.to_datetime(jiff).date())
            );
        }
    }
}
