//! [`BatchGet`]: many items by key through `BatchGetItem`.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::future::IntoFuture;
use std::marker::PhantomData;

use aws_sdk_dynamodb::types::{KeysAndAttributes, ReturnConsumedCapacity};
use aws_sdk_dynamodb::Client;
use tokio::task::JoinSet;
use tracing::{Instrument, Span};

use super::{RetryPolicy, DEFAULT_CONCURRENCY, MAX_KEYS_PER_REQUEST};
use crate::error::{Error, Result};
use crate::expr::Placeholders;
use crate::observe::span::{operation_span, record_capacity};
use crate::observe::{Access, CapacityFuture, ConsumedCapacity, Operation, Sealed, WithCapacity};
use crate::resource::{IntoKey, Projection, Resource, ResourceKey};
use crate::table::{BoxFuture, Table};
use crate::validate;
use crate::value::{Item, KeyId};

impl<T: Resource> Table<T> {
    /// Reads the items with `keys` through `BatchGetItem` (chunks of 100,
    /// duplicates removed, unprocessed keys retried); await it for the items
    /// found.
    pub fn batch_get<K: IntoKey<T>>(&self, keys: impl IntoIterator<Item = K>) -> BatchGet<'_, T> {
        BatchGet::new(self, keys.into_iter().map(IntoKey::into_key).collect())
    }
}

/// Reads many items by key through `BatchGetItem`. Made by
/// [`Table::batch_get`]; await it for the items found, as a `Vec<T>`.
///
/// Keys are de-duplicated and sent in requests of 100, several in flight
/// ([`concurrency`](BatchGet::concurrency)); keys DynamoDB leaves
/// unprocessed, throttling and transport errors are retried by the
/// [`RetryPolicy`]. If keys are still unread when it gives up, the read
/// fails with [`Error::is_incomplete`]. Keys without an item are simply
/// absent from the result, which comes in no particular order unless
/// [`in_request_order`](BatchGet::in_request_order) is asked for.
#[must_use = "a batch get does nothing until awaited"]
pub struct BatchGet<'a, T: Resource> {
    table: &'a Table<T>,
    keys: Vec<T::Key>,
    ordered: bool,
    consistent: bool,
    policy: RetryPolicy,
    concurrency: usize,
}

impl<'a, T: Resource> BatchGet<'a, T> {
    fn new(table: &'a Table<T>, keys: Vec<T::Key>) -> Self {
        BatchGet {
            table,
            keys,
            ordered: false,
            consistent: false,
            policy: RetryPolicy::default(),
            concurrency: DEFAULT_CONCURRENCY,
        }
    }

    /// Returns the items in the order of their keys' first appearance
    /// (missing items are skipped).
    pub fn in_request_order(mut self) -> Self {
        self.ordered = true;
        self
    }

    /// Uses strongly consistent reads.
    pub fn consistent(mut self) -> Self {
        self.consistent = true;
        self
    }

    /// How unprocessed keys and retryable errors are retried.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// How many requests may be in flight at once (at least 1).
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.concurrency = requests.max(1);
        self
    }

    /// Reads only the attributes of projection `P` and returns `P`s.
    pub fn project<P: Projection<Resource = T>>(self) -> BatchGetProjection<'a, T, P> {
        BatchGetProjection {
            get: self,
            _marker: PhantomData,
        }
    }

    /// Asks DynamoDB for the capacity the reads consume and returns it
    /// with the items: `(Vec<T>, ConsumedCapacity)`, summed over every
    /// request.
    pub fn capacity(self) -> WithCapacity<'a, Self> {
        WithCapacity::new(self)
    }

    /// The items found, raw, with the key attributes always read, and the
    /// capacity consumed (empty unless `capacity`). Runs in a
    /// `dynamodb.batch_get` span.
    async fn fetch(
        self,
        projection: &[&str],
        capacity: bool,
    ) -> Result<(Vec<Item>, ConsumedCapacity)> {
        let table = self.table.name();
        let span = operation_span!("dynamodb.batch_get", "BatchGetItem", table);
        let mut totals = Totals::default();
        let result = self
            .fetch_in(projection, capacity, &span, &mut totals)
            .await;
        if !span.is_disabled() {
            span.record("resourceful.requests", totals.requests);
            span.record("resourceful.retries", totals.retries);
            if let Ok(found) = &result {
                span.record("db.response.returned_rows", found.len());
            }
            if totals.unprocessed > 0 {
                span.record("resourceful.unprocessed", totals.unprocessed);
            }
            if capacity {
                record_capacity(&span, &totals.capacity);
            }
        }
        result.map(|found| (found, totals.capacity))
    }

    async fn fetch_in(
        self,
        projection: &[&str],
        capacity: bool,
        span: &Span,
        totals: &mut Totals,
    ) -> Result<Vec<Item>> {
        let table = self.table.name();
        let schema = T::KEY_SCHEMA;
        let mut seen = HashSet::with_capacity(self.keys.len());
        let mut order = Vec::with_capacity(self.keys.len());
        let mut keys = Vec::with_capacity(self.keys.len());
        for key in &self.keys {
            let item = key.to_key_item();
            validate::key(table, &schema, &item)?;
            let id = KeyId::of(&schema, &item);
            if seen.insert(id.clone()) {
                order.push(id);
                keys.push(item);
            }
        }
        let projection = (!projection.is_empty()).then(|| {
            let mut p = Placeholders::default();
            let key_names =
                std::iter::once(schema.partition.name).chain(schema.sort.map(|s| s.name));
            let mut names: Vec<&str> = key_names.collect();
            for name in projection {
                if !names.contains(name) {
                    names.push(name);
                }
            }
            let expression = names
                .iter()
                .map(|name| p.name(name))
                .collect::<Vec<_>>()
                .join(", ");
            (expression, p.into_request_maps().0)
        });
        let mut chunks = keys.chunks(MAX_KEYS_PER_REQUEST).map(<[Item]>::to_vec);
        let mut tasks = JoinSet::new();
        let mut found = Vec::with_capacity(keys.len());
        loop {
            while tasks.len() < self.concurrency {
                let Some(chunk) = chunks.next() else { break };
                let request = ChunkRequest {
                    client: self.table.client().clone(),
                    table: table.to_owned(),
                    policy: self.policy,
                    consistent: self.consistent,
                    capacity,
                    projection: projection.clone(),
                };
                tasks.spawn(get_chunk(request, chunk).instrument(span.clone()));
            }
            match tasks.join_next().await {
                Some(Ok(outcome)) => {
                    totals.requests += outcome.requests;
                    totals.retries += outcome.requests.saturating_sub(1);
                    totals.unprocessed += outcome.unprocessed;
                    totals.capacity += &outcome.capacity;
                    found.extend(outcome.items?);
                }
                Some(Err(e)) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                Some(Err(_)) => unreachable!("batch get tasks are cancelled only on drop"),
                None => break,
            }
        }
        if self.ordered {
            let mut by_key: HashMap<KeyId, Item> = found
                .into_iter()
                .map(|item| (KeyId::of(&schema, &item), item))
                .collect();
            found = order.iter().filter_map(|id| by_key.remove(id)).collect();
        }
        Ok(found)
    }
}

/// What a batch get has done so far, for its span and its capacity.
#[derive(Default)]
struct Totals {
    requests: u64,
    retries: u64,
    unprocessed: usize,
    capacity: ConsumedCapacity,
}

/// What one chunk's task needs besides its keys.
struct ChunkRequest {
    client: Client,
    table: String,
    policy: RetryPolicy,
    consistent: bool,
    capacity: bool,
    projection: Option<(String, Option<HashMap<String, String>>)>,
}

/// What one chunk's task reports: the items read (or why it failed), the
/// requests it sent, the keys it gave up on and the capacity consumed.
struct ChunkOutcome {
    items: Result<Vec<Item>>,
    requests: u64,
    unprocessed: usize,
    capacity: ConsumedCapacity,
}

/// Sends one chunk of keys, retrying unprocessed keys and retryable errors.
async fn get_chunk(request: ChunkRequest, mut keys: Vec<Item>) -> ChunkOutcome {
    let ChunkRequest {
        client,
        table,
        policy,
        consistent,
        capacity,
        projection,
    } = request;
    let capacity = capacity.then_some(ReturnConsumedCapacity::Indexes);
    let mut consumed = ConsumedCapacity::default();
    let mut found = Vec::with_capacity(keys.len());
    let mut requests = 0;
    let mut attempt = 0;
    let mut error: Option<Error>;
    let outcome = |items, requests, unprocessed, capacity| ChunkOutcome {
        items,
        requests,
        unprocessed,
        capacity,
    };
    let started = std::time::Instant::now();
    loop {
        attempt += 1;
        let (expression, names) = projection.clone().unzip();
        let keys_and_attributes = KeysAndAttributes::builder()
            .set_keys(Some(keys.clone()))
            .consistent_read(consistent)
            .set_projection_expression(expression)
            .set_expression_attribute_names(names.flatten())
            .build()
            .map_err(|e| Error::validation(&table, e.to_string()));
        let keys_and_attributes = match keys_and_attributes {
            Ok(k) => k,
            Err(e) => return outcome(Err(e), requests, 0, consumed),
        };
        requests += 1;
        let result = client
            .batch_get_item()
            .request_items(&table, keys_and_attributes)
            .set_return_consumed_capacity(capacity.clone())
            .customize()
            .config_override(RetryPolicy::sdk_override())
            .send()
            .await
            .map_err(|e| Error::sdk(Some(&table), e));
        match result {
            Ok(mut output) => {
                consumed.add_reported(
                    Access::Read,
                    output.consumed_capacity.as_deref().unwrap_or_default(),
                );
                if let Some(items) = output.responses.as_mut().and_then(|r| r.remove(&table)) {
                    found.extend(items);
                }
                keys = output
                    .unprocessed_keys
                    .as_mut()
                    .and_then(|u| u.remove(&table))
                    .map(|k| k.keys)
                    .unwrap_or_default();
                error = None;
            }
            Err(e) if e.is_retryable() => error = Some(e),
            Err(e) => return outcome(Err(e), requests, 0, consumed),
        }
        if keys.is_empty() {
            return outcome(Ok(found), requests, 0, consumed);
        }
        let Some(delay) = policy.next_delay(attempt, started.elapsed()) else {
            break;
        };
        tracing::debug!(
            target: "resourceful",
            attempt,
            keys = keys.len(),
            delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
            error = error.as_ref().map(tracing::field::display),
            "retrying batch get keys",
        );
        tokio::time::sleep(delay).await;
    }
    tracing::warn!(
        target: "resourceful",
        attempts = attempt,
        keys = keys.len(),
        error = error.as_ref().map(tracing::field::display),
        "giving up on batch get keys; the batch get fails as incomplete",
    );
    let unread = keys.len();
    let error = Error::incomplete(
        &table,
        format!("{unread} keys were still unread after {attempt} attempts"),
        error,
    );
    outcome(Err(error), requests, unread, consumed)
}

impl<'a, T: Resource> BatchGet<'a, T> {
    async fn run(self, capacity: bool) -> Result<(Vec<T>, ConsumedCapacity)> {
        let table = self.table.name();
        let (items, consumed) = self.fetch(&[], capacity).await?;
        let items = items
            .into_iter()
            .map(|item| T::from_item(item).map_err(|e| Error::decode(table, e)))
            .collect::<Result<_>>()?;
        Ok((items, consumed))
    }
}

impl<T: Resource> Sealed for BatchGet<'_, T> {}

impl<'a, T: Resource> Operation<'a> for BatchGet<'a, T> {
    type Output = Vec<T>;
    fn send_with(self, capacity: bool) -> CapacityFuture<'a, Vec<T>> {
        Box::pin(self.run(capacity))
    }
}

impl<'a, T: Resource> IntoFuture for BatchGet<'a, T> {
    type Output = Result<Vec<T>>;
    type IntoFuture = BoxFuture<'a, Result<Vec<T>>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.run(false).await.map(|(items, _)| items) })
    }
}

/// A [`BatchGet`] that reads a projection `P` of each item. Await it.
#[must_use = "a batch get does nothing until awaited"]
pub struct BatchGetProjection<'a, T: Resource, P> {
    get: BatchGet<'a, T>,
    _marker: PhantomData<fn() -> P>,
}

impl<'a, T: Resource, P: Projection<Resource = T>> BatchGetProjection<'a, T, P> {
    /// Asks DynamoDB for the capacity the reads consume and returns it
    /// with the projections: `(Vec<P>, ConsumedCapacity)`.
    pub fn capacity(self) -> WithCapacity<'a, Self> {
        WithCapacity::new(self)
    }

    async fn run(self, capacity: bool) -> Result<(Vec<P>, ConsumedCapacity)> {
        let table = self.get.table.name();
        let (items, consumed) = self.get.fetch(P::ATTRIBUTES, capacity).await?;
        let items = items
            .into_iter()
            .map(|item| P::from_item(item).map_err(|e| Error::decode(table, e)))
            .collect::<Result<_>>()?;
        Ok((items, consumed))
    }
}

impl<T: Resource, P> Sealed for BatchGetProjection<'_, T, P> {}

impl<'a, T: Resource, P: Projection<Resource = T>> Operation<'a> for BatchGetProjection<'a, T, P> {
    type Output = Vec<P>;
    fn send_with(self, capacity: bool) -> CapacityFuture<'a, Vec<P>> {
        Box::pin(self.run(capacity))
    }
}

impl<'a, T: Resource, P: Projection<Resource = T>> IntoFuture for BatchGetProjection<'a, T, P> {
    type Output = Result<Vec<P>>;
    type IntoFuture = BoxFuture<'a, Result<Vec<P>>>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { self.run(false).await.map(|(items, _)| items) })
    }
}

impl<T: Resource> fmt::Debug for BatchGet<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchGet")
            .field("table", &self.table.name())
            .field("keys", &self.keys.len())
            .field("ordered", &self.ordered)
            .field("consistent", &self.consistent)
            .field("policy", &self.policy)
            .field("concurrency", &self.concurrency)
            .finish()
    }
}

impl<T: Resource, P> fmt::Debug for BatchGetProjection<'_, T, P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchGetProjection")
            .field("get", &self.get)
            .field("projection", &std::any::type_name::<P>())
            .finish()
    }
}
