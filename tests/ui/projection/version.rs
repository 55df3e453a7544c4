use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    #[resource(version)]
    version: u64,
}

#[resource(projection = User)]
struct Revision {
    id: String,
    #[resource(version)]
    version: u64,
}

fn main() {}
