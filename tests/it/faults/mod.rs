//! Operations under injected faults: an HTTP client wrapped around the real
//! one answers a share of requests with a fault instead of (or after)
//! forwarding them: partly unprocessed items or keys (batches), throttling,
//! a dropped connection (before the request reaches the server, or after
//! the server applied it and before the answer arrives), a 5xx, an answer
//! slower than the client's timeout, a truncated or malformed body.
//!
//! This module holds the client and the batch tests; by default only batch
//! requests meet faults, and the SDK's own retries are disabled on the
//! faulty client (`RetryConfig::disabled()`), so that every fault reaches
//! the batch code and what is tested is its retry policy, not the SDK's.
//! [`every_operation`] faults every operation type, with the SDK's retries
//! on as a default client has them; [`retried_writes`] tests conditional
//! writes whose answer was lost.
//!
//! "Exactly once": a write whose connection dropped after the server applied
//! it is sent again, and applied again. Puts and deletes are idempotent and
//! the writer never has two writes to one key in flight, so the table ends
//! up exactly as if every write had landed once, which is what these tests
//! compare.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

mod every_operation;
mod retried_writes;

use std::time::Duration;

use crate::common::{scan_all, Fixture};
use aws_sdk_dynamodb::config::retry::RetryConfig;
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::result::ConnectorError;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::byte_stream::ByteStream;
use resourceful::batch::{RetryPolicy, Write};
use resourceful::prelude::*;
use serde_json::{json, Value};

#[resource(service = "dynamodb", table = "events", key = "id")]
#[derive(Debug, Clone, PartialEq)]
struct Event {
    id: u32,
    body: String,
}

fn event(id: u32, round: u32) -> Event {
    Event {
        id,
        body: format!("event {id} round {round}"),
    }
}

/// What to do with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Pass,
    /// Forward half the items or keys and report the rest unprocessed
    /// (batches only; other requests pass).
    Unprocessed,
    /// `ProvisionedThroughputExceededException` or `ThrottlingException`.
    Throttle,
    /// The connection drops before the request reaches the server.
    DropBefore,
    /// The server applies the request, then the connection drops.
    DropAfter,
    /// The server applies the request, then the answer is a 500.
    ServerError,
    /// A 503 in place of the request, which is not forwarded.
    Unavailable,
    /// The server applies the request, and the answer comes after the
    /// client's attempt timeout.
    Slow,
    /// The server's answer cut in half.
    Truncated,
    /// The server's answer replaced by a body that is not JSON.
    Malformed,
}

const FAULTS: [Fault; 9] = [
    Fault::Unprocessed,
    Fault::Throttle,
    Fault::DropBefore,
    Fault::DropAfter,
    Fault::ServerError,
    Fault::Unavailable,
    Fault::Slow,
    Fault::Truncated,
    Fault::Malformed,
];

/// Percentages of requests that get each fault.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shares {
    pub(crate) unprocessed: u64,
    pub(crate) throttle: u64,
    pub(crate) drop_before: u64,
    pub(crate) drop_after: u64,
    pub(crate) server_error: u64,
    pub(crate) unavailable: u64,
    pub(crate) slow: u64,
    pub(crate) truncated: u64,
    pub(crate) malformed: u64,
}

impl Shares {
    fn of(&self, fault: Fault) -> u64 {
        match fault {
            Fault::Pass => 0,
            Fault::Unprocessed => self.unprocessed,
            Fault::Throttle => self.throttle,
            Fault::DropBefore => self.drop_before,
            Fault::DropAfter => self.drop_after,
            Fault::ServerError => self.server_error,
            Fault::Unavailable => self.unavailable,
            Fault::Slow => self.slow,
            Fault::Truncated => self.truncated,
            Fault::Malformed => self.malformed,
        }
    }
}

#[derive(Debug, Default)]
struct Counts {
    faults: BTreeMap<String, u64>,
    /// Requests by operation (`PutItem`, …) and fault (`Pass` for none).
    by_operation: BTreeMap<(String, String), u64>,
}

#[derive(Debug)]
pub(crate) struct State {
    seed: AtomicU64,
    shares: Shares,
    /// Fault every operation, not only batch requests.
    every_operation: bool,
    /// How late a `Slow` answer comes.
    slow: Duration,
    /// When not empty, the faults of the requests in turn (cycled), in
    /// place of the shares' rolls.
    script: Vec<Fault>,
    counts: Mutex<Counts>,
    /// Requests seen, for the script.
    requests: AtomicU64,
    /// Batch requests sent and not yet answered, and the most at once.
    in_flight: AtomicU64,
    max_in_flight: AtomicU64,
}

/// Counts a batch request as in flight until dropped.
struct InFlight(Arc<State>);

impl InFlight {
    fn new(state: &Arc<State>) -> Self {
        let now = state.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        state.max_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(state.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

impl State {
    /// A deterministic choice: an LCG stepped once per faulted request.
    /// (With concurrent requests, which request gets which roll depends on
    /// their order; the sequence of rolls is the seed's.)
    fn choose(&self, operation: &str, batch: bool) -> Fault {
        let step = |s: u64| {
            s.wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407)
        };
        let previous = self
            .seed
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |s| Some(step(s)))
            .unwrap();
        let roll = (step(previous) >> 33) % 100;
        let mut bound = 0;
        let mut fault = Fault::Pass;
        if !self.script.is_empty() {
            let n = self.requests.fetch_add(1, Ordering::SeqCst) as usize;
            fault = self.script[n % self.script.len()];
        }
        for candidate in FAULTS.into_iter().filter(|_| self.script.is_empty()) {
            bound += self.shares.of(candidate);
            if roll < bound {
                fault = candidate;
                break;
            }
        }
        if fault == Fault::Unprocessed && !batch {
            // Only a batch can leave items unprocessed.
            fault = Fault::Pass;
        }
        let mut counts = self.counts.lock().unwrap();
        *counts.faults.entry(format!("{fault:?}")).or_default() += 1;
        *counts
            .by_operation
            .entry((operation.to_owned(), format!("{fault:?}")))
            .or_default() += 1;
        fault
    }

    /// Requests by operation and fault.
    pub(crate) fn by_operation(&self) -> BTreeMap<(String, String), u64> {
        self.counts.lock().unwrap().by_operation.clone()
    }
}

#[derive(Debug, Clone)]
struct FaultyClient {
    inner: SharedHttpClient,
    state: Arc<State>,
}

impl HttpClient for FaultyClient {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(FaultyConnector {
            inner: self.inner.http_connector(settings, components),
            state: self.state.clone(),
        })
    }
}

#[derive(Debug, Clone)]
struct FaultyConnector {
    inner: SharedHttpConnector,
    state: Arc<State>,
}

#[derive(Clone, Copy)]
enum Op {
    Write,
    Get,
}

fn json_response(status: u16, body: &Value) -> HttpResponse {
    let bytes = serde_json::to_vec(body).unwrap();
    let mut response = HttpResponse::new(status.try_into().unwrap(), SdkBody::from(bytes.clone()));
    response
        .headers_mut()
        .insert("content-type", "application/x-amz-json-1.0");
    response
        .headers_mut()
        .insert("content-length", bytes.len().to_string());
    response
}

fn dropped(when: &str) -> ConnectorError {
    ConnectorError::io(format!("injected fault: connection dropped {when}").into())
}

/// Splits the request's items (or keys) in two halves: the request keeps
/// the first, the second is returned in DynamoDB's "unprocessed" shape.
fn split(op: Op, request: &mut Value) -> Value {
    let items = request["RequestItems"].as_object_mut().unwrap();
    let (table, entry) = items.iter_mut().next().unwrap();
    let table = table.clone();
    match op {
        Op::Write => {
            let list = entry.as_array_mut().unwrap();
            let rest = list.split_off(list.len() / 2);
            json!({ table: rest })
        }
        Op::Get => {
            let list = entry["Keys"].as_array_mut().unwrap();
            let rest = list.split_off(list.len() / 2);
            let mut unprocessed = entry.clone();
            unprocessed["Keys"] = Value::Array(rest);
            json!({ table: unprocessed })
        }
    }
}

impl HttpConnector for FaultyConnector {
    fn call(&self, mut request: HttpRequest) -> HttpConnectorFuture {
        let target = request
            .headers()
            .get("x-amz-target")
            .unwrap_or_default()
            .to_owned();
        let operation = target.rsplit('.').next().unwrap_or_default().to_owned();
        let op = match operation.as_str() {
            "BatchWriteItem" => Some(Op::Write),
            "BatchGetItem" => Some(Op::Get),
            _ => None,
        };
        if op.is_none() && !self.state.every_operation {
            return self.inner.call(request);
        }
        let inner = self.inner.clone();
        let state = self.state.clone();
        match self.state.choose(&operation, op.is_some()) {
            Fault::Pass => {
                let gauge = InFlight::new(&self.state);
                HttpConnectorFuture::new(async move {
                    let response = inner.call(request).await;
                    drop(gauge);
                    response
                })
            }
            Fault::Throttle => {
                // Both of DynamoDB's throttling codes, alternately, for
                // single requests; batches get the one they meet in practice.
                let code = if op.is_some()
                    || (state.seed.load(Ordering::Relaxed) >> 40).is_multiple_of(2)
                {
                    "ProvisionedThroughputExceededException"
                } else {
                    "ThrottlingException"
                };
                HttpConnectorFuture::ready(Ok(json_response(
                    400,
                    &json!({
                        "__type": format!("com.amazonaws.dynamodb.v20120810#{code}"),
                        "message": "injected fault: throttled",
                    }),
                )))
            }
            Fault::Unavailable => HttpConnectorFuture::ready(Ok(json_response(
                503,
                &json!({
                    "__type": "com.amazonaws.dynamodb.v20120810#ServiceUnavailable",
                    "message": "injected fault: unavailable",
                }),
            ))),
            Fault::DropBefore => HttpConnectorFuture::ready(Err(dropped("before sending"))),
            Fault::DropAfter => HttpConnectorFuture::new(async move {
                answer(&inner, request).await?;
                Err(dropped("after the server answered"))
            }),
            Fault::ServerError => HttpConnectorFuture::new(async move {
                answer(&inner, request).await?;
                Ok(json_response(
                    500,
                    &json!({
                        "__type": "com.amazonaws.dynamodb.v20120810#InternalServerError",
                        "message": "injected fault: internal error after applying",
                    }),
                ))
            }),
            Fault::Slow => HttpConnectorFuture::new(async move {
                let (status, bytes) = answer(&inner, request).await?;
                tokio::time::sleep(state.slow).await;
                Ok(raw_response(status, bytes))
            }),
            Fault::Truncated => HttpConnectorFuture::new(async move {
                let (status, mut bytes) = answer(&inner, request).await?;
                bytes.truncate(bytes.len() / 2);
                Ok(raw_response(status, bytes))
            }),
            Fault::Malformed => HttpConnectorFuture::new(async move {
                let (status, _) = answer(&inner, request).await?;
                Ok(raw_response(
                    status,
                    b"<html>502 Bad Gateway</html>, or so".to_vec(),
                ))
            }),
            Fault::Unprocessed => {
                let op = op.expect("a batch");
                let mut body: Value =
                    serde_json::from_slice(request.body().bytes().expect("in-memory body"))
                        .unwrap();
                let unprocessed = split(op, &mut body);
                let field = match op {
                    Op::Write => "UnprocessedItems",
                    Op::Get => "UnprocessedKeys",
                };
                let table = body["RequestItems"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .next()
                    .unwrap()
                    .clone();
                let forwarded = match op {
                    Op::Write => body["RequestItems"][&table].as_array().unwrap().len(),
                    Op::Get => body["RequestItems"][&table]["Keys"]
                        .as_array()
                        .unwrap()
                        .len(),
                };
                if forwarded == 0 {
                    let answer = match op {
                        Op::Write => json!({ field: unprocessed }),
                        Op::Get => json!({ "Responses": { &table: [] }, field: unprocessed }),
                    };
                    return HttpConnectorFuture::ready(Ok(json_response(200, &answer)));
                }
                let bytes = serde_json::to_vec(&body).unwrap();
                request
                    .headers_mut()
                    .insert("content-length", bytes.len().to_string());
                *request.body_mut() = SdkBody::from(bytes);
                HttpConnectorFuture::new(async move {
                    let (status, bytes) = answer(&inner, request).await?;
                    let mut answer: Value = serde_json::from_slice(&bytes).unwrap();
                    if status == 200 {
                        merge(&mut answer, field, &table, op, unprocessed);
                    }
                    Ok(json_response(status, &answer))
                })
            }
        }
    }
}

/// Forwards `request` and reads the whole answer: the server applied it.
async fn answer(
    inner: &SharedHttpConnector,
    request: HttpRequest,
) -> Result<(u16, Vec<u8>), ConnectorError> {
    let response = inner.call(request).await?;
    let status = response.status().as_u16();
    let bytes = ByteStream::new(response.into_body())
        .collect()
        .await
        .map_err(|e| ConnectorError::io(e.into()))?
        .into_bytes();
    Ok((status, bytes.to_vec()))
}

fn raw_response(status: u16, bytes: Vec<u8>) -> HttpResponse {
    let length = bytes.len();
    let mut response = HttpResponse::new(status.try_into().unwrap(), SdkBody::from(bytes));
    response
        .headers_mut()
        .insert("content-type", "application/x-amz-json-1.0");
    response
        .headers_mut()
        .insert("content-length", length.to_string());
    response
}

/// Adds the held-back half to the server's own unprocessed items or keys.
fn merge(answer: &mut Value, field: &str, table: &str, op: Op, unprocessed: Value) {
    let held = unprocessed[table].clone();
    let slot = answer
        .as_object_mut()
        .unwrap()
        .entry(field)
        .or_insert_with(|| json!({}));
    match (op, slot.get_mut(table)) {
        (Op::Write, Some(existing)) => existing
            .as_array_mut()
            .unwrap()
            .extend(held.as_array().unwrap().iter().cloned()),
        (Op::Get, Some(existing)) => existing["Keys"]
            .as_array_mut()
            .unwrap()
            .extend(held["Keys"].as_array().unwrap().iter().cloned()),
        (_, None) => {
            slot[table] = held;
        }
    }
}

/// A table client whose batch requests meet faults, with the SDK's retries off.
pub(crate) fn faulty<T: Resource>(
    table: &Table<T>,
    seed: u64,
    shares: Shares,
) -> (Table<T>, Arc<State>) {
    faulty_with(table, seed, shares, RetryConfig::disabled())
}

/// The same, with the SDK's retries as `retries` says.
fn faulty_with<T: Resource>(
    table: &Table<T>,
    seed: u64,
    shares: Shares,
    retries: RetryConfig,
) -> (Table<T>, Arc<State>) {
    let state = new_state(seed, shares, false, Duration::ZERO);
    let client = faulty_client(table.client(), &state, retries, None);
    (Table::named(&client, table.name().to_owned()), state)
}

fn new_state(seed: u64, shares: Shares, every_operation: bool, slow: Duration) -> Arc<State> {
    Arc::new(State {
        seed: AtomicU64::new(seed),
        shares,
        every_operation,
        slow,
        script: Vec::new(),
        counts: Mutex::default(),
        requests: AtomicU64::new(0),
        in_flight: AtomicU64::new(0),
        max_in_flight: AtomicU64::new(0),
    })
}

/// A client like `client` whose requests go through the faulty HTTP client
/// of `state`, with `retries` and, when given, an attempt timeout.
fn faulty_client(
    client: &aws_sdk_dynamodb::Client,
    state: &Arc<State>,
    retries: RetryConfig,
    attempt_timeout: Option<Duration>,
) -> aws_sdk_dynamodb::Client {
    use aws_sdk_dynamodb::config::retry::{RetryPartition, TokenBucket};
    use aws_sdk_dynamodb::config::timeout::TimeoutConfig;
    let http = FaultyClient {
        inner: aws_smithy_http_client::Builder::new().build_http(),
        state: state.clone(),
    };
    let mut config = client
        .config()
        .to_builder()
        .http_client(http)
        .retry_config(retries)
        // A retry quota of its own per client, so that one test's faults do
        // not use up another's (the default partition is shared).
        .retry_partition(
            RetryPartition::custom(format!("faults-{:p}", Arc::as_ptr(state)))
                .token_bucket(TokenBucket::unlimited())
                .build(),
        );
    if let Some(timeout) = attempt_timeout {
        config = config.timeout_config(
            TimeoutConfig::builder()
                .operation_attempt_timeout(timeout)
                .build(),
        );
    }
    aws_sdk_dynamodb::Client::from_conf(config.build())
}

async fn contents(table: &Table<Event>) -> BTreeMap<u32, Event> {
    scan_all(table)
        .await
        .into_iter()
        .map(|e| (e.id, e))
        .collect()
}

pub(crate) fn fast_retries() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(30)
        .base_delay(std::time::Duration::from_millis(1))
        .max_delay(std::time::Duration::from_millis(20))
}

pub(crate) const NO_FAULTS: Shares = Shares {
    unprocessed: 0,
    throttle: 0,
    drop_before: 0,
    drop_after: 0,
    server_error: 0,
    unavailable: 0,
    slow: 0,
    truncated: 0,
    malformed: 0,
};

const EVERY_FAULT: Shares = Shares {
    unprocessed: 20,
    throttle: 10,
    drop_before: 10,
    drop_after: 10,
    ..NO_FAULTS
};

#[tokio::test]
async fn every_write_lands_exactly_once_despite_faults() {
    let fx = Fixture::<Event>::new("faults-write").await;
    // Seeded items, some of which the faulty writer deletes.
    let mut seed = fx.table.batch_writer();
    for id in 0..300 {
        seed.put(event(id, 0)).await.unwrap();
    }
    seed.finish().await.unwrap();

    let (faulty_table, state) = faulty(&fx.table, 42, EVERY_FAULT);
    let mut expected: BTreeMap<u32, Event> = (0..300).map(|id| (id, event(id, 0))).collect();
    let mut writer = faulty_table
        .batch_writer()
        .retry(fast_retries())
        .concurrency(6);
    let mut rng = 1u64;
    for round in 1..=3000u32 {
        rng = rng.wrapping_mul(6364136223846793005).wrapping_add(1);
        let id = ((rng >> 33) % 600) as u32;
        if (rng >> 20).is_multiple_of(4) {
            expected.remove(&id);
            writer.delete(id).await.unwrap();
        } else {
            expected.insert(id, event(id, round));
            writer.put(event(id, round)).await.unwrap();
        }
    }
    let summary = writer.finish().await.expect("retries absorb every fault");
    assert!(
        summary.requests > summary.written / 25,
        "faults forced retries"
    );
    let counts = state.counts.lock().unwrap().faults.clone();
    for fault in ["Unprocessed", "Throttle", "DropBefore", "DropAfter"] {
        assert!(
            counts.get(fault).copied().unwrap_or(0) > 0,
            "{fault} never injected: {counts:?}"
        );
    }
    assert_eq!(contents(&fx.table).await, expected);
    fx.cleanup().await;
}

#[tokio::test]
async fn every_key_is_read_despite_faults() {
    let fx = Fixture::<Event>::new("faults-get").await;
    let mut writer = fx.table.batch_writer();
    for id in 0..1000 {
        writer.put(event(id, 0)).await.unwrap();
    }
    writer.finish().await.unwrap();
    let (faulty_table, state) = faulty(
        &fx.table,
        7,
        Shares {
            drop_after: 0,
            ..EVERY_FAULT
        },
    );
    let keys: Vec<u32> = (0..1200).rev().collect();
    let found = faulty_table
        .batch_get(keys.clone())
        .retry(fast_retries())
        .in_request_order()
        .await
        .expect("retries absorb every fault");
    let expected: Vec<Event> = keys
        .iter()
        .filter(|id| **id < 1000)
        .map(|id| event(*id, 0))
        .collect();
    assert_eq!(found, expected);
    assert!(state.counts.lock().unwrap().faults.len() > 1);
    fx.cleanup().await;
}

#[tokio::test]
async fn a_batch_get_that_runs_out_of_retries_fails_as_incomplete() {
    let fx = Fixture::<Event>::new("faults-get-none").await;
    fx.table.put(&event(1, 0)).await.unwrap();
    let always = Shares {
        unprocessed: 100,
        ..NO_FAULTS
    };
    let (faulty_table, _) = faulty(&fx.table, 1, always);
    let err = faulty_table
        .batch_get([1u32, 2, 3, 4])
        .retry(RetryPolicy::none())
        .await
        .unwrap_err();
    assert!(err.is_incomplete(), "{err}");
    fx.cleanup().await;
}

#[tokio::test]
async fn without_retries_the_leftovers_are_exactly_the_writes_that_did_not_land() {
    let fx = Fixture::<Event>::new("faults-leftovers").await;
    let mut seed = fx.table.batch_writer();
    for id in 0..500 {
        seed.put(event(id, 0)).await.unwrap();
    }
    seed.finish().await.unwrap();

    // A connection dropped after the server applied a batch cannot be told
    // from one dropped before: those writes may have landed, so they are
    // (safely, since replaying them is idempotent) leftovers too. To compare
    // exactly, this test injects only faults whose outcome is known.
    let (faulty_table, _) = faulty(
        &fx.table,
        99,
        Shares {
            drop_after: 0,
            ..EVERY_FAULT
        },
    );
    let mut writer = faulty_table
        .batch_writer()
        .retry(RetryPolicy::none())
        .concurrency(4);
    let mut given = Vec::new();
    for id in 0..1000u32 {
        // Deletes of the seeded items 0..500 (every other one), puts of new
        // items 500..1000.
        if id < 500 {
            if id % 2 == 0 {
                writer.delete(id).await.unwrap();
                given.push(Write::Delete(id.into()));
            }
        } else {
            writer.put(event(id, 1)).await.unwrap();
            given.push(Write::Put(event(id, 1)));
        }
    }
    let leftovers = writer
        .finish()
        .await
        .expect_err("faults leave writes unprocessed");
    let left: Vec<Write<Event>> = leftovers.into_writes();
    assert!(!left.is_empty() && left.len() < given.len());

    let table = contents(&fx.table).await;
    let not_landed: Vec<Write<Event>> = given
        .iter()
        .filter(|w| match w {
            Write::Put(e) => table.get(&e.id) != Some(e),
            Write::Delete(key) => table.contains_key(&key.id),
        })
        .cloned()
        .collect();
    assert_eq!(left, not_landed, "leftovers in the order given");
    // Nothing else changed: the seeded items not deleted are untouched.
    let odd: BTreeSet<u32> = (0..500).filter(|id| id % 2 == 1).collect();
    assert!(odd.iter().all(|id| table.get(id) == Some(&event(*id, 0))));
    fx.cleanup().await;
}

#[tokio::test]
async fn the_writer_keeps_several_requests_in_flight_but_no_more_than_allowed() {
    let fx = Fixture::<Event>::new("faults-in-flight").await;
    let no_faults = NO_FAULTS;
    for concurrency in [1u64, 3] {
        let (table, state) = faulty(&fx.table, 5, no_faults);
        let mut writer = table.batch_writer().concurrency(concurrency as usize);
        for id in 0..500 {
            writer.put(event(id, 0)).await.unwrap();
        }
        writer.finish().await.unwrap();
        let max = state.max_in_flight.load(Ordering::SeqCst);
        assert!(
            max <= concurrency,
            "{max} requests in flight, {concurrency} allowed"
        );
        if concurrency > 1 {
            assert!(max > 1, "requests were sent one at a time");
        }
    }
    assert_eq!(contents(&fx.table).await.len(), 500);
    fx.cleanup().await;
}

#[tokio::test]
async fn the_adaptive_window_grows_while_requests_succeed_and_halves_on_throttling() {
    use resourceful::batch::{DEFAULT_CONCURRENCY, DEFAULT_MAX_CONCURRENCY};
    let fx = Fixture::<Event>::new("faults-adaptive").await;
    let start = DEFAULT_CONCURRENCY as u64;

    // No faults: the writer queues faster than requests come back, so its
    // window is full and grows with every answer.
    let (table, state) = faulty(&fx.table, 9, NO_FAULTS);
    let mut writer = table.batch_writer();
    let progress = writer.progress();
    assert_eq!(progress.concurrency(), start);
    for id in 0..3000 {
        writer.put(event(id, 0)).await.unwrap();
    }
    let summary = writer.finish().await.unwrap();
    let grown = progress.concurrency();
    let seen = state.max_in_flight.load(Ordering::SeqCst);
    assert!(grown >= 4 * start, "the window only grew to {grown}");
    assert!(seen > start, "{seen} requests in flight at most");
    assert!(seen <= DEFAULT_MAX_CONCURRENCY as u64, "{seen} in flight");
    // The summary counts the writer's requests, from their launch until it
    // collects them: at least as many as were at the HTTP layer at once.
    assert!(
        (seen..=DEFAULT_MAX_CONCURRENCY as u64).contains(&summary.max_in_flight),
        "the summary's {} against {seen} at the HTTP layer",
        summary.max_in_flight
    );

    // Half the requests throttled: the window shrinks below where it
    // started, and every write still lands.
    let throttled = Shares {
        throttle: 50,
        ..NO_FAULTS
    };
    let (table, _) = faulty(&fx.table, 9, throttled);
    let mut writer = table.batch_writer().retry(fast_retries());
    let progress = writer.progress();
    for id in 0..3000 {
        writer.put(event(id, 1)).await.unwrap();
    }
    writer.finish().await.unwrap();
    let shrunk = progress.concurrency();
    assert!(shrunk < start, "the window is {shrunk} under throttling");

    // A fixed number stays fixed.
    let (table, state) = faulty(&fx.table, 9, NO_FAULTS);
    let mut writer = table.batch_writer().concurrency(2);
    for id in 0..1000 {
        writer.put(event(id, 2)).await.unwrap();
    }
    assert_eq!(writer.progress().concurrency(), 2);
    writer.finish().await.unwrap();
    assert!(state.max_in_flight.load(Ordering::SeqCst) <= 2);
    let stored = contents(&fx.table).await;
    assert_eq!(stored.len(), 3000);
    assert!((0..1000).all(|id| stored[&id] == event(id, 2)));
    assert!((1000..3000).all(|id| stored[&id] == event(id, 1)));
    fx.cleanup().await;
}

/// Batch requests seen by a faulty client, whatever their fault.
fn requests_seen(state: &State) -> u64 {
    state.counts.lock().unwrap().faults.values().sum()
}

#[tokio::test]
async fn a_throttled_batch_is_sent_max_attempts_times_not_times_the_sdks_attempts() {
    use std::time::{Duration, Instant};
    let fx = Fixture::<Event>::new("faults-retry-bound").await;
    let always_throttled = Shares {
        throttle: 100,
        ..NO_FAULTS
    };
    // The SDK's standard retries are on (3 attempts), as in a default client.
    let sdk = RetryConfig::standard()
        .with_max_attempts(3)
        .with_initial_backoff(Duration::from_millis(1));
    let policy = RetryPolicy::default()
        .max_attempts(4)
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5));

    let (table, state) = faulty_with(&fx.table, 3, always_throttled, sdk.clone());
    let mut writer = table.batch_writer().retry(policy).concurrency(1);
    for id in 0..25 {
        writer.put(event(id, 0)).await.unwrap();
    }
    let left = writer.finish().await.unwrap_err();
    assert_eq!(left.writes().len(), 25);
    assert!(left.error().is_incomplete(), "{}", left.error());
    let cause = std::error::Error::source(left.error()).map(ToString::to_string);
    assert!(
        cause
            .as_deref()
            .unwrap_or_default()
            .contains("ProvisionedThroughputExceeded"),
        "{cause:?}"
    );
    assert_eq!(
        requests_seen(&state),
        4,
        "one chunk, four attempts, no more"
    );

    let (table, state) = faulty_with(&fx.table, 3, always_throttled, sdk.clone());
    let err = table.batch_get(0..10u32).retry(policy).await.unwrap_err();
    assert!(err.is_incomplete(), "{err}");
    assert_eq!(requests_seen(&state), 4);

    // A time budget ends the retries before the attempts run out: with 50 ms
    // between attempts and 300 ms in all, a chunk is sent at most 7 times,
    // and no retry starts after the budget.
    let budget = Duration::from_millis(300);
    let patient = RetryPolicy::default()
        .max_attempts(1000)
        .base_delay(Duration::from_millis(50))
        .max_delay(Duration::from_millis(50))
        .without_jitter()
        .max_elapsed(budget);
    let (table, state) = faulty_with(&fx.table, 3, always_throttled, sdk);
    let mut writer = table.batch_writer().retry(patient).concurrency(1);
    for id in 0..25 {
        writer.put(event(id, 0)).await.unwrap();
    }
    let started = Instant::now();
    let left = writer.finish().await.unwrap_err();
    let took = started.elapsed();
    assert_eq!(left.writes().len(), 25);
    let sent = requests_seen(&state);
    assert!((2..=7).contains(&sent), "{sent} requests");
    // The last request started within the budget; allow it a generous time
    // to be answered on a loaded machine.
    assert!(
        took < budget + Duration::from_secs(5),
        "gave up after {took:?}"
    );
    assert!(contents(&fx.table).await.is_empty(), "nothing was written");
    fx.cleanup().await;
}
