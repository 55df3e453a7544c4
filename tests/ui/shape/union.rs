use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
union User {
    id: u64,
    name: u32,
}

fn main() {}
