//! Single-item operations: put, get, update, delete.

use std::fmt;
use std::future::IntoFuture;
use std::marker::PhantomData;

use aws_sdk_dynamodb::types::{AttributeValue, ReturnConsumedCapacity, ReturnValue};
use tracing::Instrument;

use super::write::{key_item, Action, Expected, Prepared, Verb};
use super::{BoxFuture, Table};
use crate::error::{Error, Result};
use crate::expr::{
    AddOperand, AttrPath, CompareOp, Condition, DocPath, ListType, Node, Operand, Placeholders,
    RemovablePath, SetOperand, UpdateAction, UpdateExpr,
};
use crate::observe::span::{operation_span, record_capacity, record_item_key};
use crate::observe::{Access, CapacityFuture, ConsumedCapacity, Operation, Sealed, WithCapacity};
use crate::resource::{advance_version, Projection, Resource, Timestamp};
use crate::validate;
use crate::value::{computed, Item, ToAttribute, ValueOf};

fn decode<T: Resource>(table: &str, item: Option<Item>) -> Result<Option<T>> {
    item.map(|item| T::from_item(item).map_err(|e| Error::decode(table, e)))
        .transpose()
}

/// Joins an optional condition with another.
pub(super) fn and<T, K>(a: Option<Condition<T>>, b: Condition<T, K>) -> Option<Condition<T>> {
    Some(match a {
        Some(a) => a & b,
        None => b.compound(),
    })
}

/// Makes builder `$ty` an [`Operation`] with output `$out`, run by its
/// `async fn run(self, capacity: bool)`: awaited on its own, or with
/// `.capacity()` to return what it consumed too.
macro_rules! operation {
    ($ty:ty => $out:ty, [$($bounds:tt)*]) => {
        impl<'a, $($bounds)*> $ty {
            /// Asks DynamoDB for the capacity the operation consumes and
            /// returns it with the result: `(result, ConsumedCapacity)`.
            pub fn capacity(self) -> WithCapacity<'a, Self> {
                WithCapacity::new(self)
            }
        }

        impl<'a, $($bounds)*> Sealed for $ty {}

        impl<'a, $($bounds)*> Operation<'a> for $ty {
            type Output = $out;
            fn send_with(self, capacity: bool) -> CapacityFuture<'a, $out> {
                Box::pin(self.run(capacity))
            }
        }

        impl<'a, $($bounds)*> IntoFuture for $ty {
            type Output = Result<$out>;
            type IntoFuture = BoxFuture<'a, Result<$out>>;
            fn into_future(self) -> Self::IntoFuture {
                Box::pin(async move { self.run(false).await.map(|(output, _)| output) })
            }
        }
    };
}
pub(super) use operation;

/// The optimistic-locking condition for writing `item` over the stored one,
/// and the item with its version advanced. A version of 0 means "new": the
/// item must not exist yet.
fn versioned<T: Resource>(table: &str, item: &mut Item) -> Result<Option<Condition<T>>> {
    let Some(name) = T::VERSION_ATTRIBUTE else {
        return Ok(None);
    };
    let condition = version_condition::<T>(name, item.get(name));
    advance_version::<T>(table, item)?;
    Ok(Some(condition))
}

/// The stored version equals the item's, or (for 0) the item does not exist.
fn version_condition<T: Resource>(
    name: &'static str,
    current: Option<&AttributeValue>,
) -> Condition<T> {
    match current {
        Some(AttributeValue::N(text)) if text != "0" => {
            Condition::attribute_equals(name, AttributeValue::N(text.clone()))
        }
        _ => Condition::attribute_not_exists(T::KEY_SCHEMA.partition.name),
    }
}

/// A `put`: write a whole item. Await it to send.
#[must_use = "a put does nothing until awaited"]
pub struct Put<'a, T: Resource> {
    table: &'a Table<T>,
    item: &'a T,
    condition: Option<Condition<T>>,
}

impl<'a, T: Resource> Put<'a, T> {
    pub(super) fn new(table: &'a Table<T>, item: &'a T) -> Self {
        Put {
            table,
            item,
            condition: None,
        }
    }

    /// Writes only if no item with this key exists; otherwise the put fails
    /// with [`Error::is_condition_failed`].
    pub fn if_absent(mut self) -> Self {
        let pk = T::KEY_SCHEMA.partition.name;
        self.condition = and(self.condition, Condition::attribute_not_exists(pk));
        self
    }

    /// Writes only if `condition` holds for the stored item (conditions are
    /// joined with AND when given more than once).
    pub fn condition<K>(mut self, condition: Condition<T, K>) -> Self {
        self.condition = and(self.condition, condition);
        self
    }

    /// Returns the item that was replaced, if there was one.
    pub fn return_old(self) -> ReturnOld<'a, T> {
        ReturnOld::new(self.table, self.prepare())
    }

    /// The request, validated and rendered, without sending it.
    pub(crate) fn prepare(self) -> Result<Prepared> {
        prepare_put(
            self.table,
            self.item.to_item(),
            self.condition,
            Created::Now,
        )
    }
}

/// What a put that keeps the stored `created_at` writes when the stored
/// item has none.
#[derive(Clone, Copy)]
enum Created {
    /// The time of the write.
    Now,
    /// The item's own value (an item moved to a new key keeps its time).
    FromItem,
}

/// A put of `item` under `condition`, with the version check and increment
/// of a versioned resource and the automatic timestamps.
fn prepare_put<T: Resource>(
    table: &Table<T>,
    mut item: Item,
    mut condition: Option<Condition<T>>,
    created: Created,
) -> Result<Prepared> {
    let table = table.name();
    if let Some(version) = versioned::<T>(table, &mut item)? {
        condition = and(condition, version);
    }
    if let Some(updated) = T::UPDATED_AT {
        item.insert(updated.name.to_owned(), (updated.now)());
    }
    if let Some(stamp) = T::CREATED_AT {
        if matches!(created, Created::Now) || !item.contains_key(stamp.name) {
            item.insert(stamp.name.to_owned(), (stamp.now)());
        }
    }
    validate::item(table, &T::KEY_SCHEMA, &item)?;
    match T::CREATED_AT {
        Some(stamp) => put_keeping_created::<T>(table, item, stamp, condition)
            .map(|write| write.for_verb(Verb::Put)),
        None => {
            let expected = Expected::Item(item.clone());
            Prepared::new(
                table,
                Action::Put,
                item,
                condition.as_ref(),
                Placeholders::default(),
            )
            .map(|write| write.recognising(expected))
        }
    }
}

/// A put of a resource with `created_at`, which a `PutItem` would overwrite:
/// sent as an update that sets every attribute of the item, removes the
/// struct's attributes the item leaves out (as a whole-item put would), and
/// sets `created_at` only when the stored item has none.
fn put_keeping_created<T: Resource>(
    table: &str,
    mut item: Item,
    created: Timestamp,
    condition: Option<Condition<T>>,
) -> Result<Prepared> {
    let schema = T::KEY_SCHEMA;
    let mut key = Item::with_capacity(2);
    for name in std::iter::once(schema.partition.name).chain(schema.sort.map(|s| s.name)) {
        if let Some(value) = item.remove(name) {
            key.insert(name.to_owned(), value);
        }
    }
    let created_value = item.remove(created.name).unwrap_or_else(created.now);
    // The put leaves the key and the item's attributes, and none of the
    // struct's others; `created_at` is the stored one, not compared.
    let mut equal = key.clone();
    equal.extend(item.iter().map(|(k, v)| (k.clone(), v.clone())));
    let mut absent = Vec::new();
    let mut actions = UpdateExpr::default();
    let mut names: Vec<String> = item.keys().cloned().collect();
    // In a fixed order, so that the same put renders the same request.
    names.sort_unstable();
    for name in names {
        if let Some(value) = item.remove(&name) {
            actions.push(UpdateAction::Set(DocPath::attribute(name), value));
        }
    }
    let computed_keys = T::COMPUTED.iter().map(|c| c.attribute);
    for name in T::ATTRIBUTES.iter().copied().chain(computed_keys) {
        if !actions.touches(name) && !is_key_attribute::<T>(name) && name != created.name {
            actions.push(UpdateAction::Remove(DocPath::attribute(name)));
            absent.push(name.to_owned());
        }
    }
    actions.push(UpdateAction::SetIfAbsent(
        DocPath::attribute(created.name),
        created_value,
    ));
    let mut p = Placeholders::default();
    let update = actions.render(&mut p);
    Prepared::new(
        table,
        Action::Update(Some(update)),
        key,
        condition.as_ref(),
        p,
    )
    .map(|write| write.recognising(Expected::Attributes { equal, absent }))
}

/// The version `condition` requires, when it requires one: the condition
/// is `version = n`, or an AND with that among its parts.
fn pinned_version(node: &Node, name: &str) -> Option<i128> {
    match node {
        Node::Compare(Operand::Path(path), CompareOp::Eq, AttributeValue::N(n))
            if path.is_top_level() && path.root == name =>
        {
            n.parse().ok()
        }
        Node::And(parts) => parts.iter().find_map(|part| pinned_version(part, name)),
        _ => None,
    }
}

/// What an update leaves, when that can be told from the update alone (see
/// `Expected`): the attributes it sets and removes, and for a versioned
/// resource whose condition pins the version `n`, version `n + 1`. An
/// update that changes an attribute by its stored value (`add`, `append`,
/// `delete_from_set`, `set_if_absent`, nested paths) leaves values that
/// cannot be told; it is recognised only by its pinned version and the
/// attributes it sets.
fn expected_update<T: Resource>(
    actions: &UpdateExpr,
    condition: Option<&Condition<T>>,
    auto_version: bool,
) -> Option<Expected> {
    let version = T::VERSION_ATTRIBUTE.filter(|_| auto_version);
    let pinned = version.and_then(|name| {
        condition
            .and_then(|c| pinned_version(&c.node, name))
            .and_then(|n| n.checked_add(1))
            .map(|next| (name, next))
    });
    let created = T::CREATED_AT.map(|c| c.name);
    let mut equal = Item::new();
    let mut absent = Vec::new();
    let mut by_stored_value = false;
    for action in &actions.actions {
        let path = action.path();
        let top = path.is_top_level();
        match action {
            UpdateAction::Set(p, value) if top => {
                equal.insert(p.root.to_string(), value.clone());
            }
            UpdateAction::Remove(p) if top => absent.push(p.root.to_string()),
            // The automatic `created_at`, kept when the item has one.
            UpdateAction::SetIfAbsent(p, _) if top && Some(&*p.root) == created => {}
            UpdateAction::Add(p, _) if top && Some(&*p.root) == version => {}
            _ => by_stored_value = true,
        }
    }
    match pinned {
        Some((name, next)) => {
            equal.insert(
                name.to_owned(),
                AttributeValue::N(itoa::Buffer::new().format(next).to_owned()),
            );
        }
        // The version is added to, by an unknown stored value.
        None if version.is_some() => return None,
        None if by_stored_value => return None,
        None => {}
    }
    Some(Expected::Attributes { equal, absent })
}

/// The item exists: its partition key attribute is there.
fn item_exists<T: Resource>() -> Condition<T> {
    Condition::new(Node::Exists(DocPath::attribute(
        T::KEY_SCHEMA.partition.name,
    )))
}

/// The put half of a move: `item` written as a new item, so its key must be
/// free and, for a versioned resource, its version restarts (stored as 1).
pub(super) fn prepare_put_new<T: Resource>(table: &Table<T>, item: &T) -> Result<Prepared> {
    let mut item = item.to_item();
    let condition = match T::VERSION_ATTRIBUTE {
        // Version 0 makes `versioned` require that the key is free.
        Some(name) => {
            item.insert(name.to_owned(), AttributeValue::N("0".to_owned()));
            None
        }
        None => Some(Condition::attribute_not_exists(
            T::KEY_SCHEMA.partition.name,
        )),
    };
    prepare_put(table, item, condition, Created::FromItem)
}

/// The delete half of a move: `item` by its key, which must still be
/// stored; for a versioned resource, at the item's version.
pub(super) fn prepare_delete_stored<T: Resource>(
    table: &Table<T>,
    item: &T,
    condition: Option<Condition<T>>,
) -> Result<Prepared> {
    let mut delete = Delete::of_item(table, item);
    match T::VERSION_ATTRIBUTE {
        Some(name) => {
            // Version 0 would mean "not stored yet", and its condition that
            // the item be absent: no item to move.
            if !matches!(item.to_item().get(name), Some(AttributeValue::N(v)) if v != "0") {
                return Err(Error::validation(
                    table.name(),
                    format!(
                        "the item to move has version 0 in `{name}`, so it was not read from \
                         the table; move the item as read"
                    ),
                ));
            }
        }
        None => delete.condition = and(delete.condition, item_exists::<T>()),
    }
    if let Some(condition) = condition {
        delete.condition = and(delete.condition, condition);
    }
    delete.prepare()
}

impl<'a, T: Resource> Put<'a, T> {
    async fn run(self, capacity: bool) -> Result<((), ConsumedCapacity)> {
        let client = self.table.client();
        let (_, consumed) = self
            .prepare()?
            .send(client, ReturnValue::None, capacity)
            .await?;
        Ok(((), consumed))
    }
}

operation!(Put<'a, T> => (), [T: Resource]);

/// A `put`, `update` or `delete` that returns the item as it was before
/// (`None` when there was none): their `return_old()`. Await it to send.
#[must_use = "a write does nothing until awaited"]
pub struct ReturnOld<'a, T: Resource> {
    table: &'a Table<T>,
    write: Result<Prepared>,
    /// An old image of nothing but the key means no item (an upsert's).
    key_only_is_none: bool,
}

impl<'a, T: Resource> ReturnOld<'a, T> {
    fn new(table: &'a Table<T>, write: Result<Prepared>) -> Self {
        ReturnOld {
            table,
            write,
            key_only_is_none: false,
        }
    }
}

impl<'a, T: Resource> ReturnOld<'a, T> {
    async fn run(self, capacity: bool) -> Result<(Option<T>, ConsumedCapacity)> {
        let (old, consumed) = self
            .write?
            .send(self.table.client(), ReturnValue::AllOld, capacity)
            .await?;
        // DynamoDB returns no old image when an update creates the item;
        // the embedded server returns the key. An item of nothing but its
        // key is no item to an upsert anyway: applying the update to it or
        // creating it leaves the same item.
        let old = old.filter(|old| {
            !(self.key_only_is_none && old.keys().all(|name| is_key_attribute::<T>(name)))
        });
        Ok((decode(self.table.name(), old)?, consumed))
    }
}

operation!(ReturnOld<'a, T> => Option<T>, [T: Resource]);

/// A `get`: read one item by key. Await it to send.
#[must_use = "a get does nothing until awaited"]
pub struct Get<'a, T: Resource> {
    table: &'a Table<T>,
    key: T::Key,
    consistent: bool,
}

impl<'a, T: Resource> Get<'a, T> {
    pub(super) fn new(table: &'a Table<T>, key: T::Key) -> Self {
        Get {
            table,
            key,
            consistent: false,
        }
    }

    /// Uses a strongly consistent read: the result reflects every write that
    /// succeeded before it.
    pub fn consistent(mut self) -> Self {
        self.consistent = true;
        self
    }
}

impl<'a, T: Resource> Get<'a, T> {
    /// Reads only the attributes of projection `P` and returns a `P`.
    pub fn project<P: Projection<Resource = T>>(self) -> GetProjection<'a, T, P> {
        GetProjection {
            get: self,
            _marker: std::marker::PhantomData,
        }
    }

    async fn send(
        self,
        projection: &[&str],
        capacity: bool,
    ) -> Result<(Option<Item>, ConsumedCapacity)> {
        let table = self.table.name();
        let key = key_item(self.table, &self.key)?;
        let span = operation_span!("dynamodb.get", "GetItem", table);
        record_item_key(&span, &key);
        let mut p = Placeholders::default();
        let projection = (!projection.is_empty()).then(|| {
            projection
                .iter()
                .map(|name| p.name(name))
                .collect::<Vec<_>>()
                .join(", ")
        });
        let (names, _) = p.into_request_maps();
        let output = self
            .table
            .client
            .get_item()
            .table_name(table)
            .set_key(Some(key))
            .consistent_read(self.consistent)
            .set_projection_expression(projection)
            .set_expression_attribute_names(names)
            .set_return_consumed_capacity(capacity.then_some(ReturnConsumedCapacity::Indexes))
            .send()
            .instrument(span.clone())
            .await
            .map_err(|e| Error::sdk(Some(table), e))?;
        let consumed = ConsumedCapacity::reported(Access::Read, output.consumed_capacity.as_ref());
        span.record("resourceful.requests", 1);
        span.record("db.response.returned_rows", u8::from(output.item.is_some()));
        record_capacity(&span, &consumed);
        Ok((output.item, consumed))
    }

    async fn run(self, capacity: bool) -> Result<(Option<T>, ConsumedCapacity)> {
        let table = self.table.name();
        let (item, consumed) = self.send(&[], capacity).await?;
        Ok((decode(table, item)?, consumed))
    }
}

operation!(Get<'a, T> => Option<T>, [T: Resource]);

/// A `get` that reads a projection `P` of the item. Await it to send.
#[must_use = "a get does nothing until awaited"]
pub struct GetProjection<'a, T: Resource, P> {
    get: Get<'a, T>,
    _marker: std::marker::PhantomData<fn() -> P>,
}

impl<'a, T: Resource, P: Projection<Resource = T>> GetProjection<'a, T, P> {
    async fn run(self, capacity: bool) -> Result<(Option<P>, ConsumedCapacity)> {
        let table = self.get.table.name();
        let (item, consumed) = self.get.send(P::ATTRIBUTES, capacity).await?;
        let item = item
            .map(|item| P::from_item(item).map_err(|e| Error::decode(table, e)))
            .transpose()?;
        Ok((item, consumed))
    }
}

operation!(GetProjection<'a, T, P> => Option<P>, [T: Resource, P: Projection<Resource = T>]);

impl<T: Resource, P> fmt::Debug for GetProjection<'_, T, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GetProjection")
            .field("get", &self.get)
            .field("projection", &std::any::type_name::<P>())
            .finish()
    }
}

/// A `delete`: remove one item by key. Await it to send.
#[must_use = "a delete does nothing until awaited"]
pub struct Delete<'a, T: Resource> {
    table: &'a Table<T>,
    key: T::Key,
    condition: Option<Condition<T>>,
}

impl<'a, T: Resource> Delete<'a, T> {
    pub(super) fn new(table: &'a Table<T>, key: T::Key) -> Self {
        Delete {
            table,
            key,
            condition: None,
        }
    }

    /// Deletes `item` by its key, checking its version when the resource
    /// has one.
    pub(super) fn of_item(table: &'a Table<T>, item: &T) -> Self {
        let condition = T::VERSION_ATTRIBUTE.map(|name| {
            let current = item.to_item().remove(name);
            version_condition::<T>(name, current.as_ref())
        });
        Delete {
            table,
            key: item.key(),
            condition,
        }
    }

    /// Deletes only if `condition` holds for the stored item.
    pub fn condition<K>(mut self, condition: Condition<T, K>) -> Self {
        self.condition = and(self.condition, condition);
        self
    }

    /// Returns the deleted item, if there was one.
    pub fn return_old(self) -> ReturnOld<'a, T> {
        ReturnOld::new(self.table, self.prepare())
    }

    /// The request, validated and rendered, without sending it.
    pub(crate) fn prepare(self) -> Result<Prepared> {
        let table = self.table.name();
        let key = key_item(self.table, &self.key)?;
        Prepared::new(
            table,
            Action::Delete,
            key,
            self.condition.as_ref(),
            Placeholders::default(),
        )
        .map(|write| write.recognising(Expected::Absent))
    }
}

impl<'a, T: Resource> Delete<'a, T> {
    async fn run(self, capacity: bool) -> Result<((), ConsumedCapacity)> {
        let client = self.table.client();
        let (_, consumed) = self
            .prepare()?
            .send(client, ReturnValue::None, capacity)
            .await?;
        Ok(((), consumed))
    }
}

operation!(Delete<'a, T> => (), [T: Resource]);

/// A key attribute of the table, or a field that a table key's template
/// names: neither can change in place.
fn is_key_attribute<T: Resource>(name: &str) -> bool {
    let schema = T::KEY_SCHEMA;
    std::iter::once(schema.partition)
        .chain(schema.sort)
        .any(|key| {
            key.name == name
                || computed(T::COMPUTED, key.name)
                    .is_some_and(|c| c.template.fields().any(|f| f == name))
        })
}

/// Keeps the index keys computed from templates right in an update: one
/// whose fields the update sets is set to the new value in the same
/// request, one whose field it removes is removed (the item leaves the
/// index). Setting only some of a template's fields, or changing one other
/// than by `set` or `remove`, would leave the key stale: an error.
fn computed_updates<T: Resource>(table: &str, actions: &mut UpdateExpr) -> Result<()> {
    let created = T::CREATED_AT.map(|c| c.name);
    let mut extra = Vec::new();
    for c in T::COMPUTED {
        if is_key_attribute::<T>(c.attribute) {
            continue;
        }
        let fields: Vec<&str> = c.template.fields().collect();
        let mut set: Vec<(&str, &AttributeValue)> = Vec::new();
        let mut removed = false;
        for action in &actions.actions {
            let path = action.path();
            let Some(&field) = fields.iter().find(|f| path.root == **f) else {
                continue;
            };
            match action {
                UpdateAction::Set(p, value) if p.is_top_level() => set.push((field, value)),
                UpdateAction::Remove(p) if p.is_top_level() => removed = true,
                // The automatic `created_at`, kept when the item has one.
                UpdateAction::SetIfAbsent(..) if Some(field) == created => {}
                _ => {
                    return Err(Error::validation(
                        table,
                        format!(
                            "`{field}` makes index key `{}` (`{}`): change it with `set` or `remove`, so that the key can be computed",
                            c.attribute, c.template
                        ),
                    ))
                }
            }
        }
        if removed {
            extra.push(UpdateAction::Remove(DocPath::attribute(c.attribute)));
        } else if !set.is_empty() {
            let missing: Vec<&str> = fields
                .iter()
                .filter(|f| !set.iter().any(|(s, _)| s == *f))
                .copied()
                .collect();
            if !missing.is_empty() {
                return Err(Error::validation(
                    table,
                    format!(
                        "the update sets {} but not {}: together they make index key `{}` (`{}`); set them together",
                        names(set.iter().map(|(f, _)| *f)),
                        names(missing.iter().copied()),
                        c.attribute,
                        c.template
                    ),
                ));
            }
            let value = c
                .template
                .render(|name| set.iter().find(|(f, _)| *f == name).map(|(_, v)| *v));
            extra.push(match value {
                Some(value) => {
                    UpdateAction::Set(DocPath::attribute(c.attribute), AttributeValue::S(value))
                }
                None => UpdateAction::Remove(DocPath::attribute(c.attribute)),
            });
        }
    }
    for action in extra {
        actions.push(action);
    }
    Ok(())
}

/// "`a` and `b`".
fn names<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<String> = names.map(|n| format!("`{n}`")).collect();
    match names.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The condition that the stored item is of `T`'s entity, or that there is
/// no item (for a write that may create it).
fn entity_condition<T: Resource>(or_absent: bool) -> Option<Condition<T>> {
    let entity = T::ENTITY?;
    let is_entity = Node::equals(entity.attribute, AttributeValue::S(entity.name.to_owned()));
    let node = if or_absent {
        let absent = Node::NotExists(DocPath::attribute(T::KEY_SCHEMA.partition.name));
        Node::Or(vec![absent, is_entity])
    } else {
        is_entity
    };
    Some(Condition::new(node))
}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::Existing {}
    impl Sealed for super::Upsert {}
}

/// What an [`Update`] does when there is no item with its key: [`Existing`]
/// or [`Upsert`]. Implemented by those two types only.
pub trait UpdateMode: sealed::Sealed + Send + Sync + 'static {
    /// Whether the update requires the item to exist.
    #[doc(hidden)]
    const MUST_EXIST: bool;
}

/// The mode of [`Table::update`]: the item must exist. A missing item is an
/// error with [`Error::is_not_found`], and nothing is written; the update
/// returns the item as it is afterwards.
#[derive(Debug)]
pub enum Existing {}

/// The mode of [`Table::upsert`]: an update that creates the item when
/// there is none. It returns `()`, or with
/// [`return_old`](Update::return_old) the item as it was before (`None` when
/// it was created), never a created item, which may lack attributes.
#[derive(Debug)]
pub enum Upsert {}

impl UpdateMode for Existing {
    const MUST_EXIST: bool = true;
}

impl UpdateMode for Upsert {
    const MUST_EXIST: bool = false;
}

/// An `update` or `upsert`: change attributes of one item in place. Await it
/// to send.
///
/// `M` says what happens when there is no item with the key. For
/// [`Table::update`] ([`Existing`], the default) the item must exist, and
/// the update returns it as it is afterwards. For [`Table::upsert`]
/// ([`Upsert`]) a missing item is created from the key and the update's
/// actions, and the update returns `()`. Both have the same actions and
/// options.
#[must_use = "an update does nothing until awaited"]
pub struct Update<'a, T: Resource, M: UpdateMode = Existing> {
    table: &'a Table<T>,
    key: T::Key,
    actions: UpdateExpr,
    condition: Option<Condition<T>>,
    _mode: PhantomData<fn() -> M>,
}

impl<'a, T: Resource, M: UpdateMode> Update<'a, T, M> {
    pub(super) fn new(table: &'a Table<T>, key: T::Key) -> Self {
        Update {
            table,
            key,
            actions: UpdateExpr::default(),
            condition: None,
            _mode: PhantomData,
        }
    }

    /// Sets the attribute (or the path into a map or list) to `value`.
    /// Setting a top-level attribute to `None` or an empty set removes it.
    pub fn set<V: ToAttribute>(
        mut self,
        path: impl AttrPath<T, V>,
        value: impl ValueOf<V>,
    ) -> Self {
        let path = path.into_doc_path();
        let value = value.into_value();
        self.actions
            .push(if path.is_top_level() && value.is_absent() {
                UpdateAction::Remove(path)
            } else {
                UpdateAction::Set(path, value.to_attribute())
            });
        self
    }

    /// Sets the attribute to `value` only if it does not exist yet.
    pub fn set_if_absent<V: ToAttribute>(
        mut self,
        path: impl AttrPath<T, V>,
        value: impl ValueOf<V>,
    ) -> Self {
        let value = value.into_value();
        if !value.is_absent() {
            self.actions.push(UpdateAction::SetIfAbsent(
                path.into_doc_path(),
                value.to_attribute(),
            ));
        }
        self
    }

    /// Removes the attribute: an `Option` or set attribute, or any path
    /// into a map or list. Required attributes cannot be removed, so that
    /// the item stays readable.
    pub fn remove(mut self, path: impl RemovablePath<T>) -> Self {
        self.actions
            .push(UpdateAction::Remove(path.into_removable()));
        self
    }

    /// Adds `value` to a number (a missing number counts as 0), or adds the
    /// elements of `value` to a set attribute: `.add(User::AGE, 1)`,
    /// `.add(User::TAGS, ["a", "b"])` (an array, `Vec`, set or iterator of
    /// anything the element type accepts). Adding no elements does nothing.
    pub fn add<V>(mut self, path: impl AttrPath<T, V>, value: impl AddOperand<V>) -> Self {
        let path = path.into_doc_path();
        let Some(value) = value.into_operand() else {
            return self;
        };
        // ADD works on top-level attributes only; a nested number is
        // incremented with SET instead.
        self.actions.push(match (&value, path.is_top_level()) {
            (AttributeValue::N(_), false) => UpdateAction::Increment(path, value),
            _ => UpdateAction::Add(path, value),
        });
        self
    }

    /// Appends `values` to the end of a list attribute (creating it if absent).
    pub fn append<V, A>(
        mut self,
        path: impl AttrPath<T, V>,
        values: impl IntoIterator<Item = A>,
    ) -> Self
    where
        V: ListType,
        V::Item: ToAttribute,
        A: ValueOf<V::Item>,
    {
        let values: Vec<AttributeValue> = values
            .into_iter()
            .map(|v| v.into_value().to_attribute())
            .collect();
        if !values.is_empty() {
            self.actions.push(UpdateAction::Append(
                path.into_doc_path(),
                AttributeValue::L(values),
            ));
        }
        self
    }

    /// Removes the elements of `values` from a set attribute:
    /// `.delete_from_set(User::TAGS, ["a"])` (an array, `Vec`, set or
    /// iterator of anything the element type accepts).
    pub fn delete_from_set<V>(
        mut self,
        path: impl AttrPath<T, V>,
        values: impl SetOperand<V>,
    ) -> Self {
        if let Some(values) = values.into_operand() {
            self.actions
                .push(UpdateAction::Delete(path.into_doc_path(), values));
        }
        self
    }

    /// Updates only if `condition` holds for the stored item; otherwise the
    /// update fails with [`Error::is_condition_failed`] (for
    /// [`update`](Table::update), when the item exists).
    pub fn condition<K>(mut self, condition: Condition<T, K>) -> Self {
        self.condition = and(self.condition, condition);
        self
    }

    /// Returns the item as it was before the update instead: for
    /// [`update`](Table::update) always `Some` (a missing item is an error),
    /// for [`upsert`](Table::upsert) `None` when the item was created (or
    /// held nothing but its key, which the upsert treats alike).
    pub fn return_old(self) -> ReturnOld<'a, T> {
        ReturnOld {
            key_only_is_none: !M::MUST_EXIST,
            ..ReturnOld::new(self.table, self.prepare())
        }
    }

    /// The request, validated and rendered, without sending it. In
    /// [`Existing`] mode the condition requires the item, and the request
    /// asks for the stored item when a condition fails, which tells a
    /// missing item from a condition that did not hold.
    pub(crate) fn prepare(mut self) -> Result<Prepared> {
        let table = self.table.name();
        let key = key_item(self.table, &self.key)?;
        for action in &self.actions.actions {
            let path = action.path();
            if path.is_top_level() && is_key_attribute::<T>(&path.root) {
                return Err(Error::validation(
                    table,
                    format!(
                        "key attribute `{}` cannot be updated; write a new item instead",
                        path.root
                    ),
                ));
            }
            if let Some(value) = action.value() {
                validate::value(table, &path.to_string(), value)?;
            }
        }
        let mut auto_version = false;
        if let Some(version) = T::VERSION_ATTRIBUTE {
            if !self.actions.touches(version) {
                auto_version = true;
                self.actions.push(UpdateAction::Add(
                    DocPath::attribute(version),
                    AttributeValue::N("1".to_owned()),
                ));
            }
        }
        // Automatic timestamps, unless the update sets them itself.
        if let Some(updated) = T::UPDATED_AT {
            if !self.actions.touches(updated.name) {
                self.actions.push(UpdateAction::Set(
                    DocPath::attribute(updated.name),
                    (updated.now)(),
                ));
            }
        }
        if let Some(created) = T::CREATED_AT {
            if !self.actions.touches(created.name) {
                self.actions.push(UpdateAction::SetIfAbsent(
                    DocPath::attribute(created.name),
                    (created.now)(),
                ));
            }
        }
        computed_updates::<T>(table, &mut self.actions)?;
        // An item of another entity under the same key is not this one: an
        // update requires the stored item to be of the entity, an upsert
        // also allows no item, and writes the entity attribute.
        let exists = match entity_condition::<T>(!M::MUST_EXIST) {
            Some(entity) => Some(entity),
            None if M::MUST_EXIST => Some(item_exists()),
            None => None,
        };
        if let Some(entity) = T::ENTITY.filter(|_| !M::MUST_EXIST) {
            self.actions.push(UpdateAction::Set(
                DocPath::attribute(entity.attribute),
                AttributeValue::S(entity.name.to_owned()),
            ));
        }
        let expected = expected_update::<T>(&self.actions, self.condition.as_ref(), auto_version);
        let condition = match (exists, self.condition) {
            (Some(exists), Some(condition)) => and(Some(exists), condition),
            (exists, None) => exists,
            (None, condition) => condition,
        };
        let mut p = Placeholders::default();
        let update = (!self.actions.is_empty()).then(|| self.actions.render(&mut p));
        let mut prepared =
            Prepared::new(table, Action::Update(update), key, condition.as_ref(), p)?;
        if let Some(expected) = expected {
            prepared = prepared.recognising(expected);
        }
        Ok(if M::MUST_EXIST {
            prepared.requiring_item()
        } else {
            prepared
        })
    }
}

impl<'a, T: Resource> Update<'a, T, Existing> {
    async fn run(self, capacity: bool) -> Result<(T, ConsumedCapacity)> {
        let table = self.table;
        let (new, consumed) = self
            .prepare()?
            .send(table.client(), ReturnValue::AllNew, capacity)
            .await?;
        // ALL_NEW returns the whole item, which existed before.
        let item =
            T::from_item(new.unwrap_or_default()).map_err(|e| Error::decode(table.name(), e))?;
        Ok((item, consumed))
    }
}

operation!(Update<'a, T, Existing> => T, [T: Resource]);

impl<'a, T: Resource> Update<'a, T, Upsert> {
    async fn run(self, capacity: bool) -> Result<((), ConsumedCapacity)> {
        let client = self.table.client();
        let (_, consumed) = self
            .prepare()?
            .send(client, ReturnValue::None, capacity)
            .await?;
        Ok(((), consumed))
    }
}

operation!(Update<'a, T, Upsert> => (), [T: Resource]);

impl<T: Resource, M: UpdateMode> fmt::Debug for Update<'_, T, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Update")
            .field("table", &self.table.name())
            .field("must_exist", &M::MUST_EXIST)
            .field("actions", &self.actions)
            .field("condition", &self.condition)
            .finish_non_exhaustive()
    }
}

macro_rules! debug_builder {
    ($($name:ident { $($field:ident),* })*) => {$(
        impl<T: Resource> fmt::Debug for $name<'_, T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($name))
                    .field("table", &self.table.name())
                    $(.field(stringify!($field), &self.$field))*
                    .finish_non_exhaustive()
            }
        }
    )*};
}

debug_builder! {
    Put { condition }
    Get { consistent }
    Delete { condition }
    ReturnOld { write }
}
