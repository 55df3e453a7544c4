use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    #[resource(version)]
    id: u64,
    name: String,
}

fn main() {}
