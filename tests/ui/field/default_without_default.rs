use std::time::SystemTime;

use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    #[resource(default)]
    last_login: SystemTime,
}

fn main() {}
