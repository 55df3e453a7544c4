use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    #[resource(skip, rename = "sessionId")]
    session: Option<u64>,
}

fn main() {}
