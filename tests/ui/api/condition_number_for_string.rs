use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "tasks", key = "id")]
struct Task {
    id: String,
    title: String,
    priority: u32,
}

fn main() {
    let _ = Task::TITLE.eq(5);
}
