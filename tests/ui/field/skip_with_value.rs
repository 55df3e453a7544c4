use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    #[resource(skip = true)]
    session: Option<u64>,
}

fn main() {}
