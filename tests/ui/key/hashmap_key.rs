use std::collections::HashMap;

use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id", sort_key = "labels")]
struct User {
    id: String,
    labels: HashMap<String, String>,
}

fn main() {}
