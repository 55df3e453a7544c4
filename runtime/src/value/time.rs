//! time's `OffsetDateTime` and `Date` (feature `time`), in the text form of
//! [`super::datetime`].

use aws_sdk_dynamodb::types::AttributeValue;
use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime};

use super::datetime::{self, DATE_FORM, INSTANT_FORM};
use super::{DecodeError, FromAttribute, KeyAttribute, ScalarType, ToAttribute};

/// Written converted to UTC; read with the offset the text has.
#[cfg_attr(docsrs, doc(cfg(feature = "time")))]
impl ToAttribute for OffsetDateTime {
    fn to_attribute(&self) -> AttributeValue {
        // From epoch seconds rather than `to_offset(UTC)`, which panics when
        // the UTC date is past the last year `time` holds (a time late on
        // its last day at a negative offset). Such a value is written, and
        // reads back only if `time`'s `large-dates` feature is on.
        AttributeValue::S(datetime::instant_text(datetime::Utc::from_unix(
            self.unix_timestamp(),
            self.nanosecond(),
        )))
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "time")))]
impl FromAttribute for OffsetDateTime {
    const EXPECTED: &'static str = "S";
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        let text = datetime::string_of::<Self>(value)?;
        let malformed =
            |why: &dyn std::fmt::Display| datetime::malformed::<Self>(INSTANT_FORM, &text, why);
        match OffsetDateTime::parse(&text, &Rfc3339) {
            Ok(t) => Ok(t),
            // RFC 3339 has four-digit years only: an expanded year is parsed
            // on year 2000 and put back.
            Err(e) => match datetime::split_expanded_year(&text) {
                Some((year, rest)) => OffsetDateTime::parse(&rest, &Rfc3339)
                    .map_err(|e| malformed(&e))?
                    .replace_year(year)
                    .map_err(|e| malformed(&e)),
                None => Err(malformed(&e)),
            },
        }
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "time")))]
impl KeyAttribute for OffsetDateTime {
    const KEY_TYPE: ScalarType = ScalarType::S;
}

#[cfg_attr(docsrs, doc(cfg(feature = "time")))]
impl ToAttribute for Date {
    fn to_attribute(&self) -> AttributeValue {
        AttributeValue::S(datetime::date_text(
            self.year(),
            self.month().into(),
            self.day(),
        ))
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "time")))]
impl FromAttribute for Date {
    const EXPECTED: &'static str = "S";
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        let text = datetime::string_of::<Self>(value)?;
        let malformed =
            |why: &dyn std::fmt::Display| datetime::malformed::<Self>(DATE_FORM, &text, why);
        let (year, month, day) =
            datetime::parse_date(&text).ok_or_else(|| malformed(&"not of that form"))?;
        let month = Month::try_from(month).map_err(|e| malformed(&e))?;
        Date::from_calendar_date(year, month, day).map_err(|e| malformed(&e))
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "time")))]
impl KeyAttribute for Date {
    const KEY_TYPE: ScalarType = ScalarType::S;
}
