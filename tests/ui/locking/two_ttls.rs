use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    #[resource(ttl)]
    expires_at: u64,
    #[resource(ttl)]
    purge_at: u64,
}

fn main() {}
