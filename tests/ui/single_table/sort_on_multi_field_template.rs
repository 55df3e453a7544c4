use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "app", entity = "Order",
           key(attr = "pk", template = "CUSTOMER#{customer}"),
           sort_key(attr = "sk", template = "ORDER#{day}#{id}"))]
struct Order {
    customer: String,
    day: String,
    id: String,
}

async fn orders(table: Table<Order>) {
    // A sort template with two fields: a condition on one of them is not a
    // key condition the library can write onto `sk`.
    let _ = table.query("c1").sort(Order::ID.eq("o1")).all().await;
}

fn main() {}
