use std::time::SystemTime;

use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "tasks", key = "id")]
struct Task {
    id: String,
    #[resource(updated_at, default)]
    touched: Option<SystemTime>,
}

fn main() {}
