//! Bulk write and full scan against the same endpoint, in one run:
//! `resourceful` against hand-written code on the raw SDK and, when the
//! virtualenv from `scripts/test` exists, boto3's resource layer
//! (`Table.batch_writer` and a paginated `Table.scan`).
//!
//! ```sh
//! cargo bench --bench io                 # 10,000 items on the embedded server
//! BENCH_ITEMS=50000 cargo bench --bench io
//! AWS_ENDPOINT_URL_DYNAMODB=http://127.0.0.1:8000 cargo bench --bench io
//! ```

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

use aws_sdk_dynamodb::types::{AttributeValue, PutRequest, WriteRequest};
use aws_sdk_dynamodb::Client;
use futures_util::TryStreamExt;
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

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn line(name: &str, time: Duration, baseline: Duration, count: u64) {
    println!(
        "  {name:<26} {:>8.3} s  {:>9.0} items/s  {:>5.2}x the raw SDK's time",
        time.as_secs_f64(),
        count as f64 / time.as_secs_f64(),
        time.as_secs_f64() / baseline.as_secs_f64()
    );
}

#[tokio::main]
async fn main() {
    let count: u64 = std::env::var("BENCH_ITEMS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    const ROUNDS: usize = 3;
    let backend = Backend::from_env().await.unwrap();
    let client = backend.client();
    println!("{count} items, median of {ROUNDS} rounds, against the {backend}");

    let (mut raw_write, mut ours_write, mut raw_scan, mut ours_scan) =
        (vec![], vec![], vec![], vec![]);
    for _ in 0..ROUNDS {
        let raw_table = fresh_table(&client, "bench-raw").await;
        let started = Instant::now();
        raw::write(&client, raw_table.name(), count).await;
        raw_write.push(started.elapsed());

        let table = fresh_table(&client, "bench-resourceful").await;
        let started = Instant::now();
        let mut writer = table.batch_writer();
        for i in 0..count {
            writer.put(order(i)).await.unwrap();
        }
        writer.finish().await.unwrap();
        ours_write.push(started.elapsed());

        // Both scans read the same table, so its layout is no difference.
        let started = Instant::now();
        assert_eq!(raw::scan(&client, raw_table.name()).await as u64, count);
        raw_scan.push(started.elapsed());
        let started = Instant::now();
        let orders: Vec<Order> = raw_table.scan().stream().try_collect().await.unwrap();
        assert_eq!(orders.len() as u64, count);
        ours_scan.push(started.elapsed());
    }
    let (raw_write, ours_write) = (median(raw_write), median(ours_write));
    let (raw_scan, ours_scan) = (median(raw_scan), median(ours_scan));

    // boto3, against the same endpoint, when the virtualenv is there.
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv/bin/python");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/boto3_io.py");
    let mut boto3 = None;
    if python.exists() {
        let mut writes = vec![];
        let mut scans = vec![];
        for _ in 0..ROUNDS {
            let table = fresh_table(&client, "bench-boto3").await;
            let out = std::process::Command::new(&python)
                .arg(&script)
                .arg(backend.endpoint())
                .arg(table.name())
                .arg(count.to_string())
                .output()
                .expect("run python");
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let text = String::from_utf8(out.stdout).unwrap();
            for l in text.lines() {
                let parts: Vec<&str> = l.split_whitespace().collect();
                let secs = Duration::from_secs_f64(parts[1].parse().unwrap());
                match parts[0] {
                    "write" => writes.push(secs),
                    _ => {
                        assert_eq!(parts[2].parse::<u64>().unwrap(), count);
                        scans.push(secs);
                    }
                }
            }
        }
        boto3 = Some((median(writes), median(scans)));
    }

    println!("\nbulk write (batches of 25)");
    line("raw SDK, hand-written", raw_write, raw_write, count);
    line("resourceful batch_writer", ours_write, raw_write, count);
    if let Some((write, _)) = boto3 {
        line("boto3 Table.batch_writer", write, raw_write, count);
    }
    println!("\nfull scan, decoded into structs");
    line("raw SDK paginator", raw_scan, raw_scan, count);
    line("resourceful scan().stream()", ours_scan, raw_scan, count);
    if let Some((_, scan)) = boto3 {
        line("boto3 paginated Table.scan", scan, raw_scan, count);
    }
    if boto3.is_none() {
        println!("\n(boto3 skipped: run scripts/test once to create .venv with boto3)");
    }
}
