//! Typed attribute handles, conditions, key conditions, updates and
//! projections.
//!
//! Every attribute name goes into a request through a `#` placeholder and
//! every value through a `:` placeholder, so reserved words and unusual names
//! (`.`, `-`, `#`, `:`, spaces) always work and values never change the
//! meaning of an expression.

mod condition;
mod path;
mod placeholders;
mod update;

pub use condition::{
    Compound, Condition, Container, DynamoType, HasSize, Prefixed, Size, MAX_IN_VALUES,
};
pub use path::{
    Attr, AttrPath, Entry, FieldHandle, FieldTag, Flattens, ListElement, ListType, MapType, Member,
    Nests, Path,
};
pub use update::{AddOperand, Removable, RemovablePath, SetOperand};

pub(crate) use condition::{CompareOp, Node, Operand};

pub(crate) use path::DocPath;
pub(crate) use placeholders::Placeholders;
pub(crate) use update::{UpdateAction, UpdateExpr};

/// Marks the attribute handle (`F` of [`Attr`]) of the sort key of resource
/// `R`'s table (`I = 0`) or of its secondary index number `I`: only
/// comparisons on it are key conditions of a query there.
///
/// `#[resource]` implements it for the sort key of the table and of each index.
#[diagnostic::on_unimplemented(
    message = "this condition cannot be a key condition of the table or index being queried",
    label = "not one comparison on the sort key of the table or index being queried",
    note = "a key condition is one `eq`, `lt`, `le`, `gt`, `ge`, `between` or `begins_with` on that sort key; `ne`, `&`, `|`, `!` and other functions do not qualify",
    note = "use `.filter(…)` for conditions on attributes that are not keys"
)]
pub trait SortKeyOf<R, const I: usize> {}

/// The field marker of an `eq` condition on the field marked `F`
/// (`User::ID.eq("u1")`): an equality, which a multi-attribute sort key
/// takes on every attribute but the last one given.
#[derive(Debug)]
pub struct Equal<F>(std::marker::PhantomData<F>);

impl<R, const I: usize, F: SortKeyOf<R, I>> SortKeyOf<R, I> for Equal<F> {}

#[cfg(test)]
mod tests;
