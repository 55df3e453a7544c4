//! Reading many items: queries and scans, as lazy streams, pages with
//! cursors, or collected.
//!
//! - `.stream()` yields items one by one and reads one page ahead: once half
//!   of a page is taken, the next page is requested in the background, so
//!   the round trip overlaps with the caller's work. Memory holds at most two
//!   pages per segment; a caller that stops in the first half of a page costs
//!   no extra request.
//! - `.pages()` yields DynamoDB's pages, each with a [`Cursor`].
//! - `.page()` returns up to `limit` items and a cursor, for paged web APIs.
//! - `.all()`, `.first()` and `.count()` collect.
//!
//! A [`Cursor`] belongs to one read (table, index, and for a query its key
//! condition); a table handle with [`Table::seal_cursors`] hands out sealed
//! cursors, which reveal nothing and cannot be forged.
//!
//! `.limit(n)` is the total number of items wanted; `.page_size(n)` is
//! DynamoDB's `Limit`, the items evaluated per request (before a filter).

mod cursor;
mod engine;

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use aws_sdk_dynamodb::types::AttributeValue;
use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};
use tracing::Span;

pub use cursor::{Cursor, CursorError};

use cursor::{Binding, ReadId};

use crate::error::{Error, Result};
use crate::expr::{Condition, DocPath, Node, Placeholders, SortKeyOf};
use crate::observe::span::{operation_span, record_key};
use crate::observe::ReadProgress;
use crate::resource::{HasIndex, Index, IndexDef, Projection, Resource};
use crate::table::Table;
use crate::validate;
use crate::value::{computed, DecodeError, Item, KeyAttributeDef, PartitionValue};
use engine::{Kind, Plan, Reader, Request};

/// One page of a read: the items and the cursor that continues after them
/// (`None` at the end).
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Where the next page starts. From `page()`, `None` exactly when no
    /// item follows; a page of `pages()` carries DynamoDB's own answer,
    /// which may lead to an empty last page.
    pub cursor: Option<Cursor>,
}

impl<T: Resource> Table<T> {
    /// Reads the items of one partition in sort-key order:
    /// `orders.query("c1").sort(Order::NUMBER.between(1, 9)).all().await?`.
    pub fn query(&self, partition: impl PartitionValue<T::PartitionKey>) -> Query<T> {
        Query::new(self.clone(), None, partition.into_parts())
    }

    /// Reads every item of the table.
    pub fn scan(&self) -> Scan<T> {
        Scan::new(self.clone(), None)
    }

    /// A secondary index of the table, to query or scan:
    /// `users.index(User::BY_EMAIL).query("a@example.com")`.
    pub fn index<const I: usize>(&self, index: Index<T, I>) -> IndexView<T, I>
    where
        T: HasIndex<I>,
    {
        let _ = index;
        IndexView::new(self.clone())
    }
}

/// A view of one secondary index of a table: `users.index(User::BY_EMAIL)`.
pub struct IndexView<T, const I: usize> {
    table: Table<T>,
}

impl<T: HasIndex<I>, const I: usize> IndexView<T, I> {
    fn new(table: Table<T>) -> Self {
        IndexView { table }
    }

    /// Reads the items of one partition of the index.
    pub fn query(
        &self,
        partition: impl PartitionValue<<T as HasIndex<I>>::PartitionKey>,
    ) -> Query<T, I> {
        let parts = partition.into_parts();
        Query::new(self.table.clone(), Some(<T as HasIndex<I>>::INDEX), parts)
    }

    /// Reads every item of the index.
    pub fn scan(&self) -> Scan<T, I> {
        Scan::new(self.table.clone(), Some(<T as HasIndex<I>>::INDEX))
    }
}

impl<T, const I: usize> fmt::Debug for IndexView<T, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IndexView")
            .field("table", &self.table.name())
            .field("index", &I)
            .finish()
    }
}

/// Options shared by queries and scans.
struct Options<O> {
    index: Option<IndexDef>,
    filter: Option<Node>,
    consistent: bool,
    limit: Option<usize>,
    page_size: Option<usize>,
    start: Option<Cursor>,
    decode: fn(Item) -> Result<O, DecodeError>,
    projection: Option<&'static [&'static str]>,
    progress: Option<ReadProgress>,
}

impl<O> Options<O> {
    /// The options of a read of `T`: of `T`'s own items only, when it
    /// shares its table with other entities.
    fn new<T: Resource>(index: Option<IndexDef>) -> Options<T> {
        let entity =
            T::ENTITY.map(|e| Node::equals(e.attribute, AttributeValue::S(e.name.to_owned())));
        Options {
            index,
            filter: entity,
            consistent: false,
            limit: None,
            page_size: None,
            start: None,
            decode: T::from_item,
            projection: None,
            progress: None,
        }
    }

    fn project<P: Projection>(self) -> Options<P> {
        Options {
            index: self.index,
            filter: self.filter,
            consistent: self.consistent,
            limit: self.limit,
            page_size: self.page_size,
            start: self.start,
            decode: P::from_item,
            projection: Some(P::ATTRIBUTES),
            progress: self.progress,
        }
    }

    fn add_filter(&mut self, node: Node) {
        self.filter = Some(match self.filter.take() {
            Some(existing) => {
                Condition::<()>::new(existing)
                    .and(Condition::<()>::new(node))
                    .node
            }
            None => node,
        });
    }
}

impl<O> fmt::Debug for Options<O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Options")
            .field("index", &self.index.map(|i| i.name))
            .field("filter", &self.filter)
            .field("consistent", &self.consistent)
            .field("limit", &self.limit)
            .field("page_size", &self.page_size)
            .field("start", &self.start)
            .field("projection", &self.projection)
            .field("progress", &self.progress)
            .finish()
    }
}

/// The attributes that locate an item: the table's keys, and the index's.
fn cursor_keys<T: Resource>(index: Option<&IndexDef>) -> Vec<&'static str> {
    let schema = T::KEY_SCHEMA;
    let mut keys = vec![schema.partition.name];
    keys.extend(schema.sort.map(|s| s.name));
    if let Some(index) = index {
        for key in index.partition.iter().chain(index.sort) {
            if !keys.contains(&key.name) {
                keys.push(key.name);
            }
        }
    }
    keys
}

/// What the cursors of read `read` record, and how they are made.
fn binding<T, O>(table: &Table<T>, options: &Options<O>, read: ReadId) -> Binding {
    Binding {
        table: Arc::from(table.name()),
        index: options.index.map(|i| i.name),
        read,
        key: table.cursor_key().cloned(),
    }
}

/// The key to start from: the cursor's, when it belongs to this read.
fn start_key<O>(binding: &Binding, options: &Options<O>) -> Result<Option<Item>> {
    options
        .start
        .as_ref()
        .map(|cursor| binding.resume(cursor))
        .transpose()
}

/// Renders the parts shared by queries and scans into `request`.
fn prepare<T: Resource, O>(
    table: &Table<T>,
    options: &Options<O>,
    p: &mut Placeholders,
    kind: Kind,
    binding: Binding,
    span: &Span,
) -> Result<Request> {
    let name = table.name();
    if let Some(problem) = options.filter.as_ref().and_then(Node::problem) {
        return Err(Error::validation(name, problem));
    }
    let filter = options.filter.as_ref().map(|f| {
        let mut out = String::new();
        f.render(p, &mut out);
        out
    });
    let cursor_keys = cursor_keys::<T>(options.index.as_ref());
    let projection = options.projection.map(|attributes| {
        // Keys are always read, so that a cursor can be made.
        let mut all: Vec<&str> = attributes.to_vec();
        for key in &cursor_keys {
            if !all.contains(key) {
                all.push(key);
            }
        }
        all.iter().map(|a| p.name(a)).collect::<Vec<_>>().join(", ")
    });
    Ok(Request {
        client: table.client().clone(),
        table: Arc::from(name),
        index: options.index.map(|i| i.name),
        kind,
        filter,
        projection,
        names: None,
        values: None,
        consistent: options.consistent,
        forward: true,
        page_size: options.page_size,
        cursor_keys,
        binding,
        span: span.clone(),
        progress: options.progress.clone().unwrap_or_default(),
        capacity: options.progress.is_some(),
    })
}

/// The span of a read, with its index.
fn read_span<O>(span: Span, options: &Options<O>) -> Span {
    if let Some(index) = options.index {
        span.record("aws.dynamodb.index_name", index.name);
    }
    span
}

fn finish_request(table: &str, mut request: Request, p: Placeholders) -> Result<Request> {
    let (names, values) = p.into_request_maps();
    for (placeholder, value) in values.iter().flatten() {
        validate::value(table, placeholder, value)?;
    }
    request.names = names;
    request.values = values;
    Ok(request)
}

macro_rules! common_options {
    () => {
        /// Drops the items that do not satisfy `condition`. Filtered items
        /// are still read (and count against `page_size`).
        pub fn filter<K>(mut self, condition: Condition<T, K>) -> Self {
            self.options.add_filter(condition.node);
            self
        }

        /// Uses strongly consistent reads (not available on global indexes).
        pub fn consistent(mut self) -> Self {
            self.options.consistent = true;
            self
        }

        /// The total number of items wanted: reading stops after `n`, even
        /// when a filter drops most of each page.
        pub fn limit(mut self, n: usize) -> Self {
            self.options.limit = Some(n);
            self
        }

        /// The items DynamoDB evaluates per request (its `Limit`), before
        /// any filter. By default DynamoDB fills pages up to 1 MB.
        pub fn page_size(mut self, n: usize) -> Self {
            self.options.page_size = Some(n.max(1));
            self
        }

        /// Counts the read's pages, items and consumed capacity in
        /// `progress`, which can be polled meanwhile from any task. The read
        /// asks DynamoDB for the capacity of each request.
        pub fn progress(mut self, progress: &ReadProgress) -> Self {
            self.options.progress = Some(progress.clone());
            self
        }

        /// Continues after `cursor`, from a previous page of the same read.
        pub fn start(mut self, cursor: Cursor) -> Self {
            self.options.start = Some(cursor);
            self
        }
    };
}

/// The ways to run a read, on a type with `fn plan(self) -> Result<Plan<O>>`.
macro_rules! terminals {
    () => {
        /// The matching items, one at a time, fetched page by page with one
        /// page of read-ahead (requested once half of the current page is
        /// taken): memory holds at most two pages (per segment of a parallel
        /// scan). Needs a Tokio runtime, as the SDK does.
        pub fn stream(self) -> BoxStream<'static, Result<O>> {
            match self.plan() {
                Ok(plan) => plan.stream(),
                Err(e) => stream::once(async { Err(e) }).boxed(),
            }
        }

        /// DynamoDB's pages, each with the cursor after it (`None` for the
        /// pages of a parallel scan, which a cursor cannot resume).
        pub fn pages(self) -> BoxStream<'static, Result<Page<O>>> {
            match self.plan() {
                Ok(plan) => plan.pages(),
                Err(e) => stream::once(async { Err(e) }).boxed(),
            }
        }

        /// Up to `limit` items (or one DynamoDB page without a limit) and the
        /// cursor to continue after them. A scan must have one segment.
        pub async fn page(self) -> Result<Page<O>> {
            self.plan()?.page().await
        }

        /// Every matching item (up to `limit`).
        pub async fn all(self) -> Result<Vec<O>> {
            self.stream().try_collect().await
        }

        /// The first matching item.
        pub async fn first(self) -> Result<Option<O>> {
            self.limit(1).stream().try_next().await
        }

        /// The number of matching items (up to `limit`), without reading them.
        pub async fn count(self) -> Result<usize> {
            self.plan()?.count().await
        }
    };
}

/// The state of a [`Query`] before `.sort(…)`: the index can still be
/// chosen, and the sort-key condition given.
#[derive(Debug)]
pub enum NoSort {}

/// The state of a [`Query`] after `.sort(…)`: its sort-key condition is
/// given, so neither the index nor the condition can change.
#[derive(Debug)]
pub enum Sorted {}

/// The state of a [`Query`] of an index with a multi-attribute sort key
/// after `eq` conditions on its first `N` sort attributes: the next
/// condition is on attribute `N`.
#[derive(Debug)]
pub enum SortPrefix<const N: usize> {}

mod sealed {
    pub trait Sealed {}
    impl Sealed for super::NoSort {}
    impl<const N: usize> Sealed for super::SortPrefix<N> {}
}

/// What a sort-key condition on the field marked `Self` does to a query of
/// resource `R`'s table or index `I` in state `S`: the state after it.
///
/// `#[resource]` implements it for the sort key of the table and of each
/// index: one condition on a single sort key; on a multi-attribute sort key
/// (`sort_key = ["a", "b"]`), conditions on the attributes in order, `eq`
/// on each but the last one given.
#[diagnostic::on_unimplemented(
    message = "this condition cannot be the next key condition of the table or index being queried",
    label = "not a condition on the next sort-key attribute of the table or index being queried",
    note = "a key condition is one `eq`, `lt`, `le`, `gt`, `ge`, `between` or `begins_with` on the sort key; on a multi-attribute sort key, give conditions on its attributes in order, without skipping one, with `eq` on each but the last",
    note = "use `.filter(…)` for conditions on attributes that are not keys"
)]
pub trait SortStep<R, const I: usize, S> {
    /// The query's state after the condition.
    type Next;
}

impl<R, const I: usize, F: SortKeyOf<R, I>> SortStep<R, I, NoSort> for F {
    type Next = Sorted;
}

/// The state of a [`Query`] that has no sort-key condition yet ([`NoSort`]).
///
/// A sort-key condition belongs to the table or index being queried, so it
/// cannot outlive a change of index, and a query has one: `.index(…)` and
/// `.sort(…)` after `.sort(…)` do not compile, rather than drop a condition.
#[diagnostic::on_unimplemented(
    message = "this query already has its sort-key condition",
    label = "not allowed after `.sort(…)`",
    note = "choose the index before the condition on its sort key: `.index(…).sort(…)`",
    note = "a query takes one sort-key condition; use `between` for a range"
)]
pub trait Unsorted: sealed::Sealed {}

impl Unsorted for NoSort {}

impl<const N: usize> Unsorted for SortPrefix<N> {}

/// A query over one partition of a table (`I = 0`) or of secondary index
/// number `I`, reading items as `O` (the resource, or a projection). `S`
/// records whether it has its sort-key condition ([`NoSort`], [`Sorted`]).
#[must_use = "a query does nothing until read"]
pub struct Query<T, const I: usize = 0, O = T, S = NoSort> {
    table: Table<T>,
    /// The values of the partition key's fields, in order.
    partition: Vec<AttributeValue>,
    /// The sort-key conditions: one, or one per attribute given of a
    /// multi-attribute sort key.
    sort: Vec<Node>,
    /// Without a sort-key condition, keep to the items whose sort key
    /// starts as its template does (`USER#…`): true for a resource's own
    /// query, false for a collection's, which reads several entities.
    template_prefix: bool,
    forward: bool,
    options: Options<O>,
    _state: PhantomData<fn() -> S>,
}

impl<T: Resource, S> Query<T, 0, T, S> {
    /// Queries secondary index `J` instead of the table, with the same
    /// partition value. It compiles when the index's partition key has the
    /// table's partition key type (always, for a local index); otherwise
    /// start from the index: `table.index(handle).query(value)`.
    ///
    /// Everything set before is kept; a sort-key condition comes after it,
    /// since it must be on the index's sort key: `.index(h).sort(…)`.
    pub fn index<const J: usize>(self, index: Index<T, J>) -> Query<T, J, T>
    where
        T: HasIndex<J, PartitionKey = <T as Resource>::PartitionKey>,
        S: Unsorted,
    {
        let _ = index;
        Query {
            table: self.table,
            partition: self.partition,
            sort: Vec::new(),
            template_prefix: self.template_prefix,
            forward: self.forward,
            options: Options {
                index: Some(<T as HasIndex<J>>::INDEX),
                ..self.options
            },
            _state: PhantomData,
        }
    }
}

impl<T: Resource, const I: usize> Query<T, I, T> {
    pub(crate) fn new(
        table: Table<T>,
        index: Option<IndexDef>,
        partition: Vec<AttributeValue>,
    ) -> Self {
        Query {
            table,
            partition,
            sort: Vec::new(),
            template_prefix: true,
            forward: true,
            options: Options::<T>::new::<T>(index),
            _state: PhantomData,
        }
    }
}

impl<T: Resource, O> Query<T, 0, O> {
    /// A query of a collection: every entity in `entities` (values of
    /// `T`'s entity attribute), each item read by `decode`.
    pub(crate) fn collection(
        table: Table<T>,
        partition: Vec<AttributeValue>,
        entities: Vec<AttributeValue>,
        decode: fn(Item) -> Result<O, DecodeError>,
    ) -> Self {
        let filter = T::ENTITY.map(|e| Node::one_of(e.attribute, entities));
        Query {
            table,
            partition,
            sort: Vec::new(),
            template_prefix: false,
            forward: true,
            options: Options {
                index: None,
                filter,
                consistent: false,
                limit: None,
                page_size: None,
                start: None,
                decode,
                projection: None,
                progress: None,
            },
            _state: PhantomData,
        }
    }
}

impl<T: Resource, const I: usize, S> Query<T, I, T, S> {
    /// Reads projection `P` of each item instead of the whole item.
    pub fn project<P: Projection<Resource = T>>(self) -> Query<T, I, P, S> {
        Query {
            table: self.table,
            partition: self.partition,
            sort: self.sort,
            template_prefix: self.template_prefix,
            forward: self.forward,
            options: self.options.project::<P>(),
            _state: PhantomData,
        }
    }
}

impl<T: Resource, const I: usize, O: Send + 'static, S> Query<T, I, O, S> {
    common_options!();

    /// Keeps the items whose sort key satisfies `condition`: `eq`, `lt`,
    /// `le`, `gt`, `ge`, `between` or `begins_with` on the sort key of the
    /// table or index queried. A condition on any other attribute does not
    /// compile, and neither does a second condition.
    ///
    /// On a multi-attribute sort key (`sort_key = ["joined", "id"]`), call
    /// it once per attribute, in order: `eq` on each but the last one
    /// given, any of them on the last (`.sort(User::JOINED.eq(5))
    /// .sort(User::ID.begins_with("u"))`); skipping an attribute does not
    /// compile.
    pub fn sort<F: SortStep<T, I, S>>(self, condition: Condition<T, F>) -> Query<T, I, O, F::Next>
    where
        S: Unsorted,
    {
        let mut sort = self.sort;
        sort.push(condition.node);
        Query {
            table: self.table,
            partition: self.partition,
            sort,
            template_prefix: self.template_prefix,
            forward: self.forward,
            options: self.options,
            _state: PhantomData,
        }
    }

    /// Returns items in descending sort-key order.
    pub fn reverse(mut self) -> Self {
        self.forward = false;
        self
    }

    fn plan(mut self) -> Result<Plan<O>> {
        let name = self.table.name();
        let schema = T::KEY_SCHEMA;
        let (partition_keys, sort_keys): (&[KeyAttributeDef], &[KeyAttributeDef]) =
            match &self.options.index {
                Some(index) => (index.partition, index.sort),
                None => (
                    std::slice::from_ref(&schema.partition),
                    schema.sort.as_slice(),
                ),
            };
        let partition = partition_equalities::<T>(name, partition_keys, self.partition)?;
        if let Some(filter) = &self.options.filter {
            let mut paths = Vec::new();
            filter.paths(&mut paths);
            for key in partition_keys.iter().chain(sort_keys) {
                if paths.iter().any(|p| p.root == key.name) {
                    return Err(Error::validation(
                        name,
                        format!("a query filter cannot use key attribute `{}`; use a key condition (`sort`) instead", key.name),
                    ));
                }
            }
        }
        let sort = match (self.sort.len(), sort_keys) {
            (0, _) if self.template_prefix => template_prefix::<T>(sort_keys).into_iter().collect(),
            (1, [_]) => vec![sort_onto_key::<T>(name, sort_keys, self.sort.remove(0))?],
            _ => self.sort,
        };
        let span = read_span(
            operation_span!("dynamodb.query", "Query", name),
            &self.options,
        );
        record_key(&span, partition.iter().map(|(k, v)| (*k, v)));
        let mut p = Placeholders::default();
        let mut key_condition = String::new();
        for (key, value) in partition {
            if !key_condition.is_empty() {
                key_condition.push_str(" AND ");
            }
            key_condition.push_str(&DocPath::attribute(key).render(&mut p));
            key_condition.push_str(" = ");
            key_condition.push_str(&p.value(value));
        }
        for sort in &sort {
            key_condition.push_str(" AND ");
            sort.render(&mut p, &mut key_condition);
        }
        // Only the key condition has placeholders yet.
        let read = ReadId::query(&key_condition, p.names(), p.values());
        let binding = binding(&self.table, &self.options, read);
        let start = start_key(&binding, &self.options)?;
        let mut request = prepare(
            &self.table,
            &self.options,
            &mut p,
            Kind::Query { key_condition },
            binding,
            &span,
        )?;
        request.forward = self.forward;
        let request = finish_request(name, request, p)?;
        let reader = Reader::new(
            Arc::new(request),
            self.options.decode,
            start,
            self.options.limit,
        );
        Ok(Plan::new(
            name,
            vec![reader],
            self.options.limit,
            self.options.page_size,
        ))
    }

    terminals!();
}

/// The equality conditions on the partition key attributes of a query:
/// a templated key computed from the fields' values, a plain one the value
/// itself, the attributes of a multi-attribute key one value each.
fn partition_equalities<T: Resource>(
    table: &str,
    keys: &[KeyAttributeDef],
    parts: Vec<AttributeValue>,
) -> Result<Vec<(&'static str, AttributeValue)>> {
    let mismatch = || {
        Error::validation(
            table,
            "the partition value does not match the partition key's fields",
        )
    };
    let equalities = match keys {
        [key] => match computed(T::COMPUTED, key.name) {
            Some(computed) => {
                let fields: Vec<&str> = computed.template.fields().collect();
                if fields.len() != parts.len() {
                    return Err(mismatch());
                }
                let value = computed
                    .template
                    .render(|name| fields.iter().position(|f| *f == name).map(|i| &parts[i]))
                    .ok_or_else(mismatch)?;
                vec![(key.name, AttributeValue::S(value))]
            }
            None => vec![(key.name, parts.into_iter().next().ok_or_else(mismatch)?)],
        },
        keys if keys.len() == parts.len() => keys.iter().map(|k| k.name).zip(parts).collect(),
        _ => return Err(mismatch()),
    };
    for ((_, value), key) in equalities.iter().zip(keys) {
        validate::partition_value(table, key, value)?;
    }
    Ok(equalities)
}

/// A sort-key condition on a field of the sort key's template
/// (`User::ID.begins_with("u1")` for `USER#{id}`) as the same condition on
/// the key attribute (`begins_with(sk, "USER#u1")`); any other condition as
/// it is.
fn sort_onto_key<T: Resource>(table: &str, keys: &[KeyAttributeDef], node: Node) -> Result<Node> {
    let [key] = keys else {
        return Ok(node);
    };
    let Some(template) = computed(T::COMPUTED, key.name).map(|c| c.template) else {
        return Ok(node);
    };
    let Some((field, width)) = template.last_field() else {
        return Ok(node);
    };
    let prefix = template.prefix();
    node.onto_key(field, key.name, |value, is_prefix| {
        let mut out = prefix.clone();
        crate::value::write_key_part(&mut out, value, if is_prefix { 0 } else { width })?;
        Some(AttributeValue::S(out))
    })
    .ok_or_else(|| {
        Error::validation(
            table,
            format!("a sort-key condition on `{}` must be on field `{field}` of its template `{template}`", key.name),
        )
    })
}

/// Without a sort-key condition, the condition a sort key's template
/// implies: its value for a constant template (`ORG`), items whose key
/// starts with its text for one that starts with text (`USER#…`).
fn template_prefix<T: Resource>(keys: &[KeyAttributeDef]) -> Option<Node> {
    let [key] = keys else {
        return None;
    };
    let template = computed(T::COMPUTED, key.name)?.template;
    let prefix = template.prefix();
    if template.is_constant() {
        Some(Node::equals(key.name, AttributeValue::S(prefix)))
    } else {
        (!prefix.is_empty()).then(|| Node::begins_with(key.name, AttributeValue::S(prefix)))
    }
}

impl<T, const I: usize, O, S> fmt::Debug for Query<T, I, O, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Query")
            .field("table", &self.table.name())
            .field("partition", &self.partition)
            .field("sort", &self.sort)
            .field("forward", &self.forward)
            .field("options", &self.options)
            .finish()
    }
}

/// A scan of a whole table (`I = 0`) or of secondary index number `I`,
/// reading items as `O`.
#[must_use = "a scan does nothing until read"]
pub struct Scan<T, const I: usize = 0, O = T> {
    table: Table<T>,
    segments: usize,
    options: Options<O>,
    _marker: PhantomData<fn() -> T>,
}

impl<T: Resource> Scan<T, 0, T> {
    /// Scans secondary index `J` instead of the table.
    pub fn index<const J: usize>(self, index: Index<T, J>) -> Scan<T, J, T>
    where
        T: HasIndex<J>,
    {
        let _ = index;
        Scan {
            table: self.table,
            segments: self.segments,
            options: Options {
                index: Some(<T as HasIndex<J>>::INDEX),
                ..self.options
            },
            _marker: PhantomData,
        }
    }
}

impl<T: Resource, const I: usize> Scan<T, I, T> {
    pub(crate) fn new(table: Table<T>, index: Option<IndexDef>) -> Self {
        Scan {
            table,
            segments: 1,
            options: Options::<T>::new::<T>(index),
            _marker: PhantomData,
        }
    }

    /// Reads projection `P` of each item instead of the whole item.
    pub fn project<P: Projection<Resource = T>>(self) -> Scan<T, I, P> {
        Scan {
            table: self.table,
            segments: self.segments,
            options: self.options.project::<P>(),
            _marker: PhantomData,
        }
    }
}

impl<T: Resource, const I: usize, O: Send + 'static> Scan<T, I, O> {
    common_options!();

    /// Scans in `n` parallel segments (at most 1,000,000). Items of
    /// different segments interleave in the order their pages arrive: a
    /// parallel scan has no order. `page()` and `start()` need one segment.
    pub fn segments(mut self, n: usize) -> Self {
        self.segments = n.clamp(1, 1_000_000);
        self
    }

    fn plan(self) -> Result<Plan<O>> {
        let name = self.table.name();
        let total = self.segments;
        if total > 1 && self.options.start.is_some() {
            return Err(Error::validation(
                name,
                "a cursor cannot start a parallel scan; use one segment",
            ));
        }
        let binding = binding(&self.table, &self.options, ReadId::Scan);
        let start = start_key(&binding, &self.options)?;
        // The limit applies to the whole scan, not to each segment.
        let limit = if total > 1 { None } else { self.options.limit };
        let span = read_span(
            operation_span!("dynamodb.scan", "Scan", name),
            &self.options,
        );
        let readers = (0..total)
            .map(|segment| {
                let mut p = Placeholders::default();
                let kind = Kind::Scan {
                    // `segments` clamps to 1,000,000, well within `i32`.
                    segment: (total > 1).then_some((segment as i32, total as i32)),
                };
                let request = prepare(
                    &self.table,
                    &self.options,
                    &mut p,
                    kind,
                    binding.clone(),
                    &span,
                )?;
                let request = finish_request(name, request, p)?;
                Ok(Reader::new(
                    Arc::new(request),
                    self.options.decode,
                    start.clone(),
                    limit,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Plan::new(
            name,
            readers,
            self.options.limit,
            self.options.page_size,
        ))
    }

    terminals!();
}

impl<T, const I: usize, O> fmt::Debug for Scan<T, I, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scan")
            .field("table", &self.table.name())
            .field("segments", &self.segments)
            .field("options", &self.options)
            .finish()
    }
}
