//! The text form shared by the date and time types of the `chrono`, `time`
//! and `jiff` features, so that all three write the same string for the
//! same instant.
//!
//! An instant is written in UTC as RFC 3339 with `Z` and exactly nine
//! fraction digits, `2024-05-01T12:00:00.000000000Z`; a date as
//! `2024-05-01`. Every field has a fixed width, so for years 0000 to 9999
//! the order of the strings is the order of the times, and a sort key or a
//! `between` condition on such an attribute compares times. RFC 3339 has no
//! form for other years: they are written with ISO 8601's expanded year, a
//! sign and six digits (`-000001-12-31T…`, `+010000-01-01T…`), which reads
//! back to the same value but does not sort with four-digit years.

use aws_sdk_dynamodb::types::AttributeValue;

use super::DecodeError;

/// What a malformed instant is reported against.
pub(super) const INSTANT_FORM: &str =
    "an RFC 3339 date and time with an offset, such as `2024-05-01T12:00:00.000000000Z`";

/// What a malformed date is reported against.
pub(super) const DATE_FORM: &str = "a date `YYYY-MM-DD`, such as `2024-05-01`";

/// The broken-down UTC time of an instant. `second` is 60 only for a leap
/// second, which chrono can represent.
pub(super) struct Utc {
    pub(super) year: i32,
    pub(super) month: u8,
    pub(super) day: u8,
    pub(super) hour: u8,
    pub(super) minute: u8,
    pub(super) second: u8,
    pub(super) nanosecond: u32,
}

impl Utc {
    /// The UTC time `seconds` after the Unix epoch (before it if negative),
    /// on the proleptic Gregorian calendar.
    #[cfg_attr(not(feature = "time"), allow(dead_code))]
    pub(super) fn from_unix(seconds: i64, nanosecond: u32) -> Utc {
        let days = seconds.div_euclid(86_400);
        let second_of_day = seconds.rem_euclid(86_400);
        // Howard Hinnant's `civil_from_days`, on 400-year eras from 0000-03-01.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let day_of_era = z.rem_euclid(146_097);
        let year_of_era =
            (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
        let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
        let shifted_month = (5 * day_of_year + 2) / 153;
        let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
        let month = if shifted_month < 10 {
            shifted_month + 3
        } else {
            shifted_month - 9
        };
        let year = year_of_era + era * 400 + i64::from(month <= 2);
        Utc {
            // Every crate's range is far inside `i32` years.
            year: year as i32,
            month: month as u8,
            day: day as u8,
            hour: (second_of_day / 3600) as u8,
            minute: (second_of_day / 60 % 60) as u8,
            second: (second_of_day % 60) as u8,
            nanosecond,
        }
    }
}

fn push_digits(out: &mut String, value: u32, width: usize) {
    let mut buffer = itoa::Buffer::new();
    let digits = buffer.format(value);
    out.extend(std::iter::repeat_n('0', width.saturating_sub(digits.len())));
    out.push_str(digits);
}

fn push_date(out: &mut String, year: i32, month: u8, day: u8) {
    if (0..=9999).contains(&year) {
        push_digits(out, year.unsigned_abs(), 4);
    } else {
        out.push(if year < 0 { '-' } else { '+' });
        push_digits(out, year.unsigned_abs(), 6);
    }
    out.push('-');
    push_digits(out, month.into(), 2);
    out.push('-');
    push_digits(out, day.into(), 2);
}

/// `2024-05-01T12:00:00.000000000Z`.
pub(super) fn instant_text(t: Utc) -> String {
    let mut out = String::with_capacity(30);
    push_date(&mut out, t.year, t.month, t.day);
    out.push('T');
    push_digits(&mut out, t.hour.into(), 2);
    out.push(':');
    push_digits(&mut out, t.minute.into(), 2);
    out.push(':');
    push_digits(&mut out, t.second.into(), 2);
    out.push('.');
    push_digits(&mut out, t.nanosecond, 9);
    out.push('Z');
    out
}

/// `2024-05-01`.
pub(super) fn date_text(year: i32, month: u8, day: u8) -> String {
    let mut out = String::with_capacity(10);
    push_date(&mut out, year, month, day);
    out
}

/// The text of an `S` value, or a mismatch error for `T`.
pub(super) fn string_of<T>(value: AttributeValue) -> Result<String, DecodeError> {
    match value {
        AttributeValue::S(s) => Ok(s),
        other => Err(DecodeError::mismatch::<T>("S", &other)),
    }
}

/// A string that is not of the `form` that `T` reads.
pub(super) fn malformed<T>(form: &str, text: &str, why: impl std::fmt::Display) -> DecodeError {
    DecodeError::invalid::<T>(format!("expected {form}, found {text:?} ({why})"))
}

/// The year, month and day of `YYYY-MM-DD` or `±YYYYYY-MM-DD`, the forms
/// dates are written in; the caller's crate checks the calendar.
pub(super) fn parse_date(text: &str) -> Option<(i32, u8, u8)> {
    let (year, rest) = match split_expanded_year(text) {
        Some((year, rest)) => (year, rest),
        None => {
            let digits = text.get(..4)?;
            if !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            (digits.parse().ok()?, text.to_owned())
        }
    };
    let rest = rest.as_bytes();
    let two = |at: usize| -> Option<u8> {
        match rest.get(at..at + 2)? {
            [a @ b'0'..=b'9', b @ b'0'..=b'9'] => Some((a - b'0') * 10 + (b - b'0')),
            _ => None,
        }
    };
    if rest.len() != 10 || rest[4] != b'-' || rest[7] != b'-' {
        return None;
    }
    Some((year, two(5)?, two(8)?))
}

/// An expanded year (`±YYYYYY-`) split off the rest of the text, with the
/// rest rewritten onto year 2000 (a leap year, so that February 29 parses)
/// for a crate's own parser; the caller puts the year back.
pub(super) fn split_expanded_year(text: &str) -> Option<(i32, String)> {
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits = text.get(1..7)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) || text.as_bytes().get(7) != Some(&b'-') {
        return None;
    }
    let year: i32 = digits.parse().ok()?;
    Some((sign * year, format!("2000{}", &text[7..])))
}

#[cfg(test)]
mod tests;
