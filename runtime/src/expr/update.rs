//! Update expressions.

use aws_sdk_dynamodb::types::AttributeValue;

use super::path::{Attr, DocPath, Entry, Member, Path};
use super::Placeholders;
use crate::value::{Number, SetMember, ToAttribute, ValueOf};

/// What `add` takes for an attribute of type `V`: for a number, a value of
/// its type; for a set, the elements to add, as whatever holds them — an
/// array, a `Vec`, a set, an iterator — of anything the element type accepts
/// (`["a", "b"]` for a `BTreeSet<String>`).
#[diagnostic::on_unimplemented(
    message = "cannot `add` `{Self}` to an attribute of type `{V}`",
    label = "`add` adds a number to a number attribute, or elements to a set attribute",
    note = "DynamoDB's ADD works on numbers and sets only; a set takes its elements as an array, a `Vec`, a set or an iterator; use `.set(attr, value)` to replace other values"
)]
pub trait AddOperand<V> {
    /// The operand as one attribute value; `None` when there is nothing to
    /// add (no elements, or `None`).
    fn into_operand(self) -> Option<AttributeValue>;
}

/// What `delete_from_set` takes for a set attribute of type `V`: the
/// elements to remove, as an array, a `Vec`, a set or an iterator of
/// anything the element type accepts.
#[diagnostic::on_unimplemented(
    message = "cannot remove `{Self}` from an attribute of type `{V}`",
    label = "`delete_from_set` removes elements from a set attribute",
    note = "a set takes its elements as an array, a `Vec`, a set or an iterator; lists and other types have no DELETE"
)]
pub trait SetOperand<V> {
    /// The elements as one set value; `None` when there are none.
    fn into_operand(self) -> Option<AttributeValue>;
}

macro_rules! number_operand {
    ($($t:ty)*) => {$(
        impl<X: ValueOf<$t>> AddOperand<$t> for X {
            fn into_operand(self) -> Option<AttributeValue> {
                Some(self.into_value().to_attribute())
            }
        }
        impl<X: ValueOf<Option<$t>>> AddOperand<Option<$t>> for X {
            fn into_operand(self) -> Option<AttributeValue> {
                self.into_value().map(|v| v.to_attribute())
            }
        }
    )*};
}
number_operand!(i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64 Number);

/// The elements of `items` as a set of `S`; `None` when there are none.
fn set_operand<S, E, I, A>(items: I) -> Option<AttributeValue>
where
    S: FromIterator<E> + ToAttribute,
    I: IntoIterator<Item = A>,
    A: ValueOf<E>,
{
    let set: S = items.into_iter().map(ValueOf::into_value).collect();
    (!set.is_absent()).then(|| set.to_attribute())
}

/// Both operand traits for a set type `S` of elements `E`, and for an
/// `Option` of it.
macro_rules! set_operand {
    ([$($generics:tt)*] $set:ty, $elem:ty) => {
        impl<$($generics)*, I, A> AddOperand<$set> for I
        where
            I: IntoIterator<Item = A>,
            A: ValueOf<$elem>,
        {
            fn into_operand(self) -> Option<AttributeValue> {
                set_operand::<$set, $elem, I, A>(self)
            }
        }
        impl<$($generics)*, I, A> AddOperand<Option<$set>> for I
        where
            I: IntoIterator<Item = A>,
            A: ValueOf<$elem>,
        {
            fn into_operand(self) -> Option<AttributeValue> {
                set_operand::<$set, $elem, I, A>(self)
            }
        }
        impl<$($generics)*, I, A> SetOperand<$set> for I
        where
            I: IntoIterator<Item = A>,
            A: ValueOf<$elem>,
        {
            fn into_operand(self) -> Option<AttributeValue> {
                set_operand::<$set, $elem, I, A>(self)
            }
        }
        impl<$($generics)*, I, A> SetOperand<Option<$set>> for I
        where
            I: IntoIterator<Item = A>,
            A: ValueOf<$elem>,
        {
            fn into_operand(self) -> Option<AttributeValue> {
                set_operand::<$set, $elem, I, A>(self)
            }
        }
    };
}
set_operand!([E: SetMember + Ord] std::collections::BTreeSet<E>, E);
set_operand!(
    [E: SetMember + Eq + std::hash::Hash, H: std::hash::BuildHasher + Default]
    std::collections::HashSet<E, H>, E
);

/// Attribute types that `remove` works on at the top level: the item stays
/// readable without them.
#[diagnostic::on_unimplemented(
    message = "cannot `remove` an attribute of type `{Self}`",
    label = "the item could no longer be read: this field is required",
    note = "only `Option` and set attributes, and paths into maps and lists, can be removed; use `.set(attr, value)` instead"
)]
pub trait Removable {}
impl<T> Removable for Option<T> {}
impl<T, S> Removable for std::collections::HashSet<T, S> {}
impl<T> Removable for std::collections::BTreeSet<T> {}

/// What `remove` accepts: an optional or set attribute, any path to a map
/// entry or list element (removing one keeps the item readable), or an
/// optional or set field of a nested struct.
#[diagnostic::on_unimplemented(
    message = "cannot `remove` this attribute: the item could no longer be read",
    label = "only `Option` and set attributes, and paths into maps and lists, can be removed",
    note = "use `.set(attr, value)` for a required attribute"
)]
pub trait RemovablePath<R> {
    #[doc(hidden)]
    fn into_removable(self) -> DocPath;
}

impl<R, V: Removable, F> RemovablePath<R> for Attr<R, V, F> {
    fn into_removable(self) -> DocPath {
        DocPath::attribute(self.name())
    }
}

impl<R, V> RemovablePath<R> for Path<R, V, Entry> {
    fn into_removable(self) -> DocPath {
        self.doc
    }
}

/// A field of a nested struct: removable as a top-level attribute of the
/// same type would be, so that the struct stays readable.
impl<R, V: Removable> RemovablePath<R> for Path<R, V, Member> {
    fn into_removable(self) -> DocPath {
        self.doc
    }
}

/// One action of an update.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum UpdateAction {
    Set(DocPath, AttributeValue),
    SetIfAbsent(DocPath, AttributeValue),
    Append(DocPath, AttributeValue),
    /// `SET p = if_not_exists(p, 0) + v`: `add` on a nested number.
    Increment(DocPath, AttributeValue),
    Remove(DocPath),
    Add(DocPath, AttributeValue),
    Delete(DocPath, AttributeValue),
}

impl UpdateAction {
    pub(crate) fn path(&self) -> &DocPath {
        match self {
            UpdateAction::Set(p, _)
            | UpdateAction::SetIfAbsent(p, _)
            | UpdateAction::Append(p, _)
            | UpdateAction::Increment(p, _)
            | UpdateAction::Remove(p)
            | UpdateAction::Add(p, _)
            | UpdateAction::Delete(p, _) => p,
        }
    }

    pub(crate) fn value(&self) -> Option<&AttributeValue> {
        match self {
            UpdateAction::Set(_, v)
            | UpdateAction::SetIfAbsent(_, v)
            | UpdateAction::Append(_, v)
            | UpdateAction::Increment(_, v)
            | UpdateAction::Add(_, v)
            | UpdateAction::Delete(_, v) => Some(v),
            UpdateAction::Remove(_) => None,
        }
    }
}

/// The actions of an update expression, in the order given.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct UpdateExpr {
    pub(crate) actions: Vec<UpdateAction>,
}

impl UpdateExpr {
    pub(crate) fn push(&mut self, action: UpdateAction) {
        self.actions.push(action);
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }

    /// Whether an action already writes the top-level attribute `name`.
    pub(crate) fn touches(&self, name: &str) -> bool {
        self.actions.iter().any(|a| a.path().root == name)
    }

    /// `SET #0 = :0, #1 = if_not_exists(#1, :1) REMOVE #2 ADD #3 :2 DELETE #4 :3`
    pub(crate) fn render(&self, p: &mut Placeholders) -> String {
        let mut set = Vec::new();
        let mut remove = Vec::new();
        let mut add = Vec::new();
        let mut delete = Vec::new();
        for action in &self.actions {
            let path = action.path().render(p);
            match action {
                UpdateAction::Set(_, v) => set.push(format!("{path} = {}", p.value(v.clone()))),
                UpdateAction::SetIfAbsent(_, v) => {
                    let v = p.value(v.clone());
                    set.push(format!("{path} = if_not_exists({path}, {v})"));
                }
                UpdateAction::Append(_, v) => {
                    let empty = p.value(AttributeValue::L(Vec::new()));
                    let v = p.value(v.clone());
                    set.push(format!(
                        "{path} = list_append(if_not_exists({path}, {empty}), {v})"
                    ));
                }
                UpdateAction::Increment(_, v) => {
                    let zero = p.value(AttributeValue::N("0".to_owned()));
                    let v = p.value(v.clone());
                    set.push(format!("{path} = if_not_exists({path}, {zero}) + {v}"));
                }
                UpdateAction::Remove(_) => remove.push(path),
                UpdateAction::Add(_, v) => add.push(format!("{path} {}", p.value(v.clone()))),
                UpdateAction::Delete(_, v) => delete.push(format!("{path} {}", p.value(v.clone()))),
            }
        }
        let mut out = String::new();
        for (keyword, clauses) in [
            ("SET", set),
            ("REMOVE", remove),
            ("ADD", add),
            ("DELETE", delete),
        ] {
            if !clauses.is_empty() {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(keyword);
                out.push(' ');
                out.push_str(&clauses.join(", "));
            }
        }
        out
    }
}
