//! Batches under injected faults: an HTTP client wrapped around the real
//! one answers a share of `BatchWriteItem` / `BatchGetItem` requests with
//! partly unprocessed items or keys, `ProvisionedThroughputExceededException`
//! or a dropped connection (before the request reaches the server, or after
//! the server applied it and before the answer arrives).
//!
//! The SDK's own retries are disabled on the faulty client
//! (`RetryConfig::disabled()`), so that every fault reaches the batch code
//! and what is tested is its retry policy, not the SDK's.
//!
//! "Exactly once": a write whose connection dropped after the server applied
//! it is sent again, and applied again. Puts and deletes are idempotent and
//! the writer never has two writes to one key in flight, so the table ends
//! up exactly as if every write had landed once, which is what these tests
//! compare.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

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

/// What to do with one batch request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fault {
    Pass,
    /// Forward half the items or keys and report the rest unprocessed.
    Unprocessed,
    Throttle,
    DropBefore,
    DropAfter,
}

/// Percentages of batch requests that get each fault.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shares {
    pub(crate) unprocessed: u64,
    pub(crate) throttle: u64,
    pub(crate) drop_before: u64,
    pub(crate) drop_after: u64,
}

#[derive(Debug, Default)]
struct Counts {
    faults: BTreeMap<String, u64>,
}

#[derive(Debug)]
pub(crate) struct State {
    seed: AtomicU64,
    shares: Shares,
    counts: Mutex<Counts>,
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
    /// A deterministic choice: an LCG stepped once per batch request.
    fn choose(&self) -> Fault {
        let step = |s: u64| {
            s.wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407)
        };
        let previous = self
            .seed
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |s| Some(step(s)))
            .unwrap();
        let roll = (step(previous) >> 33) % 100;
        let s = self.shares;
        let fault = if roll < s.unprocessed {
            Fault::Unprocessed
        } else if roll < s.unprocessed + s.throttle {
            Fault::Throttle
        } else if roll < s.unprocessed + s.throttle + s.drop_before {
            Fault::DropBefore
        } else if roll < s.unprocessed + s.throttle + s.drop_before + s.drop_after {
            Fault::DropAfter
        } else {
            Fault::Pass
        };
        *self
            .counts
            .lock()
            .unwrap()
            .faults
            .entry(format!("{fault:?}"))
            .or_default() += 1;
        fault
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
        let op = if target.ends_with(".BatchWriteItem") {
            Op::Write
        } else if target.ends_with(".BatchGetItem") {
            Op::Get
        } else {
            return self.inner.call(request);
        };
        let inner = self.inner.clone();
        match self.state.choose() {
            Fault::Pass => {
                let gauge = InFlight::new(&self.state);
                HttpConnectorFuture::new(async move {
                    let response = inner.call(request).await;
                    drop(gauge);
                    response
                })
            }
            Fault::Throttle => HttpConnectorFuture::ready(Ok(json_response(
                400,
                &json!({
                    "__type": "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
                    "message": "injected fault: throughput exceeded",
                }),
            ))),
            Fault::DropBefore => HttpConnectorFuture::ready(Err(dropped("before sending"))),
            Fault::DropAfter => HttpConnectorFuture::new(async move {
                let response = inner.call(request).await?;
                ByteStream::new(response.into_body())
                    .collect()
                    .await
                    .map_err(|e| ConnectorError::io(e.into()))?;
                Err(dropped("after the server answered"))
            }),
            Fault::Unprocessed => {
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
                    let response = inner.call(request).await?;
                    let status = response.status().as_u16();
                    let bytes = ByteStream::new(response.into_body())
                        .collect()
                        .await
                        .map_err(|e| ConnectorError::io(e.into()))?
                        .into_bytes();
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
    let state = Arc::new(State {
        seed: AtomicU64::new(seed),
        shares,
        counts: Mutex::default(),
        in_flight: AtomicU64::new(0),
        max_in_flight: AtomicU64::new(0),
    });
    let http = FaultyClient {
        inner: aws_smithy_http_client::Builder::new().build_http(),
        state: state.clone(),
    };
    let config = table
        .client()
        .config()
        .to_builder()
        .http_client(http)
        .retry_config(retries)
        .build();
    let client = aws_sdk_dynamodb::Client::from_conf(config);
    (Table::named(&client, table.name().to_owned()), state)
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

const NO_FAULTS: Shares = Shares {
    unprocessed: 0,
    throttle: 0,
    drop_before: 0,
    drop_after: 0,
};

const EVERY_FAULT: Shares = Shares {
    unprocessed: 20,
    throttle: 10,
    drop_before: 10,
    drop_after: 10,
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
        throttle: 0,
        drop_before: 0,
        drop_after: 0,
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
    let no_faults = Shares {
        unprocessed: 0,
        throttle: 0,
        drop_before: 0,
        drop_after: 0,
    };
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
