//! Key templates: a key attribute computed from fields, `ORG#{org}`, as
//! single-table designs build their `pk` / `sk` attributes.
//!
//! The fields a template names are stored as ordinary attributes too, so
//! reads of items decode the fields. Only a key without the item (the
//! `Keys` of a stream record) is parsed back into its fields, with
//! [`KeyTemplate::parse`].

use std::fmt;

use aws_sdk_dynamodb::types::AttributeValue;

use super::Item;

/// A key attribute computed from fields: `ORG#{org}`, `USER#{id}`,
/// `ORDER#{n:08}`.
///
/// Strings are written as they are and numbers as their exact text; a
/// `{field:08}` width pads a non-negative integer with zeros so that the
/// order of the strings is the order of the numbers (a number with more
/// digits than the width is written whole).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyTemplate {
    /// The template as written in the definition.
    pub text: &'static str,
    /// Its parts, in order.
    pub segments: &'static [Segment],
}

/// A part of a [`KeyTemplate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Segment {
    /// Text written as it is.
    Text(&'static str),
    /// The value of the field stored as `attribute`, zero-padded to
    /// `width` digits (`0`: no padding).
    Field {
        /// The field's attribute name.
        attribute: &'static str,
        /// The zero-padded width, or `0`.
        width: usize,
    },
}

/// A key attribute of a resource computed from a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Computed {
    /// The key attribute (`pk`).
    pub attribute: &'static str,
    /// How it is computed.
    pub template: KeyTemplate,
}

impl KeyTemplate {
    /// The attributes of the fields it names, in order.
    pub fn fields(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.segments.iter().filter_map(|s| match s {
            Segment::Field { attribute, .. } => Some(*attribute),
            Segment::Text(_) => None,
        })
    }

    /// Whether it names no field: every item has the same value.
    pub fn is_constant(&self) -> bool {
        self.fields().next().is_none()
    }

    /// The text before its first field (all of it for a constant template).
    pub fn prefix(&self) -> String {
        let mut out = String::new();
        for segment in self.segments {
            match segment {
                Segment::Text(text) => out.push_str(text),
                Segment::Field { .. } => break,
            }
        }
        out
    }

    /// The field that a condition on the key may name: the only field, at
    /// the end of the template (`USER#{id}`), with its width.
    pub(crate) fn last_field(&self) -> Option<(&'static str, usize)> {
        let mut fields = self.segments.iter().filter_map(|s| match s {
            Segment::Field { attribute, width } => Some((*attribute, *width)),
            Segment::Text(_) => None,
        });
        let only = fields.next()?;
        let last_is_field = matches!(self.segments.last(), Some(Segment::Field { .. }));
        (fields.next().is_none() && last_is_field).then_some(only)
    }

    /// The key value, with each field's value from `value`; `None` when a
    /// field has no value (or one that is not a string or a number), so
    /// that the key is left out (an item without a sparse index's key).
    pub fn render<'v>(
        &self,
        mut value: impl FnMut(&str) -> Option<&'v AttributeValue>,
    ) -> Option<String> {
        let mut out = String::new();
        for segment in self.segments {
            match segment {
                Segment::Text(text) => out.push_str(text),
                Segment::Field { attribute, width } => {
                    write_value(&mut out, value(attribute)?, *width)?;
                }
            }
        }
        Some(out)
    }

    /// The key value with the fields' values taken from `item`.
    pub fn render_item(&self, item: &Item) -> Option<String> {
        self.render(|name| item.get(name))
    }

    /// The text of each field in `value`, a key rendered from this
    /// template, as `(attribute, width, text)` in order; `None` when `value`
    /// does not match.
    ///
    /// Text segments must be there as written; a field's text runs to the
    /// first occurrence of the next text segment, or to the end. A field
    /// directly followed by another field cannot be told apart from it: such
    /// a template does not parse.
    pub fn parse<'v>(&self, value: &'v str) -> Option<Vec<(&'static str, usize, &'v str)>> {
        let mut out = Vec::new();
        let mut rest = value;
        for (i, segment) in self.segments.iter().enumerate() {
            match segment {
                Segment::Text(text) => rest = rest.strip_prefix(text)?,
                Segment::Field { attribute, width } => {
                    let end = match self.segments.get(i + 1) {
                        None => rest.len(),
                        Some(Segment::Text(next)) => rest.find(next)?,
                        Some(Segment::Field { .. }) => return None,
                    };
                    out.push((*attribute, *width, &rest[..end]));
                    rest = &rest[end..];
                }
            }
        }
        rest.is_empty().then_some(out)
    }
}

impl fmt::Display for KeyTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text)
    }
}

/// Writes one field's value into a key: a string as it is, a number as its
/// text, zero-padded to `width` when it is a non-negative integer.
pub(crate) fn write_value(out: &mut String, value: &AttributeValue, width: usize) -> Option<()> {
    match value {
        AttributeValue::S(s) => out.push_str(s),
        AttributeValue::N(n) => {
            let integer = !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit());
            if integer && n.len() < width {
                out.extend(std::iter::repeat_n('0', width - n.len()));
            }
            out.push_str(n);
        }
        _ => return None,
    }
    Some(())
}

/// The computed key attribute `name` of `computed`, if it is one.
pub fn computed(computed: &'static [Computed], name: &str) -> Option<&'static Computed> {
    computed.iter().find(|c| c.attribute == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    const USER: KeyTemplate = KeyTemplate {
        text: "USER#{id}",
        segments: &[
            Segment::Text("USER#"),
            Segment::Field {
                attribute: "id",
                width: 0,
            },
        ],
    };

    const ORDER: KeyTemplate = KeyTemplate {
        text: "ORDER#{n:08}#{day}",
        segments: &[
            Segment::Text("ORDER#"),
            Segment::Field {
                attribute: "n",
                width: 8,
            },
            Segment::Text("#"),
            Segment::Field {
                attribute: "day",
                width: 0,
            },
        ],
    };

    fn item(pairs: &[(&str, AttributeValue)]) -> Item {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect()
    }

    #[test]
    fn renders_strings_and_padded_numbers() {
        let i = item(&[("id", AttributeValue::S("u1".into()))]);
        assert_eq!(USER.render_item(&i).as_deref(), Some("USER#u1"));
        let i = item(&[
            ("n", AttributeValue::N("42".into())),
            ("day", AttributeValue::S("mon".into())),
        ]);
        assert_eq!(ORDER.render_item(&i).as_deref(), Some("ORDER#00000042#mon"));
        // Wider than the width, negative or fractional: written whole.
        for n in ["123456789", "-5", "1.5"] {
            let i = item(&[
                ("n", AttributeValue::N(n.into())),
                ("day", AttributeValue::S("d".into())),
            ]);
            assert_eq!(ORDER.render_item(&i), Some(format!("ORDER#{n}#d")));
        }
    }

    #[test]
    fn a_missing_or_unwritable_field_leaves_the_key_out() {
        assert_eq!(USER.render_item(&Item::new()), None);
        let i = item(&[("id", AttributeValue::Bool(true))]);
        assert_eq!(USER.render_item(&i), None);
    }

    #[test]
    fn parses_what_it_renders() {
        assert_eq!(USER.parse("USER#u1"), Some(vec![("id", 0, "u1")]));
        assert_eq!(
            ORDER.parse("ORDER#00000042#mon"),
            Some(vec![("n", 8, "00000042"), ("day", 0, "mon")])
        );
        // A field may be empty, and the text after it is found first.
        assert_eq!(
            ORDER.parse("ORDER##a#b"),
            Some(vec![("n", 8, ""), ("day", 0, "a#b")])
        );
        for bad in ["ORG#u1", "USER", "user#u1"] {
            assert_eq!(USER.parse(bad), None, "{bad}");
        }
        assert_eq!(ORDER.parse("ORDER#42"), None);
        let adjacent = KeyTemplate {
            text: "{a}{b}",
            segments: &[
                Segment::Field {
                    attribute: "a",
                    width: 0,
                },
                Segment::Field {
                    attribute: "b",
                    width: 0,
                },
            ],
        };
        assert_eq!(adjacent.parse("xy"), None);
    }

    #[test]
    fn prefix_and_last_field() {
        assert_eq!(USER.prefix(), "USER#");
        assert_eq!(USER.last_field(), Some(("id", 0)));
        assert_eq!(ORDER.prefix(), "ORDER#");
        assert_eq!(ORDER.last_field(), None);
        let constant = KeyTemplate {
            text: "ORG",
            segments: &[Segment::Text("ORG")],
        };
        assert!(constant.is_constant());
        assert_eq!(constant.prefix(), "ORG");
        assert_eq!(constant.render_item(&Item::new()).as_deref(), Some("ORG"));
    }
}
