use resourceful::aws_sdk_dynamodb::Client;
use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "events", key = "device", sort_key = "at")]
struct Event {
    device: String,
    at: u64,
}

// A second sort-key condition must not replace the first one silently.
fn uses(client: &Client) {
    let events = Event::table(client);
    let _ = events.query("d1").sort(Event::AT.gt(5)).sort(Event::AT.lt(9));
}

fn main() {
    let _ = uses;
}
