//! Marshalling between Rust values and DynamoDB attribute values.
//!
//! [`ToAttribute`] writes a value, [`FromAttribute`] reads one. The
//! `#[resource]` macro calls them for every stored field; implement them for
//! your own types to store them directly.
//!
//! | Rust | DynamoDB |
//! |---|---|
//! | `String`, `&str`, `char` | `S` |
//! | integers, `f32`, `f64`, [`Number`] | `N` (exact text) |
//! | `bool` | `BOOL` |
//! | `Vec<u8>` | `B` |
//! | `Vec<T>`, `VecDeque<T>`, `[T; N]` | `L` |
//! | `HashSet`/`BTreeSet` of strings, numbers, `Vec<u8>` | `SS` / `NS` / `BS` |
//! | `HashMap`/`BTreeMap<String, T>` | `M` |
//! | `Option<T>` | `T`, or absent (`NULL` inside lists and maps) |
//! | `SystemTime` | `N`, epoch seconds with a fractional part |
//! | `uuid::Uuid` (feature `uuid`) | `S`, hyphenated lower case |
//! | `rust_decimal::Decimal` (feature `rust_decimal`) | `N` (exact text) |
//! | `bytes::Bytes` (feature `bytes`) | `B` |
//! | `serde_json::Value` (feature `serde_json`) | `M`, `L`, `S`, `N`, `BOOL`, `NULL` |
//! | chrono `DateTime<Utc>`, `DateTime<FixedOffset>`, time `OffsetDateTime`, jiff `Timestamp` (features `chrono`, `time`, `jiff`) | `S`, UTC in RFC 3339: `2024-05-01T12:00:00.000000000Z` |
//! | chrono `NaiveDate`, time `Date`, jiff `civil::Date` (same features) | `S`, `2024-05-01` |
//!
//! Dates and times are written with fixed-width fields, so that for years
//! 0000 to 9999 the order of the strings is the order of the times: they can
//! be sort keys and compared in conditions. Reading takes any RFC 3339
//! offset and fraction width. See the guide's chapter on types for years
//! outside that range.

mod decode;
mod flatten;
mod key;
mod number;
pub(crate) mod shape;
mod template;

// Foreign types: one file per crate, behind the crate's feature; the
// date and time crates share the text form in `datetime`.
#[cfg(feature = "bytes")]
mod bytes;
#[cfg(feature = "chrono")]
mod chrono;
#[cfg(any(feature = "chrono", feature = "time", feature = "jiff"))]
mod datetime;
#[cfg(feature = "jiff")]
mod jiff;
#[cfg(feature = "rust_decimal")]
mod rust_decimal;
#[cfg(feature = "serde")]
#[cfg_attr(docsrs, doc(cfg(feature = "serde")))]
pub mod serde;
#[cfg(feature = "serde_json")]
mod serde_json;
#[cfg(feature = "time")]
mod time;
#[cfg(feature = "uuid")]
mod uuid;

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::hash::{BuildHasher, Hash};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use aws_sdk_dynamodb::primitives::Blob;
use aws_sdk_dynamodb::types::AttributeValue;

pub use decode::{type_of, DecodeError, PathSegment};
pub use flatten::{AttributeNames, Flatten};
pub(crate) use key::KeyId;
pub use key::{KeyAttribute, KeyAttributeDef, KeySchema, PartitionValue, ScalarType};
pub(crate) use number::Decimal;
pub use number::{Number, ParseNumberError, MAX_DIGITS, MAX_EXPONENT, MIN_EXPONENT};
pub(crate) use template::write_value as write_key_part;
pub use template::{computed, Computed, KeyTemplate, Segment};

/// An item as the SDK sees it: attribute names to values.
pub type Item = HashMap<String, AttributeValue>;

/// How the text of an `N` that stands for a value that could not be
/// written begins. [`ToAttribute::to_attribute`] cannot fail, so a failure
/// (a `serde` field whose `Serialize` impl fails) travels in the value: an
/// `N` that is no number, which `validate` refuses with the reason after
/// this prefix before anything is sent, and which DynamoDB would refuse too
/// if it were sent some other way. It is never stored.
const UNWRITABLE: &str = "(not written) ";

/// The value that stands for one that could not be written, and why.
#[cfg(feature = "serde")]
pub(crate) fn unwritable(reason: impl std::fmt::Display) -> AttributeValue {
    AttributeValue::N(format!("{UNWRITABLE}{reason}"))
}

/// Why the value of `N` text `text` could not be written, if it stands for one.
pub(crate) fn unwritable_reason(text: &str) -> Option<&str> {
    text.strip_prefix(UNWRITABLE)
}

/// Writes a Rust value as a DynamoDB attribute value.
pub trait ToAttribute {
    /// The attribute value. `None` and empty sets give `NULL` here; as a
    /// top-level attribute they are omitted instead (see [`ToAttribute::is_absent`]).
    fn to_attribute(&self) -> AttributeValue;

    /// Whether the value is left out of the item when it is a top-level
    /// attribute: true for `None` and for empty sets, which DynamoDB cannot
    /// store. Inside lists and maps such values are written as `NULL`.
    fn is_absent(&self) -> bool {
        false
    }

    #[doc(hidden)]
    fn __list_to_attribute(items: &[Self]) -> AttributeValue
    where
        Self: Sized,
    {
        AttributeValue::L(items.iter().map(ToAttribute::to_attribute).collect())
    }
}

/// Reads a Rust value from a DynamoDB attribute value.
pub trait FromAttribute: Sized {
    /// The DynamoDB type this reads from, for error messages (`"N"`, `"SS"`, …).
    const EXPECTED: &'static str;

    /// Reads the value, taking ownership to avoid copies.
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError>;

    /// The value of an absent attribute: `Some(None)` for `Option`, an empty
    /// set for sets, `None` (an error) otherwise.
    fn from_absent() -> Option<Self> {
        None
    }

    #[doc(hidden)]
    const __LIST_EXPECTED: &'static str = "L";

    #[doc(hidden)]
    fn __list_from_attribute(value: AttributeValue) -> Result<Vec<Self>, DecodeError> {
        match value {
            AttributeValue::L(items) => decode_list(items),
            other => Err(DecodeError::mismatch::<Vec<Self>>("L", &other)),
        }
    }
}

fn decode_list<T: FromAttribute, C: FromIterator<T>>(
    items: Vec<AttributeValue>,
) -> Result<C, DecodeError> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, v)| T::from_attribute(v).map_err(|e| e.at_index(i)))
        .collect()
}

impl<T: ToAttribute + ?Sized> ToAttribute for &T {
    fn to_attribute(&self) -> AttributeValue {
        (**self).to_attribute()
    }
    fn is_absent(&self) -> bool {
        (**self).is_absent()
    }
}

impl<T: ToAttribute + ?Sized> ToAttribute for Box<T> {
    fn to_attribute(&self) -> AttributeValue {
        (**self).to_attribute()
    }
    fn is_absent(&self) -> bool {
        (**self).is_absent()
    }
}

impl<T: FromAttribute> FromAttribute for Box<T> {
    const EXPECTED: &'static str = T::EXPECTED;
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        T::from_attribute(value).map(Box::new)
    }
    fn from_absent() -> Option<Self> {
        T::from_absent().map(Box::new)
    }
}

impl ToAttribute for AttributeValue {
    fn to_attribute(&self) -> AttributeValue {
        self.clone()
    }
}

impl FromAttribute for AttributeValue {
    const EXPECTED: &'static str = "any type";
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        Ok(value)
    }
}

// ---- strings ----

impl ToAttribute for str {
    fn to_attribute(&self) -> AttributeValue {
        AttributeValue::S(self.to_owned())
    }
}

impl ToAttribute for String {
    fn to_attribute(&self) -> AttributeValue {
        AttributeValue::S(self.clone())
    }
}

impl FromAttribute for String {
    const EXPECTED: &'static str = "S";
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        match value {
            AttributeValue::S(s) => Ok(s),
            other => Err(DecodeError::mismatch::<String>("S", &other)),
        }
    }
}

impl ToAttribute for char {
    fn to_attribute(&self) -> AttributeValue {
        AttributeValue::S(self.to_string())
    }
}

impl FromAttribute for char {
    const EXPECTED: &'static str = "S";
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        match value {
            AttributeValue::S(s) => {
                let mut chars = s.chars();
                match (chars.next(), chars.next()) {
                    (Some(c), None) => Ok(c),
                    _ => Err(DecodeError::invalid::<char>(format!(
                        "expected exactly one character, found {} in {s:?}",
                        s.chars().count()
                    ))),
                }
            }
            other => Err(DecodeError::mismatch::<char>("S", &other)),
        }
    }
}

// ---- bool ----

impl ToAttribute for bool {
    fn to_attribute(&self) -> AttributeValue {
        AttributeValue::Bool(*self)
    }
}

impl FromAttribute for bool {
    const EXPECTED: &'static str = "BOOL";
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        match value {
            AttributeValue::Bool(b) => Ok(b),
            other => Err(DecodeError::mismatch::<bool>("BOOL", &other)),
        }
    }
}

// ---- numbers ----

fn number_text<T>(value: AttributeValue) -> Result<String, DecodeError> {
    match value {
        AttributeValue::N(n) => Ok(n),
        other => Err(DecodeError::mismatch::<T>("N", &other)),
    }
}

/// Reads an integer exactly: plain text on the fast path, any decimal form
/// (`1.5E1`, `20.0`) on the slow one; never truncates.
fn parse_integer<T>(text: &str) -> Result<T, DecodeError>
where
    T: TryFrom<i128> + TryFrom<u128> + std::str::FromStr,
{
    if let Ok(v) = text.parse::<T>() {
        return Ok(v);
    }
    let out_of_range = || {
        DecodeError::invalid::<T>(format!(
            "{text} is out of range for `{}`",
            std::any::type_name::<T>()
        ))
    };
    let decimal = Decimal::parse(text)
        .ok_or_else(|| DecodeError::invalid::<T>(format!("{text:?} is not a number")))?;
    match decimal.to_integer() {
        Ok((false, magnitude)) => T::try_from(magnitude).map_err(|_| out_of_range()),
        Ok((true, magnitude)) => {
            if magnitude == 1u128 << 127 {
                return T::try_from(i128::MIN).map_err(|_| out_of_range());
            }
            let signed = i128::try_from(magnitude).map_err(|_| out_of_range())?;
            T::try_from(-signed).map_err(|_| out_of_range())
        }
        Err(true) => Err(DecodeError::invalid::<T>(format!(
            "{text} is not an integer"
        ))),
        Err(false) => Err(out_of_range()),
    }
}

macro_rules! integer {
    ($($t:ty)*) => {$(
        impl ToAttribute for $t {
            fn to_attribute(&self) -> AttributeValue {
                AttributeValue::N(itoa::Buffer::new().format(*self).to_owned())
            }
        }

        impl FromAttribute for $t {
            const EXPECTED: &'static str = "N";
            fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
                parse_integer::<$t>(&number_text::<$t>(value)?)
            }
        }

        impl SetMember for $t {
            fn __set_to_attribute<'a, I: Iterator<Item = &'a Self>>(items: I) -> AttributeValue {
                let mut buffer = itoa::Buffer::new();
                AttributeValue::Ns(items.map(|n| buffer.format(*n).to_owned()).collect())
            }
            fn __set_from_attribute<C: FromIterator<Self>>(value: AttributeValue) -> Result<C, DecodeError> {
                decode_number_set(value, |t| parse_integer::<$t>(&t))
            }
        }

        // Like every `KeyAttribute` impl, `do_not_recommend`: the trait's
        // note names the key types, so the compiler need not list them.
        #[diagnostic::do_not_recommend]
        impl KeyAttribute for $t {
            const KEY_TYPE: ScalarType = ScalarType::N;
        }
    )*};
}

// `u8` is written by its own impl: a `Vec<u8>` is binary (`B`), not a list.
integer!(i8 i16 i32 i64 i128 isize u16 u32 u64 u128 usize);

impl ToAttribute for u8 {
    fn to_attribute(&self) -> AttributeValue {
        AttributeValue::N(itoa::Buffer::new().format(*self).to_owned())
    }
    fn __list_to_attribute(items: &[Self]) -> AttributeValue {
        AttributeValue::B(Blob::new(items.to_vec()))
    }
}

impl FromAttribute for u8 {
    const EXPECTED: &'static str = "N";
    const __LIST_EXPECTED: &'static str = "B";
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        parse_integer::<u8>(&number_text::<u8>(value)?)
    }
    fn __list_from_attribute(value: AttributeValue) -> Result<Vec<Self>, DecodeError> {
        match value {
            AttributeValue::B(blob) => Ok(blob.into_inner()),
            other => Err(DecodeError::mismatch::<Vec<u8>>("B", &other)),
        }
    }
}

impl SetMember for u8 {
    fn __set_to_attribute<'a, I: Iterator<Item = &'a Self>>(items: I) -> AttributeValue {
        let mut buffer = itoa::Buffer::new();
        AttributeValue::Ns(items.map(|n| buffer.format(*n).to_owned()).collect())
    }
    fn __set_from_attribute<C: FromIterator<Self>>(
        value: AttributeValue,
    ) -> Result<C, DecodeError> {
        decode_number_set(value, |t| parse_integer::<u8>(&t))
    }
}

#[diagnostic::do_not_recommend]
impl KeyAttribute for u8 {
    const KEY_TYPE: ScalarType = ScalarType::N;
}

/// Writes a float as the shortest text that reads back to the same value.
fn float_text(
    shortest_plain: String,
    shortest_exp: impl FnOnce() -> String,
    magnitude: f64,
) -> String {
    // Plain notation between 1e-7 and 1e21 (as JavaScript does), exponent
    // notation outside, so subnormals and huge values stay short.
    if magnitude == 0.0 || (1e-7..1e21).contains(&magnitude) || !magnitude.is_finite() {
        shortest_plain
    } else {
        shortest_exp()
    }
}

macro_rules! float {
    ($($t:ty)*) => {$(
        impl ToAttribute for $t {
            fn to_attribute(&self) -> AttributeValue {
                AttributeValue::N(float_text(self.to_string(), || format!("{:e}", self), f64::from(self.abs())))
            }
        }

        impl FromAttribute for $t {
            const EXPECTED: &'static str = "N";
            fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
                let text = number_text::<$t>(value)?;
                parse_float::<$t>(&text)
            }
        }
    )*};
}
float!(f32 f64);

fn parse_float<T: std::str::FromStr + Into<f64> + Copy>(text: &str) -> Result<T, DecodeError> {
    // `f64::from_str` also accepts `inf` and `NaN`, which are not DynamoDB numbers.
    let Some(decimal) = Decimal::parse(text) else {
        return Err(DecodeError::invalid::<T>(format!(
            "{text:?} is not a number"
        )));
    };
    let value: T = text
        .parse()
        .map_err(|_| DecodeError::invalid::<T>(format!("{text:?} is not a number")))?;
    let read: f64 = value.into();
    // Overflow gives infinity and underflow gives zero: both would silently
    // change the stored value, not just round it.
    if !read.is_finite() || (read == 0.0 && !decimal.is_zero()) {
        return Err(DecodeError::invalid::<T>(format!(
            "{text} is out of range for `{}`",
            std::any::type_name::<T>()
        )));
    }
    Ok(value)
}

impl ToAttribute for Number {
    fn to_attribute(&self) -> AttributeValue {
        AttributeValue::N(self.as_str().to_owned())
    }
}

impl FromAttribute for Number {
    const EXPECTED: &'static str = "N";
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        let text = number_text::<Number>(value)?;
        parse_number(text)
    }
}

fn parse_number(text: String) -> Result<Number, DecodeError> {
    if Decimal::parse(&text).is_none() {
        return Err(DecodeError::invalid::<Number>(format!(
            "{text:?} is not a number"
        )));
    }
    Ok(Number::from_text_unchecked(text))
}

impl SetMember for Number {
    fn __set_to_attribute<'a, I: Iterator<Item = &'a Self>>(items: I) -> AttributeValue {
        AttributeValue::Ns(items.map(|n| n.as_str().to_owned()).collect())
    }
    fn __set_from_attribute<C: FromIterator<Self>>(
        value: AttributeValue,
    ) -> Result<C, DecodeError> {
        decode_number_set(value, parse_number)
    }
}

#[diagnostic::do_not_recommend]
impl KeyAttribute for Number {
    const KEY_TYPE: ScalarType = ScalarType::N;
}

// ---- time ----

impl ToAttribute for SystemTime {
    fn to_attribute(&self) -> AttributeValue {
        let (negative, duration) = match self.duration_since(UNIX_EPOCH) {
            Ok(d) => (false, d),
            Err(e) => (true, e.duration()),
        };
        let mut text = String::with_capacity(24);
        if negative {
            text.push('-');
        }
        text.push_str(itoa::Buffer::new().format(duration.as_secs()));
        let nanos = duration.subsec_nanos();
        if nanos != 0 {
            let fraction = format!("{nanos:09}");
            text.push('.');
            text.push_str(fraction.trim_end_matches('0'));
        }
        AttributeValue::N(text)
    }
}

impl FromAttribute for SystemTime {
    const EXPECTED: &'static str = "N";
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        let text = number_text::<SystemTime>(value)?;
        let invalid = |why: &str| DecodeError::invalid::<SystemTime>(format!("{text}: {why}"));
        let decimal = Decimal::parse(&text).ok_or_else(|| invalid("not a number"))?;
        // Scale to nanoseconds exactly.
        let scaled = decimal.scaled(9);
        let (negative, nanos) = scaled.to_integer().map_err(|fraction| {
            if fraction {
                invalid("more precise than nanoseconds")
            } else {
                invalid("out of range")
            }
        })?;
        let secs = u64::try_from(nanos / 1_000_000_000).map_err(|_| invalid("out of range"))?;
        let duration = Duration::new(secs, (nanos % 1_000_000_000) as u32);
        let time = if negative {
            UNIX_EPOCH.checked_sub(duration)
        } else {
            UNIX_EPOCH.checked_add(duration)
        };
        time.ok_or_else(|| invalid("out of range"))
    }
}

// ---- Option ----

impl<T: ToAttribute> ToAttribute for Option<T> {
    fn to_attribute(&self) -> AttributeValue {
        match self {
            Some(v) => v.to_attribute(),
            None => AttributeValue::Null(true),
        }
    }
    fn is_absent(&self) -> bool {
        self.is_none()
    }
}

impl<T: FromAttribute> FromAttribute for Option<T> {
    const EXPECTED: &'static str = T::EXPECTED;
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        match value {
            AttributeValue::Null(_) => Ok(None),
            other => T::from_attribute(other).map(Some),
        }
    }
    fn from_absent() -> Option<Self> {
        Some(None)
    }
}

// ---- lists ----

impl<T: ToAttribute> ToAttribute for Vec<T> {
    fn to_attribute(&self) -> AttributeValue {
        T::__list_to_attribute(self)
    }
}

impl<T: FromAttribute> FromAttribute for Vec<T> {
    // `Vec<u8>` is binary (`B`), not a list.
    const EXPECTED: &'static str = T::__LIST_EXPECTED;
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        T::__list_from_attribute(value)
    }
}

impl<T: ToAttribute> ToAttribute for [T] {
    fn to_attribute(&self) -> AttributeValue {
        T::__list_to_attribute(self)
    }
}

impl<T: ToAttribute> ToAttribute for VecDeque<T> {
    fn to_attribute(&self) -> AttributeValue {
        AttributeValue::L(self.iter().map(ToAttribute::to_attribute).collect())
    }
}

impl<T: FromAttribute> FromAttribute for VecDeque<T> {
    const EXPECTED: &'static str = "L";
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        match value {
            AttributeValue::L(items) => decode_list(items),
            other => Err(DecodeError::mismatch::<Self>("L", &other)),
        }
    }
}

impl<T: ToAttribute, const N: usize> ToAttribute for [T; N] {
    fn to_attribute(&self) -> AttributeValue {
        AttributeValue::L(self.iter().map(ToAttribute::to_attribute).collect())
    }
}

impl<T: FromAttribute, const N: usize> FromAttribute for [T; N] {
    const EXPECTED: &'static str = "L";
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        match value {
            AttributeValue::L(items) => {
                let found = items.len();
                let items: Vec<T> = decode_list(items)?;
                items.try_into().map_err(|_| {
                    DecodeError::invalid::<Self>(format!("expected {N} elements, found {found}"))
                })
            }
            other => Err(DecodeError::mismatch::<Self>("L", &other)),
        }
    }
}

// ---- sets ----

/// Element types of DynamoDB sets: strings (`SS`), numbers (`NS`) and
/// binaries (`BS`).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be stored in a DynamoDB set",
    label = "sets hold strings, numbers or binary values",
    note = "use a `Vec<{Self}>` (a list, `L`) for other element types"
)]
pub trait SetMember: Sized {
    #[doc(hidden)]
    fn __set_to_attribute<'a, I: Iterator<Item = &'a Self>>(items: I) -> AttributeValue
    where
        Self: 'a;
    #[doc(hidden)]
    fn __set_from_attribute<C: FromIterator<Self>>(value: AttributeValue)
        -> Result<C, DecodeError>;
}

fn decode_number_set<T, C: FromIterator<T>>(
    value: AttributeValue,
    parse: impl Fn(String) -> Result<T, DecodeError>,
) -> Result<C, DecodeError> {
    match value {
        AttributeValue::Ns(items) => items.into_iter().map(parse).collect(),
        AttributeValue::Null(_) => Ok(std::iter::empty().collect()),
        other => Err(DecodeError::mismatch::<C>("NS", &other)),
    }
}

impl SetMember for String {
    fn __set_to_attribute<'a, I: Iterator<Item = &'a Self>>(items: I) -> AttributeValue {
        AttributeValue::Ss(items.cloned().collect())
    }
    fn __set_from_attribute<C: FromIterator<Self>>(
        value: AttributeValue,
    ) -> Result<C, DecodeError> {
        match value {
            AttributeValue::Ss(items) => Ok(items.into_iter().collect()),
            AttributeValue::Null(_) => Ok(std::iter::empty().collect()),
            other => Err(DecodeError::mismatch::<C>("SS", &other)),
        }
    }
}

impl SetMember for Vec<u8> {
    fn __set_to_attribute<'a, I: Iterator<Item = &'a Self>>(items: I) -> AttributeValue {
        AttributeValue::Bs(items.map(|b| Blob::new(b.clone())).collect())
    }
    fn __set_from_attribute<C: FromIterator<Self>>(
        value: AttributeValue,
    ) -> Result<C, DecodeError> {
        match value {
            AttributeValue::Bs(items) => Ok(items.into_iter().map(Blob::into_inner).collect()),
            AttributeValue::Null(_) => Ok(std::iter::empty().collect()),
            other => Err(DecodeError::mismatch::<C>("BS", &other)),
        }
    }
}

impl<T: SetMember, S> ToAttribute for HashSet<T, S> {
    fn to_attribute(&self) -> AttributeValue {
        if self.is_empty() {
            AttributeValue::Null(true)
        } else {
            T::__set_to_attribute(self.iter())
        }
    }
    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}

impl<T: SetMember + Eq + Hash, S: BuildHasher + Default> FromAttribute for HashSet<T, S> {
    const EXPECTED: &'static str = "a set";
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        T::__set_from_attribute(value)
    }
    fn from_absent() -> Option<Self> {
        Some(Self::default())
    }
}

impl<T: SetMember> ToAttribute for BTreeSet<T> {
    fn to_attribute(&self) -> AttributeValue {
        if self.is_empty() {
            AttributeValue::Null(true)
        } else {
            T::__set_to_attribute(self.iter())
        }
    }
    fn is_absent(&self) -> bool {
        self.is_empty()
    }
}

impl<T: SetMember + Ord> FromAttribute for BTreeSet<T> {
    const EXPECTED: &'static str = "a set";
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        T::__set_from_attribute(value)
    }
    fn from_absent() -> Option<Self> {
        Some(Self::default())
    }
}

// ---- maps ----

fn encode_map<'a, V: ToAttribute + 'a>(
    entries: impl ExactSizeIterator<Item = (&'a String, &'a V)>,
) -> AttributeValue {
    let mut map = HashMap::with_capacity(entries.len());
    for (k, v) in entries {
        map.insert(k.clone(), v.to_attribute());
    }
    AttributeValue::M(map)
}

fn decode_map<V: FromAttribute, C: FromIterator<(String, V)>>(
    value: AttributeValue,
) -> Result<C, DecodeError> {
    match value {
        AttributeValue::M(map) => map
            .into_iter()
            .map(|(k, v)| match V::from_attribute(v) {
                Ok(v) => Ok((k, v)),
                Err(e) => Err(e.in_field(k)),
            })
            .collect(),
        other => Err(DecodeError::mismatch::<C>("M", &other)),
    }
}

impl<V: ToAttribute, S> ToAttribute for HashMap<String, V, S> {
    fn to_attribute(&self) -> AttributeValue {
        encode_map(self.iter())
    }
}

impl<V: FromAttribute, S: BuildHasher + Default> FromAttribute for HashMap<String, V, S> {
    const EXPECTED: &'static str = "M";
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        decode_map(value)
    }
}

impl<V: ToAttribute> ToAttribute for BTreeMap<String, V> {
    fn to_attribute(&self) -> AttributeValue {
        encode_map(self.iter())
    }
}

impl<V: FromAttribute> FromAttribute for BTreeMap<String, V> {
    const EXPECTED: &'static str = "M";
    fn from_attribute(value: AttributeValue) -> Result<Self, DecodeError> {
        decode_map(value)
    }
}

// ---- values accepted in place of a field's type ----

/// Values accepted where an attribute of type `V` is expected: `V` itself,
/// `&V`, and borrowed forms such as `&str` for `String` and `&[u8]` for
/// `Vec<u8>`. Keys, conditions and updates take `impl ValueOf<V>`, so
/// `users.get("u1")` and `User::AGE.eq(30)` type-check while a value of the
/// wrong type does not compile.
#[diagnostic::on_unimplemented(
    message = "expected a value of type `{V}`, found `{Self}`",
    label = "this attribute holds `{V}`",
    note = "an attribute accepts its own type, a reference to it, or a borrowed form (`&str` for `String`, `&[u8]` for `Vec<u8>`)"
)]
pub trait ValueOf<V> {
    /// Converts into the attribute's type.
    fn into_value(self) -> V;
}

// Every impl is `do_not_recommend`: the trait's message says what a value
// of the wrong type should be, and a list of these impls after it would
// only bury that.
#[diagnostic::do_not_recommend]
impl<T> ValueOf<T> for T {
    fn into_value(self) -> T {
        self
    }
}

#[diagnostic::do_not_recommend]
impl<T: Clone> ValueOf<T> for &T {
    fn into_value(self) -> T {
        self.clone()
    }
}

#[diagnostic::do_not_recommend]
impl ValueOf<String> for &str {
    fn into_value(self) -> String {
        self.to_owned()
    }
}

#[diagnostic::do_not_recommend]
impl ValueOf<Vec<u8>> for &[u8] {
    fn into_value(self) -> Vec<u8> {
        self.to_vec()
    }
}

#[diagnostic::do_not_recommend]
impl<const N: usize> ValueOf<Vec<u8>> for [u8; N] {
    fn into_value(self) -> Vec<u8> {
        self.to_vec()
    }
}

#[diagnostic::do_not_recommend]
impl<const N: usize> ValueOf<Vec<u8>> for &[u8; N] {
    fn into_value(self) -> Vec<u8> {
        self.to_vec()
    }
}

/// An `Option` attribute takes a plain value: `User::NICKNAME.eq("ally")`.
#[diagnostic::do_not_recommend]
impl<T> ValueOf<Option<T>> for T {
    fn into_value(self) -> Option<T> {
        Some(self)
    }
}

#[diagnostic::do_not_recommend]
impl<T: Clone> ValueOf<Option<T>> for &T {
    fn into_value(self) -> Option<T> {
        Some(self.clone())
    }
}

#[diagnostic::do_not_recommend]
impl ValueOf<Option<String>> for &str {
    fn into_value(self) -> Option<String> {
        Some(self.to_owned())
    }
}

#[diagnostic::do_not_recommend]
impl KeyAttribute for String {
    const KEY_TYPE: ScalarType = ScalarType::S;
}

#[diagnostic::do_not_recommend]
impl KeyAttribute for char {
    const KEY_TYPE: ScalarType = ScalarType::S;
}

#[diagnostic::do_not_recommend]
impl KeyAttribute for Vec<u8> {
    const KEY_TYPE: ScalarType = ScalarType::B;
}

#[cfg(test)]
mod tests;
