use std::time::SystemTime;

use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "sessions", key = "id")]
struct Session {
    id: String,
    #[resource(ttl)]
    expires_at: SystemTime,
}

#[resource(projection = Session)]
struct Expiry {
    id: String,
    #[resource(ttl)]
    expires_at: SystemTime,
}

fn main() {}
