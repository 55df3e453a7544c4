use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    #[resource(skip, serde)]
    cache: Vec<u64>,
}

fn main() {}
