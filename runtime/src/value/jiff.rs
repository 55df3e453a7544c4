//! jiff's `Timestamp` and `civil::Date` (feature `jiff`), in the text form
//! of [`super::datetime`].

use aws_sdk_dynamodb::types::AttributeValue;
use jiff::civil::Date;
use jiff::tz::Offset;
use jiff::Timestamp;

use super::datetime::{self, DATE_FORM, INSTANT_FORM};
use super::{DecodeError, FromAttribute, KeyAttribute, ScalarType, ToAttribute};

#[cfg_attr(docsrs, doc(cfg(feature = "jiff")))]
impl ToAttribute for Timestamp {
    fn to_attribute(&self) -> AttributeValue {
        let t = Offset::UTC.to_datetime(*self);
        // jiff's fields are small signed integers that it keeps in range.
        let field = |v: i8| v.unsigned_abs();
        AttributeValue::S(datetime::instant_text(datetime::Utc {
            year: t.year().into(),
            month: field(t.month()),
            day: field(t.day()),
            hour: field(t.hour()),
            minute: field(t.minute()),
            second: field(t.second()),
            nanosecond: t.subsec_nanosecond().unsigned_abs(),
        }))
    }
}

/// Read with jiff's own parser: RFC 3339 with any offset and up to nine
/// fraction digits, and RFC 9557's expanded years.
#[cfg_attr(docsrs, doc(cfg(feature = "jiff")))]
impl FromAttribute for Timestamp {
    const EXPECTED: &'static str = "S";
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        let text = datetime::string_of::<Self>(value)?;
        text.parse::<Timestamp>()
            .map_err(|e| datetime::malformed::<Self>(INSTANT_FORM, &text, e))
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "jiff")))]
impl KeyAttribute for Timestamp {
    const KEY_TYPE: ScalarType = ScalarType::S;
}

#[cfg_attr(docsrs, doc(cfg(feature = "jiff")))]
impl ToAttribute for Date {
    fn to_attribute(&self) -> AttributeValue {
        AttributeValue::S(datetime::date_text(
            self.year().into(),
            self.month().unsigned_abs(),
            self.day().unsigned_abs(),
        ))
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "jiff")))]
impl FromAttribute for Date {
    const EXPECTED: &'static str = "S";
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        let text = datetime::string_of::<Self>(value)?;
        let (year, month, day) = datetime::parse_date(&text)
            .ok_or_else(|| datetime::malformed::<Self>(DATE_FORM, &text, "not of that form"))?;
        let year = i16::try_from(year)
            .map_err(|_| datetime::malformed::<Self>(DATE_FORM, &text, "year out of range"))?;
        // Month and day are two digits, so they fit.
        Date::new(year, month as i8, day as i8)
            .map_err(|e| datetime::malformed::<Self>(DATE_FORM, &text, e))
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "jiff")))]
impl KeyAttribute for Date {
    const KEY_TYPE: ScalarType = ScalarType::S;
}
