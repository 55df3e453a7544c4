//! Typed attribute handles, conditions and update actions.
//!
//! Every attribute name goes into the request through a `#` placeholder and
//! every value through a `:` placeholder, so reserved words and unusual names
//! work and values never change the meaning of an expression.

mod placeholders;

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;
use std::ops;

use aws_sdk_dynamodb::types::AttributeValue;

use crate::value::{ToAttribute, ValueOf};

pub(crate) use placeholders::Placeholders;

/// A typed handle to one stored attribute of resource `R`, holding values of
/// type `V`.
///
/// `#[resource]` generates one per stored field as an associated constant in
/// SCREAMING_SNAKE_CASE: `User::AGE: Attr<User, u32>`. A misspelt name does
/// not compile, and neither does a value of the wrong type.
pub struct Attr<R, V> {
    name: &'static str,
    _marker: PhantomData<fn() -> (R, V)>,
}

impl<R, V> Attr<R, V> {
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

    pub(crate) fn path(&self) -> Path {
        Path {
            root: Cow::Borrowed(self.name),
        }
    }
}

impl<R, V> Clone for Attr<R, V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R, V> Copy for Attr<R, V> {}

impl<R, V> fmt::Debug for Attr<R, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Attr({})", self.name)
    }
}

impl<R, V: ToAttribute> Attr<R, V> {
    fn compare(self, op: CompareOp, value: impl ValueOf<V>) -> Condition<R> {
        Condition::new(Node::Compare(
            self.path(),
            op,
            value.into_value().to_attribute(),
        ))
    }

    /// The attribute equals `value`.
    pub fn eq(self, value: impl ValueOf<V>) -> Condition<R> {
        self.compare(CompareOp::Eq, value)
    }

    /// The attribute differs from `value` (or is absent).
    pub fn ne(self, value: impl ValueOf<V>) -> Condition<R> {
        self.compare(CompareOp::Ne, value)
    }

    /// The attribute is less than `value`.
    pub fn lt(self, value: impl ValueOf<V>) -> Condition<R> {
        self.compare(CompareOp::Lt, value)
    }

    /// The attribute is less than or equal to `value`.
    pub fn le(self, value: impl ValueOf<V>) -> Condition<R> {
        self.compare(CompareOp::Le, value)
    }

    /// The attribute is greater than `value`.
    pub fn gt(self, value: impl ValueOf<V>) -> Condition<R> {
        self.compare(CompareOp::Gt, value)
    }

    /// The attribute is greater than or equal to `value`.
    pub fn ge(self, value: impl ValueOf<V>) -> Condition<R> {
        self.compare(CompareOp::Ge, value)
    }

    /// The item has this attribute.
    pub fn exists(self) -> Condition<R> {
        Condition::new(Node::Exists(self.path()))
    }

    /// The item does not have this attribute (or the item does not exist).
    pub fn not_exists(self) -> Condition<R> {
        Condition::new(Node::NotExists(self.path()))
    }
}

/// A path to an attribute in an expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Path {
    root: Cow<'static, str>,
}

impl Path {
    pub(crate) fn attribute(name: impl Into<Cow<'static, str>>) -> Self {
        Path { root: name.into() }
    }

    fn render(&self, p: &mut Placeholders) -> String {
        p.name(&self.root)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CompareOp {
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

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Compare(Path, CompareOp, AttributeValue),
    Exists(Path),
    NotExists(Path),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Not(Box<Node>),
}

/// A condition on the attributes of an item of resource `R`.
///
/// Build one from an [`Attr`] (`User::AGE.ge(18)`), combine with `&`, `|`
/// and `!`, and pass it to `.condition(…)` of a write.
#[derive(Clone, PartialEq)]
pub struct Condition<R> {
    node: Node,
    _marker: PhantomData<fn() -> R>,
}

impl<R> Condition<R> {
    fn new(node: Node) -> Self {
        Condition {
            node,
            _marker: PhantomData,
        }
    }

    pub(crate) fn attribute_not_exists(name: &'static str) -> Self {
        Condition::new(Node::NotExists(Path::attribute(name)))
    }

    /// Both conditions hold.
    pub fn and(self, other: Condition<R>) -> Condition<R> {
        Condition::new(Node::And(Box::new(self.node), Box::new(other.node)))
    }

    /// At least one of the conditions holds.
    pub fn or(self, other: Condition<R>) -> Condition<R> {
        Condition::new(Node::Or(Box::new(self.node), Box::new(other.node)))
    }

    /// Renders the condition, registering names and values in `p`.
    pub(crate) fn render(&self, p: &mut Placeholders) -> String {
        let mut out = String::new();
        render_node(&self.node, p, &mut out);
        out
    }

    /// The expression text with its name and value maps, as sent to DynamoDB.
    ///
    /// ```
    /// # use resourceful_runtime::expr::Attr;
    /// let age: Attr<(), u32> = Attr::new("age");
    /// let (text, names, values) = age.ge(18).to_expression();
    /// assert_eq!(text, "#0 >= :0");
    /// assert_eq!(names["#0"], "age");
    /// assert_eq!(values.len(), 1);
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

fn render_node(node: &Node, p: &mut Placeholders, out: &mut String) {
    match node {
        Node::Compare(path, op, value) => {
            let name = path.render(p);
            let value = p.value(value.clone());
            out.push_str(&name);
            out.push(' ');
            out.push_str(op.symbol());
            out.push(' ');
            out.push_str(&value);
        }
        Node::Exists(path) => {
            out.push_str("attribute_exists(");
            out.push_str(&path.render(p));
            out.push(')');
        }
        Node::NotExists(path) => {
            out.push_str("attribute_not_exists(");
            out.push_str(&path.render(p));
            out.push(')');
        }
        Node::And(a, b) | Node::Or(a, b) => {
            let keyword = if matches!(node, Node::And(..)) {
                " AND "
            } else {
                " OR "
            };
            out.push('(');
            render_node(a, p, out);
            out.push_str(keyword);
            render_node(b, p, out);
            out.push(')');
        }
        Node::Not(inner) => {
            out.push_str("(NOT ");
            render_node(inner, p, out);
            out.push(')');
        }
    }
}

impl<R> fmt::Debug for Condition<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut p = Placeholders::default();
        let text = self.render(&mut p);
        f.debug_struct("Condition")
            .field("expression", &text)
            .field("placeholders", &p)
            .finish()
    }
}

impl<R> ops::BitAnd for Condition<R> {
    type Output = Condition<R>;
    fn bitand(self, rhs: Self) -> Self::Output {
        self.and(rhs)
    }
}

impl<R> ops::BitOr for Condition<R> {
    type Output = Condition<R>;
    fn bitor(self, rhs: Self) -> Self::Output {
        self.or(rhs)
    }
}

impl<R> ops::Not for Condition<R> {
    type Output = Condition<R>;
    fn not(self) -> Self::Output {
        Condition::new(Node::Not(Box::new(self.node)))
    }
}

/// Attribute types that `add` works on: numbers (added) and sets (unioned).
#[diagnostic::on_unimplemented(
    message = "`add` needs a number or a set attribute, found `{Self}`",
    label = "DynamoDB's ADD works on numbers and sets only",
    note = "use `.set(attr, value)` to replace other values"
)]
pub trait Addable: ToAttribute {}

macro_rules! addable {
    ($($t:ty)*) => {$( impl Addable for $t {} )*};
}
addable!(i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64 crate::value::Number);
impl<T: crate::value::SetMember, S> Addable for std::collections::HashSet<T, S> {}
impl<T: crate::value::SetMember> Addable for std::collections::BTreeSet<T> {}

/// Attribute types that `remove` works on: the item stays readable without
/// them (`Option` and sets).
#[diagnostic::on_unimplemented(
    message = "cannot `remove` an attribute of type `{Self}`",
    label = "the item could no longer be read: this field is required",
    note = "only `Option` and set attributes can be removed; use `.set(attr, value)` instead"
)]
pub trait Removable {}

impl<T> Removable for Option<T> {}
impl<T, S> Removable for std::collections::HashSet<T, S> {}
impl<T> Removable for std::collections::BTreeSet<T> {}

/// One action of an update.
#[derive(Debug, Clone, PartialEq)]
enum UpdateAction {
    Set(Path, AttributeValue),
    Remove(Path),
    Add(Path, AttributeValue),
}

/// The actions of an update expression, in the order given.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct UpdateExpr {
    actions: Vec<UpdateAction>,
}

impl UpdateExpr {
    pub(crate) fn set(&mut self, path: Path, value: AttributeValue) {
        self.actions.push(UpdateAction::Set(path, value));
    }

    pub(crate) fn remove(&mut self, path: Path) {
        self.actions.push(UpdateAction::Remove(path));
    }

    pub(crate) fn add(&mut self, path: Path, value: AttributeValue) {
        self.actions.push(UpdateAction::Add(path, value));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.actions.is_empty()
    }

    /// The values this update sends, with the attribute they go to.
    pub(crate) fn values(&self) -> impl Iterator<Item = (&str, &AttributeValue)> {
        self.actions.iter().filter_map(|a| match a {
            UpdateAction::Set(p, v) | UpdateAction::Add(p, v) => Some((&*p.root, v)),
            UpdateAction::Remove(_) => None,
        })
    }

    /// `SET #0 = :0, #1 = :1 REMOVE #2 ADD #3 :2`
    pub(crate) fn render(&self, p: &mut Placeholders) -> String {
        let mut set = Vec::new();
        let mut remove = Vec::new();
        let mut add = Vec::new();
        for action in &self.actions {
            match action {
                UpdateAction::Set(path, value) => {
                    let name = path.render(p);
                    set.push(format!("{name} = {}", p.value(value.clone())));
                }
                UpdateAction::Remove(path) => remove.push(path.render(p)),
                UpdateAction::Add(path, value) => {
                    let name = path.render(p);
                    add.push(format!("{name} {}", p.value(value.clone())));
                }
            }
        }
        let mut out = String::new();
        for (keyword, clauses) in [("SET", set), ("REMOVE", remove), ("ADD", add)] {
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

#[cfg(test)]
mod tests {
    use super::*;

    struct User;
    const AGE: Attr<User, u32> = Attr::new("age");
    const NAME: Attr<User, String> = Attr::new("name");
    const NICK: Attr<User, Option<String>> = Attr::new("nick-name");

    fn render(c: &Condition<User>) -> (String, Placeholders) {
        let mut p = Placeholders::default();
        let text = c.render(&mut p);
        (text, p)
    }

    #[test]
    fn renders_conditions_with_placeholders() {
        let c = AGE.ge(18) & NAME.eq("bob") | !NICK.exists();
        let (text, p) = render(&c);
        assert_eq!(
            text,
            "((#0 >= :0 AND #1 = :1) OR (NOT attribute_exists(#2)))"
        );
        let (names, values) = p.into_maps();
        assert_eq!(names["#0"], "age");
        assert_eq!(names["#1"], "name");
        assert_eq!(names["#2"], "nick-name");
        assert_eq!(values[":0"], AttributeValue::N("18".into()));
        assert_eq!(values[":1"], AttributeValue::S("bob".into()));
    }

    #[test]
    fn repeated_names_share_a_placeholder() {
        let (text, p) = render(&(AGE.ge(18) & AGE.lt(65)));
        assert_eq!(text, "(#0 >= :0 AND #0 < :1)");
        assert_eq!(p.into_maps().0.len(), 1);
    }

    #[test]
    fn renders_updates() {
        let mut u = UpdateExpr::default();
        u.set(NAME.path(), AttributeValue::S("x".into()));
        u.add(AGE.path(), AttributeValue::N("1".into()));
        u.remove(NICK.path());
        u.set(Path::attribute("other"), AttributeValue::Bool(true));
        let mut p = Placeholders::default();
        assert_eq!(u.render(&mut p), "SET #0 = :0, #3 = :2 REMOVE #2 ADD #1 :1");
    }
}
