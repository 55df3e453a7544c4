use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "tasks", key = "id")]
struct Task {
    id: String,
    #[resource(created_at)]
    created: String,
    #[resource(updated_at)]
    updated: u64,
}

fn main() {}
