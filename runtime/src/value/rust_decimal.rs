//! `rust_decimal::Decimal` (feature `rust_decimal`): a number (`N`), exact.
//!
//! The decimal text goes both ways without passing through a float. A
//! `Decimal` holds a 96-bit integer scaled by 0 to 28 decimal places, less
//! than DynamoDB's 38 significant digits, so a stored number it cannot hold
//! exactly is a decode error, never rounded.

use ::rust_decimal::Decimal;
use aws_sdk_dynamodb::types::AttributeValue;

use super::{
    decode_number_set, number_text, DecodeError, FromAttribute, KeyAttribute, ScalarType,
    SetMember, ToAttribute,
};

/// The most decimal places a `Decimal` holds.
const MAX_SCALE: i64 = 28;

fn parse(text: &str) -> Result<Decimal, DecodeError> {
    let invalid = |why: String| DecodeError::invalid::<Decimal>(why);
    let parsed =
        super::Decimal::parse(text).ok_or_else(|| invalid(format!("{text:?} is not a number")))?;
    // Plain text keeps its scale (`1.50`); the check guards against any
    // rounding in the parse, which also accepts forms DynamoDB does not (`1_0`).
    if let Ok(d) = Decimal::from_str_exact(text) {
        if super::Decimal::parse(&d.to_string()) == Some(parsed) {
            return Ok(d);
        }
    }
    if parsed.is_zero() {
        return Ok(Decimal::ZERO);
    }
    // The value is `0.d₁…dₙ × 10^exponent`, that is `d₁…dₙ × 10^-scale`.
    let scale = parsed.digit_count() as i64 - parsed.exponent;
    if scale > MAX_SCALE {
        return Err(invalid(format!(
            "{text} has {scale} decimal places; `Decimal` holds at most {MAX_SCALE}"
        )));
    }
    let out_of_range = || {
        invalid(format!(
            "{text} does not fit `Decimal`, whose digits are a 96-bit integer (at most {})",
            Decimal::MAX
        ))
    };
    // Anything of 10^29 or more is above `Decimal::MAX` (about 7.9 × 10^28);
    // this bound also keeps the loops below short.
    if parsed.exponent > 29 {
        return Err(out_of_range());
    }
    let mut mantissa: u128 = 0;
    for digit in parsed.digits() {
        mantissa = mantissa
            .checked_mul(10)
            .and_then(|m| m.checked_add(u128::from(digit)))
            .ok_or_else(out_of_range)?;
    }
    for _ in scale..0 {
        mantissa = mantissa.checked_mul(10).ok_or_else(out_of_range)?;
    }
    let magnitude = i128::try_from(mantissa).map_err(|_| out_of_range())?;
    let signed = if parsed.negative {
        -magnitude
    } else {
        magnitude
    };
    // In range: 0 ≤ scale ≤ 28 here.
    Decimal::try_from_i128_with_scale(signed, scale.max(0) as u32).map_err(|_| out_of_range())
}

/// Written as `N` with its exact decimal text (`19.90`); DynamoDB keeps the
/// value, not the text, so it reads back as the equal `19.9`. Reading takes
/// any decimal form (`1.5E3`) and fails, naming the attribute, on a number
/// with more than 28 decimal places or more digits than `Decimal`'s 96 bits.
#[cfg_attr(docsrs, doc(cfg(feature = "rust_decimal")))]
impl ToAttribute for Decimal {
    fn to_attribute(&self) -> AttributeValue {
        AttributeValue::N(self.to_string())
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "rust_decimal")))]
impl FromAttribute for Decimal {
    const EXPECTED: &'static str = "N";
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        parse(&number_text::<Decimal>(value)?)
    }
}

/// A set of decimals is a number set (`NS`).
#[cfg_attr(docsrs, doc(cfg(feature = "rust_decimal")))]
impl SetMember for Decimal {
    fn __set_to_attribute<'a, I: Iterator<Item = &'a Self>>(items: I) -> AttributeValue {
        AttributeValue::Ns(items.map(Decimal::to_string).collect())
    }
    fn __set_from_attribute<C: FromIterator<Self>>(
        value: AttributeValue,
    ) -> Result<C, DecodeError> {
        decode_number_set(value, |text| parse(&text))
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "rust_decimal")))]
impl KeyAttribute for Decimal {
    const KEY_TYPE: ScalarType = ScalarType::N;
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::*;
    use crate::value::Number;

    /// Every `Decimal`: a 96-bit mantissa of either sign, 0 to 28 places.
    fn decimal() -> impl Strategy<Value = Decimal> {
        let max = (1i128 << 96) - 1;
        (-max..=max, 0u32..=28).prop_map(|(m, s)| Decimal::from_i128_with_scale(m, s))
    }

    fn read(text: &str) -> Result<Decimal, DecodeError> {
        Decimal::from_attribute(AttributeValue::N(text.into()))
    }

    fn number(text: &str) -> Number {
        text.parse().unwrap()
    }

    proptest! {
        #[test]
        fn round_trips_exactly(d in decimal()) {
            let value = d.to_attribute();
            let AttributeValue::N(text) = &value else { panic!("{value:?}") };
            prop_assert!(number(text).is_storable(), "{}", text);
            let back = Decimal::from_attribute(value.clone()).unwrap();
            prop_assert_eq!(back, d);
            prop_assert_eq!(back.to_string(), d.to_string());
        }

        /// What DynamoDB sends back is the same value in another form.
        #[test]
        fn reads_other_forms_of_the_same_value(d in decimal()) {
            let normal = d.normalize();
            let scientific = format!("{}E{}", normal.mantissa(), -i64::from(normal.scale()));
            prop_assert_eq!(read(&scientific).unwrap(), d);
        }

        /// Any number DynamoDB can store reads as exactly its value or is an error.
        #[test]
        fn never_rounds(
            negative in any::<bool>(),
            digits in "[1-9][0-9]{0,37}",
            exponent in -40i32..=40,
        ) {
            let sign = if negative { "-" } else { "" };
            let text = format!("{sign}{digits}E{exponent}");
            if let Ok(d) = read(&text) {
                prop_assert_eq!(number(&d.to_string()), number(&text));
            }
        }

        #[test]
        fn malformed_text_is_an_error_not_a_panic(text in any::<String>()) {
            let _ = read(&text);
        }

        #[test]
        fn sets_round_trip(set in proptest::collection::btree_set(decimal(), 0..5)) {
            let back: BTreeSet<Decimal> = FromAttribute::from_attribute(set.to_attribute()).unwrap();
            prop_assert_eq!(back, set);
        }
    }

    #[test]
    fn writes_exact_text() {
        assert_eq!(
            Decimal::new(1990, 2).to_attribute(),
            AttributeValue::N("19.90".into())
        );
        assert_eq!(
            Decimal::MAX.to_attribute(),
            AttributeValue::N("79228162514264337593543950335".into())
        );
        assert_eq!(
            Decimal::new(1, 28).to_attribute(),
            AttributeValue::N("0.0000000000000000000000000001".into())
        );
        assert_eq!(<Decimal as KeyAttribute>::KEY_TYPE, ScalarType::N);
    }

    #[test]
    fn reads_exactly_what_fits() {
        assert_eq!(read("0.1"), Ok(Decimal::new(1, 1)));
        assert_eq!(read("-19.9"), Ok(Decimal::new(-199, 1)));
        assert_eq!(read("1.5E3"), Ok(Decimal::new(1500, 0)));
        assert_eq!(read("-0.00"), Ok(Decimal::ZERO));
        assert_eq!(read("1E-28"), Ok(Decimal::new(1, 28)));
        assert_eq!(read("79228162514264337593543950335"), Ok(Decimal::MAX));
        assert_eq!(read("-79228162514264337593543950335"), Ok(Decimal::MIN));
        assert_eq!(read("7.9228162514264337593543950335E28"), Ok(Decimal::MAX));
    }

    #[test]
    fn numbers_it_cannot_hold_are_errors_not_rounded() {
        let message = |text: &str| read(text).unwrap_err().to_string();
        assert_eq!(
            message("1E-29"),
            "value: cannot read `Decimal`: 1E-29 has 29 decimal places; `Decimal` holds at most 28"
        );
        // 38 significant digits, as DynamoDB may hold.
        assert_eq!(
            message("1.2345678901234567890123456789012345678"),
            "value: cannot read `Decimal`: 1.2345678901234567890123456789012345678 has 37 \
             decimal places; `Decimal` holds at most 28"
        );
        let too_big = "value: cannot read `Decimal`: {} does not fit `Decimal`, whose digits \
                       are a 96-bit integer (at most 79228162514264337593543950335)";
        for text in [
            "79228162514264337593543950336",
            "12345678901234567890123456789012345678",
            "1E29",
            "9.99E125",
            // 29 digits with 28 places: within range, but not 96 bits of digits.
            "9.9999999999999999999999999999",
        ] {
            assert_eq!(message(text), too_big.replace("{}", text));
        }
        assert_eq!(
            message("1e"),
            "value: cannot read `Decimal`: \"1e\" is not a number"
        );
        let err = Decimal::from_attribute(AttributeValue::S("1.5".into()))
            .unwrap_err()
            .in_field("price");
        assert_eq!(
            err.to_string(),
            "attribute `price`: expected N for `Decimal`, found S"
        );
    }
}
