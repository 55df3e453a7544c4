//! A shop's orders: an order holds its delivery address (a nested struct),
//! its line items (a list of structs), a status (an enum stored as a
//! string), a UUID id, exact decimal prices and the time it was placed.
//! Conditions and updates reach into the nested values with `then`; a query
//! reads a customer's orders, an index reads them by the time they were
//! placed and another finds the paid ones above an amount; an item that does
//! not match the struct is reported with the path of the offending value.
//!
//! ```sh
//! cargo run --example orders --features uuid,rust_decimal,chrono
//! ```
//!
//! With no endpoint configured it starts an embedded DynamoDB-compatible
//! server; with `AWS_ENDPOINT_URL_DYNAMODB` set it uses that endpoint.

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use resourceful::aws_sdk_dynamodb::types::AttributeValue;
use resourceful::local::Backend;
use resourceful::prelude::*;
use rust_decimal::Decimal;
use uuid::Uuid;

/// Where an order goes: a map (`M`) inside the order's item.
#[derive(Attribute, Debug, Clone, PartialEq)]
#[resource(rename_all = "camelCase")]
struct Address {
    street: String,
    city: String,
    postal_code: String,
    country: String,
}

/// One line of an order: an element of the `lines` list.
#[derive(Attribute, Debug, Clone, PartialEq)]
#[resource(rename_all = "camelCase")]
struct Line {
    sku: String,
    qty: u32,
    unit_price: Decimal,
}

/// Stored as a string (`"paid"`), so it can key the `by_status` index.
#[derive(Attribute, Debug, Clone, Copy, PartialEq, Eq)]
#[resource(rename_all = "snake_case")]
enum Status {
    Pending,
    Paid,
    Shipped,
}

#[resource(
    service = "dynamodb",
    table = "example-shop-orders",
    key = "customer",
    sort_key = "id",
    index(name = "by_status", key = "status", sort_key = "total"),
    index(name = "by_placed", key = "customer", sort_key = "placed_at")
)]
#[derive(Debug, Clone, PartialEq)]
struct Order {
    customer: String,
    id: Uuid,
    status: Status,
    address: Address,
    lines: Vec<Line>,
    /// Exact: a `Decimal` sort key orders as a number.
    total: Decimal,
    /// When the order was placed: UTC RFC 3339 text with a fixed number of
    /// digits (`2023-11-23T22:00:00.000000000Z`), so that string order is
    /// time order and it can sort the `by_placed` index.
    placed_at: DateTime<Utc>,
    note: Option<String>,
}

fn total(lines: &[Line]) -> Decimal {
    lines
        .iter()
        .map(|line| line.unit_price * Decimal::from(line.qty))
        .sum()
}

fn price(text: &str) -> Decimal {
    text.parse().expect("a decimal literal")
}

fn order(customer: &str, n: u128, city: &str, status: Status, lines: Vec<Line>) -> Order {
    Order {
        customer: customer.into(),
        // A service would use `Uuid::new_v4()` (uuid's `v4` feature); fixed
        // ids keep this example's output the same on every run.
        id: Uuid::from_u128(0x67e5_5044_10b1_426f_9247_bb68_0000_0000 + n),
        status,
        address: Address {
            street: format!("{n} Rue de Rivoli"),
            city: city.into(),
            postal_code: "75001".into(),
            country: "FR".into(),
        },
        total: total(&lines),
        lines,
        // Order `n` was placed 10 - n days after 2023-11-14: time order is
        // not the order of the ids.
        placed_at: placed_at(n),
        note: None,
    }
}

/// When order `n` was placed: a day earlier for each higher `n`.
fn placed_at(n: u128) -> DateTime<Utc> {
    let start = Utc.with_ymd_and_hms(2023, 11, 14, 22, 0, 0).unwrap();
    start + TimeDelta::days(10 - n as i64)
}

fn line(sku: &str, qty: u32, unit_price: &str) -> Line {
    Line {
        sku: sku.into(),
        qty,
        unit_price: price(unit_price),
    }
}

#[tokio::main]
async fn main() -> resourceful::Result<()> {
    let backend = Backend::from_env().await?;
    println!("using the {backend}");
    let client = backend.client();
    let orders = Order::table(&client);
    if orders.exists().await? {
        orders.delete_table().await?;
    }
    orders.create().await?;
    println!("created table `{}`", orders.name());

    let first = order(
        "ann",
        1,
        "Paris",
        Status::Pending,
        vec![line("pen", 2, "1.20"), line("notebook", 1, "4.95")],
    );
    let placed = [
        first.clone(),
        order(
            "ann",
            2,
            "Lyon",
            Status::Paid,
            vec![line("desk", 1, "189.00")],
        ),
        order(
            "ann",
            3,
            "Paris",
            Status::Paid,
            vec![line("lamp", 2, "34.50"), line("bulb", 4, "2.25")],
        ),
        order(
            "bob",
            4,
            "Lille",
            Status::Paid,
            vec![line("pen", 10, "1.20")],
        ),
    ];
    for order in &placed {
        orders.put(order).await?;
    }
    println!("put {} orders; the first: {first:#?}", placed.len());

    // A condition on a nested field and an update of one line item: the
    // compiler checks that `CITY` belongs to what `ADDRESS` holds and `QTY`
    // to an element of `LINES`, and that 3 fits a `u32`.
    let key = ("ann", first.id);
    let mut lines = first.lines.clone();
    lines[0].qty = 3;
    let updated = orders
        .update(key)
        .set(Order::LINES.at(0).then(Line::QTY), 3)
        .set(Order::TOTAL, total(&lines))
        .condition(
            Order::ADDRESS.then(Address::CITY).eq("Paris") & Order::STATUS.eq(Status::Pending),
        )
        .await?;
    println!(
        "update lines[0].qty = 3 if address.city = Paris and status = pending -> qty {}, total {}",
        updated.lines[0].qty, updated.total
    );
    assert_eq!(updated.lines, lines);
    assert_eq!(updated.total, price("8.55"));

    // The same kind of condition, when it does not hold.
    let refused = orders
        .update(key)
        .set(Order::STATUS, Status::Shipped)
        .condition(Order::ADDRESS.then(Address::CITY).eq("Lyon"))
        .await;
    match refused {
        Err(e) if e.is_condition_failed() => {
            println!("update status = shipped if address.city = Lyon -> refused: {e}")
        }
        other => panic!("expected a condition failure, got {other:?}"),
    }

    // A customer's orders, in id order.
    let anns = orders.query("ann").all().await?;
    println!("ann has {} orders:", anns.len());
    for order in &anns {
        println!(
            "  {} {:?} to {}: {} lines, total {}",
            order.id,
            order.status,
            order.address.city,
            order.lines.len(),
            order.total
        );
    }
    assert_eq!(anns.len(), 3);

    // Ann's orders placed from 2023-11-22 on, newest first: the index's sort
    // key is the time, and its text sorts as the time does.
    let since = Utc.with_ymd_and_hms(2023, 11, 22, 0, 0, 0).unwrap();
    let recent = orders
        .index(Order::BY_PLACED)
        .query("ann")
        .sort(Order::PLACED_AT.ge(since))
        .reverse()
        .all()
        .await?;
    println!("ann's orders since {since}, newest first:");
    for order in &recent {
        println!("  {} placed {}", order.id, order.placed_at);
    }
    let times: Vec<DateTime<Utc>> = recent.iter().map(|o| o.placed_at).collect();
    assert_eq!(times, [placed_at(1), placed_at(2)]);

    // The paid orders of at least 50.00, cheapest first: the index's sort
    // key is the `Decimal` total, compared as a number.
    let large = orders
        .index(Order::BY_STATUS)
        .query(Status::Paid)
        .sort(Order::TOTAL.ge(price("50.00")))
        .all()
        .await?;
    // DynamoDB keeps the value, not the text: 78.00 reads back as 78.
    let totals: Vec<Decimal> = large.iter().map(|o| o.total).collect();
    println!("paid orders of at least 50.00: totals {totals:?}");
    assert_eq!(totals, [price("78.00"), price("189.00")]);

    // Another writer stored a quantity as text. Reading the item fails and
    // names the path to the value, not just the top-level attribute.
    let mut item = placed[1].to_item();
    let Some(AttributeValue::L(stored)) = item.get_mut("lines") else {
        unreachable!("lines is a list")
    };
    let Some(AttributeValue::M(bad_line)) = stored.get_mut(0) else {
        unreachable!("a line is a map")
    };
    bad_line.insert("qty".into(), AttributeValue::S("one".into()));
    client
        .put_item()
        .table_name(orders.name())
        .set_item(Some(item))
        .send()
        .await
        .expect("a raw put_item");
    match orders.get(("ann", placed[1].id)).consistent().await {
        Err(e) if e.is_decode() => {
            let path = e.as_decode().map(|d| d.path_string()).unwrap_or_default();
            println!("get an order with lines[0].qty = \"one\" -> {e}");
            println!("  the path of the value: {path}");
            assert_eq!(path, "lines[0].qty");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }

    orders.delete_table().await?;
    println!("deleted table `{}`", orders.name());
    Ok(())
}
