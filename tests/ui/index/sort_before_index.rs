use resourceful::aws_sdk_dynamodb::Client;
use resourceful::prelude::*;

#[resource(
    service = "dynamodb",
    table = "events",
    key = "device",
    sort_key = "at",
    local_index(name = "by_value", sort_key = "value")
)]
struct Event {
    device: String,
    at: u64,
    value: i64,
}

// The condition is on the table's sort key, which the index does not sort
// by: it must not be dropped silently when the index is chosen.
fn uses(client: &Client) {
    let events = Event::table(client);
    let _ = events
        .query("d1")
        .sort(Event::AT.gt(5))
        .index(Event::BY_VALUE);
}

fn main() {
    let _ = uses;
}
