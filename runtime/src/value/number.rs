//! The lossless [`Number`] type and DynamoDB's decimal number rules.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

/// The most significant digits DynamoDB keeps in a number.
pub const MAX_DIGITS: usize = 38;
/// The largest decimal exponent DynamoDB accepts (`9.99…E+125`).
pub const MAX_EXPONENT: i32 = 125;
/// The smallest decimal exponent DynamoDB accepts for a non-zero number (`1E-130`).
pub const MIN_EXPONENT: i32 = -130;

/// A DynamoDB number held exactly as decimal text.
///
/// Use it for values that no Rust primitive holds without loss: 38-digit
/// decimals, amounts of money, numbers written by other languages. Two numbers
/// compare equal when they denote the same value (`"1.50"` equals `"1.5"`).
///
/// ```
/// use resourceful_runtime::Number;
///
/// let n: Number = "12345678901234567890123456789012345678".parse()?;
/// assert_eq!(n.as_str(), "12345678901234567890123456789012345678");
/// assert_eq!("1.50".parse::<Number>()?, "15E-1".parse::<Number>()?);
/// # Ok::<(), resourceful_runtime::value::ParseNumberError>(())
/// ```
#[derive(Clone)]
pub struct Number {
    text: String,
}

impl Number {
    /// The decimal text, as written or as received from DynamoDB.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Parses the number into any type that parses from decimal text.
    ///
    /// ```
    /// # use resourceful_runtime::Number;
    /// let n = Number::from(42_u8);
    /// assert_eq!(n.parse::<i64>().unwrap(), 42);
    /// ```
    pub fn parse<T: FromStr>(&self) -> Result<T, T::Err> {
        self.text.parse()
    }

    /// Whether DynamoDB can store this number: at most 38 significant digits
    /// and a magnitude between `1E-130` and `9.99…E+125` (or zero).
    pub fn is_storable(&self) -> bool {
        Decimal::parse(&self.text).is_some_and(|d| d.storable().is_ok())
    }

    pub(crate) fn from_text_unchecked(text: String) -> Self {
        Number { text }
    }

    fn decimal(&self) -> Decimal<'_> {
        // Construction guarantees valid syntax.
        Decimal::parse(&self.text).unwrap_or(Decimal::ZERO)
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Number({})", self.text)
    }
}

impl PartialEq for Number {
    fn eq(&self, other: &Self) -> bool {
        self.decimal() == other.decimal()
    }
}

impl Eq for Number {}

impl Hash for Number {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.decimal().hash(state);
    }
}

impl PartialOrd for Number {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Number {
    fn cmp(&self, other: &Self) -> Ordering {
        self.decimal().cmp(&other.decimal())
    }
}

/// The error returned when text is not a decimal number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseNumberError {
    text: String,
}

impl fmt::Display for ParseNumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a decimal number", self.text)
    }
}

impl std::error::Error for ParseNumberError {}

impl FromStr for Number {
    type Err = ParseNumberError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match Decimal::parse(s) {
            Some(_) => Ok(Number { text: s.to_owned() }),
            None => Err(ParseNumberError { text: s.to_owned() }),
        }
    }
}

macro_rules! number_from_int {
    ($($t:ty)*) => {$(
        impl From<$t> for Number {
            fn from(n: $t) -> Self {
                Number { text: itoa::Buffer::new().format(n).to_owned() }
            }
        }
    )*};
}
number_from_int!(i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize);

/// A parsed decimal: `0.digits × 10^exponent`, digits without leading or
/// trailing zeros (empty for zero).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Decimal<'a> {
    pub(crate) negative: bool,
    /// Significant digits as ASCII, split in two runs (before and after the
    /// decimal point) to avoid allocating.
    int: &'a str,
    frac: &'a str,
    pub(crate) exponent: i64,
}

/// Why a number cannot be stored by DynamoDB.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unstorable {
    Precision(usize),
    AboveMax,
    BelowMin,
}

impl fmt::Display for Unstorable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unstorable::Precision(n) => write!(
                f,
                "has {n} significant digits; DynamoDB keeps at most {MAX_DIGITS}"
            ),
            Unstorable::AboveMax => f.write_str(
                "is larger in magnitude than DynamoDB's maximum 9.9999999999999999999999999999999999999E+125",
            ),
            Unstorable::BelowMin => {
                f.write_str("is smaller in magnitude than DynamoDB's minimum 1E-130")
            }
        }
    }
}

impl<'a> Decimal<'a> {
    const ZERO: Decimal<'static> = Decimal {
        negative: false,
        int: "",
        frac: "",
        exponent: 0,
    };

    /// Parses `[+-]digits[.digits][(e|E)[+-]digits]`; at least one digit in the mantissa.
    pub(crate) fn parse(s: &'a str) -> Option<Self> {
        let bytes = s.as_bytes();
        let mut i = 0;
        let mut negative = false;
        if let Some(&c) = bytes.first() {
            if c == b'-' || c == b'+' {
                negative = c == b'-';
                i = 1;
            }
        }
        let int_start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let int_digits = &s[int_start..i];
        let mut frac_digits = "";
        if i < bytes.len() && bytes[i] == b'.' {
            i += 1;
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            frac_digits = &s[start..i];
        }
        if int_digits.is_empty() && frac_digits.is_empty() {
            return None;
        }
        let mut exp: i64 = 0;
        if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
            i += 1;
            let mut exp_negative = false;
            if i < bytes.len() && (bytes[i] == b'-' || bytes[i] == b'+') {
                exp_negative = bytes[i] == b'-';
                i += 1;
            }
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                // Saturate: anything this large is out of every range anyway.
                exp = (exp * 10 + i64::from(bytes[i] - b'0')).min(1 << 40);
                i += 1;
            }
            if i == start {
                return None;
            }
            if exp_negative {
                exp = -exp;
            }
        }
        if i != bytes.len() {
            return None;
        }
        // Normalise: strip leading zeros of the integer part (moving into the
        // fraction if the integer part is all zeros) and trailing zeros.
        let int_trimmed = int_digits.trim_start_matches('0');
        let (int, frac, exponent) = if int_trimmed.is_empty() {
            let frac_trimmed = frac_digits.trim_start_matches('0');
            let leading = (frac_digits.len() - frac_trimmed.len()) as i64;
            ("", frac_trimmed.trim_end_matches('0'), exp - leading)
        } else if frac_digits.trim_end_matches('0').is_empty() {
            let digits = int_trimmed.trim_end_matches('0');
            (digits, "", exp + int_trimmed.len() as i64)
        } else {
            (
                int_trimmed,
                frac_digits.trim_end_matches('0'),
                exp + int_trimmed.len() as i64,
            )
        };
        if int.is_empty() && frac.is_empty() {
            return Some(Decimal::ZERO);
        }
        Some(Decimal {
            negative,
            int,
            frac,
            exponent,
        })
    }

    /// The same digits scaled by `10^shift`.
    pub(crate) fn scaled(self, shift: i64) -> Self {
        Decimal {
            exponent: self.exponent + shift,
            ..self
        }
    }

    pub(crate) fn is_zero(&self) -> bool {
        self.int.is_empty() && self.frac.is_empty()
    }

    pub(crate) fn digit_count(&self) -> usize {
        self.int.len() + self.frac.len()
    }

    pub(crate) fn digits(&self) -> impl Iterator<Item = u8> + 'a {
        self.int.bytes().chain(self.frac.bytes()).map(|b| b - b'0')
    }

    /// DynamoDB's storage rules.
    pub(crate) fn storable(&self) -> Result<(), Unstorable> {
        if self.is_zero() {
            return Ok(());
        }
        let digits = self.digit_count();
        if digits > MAX_DIGITS {
            return Err(Unstorable::Precision(digits));
        }
        // Scientific exponent of d.ddd form is exponent - 1.
        let sci = self.exponent - 1;
        if sci > i64::from(MAX_EXPONENT) {
            return Err(Unstorable::AboveMax);
        }
        if sci < i64::from(MIN_EXPONENT) {
            return Err(Unstorable::BelowMin);
        }
        Ok(())
    }

    /// The exact integer value, if the number is an integer within `i128`/`u128`
    /// magnitude; `Err(true)` when it has a fractional part, `Err(false)` when it is too large.
    pub(crate) fn to_integer(self) -> Result<(bool, u128), bool> {
        if self.is_zero() {
            return Ok((false, 0));
        }
        let digits = self.digit_count() as i64;
        if self.exponent < digits {
            return Err(true);
        }
        if self.exponent > 39 {
            return Err(false);
        }
        let mut value: u128 = 0;
        for d in self.digits() {
            value = value
                .checked_mul(10)
                .and_then(|v| v.checked_add(u128::from(d)))
                .ok_or(false)?;
        }
        for _ in 0..(self.exponent - digits) {
            value = value.checked_mul(10).ok_or(false)?;
        }
        Ok((self.negative, value))
    }
}

// The digits are split in two runs wherever the text's decimal point was, so
// `1.5E1` and `15` hold the same digits in different runs: compare and hash
// the digit sequence, never the runs.
impl PartialEq for Decimal<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.negative == other.negative
            && self.exponent == other.exponent
            && self.digits().eq(other.digits())
    }
}

impl Eq for Decimal<'_> {}

impl Hash for Decimal<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.negative.hash(state);
        self.exponent.hash(state);
        state.write_usize(self.digit_count());
        for d in self.digits() {
            state.write_u8(d);
        }
    }
}

impl PartialOrd for Decimal<'_> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal<'_> {
    fn cmp(&self, other: &Self) -> Ordering {
        let sign = |d: &Decimal<'_>| {
            if d.is_zero() {
                0
            } else if d.negative {
                -1
            } else {
                1
            }
        };
        let (a, b) = (sign(self), sign(other));
        if a != b || a == 0 {
            return a.cmp(&b);
        }
        let magnitude = self
            .exponent
            .cmp(&other.exponent)
            .then_with(|| self.digits().cmp(other.digits()));
        if a < 0 {
            magnitude.reverse()
        } else {
            magnitude
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_normalises() {
        let d = Decimal::parse("00120.0500").unwrap();
        assert_eq!((d.int, d.frac, d.exponent), ("120", "05", 3));
        let d = Decimal::parse("0.00012").unwrap();
        assert_eq!((d.int, d.frac, d.exponent), ("", "12", -3));
        let d = Decimal::parse("1200").unwrap();
        assert_eq!((d.int, d.frac, d.exponent), ("12", "", 4));
        assert!(Decimal::parse("-0.000").unwrap().is_zero());
        assert_eq!(Decimal::parse("1.5E3"), Decimal::parse("1500"));
        for bad in [
            "", "-", ".", "1e", "1e+", "abc", "1.2.3", "NaN", "inf", " 1", "1 ",
        ] {
            assert!(Decimal::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn storable_limits() {
        assert!(
            Decimal::parse("9.9999999999999999999999999999999999999E+125")
                .unwrap()
                .storable()
                .is_ok()
        );
        assert_eq!(
            Decimal::parse("1E+126").unwrap().storable(),
            Err(Unstorable::AboveMax)
        );
        assert!(Decimal::parse("1E-130").unwrap().storable().is_ok());
        assert_eq!(
            Decimal::parse("1E-131").unwrap().storable(),
            Err(Unstorable::BelowMin)
        );
        assert_eq!(
            Decimal::parse(&u128::MAX.to_string()).unwrap().storable(),
            Err(Unstorable::Precision(39))
        );
    }

    #[test]
    fn integers() {
        assert_eq!(
            Decimal::parse("1.5E1").unwrap().to_integer(),
            Ok((false, 15))
        );
        assert_eq!(Decimal::parse("1.5").unwrap().to_integer(), Err(true));
        assert_eq!(Decimal::parse("1E40").unwrap().to_integer(), Err(false));
        let max = u128::MAX.to_string();
        assert_eq!(
            Decimal::parse(&max).unwrap().to_integer(),
            Ok((false, u128::MAX))
        );
    }

    #[test]
    fn ordering_and_equality() {
        let n = |s: &str| s.parse::<Number>().unwrap();
        assert!(n("-2") < n("-1.5"));
        assert!(n("0.1") < n("1"));
        assert!(n("99") < n("100"));
        assert_eq!(n("0"), n("-0.0"));
        assert_eq!(n("1.50"), n("15e-1"));
    }
}
