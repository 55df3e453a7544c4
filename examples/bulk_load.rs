//! Bulk loading: write many items through one batch writer, with a progress
//! indicator, and report the throughput.
//!
//! ```sh
//! cargo run --release --example bulk_load            # 100,000 items
//! cargo run --release --example bulk_load -- 2000    # or any count
//! ```
//!
//! The count can also come from `BULK_LOAD_COUNT`, and the number of
//! requests in flight from `BULK_LOAD_CONCURRENCY` (default 8). With no
//! endpoint configured it starts an embedded DynamoDB-compatible server;
//! with `AWS_ENDPOINT_URL_DYNAMODB` set it uses that endpoint.

use std::io::Write as _;
use std::time::{Duration, Instant};

use resourceful::batch::RetryPolicy;
use resourceful::local::Backend;
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
    let concurrency = setting(None, "BULK_LOAD_CONCURRENCY", 8) as usize;

    let backend = Backend::from_env().await?;
    eprintln!("using the {backend}");
    let client = backend.client();
    let orders = Order::table(&client);
    if orders.exists().await? {
        orders.delete_table().await?;
    }
    orders.create().await?;

    let started = Instant::now();
    let mut last_report = started;
    let mut writer = orders
        .batch_writer()
        .concurrency(concurrency)
        .retry(RetryPolicy::default().max_attempts(15));
    for i in 0..count {
        writer.put(order(i)).await?;
        if last_report.elapsed() >= Duration::from_millis(250) {
            last_report = Instant::now();
            progress(writer.summary().written, count, started);
        }
    }
    let summary = writer.finish().await?;
    let elapsed = started.elapsed();
    progress(summary.written, count, started);
    eprintln!();

    // Counted by DynamoDB (`Select::Count`): the items are not transferred.
    let stored = orders.scan().consistent().count().await;

    let rate = summary.written as f64 / elapsed.as_secs_f64();
    println!(
        "loaded {} items in {:.2} s with {} requests ({} in flight): {:.0} items/s",
        summary.written,
        elapsed.as_secs_f64(),
        summary.requests,
        concurrency,
        rate
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

fn progress(done: u64, total: u64, started: Instant) {
    let percent = (done * 100).checked_div(total).unwrap_or(100);
    let rate = done as f64 / started.elapsed().as_secs_f64().max(1e-9);
    eprint!("\r{done:>9}/{total} items ({percent:>3}%), {rate:>8.0} items/s");
    let _ = std::io::stderr().flush();
}
