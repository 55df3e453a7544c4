use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    #[resource(version, ttl)]
    version: u64,
}

fn main() {}
