use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    #[resource(default)]
    id: String,
}

fn main() {}
