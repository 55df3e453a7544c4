//! chrono's `DateTime<Utc>`, `DateTime<FixedOffset>` and `NaiveDate`
//! (feature `chrono`), in the text form of [`super::datetime`].

use aws_sdk_dynamodb::types::AttributeValue;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, Timelike, Utc};

use super::datetime::{self, DATE_FORM, INSTANT_FORM};
use super::{DecodeError, FromAttribute, KeyAttribute, ScalarType, ToAttribute};

fn instant_attribute(t: &DateTime<Utc>) -> AttributeValue {
    // A leap second is kept as chrono keeps it: second 59 with a nanosecond
    // count past one second, written as second 60.
    let leap = t.nanosecond() >= 1_000_000_000;
    AttributeValue::S(datetime::instant_text(datetime::Utc {
        year: t.year(),
        month: t.month() as u8,
        day: t.day() as u8,
        hour: t.hour() as u8,
        minute: t.minute() as u8,
        second: t.second() as u8 + u8::from(leap),
        nanosecond: t.nanosecond() % 1_000_000_000,
    }))
}

/// Reads with chrono's own parser, which takes RFC 3339 with any offset and
/// fraction width, and ISO 8601's expanded years.
fn parse_instant<T>(value: AttributeValue) -> Result<DateTime<FixedOffset>, DecodeError> {
    let text = datetime::string_of::<T>(value)?;
    text.parse::<DateTime<FixedOffset>>()
        .map_err(|e| datetime::malformed::<T>(INSTANT_FORM, &text, e))
}

#[cfg_attr(docsrs, doc(cfg(feature = "chrono")))]
impl ToAttribute for DateTime<Utc> {
    fn to_attribute(&self) -> AttributeValue {
        instant_attribute(self)
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "chrono")))]
impl FromAttribute for DateTime<Utc> {
    const EXPECTED: &'static str = "S";
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        parse_instant::<Self>(value).map(|t| t.to_utc())
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "chrono")))]
impl KeyAttribute for DateTime<Utc> {
    const KEY_TYPE: ScalarType = ScalarType::S;
}

/// Written converted to UTC, like every instant; read with the offset the
/// text has.
#[cfg_attr(docsrs, doc(cfg(feature = "chrono")))]
impl ToAttribute for DateTime<FixedOffset> {
    fn to_attribute(&self) -> AttributeValue {
        instant_attribute(&self.to_utc())
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "chrono")))]
impl FromAttribute for DateTime<FixedOffset> {
    const EXPECTED: &'static str = "S";
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        parse_instant::<Self>(value)
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "chrono")))]
impl KeyAttribute for DateTime<FixedOffset> {
    const KEY_TYPE: ScalarType = ScalarType::S;
}

#[cfg_attr(docsrs, doc(cfg(feature = "chrono")))]
impl ToAttribute for NaiveDate {
    fn to_attribute(&self) -> AttributeValue {
        AttributeValue::S(datetime::date_text(
            self.year(),
            self.month() as u8,
            self.day() as u8,
        ))
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "chrono")))]
impl FromAttribute for NaiveDate {
    const EXPECTED: &'static str = "S";
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        let text = datetime::string_of::<Self>(value)?;
        let (year, month, day) = datetime::parse_date(&text)
            .ok_or_else(|| datetime::malformed::<Self>(DATE_FORM, &text, "not of that form"))?;
        NaiveDate::from_ymd_opt(year, month.into(), day.into())
            .ok_or_else(|| datetime::malformed::<Self>(DATE_FORM, &text, "no such date"))
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "chrono")))]
impl KeyAttribute for NaiveDate {
    const KEY_TYPE: ScalarType = ScalarType::S;
}
