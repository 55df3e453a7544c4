//! Conditions and filters.

use std::fmt;
use std::marker::PhantomData;
use std::ops;

use aws_sdk_dynamodb::types::AttributeValue;

use super::path::{Attr, AttrPath, DocPath, Path};
use super::Equal;
use super::Placeholders;
use crate::value::{ToAttribute, ValueOf};

/// The most values DynamoDB accepts in one `IN` list.
pub const MAX_IN_VALUES: usize = 100;

/// The key marker of a condition that is not a single comparison on one
/// attribute: it can be a condition or a filter, never a key condition.
#[derive(Debug)]
pub enum Compound {}

/// A DynamoDB data type, for [`attribute_type`](Attr::attribute_type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DynamoType {
    /// String.
    S,
    /// Number.
    N,
    /// Binary.
    B,
    /// String set.
    Ss,
    /// Number set.
    Ns,
    /// Binary set.
    Bs,
    /// Map.
    M,
    /// List.
    L,
    /// Null.
    Null,
    /// Boolean.
    Bool,
}

impl DynamoType {
    /// The descriptor DynamoDB uses: `"S"`, `"SS"`, `"NULL"`, `"BOOL"`, …
    pub const fn as_str(self) -> &'static str {
        match self {
            DynamoType::S => "S",
            DynamoType::N => "N",
            DynamoType::B => "B",
            DynamoType::Ss => "SS",
            DynamoType::Ns => "NS",
            DynamoType::Bs => "BS",
            DynamoType::M => "M",
            DynamoType::L => "L",
            DynamoType::Null => "NULL",
            DynamoType::Bool => "BOOL",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CompareOp {
    fn symbol(self) -> &'static str {
        match self {
            CompareOp::Eq => "=",
            CompareOp::Ne => "<>",
            CompareOp::Lt => "<",
            CompareOp::Le => "<=",
            CompareOp::Gt => ">",
            CompareOp::Ge => ">=",
        }
    }
}

/// The left side of a comparison: an attribute or its size.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Operand {
    Path(DocPath),
    Size(DocPath),
}

impl Operand {
    fn render(&self, p: &mut Placeholders) -> String {
        match self {
            Operand::Path(path) => path.render(p),
            Operand::Size(path) => format!("size({})", path.render(p)),
        }
    }

    pub(crate) fn path(&self) -> &DocPath {
        match self {
            Operand::Path(path) | Operand::Size(path) => path,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Compare(Operand, CompareOp, AttributeValue),
    Between(Operand, AttributeValue, AttributeValue),
    In(Operand, Vec<AttributeValue>),
    BeginsWith(DocPath, AttributeValue),
    Contains(DocPath, AttributeValue),
    Exists(DocPath),
    NotExists(DocPath),
    Type(DocPath, DynamoType),
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
}

impl Node {
    /// `attribute = value`.
    pub(crate) fn equals(attribute: &'static str, value: AttributeValue) -> Node {
        Node::Compare(
            Operand::Path(DocPath::attribute(attribute)),
            CompareOp::Eq,
            value,
        )
    }

    /// `attribute IN (values…)`, or `attribute = value` for one value.
    pub(crate) fn one_of(attribute: &'static str, mut values: Vec<AttributeValue>) -> Node {
        if values.len() == 1 {
            return Node::equals(attribute, values.remove(0));
        }
        Node::In(Operand::Path(DocPath::attribute(attribute)), values)
    }

    /// `begins_with(attribute, value)`.
    pub(crate) fn begins_with(attribute: &'static str, value: AttributeValue) -> Node {
        Node::BeginsWith(DocPath::attribute(attribute), value)
    }

    /// A key condition on the top-level attribute `from` (a field that a
    /// key template names) as the same condition on the key attribute
    /// `to`, each value turned into the key's by `value`. `None` when the
    /// node is not one key comparison on `from`, or a value cannot be
    /// turned. `value` is told whether the value is a prefix
    /// (`begins_with`), which is not padded.
    pub(crate) fn onto_key(
        self,
        from: &str,
        to: &'static str,
        value: impl Fn(&AttributeValue, bool) -> Option<AttributeValue>,
    ) -> Option<Node> {
        let on = |path: &DocPath| path.is_top_level() && path.root == from;
        let key = || DocPath::attribute(to);
        Some(match self {
            Node::Compare(Operand::Path(path), op, v) if on(&path) => {
                Node::Compare(Operand::Path(key()), op, value(&v, false)?)
            }
            Node::Between(Operand::Path(path), low, high) if on(&path) => Node::Between(
                Operand::Path(key()),
                value(&low, false)?,
                value(&high, false)?,
            ),
            Node::BeginsWith(path, v) if on(&path) => Node::BeginsWith(key(), value(&v, true)?),
            _ => return None,
        })
    }

    /// Every attribute path the node reads.
    pub(crate) fn paths(&self, out: &mut Vec<DocPath>) {
        match self {
            Node::Compare(o, ..) | Node::Between(o, ..) | Node::In(o, _) => {
                out.push(o.path().clone())
            }
            Node::BeginsWith(p, _)
            | Node::Contains(p, _)
            | Node::Exists(p)
            | Node::NotExists(p)
            | Node::Type(p, _) => out.push(p.clone()),
            Node::And(nodes) | Node::Or(nodes) => nodes.iter().for_each(|n| n.paths(out)),
            Node::Not(node) => node.paths(out),
        }
    }

    /// A problem DynamoDB would refuse the condition for, found before sending.
    pub(crate) fn problem(&self) -> Option<String> {
        match self {
            Node::In(operand, values) if values.is_empty() || values.len() > MAX_IN_VALUES => {
                Some(format!(
                    "`is_in` on `{}` has {} values; DynamoDB accepts 1 to {MAX_IN_VALUES}",
                    operand.path(),
                    values.len()
                ))
            }
            Node::And(nodes) | Node::Or(nodes) => nodes.iter().find_map(Node::problem),
            Node::Not(node) => node.problem(),
            _ => None,
        }
    }

    pub(crate) fn render(&self, p: &mut Placeholders, out: &mut String) {
        match self {
            Node::Compare(operand, op, value) => {
                out.push_str(&operand.render(p));
                out.push(' ');
                out.push_str(op.symbol());
                out.push(' ');
                out.push_str(&p.value(value.clone()));
            }
            Node::Between(operand, low, high) => {
                out.push_str(&operand.render(p));
                out.push_str(" BETWEEN ");
                out.push_str(&p.value(low.clone()));
                out.push_str(" AND ");
                out.push_str(&p.value(high.clone()));
            }
            Node::In(operand, values) => {
                out.push_str(&operand.render(p));
                out.push_str(" IN (");
                for (i, value) in values.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&p.value(value.clone()));
                }
                out.push(')');
            }
            Node::BeginsWith(path, value) | Node::Contains(path, value) => {
                let function = if matches!(self, Node::BeginsWith(..)) {
                    "begins_with"
                } else {
                    "contains"
                };
                let path = path.render(p);
                let value = p.value(value.clone());
                out.push_str(&format!("{function}({path}, {value})"));
            }
            Node::Exists(path) => out.push_str(&format!("attribute_exists({})", path.render(p))),
            Node::NotExists(path) => {
                out.push_str(&format!("attribute_not_exists({})", path.render(p)))
            }
            Node::Type(path, ty) => {
                let path = path.render(p);
                let ty = p.value(AttributeValue::S(ty.as_str().to_owned()));
                out.push_str(&format!("attribute_type({path}, {ty})"));
            }
            Node::And(nodes) | Node::Or(nodes) => {
                let keyword = if matches!(self, Node::And(_)) {
                    " AND "
                } else {
                    " OR "
                };
                out.push('(');
                for (i, node) in nodes.iter().enumerate() {
                    if i > 0 {
                        out.push_str(keyword);
                    }
                    node.render(p, out);
                }
                out.push(')');
            }
            Node::Not(node) => {
                out.push_str("(NOT ");
                node.render(p, out);
                out.push(')');
            }
        }
    }
}

/// A condition on the attributes of an item of resource `R`.
///
/// Build one from an attribute handle (`User::AGE.ge(18)`), combine with `&`,
/// `|` and `!`, and pass it to `.condition(…)` of a write or `.filter(…)` of a
/// read. `K` records the attribute of a single comparison, so that a query's
/// key condition accepts only comparisons on its sort key; combined
/// conditions are [`Compound`].
pub struct Condition<R, K = Compound> {
    pub(crate) node: Node,
    _marker: PhantomData<fn() -> (R, K)>,
}

impl<R, K> Condition<R, K> {
    pub(crate) fn new(node: Node) -> Self {
        Condition {
            node,
            _marker: PhantomData,
        }
    }

    /// Forgets which attribute the condition is about.
    pub fn compound(self) -> Condition<R> {
        Condition::new(self.node)
    }

    /// Both conditions hold.
    pub fn and<K2>(self, other: Condition<R, K2>) -> Condition<R> {
        Condition::new(match (self.node, other.node) {
            (Node::And(mut a), Node::And(b)) => {
                a.extend(b);
                Node::And(a)
            }
            (Node::And(mut a), b) => {
                a.push(b);
                Node::And(a)
            }
            (a, b) => Node::And(vec![a, b]),
        })
    }

    /// At least one of the conditions holds.
    pub fn or<K2>(self, other: Condition<R, K2>) -> Condition<R> {
        Condition::new(match (self.node, other.node) {
            (Node::Or(mut a), Node::Or(b)) => {
                a.extend(b);
                Node::Or(a)
            }
            (Node::Or(mut a), b) => {
                a.push(b);
                Node::Or(a)
            }
            (a, b) => Node::Or(vec![a, b]),
        })
    }

    /// Renders the condition, registering names and values in `p`.
    pub(crate) fn render(&self, p: &mut Placeholders) -> String {
        let mut out = String::new();
        self.node.render(p, &mut out);
        out
    }

    /// The expression text with its name and value maps, as sent to DynamoDB.
    ///
    /// ```
    /// # use resourceful_runtime::expr::Attr;
    /// let age: Attr<(), u32> = Attr::new("age");
    /// let (text, names, values) = age.between(18, 65).to_expression();
    /// assert_eq!(text, "#0 BETWEEN :0 AND :1");
    /// assert_eq!(names["#0"], "age");
    /// assert_eq!(values.len(), 2);
    /// ```
    pub fn to_expression(
        &self,
    ) -> (
        String,
        std::collections::HashMap<String, String>,
        crate::value::Item,
    ) {
        let mut p = Placeholders::default();
        let text = self.render(&mut p);
        let (names, values) = p.into_maps();
        (text, names, values)
    }
}

impl<R> Condition<R> {
    pub(crate) fn attribute_not_exists(name: &'static str) -> Self {
        Condition::new(Node::NotExists(DocPath::attribute(name)))
    }

    pub(crate) fn attribute_equals(name: &'static str, value: AttributeValue) -> Self {
        Condition::new(Node::Compare(
            Operand::Path(DocPath::attribute(name)),
            CompareOp::Eq,
            value,
        ))
    }
}

impl<R, K> Clone for Condition<R, K> {
    fn clone(&self) -> Self {
        Condition::new(self.node.clone())
    }
}

impl<R, K> PartialEq for Condition<R, K> {
    fn eq(&self, other: &Self) -> bool {
        self.node == other.node
    }
}

impl<R, K> fmt::Debug for Condition<R, K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (text, names, values) = self.to_expression();
        f.debug_struct("Condition")
            .field("expression", &text)
            .field("names", &names)
            .field("values", &values)
            .finish()
    }
}

impl<R, K, K2> ops::BitAnd<Condition<R, K2>> for Condition<R, K> {
    type Output = Condition<R>;
    fn bitand(self, rhs: Condition<R, K2>) -> Self::Output {
        self.and(rhs)
    }
}

impl<R, K, K2> ops::BitOr<Condition<R, K2>> for Condition<R, K> {
    type Output = Condition<R>;
    fn bitor(self, rhs: Condition<R, K2>) -> Self::Output {
        self.or(rhs)
    }
}

impl<R, K> ops::Not for Condition<R, K> {
    type Output = Condition<R>;
    fn not(self) -> Self::Output {
        Condition::new(match self.node {
            Node::Not(inner) => *inner,
            node => Node::Not(Box::new(node)),
        })
    }
}

/// Types `begins_with` works on: strings and binary.
#[diagnostic::on_unimplemented(
    message = "`begins_with` needs a string or binary attribute, found `{Self}`",
    label = "DynamoDB's begins_with works on strings (S) and binary (B) only"
)]
pub trait Prefixed: ToAttribute {}
impl Prefixed for String {}
impl Prefixed for Vec<u8> {}
impl<T: Prefixed> Prefixed for Option<T> {}

/// Types `contains` works on, with what they contain: a substring of a
/// string, an element of a set or list.
#[diagnostic::on_unimplemented(
    message = "`contains` needs a string, set or list attribute, found `{Self}`",
    label = "DynamoDB's contains works on strings, sets and lists"
)]
pub trait Container {
    /// What `contains` looks for.
    type Element: ToAttribute;
}
impl Container for String {
    type Element = String;
}
impl<T: crate::value::SetMember + ToAttribute, S> Container for std::collections::HashSet<T, S> {
    type Element = T;
}
impl<T: crate::value::SetMember + ToAttribute> Container for std::collections::BTreeSet<T> {
    type Element = T;
}
impl<T: super::path::ListElement + ToAttribute> Container for Vec<T> {
    type Element = T;
}
impl<T: ToAttribute> Container for std::collections::VecDeque<T> {
    type Element = T;
}
impl<C: Container> Container for Option<C> {
    type Element = C::Element;
}

/// Types that have a `size()`: strings, binary, sets, lists and maps.
#[diagnostic::on_unimplemented(
    message = "`size` needs a string, binary, set, list or map attribute, found `{Self}`",
    label = "DynamoDB's size() is the length of a string or binary, or the number of elements"
)]
pub trait HasSize {}
impl HasSize for String {}
impl<T> HasSize for Vec<T> {}
impl<T> HasSize for std::collections::VecDeque<T> {}
impl<T, S> HasSize for std::collections::HashSet<T, S> {}
impl<T> HasSize for std::collections::BTreeSet<T> {}
impl<V, S> HasSize for std::collections::HashMap<String, V, S> {}
impl<V> HasSize for std::collections::BTreeMap<String, V> {}
impl<T: HasSize> HasSize for Option<T> {}

/// The size of an attribute, to compare: `User::TAGS.size().gt(3)`.
pub struct Size<R> {
    path: DocPath,
    _marker: PhantomData<fn() -> R>,
}

impl<R> fmt::Debug for Size<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Size({})", self.path)
    }
}

fn size_value(n: usize) -> AttributeValue {
    AttributeValue::N(itoa::Buffer::new().format(n).to_owned())
}

impl<R> Size<R> {
    fn compare(self, op: CompareOp, n: usize) -> Condition<R> {
        Condition::new(Node::Compare(Operand::Size(self.path), op, size_value(n)))
    }

    /// The size equals `n`.
    pub fn eq(self, n: usize) -> Condition<R> {
        self.compare(CompareOp::Eq, n)
    }
    /// The size differs from `n`.
    pub fn ne(self, n: usize) -> Condition<R> {
        self.compare(CompareOp::Ne, n)
    }
    /// The size is less than `n`.
    pub fn lt(self, n: usize) -> Condition<R> {
        self.compare(CompareOp::Lt, n)
    }
    /// The size is at most `n`.
    pub fn le(self, n: usize) -> Condition<R> {
        self.compare(CompareOp::Le, n)
    }
    /// The size is greater than `n`.
    pub fn gt(self, n: usize) -> Condition<R> {
        self.compare(CompareOp::Gt, n)
    }
    /// The size is at least `n`.
    pub fn ge(self, n: usize) -> Condition<R> {
        self.compare(CompareOp::Ge, n)
    }
    /// The size is between `low` and `high`, inclusive.
    pub fn between(self, low: usize, high: usize) -> Condition<R> {
        Condition::new(Node::Between(
            Operand::Size(self.path),
            size_value(low),
            size_value(high),
        ))
    }
}

fn value<V: ToAttribute>(v: impl ValueOf<V>) -> AttributeValue {
    v.into_value().to_attribute()
}

/// The condition methods, on [`Attr`] (where single comparisons keep the
/// field marker `F`, for key conditions) and on [`Path`].
macro_rules! condition_methods {
    ($ty:ident<$($p:ident),*>, $key:ty, $equal:ty) => {
        impl<$($p),*> $ty<$($p),*>
        where
            V: ToAttribute,
        {
            fn compare(self, op: CompareOp, v: AttributeValue) -> Condition<R, $key> {
                Condition::new(Node::Compare(Operand::Path(self.into_doc_path()), op, v))
            }

            /// The attribute equals `value`.
            pub fn eq(self, value: impl ValueOf<V>) -> Condition<R, $equal> {
                Condition::new(self.compare(CompareOp::Eq, self::value(value)).node)
            }

            /// The attribute differs from `value` (or is absent).
            pub fn ne(self, value: impl ValueOf<V>) -> Condition<R> {
                self.compare(CompareOp::Ne, self::value(value)).compound()
            }

            /// The attribute is less than `value`.
            pub fn lt(self, value: impl ValueOf<V>) -> Condition<R, $key> {
                self.compare(CompareOp::Lt, self::value(value))
            }

            /// The attribute is at most `value`.
            pub fn le(self, value: impl ValueOf<V>) -> Condition<R, $key> {
                self.compare(CompareOp::Le, self::value(value))
            }

            /// The attribute is greater than `value`.
            pub fn gt(self, value: impl ValueOf<V>) -> Condition<R, $key> {
                self.compare(CompareOp::Gt, self::value(value))
            }

            /// The attribute is at least `value`.
            pub fn ge(self, value: impl ValueOf<V>) -> Condition<R, $key> {
                self.compare(CompareOp::Ge, self::value(value))
            }

            /// The attribute is between `low` and `high`, inclusive.
            pub fn between(self, low: impl ValueOf<V>, high: impl ValueOf<V>) -> Condition<R, $key> {
                Condition::new(Node::Between(
                    Operand::Path(self.into_doc_path()),
                    self::value(low),
                    self::value(high),
                ))
            }

            /// The attribute equals one of `values` (1 to 100 of them).
            pub fn is_in<A: ValueOf<V>>(self, values: impl IntoIterator<Item = A>) -> Condition<R> {
                Condition::new(Node::In(
                    Operand::Path(self.into_doc_path()),
                    values.into_iter().map(self::value).collect(),
                ))
            }

            /// The string or binary attribute starts with `prefix`.
            pub fn begins_with(self, prefix: impl ValueOf<V>) -> Condition<R, $key>
            where
                V: Prefixed,
            {
                Condition::new(Node::BeginsWith(self.into_doc_path(), self::value(prefix)))
            }

            /// The string attribute contains the substring, or the set or
            /// list attribute contains the element.
            pub fn contains(self, element: impl ValueOf<V::Element>) -> Condition<R>
            where
                V: Container,
            {
                Condition::new(Node::Contains(self.into_doc_path(), self::value(element)))
            }

            /// The item has this attribute.
            pub fn exists(self) -> Condition<R> {
                Condition::new(Node::Exists(self.into_doc_path()))
            }

            /// The item does not have this attribute (or there is no item).
            pub fn not_exists(self) -> Condition<R> {
                Condition::new(Node::NotExists(self.into_doc_path()))
            }

            /// The attribute is stored with DynamoDB type `ty`.
            pub fn attribute_type(self, ty: DynamoType) -> Condition<R> {
                Condition::new(Node::Type(self.into_doc_path(), ty))
            }

            /// The attribute's size: the length of a string or binary, the
            /// number of elements of a set, list or map.
            pub fn size(self) -> Size<R>
            where
                V: HasSize,
            {
                Size {
                    path: self.into_doc_path(),
                    _marker: PhantomData,
                }
            }
        }
    };
}

condition_methods!(Attr<R, V, F>, F, Equal<F>);
condition_methods!(Path<R, V, S>, Compound, Compound);
