use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    #[resource(ttl)]
    expires_at: String,
}

fn main() {}
