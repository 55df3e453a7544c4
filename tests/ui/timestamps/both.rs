use std::time::SystemTime;

use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "tasks", key = "id")]
struct Task {
    id: String,
    #[resource(created_at, updated_at)]
    stamped: SystemTime,
}

fn main() {}
