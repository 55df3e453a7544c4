use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    id: String,
    email: String,
    #[resource(rename = "email")]
    contact: String,
}

fn main() {}
