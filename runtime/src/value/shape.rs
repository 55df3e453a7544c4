//! The attribute names a type writes, and an item that holds them all,
//! from which the generated `to_item`/`to_attribute` start.
//!
//! Inserting an attribute into an item hashes its name (SipHash, since an
//! [`Item`] has the standard hasher) and allocates the name's `String`.
//! Cloning an item does neither hashing nor probing: the table is copied
//! as it is, each name cloned in its place. So a type's writer clones an
//! item that already holds every name and puts each value in its place,
//! which the order of the template's entries gives and a comparison of
//! names confirms. Items with attributes left out (a `None`) are made by
//! inserting, as before, since cloning would allocate names only to drop
//! them. What is left of the cost of writing an item is mostly allocating
//! its strings, which any writer of an [`Item`] pays.

use std::sync::OnceLock;

use aws_sdk_dynamodb::types::AttributeValue;

use super::Item;

/// The attribute names of a type with a fixed set of them (a resource, a
/// struct with `#[derive(Attribute)]`), and the item holding them all,
/// made the first time it is needed. Each writer has its own `static`.
#[derive(Debug)]
pub struct ItemShape {
    names: &'static [&'static str],
    /// Room left for attributes added after these (computed keys, the
    /// entity attribute), so that adding them does not grow the table.
    extra: usize,
    template: OnceLock<Template>,
}

/// The item holding every name (each value a placeholder `NULL`), and
/// the index in `names` of each name in the order the item lists them.
#[derive(Debug)]
struct Template {
    item: Item,
    order: Vec<usize>,
}

impl ItemShape {
    /// The shape of items with attributes `names` (each once), and room
    /// for `extra` more.
    pub const fn new(names: &'static [&'static str], extra: usize) -> Self {
        ItemShape {
            names,
            extra,
            template: OnceLock::new(),
        }
    }

    /// The item holding `values`, the values of the attributes `names`
    /// in the same order; a `None` leaves its attribute out.
    #[inline]
    pub fn item<const N: usize>(&self, mut values: [Option<AttributeValue>; N]) -> Item {
        debug_assert_eq!(N, self.names.len());
        if values.iter().any(Option::is_none) {
            return self.sparse_item(values);
        }
        let template = self.template.get_or_init(|| self.template());
        let mut item = template.item.clone();
        // A clone lists its entries in the order of the original, as it
        // copies the table as it is; the names are compared all the same,
        // so that a clone that did not would cost time, not correctness.
        for ((name, slot), &i) in item.iter_mut().zip(&template.order) {
            let i = if self.names[i] == name {
                i
            } else {
                self.position(name)
            };
            if let Some(value) = values[i].take() {
                // The placeholder is a `NULL`, which owns nothing: not
                // dropping it saves a call per attribute.
                std::mem::forget(std::mem::replace(slot, value));
            }
        }
        item
    }

    fn template(&self) -> Template {
        let mut item = Item::with_capacity(self.names.len() + self.extra);
        item.extend(
            self.names
                .iter()
                .map(|name| ((*name).to_owned(), AttributeValue::Null(true))),
        );
        let order = item.keys().map(|name| self.position(name)).collect();
        Template { item, order }
    }

    fn position(&self, name: &str) -> usize {
        self.names
            .iter()
            .position(|n| *n == name)
            .expect("the template holds only the shape's names")
    }

    /// With attributes left out: inserted one by one, as the item holding
    /// every name would hold names it must not.
    fn sparse_item<const N: usize>(&self, values: [Option<AttributeValue>; N]) -> Item {
        let present = values.iter().filter(|v| v.is_some()).count();
        let mut item = Item::with_capacity(present + self.extra);
        for (name, value) in self.names.iter().zip(values) {
            if let Some(value) = value {
                item.insert((*name).to_owned(), value);
            }
        }
        item
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Option<AttributeValue> {
        Some(AttributeValue::S(text.to_owned()))
    }

    /// Enough names for the table to span several groups of its control
    /// bytes, so that the order of its entries is not that of the names.
    const NAMES: &[&str] = &[
        "a",
        "bb",
        "ccc",
        "dd",
        "e",
        "ffffffffffffffffffff",
        "g",
        "h",
        "i",
        "j",
        "k",
        "l",
        "m",
        "n",
        "o",
        "p",
        "q",
        "r",
        "s",
        "t",
    ];

    #[test]
    fn each_value_is_under_its_name() {
        static SHAPE: ItemShape = ItemShape::new(NAMES, 0);
        for round in 0..3 {
            let values: [Option<AttributeValue>; 20] =
                std::array::from_fn(|i| s(&format!("{}{round}", NAMES[i])));
            let item = SHAPE.item(values);
            assert_eq!(item.len(), NAMES.len());
            for name in NAMES {
                assert_eq!(item[*name], AttributeValue::S(format!("{name}{round}")));
            }
        }
    }

    #[test]
    fn absent_values_are_left_out() {
        static SHAPE: ItemShape = ItemShape::new(&["id", "nickname", "age"], 2);
        let item = SHAPE.item([s("u1"), None, Some(AttributeValue::N("3".into()))]);
        assert_eq!(
            item,
            Item::from([
                ("id".to_owned(), AttributeValue::S("u1".into())),
                ("age".to_owned(), AttributeValue::N("3".into())),
            ])
        );
        assert!(item.capacity() >= 4);
        assert_eq!(SHAPE.item([None, None, None]), Item::new());
    }

    #[test]
    fn room_is_left_for_the_extra_attributes() {
        static SHAPE: ItemShape = ItemShape::new(&["pk", "sk", "name"], 4);
        let item = SHAPE.item([s("a"), s("b"), s("c")]);
        assert_eq!(item.len(), 3);
        assert!(item.capacity() >= 7, "{}", item.capacity());
    }

    /// Were a clone to list its entries in another order than the item it
    /// was cloned from, the names would still decide where values go.
    #[test]
    fn names_decide_where_values_go() {
        let shape = ItemShape::new(NAMES, 0);
        let mut template = shape.template();
        template.order.reverse();
        shape.template.set(template).unwrap();
        let values: [Option<AttributeValue>; 20] = std::array::from_fn(|i| s(NAMES[i]));
        let item = shape.item(values);
        for name in NAMES {
            assert_eq!(item[*name], AttributeValue::S((*name).to_owned()));
        }
    }
}
