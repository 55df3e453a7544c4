//! Bulk write and full scan against the same endpoint, in one run:
//! `resourceful` against hand-written code on the raw SDK (a sequential
//! `batch_write_item` loop, the paginator) and, when the virtualenv from
//! `scripts/test` exists, boto3's resource layer (`Table.batch_writer` and a
//! paginated `Table.scan`), each at every added round trip asked for: a
//! latency proxy on loopback (`support/latency.rs`) delays every byte half
//! the round trip each way, for all contenders alike.
//!
//! ```sh
//! cargo bench --bench io                          # 10,000 items, embedded server, 0 ms
//! BENCH_ITEMS=50000 BENCH_SCAN_ITEMS=100000 BENCH_LATENCY_MS=0,2,10 BENCH_ROUNDS=1 \
//!     cargo bench --bench io
//! AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:8000 cargo bench --bench io
//! ```
//!
//! `BENCH_JSON=path` also writes the results as JSON (`benches/run` does).

use std::collections::HashMap;
use std::path::Path;

#[path = "support/latency.rs"]
mod latency;
use latency::LatencyProxy;
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::types::{AttributeValue, PutRequest, WriteRequest};
use aws_sdk_dynamodb::Client;
use futures_util::TryStreamExt;
use resourceful::batch::{Concurrency, DEFAULT_CONCURRENCY};
use resourceful::local::Backend;
use resourceful::prelude::*;

#[resource(
    service = "dynamodb",
    table = "bench-orders",
    key = "customer",
    sort_key = "number"
)]
#[derive(Debug, Clone, PartialEq)]
struct Order {
    customer: String,
    number: u32,
    product: String,
    quantity: u32,
    unit_price_cents: u64,
    gift: bool,
    note: Option<String>,
}

fn order(i: u64) -> Order {
    Order {
        customer: format!("customer-{:04}", i % 1000),
        number: (i / 1000) as u32,
        product: format!("product-{}", i % 97),
        quantity: (i % 7 + 1) as u32,
        unit_price_cents: 199 + (i * 37) % 10_000,
        gift: i.is_multiple_of(11),
        note: i
            .is_multiple_of(5)
            .then(|| format!("order {i}: leave at the door")),
    }
}

/// Hand-written against the SDK: what a careful user writes without a library.
mod raw {
    use super::*;

    fn to_item(o: &Order) -> HashMap<String, AttributeValue> {
        let mut item = HashMap::with_capacity(7);
        item.insert("customer".into(), AttributeValue::S(o.customer.clone()));
        item.insert("number".into(), AttributeValue::N(o.number.to_string()));
        item.insert("product".into(), AttributeValue::S(o.product.clone()));
        item.insert("quantity".into(), AttributeValue::N(o.quantity.to_string()));
        item.insert(
            "unit_price_cents".into(),
            AttributeValue::N(o.unit_price_cents.to_string()),
        );
        item.insert("gift".into(), AttributeValue::Bool(o.gift));
        if let Some(note) = &o.note {
            item.insert("note".into(), AttributeValue::S(note.clone()));
        }
        item
    }

    fn from_item(mut item: HashMap<String, AttributeValue>) -> Option<Order> {
        let mut s = |k: &str| match item.remove(k) {
            Some(AttributeValue::S(s)) => Some(s),
            Some(AttributeValue::N(n)) => Some(n),
            _ => None,
        };
        let customer = s("customer")?;
        let number = s("number")?.parse().ok()?;
        let product = s("product")?;
        let quantity = s("quantity")?.parse().ok()?;
        let unit_price_cents = s("unit_price_cents")?.parse().ok()?;
        let note = s("note");
        let gift = matches!(item.remove("gift"), Some(AttributeValue::Bool(true)));
        Some(Order {
            customer,
            number,
            product,
            quantity,
            unit_price_cents,
            gift,
            note,
        })
    }

    /// Chunks of 25, one request at a time, re-sending unprocessed items.
    pub(crate) async fn write(client: &Client, table: &str, count: u64) {
        let items: Vec<Order> = (0..count).map(order).collect();
        for chunk in items.chunks(25) {
            let mut requests: Vec<WriteRequest> = chunk
                .iter()
                .map(|o| {
                    let put = PutRequest::builder()
                        .set_item(Some(to_item(o)))
                        .build()
                        .unwrap();
                    WriteRequest::builder().put_request(put).build()
                })
                .collect();
            while !requests.is_empty() {
                let out = client
                    .batch_write_item()
                    .request_items(table, requests)
                    .send()
                    .await
                    .unwrap();
                requests = out
                    .unprocessed_items
                    .and_then(|mut m| m.remove(table))
                    .unwrap_or_default();
            }
        }
    }

    /// The SDK's paginator, decoding each item by hand.
    pub(crate) async fn scan(client: &Client, table: &str) -> usize {
        let pages: Vec<_> = client
            .scan()
            .table_name(table)
            .into_paginator()
            .send()
            .try_collect()
            .await
            .unwrap();
        let orders: Vec<Order> = pages
            .into_iter()
            .flat_map(|p| p.items.unwrap_or_default())
            .map(|item| from_item(item).unwrap())
            .collect();
        orders.len()
    }
}

async fn fresh_table(client: &Client, name: &str) -> Table<Order> {
    let table = Table::<Order>::named(client, name);
    if table.exists().await.unwrap() {
        table.delete_table().await.unwrap();
    }
    table.create().await.unwrap();
    table
}

fn median(mut runs: Vec<Sample>) -> Sample {
    runs.sort_by_key(|s| s.wall);
    runs[runs.len() / 2]
}

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .map(|v| v.replace(['_', ','], ""))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The added round trips to measure at, in milliseconds (`BENCH_LATENCY_MS`,
/// comma-separated; `0` is the server directly; empty: no write or scan).
fn latencies() -> Vec<u64> {
    std::env::var("BENCH_LATENCY_MS")
        .unwrap_or_else(|_| "0".to_owned())
        .split(',')
        .filter(|v| !v.trim().is_empty())
        .map(|v| {
            v.trim()
                .parse()
                .expect("BENCH_LATENCY_MS: numbers of milliseconds")
        })
        .collect()
}

/// A client like `base` whose requests go to `endpoint`.
fn client_via(base: &Client, endpoint: &str) -> Client {
    let config = base.config().to_builder().endpoint_url(endpoint).build();
    Client::from_conf(config)
}

/// One measured contender.
struct Measured {
    latency_ms: u64,
    operation: &'static str,
    contender: &'static str,
    time: Duration,
    /// CPU seconds used meanwhile: this process (the client and, for the
    /// embedded server, the server) plus boto3's Python.
    cpu: f64,
    items: u64,
}

/// One timed run: wall time and CPU seconds.
#[derive(Clone, Copy)]
struct Sample {
    wall: Duration,
    cpu: f64,
}

/// The CPU seconds this process has used so far, all threads
/// (`/proc/self/stat`, in Linux's clock ticks of 1/100 s).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").expect("Linux /proc");
    // The fields after the command name, which is in parentheses.
    let fields: Vec<&str> = stat[stat.rfind(')').unwrap() + 2..].split(' ').collect();
    let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
    ticks as f64 / 100.0
}

/// Measures from now until `stop` is called.
struct Meter {
    started: Instant,
    cpu: f64,
}

impl Meter {
    fn start() -> Self {
        Meter {
            started: Instant::now(),
            cpu: cpu_seconds(),
        }
    }

    fn stop(self) -> Sample {
        Sample {
            wall: self.started.elapsed(),
            cpu: cpu_seconds() - self.cpu,
        }
    }
}

/// The virtualenv's Python, which `scripts/test` creates with boto3.
fn python() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python")
}

/// boto3's resource layer, when the virtualenv from `scripts/test` exists:
/// its time, its items, and the CPU seconds of Python and of this process
/// (the embedded server's) meanwhile.
fn boto3(args: &[&str]) -> Option<(Sample, u64)> {
    let python = python();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/boto3_io.py");
    if !python.exists() {
        return None;
    }
    let ours = cpu_seconds();
    let out = std::process::Command::new(&python)
        .arg(&script)
        .args(args)
        .output()
        .expect("run python");
    let ours = cpu_seconds() - ours;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let parts: Vec<&str> = text.split_whitespace().collect();
    let python_cpu: f64 = parts[3].parse().unwrap();
    Some((
        Sample {
            wall: Duration::from_secs_f64(parts[1].parse().unwrap()),
            cpu: python_cpu + ours,
        },
        parts[2].parse().unwrap(),
    ))
}

/// Runs `f` `rounds` times and keeps the median run.
async fn timed<F, Fut>(rounds: u64, mut f: F) -> Sample
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Sample>,
{
    let mut runs = vec![];
    for _ in 0..rounds {
        runs.push(f().await);
    }
    median(runs)
}

async fn bench_writes(
    base: &Client,
    client: &Client,
    endpoint: &str,
    latency_ms: u64,
    count: u64,
    rounds: u64,
    out: &mut Vec<Measured>,
) {
    let mut record = |contender, sample: Sample| {
        out.push(Measured {
            latency_ms,
            operation: "bulk write",
            contender,
            time: sample.wall,
            cpu: sample.cpu,
            items: count,
        })
    };
    let raw = timed(rounds, || async {
        let table = fresh_table(base, "bench-write-raw").await;
        let meter = Meter::start();
        raw::write(client, table.name(), count).await;
        meter.stop()
    })
    .await;
    record("raw SDK, sequential", raw);
    for (contender, concurrency) in [
        ("resourceful, default (adaptive)", Concurrency::default()),
        (
            "resourceful, fixed 4 in flight",
            Concurrency::Fixed(DEFAULT_CONCURRENCY),
        ),
    ] {
        let time = timed(rounds, || async {
            let table = fresh_table(base, "bench-write-ours").await;
            let table = Table::<Order>::named(client, table.name().to_owned());
            let meter = Meter::start();
            let mut writer = table.batch_writer().with_concurrency(concurrency);
            for i in 0..count {
                writer.put(order(i)).await.unwrap();
            }
            writer.finish().await.unwrap();
            meter.stop()
        })
        .await;
        record(contender, time);
    }
    let mut times = vec![];
    for _ in 0..rounds {
        let table = fresh_table(base, "bench-write-boto3").await;
        let Some((sample, items)) = boto3(&["write", endpoint, table.name(), &count.to_string()])
        else {
            break;
        };
        assert_eq!(items, count);
        times.push(sample);
    }
    if !times.is_empty() {
        record("boto3 Table.batch_writer", median(times));
    }
}

async fn bench_scans(
    table: &Table<Order>,
    client: &Client,
    endpoint: &str,
    latency_ms: u64,
    count: u64,
    rounds: u64,
    out: &mut Vec<Measured>,
) {
    let mut record = |contender, sample: Sample| {
        out.push(Measured {
            latency_ms,
            operation: "full scan",
            contender,
            time: sample.wall,
            cpu: sample.cpu,
            items: count,
        })
    };
    let raw = timed(rounds, || async {
        let meter = Meter::start();
        assert_eq!(raw::scan(client, table.name()).await as u64, count);
        meter.stop()
    })
    .await;
    record("raw SDK paginator", raw);
    let via = Table::<Order>::named(client, table.name().to_owned());
    for (contender, segments) in [
        ("resourceful scan().stream()", 1),
        ("resourceful .segments(8)", 8),
    ] {
        let time = timed(rounds, || async {
            let meter = Meter::start();
            let orders: Vec<Order> = via
                .scan()
                .segments(segments)
                .stream()
                .try_collect()
                .await
                .unwrap();
            assert_eq!(orders.len() as u64, count);
            meter.stop()
        })
        .await;
        record(contender, time);
    }
    let mut times = vec![];
    for _ in 0..rounds {
        let Some((sample, items)) = boto3(&["scan", endpoint, table.name()]) else {
            break;
        };
        assert_eq!(items, count);
        times.push(sample);
    }
    if !times.is_empty() {
        record("boto3 paginated Table.scan", median(times));
    }
}

fn report(results: &[Measured]) {
    let mut groups: Vec<(u64, &str)> = results
        .iter()
        .map(|m| (m.latency_ms, m.operation))
        .collect();
    groups.dedup();
    for (latency_ms, operation) in groups {
        let group: Vec<&Measured> = results
            .iter()
            .filter(|m| m.latency_ms == latency_ms && m.operation == operation)
            .collect();
        let baseline = group[0].time.as_secs_f64();
        let boto3 = group
            .iter()
            .find(|m| m.contender.starts_with("boto3"))
            .map(|m| m.time.as_secs_f64());
        println!(
            "\n{operation} of {} items, {latency_ms} ms added round trip",
            group[0].items
        );
        for m in group {
            let secs = m.time.as_secs_f64();
            let against_boto3 = boto3
                .map(|b| format!("  {:>6.2}x boto3's speed", b / secs))
                .unwrap_or_default();
            println!(
                "  {:<34} {secs:>8.3} s {:>9.0} items/s {:>6.2}x the baseline's time  \
                 {:>6.2} CPU s ({:.1} cores){against_boto3}",
                m.contender,
                m.items as f64 / secs,
                secs / baseline,
                m.cpu,
                m.cpu / secs,
            );
        }
    }
}

/// Writes the results as JSON for `benches/run` (its tables and chart).
fn save(path: &str, backend: &str, results: &[Measured], rss: &[memory::Rss]) {
    let rows: Vec<serde_json::Value> = results
        .iter()
        .map(|m| {
            serde_json::json!({
                "latency_ms": m.latency_ms,
                "operation": m.operation,
                "contender": m.contender,
                "seconds": m.time.as_secs_f64(),
                "cpu_seconds": m.cpu,
                "items": m.items,
            })
        })
        .collect();
    let memory: Vec<serde_json::Value> = rss
        .iter()
        .map(|r| serde_json::json!({ "what": r.what, "items": r.items, "kib": r.kib }))
        .collect();
    let doc = serde_json::json!({ "backend": backend, "results": rows, "memory": memory });
    std::fs::write(path, serde_json::to_string_pretty(&doc).unwrap()).expect("write BENCH_JSON");
}

#[tokio::main]
async fn main() {
    if let Ok(role) = std::env::var("BENCH_ROLE") {
        return memory::child(&role).await;
    }
    let writes = setting("BENCH_ITEMS", 10_000);
    let scanned = setting("BENCH_SCAN_ITEMS", writes);
    let rounds = setting("BENCH_ROUNDS", 3).max(1);
    let backend = Backend::from_env().await.unwrap();
    let base = backend.client();
    println!(
        "bulk write of {writes} items, full scan of {scanned}, median of {rounds} rounds, \
         against the {backend}"
    );

    let mut results = vec![];
    let latencies = latencies();
    // The table the scans read, loaded once, directly.
    let scan_table = fresh_table(&base, "bench-scan").await;
    if !latencies.is_empty() {
        let mut loader = scan_table.batch_writer();
        for i in 0..scanned {
            loader.put(order(i)).await.unwrap();
        }
        loader.finish().await.unwrap();
    }
    for latency_ms in latencies {
        let proxy = match latency_ms {
            0 => None,
            ms => Some(
                LatencyProxy::start(backend.endpoint(), Duration::from_millis(ms))
                    .await
                    .expect("start the latency proxy"),
            ),
        };
        let endpoint = proxy
            .as_ref()
            .map_or(backend.endpoint(), LatencyProxy::endpoint)
            .to_owned();
        let client = client_via(&base, &endpoint);
        bench_writes(
            &base,
            &client,
            &endpoint,
            latency_ms,
            writes,
            rounds,
            &mut results,
        )
        .await;
        bench_scans(
            &scan_table,
            &client,
            &endpoint,
            latency_ms,
            scanned,
            rounds,
            &mut results,
        )
        .await;
    }
    report(&results);

    // Peak memory, when asked for: `BENCH_MEMORY_ITEMS` (scan sizes,
    // comma-separated) and `BENCH_LOAD_ITEMS` (a batch load).
    let scans: Vec<u64> = std::env::var("BENCH_MEMORY_ITEMS")
        .unwrap_or_default()
        .split(',')
        .filter(|n| !n.trim().is_empty())
        .map(|n| n.trim().parse().expect("BENCH_MEMORY_ITEMS: numbers"))
        .collect();
    let load = setting("BENCH_LOAD_ITEMS", 0);
    let rss = if scans.is_empty() && load == 0 {
        vec![]
    } else {
        memory::measure(&backend, &scans, load).await
    };
    if !rss.is_empty() {
        println!("\npeak resident memory of a separate process (items of about 1 KB)");
        for r in &rss {
            println!(
                "  {:<32} {:>7} items {:>8.1} MiB",
                r.what,
                r.items,
                r.kib as f64 / 1024.0
            );
        }
    }
    if let Ok(path) = std::env::var("BENCH_JSON") {
        save(&path, &backend.to_string(), &results, &rss);
    }
    if !python().exists() {
        println!("\n(boto3 skipped: run scripts/test once to create .venv with boto3)");
    }
}

/// Memory: peak resident set sizes of separate processes (this bench run
/// again with `BENCH_ROLE`), so that the server's own memory is not counted.
mod memory {
    use super::*;

    /// An order of about 1 KB: a long note.
    pub(crate) fn large_order(i: u64) -> Order {
        Order {
            note: Some(format!("{i:>8} {}", "x".repeat(900))),
            ..order(i)
        }
    }

    /// The peak resident set size of this process (`VmHWM`), in KiB.
    fn peak_rss_kib() -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").expect("Linux /proc");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmHWM in /proc/self/status")
    }

    /// What a child process does (`BENCH_ROLE`), against
    /// `AWS_ENDPOINT_URL_DYNAMODB` and the table `BENCH_TABLE`: prints
    /// `rss <KiB> <items>`.
    pub(crate) async fn child(role: &str) {
        let client = resourceful::local::client_from_env().await;
        let name = std::env::var("BENCH_TABLE").expect("BENCH_TABLE");
        let table = Table::<Order>::named(&client, name);
        let items = match role {
            // A client that made one request: the floor.
            "idle" => {
                table.exists().await.unwrap();
                0
            }
            // Stream the whole table into structs, dropping each.
            "scan" => {
                let mut stream = std::pin::pin!(table.scan().stream());
                let mut n = 0u64;
                while let Some(order) = stream.try_next().await.unwrap() {
                    std::hint::black_box(&order);
                    n += 1;
                }
                n
            }
            // A batch load of `BENCH_LOAD_ITEMS` items of 1 KB.
            "load" => {
                let count = setting("BENCH_LOAD_ITEMS", 50_000);
                let mut writer = table.batch_writer();
                for i in 0..count {
                    writer.put(large_order(i)).await.unwrap();
                }
                writer.finish().await.unwrap().written
            }
            other => panic!("unknown BENCH_ROLE {other}"),
        };
        println!("rss {} {items}", peak_rss_kib());
    }

    /// Runs this bench again as a child with `role`; its peak RSS in KiB.
    fn spawn(role: &str, endpoint: &str, table: &str, load: u64) -> (u64, u64) {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .env("BENCH_ROLE", role)
            .env("AWS_ENDPOINT_URL_DYNAMODB", endpoint)
            .env("BENCH_TABLE", table)
            .env("BENCH_LOAD_ITEMS", load.to_string())
            .output()
            .expect("run the bench as a child");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        let line = text
            .lines()
            .find(|l| l.starts_with("rss "))
            .expect("rss line");
        let parts: Vec<&str> = line.split_whitespace().collect();
        (parts[1].parse().unwrap(), parts[2].parse().unwrap())
    }

    /// One measured process.
    pub(crate) struct Rss {
        pub(crate) what: String,
        pub(crate) items: u64,
        pub(crate) kib: u64,
    }

    /// Peak RSS of: an idle client, a streamed scan of each size in
    /// `scans` (items of 1 KB), and a batch load of `load` such items.
    pub(crate) async fn measure(backend: &Backend, scans: &[u64], load: u64) -> Vec<Rss> {
        let client = backend.client();
        let endpoint = backend.endpoint();
        let mut out = vec![];
        let idle = fresh_table(&client, "bench-memory-idle").await;
        let (kib, _) = spawn("idle", endpoint, idle.name(), 0);
        out.push(Rss {
            what: "a client after one request".into(),
            items: 0,
            kib,
        });
        for &count in scans {
            let table = fresh_table(&client, &format!("bench-memory-{count}")).await;
            let mut writer = table.batch_writer();
            for i in 0..count {
                writer.put(large_order(i)).await.unwrap();
            }
            writer.finish().await.unwrap();
            // The median of a few processes: glibc's heap keeps more or less
            // of the freed pages from one run to the next.
            let mut runs: Vec<u64> = (0..setting("BENCH_MEMORY_RUNS", 3).max(1))
                .map(|_| {
                    let (kib, items) = spawn("scan", endpoint, table.name(), 0);
                    assert_eq!(items, count);
                    kib
                })
                .collect();
            runs.sort_unstable();
            let (kib, items) = (runs[runs.len() / 2], count);
            out.push(Rss {
                what: "streamed scan into structs".into(),
                items,
                kib,
            });
            table.delete_table().await.unwrap();
        }
        if load > 0 {
            let table = fresh_table(&client, "bench-memory-load").await;
            let (kib, items) = spawn("load", endpoint, table.name(), load);
            assert_eq!(items, load);
            out.push(Rss {
                what: "batch load (default writer)".into(),
                items,
                kib,
            });
            table.delete_table().await.unwrap();
        }
        out
    }
}
