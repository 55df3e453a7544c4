use resourceful::prelude::*;

#[resource(service = "s3", table = "users", key = "id")]
struct User {
    id: String,
}

fn main() {}
