//! Bulk loading: write many items through one batch writer, with a progress
//! bar driven by the writer's counters, and report the throughput and the
//! capacity consumed.
//!
//! ```sh
//! cargo run --release --example bulk_load            # 100,000 items
//! cargo run --release --example bulk_load -- 2000    # or any count
//! ```
//!
//! The bar is [`indicatif`](https://docs.rs/indicatif)'s, updated by the
//! writer's `on_progress` callback after each request; the same counters
//! (`writer.progress()`) can be polled from any task instead.
//!
//! The count can also come from `BULK_LOAD_COUNT`, and the number of
//! requests in flight from `BULK_LOAD_CONCURRENCY` (a fixed number; by default
//! the writer adapts it to latency and throttling). With no
//! endpoint configured it starts an embedded DynamoDB-compatible server;
//! with `AWS_ENDPOINT_URL_DYNAMODB` set it uses that endpoint.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use resourceful::batch::{Concurrency, RetryPolicy};
use resourceful::local::Backend;
use resourceful::observe::{ReadProgress, WriteProgress};
use resourceful::prelude::*;

#[resource(
    service = "dynamodb",
    table = "bulk-load-orders",
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
        customer: format!("customer-{:05}", i % 10_000),
        number: (i / 10_000) as u32,
        product: format!("product-{}", i % 97),
        quantity: (i % 7 + 1) as u32,
        unit_price_cents: 199 + (i * 37) % 10_000,
        gift: i.is_multiple_of(11),
        note: i
            .is_multiple_of(5)
            .then(|| format!("order {i}: leave at the door")),
    }
}

fn setting(arg: Option<String>, var: &str, default: u64) -> u64 {
    arg.or_else(|| std::env::var(var).ok())
        .map(|v| v.replace(['_', ','], ""))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[tokio::main]
async fn main() -> resourceful::Result<()> {
    let count = setting(std::env::args().nth(1), "BULK_LOAD_COUNT", 100_000);
    // Adaptive unless a fixed number of requests in flight is asked for.
    let concurrency = match setting(None, "BULK_LOAD_CONCURRENCY", 0) {
        0 => Concurrency::default(),
        n => Concurrency::Fixed(n as usize),
    };

    let backend = Backend::from_env().await?;
    eprintln!("using the {backend}");
    let client = backend.client();
    let orders = Order::table(&client);
    if orders.exists().await? {
        orders.delete_table().await?;
    }
    orders.create().await?;

    let bar = ProgressBar::new(count).with_style(
        ProgressStyle::with_template("{bar:30} {pos:>7}/{len} {elapsed_precise} {msg}")
            .expect("a valid template"),
    );
    bar.enable_steady_tick(Duration::from_millis(100));
    let shown = bar.clone();
    let started = Instant::now();
    let since = started;
    let mut writer = orders
        .batch_writer()
        .with_concurrency(concurrency)
        .retry(RetryPolicy::default().max_attempts(15))
        .capacity()
        .on_progress(move |p: &WriteProgress| {
            shown.set_position(p.written());
            let rate = p.written() as f64 / since.elapsed().as_secs_f64().max(1e-9);
            shown.set_message(format!(
                "{rate:.0} items/s, {} writes in flight (window {} requests), {} retried",
                p.in_flight(),
                p.concurrency(),
                p.retried()
            ));
        });
    for i in 0..count {
        writer.put(order(i)).await?;
    }
    let summary = writer.finish().await?;
    let elapsed = started.elapsed();
    bar.finish();

    // Counted by DynamoDB (`Select::Count`): the items are not transferred.
    let scan = ReadProgress::new();
    let stored = orders.scan().consistent().progress(&scan).count().await;

    let rate = summary.written as f64 / elapsed.as_secs_f64();
    println!(
        "loaded {} items in {:.2} s with {} requests (at most {} in flight, {} writes retried): {:.0} items/s",
        summary.written,
        elapsed.as_secs_f64(),
        summary.requests,
        summary.max_in_flight,
        summary.retried,
        rate
    );
    let write_units = summary.capacity.total().write;
    println!(
        "consumed {write_units} write capacity units ({:.2} per item); \
         counting them read {} pages for {} read units",
        write_units / summary.written.max(1) as f64,
        scan.pages(),
        scan.capacity().total().read,
    );
    match stored {
        Ok(stored) if stored as u64 == count => {
            println!("verified: the table holds {stored} items")
        }
        Ok(stored) => {
            eprintln!("the table holds {stored} items, expected {count}");
            std::process::exit(1);
        }
        Err(e) => {
            eprintln!("could not count the items in the table: {e}");
            std::process::exit(1);
        }
    }
    orders.delete_table().await?;
    Ok(())
}
