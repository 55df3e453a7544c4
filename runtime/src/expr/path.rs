//! Attribute handles and typed document paths.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt;
use std::marker::PhantomData;

use super::Placeholders;

/// One step of a document path after the top-level attribute.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Step {
    /// A key of a map (`address.city`).
    Key(Cow<'static, str>),
    /// A position in a list (`scores[2]`).
    Index(usize),
}

/// An untyped document path: a top-level attribute and the steps into it.
// `pub` in a private module: it appears in hidden trait methods only.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DocPath {
    pub(crate) root: Cow<'static, str>,
    pub(crate) steps: Vec<Step>,
}

impl DocPath {
    pub(crate) fn attribute(name: impl Into<Cow<'static, str>>) -> Self {
        DocPath {
            root: name.into(),
            steps: Vec::new(),
        }
    }

    pub(crate) fn is_top_level(&self) -> bool {
        self.steps.is_empty()
    }

    /// `#0.#1[2]`: every name through a placeholder.
    pub(crate) fn render(&self, p: &mut Placeholders) -> String {
        let mut out = p.name(&self.root);
        for step in &self.steps {
            match step {
                Step::Key(key) => {
                    out.push('.');
                    out.push_str(&p.name(key));
                }
                Step::Index(i) => {
                    out.push('[');
                    out.push_str(itoa::Buffer::new().format(*i));
                    out.push(']');
                }
            }
        }
        out
    }
}

impl fmt::Display for DocPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.root)?;
        for step in &self.steps {
            match step {
                Step::Key(key) => write!(f, ".{key}")?,
                Step::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}

/// A typed handle to one stored attribute of resource `R`, holding values of
/// type `V`.
///
/// `#[resource]` generates one per stored field as an associated constant in
/// SCREAMING_SNAKE_CASE: `User::AGE: Attr<User, u32, …>`. A misspelt name does
/// not compile, and neither does a value of the wrong type. `F` is a marker
/// naming the field, which lets key conditions accept only key attributes.
pub struct Attr<R, V, F = ()> {
    name: &'static str,
    _marker: PhantomData<Marker<R, V, F>>,
}

/// Variance-neutral and `Send + Sync` whatever the parameters.
type Marker<R, V, F> = fn() -> (R, V, F);

impl<R, V, F> Attr<R, V, F> {
    /// A handle to the attribute called `name`. Generated code calls this;
    /// a hand-written handle is only as correct as the name and type given.
    pub const fn new(name: &'static str) -> Self {
        Attr {
            name,
            _marker: PhantomData,
        }
    }

    /// The attribute name in the table.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The handle as a document path, to go deeper with `field` / `at`.
    pub fn path(self) -> Path<R, V> {
        Path::from_doc(DocPath::attribute(self.name))
    }

    /// This handle of a struct that `Outer` stores with
    /// `#[resource(flatten)]`, as a handle of `Outer`: the attribute is at
    /// `Outer`'s level. `Audit::CREATED_BY.flattened::<Doc>()`.
    ///
    /// It is no longer the field it was for key conditions: those take the
    /// handles a resource declares itself.
    pub const fn flattened<Outer: Flattens<R>>(self) -> Attr<Outer, V> {
        Attr::new(self.name)
    }
}

/// `Self` stores a field of type `S` with `#[resource(flatten)]`, so the
/// attributes of `S` are attributes of `Self`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not flatten `{S}`",
    label = "`flattened` takes a handle of a type that this one flattens",
    note = "`flattened::<T>()` works for a handle of a struct stored in `T` with `#[resource(flatten)]`"
)]
pub trait Flattens<S> {}

/// A handle to a field of a struct, which [`then`](Attr::then) appends to
/// a path: an [`Attr`] of the struct it belongs to (`Owner`).
pub trait FieldHandle {
    /// The struct the field belongs to.
    type Owner;
    /// The field's type.
    type Value;
    #[doc(hidden)]
    fn field_name(&self) -> &'static str;
}

impl<R, V, F> FieldHandle for Attr<R, V, F> {
    type Owner = R;
    type Value = V;
    fn field_name(&self) -> &'static str {
        self.name
    }
}

impl<R, V, F> Clone for Attr<R, V, F> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R, V, F> Copy for Attr<R, V, F> {}

impl<R, V, F> fmt::Debug for Attr<R, V, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Attr({})", self.name)
    }
}

/// Names the `N`th field of a resource in the third parameter of the
/// [`Attr`] handles that `#[resource]` generates, so that traits such as
/// [`SortKeyOf`](super::SortKeyOf) can single out key attributes.
#[derive(Debug)]
pub enum FieldTag<const N: usize> {}

/// A typed path to a value nested inside an attribute of resource `R`:
/// `User::ADDRESS.field("city")`, `User::SCORES.at(0)`,
/// `User::ADDRESS.then(Address::CITY)`.
///
/// `S` says what the last step reached: [`Entry`] for a map entry or a list
/// element (which an update may always remove), [`Member`] for a field of a
/// nested struct (which it may remove only when the field is optional).
pub struct Path<R, V, S = Entry> {
    pub(crate) doc: DocPath,
    _marker: PhantomData<Marker<R, V, S>>,
}

/// The last step of a [`Path`] is a map entry or a list element.
#[derive(Debug)]
pub enum Entry {}

/// The last step of a [`Path`] is a field of a nested struct, reached with
/// [`then`](Attr::then).
#[derive(Debug)]
pub enum Member {}

impl<R, V, S> Path<R, V, S> {
    pub(crate) fn from_doc(doc: DocPath) -> Self {
        Path {
            doc,
            _marker: PhantomData,
        }
    }

    fn step<W, S2>(mut self, step: Step) -> Path<R, W, S2> {
        self.doc.steps.push(step);
        Path::from_doc(self.doc)
    }
}

impl<R, V, S> Clone for Path<R, V, S> {
    fn clone(&self) -> Self {
        Path::from_doc(self.doc.clone())
    }
}

impl<R, V, S> fmt::Debug for Path<R, V, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Path({})", self.doc)
    }
}

/// Both [`Attr`] and [`Path`]: anything that names a value of type `V`
/// inside items of `R`.
pub trait AttrPath<R, V> {
    #[doc(hidden)]
    fn into_doc_path(self) -> DocPath;
}

impl<R, V, F> AttrPath<R, V> for Attr<R, V, F> {
    fn into_doc_path(self) -> DocPath {
        DocPath::attribute(self.name)
    }
}

impl<R, V, S> AttrPath<R, V> for Path<R, V, S> {
    fn into_doc_path(self) -> DocPath {
        self.doc
    }
}

/// Types whose attributes [`then`](Attr::then) reaches: a struct `S` with
/// `#[derive(Attribute)]` (which implements `Nests<S>` for itself), and an
/// `Option` or `Box` of one.
#[diagnostic::on_unimplemented(
    message = "`then` needs an attribute holding `{S}`, found `{Self}`",
    label = "the handle passed to `then` is an attribute of `{S}`",
    note = "`then` goes into a struct with `#[derive(Attribute)]` (or an `Option` of one), with a handle of that struct"
)]
pub trait Nests<S> {}

impl<S, T: Nests<S>> Nests<S> for Option<T> {}
impl<S, T: Nests<S>> Nests<S> for Box<T> {}

/// Map types, whose entries a path can reach with `field("key")`.
#[diagnostic::on_unimplemented(
    message = "`field` needs a map attribute, found `{Self}`",
    label = "only `HashMap<String, _>` and `BTreeMap<String, _>` attributes have fields"
)]
pub trait MapType {
    /// The type of the map's values.
    type Value;
}

impl<V, S> MapType for HashMap<String, V, S> {
    type Value = V;
}
impl<V> MapType for BTreeMap<String, V> {
    type Value = V;
}
impl<M: MapType> MapType for Option<M> {
    type Value = M::Value;
}

/// List types, whose elements a path can reach with `at(index)` and that
/// `append` extends.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a list attribute",
    label = "only `Vec<T>` (other than `Vec<u8>`), `VecDeque<T>` and arrays are lists (L)"
)]
pub trait ListType {
    /// The type of the list's elements.
    type Item;
}

impl<T: ListElement> ListType for Vec<T> {
    type Item = T;
}
impl<T> ListType for VecDeque<T> {
    type Item = T;
}
impl<T, const N: usize> ListType for [T; N] {
    type Item = T;
}
impl<L: ListType> ListType for Option<L> {
    type Item = L::Item;
}

/// Element types of a `Vec` stored as a list: everything but `u8`
/// (`Vec<u8>` is binary).
#[diagnostic::on_unimplemented(
    message = "`Vec<{Self}>` is not a list attribute",
    label = "`Vec<u8>` is stored as binary (B), not as a list"
)]
pub trait ListElement {}

macro_rules! list_elements {
    ($($t:ty)*) => {$( impl ListElement for $t {} )*};
}
list_elements!(i8 i16 i32 i64 i128 isize u16 u32 u64 u128 usize f32 f64 bool char String
    crate::value::Number std::time::SystemTime);
impl<T> ListElement for Vec<T> {}
impl<T> ListElement for VecDeque<T> {}
impl<T> ListElement for Option<T> {}
impl<T, S> ListElement for HashSet<T, S> {}
impl<T> ListElement for BTreeSet<T> {}
impl<K, V, S> ListElement for HashMap<K, V, S> {}
impl<K, V> ListElement for BTreeMap<K, V> {}
impl<T: ListElement> ListElement for Box<T> {}
impl ListElement for aws_sdk_dynamodb::types::AttributeValue {}

macro_rules! nesting {
    ($($ty:ident<$($p:ident),*>),*) => {$(
        impl<$($p),*> $ty<$($p),*> {
            /// The value under `key` in this map attribute.
            // `T` rather than `<V as MapType>::Value` in the signature: with a
            // projection there, a non-map is reported as "method exists but
            // its trait bounds were not satisfied" instead of `MapType`'s
            // explanation.
            pub fn field<T>(self, key: impl Into<Cow<'static, str>>) -> Path<R, T>
            where
                V: MapType<Value = T>,
            {
                Path::<R, V>::from_doc(self.into_doc_path()).step(Step::Key(key.into()))
            }

            /// The element at `index` in this list attribute.
            pub fn at<T>(self, index: usize) -> Path<R, T>
            where
                V: ListType<Item = T>,
            {
                Path::<R, V>::from_doc(self.into_doc_path()).step(Step::Index(index))
            }

            /// The field that `inner`, a handle of the nested struct this
            /// attribute holds, names: `User::ADDRESS.then(Address::CITY)`.
            /// A handle of another struct does not compile.
            // The owner as a projection of the handle's type, so that a
            // handle of another struct is reported by `Nests`, naming both.
            pub fn then<H: FieldHandle>(self, inner: H) -> Path<R, H::Value, Member>
            where
                V: Nests<H::Owner>,
            {
                Path::<R, V>::from_doc(self.into_doc_path())
                    .step(Step::Key(Cow::Borrowed(inner.field_name())))
            }
        }
    )*};
}
nesting!(Attr<R, V, F>, Path<R, V, S>);
