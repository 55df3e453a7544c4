use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "user_id")]
struct User {
    id: String,
    email: String,
}

fn main() {}
