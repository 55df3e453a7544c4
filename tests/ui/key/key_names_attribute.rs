use resourceful::prelude::*;

#[resource(service = "dynamodb", table = "users", key = "userId")]
struct User {
    #[resource(rename = "userId")]
    id: String,
}

fn main() {}
