//! Errors from reading attribute values into Rust types.

use std::borrow::Cow;
use std::fmt;

use aws_sdk_dynamodb::types::AttributeValue;

/// One step of the path to a value inside an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSegment {
    /// A top-level attribute or a key inside a map.
    Name(Cow<'static, str>),
    /// A position inside a list.
    Index(usize),
}

/// Why an attribute value could not be read into its Rust type.
///
/// It names the attribute path (`address.city`, `scores[3]`), what was
/// expected and what was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Innermost segment first; reversed for display.
    path: Vec<PathSegment>,
    kind: DecodeErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum DecodeErrorKind {
    Missing {
        expected: &'static str,
    },
    Mismatch {
        expected: &'static str,
        rust: &'static str,
        found: &'static str,
    },
    Invalid {
        rust: &'static str,
        message: String,
    },
    /// From the serde codec: `what` is the deserializer's description of
    /// what it wanted (`u32`, `struct Address`), `expected` the DynamoDB
    /// type, when the codec knows it.
    #[cfg(feature = "serde")]
    Unexpected {
        expected: Option<&'static str>,
        what: String,
        found: &'static str,
    },
    /// From the serde codec: a message of serde's or of a type's own
    /// `Deserialize` impl.
    #[cfg(feature = "serde")]
    Message(String),
}

impl DecodeError {
    /// A value of the wrong DynamoDB type: `expected` is the DynamoDB type
    /// (`"N"`, `"SS"`, …) that the Rust type `T` reads from.
    pub fn mismatch<T: ?Sized>(expected: &'static str, found: &AttributeValue) -> Self {
        DecodeError {
            path: Vec::new(),
            kind: DecodeErrorKind::Mismatch {
                expected,
                rust: std::any::type_name::<T>(),
                found: type_of(found),
            },
        }
    }

    /// A value of the right DynamoDB type that `T` cannot hold (out of range,
    /// malformed text, …).
    pub fn invalid<T: ?Sized>(message: impl Into<String>) -> Self {
        DecodeError {
            path: Vec::new(),
            kind: DecodeErrorKind::Invalid {
                rust: std::any::type_name::<T>(),
                message: message.into(),
            },
        }
    }

    /// A value of the wrong DynamoDB type for what serde asked: `what` is
    /// the visitor's description (`u32`, `struct Address`), `expected` the
    /// DynamoDB type when known.
    #[cfg(feature = "serde")]
    pub(crate) fn unexpected(
        expected: Option<&'static str>,
        what: impl Into<String>,
        found: &'static str,
    ) -> Self {
        DecodeError {
            path: Vec::new(),
            kind: DecodeErrorKind::Unexpected {
                expected,
                what: what.into(),
                found,
            },
        }
    }

    /// A message of serde's, or of a `Deserialize` impl.
    #[cfg(feature = "serde")]
    pub(crate) fn message(message: impl Into<String>) -> Self {
        DecodeError {
            path: Vec::new(),
            kind: DecodeErrorKind::Message(message.into()),
        }
    }

    /// A required attribute that is absent from the item.
    pub fn missing(name: impl Into<Cow<'static, str>>, expected: &'static str) -> Self {
        DecodeError {
            path: vec![PathSegment::Name(name.into())],
            kind: DecodeErrorKind::Missing { expected },
        }
    }

    /// Adds the enclosing attribute or map key to the path.
    pub fn in_field(mut self, name: impl Into<Cow<'static, str>>) -> Self {
        self.path.push(PathSegment::Name(name.into()));
        self
    }

    /// Adds the enclosing list position to the path.
    pub fn at_index(mut self, index: usize) -> Self {
        self.path.push(PathSegment::Index(index));
        self
    }

    /// The path to the value, outermost first.
    pub fn path(&self) -> impl Iterator<Item = &PathSegment> {
        self.path.iter().rev()
    }

    /// The path as text: `address.city`, `scores[3]`.
    pub fn path_string(&self) -> String {
        let mut out = String::new();
        for segment in self.path() {
            match segment {
                PathSegment::Name(name) => {
                    if !out.is_empty() {
                        out.push('.');
                    }
                    out.push_str(name);
                }
                PathSegment::Index(i) => {
                    out.push('[');
                    out.push_str(itoa::Buffer::new().format(*i));
                    out.push(']');
                }
            }
        }
        out
    }

    /// Whether the attribute was absent rather than malformed.
    pub fn is_missing(&self) -> bool {
        matches!(self.kind, DecodeErrorKind::Missing { .. })
    }
}

/// `alloc::string::String` → `String`, `Option<alloc::string::String>` → `Option<String>`.
fn short_type_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut segment_start = 0;
    for (i, c) in name.char_indices() {
        if c == ':' {
            segment_start = i + 1;
        } else if matches!(c, '<' | '>' | ',' | ' ' | '[' | ']' | ';' | '&' | '(' | ')') {
            out.push_str(&name[segment_start..i]);
            out.push(c);
            segment_start = i + 1;
        }
    }
    out.push_str(&name[segment_start..]);
    out
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path_string();
        let at = if path.is_empty() {
            String::from("value")
        } else {
            format!("attribute `{path}`")
        };
        match &self.kind {
            DecodeErrorKind::Missing { expected } => {
                write!(f, "{at} is missing (expected {expected})")
            }
            DecodeErrorKind::Mismatch {
                expected,
                rust,
                found,
            } => write!(
                f,
                "{at}: expected {expected} for `{}`, found {found}",
                short_type_name(rust)
            ),
            DecodeErrorKind::Invalid { rust, message } => {
                write!(
                    f,
                    "{at}: cannot read `{}`: {message}",
                    short_type_name(rust)
                )
            }
            #[cfg(feature = "serde")]
            DecodeErrorKind::Unexpected {
                expected: Some(expected),
                what,
                found,
            } => write!(f, "{at}: expected {expected} for {what}, found {found}"),
            #[cfg(feature = "serde")]
            DecodeErrorKind::Unexpected {
                expected: None,
                what,
                found,
            } => write!(f, "{at}: expected {what}, found {found}"),
            #[cfg(feature = "serde")]
            DecodeErrorKind::Message(message) => write!(f, "{at}: {message}"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// The DynamoDB type descriptor of a value: `S`, `N`, `B`, `SS`, `NS`, `BS`,
/// `M`, `L`, `NULL`, `BOOL`.
pub fn type_of(value: &AttributeValue) -> &'static str {
    match value {
        AttributeValue::S(_) => "S",
        AttributeValue::N(_) => "N",
        AttributeValue::B(_) => "B",
        AttributeValue::Ss(_) => "SS",
        AttributeValue::Ns(_) => "NS",
        AttributeValue::Bs(_) => "BS",
        AttributeValue::M(_) => "M",
        AttributeValue::L(_) => "L",
        AttributeValue::Null(_) => "NULL",
        AttributeValue::Bool(_) => "BOOL",
        _ => "an unknown type",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_path_and_types() {
        let err = DecodeError::mismatch::<u32>("N", &AttributeValue::S("x".into()))
            .at_index(3)
            .in_field("scores");
        assert_eq!(
            err.to_string(),
            "attribute `scores[3]`: expected N for `u32`, found S"
        );
        let err = DecodeError::mismatch::<Option<String>>("S", &AttributeValue::Bool(true))
            .in_field("city")
            .in_field("address");
        assert_eq!(
            err.to_string(),
            "attribute `address.city`: expected S for `Option<String>`, found BOOL"
        );
        assert_eq!(
            DecodeError::missing("age", "N").to_string(),
            "attribute `age` is missing (expected N)"
        );
    }
}
