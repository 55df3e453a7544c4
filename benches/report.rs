//! Turns the JSON that `benches/io.rs` writes (`BENCH_JSON`) into Markdown
//! tables (printed) and the main comparison as an SVG chart (`BENCH_SVG`):
//! items per second of each contender at each added round trip, bulk write
//! and full scan side by side. `benches/run` calls it.
//!
//! ```sh
//! BENCH_JSON=target/bench/io.json BENCH_SVG=docs/benchmarks.svg cargo bench --bench report
//! ```

use plotters::prelude::*;
use serde_json::Value;

/// One measured contender, from the JSON.
struct Row {
    latency_ms: u64,
    operation: String,
    contender: String,
    seconds: f64,
    items: u64,
}

impl Row {
    fn rate(&self) -> f64 {
        self.items as f64 / self.seconds
    }
}

fn rows(doc: &Value) -> Vec<Row> {
    doc["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| Row {
            latency_ms: r["latency_ms"].as_u64().unwrap(),
            operation: r["operation"].as_str().unwrap().to_owned(),
            contender: r["contender"].as_str().unwrap().to_owned(),
            seconds: r["seconds"].as_f64().unwrap(),
            items: r["items"].as_u64().unwrap(),
        })
        .collect()
}

/// The distinct values of `key`, in first-seen order.
fn distinct<T: PartialEq + Clone>(rows: &[Row], key: impl Fn(&Row) -> T) -> Vec<T> {
    let mut seen = vec![];
    for r in rows {
        let k = key(r);
        if !seen.contains(&k) {
            seen.push(k);
        }
    }
    seen
}

/// A Markdown table per operation: a row per contender, a column per round trip.
fn tables(rows: &[Row], doc: &Value) {
    let latencies = distinct(rows, |r| r.latency_ms);
    for operation in distinct(rows, |r| r.operation.clone()) {
        let of: Vec<&Row> = rows.iter().filter(|r| r.operation == operation).collect();
        println!(
            "\n**{operation}** of {} items; items/s and speed against boto3 (higher is faster):\n",
            of[0].items
        );
        print!("| contender |");
        for l in &latencies {
            print!(" {l} ms |");
        }
        print!("\n|---|");
        for _ in &latencies {
            print!("---|");
        }
        println!();
        for contender in distinct(rows, |r| r.contender.clone()) {
            let mine: Vec<&&Row> = of.iter().filter(|r| r.contender == contender).collect();
            if mine.is_empty() {
                continue;
            }
            print!("| {contender} |");
            for l in &latencies {
                let boto3 = of
                    .iter()
                    .find(|r| r.latency_ms == *l && r.contender.starts_with("boto3"));
                match mine.iter().find(|r| r.latency_ms == *l) {
                    Some(r) => match boto3 {
                        Some(b) => print!(" {:.0} ({:.1}x) |", r.rate(), r.rate() / b.rate()),
                        None => print!(" {:.0} |", r.rate()),
                    },
                    None => print!(" – |"),
                }
            }
            println!();
        }
    }
    if let Some(memory) = doc["memory"].as_array().filter(|m| !m.is_empty()) {
        println!("\n**peak resident memory** of a separate process, items of about 1 KB:\n");
        println!("| process | items | peak RSS |\n|---|---|---|");
        for m in memory {
            println!(
                "| {} | {} | {:.1} MiB |",
                m["what"].as_str().unwrap(),
                m["items"],
                m["kib"].as_f64().unwrap() / 1024.0
            );
        }
    }
}

/// The colour of the contender at each place within an operation: the
/// baseline (the raw SDK), resourceful's default, its other setting, boto3.
const COLOURS: [RGBColor; 4] = [
    RGBColor(130, 130, 130),
    RGBColor(31, 119, 180),
    RGBColor(158, 202, 225),
    RGBColor(214, 39, 40),
];

/// Grouped bars: a panel per operation, a group per round trip, a bar per
/// contender (coloured by its place in the operation), items per second on
/// a logarithmic axis.
fn chart(rows: &[Row], backend: &str, path: &str) -> Result<(), Box<dyn std::error::Error>> {
    let operations = distinct(rows, |r| r.operation.clone());
    let latencies = distinct(rows, |r| r.latency_ms);
    // Each operation's contenders, in order; place k of every operation
    // shares colour k and one legend entry.
    let places: Vec<Vec<String>> = operations
        .iter()
        .map(|op| {
            let of: Vec<Row> = rows
                .iter()
                .filter(|r| &r.operation == op)
                .map(|r| Row {
                    latency_ms: r.latency_ms,
                    operation: r.operation.clone(),
                    contender: r.contender.clone(),
                    seconds: r.seconds,
                    items: r.items,
                })
                .collect();
            distinct(&of, |r| r.contender.clone())
        })
        .collect();
    let most = places.iter().map(Vec::len).max().unwrap_or(0);
    let root = SVGBackend::new(path, (1000, 470)).into_drawing_area();
    root.fill(&WHITE)?;
    let root = root.titled(
        &format!("Items per second with an added network round trip ({backend})"),
        ("sans-serif", 18),
    )?;
    let (panels, legend) = root.split_vertically(360);
    let panels = panels.split_evenly((1, operations.len()));
    let top = rows.iter().map(Row::rate).fold(1.0, f64::max) * 2.0;
    let bottom = rows.iter().map(Row::rate).fold(f64::MAX, f64::min) / 2.0;
    let width = 0.8 / most.max(1) as f64;
    for ((panel, operation), contenders) in panels.iter().zip(&operations).zip(&places) {
        let items = rows
            .iter()
            .find(|r| &r.operation == operation)
            .map_or(0, |r| r.items);
        let mut chart = ChartBuilder::on(panel)
            .caption(format!("{operation}, {items} items"), ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(35)
            .y_label_area_size(60)
            .build_cartesian_2d(0.0..latencies.len() as f64, (bottom..top).log_scale())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .light_line_style(WHITE)
            .x_labels(latencies.len() * 2 + 1)
            .x_label_formatter(&|x| {
                let i = x.floor() as usize;
                if (x - i as f64 - 0.5).abs() < 0.01 && i < latencies.len() {
                    format!("{} ms", latencies[i])
                } else {
                    String::new()
                }
            })
            .y_label_formatter(&|y| format!("{y:.0}"))
            .y_desc("items/s (log scale)")
            .draw()?;
        for (c, contender) in contenders.iter().enumerate() {
            let bars = rows
                .iter()
                .filter(|r| &r.operation == operation && &r.contender == contender)
                .map(|r| {
                    let group = latencies.iter().position(|l| *l == r.latency_ms).unwrap() as f64;
                    let x = group + 0.1 + width * c as f64;
                    let colour = COLOURS[c % COLOURS.len()];
                    Rectangle::new([(x, bottom), (x + width * 0.9, r.rate())], colour.filled())
                });
            chart.draw_series(bars)?;
        }
    }
    for c in 0..most {
        let label = places
            .iter()
            .filter_map(|p| p.get(c).cloned())
            .collect::<Vec<_>>()
            .join(" / ");
        let (x, y) = (20 + (c as i32 % 2) * 490, 15 + (c as i32 / 2) * 28);
        let colour = COLOURS[c % COLOURS.len()];
        legend.draw(&Rectangle::new([(x, y), (x + 18, y + 14)], colour.filled()))?;
        legend.draw(&Text::new(label, (x + 26, y), ("sans-serif", 14)))?;
    }
    root.present()?;
    Ok(())
}

fn main() {
    let input = std::env::var("BENCH_JSON").unwrap_or_else(|_| "target/bench/io.json".into());
    let text = std::fs::read_to_string(&input)
        .unwrap_or_else(|e| panic!("{input}: {e}; run benches/io.rs with BENCH_JSON first"));
    let doc: Value = serde_json::from_str(&text).expect("JSON");
    let rows = rows(&doc);
    tables(&rows, &doc);
    if let Ok(path) = std::env::var("BENCH_SVG") {
        // "embedded server at http://127.0.0.1:…": the port says nothing.
        let backend = doc["backend"].as_str().unwrap_or("");
        let backend = backend.split(" at ").next().unwrap_or(backend).to_owned();
        chart(&rows, &backend, &path).expect("draw the chart");
        println!("\nchart: {path}");
    }
}
