use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "ids")]
struct User {
    ids: Vec<String>,
}

fn main() {}
