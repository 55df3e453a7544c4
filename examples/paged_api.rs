//! A cursor-paged listing, as a web handler serves it: each request names a
//! page size and, after the first page, the cursor the previous response
//! returned; the response carries the items and the next cursor.
//!
//! ```sh
//! cargo run --example paged_api
//! ```

use resourceful::local::Backend;
use resourceful::prelude::*;

#[resource(
    service = "dynamodb",
    table = "example-orders",
    key = "customer",
    sort_key = "number",
    index(name = "by_status", key = "status", sort_key = "number")
)]
#[derive(Debug, Clone, PartialEq)]
struct Order {
    customer: String,
    number: u32,
    status: String,
    total_cents: u64,
}

/// The query string of `GET /customers/{customer}/orders?limit=…&cursor=…`.
#[derive(Debug, Default)]
struct ListRequest {
    limit: Option<usize>,
    cursor: Option<String>,
}

/// The JSON body a handler would return.
#[derive(Debug)]
struct ListResponse {
    orders: Vec<Order>,
    next: Option<String>,
}

/// What a handler answers: `200` with a page, or `400` for a bad request.
#[derive(Debug)]
enum Response {
    Ok(ListResponse),
    BadRequest(String),
}

/// The handler: at most 100 orders a page, 20 by default.
async fn list_orders(
    orders: &Table<Order>,
    customer: &str,
    request: ListRequest,
) -> resourceful::Result<Response> {
    let limit = request.limit.unwrap_or(20).clamp(1, 100);
    let mut query = orders.query(customer).limit(limit);
    if let Some(text) = request.cursor {
        match text.parse::<Cursor>() {
            Ok(cursor) => query = query.start(cursor),
            Err(e) => return Ok(Response::BadRequest(e.to_string())),
        }
    }
    let page = match query.page().await {
        Ok(page) => page,
        // A cursor from another listing is the client's mistake, not ours.
        Err(e) if e.is_validation() => return Ok(Response::BadRequest(e.to_string())),
        Err(e) => return Err(e),
    };
    Ok(Response::Ok(ListResponse {
        orders: page.items,
        next: page.cursor.map(|c| c.to_string()),
    }))
}

#[tokio::main]
async fn main() -> resourceful::Result<()> {
    let backend = Backend::from_env().await?;
    println!("using the {backend}");
    let orders = Order::table(&backend.client());
    if orders.exists().await? {
        orders.delete_table().await?;
    }
    orders.create().await?;

    for number in 1..=95 {
        let status = if number % 3 == 0 { "shipped" } else { "open" };
        let order = Order {
            customer: "c-42".into(),
            number,
            status: status.into(),
            total_cents: u64::from(number) * 250,
        };
        orders.put(&order).await?;
    }
    println!("stored 95 orders of customer c-42");

    // A client walks the listing page by page, 40 at a time.
    let mut cursor = None;
    let mut page = 1;
    let mut total = 0;
    loop {
        let request = ListRequest {
            limit: Some(40),
            cursor: cursor.take(),
        };
        let Response::Ok(body) = list_orders(&orders, "c-42", request).await? else {
            panic!("the listing's own cursors are valid");
        };
        let first = body.orders.first().map(|o| o.number);
        let last = body.orders.last().map(|o| o.number);
        println!(
            "GET page {page}: {} orders ({first:?}..={last:?}), next cursor: {}",
            body.orders.len(),
            body.next
                .as_deref()
                .map_or("none".to_owned(), |c| format!("{}…", &c[..16.min(c.len())]))
        );
        total += body.orders.len();
        match body.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
        page += 1;
    }
    assert_eq!(total, 95);

    // A tampered cursor, and one from another listing, are bad requests.
    let first = list_orders(
        &orders,
        "c-42",
        ListRequest {
            limit: Some(10),
            cursor: None,
        },
    )
    .await?;
    let Response::Ok(ListResponse {
        next: Some(cursor), ..
    }) = first
    else {
        panic!("more than 10 orders");
    };
    let mut tampered = cursor.clone();
    tampered.replace_range(5..6, if &tampered[5..6] == "A" { "B" } else { "A" });
    let answer = list_orders(
        &orders,
        "c-42",
        ListRequest {
            limit: None,
            cursor: Some(tampered),
        },
    )
    .await?;
    let Response::BadRequest(message) = answer else {
        panic!("GET with a tampered cursor must be refused, got {answer:?}");
    };
    println!("GET with a tampered cursor -> 400 {message}");

    let shipped = orders
        .index(Order::BY_STATUS)
        .query("shipped")
        .limit(5)
        .page()
        .await?;
    let foreign = shipped.cursor.expect("more shipped orders").to_string();
    let answer = list_orders(
        &orders,
        "c-42",
        ListRequest {
            limit: None,
            cursor: Some(foreign),
        },
    )
    .await?;
    let Response::BadRequest(message) = answer else {
        panic!("GET with a cursor of the by_status index must be refused, got {answer:?}");
    };
    println!("GET with a cursor of the by_status index -> 400 {message}");

    orders.delete_table().await?;
    Ok(())
}
