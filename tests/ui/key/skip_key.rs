use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "id")]
struct User {
    #[resource(skip)]
    id: String,
}

fn main() {}
