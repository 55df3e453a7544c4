//! Types whose attributes sit in the enclosing map: what
//! `#[resource(flatten)]` stores, and what an internally tagged enum puts
//! beside its tag.

use super::{DecodeError, Item};

/// A value stored as several attributes of the map (or item) that holds
/// it, rather than as one attribute of its own.
///
/// `#[derive(Attribute)]` implements it for structs with named fields and
/// for enums with data; those are the types `#[resource(flatten)]` takes,
/// and the types a newtype variant of an internally tagged enum may hold.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be stored beside other attributes",
    label = "not a struct with named fields or an enum with `#[derive(Attribute)]`",
    note = "`#[resource(flatten)]` and the newtype variants of an internally tagged enum need a type stored as a map (`M`) of attributes",
    note = "for a newtype or tuple variant of any other type, store the value under a content attribute: `#[resource(content = \"data\")]` on the enum"
)]
pub trait Flatten: Sized {
    /// Every attribute name the type may write, for the collision checks
    /// of the types that flatten it.
    const NAMES: AttributeNames;

    /// Writes the type's attributes into `item`.
    fn encode_into(&self, item: &mut Item);

    /// Reads the type's attributes, taking them out of `item`.
    fn decode_from(item: &mut Item) -> Result<Self, DecodeError>;
}

/// The attribute names a [`Flatten`] type may write: its own, and those of
/// the types it flattens in turn.
#[derive(Debug, Clone, Copy)]
pub struct AttributeNames {
    /// Names the type writes itself.
    pub own: &'static [&'static str],
    /// The names of the types flattened into it.
    pub nested: &'static [&'static AttributeNames],
}

impl AttributeNames {
    /// Whether `name` is one of them, at any depth.
    pub const fn contains(&self, name: &str) -> bool {
        let mut i = 0;
        while i < self.own.len() {
            if str_eq(self.own[i], name) {
                return true;
            }
            i += 1;
        }
        let mut i = 0;
        while i < self.nested.len() {
            if self.nested[i].contains(name) {
                return true;
            }
            i += 1;
        }
        false
    }

    /// Whether the two share a name.
    pub const fn overlaps(&self, other: &AttributeNames) -> bool {
        let mut i = 0;
        while i < self.own.len() {
            if other.contains(self.own[i]) {
                return true;
            }
            i += 1;
        }
        let mut i = 0;
        while i < self.nested.len() {
            if self.nested[i].overlaps(other) {
                return true;
            }
            i += 1;
        }
        false
    }

    /// How many names there are, at every depth.
    pub const fn count(&self) -> usize {
        let mut n = self.own.len();
        let mut i = 0;
        while i < self.nested.len() {
            n += self.nested[i].count();
            i += 1;
        }
        n
    }

    /// All the names, at every depth; `N` is [`count`](Self::count).
    pub const fn list<const N: usize>(&self) -> [&'static str; N] {
        let mut out = [""; N];
        let filled = self.fill(&mut out, 0);
        assert!(filled == N, "`N` is not the number of names");
        out
    }

    const fn fill<const N: usize>(&self, out: &mut [&'static str; N], mut at: usize) -> usize {
        let mut i = 0;
        while i < self.own.len() {
            out[at] = self.own[i];
            at += 1;
            i += 1;
        }
        let mut i = 0;
        while i < self.nested.len() {
            at = self.nested[i].fill(out, at);
            i += 1;
        }
        at
    }
}

const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::AttributeNames;

    const INNER: AttributeNames = AttributeNames {
        own: &["city", "zip"],
        nested: &[],
    };
    const OUTER: AttributeNames = AttributeNames {
        own: &["id"],
        nested: &[&INNER],
    };

    #[test]
    fn names_at_every_depth() {
        assert!(OUTER.contains("zip"));
        assert!(!OUTER.contains("zi"));
        assert!(OUTER.overlaps(&AttributeNames {
            own: &["city"],
            nested: &[]
        }));
        assert!(!INNER.overlaps(&AttributeNames {
            own: &["id"],
            nested: &[]
        }));
        const N: usize = OUTER.count();
        assert_eq!(OUTER.list::<N>(), ["id", "city", "zip"]);
    }
}
