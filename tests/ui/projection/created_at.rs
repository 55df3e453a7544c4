use std::time::SystemTime;

use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "tasks", key = "id")]
struct Task {
    id: String,
    #[resource(created_at)]
    created: SystemTime,
}

#[resource(projection = Task)]
struct Created {
    id: String,
    #[resource(created_at)]
    created: SystemTime,
}

fn main() {}
