use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    #[resource(version)]
    version: f64,
}

fn main() {}
